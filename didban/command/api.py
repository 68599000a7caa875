"""The command room under /api/v1/command/: figures of an organisation, the feed, targets."""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from didban.command import actions, queries
from didban.command.feed import as_event
from didban.command.models import Target
from didban.command.rollup import floor
from didban.command.targets import MEASURES, progress


def _org(request):
    queries.require_view(request.user)
    org_id = request.query_params.get("org", "")
    if org_id:
        if not org_id.isdigit():
            raise serializers.ValidationError({"org": "not an organisation id"})
        return queries.access_org(request.user, int(org_id))
    org = queries.default_org(request.user)
    if org is None:
        raise PermissionDenied
    return org


class FiguresApi(APIView):
    class Output(serializers.Serializer):
        org = serializers.IntegerField()
        since = serializers.DateTimeField()
        totals = serializers.DictField(child=serializers.IntegerField())
        levels = serializers.DictField(child=serializers.IntegerField())
        children = serializers.ListField(child=serializers.DictField())

    @extend_schema(
        parameters=[OpenApiParameter("org", int), OpenApiParameter("hours", int)],
        responses=Output,
        operation_id="command_figures",
    )
    def get(self, request):
        org = _org(request)
        hours = request.query_params.get("hours", "24")
        hours = min(int(hours), 24 * 31) if hours.isdigit() and int(hours) > 0 else 24
        now = timezone.now()
        since = now - timedelta(hours=hours)
        end = floor(now, 60) + timedelta(hours=1)  # to the end of the current hour
        children = [
            {"org": kid.pk, "name": kid.name, "figures": sums}
            for kid, sums in queries.by_child(org, since, end)
        ]
        data = {
            "org": org.pk,
            "since": since,
            "totals": queries.totals(org, since, end),
            "levels": queries.gauges(org),
            "children": children,
        }
        return Response(self.Output(data).data)


class FeedApi(APIView):
    class Event(serializers.Serializer):
        seq = serializers.IntegerField()
        verb = serializers.CharField()
        label = serializers.CharField()
        icon = serializers.CharField()
        kind = serializers.CharField()
        object = serializers.CharField()
        org = serializers.CharField()
        actor = serializers.CharField()
        at = serializers.DateTimeField()
        time = serializers.CharField()

    class Output(serializers.Serializer):
        events = serializers.ListField(child=serializers.DictField())

    @extend_schema(
        parameters=[OpenApiParameter("org", int), OpenApiParameter("after", int)],
        responses=Output,
        operation_id="command_feed",
    )
    def get(self, request):
        org = _org(request)
        after = request.query_params.get("after", "0")
        entries = queries.feed_entries(
            request.user, after=int(after) if after.isdigit() else 0, org=org
        )
        events = self.Event([as_event(e) for e in entries], many=True).data
        return Response(self.Output({"events": events}).data)


class TargetSetApi(APIView):
    class Input(serializers.Serializer):
        org = serializers.IntegerField()
        metric = serializers.ChoiceField(choices=list(MEASURES))
        value = serializers.IntegerField(min_value=1)
        starts_on = serializers.DateField()
        ends_on = serializers.DateField()
        note = serializers.CharField(max_length=200, required=False, default="")

    class Output(serializers.ModelSerializer):
        class Meta:
            model = Target
            fields = ["id", "org", "metric", "value", "starts_on", "ends_on", "note"]

    @extend_schema(request=Input, responses=Output, operation_id="command_target_set")
    def post(self, request):
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        org = queries.access_org(request.user, values.pop("org"), "command.targets")
        target = actions.do_set_target(actor=request.user, org=org, **values)
        p = progress(target, request.user)
        body = self.Output(target).data | {"current": p.current, "pace_needed": p.pace_needed}
        return Response(body, status=status.HTTP_201_CREATED)
