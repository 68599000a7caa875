"""Violation reports as exports (XLSX, CSV, GeoJSON); see didban/core/exports.py.

The filters are the desk's (status — open by default, as on the desk — category, candidate,
source, overdue, likely duplicates, mine, search, received from/to). Who reported is exported
only to those who may see it on the desk (`compliance.supervise`): the columns are absent for
everyone else, and empty on rows of an organisation where the person is not a supervisor.
"""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext_lazy

from didban.accounts.models import Organization, User
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
    f = violation_filter_from(params, user)
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
    return list_violations(user, f)


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


VIOLATION_FIELDS = (
    "tracking_code", "election__name", "status", "rule_category", "suggested_category",
    "source", "candidate_id", "candidate__name", "candidate__code", "place_id",
    "place__name_fa", "place__name_en", "address", "latitude", "longitude", "observed_at",
    "created_at", "handler_id", "handler__first_name", "handler__last_name",
    "handler__username", "referred_to", "referral_deadline", "description", "status_reason",
    "org_id", "reporter_id", "citizen_name", "citizen_phone",
)  # fmt: skip


def _person(first: str, last: str, username: str) -> str:
    return f"{first or ''} {last or ''}".strip() or username or ""


def violation_values(user):
    english = _lang() == "en"
    identities = has_any(user, "compliance.supervise")
    orgs: dict[int, Organization] = {}
    reporters: dict[int, User] = {}

    def identity(row: dict) -> dict | None:
        """What `reporter_identity` (the desk's one rule) shows this user of the row's reporter."""
        org_id, reporter_id = row["org_id"], row["reporter_id"]
        if org_id not in orgs:
            orgs[org_id] = Organization.objects.get(pk=org_id)
        if reporter_id and reporter_id not in reporters:
            reporters[reporter_id] = User.objects.get(pk=reporter_id)
        report = SimpleNamespace(
            org=orgs[org_id], source=row["source"], citizen_name=row["citizen_name"],
            citizen_phone=row["citizen_phone"], reporter=reporters.get(reporter_id),
        )  # fmt: skip
        return reporter_identity(user, report)

    def values(row: dict) -> dict:
        candidate = ""
        if row["candidate_id"]:
            name, code = row["candidate__name"], row["candidate__code"]
            candidate = f"{name} ({code})" if code else name
        place = ""
        if row["place_id"]:
            place = (
                row["place__name_en"]
                if english and row["place__name_en"]
                else row["place__name_fa"]
            )
        out = {
            "id": row["pk"],
            "tracking_code": row["tracking_code"],
            "election": row["election__name"],
            "status": row["status"],
            "category": row["rule_category"] or row["suggested_category"],
            "source": row["source"],
            "candidate": candidate,
            "place": place,
            "address": row["address"],
            "latitude": row["latitude"],
            "longitude": row["longitude"],
            "observed_at": row["observed_at"],
            "created_at": row["created_at"],
            "handler": _person(
                row["handler__first_name"], row["handler__last_name"], row["handler__username"]
            )
            if row["handler_id"]
            else "",
            "referred_to": row["referred_to"],
            "referral_deadline": row["referral_deadline"],
            "description": row["description"],
            "status_reason": row["status_reason"],
        }
        if identities:
            shown = identity(row)
            if shown is not None:
                out["reporter_name"] = shown.get("name", "")
                out["reporter_phone"] = shown.get("phone", "")
        return out

    return values


def violation_point(row: dict) -> tuple[float, float] | None:
    if row["latitude"] is None or row["longitude"] is None:
        return None
    return float(row["longitude"]), float(row["latitude"])


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
        fields=VIOLATION_FIELDS,
    )
]
