from __future__ import annotations

import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from didban.api.models import ApiToken
from didban.core import audit

MAX_ACTIVE_TOKENS = 20


def do_issue_api_token(*, actor, name: str) -> tuple[ApiToken, str]:
    """A new token for the actor; the key is returned once and never stored."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name, such as the device it is for.")})
    if ApiToken.objects.filter(user=actor, revoked_at__isnull=True).count() >= MAX_ACTIVE_TOKENS:
        raise ValidationError(_("You have too many active tokens; revoke one first."))
    key = "dbn_" + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=actor, name=name[:100], prefix=key[:12], key_hash=ApiToken.hash_key(key)
        )
        audit.record(actor=actor, verb="api_token.issue", obj=token, after={"name": token.name})
    return token, key


def do_revoke_api_token(*, actor, token: ApiToken) -> ApiToken:
    if token.user_id != actor.pk and not actor.is_superuser:
        raise PermissionDenied
    if token.revoked_at is not None:
        return token
    with transaction.atomic():
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record(actor=actor, verb="api_token.revoke", obj=token)
    return token
