"""This app's endpoints under /api/v1/ (included by didban/api/urls.py)."""

from django.urls import path

from didban.command import api

urlpatterns = [
    path("command/figures/", api.FiguresApi.as_view(), name="command_figures"),
    path("command/feed/", api.FeedApi.as_view(), name="command_feed"),
    path("command/targets/", api.TargetSetApi.as_view(), name="command_target_set"),
]
