"""Every change to compliance data: elections, periods, rules, candidates, violation reports.

Each `do_*` checks permission, runs in one transaction and writes the audit entry.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from didban.compliance.models import (
    CampaignPeriod,
    Candidate,
    CandidateList,
    Election,
    Rule,
    RuleCategory,
    Violation,
    ViolationEvent,
    ViolationPhoto,
)
from didban.compliance.uploads import Photo
from didban.core import audit
from didban.core.access import has_perm, require_perm
from didban.lib.persian import fix_display, normalize

ELECTION_FIELDS = ["name", "slug", "constituency", "election_day", "is_public"]
RULE_FIELDS = ["article", "title", "text", "category", "order"]
VIOLATION_FIELDS = [
    "status", "rule_category", "referred_to", "referral_deadline", "status_reason", "handler",
    "duplicate_of",
]  # fmt: skip
DUP_SLOT_HOURS = 6


class IdempotencyConflict(Exception):
    """A different submission arrived under a client id already used by this reporter."""


# Elections, periods, rules, candidates


def do_create_election(
    *, actor, org, name: str, slug: str, election_day, constituency: str = "", is_public=True
) -> Election:
    require_perm(actor, "compliance.manage", org)
    if Election.objects.filter(slug=slug).exists():
        raise ValidationError({"slug": _("This code is already used by another election.")})
    with transaction.atomic():
        election = Election.objects.create(
            org=org, name=fix_display(name), slug=slug, election_day=election_day,
            constituency=fix_display(constituency), is_public=is_public,
        )  # fmt: skip
        audit.record(
            actor=actor, verb="election.create", org=org, obj=election,
            after=audit.snapshot(election, ELECTION_FIELDS),
        )  # fmt: skip
    return election


def do_add_period(*, actor, election: Election, kind: str, name: str, starts_at, ends_at):
    require_perm(actor, "compliance.manage", election.org)
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("The end must come after the start.")})
    with transaction.atomic():
        period = CampaignPeriod.objects.create(
            election=election, kind=kind, name=fix_display(name), starts_at=starts_at,
            ends_at=ends_at,
        )  # fmt: skip
        audit.record(
            actor=actor, verb="campaign_period.create", org=election.org, obj=period,
            after=audit.snapshot(period, ["kind", "name", "starts_at", "ends_at"]),
        )  # fmt: skip
    return period


def do_delete_period(*, actor, period: CampaignPeriod) -> None:
    election = period.election
    require_perm(actor, "compliance.manage", election.org)
    with transaction.atomic():
        before = audit.snapshot(period, ["kind", "name", "starts_at", "ends_at"])
        audit.record(
            actor=actor, verb="campaign_period.delete", org=election.org, obj=period, before=before
        )
        period.delete()


def do_save_rule(*, actor, election: Election, rule: Rule | None = None, **values) -> Rule:
    """Create a rule, or change one of the election's rules."""
    require_perm(actor, "compliance.manage", election.org)
    if values.get("category") not in RuleCategory.values:
        raise ValidationError({"category": _("Choose a category.")})
    values["title"] = fix_display(values.get("title", ""))
    values["article"] = fix_display(values.get("article", ""))
    with transaction.atomic():
        if rule is None:
            rule = Rule.objects.create(election=election, **values)
            audit.record(
                actor=actor, verb="rule.create", org=election.org, obj=rule,
                after=audit.snapshot(rule, RULE_FIELDS),
            )  # fmt: skip
        else:
            if rule.election_id != election.pk:
                raise PermissionDenied
            before = audit.snapshot(rule, RULE_FIELDS)
            for key, value in values.items():
                setattr(rule, key, value)
            rule.save(update_fields=list(values))
            audit.record(
                actor=actor, verb="rule.update", org=election.org, obj=rule, before=before,
                after=audit.snapshot(rule, RULE_FIELDS),
            )  # fmt: skip
    return rule


def do_delete_rule(*, actor, rule: Rule) -> None:
    require_perm(actor, "compliance.manage", rule.election.org)
    with transaction.atomic():
        audit.record(
            actor=actor, verb="rule.delete", org=rule.election.org, obj=rule,
            before=audit.snapshot(rule, RULE_FIELDS),
        )  # fmt: skip
        rule.delete()


