"""Display sites and placements as exports (XLSX, CSV, GeoJSON); see didban/core/exports.py.

The filters are those of the lists: sites — search, kind, area type (the sites page);
placements — window, state, area type, place (the window board and the coverage page).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from didban.core.exports import Column, ExportSource
from didban.field import queries
from didban.field.models import Placement, Site


def _lang() -> str:
    return "en" if (translation.get_language() or "fa").startswith("en") else "fa"


def _id(params: dict, name: str) -> int | None:
    raw = str(params.get(name) or "").strip()
    if not raw:
        return None
    if not raw.isdigit():
        raise ValidationError({name: _("Not a valid choice.")})
    return int(raw)


def _point(site: Site) -> tuple[float, float] | None:
    if site.latitude is None or site.longitude is None:
        return None
    return float(site.longitude), float(site.latitude)


# Sites


def site_filters(user, params: dict) -> dict:
    kind = params.get("kind") or ""
    area = params.get("area") or ""
    return {
        "q": str(params.get("q") or "").strip()[:100],
        "kind": kind if kind in Site.Kind.values else "",
        "area": area if area in Site.Area.values else "",
    }


def site_rows(user, filters: dict):
    return queries.list_sites(
        user,
        search=filters.get("q", ""),
        kind=filters.get("kind", ""),
        area=filters.get("area", ""),
    )


def site_columns(user) -> list[Column]:
    return [
        Column("id", gettext_lazy("Id"), "number"),
        Column("code", gettext_lazy("Code")),
        Column("name", gettext_lazy("Name")),
        Column("kind", gettext_lazy("Kind"), "choice", dict(Site.Kind.choices)),
        Column("area", gettext_lazy("Area type"), "choice", dict(Site.Area.choices)),
        Column("place", gettext_lazy("Place")),
        Column("latitude", gettext_lazy("Latitude"), "number"),
        Column("longitude", gettext_lazy("Longitude"), "number"),
        Column("address", gettext_lazy("Address")),
        Column("size", gettext_lazy("Size")),
        Column("owner", gettext_lazy("Owner")),
        Column("active", gettext_lazy("Active"), "bool"),
        Column("organisation", gettext_lazy("Organisation")),
        Column("created_at", gettext_lazy("Added"), "moment"),
    ]


def site_values(user, site: Site) -> dict:
    lang = _lang()
    return {
        "id": site.pk,
        "code": site.code,
        "name": site.name,
        "kind": site.kind,
        "area": site.area,
        "place": site.place.display_name(lang),
        "latitude": site.latitude,
        "longitude": site.longitude,
        "address": site.address,
        "size": site.size,
        "owner": site.owner_org.display_name(lang) if site.owner_org_id else site.owner_text,
        "active": site.is_active,
        "organisation": site.org.display_name(lang),
        "created_at": site.created_at,
    }


# Placements


def placement_filters(user, params: dict) -> dict:
    state = params.get("state") or ""
    area = params.get("area") or ""
    window_id = _id(params, "window")
    if window_id is not None:
        queries.access_window(user, window_id)  # 404 outside the user's scope
    place_id = _id(params, "place")
    if place_id is not None:
        from didban.places.models import Place

        if not Place.objects.filter(pk=place_id).exists():
            raise Http404
    return {
        "window": window_id,
        "state": state if state in Placement.State.values else "",
        "area": area if area in Site.Area.values else "",
        "place": place_id,
    }


def placement_rows(user, filters: dict):
    from didban.places.models import Place

    window = None
    if filters.get("window"):
        window = queries.access_window(user, filters["window"])
    place = Place.objects.filter(pk=filters["place"]).first() if filters.get("place") else None
    return queries.list_placements(
        user,
        window=window,
        state=filters.get("state", ""),
        area=filters.get("area", ""),
        place=place,
    )


def placement_columns(user) -> list[Column]:
    return [
        Column("id", gettext_lazy("Id"), "number"),
        Column("window", gettext_lazy("Window")),
        Column("window_starts", gettext_lazy("Window starts"), "day"),
        Column("window_ends", gettext_lazy("Window ends"), "day"),
        Column("state", gettext_lazy("State"), "choice", dict(Placement.State.choices)),
        Column("state_changed_at", gettext_lazy("State since"), "moment"),
        Column("site_id", gettext_lazy("Site id"), "number"),
        Column("site_code", gettext_lazy("Site code")),
        Column("site", gettext_lazy("Site")),
        Column("area", gettext_lazy("Area type"), "choice", dict(Site.Area.choices)),
        Column("place", gettext_lazy("Place")),
        Column("latitude", gettext_lazy("Latitude"), "number"),
        Column("longitude", gettext_lazy("Longitude"), "number"),
        Column("design_id", gettext_lazy("Design id"), "number"),
        Column("design", gettext_lazy("Design")),
    ]


def placement_values(user, placement: Placement) -> dict:
    site, window = placement.site, placement.window
    return {
        "id": placement.pk,
        "window": window.name,
        "window_starts": window.starts_on,
        "window_ends": window.ends_on,
        "state": placement.state,
        "state_changed_at": placement.state_changed_at,
        "site_id": site.pk,
        "site_code": site.code,
        "site": site.name,
        "area": site.area,
        "place": site.place.display_name(_lang()),
        "latitude": site.latitude,
        "longitude": site.longitude,
        "design_id": placement.design_id,
        "design": placement.design.title,
    }


SOURCES = [
    ExportSource(
        name="field.sites",
        label=gettext_lazy("Display sites"),
        permission="field.view",
        clean_filters=site_filters,
        queryset=site_rows,
        columns=site_columns,
        values=site_values,
        point=_point,
    ),
    ExportSource(
        name="field.placements",
        label=gettext_lazy("Placements"),
        permission="field.view",
        clean_filters=placement_filters,
        queryset=placement_rows,
        columns=placement_columns,
        values=placement_values,
        point=lambda placement: _point(placement.site),
        button_filters=lambda: [
            ("state", _("State"), Placement.State.choices),
            ("area", _("Area type"), Site.Area.choices),
        ],
    ),
]
