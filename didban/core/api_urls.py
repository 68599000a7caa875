"""Core endpoints under /api/v1/ (included by didban/api/urls.py)."""

from django.urls import path

from didban.core import api

urlpatterns = [
    path("exports/", api.ExportListApi.as_view(), name="export_list"),
    path("exports/<int:job_id>/", api.ExportDetailApi.as_view(), name="export_detail"),
    path("exports/<int:job_id>/download/", api.ExportDownloadApi.as_view(), name="export_download"),
]
