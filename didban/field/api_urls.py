"""This app's endpoints under /api/v1/ (included by didban/api/urls.py)."""

from django.urls import path

from didban.field import api

urlpatterns = [
    path("field/sites/", api.SiteListApi.as_view(), name="field_site_list"),
    path("field/designs/", api.DesignListApi.as_view(), name="field_design_list"),
    path("field/tasks/", api.TaskListApi.as_view(), name="field_task_list"),
    path("field/agent/", api.AgentBundleApi.as_view(), name="field_agent_bundle"),
    path("field/checkins/", api.CheckInCreateApi.as_view(), name="field_checkin_create"),
    path(
        "field/windows/<int:window_id>/coverage/",
        api.CoverageApi.as_view(),
        name="field_window_coverage",
    ),
]