def do_add_candidate_list(*, actor, election: Election, name: str) -> CandidateList:
    require_perm(actor, "compliance.manage", election.org)
    with transaction.atomic():
        item = CandidateList.objects.create(election=election, name=fix_display(name))
        audit.record(
            actor=actor, verb="candidate_list.create", org=election.org, obj=item,
            after={"name": item.name},
        )  # fmt: skip
    return item


def do_add_candidate(
    *, actor, election: Election, name: str, code: str = "", candidate_list=None, photo=None
) -> Candidate:
    require_perm(actor, "compliance.manage", election.org)
    if candidate_list is not None and candidate_list.election_id != election.pk:
        raise ValidationError({"candidate_list": _("This list belongs to another election.")})
    code = code.strip()
    if code and Candidate.objects.filter(election=election, code=code).exists():
        raise ValidationError({"code": _("Another candidate of this election has this code.")})
    with transaction.atomic():
        candidate = Candidate(
            election=election, name=fix_display(name), code=code, candidate_list=candidate_list
        )
        if photo is not None:
            candidate.photo.save(photo.content.name, photo.content, save=False)
        candidate.save()
        audit.record(
            actor=actor, verb="candidate.create", org=election.org, obj=candidate,
            after=audit.snapshot(candidate, ["name", "code", "candidate_list"]),
        )  # fmt: skip
    return candidate


def do_delete_candidate(*, actor, candidate: Candidate) -> None:
    require_perm(actor, "compliance.manage", candidate.election.org)
    with transaction.atomic():
        audit.record(
            actor=actor, verb="candidate.delete", org=candidate.election.org, obj=candidate,
            before=audit.snapshot(candidate, ["name", "code", "candidate_list"]),
        )  # fmt: skip
        candidate.delete()


# Reports


def suggest_category(election: Election, observed_at: datetime) -> str:
    """The category the moment alone suggests: the silence period, or outside the window."""
    periods = list(election.periods.all())
    for period in periods:
        if period.kind == CampaignPeriod.Kind.SILENCE and period.contains(observed_at):
            return RuleCategory.SILENCE_PERIOD
    windows = [p for p in periods if p.kind == CampaignPeriod.Kind.ADVERTISING]
    if windows and not any(p.contains(observed_at) for p in windows):
        return RuleCategory.TIME_LIMIT
    return ""


