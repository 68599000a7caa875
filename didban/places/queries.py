"""Reads of places. Places are public reference data: any logged-in member may read them."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from didban.core.access import has_any
from didban.lib.persian import normalize
from didban.places.models import Place


def list_places(user, *, search: str = "", kind: str = "", within: Place | None = None) -> QuerySet:
    if not has_any(user, "places.view"):
        raise PermissionDenied
    places = Place.objects.select_related("parent", "parent__parent")
    if search:
        needle = normalize(search)
        # Prefix matches first is the picker's job; here every place containing the text.
        places = places.filter(name_norm__contains=needle)
    if kind:
        places = places.filter(kind=kind)
    if within is not None:
        places = places.filter(path__startswith=within.path)
    return places


def search_places(user, text: str, *, limit: int = 20, kind: str = "") -> list[Place]:
    """Picker results: names starting with the text first, then names containing it."""
    needle = normalize(text)
    if not needle:
        return []
    base = list_places(user, kind=kind)
    starts = list(base.filter(name_norm__startswith=needle).order_by("name_norm", "path")[:limit])
    if len(starts) < limit:
        seen = [p.pk for p in starts]
        starts += list(
            base.filter(name_norm__contains=needle)
            .exclude(pk__in=seen)
            .order_by("name_norm", "path")[: limit - len(starts)]
        )
    return starts


def access_place(user, place_id: int) -> Place:
    return get_object_or_404(list_places(user), pk=place_id)
