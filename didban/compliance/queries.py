"""Permission-checked reads of compliance data, and what each role may see of a reporter."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from didban.compliance.models import Candidate, Election, Rule, RuleCategory, Violation
from didban.core.access import has_perm, org_from_param, scope_q
from didban.lib.jalali import day_start, parse_day
from didban.lib.persian import normalize, to_ascii_digits, tokens

# Token overlap (Jaccard) from which two reports with the same key are likely duplicates.
SIMILARITY = 0.3


def list_elections(user, *, permission: str = "compliance.view") -> QuerySet[Election]:
    return Election.objects.filter(scope_q(user, permission)).select_related("org")


def access_election(user, election_id: int, *, permission: str = "compliance.view") -> Election:
    return get_object_or_404(list_elections(user, permission=permission), pk=election_id)


def public_elections() -> QuerySet[Election]:
    """Elections whose rules are published: anyone may read them, no login."""
    return Election.objects.filter(is_public=True)


def access_public_election(slug: str) -> Election:
    return get_object_or_404(public_elections(), slug=slug)


def public_rules(election: Election) -> QuerySet[Rule]:
    return election.rules.all()


def election_for_reports(user, election_id: int | None = None) -> Election | None:
    """The election a staff report is filed under: the one named, else the latest in scope."""
    elections = list_elections(user, permission="compliance.report")
    if election_id is not None:
        return get_object_or_404(elections, pk=election_id)
    return elections.order_by("-election_day", "-pk").first()


def list_candidates(user, election: Election) -> QuerySet[Candidate]:
    if not (
        has_perm(user, "compliance.view", election.org)
        or has_perm(user, "compliance.report", election.org)
    ):
        raise Http404
    return election.candidates.select_related("candidate_list")


@dataclass
class ViolationFilter:
    election: Election | None = None
    status: str = ""  # a status, or "open"
    category: str = ""
    candidate_id: int | None = None
    source: str = ""
    overdue: bool = False
    duplicates: bool = False
    mine: bool = False
    search: str = ""
    # Received on or after / on or before these days (Tehran).
    since: date | None = None
    until: date | None = None
    # An organisation's subtree (the command room's figures link to the desk filtered by it).
    org: object = None
    # Seen (observed) on or after / on or before these days (Tehran), and originals only (no
    # report marked a duplicate of another): the command room's «reported today» figure.
    seen_since: date | None = None
    seen_until: date | None = None
    originals: bool = False


def overdue_q(now=None) -> Q:
    return Q(status=Violation.Status.REFERRED, referral_deadline__lt=now or timezone.now())


def list_violations(
    user, filters: ViolationFilter | None = None, *, permission: str = "compliance.view"
) -> QuerySet[Violation]:
    f = filters or ViolationFilter()
    rows = Violation.objects.filter(scope_q(user, permission)).select_related(
        "candidate", "place", "handler", "election"
    )
    if f.election is not None:
        rows = rows.filter(election=f.election)
    if f.status == "open":
        rows = rows.filter(status__in=Violation.OPEN_STATUSES)
    elif f.status:
        rows = rows.filter(status=f.status)
    if f.category:
        rows = rows.filter(
            Q(rule_category=f.category) | Q(rule_category="", suggested_category=f.category)
        )
    if f.candidate_id:
        rows = rows.filter(candidate_id=f.candidate_id)
    if f.source:
        rows = rows.filter(source=f.source)
    if f.overdue:
        rows = rows.filter(overdue_q())
    if f.mine:
        rows = rows.filter(handler=user)
    if f.duplicates:
        others = Violation.objects.filter(dup_key=OuterRef("dup_key")).exclude(pk=OuterRef("pk"))
        rows = rows.exclude(dup_key="").filter(Exists(others))
    if f.org is not None:
        rows = rows.filter(org__path__startswith=f.org.path)
    if f.since:
        rows = rows.filter(created_at__gte=day_start(f.since))
    if f.until:
        rows = rows.filter(created_at__lt=day_start(f.until + timedelta(days=1)))
    if f.seen_since:
        rows = rows.filter(observed_at__gte=day_start(f.seen_since))
    if f.seen_until:
        rows = rows.filter(observed_at__lt=day_start(f.seen_until + timedelta(days=1)))
    if f.originals:
        rows = rows.filter(duplicate_of__isnull=True)
    if f.search:
        text = f.search.strip()
        digits = to_ascii_digits(text)
        if digits.lstrip("#").isdigit():
            number = digits.lstrip("#")
            rows = rows.filter(Q(pk=int(number)) | Q(tracking_code=number))
        else:
            rows = rows.filter(description_norm__contains=normalize(text))
    return rows


def violation_filter_from(params, user=None) -> ViolationFilter:
    """The desk's filters from its query string (the desk, its export and the API agree).
    The organisation filter only names an organisation within the user's scope; another
    one is ignored (its name would otherwise show in the filter badge)."""
    status = params.get("status", "open") or "open"
    if status not in ("open", "all", *Violation.Status.values):
        status = "open"
    category = params.get("category", "")
    candidate = str(params.get("candidate", "") or "")
    source = params.get("source", "")
    org_id = str(params.get("org", "") or "")
    org = org_from_param(user, "compliance.view", org_id) if user is not None else None
    return ViolationFilter(
        org=org,
        status="" if status == "all" else status,
        category=category if category in RuleCategory.values else "",
        candidate_id=int(candidate) if candidate.isdigit() else None,
        source=source if source in Violation.Source.values else "",
        overdue=params.get("overdue") in ("1", True),
        duplicates=params.get("duplicates") in ("1", True),
        mine=params.get("mine") in ("1", True),
        search=str(params.get("q", "") or "")[:100],
        since=parse_day(params.get("from", "")),
        until=parse_day(params.get("to", "")),
        seen_since=parse_day(params.get("seen_from", "")),
        seen_until=parse_day(params.get("seen_to", "")),
        originals=params.get("originals") in ("1", True),
    )


def access_violation(user, violation_id: int, *, permission: str = "compliance.view") -> Violation:
    return get_object_or_404(list_violations(user, permission=permission), pk=violation_id)


def access_public_status(tracking_code: str) -> Violation:
    """A citizen's report by its tracking code: only its status is shown, never who sent it."""
    code = to_ascii_digits((tracking_code or "").strip()).replace("-", "").replace(" ", "")
    if not code.isdigit():
        raise Http404
    return get_object_or_404(
        Violation.objects.select_related("election").only(
            "pk", "status", "created_at", "updated_at", "tracking_code", "election__name",
            "election__slug",
        ),
        tracking_code=code,
    )  # fmt: skip


