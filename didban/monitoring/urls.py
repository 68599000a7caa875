from django.urls import path

from didban.monitoring import views

app_name = "monitoring"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("sources/", views.source_list, name="source_list"),
    path("sources/<int:source_id>/", views.source_edit, name="source_edit"),
    path("sources/<int:source_id>/fetch/", views.source_fetch, name="source_fetch"),
    path("sources/<int:source_id>/toggle/", views.source_toggle, name="source_toggle"),
    path("articles/", views.article_list, name="article_list"),
    path("articles/<int:article_id>/", views.article_detail, name="article_detail"),
    path("stories/", views.story_list, name="story_list"),
    path("stories/<int:story_id>/", views.story_detail, name="story_detail"),
    path("topics/", views.topic_list, name="topic_list"),
    path("topics/new/", views.topic_edit, name="topic_create"),
    path("topics/<int:topic_id>/", views.topic_edit, name="topic_edit"),
    path("topics/validate/", views.topic_validate, name="topic_validate"),
    path("queue/", views.queue, name="queue"),
    path("hits/<int:hit_id>/review/", views.hit_review, name="hit_review"),
    path("hits/bulk/", views.hits_bulk, name="hits_bulk"),
    path("alerts/", views.alert_list, name="alert_list"),
    path("alerts/read/", views.alerts_read, name="alerts_read"),
    path("alerts/<int:alert_id>/open/", views.alert_open, name="alert_open"),
    path("pickups/", views.pickup_list, name="pickup_list"),
    path("report/", views.report, name="report"),
    path("report/hourly/", views.report_hourly, name="report_hourly"),
]
