"""Campaign rules: violations reported (at the moment they were observed), and the open and
overdue caseload (sampled).
"""

from __future__ import annotations

from collections import Counter

from django.utils.translation import gettext as _

from didban.command.metrics.base import Provider, list_url, model_or_none

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
        .values_list("org_id", "referral_deadline")
    )
    for org_id, deadline in rows:
        result[(org_id, "now.violations.open")] += 1
        if deadline is not None and deadline < now:
            result[(org_id, "now.violations.overdue")] += 1
    return dict(result)


def labels():
    return {
        "violations.reported": _("Violations reported"),
        "now.violations.open": _("Open violations"),
        "now.violations.overdue": _("Overdue violations"),
    }


def link(metric, org, start=None, end=None):
    params = {"org": org.pk if org else None}
    if metric == "now.violations.open":
        params["open"] = "1"
    elif metric == "now.violations.overdue":
        params["overdue"] = "1"
    return list_url("compliance:violation_list", **params)


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
