"""REST endpoints of monitoring: sources, article search, topic validation, filtering."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from didban.api.pagination import Pagination
from didban.core.access import has_any
from didban.monitoring import actions, queries
from didban.monitoring.forms import ArticleSearchForm
from didban.monitoring.models import Article, Outlet, Source, TopicHit
from didban.monitoring.rules import RuleError, parse_rule
from didban.monitoring.search import find_articles, highlight


class SourceOutput(serializers.ModelSerializer):
    outlet = serializers.CharField(source="outlet.name")
    outlet_kind = serializers.CharField(source="outlet.kind")
    healthy = serializers.BooleanField()
    silent_too_long = serializers.BooleanField()
    error = serializers.CharField(source="error_text")

    class Meta:
        model = Source
        fields = [
            "id", "name", "kind", "url", "outlet", "outlet_kind", "is_active", "poll_minutes",
            "last_success_at", "consecutive_failures", "error", "items_per_day", "healthy",
            "silent_too_long", "silent_since", "silent_hours", "next_fetch_at",
        ]  # fmt: skip


class SourceListApi(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("problems", str, description="1: only failing or silent sources")
        ],
        responses=SourceOutput(many=True),
        operation_id="monitoring_sources_list",
    )
    def get(self, request):
        sources = queries.list_sources(request.user).order_by("name")
        if request.query_params.get("problems") == "1":
            sources = sources.filter(queries.PROBLEMS)
        paginator = Pagination()
        page = paginator.paginate_queryset(sources, request, view=self)
        return paginator.get_paginated_response(SourceOutput(page, many=True).data)


class SourceUpdateApi(APIView):
    """Change a source: only the fields sent change (PATCH), through ``do_update_source``."""

    class Input(serializers.Serializer):
        outlet = serializers.IntegerField(required=False, min_value=1)
        name = serializers.CharField(required=False, allow_blank=True, max_length=200)
        kind = serializers.ChoiceField(choices=Source.Kind.choices, required=False)
        url = serializers.CharField(required=False, max_length=1000)
        place = serializers.IntegerField(required=False, allow_null=True, min_value=1)
        poll_minutes = serializers.IntegerField(required=False)
        silent_hours = serializers.IntegerField(required=False)
        fetch_full_text = serializers.BooleanField(required=False)
        is_active = serializers.BooleanField(required=False)

    @extend_schema(request=Input, responses=SourceOutput, operation_id="monitoring_sources_update")
    def patch(self, request, source_id: int):
        from didban.places.models import Place

        source = queries.access_source(request.user, source_id)
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        given = data.validated_data
        values = {
            "outlet": source.outlet, "name": source.name, "kind": source.kind,
            "url": source.url, "place": source.place, "poll_minutes": source.poll_minutes,
            "silent_hours": source.silent_hours, "fetch_full_text": source.fetch_full_text,
            "is_active": source.is_active,
        }  # fmt: skip
        values.update({k: v for k, v in given.items() if k not in ("outlet", "place")})
        if "outlet" in given:
            values["outlet"] = Outlet.objects.filter(pk=given["outlet"], org=source.org).first()
            if values["outlet"] is None:
                raise ValidationError({"outlet": _("Choose an outlet of this organisation.")})
        if "place" in given:
            values["place"] = given["place"] and Place.objects.filter(pk=given["place"]).first()
            if given["place"] and values["place"] is None:
                raise ValidationError({"place": _("Unknown place.")})
        source = actions.do_update_source(actor=request.user, source=source, **values)
        return Response(SourceOutput(source).data)


class ArticleOutput(serializers.ModelSerializer):
    outlet = serializers.CharField(source="outlet.name")
    snippet = serializers.SerializerMethodField()

    class Meta:
        model = Article
        fields = ["id", "title", "url", "outlet", "author", "published_at", "story", "snippet"]

    def get_snippet(self, article) -> str:
        return str(highlight(article.text, self.context.get("node")))


class ArticleSearchApi(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("q", str, description="query in the topic rule language"),
            OpenApiParameter("order", str, enum=["relevance", "newest"]),
            OpenApiParameter("source", int),
            OpenApiParameter("outlet_kind", str, enum=Outlet.Kind.values),
            OpenApiParameter("place", int, description="a place and everything within it"),
            OpenApiParameter("topic", int),
            OpenApiParameter("tone", str, enum=TopicHit.Tone.values),
            OpenApiParameter("story", int),
            OpenApiParameter("since", str, description="Jalali date, e.g. 1402/12/01"),
            OpenApiParameter("until", str, description="Jalali date, e.g. 1402/12/08"),
            OpenApiParameter(
                "all_dates", bool, description="do not limit a very common query to recent days"
            ),
        ],
        responses=ArticleOutput(many=True),
        operation_id="monitoring_articles_search",
    )
    def get(self, request):
        user = request.user
        form = ArticleSearchForm(
            request.query_params,
            sources=queries.list_sources(user),
            topics=queries.list_topics(user),
        )
        if not form.is_valid():
            raise ValidationError({k: [str(e) for e in v] for k, v in form.errors.items()})
        found = find_articles(user, form.cleaned_data)
        if found.error:
            raise ValidationError({"q": found.error})
        paginator = Pagination()
        page = paginator.paginate_queryset(found.articles, request, view=self)
        data = ArticleOutput(page, many=True, context={"node": found.node}).data
        response = paginator.get_paginated_response(data)
        if found.recent_since is not None:
            response["X-Didban-Recent-Since"] = found.recent_since.isoformat(timespec="seconds")
        return response


class TopicValidateApi(APIView):
    class Input(serializers.Serializer):
        rule = serializers.CharField(max_length=3000, trim_whitespace=False)

    class Output(serializers.Serializer):
        valid = serializers.BooleanField()
        message = serializers.CharField(allow_blank=True)
        column = serializers.IntegerField(allow_null=True)

    @extend_schema(request=Input, responses=Output, operation_id="monitoring_topics_validate")
    def post(self, request):
        if not has_any(request.user, "monitoring.view"):
            raise PermissionDenied
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            parse_rule(data.validated_data["rule"])
        except RuleError as exc:
            return Response({"valid": False, "message": exc.message, "column": exc.column})
        return Response({"valid": True, "message": "", "column": None})


class HitOutput(serializers.ModelSerializer):
    topic = serializers.CharField(source="topic.name")
    title = serializers.CharField(source="article.title")
    url = serializers.CharField(source="article.url")

    class Meta:
        model = TopicHit
        fields = ["id", "topic", "title", "url", "state", "tone", "importance", "note", "hour"]


class HitListApi(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("state", str, enum=TopicHit.State.values)],
        responses=HitOutput(many=True),
        operation_id="monitoring_hits_list",
    )
    def get(self, request):
        hits = queries.list_hits(request.user, permission="monitoring.filter")
        state = request.query_params.get("state", "")
        if state in TopicHit.State.values:
            hits = hits.filter(state=state)
        paginator = Pagination()
        page = paginator.paginate_queryset(hits.order_by("-pk"), request, view=self)
        return paginator.get_paginated_response(HitOutput(page, many=True).data)


class HitReviewApi(APIView):
    class Input(serializers.Serializer):
        state = serializers.ChoiceField(choices=TopicHit.State.choices, required=False)
        tone = serializers.ChoiceField(
            choices=[("", ""), *TopicHit.Tone.choices], required=False, allow_blank=True
        )
        importance = serializers.ChoiceField(choices=TopicHit.Importance.choices, required=False)
        note = serializers.CharField(required=False, allow_blank=True, max_length=2000)

    @extend_schema(request=Input, responses=HitOutput, operation_id="monitoring_hits_review")
    def post(self, request, hit_id: int):
        hit = queries.access_hit(request.user, hit_id)
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        hit = actions.do_review_hit(actor=request.user, hit=hit, **data.validated_data)
        return Response(HitOutput(hit).data)
