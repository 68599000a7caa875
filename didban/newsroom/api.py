"""The newsroom API: one view per operation, calling the same actions as the pages."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from didban.accounts.queries import access_organization
from didban.api.pagination import Pagination
from didban.newsroom import actions, queries
from didban.newsroom.models import Asset, Item


class ItemOutput(serializers.ModelSerializer):
    public_url = serializers.SerializerMethodField()
    assets = serializers.SerializerMethodField()

    class Meta:
        model = Item
        fields = [
            "id", "org", "news_code", "kind", "status", "title", "lead", "body", "tags",
            "occasion", "event", "unit", "author", "assignee", "due_at", "scheduled_at",
            "published_at", "corrected_at", "correction_note", "retracted_at",
            "retraction_reason", "version", "created_at", "updated_at", "public_url", "assets",
        ]  # fmt: skip

    def get_public_url(self, item) -> str | None:
        return item.public_url() if item.is_public or item.status == Item.Status.RETRACTED else None

    def get_assets(self, item) -> list[int]:
        return [link.asset_id for link in item.item_assets.all()]


class AssetOutput(serializers.ModelSerializer):
    class Meta:
        model = Asset
        fields = ["id", "org", "kind", "mime", "original_name", "size", "sha256", "width", "height"]


class ItemListApi(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("status", str), OpenApiParameter("kind", str),
            OpenApiParameter("search", str),
        ],
        responses=ItemOutput(many=True), operation_id="newsroom_items_list",
    )  # fmt: skip
    def get(self, request):
        params = request.query_params
        items = queries.list_items(
            request.user,
            status=params.get("status", ""),
            kind=params.get("kind", ""),
            search=params.get("search", "").strip()[:200],
        ).prefetch_related("item_assets")
        paginator = Pagination()
        page = paginator.paginate_queryset(items, request, view=self)
        return paginator.get_paginated_response(ItemOutput(page, many=True).data)


class ItemDetailApi(APIView):
    @extend_schema(responses=ItemOutput, operation_id="newsroom_items_detail")
    def get(self, request, item_id: int):
        return Response(ItemOutput(queries.access_item(request.user, item_id)).data)


class ItemCreateApi(APIView):
    class Input(serializers.Serializer):
        org = serializers.IntegerField()
        kind = serializers.ChoiceField(choices=Item.Kind.choices, default=Item.Kind.NEWS)
        title = serializers.CharField(max_length=300)
        lead = serializers.CharField(required=False, default="", allow_blank=True)
        body = serializers.CharField(required=False, default="", allow_blank=True)
        tags = serializers.ListField(
            child=serializers.CharField(max_length=60), required=False, default=list
        )
        due_at = serializers.DateTimeField(required=False, allow_null=True, default=None)

    @extend_schema(request=Input, responses={201: ItemOutput}, operation_id="newsroom_items_create")
    def post(self, request):
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        org = access_organization(request.user, values.pop("org"), permission="newsroom.edit")
        item = actions.do_create_item(actor=request.user, org=org, **values)
        return Response(ItemOutput(item).data, status=status.HTTP_201_CREATED)


class _TransitionApi(APIView):
    verb = ""

    class Input(serializers.Serializer):
        pass

    def act(self, request, item, data):  # pragma: no cover - overridden
        raise NotImplementedError

    def post(self, request, item_id: int):
        item = queries.access_item(request.user, item_id)
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        item = self.act(request, item, data.validated_data)
        return Response(ItemOutput(item).data)


class ItemSubmitApi(_TransitionApi):
    @extend_schema(request=None, responses=ItemOutput, operation_id="newsroom_items_submit")
    def post(self, request, item_id: int):
        return super().post(request, item_id)

    def act(self, request, item, data):
        return actions.do_submit_item(actor=request.user, item=item)


class ItemApproveApi(_TransitionApi):
    @extend_schema(request=None, responses=ItemOutput, operation_id="newsroom_items_approve")
    def post(self, request, item_id: int):
        return super().post(request, item_id)

    def act(self, request, item, data):
        return actions.do_approve_item(actor=request.user, item=item)


class ItemPublishApi(_TransitionApi):
    @extend_schema(request=None, responses=ItemOutput, operation_id="newsroom_items_publish")
    def post(self, request, item_id: int):
        return super().post(request, item_id)

    def act(self, request, item, data):
        return actions.do_publish_item(actor=request.user, item=item)


class ItemRetractApi(_TransitionApi):
    class Input(serializers.Serializer):
        reason = serializers.CharField(max_length=2000)

    @extend_schema(request=Input, responses=ItemOutput, operation_id="newsroom_items_retract")
    def post(self, request, item_id: int):
        return super().post(request, item_id)

    def act(self, request, item, data):
        return actions.do_retract_item(actor=request.user, item=item, reason=data["reason"])


class AssetUploadApi(APIView):
    parser_classes = [MultiPartParser, FormParser]

    class Input(serializers.Serializer):
        file = serializers.FileField()
        item = serializers.IntegerField(required=False, allow_null=True, default=None)
        org = serializers.IntegerField(required=False, allow_null=True, default=None)
        caption = serializers.CharField(
            required=False, default="", allow_blank=True, max_length=500
        )

    @extend_schema(
        request={"multipart/form-data": Input},
        responses={201: AssetOutput, 200: AssetOutput},
        operation_id="newsroom_assets_upload",
    )
    def post(self, request):
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        item = queries.access_item(request.user, values["item"]) if values["item"] else None
        if item is not None:
            org = item.org
        elif values["org"]:
            org = access_organization(request.user, values["org"], permission="newsroom.edit")
        else:
            raise serializers.ValidationError({"org": ["Give the item or the organisation."]})
        asset, created = actions.do_upload_asset(actor=request.user, org=org, upload=values["file"])
        if item is not None:
            actions.do_attach_asset(
                actor=request.user, item=item, asset=asset, caption=values["caption"]
            )
        return Response(
            AssetOutput(asset).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )
