"""The areas of Didban in the top bar: each shows only to users whose role reaches it.

A domain app lists its own areas in `<app>/navigation.py` (`AREAS`); they are appended here
at start-up (see core/hooks.py), after the core areas and before the API.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from didban.core.access import has_any


@dataclass(frozen=True)
class Area:
    url_name: str
    label: str | Promise
    icon: str
    permission: str


AREAS: list[Area] = [
    Area("home", _("Home"), "house", "org.view"),
    Area("accounts:organization_list", _("Organisations"), "diagram-3", "org.view"),
    Area("accounts:user_list", _("People"), "people", "users.view"),
    Area("places:place_list", _("Places"), "geo-alt", "places.view"),
    Area("core:audit_list", _("Audit log"), "journal-check", "audit.view"),
]

# Shown last, after the areas of the domain apps.
TRAILING_AREAS: list[Area] = [Area("api-docs", _("API"), "braces", "org.view")]


def navigation_for(request) -> list[dict]:
    user = request.user
    path = request.path
    items = []
    for area in [*AREAS, *TRAILING_AREAS]:
        if not has_any(user, area.permission):
            continue
        url = reverse(area.url_name)
        active = path == url if url == "/" else path.startswith(url)
        items.append({"url": url, "label": area.label, "icon": area.icon, "active": active})
    return items
