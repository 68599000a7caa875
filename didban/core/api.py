"""REST endpoints of exports: ask for one, follow it, download the file (the requester only)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import translation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from didban.api.pagination import Pagination
from didban.core.actions import do_request_export
from didban.core.exports import download_response, sources
from didban.core.models import ExportJob
from didban.core.queries import access_export, list_exports


class ExportOutput(serializers.ModelSerializer):
    percent = serializers.IntegerField()
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = ExportJob
        fields = [
            "id", "source", "format", "filters", "language", "state", "rows_total", "rows_done",
            "rows_skipped", "percent", "file_size", "error", "created_at", "started_at",
            "finished_at", "expires_at", "download_url",
        ]  # fmt: skip

    def get_download_url(self, job: ExportJob) -> str | None:
        if job.state != ExportJob.State.DONE:
            return None
        return reverse("api:export_download", args=[job.pk])


class ExportListApi(APIView):
    class Input(serializers.Serializer):
        source = serializers.ChoiceField(
            choices=sorted(sources()), help_text="Which list: an app's export source."
        )
        format = serializers.ChoiceField(choices=ExportJob.Format.choices)
        filters = serializers.DictField(
            child=serializers.CharField(allow_blank=True),
            required=False,
            help_text=(
                "The list's filters, as its query string would carry them. field.sites: q, kind, "
                "area; field.placements: window, state, area, place; compliance.violations: "
                "status (default open; all), category, candidate, source, overdue, duplicates, "
                "mine, q, from, to (Jalali or ISO days)."
            ),
        )
        language = serializers.ChoiceField(
            choices=["fa", "en"], required=False, help_text="Headers and dates; default: yours."
        )

    @extend_schema(responses=ExportOutput(many=True), operation_id="exports_list")
    def get(self, request):
        paginator = Pagination()
        page = paginator.paginate_queryset(list_exports(request.user), request, view=self)
        return paginator.get_paginated_response(ExportOutput(page, many=True).data)

    @extend_schema(
        request=Input, responses={201: ExportOutput}, operation_id="exports_create",
        description="Queue an export; the worker builds the file. Poll the job, then download it.",
    )  # fmt: skip
    def post(self, request):
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        language = data.validated_data.get("language") or request.user.language or "fa"
        with translation.override(language):
            job = do_request_export(
                actor=request.user,
                source=data.validated_data["source"],
                format=data.validated_data["format"],
                params=data.validated_data.get("filters", {}),
            )
        return Response(ExportOutput(job).data, status=status.HTTP_201_CREATED)


class ExportDetailApi(APIView):
    @extend_schema(responses=ExportOutput, operation_id="exports_detail")
    def get(self, request, job_id: int):
        return Response(ExportOutput(access_export(request.user, job_id)).data)


class ExportDownloadApi(APIView):
    @extend_schema(
        responses={
            (200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"): OpenApiTypes.BINARY,
            (200, "text/csv"): OpenApiTypes.BINARY,
            (200, "application/geo+json"): OpenApiTypes.BINARY,
        },
        operation_id="exports_download",
        description="The file of a finished export; 404 while it is being built, or for anyone else's.",
    )  # fmt: skip
    def get(self, request, job_id: int):
        return download_response(access_export(request.user, job_id))
