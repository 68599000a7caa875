"""Publishing under /api/v1/: one view per operation, calling the same actions as the pages."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from didban.api.pagination import Pagination
from didban.core.access import has_any
from didban.publishing.actions import RECONCILE_OUTCOMES, do_reconcile_delivery, do_retry_delivery
from didban.publishing.models import Channel, Delivery
from didban.publishing.queries import access_delivery, list_channels, list_deliveries


def _require_view(request) -> None:
    if not has_any(request.user, "publishing.view"):
        raise PermissionDenied


class ChannelOutput(serializers.ModelSerializer):
    has_secret = serializers.BooleanField(read_only=True)

    class Meta:
        model = Channel
        # Never the secret: only whether one is set, and since when.
        fields = [
            "id", "org", "kind", "name", "target", "base_url", "rate_per_minute", "enabled",
            "covers_suborgs", "has_secret", "secret_set_at",
        ]  # fmt: skip


class DeliveryOutput(serializers.ModelSerializer):
    news_code = serializers.CharField(source="item.news_code", read_only=True)
    channel_name = serializers.CharField(source="channel.name", read_only=True)

    class Meta:
        model = Delivery
        fields = [
            "id", "org", "item", "news_code", "channel", "channel_name", "status", "attempts",
            "next_retry_at", "external_ids", "external_url", "last_error", "followup",
            "followup_note", "queued_at", "sent_at", "updated_at",
        ]  # fmt: skip


class ChannelListApi(APIView):
    @extend_schema(responses=ChannelOutput(many=True), operation_id="publishing_channels_list")
    def get(self, request):
        _require_view(request)
        channels = list_channels(request.user).order_by("pk")
        paginator = Pagination()
        page = paginator.paginate_queryset(channels, request, view=self)
        return paginator.get_paginated_response(ChannelOutput(page, many=True).data)


class DeliveryListApi(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("status", str, enum=Delivery.Status.values),
            OpenApiParameter("channel", int),
            OpenApiParameter("item", int),
        ],
        responses=DeliveryOutput(many=True),
        operation_id="publishing_deliveries_list",
    )
    def get(self, request):
        _require_view(request)
        status = request.query_params.get("status", "")
        if status and status not in Delivery.Status.values:
            raise serializers.ValidationError({"status": "unknown status"})

        def number(name):
            value = request.query_params.get(name) or None
            if value is None:
                return None
            try:
                return int(value)
            except ValueError:
                raise serializers.ValidationError({name: "must be a number"}) from None

        deliveries = list_deliveries(
            request.user, status=status, channel_id=number("channel"), item_id=number("item")
        ).order_by("-queued_at", "-pk")
        paginator = Pagination()
        page = paginator.paginate_queryset(deliveries, request, view=self)
        return paginator.get_paginated_response(DeliveryOutput(page, many=True).data)


class DeliveryRetryApi(APIView):
    @extend_schema(request=None, responses=DeliveryOutput, operation_id="publishing_delivery_retry")
    def post(self, request, delivery_id: int):
        delivery = access_delivery(request.user, delivery_id)
        do_retry_delivery(actor=request.user, delivery=delivery)
        return Response(DeliveryOutput(access_delivery(request.user, delivery_id)).data)


class DeliveryReconcileApi(APIView):
    class Input(serializers.Serializer):
        outcome = serializers.ChoiceField(choices=RECONCILE_OUTCOMES)
        message_id = serializers.CharField(
            max_length=200, required=False, default="", allow_blank=True
        )
        note = serializers.CharField(max_length=500, required=False, default="", allow_blank=True)

    @extend_schema(
        request=Input, responses=DeliveryOutput, operation_id="publishing_delivery_reconcile"
    )
    def post(self, request, delivery_id: int):
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        delivery = access_delivery(request.user, delivery_id)
        do_reconcile_delivery(actor=request.user, delivery=delivery, **data.validated_data)
        return Response(DeliveryOutput(access_delivery(request.user, delivery_id)).data)
