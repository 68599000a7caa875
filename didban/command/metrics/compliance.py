"""Campaign rules: violations reported (at the moment they were observed), and the open and
overdue caseload (sampled).
"""

from __future__ import annotations

from collections import Counter

from django.utils.translation import gettext as _

from didban.command.metrics.base import Provider, list_url, local_days, model_or_none

CLOSED = ("resolved", "dismissed")


def _violation():
    return model_or_none("compliance.Violation")


def available() -> bool:
    return _violation() is not None


def events(start, end):
    rows = (
        _violation()
        .objects.filter(observed_at__gte=start, observed_at__lt=end, duplicate_of__isnull=True)
        .values_list("org_id", "observed_at")
    )
    for org_id, at in rows.iterator(chunk_size=5000):
        yield org_id, at, "violations.reported"


def touched(since):
    # A report arrives after the fact; marking a duplicate changes the count of its hour.
    return _violation().objects.filter(updated_at__gte=since).values_list("observed_at", flat=True)


def gauges(now):
    result: Counter = Counter()
    rows = (
        _violation()
        .objects.exclude(status__in=CLOSED)
        .filter(duplicate_of__isnull=True)
        .values_list("org_id", "status", "referral_deadline")
    )
    for org_id, status, deadline in rows:
        result[(org_id, "now.violations.open")] += 1
        # Overdue as the compliance desk counts it: referred and past the board's deadline.
        if status == "referred" and deadline is not None and deadline < now:
            result[(org_id, "now.violations.overdue")] += 1
    return dict(result)


def labels():
    return {
        "violations.reported": _("Violations reported"),
        "now.violations.open": _("Open violations"),
        "now.violations.overdue": _("Overdue violations"),
    }


def link(metric, org, start=None, end=None):
    params = {"org": org.pk if org else None, "status": "open"}
    if metric == "now.violations.overdue":
        params["overdue"] = "1"
    elif metric == "violations.reported":
        # Counted on the days they were seen, duplicates left out, whatever their status now.
        days = local_days(start, end)
        params.update(status="all", originals="1", seen_from=days.get("since"),
                      seen_to=days.get("until"))  # fmt: skip
    elif metric != "now.violations.open":
        return None
    return list_url("compliance:desk", **params)


PROVIDER = Provider(
    name="compliance",
    available=available,
    events=events,
    touched=touched,
    gauges=gauges,
    labels=labels,
    link=link,
    prefixes=("violations.", "now.violations."),
)
