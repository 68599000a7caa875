"""This app's endpoints under /api/v1/ (included by didban/api/urls.py)."""

from django.urls import path

from didban.newsroom import api

urlpatterns = [
    path("newsroom/items/", api.ItemListApi.as_view(), name="newsroom_item_list"),
    path("newsroom/items/create/", api.ItemCreateApi.as_view(), name="newsroom_item_create"),
    path("newsroom/items/<int:item_id>/", api.ItemDetailApi.as_view(), name="newsroom_item_detail"),
    path(
        "newsroom/items/<int:item_id>/submit/",
        api.ItemSubmitApi.as_view(),
        name="newsroom_item_submit",
    ),
    path(
        "newsroom/items/<int:item_id>/approve/",
        api.ItemApproveApi.as_view(),
        name="newsroom_item_approve",
    ),
    path(
        "newsroom/items/<int:item_id>/publish/",
        api.ItemPublishApi.as_view(),
        name="newsroom_item_publish",
    ),
    path(
        "newsroom/items/<int:item_id>/retract/",
        api.ItemRetractApi.as_view(),
        name="newsroom_item_retract",
    ),
    path("newsroom/assets/upload/", api.AssetUploadApi.as_view(), name="newsroom_asset_upload"),
]
