from django.shortcuts import get_object_or_404

from didban.api.models import ApiToken


def list_api_tokens(user):
    return ApiToken.objects.filter(user=user)


def access_api_token(user, token_id: int) -> ApiToken:
    return get_object_or_404(list_api_tokens(user), pk=token_id)
