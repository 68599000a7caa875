from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from didban.accounts.actions import do_create_organization
from didban.accounts.models import Organization
from didban.accounts.queries import access_organization, list_organizations
from didban.api.pagination import Pagination
from didban.places.queries import access_place


class OrganizationOutput(serializers.ModelSerializer):
    class Meta:
        model = Organization
        fields = [
            "id",
            "name",
            "name_en",
            "kind",
            "unit_type",
            "code",
            "parent",
            "place",
            "depth",
            "is_active",
        ]


class OrganizationListApi(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("search", str), OpenApiParameter("kind", str)],
        responses=OrganizationOutput(many=True),
        operation_id="organizations_list",
    )
    def get(self, request):
        orgs = list_organizations(
            request.user, search=request.query_params.get("search", "").strip()
        )
        if kind := request.query_params.get("kind"):
            orgs = orgs.filter(kind=kind)
        paginator = Pagination()
        page = paginator.paginate_queryset(orgs, request, view=self)
        return paginator.get_paginated_response(OrganizationOutput(page, many=True).data)


class OrganizationDetailApi(APIView):
    @extend_schema(responses=OrganizationOutput, operation_id="organizations_detail")
    def get(self, request, org_id: int):
        return Response(OrganizationOutput(access_organization(request.user, org_id)).data)


class OrganizationCreateApi(APIView):
    class Input(serializers.Serializer):
        parent = serializers.IntegerField()
        kind = serializers.ChoiceField(choices=Organization.Kind.choices)
        name = serializers.CharField(max_length=200)
        name_en = serializers.CharField(max_length=200, required=False, default="")
        code = serializers.SlugField(max_length=40)
        unit_type = serializers.ChoiceField(
            choices=Organization.UnitType.choices, required=False, default=""
        )
        place = serializers.IntegerField(required=False, allow_null=True, default=None)

    @extend_schema(
        request=Input, responses={201: OrganizationOutput}, operation_id="organizations_create"
    )
    def post(self, request):
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        parent = access_organization(request.user, values.pop("parent"), permission="org.manage")
        place_id = values.pop("place")
        place = access_place(request.user, place_id) if place_id else None
        org = do_create_organization(actor=request.user, parent=parent, place=place, **values)
        return Response(OrganizationOutput(org).data, status=status.HTTP_201_CREATED)
