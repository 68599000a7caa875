"""Violation reports as exports (XLSX, CSV, GeoJSON); see didban/core/exports.py.

The filters are the desk's (status — open by default, as on the desk — category, candidate,
source, overdue, likely duplicates, mine, search, received from/to). Who reported is exported
only to those who may see it on the desk (`compliance.supervise`): the columns are absent for
everyone else, and empty on rows of an organisation where the person is not a supervisor.
"""

from __future__ import annotations

from datetime import date

from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext_lazy

from didban.compliance.models import Candidate, RuleCategory, Violation
from didban.compliance.queries import (
    ViolationFilter,
    list_elections,
    list_violations,
    reporter_identity,
    violation_filter_from,
)
from didban.core.access import has_any
from didban.core.exports import Column, ExportSource


def _lang() -> str:
    return "en" if (translation.get_language() or "fa").startswith("en") else "fa"


def violation_filters(user, params: dict) -> dict:
    f = violation_filter_from(params)
    if f.candidate_id is not None:
        candidates = Candidate.objects.filter(election__in=list_elections(user))
        if not candidates.filter(pk=f.candidate_id).exists():
            raise Http404
    return {
        "status": f.status or "all",
        "category": f.category,
        "candidate": f.candidate_id,
        "source": f.source,
        "overdue": f.overdue,
        "duplicates": f.duplicates,
        "mine": f.mine,
        "q": f.search,
        "from": f.since.isoformat() if f.since else "",
        "to": f.until.isoformat() if f.until else "",
    }


def violation_rows(user, filters: dict):
    f = ViolationFilter(
        status="" if filters.get("status") in ("all", "", None) else filters["status"],
        category=filters.get("category", ""),
        candidate_id=filters.get("candidate"),
        source=filters.get("source", ""),
        overdue=bool(filters.get("overdue")),
        duplicates=bool(filters.get("duplicates")),
        mine=bool(filters.get("mine")),
        search=filters.get("q", ""),
        since=date.fromisoformat(filters["from"]) if filters.get("from") else None,
        until=date.fromisoformat(filters["to"]) if filters.get("to") else None,
    )
    rows = list_violations(user, f)
    if has_any(user, "compliance.supervise"):
        rows = rows.select_related("reporter", "org")
    return rows


def violation_columns(user) -> list[Column]:
    columns = [
        Column("id", gettext_lazy("Number"), "number"),
        Column("tracking_code", gettext_lazy("Tracking code")),
        Column("election", gettext_lazy("Election")),
        Column("status", gettext_lazy("Status"), "choice", dict(Violation.Status.choices)),
        Column("category", gettext_lazy("Category"), "choice", dict(RuleCategory.choices)),
        Column("source", gettext_lazy("Source"), "choice", dict(Violation.Source.choices)),
        Column("candidate", gettext_lazy("Candidate")),
        Column("place", gettext_lazy("Place")),
        Column("address", gettext_lazy("Address")),
        Column("latitude", gettext_lazy("Latitude"), "number"),
        Column("longitude", gettext_lazy("Longitude"), "number"),
        Column("observed_at", gettext_lazy("Observed at"), "moment"),
        Column("created_at", gettext_lazy("Received at"), "moment"),
        Column("handler", gettext_lazy("Handler")),
        Column("referred_to", gettext_lazy("Referred to"), "choice", dict(Violation.Board.choices)),
        Column("referral_deadline", gettext_lazy("Referral deadline"), "moment"),
        Column("description", gettext_lazy("Description")),
        Column("status_reason", gettext_lazy("Reason")),
    ]
    if has_any(user, "compliance.supervise"):
        columns += [
            Column("reporter_name", gettext_lazy("Reporter")),
            Column("reporter_phone", gettext_lazy("Reporter's phone")),
        ]
    return columns


def violation_values(user, v: Violation) -> dict:
    values = {
        "id": v.pk,
        "tracking_code": v.tracking_code,
        "election": v.election.name,
        "status": v.status,
        "category": v.rule_category or v.suggested_category,
        "source": v.source,
        "candidate": str(v.candidate) if v.candidate_id else "",
        "place": v.place.display_name(_lang()) if v.place_id else "",
        "address": v.address,
        "latitude": v.latitude,
        "longitude": v.longitude,
        "observed_at": v.observed_at,
        "created_at": v.created_at,
        "handler": str(v.handler) if v.handler_id else "",
        "referred_to": v.referred_to,
        "referral_deadline": v.referral_deadline,
        "description": v.description,
        "status_reason": v.status_reason,
    }
    identity = reporter_identity(user, v)
    if identity is not None:
        values["reporter_name"] = identity.get("name", "")
        values["reporter_phone"] = identity.get("phone", "")
    return values


def violation_point(v: Violation) -> tuple[float, float] | None:
    if v.latitude is None or v.longitude is None:
        return None
    return float(v.longitude), float(v.latitude)


SOURCES = [
    ExportSource(
        name="compliance.violations",
        label=gettext_lazy("Violation reports"),
        permission="compliance.view",
        clean_filters=violation_filters,
        queryset=violation_rows,
        columns=violation_columns,
        values=violation_values,
        point=violation_point,
    )
]