def can_see_identity(user, violation: Violation) -> bool:
    """Who reported, and how to reach a citizen: supervisors and administrators only."""
    return has_perm(user, "compliance.supervise", violation.org)


def reporter_identity(user, violation: Violation) -> dict | None:
    """The reporter as this user may see them; None when hidden from the user's role."""
    if not can_see_identity(user, violation):
        return None
    if violation.source == Violation.Source.CITIZEN:
        return {
            "name": violation.citizen_name,
            "phone": violation.citizen_phone,
            "anonymous": not (violation.citizen_name or violation.citizen_phone),
        }
    reporter = violation.reporter
    return {
        "name": str(reporter) if reporter else "",
        "username": reporter.username if reporter else "",
        "phone": getattr(reporter, "phone", "") if reporter else "",
        "anonymous": False,
    }


def similarity(a: str, b: str) -> float:
    """Jaccard overlap of the normalised words of two descriptions."""
    left, right = set(tokens(a)), set(tokens(b))
    if not left or not right:
        return 0.0
    return len(left & right) / len(left | right)


def group_duplicates(user, violations: list[Violation]) -> dict[int, list[int]]:
    """For each report shown, the ids of other reports in scope that are likely duplicates.

    Same key (place or ~100 m cell, candidate, 6-hour slot) and similar normalised wording.
    One query for all the keys of the page; the comparison runs only within a key.
    """
    keys = {v.dup_key for v in violations if v.dup_key}
    if not keys:
        return {}
    peers: dict[str, list[tuple[int, str]]] = {}
    rows = (
        Violation.objects.filter(scope_q(user, "compliance.view"), dup_key__in=keys)
        .values_list("pk", "dup_key", "description_norm")
        .order_by("pk")
    )
    for pk, key, text in rows:
        peers.setdefault(key, []).append((pk, text))
    result: dict[int, list[int]] = {}
    for v in violations:
        group = peers.get(v.dup_key, [])
        if len(group) < 2:
            continue
        similar = [
            pk
            for pk, text in group
            if pk != v.pk and similarity(v.description_norm, text) >= SIMILARITY
        ]
        if similar:
            result[v.pk] = similar
    return result


def desk_counts(user) -> dict[str, int]:
    rows = Violation.objects.filter(scope_q(user, "compliance.view"))
    return {
        "open": rows.filter(status__in=Violation.OPEN_STATUSES).count(),
        "received": rows.filter(status=Violation.Status.RECEIVED).count(),
        "overdue": rows.filter(overdue_q()).count(),
    }
