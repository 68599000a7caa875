"""This app's endpoints under /api/v1/ (included by didban/api/urls.py)."""

from django.urls import path

from didban.publishing import api

urlpatterns = [
    path("publishing/channels/", api.ChannelListApi.as_view(), name="publishing_channel_list"),
    path("publishing/deliveries/", api.DeliveryListApi.as_view(), name="publishing_delivery_list"),
    path(
        "publishing/deliveries/<int:delivery_id>/retry/",
        api.DeliveryRetryApi.as_view(),
        name="publishing_delivery_retry",
    ),
    path(
        "publishing/deliveries/<int:delivery_id>/reconcile/",
        api.DeliveryReconcileApi.as_view(),
        name="publishing_delivery_reconcile",
    ),
]
