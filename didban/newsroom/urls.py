from django.urls import path

from didban.newsroom import views

app_name = "newsroom"

urlpatterns = [
    path("", views.item_list, name="item_list"),
    path("items/new/", views.item_create, name="item_create"),
    path("items/<int:item_id>/", views.item_detail, name="item_detail"),
    path("items/<int:item_id>/edit/", views.item_edit, name="item_edit"),
    path("items/<int:item_id>/lock/", views.item_lock, name="item_lock"),
    path("items/<int:item_id>/correct/", views.item_correct, name="item_correct"),
    path("items/<int:item_id>/diff/", views.item_diff, name="item_diff"),
    path("items/<int:item_id>/comment/", views.item_comment, name="item_comment"),
    path("items/<int:item_id>/upload/", views.item_upload, name="item_upload"),
    path(
        "items/<int:item_id>/assets/<int:asset_id>/detach/", views.item_detach, name="item_detach"
    ),
    path("items/<int:item_id>/<slug:verb>/", views.item_transition, name="item_transition"),
    path("calendar/", views.calendar, name="calendar"),
    path("occasions/", views.occasion_list, name="occasion_list"),
    path("events/", views.event_list, name="event_list"),
    path("events/<int:event_id>/", views.event_detail, name="event_detail"),
    path("templates/", views.template_list, name="template_list"),
]
