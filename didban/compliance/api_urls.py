"""This app's endpoints under /api/v1/ (included by didban/api/urls.py)."""

from django.urls import path

from didban.compliance import api

urlpatterns = [
    # GET: the desk's list; POST: a field agent's report (multipart, idempotent by client_uuid).
    path(
        "compliance/violations/",
        api.ViolationsApi.as_view(),
        name="compliance_violations",
    ),
    path(
        "compliance/violations/<int:violation_id>/",
        api.ViolationDetailApi.as_view(),
        name="compliance_violation_detail",
    ),
    path(
        "compliance/violations/<int:violation_id>/transition/",
        api.ViolationTransitionApi.as_view(),
        name="compliance_violation_transition",
    ),
]
