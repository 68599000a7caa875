"""Display campaigns: installs and verifications (at the agent's time, so offline check-ins
land in the hour they happened), and the coverage level: placements on display, sites covered
and placements planned in the windows running today.
"""

from __future__ import annotations

from collections import Counter

from django.utils import timezone
from django.utils.translation import gettext as _

from didban.command.metrics.base import Provider, list_url, local_days, model_or_none

COUNTED_STATES = ("installed", "verified", "damaged", "removed")
ON_DISPLAY = ("installed", "verified")


def available() -> bool:
    return (
        model_or_none("field.CheckIn") is not None and model_or_none("field.Placement") is not None
    )


def events(start, end):
    CheckIn = model_or_none("field.CheckIn")
    rows = CheckIn.objects.filter(
        client_time__gte=start, client_time__lt=end, to_state__in=COUNTED_STATES
    ).values_list("org_id", "client_time", "to_state")
    for org_id, at, state in rows.iterator(chunk_size=5000):
        yield org_id, at, f"field.{state}"


def touched(since):
    # Check-ins queued on a phone arrive later than they happened.
    CheckIn = model_or_none("field.CheckIn")
    return CheckIn.objects.filter(received_at__gte=since).values_list("client_time", flat=True)


def gauges(now):
    Placement = model_or_none("field.Placement")
    today = timezone.localdate(now)
    current = Placement.objects.filter(window__starts_on__lte=today, window__ends_on__gte=today)
    result: Counter = Counter()
    for org_id, state, _site_id in current.values_list("org_id", "state", "site_id"):
        if state != "replaced":
            result[(org_id, "now.field.planned")] += 1
        if state in ON_DISPLAY:
            result[(org_id, "now.field.on_display")] += 1
    covered = current.filter(state__in=ON_DISPLAY).values_list("org_id", "site_id").distinct()
    for org_id, _site in covered:
        result[(org_id, "now.field.sites_covered")] += 1
    return dict(result)


def labels():
    return {
        "field.installed": _("Installed"),
        "field.verified": _("Verified"),
        "field.damaged": _("Reported damaged"),
        "field.removed": _("Reported removed"),
        "now.field.on_display": _("Designs on display"),
        "now.field.sites_covered": _("Sites covered"),
        "now.field.planned": _("Placements planned"),
    }


SHOWS = {"now.field.on_display": "on_display", "now.field.sites_covered": "covered",
         "now.field.planned": "planned"}  # fmt: skip


def link(metric, org, start=None, end=None):
    org_id = org.pk if org else None
    if metric in SHOWS:
        # Placements of the windows running today, as the level was sampled.
        return list_url("field:placement_list", show=SHOWS[metric], org=org_id)
    state = metric.split(".", 1)[1]
    if state not in COUNTED_STATES:
        return None
    # Check-ins by the agent's time, on the Tehran days of the period.
    return list_url("field:checkin_list", state=state, org=org_id, **local_days(start, end))


PROVIDER = Provider(
    name="field",
    available=available,
    events=events,
    touched=touched,
    gauges=gauges,
    labels=labels,
    link=link,
    prefixes=("field.", "now.field."),
)