def duplicate_key(*, place_id, latitude, longitude, candidate_id, observed_at) -> str:
    """Reports sharing this key are compared as likely duplicates (see queries.group_duplicates)."""
    if place_id:
        where = f"p{place_id}"
    elif latitude is not None and longitude is not None:
        # About 100 m: two agents photographing the same wall get the same cell.
        where = f"g{Decimal(latitude):.3f},{Decimal(longitude):.3f}"
    else:
        return ""
    slot = int(observed_at.timestamp() // (DUP_SLOT_HOURS * 3600))
    return f"{where}:c{candidate_id or '-'}:t{slot}"


def _tracking_code() -> str:
    while True:
        code = "".join(secrets.choice("0123456789") for _ in range(10))
        if not Violation.objects.filter(tracking_code=code).exists():
            return code


def _content_hash(values: dict, photos: list[Photo]) -> str:
    body = {**values, "photos": [p.sha256 for p in photos]}
    return hashlib.sha256(
        json.dumps(body, sort_keys=True, default=str, ensure_ascii=False).encode()
    ).hexdigest()


def _check_links(election: Election, candidate, place) -> None:
    if candidate is not None and candidate.election_id != election.pk:
        raise ValidationError({"candidate": _("This candidate does not run in this election.")})


def _create_violation(*, election, source, reporter, values, photos, client_uuid=None, digest=""):
    observed_at = values["observed_at"] or timezone.now()
    violation = Violation.objects.create(
        org=election.org,
        election=election,
        source=source,
        reporter=reporter,
        client_uuid=client_uuid,
        content_hash=digest,
        tracking_code=_tracking_code(),
        description=values["description"],
        description_norm=normalize(values["description"]),
        rule_category=values.get("rule_category") or "",
        suggested_category=suggest_category(election, observed_at),
        candidate=values.get("candidate"),
        place=values.get("place"),
        address=values.get("address", ""),
        latitude=values.get("latitude"),
        longitude=values.get("longitude"),
        accuracy_m=values.get("accuracy_m"),
        observed_at=observed_at,
        citizen_name=values.get("citizen_name", ""),
        citizen_phone=values.get("citizen_phone", ""),
        dup_key=duplicate_key(
            place_id=values["place"].pk if values.get("place") else None,
            latitude=values.get("latitude"),
            longitude=values.get("longitude"),
            candidate_id=values["candidate"].pk if values.get("candidate") else None,
            observed_at=observed_at,
        ),
    )
    for photo in photos:
        item = ViolationPhoto(
            violation=violation, sha256=photo.sha256, width=photo.width, height=photo.height,
            original_name=photo.name,
        )  # fmt: skip
        item.image.save(photo.content.name, photo.content, save=False)
        item.save()
    ViolationEvent.objects.create(
        violation=violation, actor=reporter, verb="received", to_status=violation.status
    )
    return violation


def do_submit_field_violation(
    *,
    actor,
    election: Election,
    client_uuid: uuid.UUID,
    description: str,
    rule_category: str = "",
    candidate=None,
    place=None,
    latitude=None,
    longitude=None,
    accuracy_m=None,
    observed_at=None,
    address: str = "",
    photos: list[Photo] = (),
    source: str = Violation.Source.FIELD,
) -> tuple[Violation, bool]:
    """File a staff report, idempotent by (reporter, client_uuid).

    Returns (violation, created). The same content again returns the first row; different
    content under the same id raises IdempotencyConflict. Two parallel sends make one row:
    the database's unique constraint decides, and the loser reads the winner's row.
    """
    require_perm(actor, "compliance.report", election.org)
    _check_links(election, candidate, place)
    description = fix_display(description or "")
    if not description:
        raise ValidationError({"description": _("Describe what you saw.")})
    if rule_category and rule_category not in RuleCategory.values:
        raise ValidationError({"rule_category": _("Unknown category.")})
    values = {
        "election": election.pk,
        "description": description,
        "rule_category": rule_category or "",
        "candidate": candidate.pk if candidate else None,
        "place": place.pk if place else None,
        "address": address.strip(),
        "latitude": f"{Decimal(latitude):.6f}" if latitude is not None else None,
        "longitude": f"{Decimal(longitude):.6f}" if longitude is not None else None,
        "accuracy_m": accuracy_m,
        "observed_at": observed_at.isoformat() if observed_at else None,
    }
    photos = list(photos)
    digest = _content_hash(values, photos)

    def existing() -> tuple[Violation, bool]:
        first = Violation.objects.get(reporter=actor, client_uuid=client_uuid)
        if first.content_hash != digest:
            raise IdempotencyConflict
        return first, False

    if Violation.objects.filter(reporter=actor, client_uuid=client_uuid).exists():
        return existing()
    row = {
        "description": description,
        "rule_category": rule_category,
        "candidate": candidate,
        "place": place,
        "address": address.strip()[:300],
        "latitude": Decimal(values["latitude"]) if latitude is not None else None,
        "longitude": Decimal(values["longitude"]) if longitude is not None else None,
        "accuracy_m": accuracy_m,
        "observed_at": observed_at,
    }
    try:
        with transaction.atomic():
            violation = _create_violation(
                election=election, source=source, reporter=actor, values=row, photos=photos,
                client_uuid=client_uuid, digest=digest,
            )  # fmt: skip
            audit.record(
                actor=actor, verb="violation.report", org=election.org, obj=violation,
                after={"source": source, "client_uuid": str(client_uuid), "photos": len(photos)},
            )  # fmt: skip
    except IntegrityError:
        # The same submission, sent in parallel, won the race.
        return existing()
    return violation, True


def do_submit_citizen_violation(
    *,
    election: Election,
    description: str,
    rule_category: str = "",
    candidate=None,
    place=None,
    address: str = "",
    observed_at=None,
    citizen_name: str = "",
    citizen_phone: str = "",
    photos: list[Photo] = (),
) -> Violation:
    """A report from the public form: no login; the captcha and the rate limit are the view's."""
    if not election.is_public:
        raise PermissionDenied
    _check_links(election, candidate, place)
    description = fix_display(description or "")
    if not description:
        raise ValidationError({"description": _("Describe what you saw.")})
    if observed_at is not None and observed_at > timezone.now() + timedelta(minutes=5):
        raise ValidationError({"observed_at": _("The time seen cannot be in the future.")})
    values = {
        "description": description,
        "rule_category": rule_category if rule_category in RuleCategory.values else "",
        "candidate": candidate,
        "place": place,
        "address": address.strip()[:300],
        "observed_at": observed_at,
        "citizen_name": fix_display(citizen_name)[:120],
        "citizen_phone": citizen_phone.strip()[:20],
    }
    with transaction.atomic():
        violation = _create_violation(
            election=election, source=Violation.Source.CITIZEN, reporter=None, values=values,
            photos=list(photos),
        )  # fmt: skip
        audit.record(
            actor="citizen", verb="violation.report", org=election.org, obj=violation,
            after={"source": "citizen", "photos": len(photos),
                   "anonymous": not (citizen_name or citizen_phone)},
        )  # fmt: skip
    return violation


# The desk


def _held_by_other(actor, violation: Violation) -> bool:
    """Someone else holds the report and their lock has not lapsed."""
    return violation.handler_id not in (None, actor.pk) and violation.lock_active()


def _lock_error(violation: Violation) -> ValidationError:
    from didban.core.templatetags.didban import format_when

    return ValidationError(
        _("This report is being handled by %(name)s until %(time)s.")
        % {"name": violation.handler, "time": format_when(violation.lock_expires_at, "time")}
    )


def _event(violation, actor, verb, before_status, reason=""):
    ViolationEvent.objects.create(
        violation=violation, actor=actor, verb=verb, from_status=before_status,
        to_status=violation.status, reason=reason,
    )  # fmt: skip


def do_take_violation(*, actor, violation: Violation, takeover: bool = False) -> Violation:
    """Lock the report to the actor for COMPLIANCE_LOCK_MINUTES (taking it again renews it).

    Someone else's live lock only yields to a supervisor's takeover; a lapsed one to anyone.
    """
    require_perm(actor, "compliance.triage", violation.org)
    with transaction.atomic():
        violation = Violation.objects.select_for_update().get(pk=violation.pk)
        if violation.handler_id == actor.pk:
            violation.locked_at = timezone.now()
            violation.save(update_fields=["locked_at", "updated_at"])
            return violation
        previous = violation.handler
        live = previous is not None and violation.lock_active()
        if live:
            if not takeover:
                raise _lock_error(violation)
            require_perm(actor, "compliance.supervise", violation.org)
        before = {
            **audit.snapshot(violation, ["handler"]),
            "lock_expires_at": violation.lock_expires_at,
        }
        violation.handler = actor
        violation.locked_at = timezone.now()
        violation.save(update_fields=["handler", "locked_at", "updated_at"])
        verb = "takeover" if live else "take"
        reason = str(previous or "")
        if previous is not None and not live:
            reason = _("the lock of %(name)s had lapsed") % {"name": previous}
        _event(violation, actor, verb, violation.status, reason=reason)
        audit.record(
            actor=actor, verb=f"violation.{verb}", org=violation.org, obj=violation,
            before=before,
            after={**audit.snapshot(violation, ["handler"]), "lock_expires_at": violation.lock_expires_at},
        )  # fmt: skip
    return violation


def do_release_violation(*, actor, violation: Violation) -> Violation:
    require_perm(actor, "compliance.triage", violation.org)
    with transaction.atomic():
        violation = Violation.objects.select_for_update().get(pk=violation.pk)
        if violation.handler_id is None:
            return violation
        if violation.handler_id != actor.pk and violation.lock_active():
            require_perm(actor, "compliance.supervise", violation.org)
        before = audit.snapshot(violation, ["handler"])
        violation.handler = None
        violation.locked_at = None
        violation.save(update_fields=["handler", "locked_at", "updated_at"])
        _event(violation, actor, "release", violation.status)
        audit.record(
            actor=actor, verb="violation.release", org=violation.org, obj=violation,
            before=before, after={"handler": None},
        )  # fmt: skip
    return violation


S = Violation.Status
# action -> (statuses it may start from, status it leads to)
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "categorise": (frozenset({S.RECEIVED, S.CATEGORISED}), S.CATEGORISED),
    "verify": (frozenset({S.CATEGORISED}), S.VERIFIED),
    "refer": (frozenset({S.VERIFIED}), S.REFERRED),
    "resolve": (frozenset({S.VERIFIED, S.REFERRED}), S.RESOLVED),
    "dismiss": (frozenset({S.RECEIVED, S.CATEGORISED, S.VERIFIED, S.REFERRED}), S.DISMISSED),
}


