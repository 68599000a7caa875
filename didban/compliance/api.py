"""The compliance API: the field app's report endpoint and the desk's list, detail, transitions."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from didban.api.pagination import Pagination
from didban.compliance import actions
from didban.compliance.models import RuleCategory, Violation
from didban.compliance.queries import (
    ViolationFilter,
    access_violation,
    election_for_reports,
    group_duplicates,
    list_violations,
    reporter_identity,
)
from didban.compliance.uploads import read_photos
from didban.places.models import Place


def conflict_response() -> Response:
    return Response(
        {
            "error": {
                "code": "conflict",
                "message": _(
                    "A different report was already sent with this client id. "
                    "Send a new report with a new id."
                ),
            }
        },
        status=status.HTTP_409_CONFLICT,
    )


class ViolationOutput(serializers.ModelSerializer):
    """A report as the desk sees it. `reporter` is null for roles that may not see who sent it."""

    reporter = serializers.SerializerMethodField()
    candidate_name = serializers.CharField(source="candidate.name", default=None)
    place_name = serializers.CharField(source="place.name_fa", default=None)
    handler_name = serializers.SerializerMethodField()
    is_overdue = serializers.BooleanField()
    is_locked = serializers.BooleanField()
    lock_expires_at = serializers.DateTimeField(allow_null=True)
    photos = serializers.SerializerMethodField()

    class Meta:
        model = Violation
        fields = [
            "id", "status", "source", "tracking_code", "client_uuid", "election", "description",
            "rule_category", "suggested_category", "candidate", "candidate_name", "place",
            "place_name", "address", "latitude", "longitude", "accuracy_m", "observed_at",
            "created_at", "handler", "handler_name", "is_locked", "lock_expires_at",
            "referred_to", "referral_deadline",
            "status_reason", "duplicate_of", "is_overdue", "reporter", "photos",
        ]  # fmt: skip

    def get_reporter(self, violation) -> dict | None:
        return reporter_identity(self.context["request"].user, violation)

    def get_handler_name(self, violation) -> str | None:
        return str(violation.handler) if violation.handler_id else None

    def get_photos(self, violation) -> list[str]:
        return [p.image.url for p in violation.photos.all()]


class SubmitResult(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    tracking_code = serializers.CharField()
    client_uuid = serializers.UUIDField()
    suggested_category = serializers.CharField()


def submit_result(violation: Violation) -> dict:
    return {
        "id": violation.pk,
        "status": violation.status,
        "tracking_code": violation.tracking_code,
        "client_uuid": str(violation.client_uuid),
        "suggested_category": violation.suggested_category,
    }


class ViolationsApi(APIView):
    """GET lists the desk; POST is the field app's submission (one path, as the outbox expects)."""

    parser_classes = [MultiPartParser, FormParser, JSONParser]

    class SubmitInput(serializers.Serializer):
        client_uuid = serializers.UUIDField()
        election = serializers.IntegerField(required=False)
        description = serializers.CharField(max_length=5000)
        rule_category = serializers.ChoiceField(
            choices=RuleCategory.choices, required=False, allow_blank=True
        )
        candidate = serializers.IntegerField(required=False, allow_null=True)
        place = serializers.IntegerField(required=False, allow_null=True)
        address = serializers.CharField(max_length=300, required=False, allow_blank=True)
        latitude = serializers.DecimalField(
            max_digits=9, decimal_places=6, min_value=-90, max_value=90, required=False,
            allow_null=True, coerce_to_string=False,
        )  # fmt: skip
        longitude = serializers.DecimalField(
            max_digits=9, decimal_places=6, min_value=-180, max_value=180, required=False,
            allow_null=True, coerce_to_string=False,
        )  # fmt: skip
        accuracy_m = serializers.IntegerField(
            min_value=0, max_value=100000, required=False, allow_null=True
        )
        observed_at = serializers.DateTimeField(required=False, allow_null=True)
        photo = serializers.ListField(child=serializers.FileField(), required=False)
        photos = serializers.ListField(child=serializers.FileField(), required=False)

    @extend_schema(
        parameters=[
            OpenApiParameter("status", str, description="a status, or `open`"),
            OpenApiParameter("category", str, enum=RuleCategory.values),
            OpenApiParameter("overdue", bool),
            OpenApiParameter("duplicates", bool),
            OpenApiParameter("q", str),
        ],
        responses=ViolationOutput(many=True),
        operation_id="compliance_violations_list",
    )
    def get(self, request):
        params = request.query_params
        filters = ViolationFilter(
            status=params.get("status", "")[:20],
            category=params.get("category", "")[:30],
            source=params.get("source", "")[:10],
            overdue=params.get("overdue") in ("1", "true"),
            duplicates=params.get("duplicates") in ("1", "true"),
            search=params.get("q", "")[:100],
        )
        rows = list_violations(request.user, filters).prefetch_related("photos")
        paginator = Pagination()
        page = paginator.paginate_queryset(rows.order_by("-created_at", "-pk"), request, view=self)
        data = ViolationOutput(page, many=True, context={"request": request}).data
        groups = group_duplicates(request.user, page)
        for item in data:
            item["likely_duplicates"] = groups.get(item["id"], [])
        return paginator.get_paginated_response(data)

    @extend_schema(
        request={"multipart/form-data": SubmitInput},
        responses={
            201: SubmitResult,
            200: OpenApiResponse(SubmitResult, description="The same submission, sent again"),
            409: OpenApiResponse(description="Different content under a used client_uuid"),
        },
        operation_id="compliance_violations_submit",
    )
    def post(self, request):
        data = request.data
        # Several photos arrive as repeated `photo` / `photos` parts of the multipart body.
        uploads = list(request.FILES.getlist("photo")) + list(request.FILES.getlist("photos"))
        fields = {k: data.get(k) for k in data if k not in ("photo", "photos")}
        for key in ("candidate", "place", "latitude", "longitude", "accuracy_m", "observed_at"):
            if fields.get(key) == "":
                fields[key] = None
        serializer = self.SubmitInput(data=fields)
        serializer.is_valid(raise_exception=True)
        values = serializer.validated_data
        election = election_for_reports(request.user, values.get("election"))
        if election is None:
            raise ValidationError(
                {"election": [_("There is no election you may file reports for.")]}
            )
        candidate = None
        if values.get("candidate"):
            candidate = election.candidates.filter(pk=values["candidate"]).first()
            if candidate is None:
                raise ValidationError(
                    {"candidate": [_("This candidate does not run in this election.")]}
                )
        place = None
        if values.get("place"):
            place = Place.objects.filter(pk=values["place"]).first()
            if place is None:
                raise ValidationError({"place": [_("Unknown place.")]})
        try:
            photos = read_photos(uploads)
        except ValidationError as exc:
            raise ValidationError({"photo": exc.messages}) from None
        try:
            violation, created = actions.do_submit_field_violation(
                actor=request.user,
                election=election,
                client_uuid=values["client_uuid"],
                description=values["description"],
                rule_category=values.get("rule_category", ""),
                candidate=candidate,
                place=place,
                address=values.get("address", ""),
                latitude=values.get("latitude"),
                longitude=values.get("longitude"),
                accuracy_m=values.get("accuracy_m"),
                observed_at=values.get("observed_at"),
                photos=photos,
            )
        except actions.IdempotencyConflict:
            return conflict_response()
        return Response(
            submit_result(violation),
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class ViolationDetailApi(APIView):
    @extend_schema(responses=ViolationOutput, operation_id="compliance_violations_detail")
    def get(self, request, violation_id: int):
        violation = access_violation(request.user, violation_id)
        return Response(ViolationOutput(violation, context={"request": request}).data)


class ViolationTransitionApi(APIView):
    class Input(serializers.Serializer):
        action = serializers.ChoiceField(
            choices=[*actions.TRANSITIONS, "take", "takeover", "release"]
        )
        reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)
        category = serializers.ChoiceField(
            choices=RuleCategory.choices, required=False, allow_blank=True
        )
        board = serializers.ChoiceField(
            choices=Violation.Board.choices, required=False, allow_blank=True
        )
        deadline = serializers.DateTimeField(required=False, allow_null=True)

    @extend_schema(
        request=Input, responses=ViolationOutput, operation_id="compliance_violations_transition"
    )
    def post(self, request, violation_id: int):
        violation = access_violation(request.user, violation_id, permission="compliance.triage")
        serializer = self.Input(data=request.data)
        serializer.is_valid(raise_exception=True)
        v = serializer.validated_data
        action = v["action"]
        if action in ("take", "takeover"):
            violation = actions.do_take_violation(
                actor=request.user, violation=violation, takeover=action == "takeover"
            )
        elif action == "release":
            violation = actions.do_release_violation(actor=request.user, violation=violation)
        else:
            violation = actions.do_transition_violation(
                actor=request.user, violation=violation, action=action,
                reason=v.get("reason", ""), category=v.get("category", ""),
                board=v.get("board", ""), deadline=v.get("deadline"),
            )  # fmt: skip
        violation = access_violation(request.user, violation.pk)
        return Response(ViolationOutput(violation, context={"request": request}).data)
