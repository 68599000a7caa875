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


def _point(prefix: str = ""):
    def point(row: dict) -> tuple[float, float] | None:
        lat, lon = row[prefix + "latitude"], row[prefix + "longitude"]
        if lat is None or lon is None:
            return None
        return float(lon), float(lat)

    return point


def _name(row: dict, english: bool, fa_key: str, en_key: str) -> str:
    return (row[en_key] if english and row[en_key] else row[fa_key]) or ""


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


SITE_FIELDS = (
    "code", "name", "kind", "area", "place__name_fa", "place__name_en", "latitude", "longitude",
    "address", "size", "owner_org_id", "owner_org__name", "owner_org__name_en", "owner_text",
    "is_active", "org__name", "org__name_en", "created_at",
)  # fmt: skip


def site_values(user):
    english = _lang() == "en"

    def values(row: dict) -> dict:
        owner = (
            _name(row, english, "owner_org__name", "owner_org__name_en")
            if row["owner_org_id"]
            else row["owner_text"]
        )
        return {
            "id": row["pk"],
            "code": row["code"],
            "name": row["name"],
            "kind": row["kind"],
            "area": row["area"],
            "place": _name(row, english, "place__name_fa", "place__name_en"),
            "latitude": row["latitude"],
            "longitude": row["longitude"],
            "address": row["address"],
            "size": row["size"],
            "owner": owner,
            "active": row["is_active"],
            "organisation": _name(row, english, "org__name", "org__name_en"),
            "created_at": row["created_at"],
        }

    return values


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


PLACEMENT_FIELDS = (
    "window__name", "window__starts_on", "window__ends_on", "state", "state_changed_at",
    "site_id", "site__code", "site__name", "site__area", "site__place__name_fa",
    "site__place__name_en", "site__latitude", "site__longitude", "design_id", "design__title",
)  # fmt: skip


def placement_values(user):
    english = _lang() == "en"

    def values(row: dict) -> dict:
        return {
            "id": row["pk"],
            "window": row["window__name"],
            "window_starts": row["window__starts_on"],
            "window_ends": row["window__ends_on"],
            "state": row["state"],
            "state_changed_at": row["state_changed_at"],
            "site_id": row["site_id"],
            "site_code": row["site__code"],
            "site": row["site__name"],
            "area": row["site__area"],
            "place": _name(row, english, "site__place__name_fa", "site__place__name_en"),
            "latitude": row["site__latitude"],
            "longitude": row["site__longitude"],
            "design_id": row["design_id"],
            "design": row["design__title"],
        }

    return values


SOURCES = [
    ExportSource(
        name="field.sites",
        label=gettext_lazy("Display sites"),
        permission="field.view",
        clean_filters=site_filters,
        queryset=site_rows,
        columns=site_columns,
        values=site_values,
        point=_point(),
        fields=SITE_FIELDS,
    ),
    ExportSource(
        name="field.placements",
        label=gettext_lazy("Placements"),
        permission="field.view",
        clean_filters=placement_filters,
        queryset=placement_rows,
        columns=placement_columns,
        values=placement_values,
        point=_point("site__"),
        fields=PLACEMENT_FIELDS,
        button_filters=lambda: [
            ("state", _("State"), Placement.State.choices),
            ("area", _("Area type"), Site.Area.choices),
        ],
    ),
]
