"""REST endpoints of display campaigns: what the offline field app reads and the check-in it posts."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from didban.api.pagination import Pagination
from didban.field import actions, queries
from didban.field.models import CheckIn, Design, Placement, Site


class SiteOutput(serializers.ModelSerializer):
    place_name = serializers.CharField(source="place.name_fa")

    class Meta:
        model = Site
        fields = [
            "id", "code", "name", "kind", "place", "place_name", "area", "latitude", "longitude",
            "address", "size", "is_active",
        ]  # fmt: skip


class DesignOutput(serializers.ModelSerializer):
    version = serializers.IntegerField(source="current_version.number", allow_null=True)
    sha256 = serializers.CharField(source="current_version.sha256", allow_null=True)
    thumbnail_url = serializers.SerializerMethodField()
    file_url = serializers.SerializerMethodField()

    class Meta:
        model = Design
        fields = [
            "id", "title", "theme", "occasion", "linked_occasion", "status", "org", "version",
            "sha256", "thumbnail_url", "file_url",
        ]  # fmt: skip

    def get_thumbnail_url(self, design: Design) -> str | None:
        version = design.current_version
        if version is None or not version.thumbnail:
            return None
        return reverse("field:design_thumb", args=[design.pk, version.number])

    def get_file_url(self, design: Design) -> str | None:
        version = design.current_version
        return reverse("field:design_file", args=[design.pk, version.number]) if version else None


class PlacementOutput(serializers.ModelSerializer):
    next_states = serializers.SerializerMethodField()
    window_name = serializers.CharField(source="window.name")

    class Meta:
        model = Placement
        fields = ["id", "window", "window_name", "site", "design", "state", "next_states"]

    def get_next_states(self, placement: Placement) -> list[str]:
        return sorted(Placement.TRANSITIONS.get(Placement.State(placement.state), ()))


class TaskOutput(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    kind_label = serializers.CharField(source="get_kind_display")
    due_on = serializers.DateField()
    overdue = serializers.SerializerMethodField()
    placement = serializers.IntegerField(source="placement_id")

    def get_overdue(self, task) -> bool:
        return task.is_overdue(self.context.get("today"))


class SiteListApi(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("search", str), OpenApiParameter("kind", str, enum=Site.Kind.values),
                    OpenApiParameter("area", str, enum=Site.Area.values)],
        responses=SiteOutput(many=True), operation_id="field_sites_list",
    )  # fmt: skip
    def get(self, request):
        params = request.query_params
        sites = queries.list_sites(
            request.user,
            search=params.get("search", "").strip()[:100],
            kind=params.get("kind", "") if params.get("kind") in Site.Kind.values else "",
            area=params.get("area", "") if params.get("area") in Site.Area.values else "",
        ).order_by("pk")
        paginator = Pagination()
        page = paginator.paginate_queryset(sites, request, view=self)
        return paginator.get_paginated_response(SiteOutput(page, many=True).data)


class DesignListApi(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("search", str), OpenApiParameter("status", str, enum=Design.Status.values)],
        responses=DesignOutput(many=True), operation_id="field_designs_list",
    )  # fmt: skip
    def get(self, request):
        status_ = request.query_params.get("status", "")
        designs = queries.list_designs(
            request.user,
            search=request.query_params.get("search", "").strip()[:100],
            status=status_ if status_ in Design.Status.values else "",
        )
        paginator = Pagination()
        page = paginator.paginate_queryset(designs, request, view=self)
        return paginator.get_paginated_response(DesignOutput(page, many=True).data)


class TaskListApi(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("overdue", bool)],
        responses=TaskOutput(many=True), operation_id="field_tasks_list",
    )  # fmt: skip
    def get(self, request):
        today = queries.local_today()
        tasks = queries.list_open_tasks(request.user)
        if request.query_params.get("overdue") in ("1", "true"):
            tasks = queries.overdue_tasks(tasks, today)
        paginator = Pagination()
        page = paginator.paginate_queryset(tasks, request, view=self)
        return paginator.get_paginated_response(
            TaskOutput(page, many=True, context={"today": today}).data
        )


class AgentBundleApi(APIView):
    """Everything the field app keeps offline: the agent's open tasks with their placements,
    sites and designs (at most 1,000 tasks, the most urgent first)."""

    class Output(serializers.Serializer):
        today = serializers.DateField()
        tasks = TaskOutput(many=True)
        placements = PlacementOutput(many=True)
        sites = SiteOutput(many=True)
        designs = DesignOutput(many=True)

    @extend_schema(responses=Output, operation_id="field_agent_bundle")
    def get(self, request):
        today = queries.local_today()
        tasks = list(queries.list_open_tasks(request.user)[:1000])
        placements = {t.placement_id: t.placement for t in tasks}
        sites = {p.site_id: p.site for p in placements.values()}
        designs = {p.design_id: p.design for p in placements.values()}
        data = {
            "today": today,
            "tasks": tasks,
            "placements": list(placements.values()),
            "sites": list(sites.values()),
            "designs": list(designs.values()),
        }
        return Response(self.Output(data, context={"today": today}).data)


class CheckInOutput(serializers.ModelSerializer):
    state = serializers.CharField(source="to_state")

    class Meta:
        model = CheckIn
        fields = [
            "id", "client_uuid", "placement", "from_state", "state", "flags", "distance_m",
            "photo_taken_at", "client_time", "received_at",
        ]  # fmt: skip


class CheckInCreateApi(APIView):
    """Record a check-in. Idempotent by `client_uuid` (a form field, or the `X-Client-UUID` /
    `Idempotency-Key` header): the same submission again answers 200 with the first check-in;
    different content under the same id answers 409 and saves nothing."""

    parser_classes = [MultiPartParser, FormParser, JSONParser]

    class Input(serializers.Serializer):
        placement = serializers.IntegerField()
        to_state = serializers.ChoiceField(choices=Placement.State.choices)
        client_uuid = serializers.UUIDField()
        client_time = serializers.DateTimeField()
        latitude = serializers.DecimalField(max_digits=9, decimal_places=6, min_value=-90, max_value=90, required=False, allow_null=True)  # fmt: skip
        longitude = serializers.DecimalField(max_digits=9, decimal_places=6, min_value=-180, max_value=180, required=False, allow_null=True)  # fmt: skip
        accuracy_m = serializers.FloatField(required=False, allow_null=True, min_value=0)
        note = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")
        photo = serializers.FileField(required=False, allow_null=True)

    @extend_schema(
        request=Input, responses={201: CheckInOutput, 200: CheckInOutput},
        operation_id="field_checkins_create",
    )  # fmt: skip
    def post(self, request):
        raw = request.data.copy() if hasattr(request.data, "copy") else dict(request.data)
        key = request.headers.get("X-Client-UUID") or request.headers.get("Idempotency-Key")
        if key and not raw.get("client_uuid"):
            raw["client_uuid"] = key
        data = self.Input(data=raw)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        placement = queries.access_placement_for_checkin(request.user, values.pop("placement"))
        try:
            checkin, created = actions.do_record_checkin(
                actor=request.user, placement=placement, **values
            )
        except actions.CheckInConflict as exc:
            return Response(
                {
                    "error": {
                        "code": "conflict",
                        "message": str(exc),
                        "existing_id": exc.existing.pk,
                    }
                },
                status=status.HTTP_409_CONFLICT,
            )
        return Response(
            CheckInOutput(checkin).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class CoverageApi(APIView):
    class Output(serializers.Serializer):
        window = serializers.IntegerField(source="window.pk")
        target = serializers.IntegerField()
        percent = serializers.IntegerField()
        rows = serializers.ListField(child=serializers.DictField())
        total = serializers.DictField()

    @extend_schema(responses=Output, operation_id="field_window_coverage")
    def get(self, request, window_id: int):
        window = queries.access_window(request.user, window_id)
        cov = queries.coverage(request.user, window)

        def row(r):
            return {
                "area": r.area, "label": r.label, "sites": r.sites, "planned": r.planned,
                "installed": r.installed, "verified": r.verified, "overdue": r.overdue,
                "missing": r.missing,
            }  # fmt: skip

        return Response(
            {
                "window": window.pk,
                "target": cov.target,
                "percent": cov.percent,
                "rows": [row(r) for r in cov.rows],
                "total": row(cov.total),
            }
        )
