"""API plumbing: the current user and their tokens. Domain endpoints live in each app's api.py."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from didban.accounts.queries import list_memberships_of
from didban.api.actions import do_issue_api_token, do_revoke_api_token
from didban.api.queries import access_api_token, list_api_tokens


class MembershipOutput(serializers.Serializer):
    id = serializers.IntegerField()
    org_id = serializers.IntegerField()
    org_name = serializers.CharField(source="org.name")
    role = serializers.CharField()
    title = serializers.CharField()


class MeApi(APIView):
    class Output(serializers.Serializer):
        id = serializers.IntegerField()
        username = serializers.CharField()
        full_name = serializers.CharField(source="get_full_name")
        language = serializers.CharField()
        memberships = MembershipOutput(many=True)

    @extend_schema(responses=Output, operation_id="me")
    def get(self, request):
        user = request.user
        data = {
            "id": user.pk,
            "username": user.username,
            "get_full_name": user.get_full_name(),
            "language": user.language,
            "memberships": list(list_memberships_of(user)),
        }
        return Response(self.Output(data).data)


class TokenOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    prefix = serializers.CharField()
    created_at = serializers.DateTimeField()
    last_used_at = serializers.DateTimeField(allow_null=True)
    revoked_at = serializers.DateTimeField(allow_null=True)


class TokenListApi(APIView):
    @extend_schema(responses=TokenOutput(many=True), operation_id="tokens_list")
    def get(self, request):
        return Response(TokenOutput(list_api_tokens(request.user), many=True).data)


class TokenIssueApi(APIView):
    class Input(serializers.Serializer):
        name = serializers.CharField(max_length=100)

    class Output(TokenOutput):
        key = serializers.CharField(help_text="shown once; store it now")

    @extend_schema(request=Input, responses={201: Output}, operation_id="tokens_issue")
    def post(self, request):
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        token, key = do_issue_api_token(actor=request.user, name=data.validated_data["name"])
        token.key = key
        return Response(self.Output(token).data, status=status.HTTP_201_CREATED)


class TokenRevokeApi(APIView):
    @extend_schema(request=None, responses=TokenOutput, operation_id="tokens_revoke")
    def post(self, request, token_id: int):
        token = do_revoke_api_token(
            actor=request.user, token=access_api_token(request.user, token_id)
        )
        return Response(TokenOutput(token).data)
