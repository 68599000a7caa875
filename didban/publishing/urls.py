from django.urls import path

from didban.publishing import views

app_name = "publishing"

urlpatterns = [
    path("", views.delivery_queue, name="delivery_queue"),
    path("deliveries/", views.delivery_queue, name="delivery_queue_alias"),
    path("deliveries/<int:delivery_id>/retry/", views.delivery_retry, name="delivery_retry"),
    path(
        "deliveries/<int:delivery_id>/reconcile/",
        views.delivery_reconcile,
        name="delivery_reconcile",
    ),
    path("channels/", views.channel_list, name="channel_list"),
    path("channels/new/", views.channel_create, name="channel_create"),
    path("channels/<int:channel_id>/", views.channel_edit, name="channel_edit"),
    path("channels/<int:channel_id>/preview/", views.sandbox_preview, name="sandbox_preview"),
]
