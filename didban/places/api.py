from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from didban.api.pagination import Pagination
from didban.places.models import Place
from didban.places.queries import access_place, list_places


class PlaceOutput(serializers.ModelSerializer):
    full_name = serializers.SerializerMethodField()

    class Meta:
        model = Place
        fields = [
            "id",
            "code",
            "kind",
            "name_fa",
            "name_en",
            "full_name",
            "parent",
            "latitude",
            "longitude",
        ]

    def get_full_name(self, place: Place) -> str:
        return place.full_name("fa")


class PlaceListApi(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("search", str, description="Persian or Arabic spelling, normalised"),
            OpenApiParameter("kind", str, enum=Place.Kind.values),
            OpenApiParameter("within", int, description="id of a place whose subtree to list"),
        ],
        responses=PlaceOutput(many=True),
        operation_id="places_list",
    )
    def get(self, request):
        params = request.query_params
        within = None
        if params.get("within", "").isdigit():
            within = access_place(request.user, int(params["within"]))
        places = list_places(
            request.user,
            search=params.get("search", "").strip(),
            kind=params.get("kind", ""),
            within=within,
        ).order_by("path")
        paginator = Pagination()
        page = paginator.paginate_queryset(places, request, view=self)
        return paginator.get_paginated_response(PlaceOutput(page, many=True).data)


class PlaceDetailApi(APIView):
    @extend_schema(responses=PlaceOutput, operation_id="places_detail")
    def get(self, request, place_id: int):
        return Response(PlaceOutput(access_place(request.user, place_id)).data)
