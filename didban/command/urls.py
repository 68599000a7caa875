from django.urls import path

from didban.command import views

app_name = "command"

urlpatterns = [
    path("", views.screen, name="screen"),
    path("data.json", views.data_json, name="data_json"),
    path("feed.json", views.feed_json, name="feed_json"),
    path("stream/", views.stream, name="stream"),
    path("election-day/", views.election_day, name="election_day"),
    path("targets/", views.targets, name="targets"),
    path("targets/<int:target_id>/delete/", views.target_delete, name="target_delete"),
    path("audiences/record/", views.audience_record, name="audience_record"),
    path("reports/", views.reports, name="reports"),
    path("reports/schedules/", views.schedules, name="schedules"),
    path("reports/schedules/<int:schedule_id>/", views.schedule_edit, name="schedule_edit"),
    path("reports/schedules/<int:schedule_id>/pause/", views.schedule_pause, name="schedule_pause"),
    path(
        "reports/schedules/<int:schedule_id>/delete/",
        views.schedule_delete,
        name="schedule_delete",
    ),
    path("reports/schedules/<int:schedule_id>/send/", views.schedule_send, name="schedule_send"),
    path("reports/<int:report_id>/download/", views.report_download, name="report_download"),
]
