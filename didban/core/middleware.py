from __future__ import annotations

from django.conf import settings
from django.utils import translation

from didban.core.context import RequestContext, current

ACTING_SESSION_KEY = "didban_acting_membership"


def client_ip(request) -> str | None:
    """The client address; with DIDBAN_PROXY_COUNT trusted proxies, read X-Forwarded-For."""
    proxies = settings.AXES_IPWARE_PROXY_COUNT or 0
    if proxies:
        forwarded = [
            p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if p.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR") or None


class UserLanguageMiddleware:
    """A logged-in user reads Didban in the language saved on their profile."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        return self.get_response(request)


class ActingOrganizationMiddleware:
    """`request.membership`: the membership the user acts through (chosen in the top bar)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.membership = None
        request.org = None
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            from didban.accounts.queries import acting_membership

            membership = acting_membership(user, request.session.get(ACTING_SESSION_KEY))
            if membership is not None:
                request.membership = membership
                request.org = membership.org
        return self.get_response(request)


class AuditContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current.set(RequestContext(ip=client_ip(request)))
        try:
            return self.get_response(request)
        finally:
            current.reset(token)
