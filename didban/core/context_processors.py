from __future__ import annotations

from django.conf import settings
from django.utils import timezone

from didban.core.navigation import navigation_for


def didban(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"now": timezone.now(), "map_tiles_url": settings.MAP_TILES_URL}
    from didban.accounts.queries import list_memberships_of

    return {
        "now": timezone.now(),
        "map_tiles_url": settings.MAP_TILES_URL,
        "nav": navigation_for(request),
        "acting": getattr(request, "membership", None),
        "memberships": list_memberships_of(user),
    }
