"""This app's endpoints under /api/v1/ (included by didban/api/urls.py)."""

from django.urls import path

from didban.monitoring import api

urlpatterns = [
    path("monitoring/sources/", api.SourceListApi.as_view(), name="monitoring_sources"),
    path(
        "monitoring/sources/<int:source_id>/",
        api.SourceUpdateApi.as_view(),
        name="monitoring_source_update",
    ),
    path("monitoring/articles/", api.ArticleSearchApi.as_view(), name="monitoring_articles"),
    path(
        "monitoring/topics/validate/",
        api.TopicValidateApi.as_view(),
        name="monitoring_topic_validate",
    ),
    path("monitoring/hits/", api.HitListApi.as_view(), name="monitoring_hits"),
    path(
        "monitoring/hits/<int:hit_id>/review/",
        api.HitReviewApi.as_view(),
        name="monitoring_hit_review",
    ),
]