def allowed_actions(violation: Violation) -> list[str]:
    return [name for name, (sources, _to) in TRANSITIONS.items() if violation.status in sources]


def do_transition_violation(
    *,
    actor,
    violation: Violation,
    action: str,
    reason: str = "",
    category: str = "",
    board: str = "",
    deadline: datetime | None = None,
    duplicate_of: Violation | None = None,
) -> Violation:
    """Move a report along the case flow. The actor must hold it (a free report is taken)."""
    require_perm(actor, "compliance.triage", violation.org)
    if action not in TRANSITIONS:
        raise ValidationError(_("Unknown action."))
    sources, target = TRANSITIONS[action]
    reason = (reason or "").strip()
    errors: dict[str, str] = {}
    if action == "categorise" and category not in RuleCategory.values:
        errors["category"] = _("Choose the rule category.")
    if action == "refer":
        if board not in Violation.Board.values:
            errors["board"] = _("Choose the board to refer the report to.")
        if deadline is None:
            errors["deadline"] = _("Give the board a deadline.")
        elif deadline <= timezone.now():
            errors["deadline"] = _("The deadline must be in the future.")
    if action in ("resolve", "dismiss") and not reason:
        errors["reason"] = _("Give the reason.")
    if duplicate_of is not None and (
        duplicate_of.pk == violation.pk or duplicate_of.org_id != violation.org_id
    ):
        errors["duplicate_of"] = _("Choose another report of the same organisation.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        violation = Violation.objects.select_for_update().get(pk=violation.pk)
        if _held_by_other(actor, violation):
            raise _lock_error(violation)
        if violation.status not in sources:
            raise ValidationError(
                _("A report that is %(status)s cannot be %(action)s.")
                % {"status": violation.get_status_display(), "action": ACTION_LABELS[action]}
            )
        before = audit.snapshot(violation, VIOLATION_FIELDS)
        before_status = violation.status
        violation.status = target
        violation.status_reason = reason
        if action == "categorise":
            violation.rule_category = category
        if action == "refer":
            violation.referred_to = board
            violation.referral_deadline = deadline
        if duplicate_of is not None:
            violation.duplicate_of = duplicate_of
        if target in (S.RESOLVED, S.DISMISSED):
            # A closed case holds no one.
            violation.handler = None
            violation.locked_at = None
        else:
            # Acting renews the lock (and takes a free or lapsed report).
            violation.handler = actor
            violation.locked_at = timezone.now()
        violation.save()
        _event(violation, actor, action, before_status, reason)
        audit.record(
            actor=actor, verb=f"violation.{action}", org=violation.org, obj=violation,
            before=before, after=audit.snapshot(violation, VIOLATION_FIELDS),
        )  # fmt: skip
    return violation


ACTION_LABELS = {
    "categorise": gettext_lazy("categorised"),
    "verify": gettext_lazy("verified"),
    "refer": gettext_lazy("referred"),
    "resolve": gettext_lazy("resolved"),
    "dismiss": gettext_lazy("dismissed"),
}


@dataclass
class BulkResult:
    done: list[int] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)


def do_bulk_transition(*, actor, violations, action: str, **params) -> BulkResult:
    """Apply one action to many reports; each is done or skipped with its reason.

    A report held by someone else is skipped, never taken from them.
    """
    result = BulkResult()
    for violation in violations:
        if not has_perm(actor, "compliance.triage", violation.org):
            result.skipped.append((violation.pk, _("You do not have permission to do this.")))
            continue
        try:
            with transaction.atomic():
                do_transition_violation(actor=actor, violation=violation, action=action, **params)
        except ValidationError as exc:
            result.skipped.append((violation.pk, " ".join(exc.messages)))
        else:
            result.done.append(violation.pk)
    return result
