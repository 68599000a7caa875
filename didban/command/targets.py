"""Progress against targets and the pace needed to meet them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from didban.command import queries
from didban.command.models import Target

# measure → (label, how it is read): "sum" of counters in the period (prefix match), "level"
# (the latest sampled gauge), "growth" (audience members gained in the period).
MEASURES: dict[str, tuple[object, str]] = {
    "production": (_("Items published (all kinds)"), "sum"),
    "production.news": (_("News items published"), "sum"),
    "production.video": (_("Videos published"), "sum"),
    "production.infographic": (_("Infographics published"), "sum"),
    "production.poster": (_("Posters published"), "sum"),
    "production.motion_graphic": (_("Motion graphics published"), "sum"),
    "production.news_report": (_("News reports published"), "sum"),
    "delivery.sent": (_("Channel deliveries"), "sum"),
    "field.installed": (_("Installations"), "sum"),
    "now.field.on_display": (_("Designs on display"), "level"),
    "now.field.sites_covered": (_("Sites covered"), "level"),
    "audience": (_("Audience growth (members)"), "growth"),
}


def measure_choices():
    return [(key, label) for key, (label, _how) in MEASURES.items()]


@dataclass
class Progress:
    target: Target
    label: str
    current: int
    remaining: int
    percent: int
    days_left: float
    pace_needed: float | None  # per day; None once the period is over or the target met
    on_track: bool


def current_value(target: Target, user, now: datetime) -> int:
    _label, how = MEASURES.get(target.metric, (target.metric, "sum"))
    start = queries.date_start(target.starts_on)
    end = min(now, queries.date_start(target.ends_on + timedelta(days=1)))
    if how == "level":
        return queries.gauges(target.org).get(target.metric, 0)
    if how == "growth":
        channels = queries.audiences(user, target.org, start)
        return sum(c["growth"] for c in channels)
    figures = queries.totals(target.org, start, end)
    return sum(
        v for k, v in figures.items() if k == target.metric or k.startswith(target.metric + ".")
    )


def progress(target: Target, user, now: datetime | None = None) -> Progress:
    now = now or timezone.now()
    current = current_value(target, user, now)
    remaining = max(target.value - current, 0)
    period_end = queries.date_start(target.ends_on + timedelta(days=1))
    period_start = queries.date_start(target.starts_on)
    days_left = max((period_end - now).total_seconds() / 86400, 0.0)
    total_days = max((period_end - period_start).total_seconds() / 86400, 1e-9)
    elapsed = min(max((now - period_start).total_seconds() / 86400, 0.0), total_days)
    pace = remaining / days_left if remaining and days_left > 0 else None
    expected_by_now = target.value * elapsed / total_days
    label = MEASURES.get(target.metric, (target.metric, ""))[0]
    return Progress(
        target=target,
        label=str(label),
        current=current,
        remaining=remaining,
        percent=min(round(100 * current / target.value), 999) if target.value else 100,
        days_left=days_left,
        pace_needed=pace,
        on_track=current >= expected_by_now,
    )
