"""The rollup: raw rows of every app → `HourlyFigure` per leaf organisation and bucket.

Late data (decided, see docs/command.md): each run recomputes
  1. every bucket of the last `WINDOW` (48 h) — corrections, deletions and status changes of
     recent rows land without any bookkeeping;
  2. every older bucket holding a row changed since the previous run started (each provider's
     `touched(since)`: an offline check-in received today for last week, a violation reported
     days after it was observed);
  3. anything else on demand: `didban manage command_rollup --since 2025-01-01`.
A bucket is recomputed whole (delete + insert in one transaction), so running twice is
harmless and the stored figures always equal a direct count of the raw rows.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from didban.command import metrics
from didban.command.models import HourlyFigure, RollupRun

WINDOW = timedelta(hours=48)
HOUR = HourlyFigure.Resolution.HOUR
QUARTER = HourlyFigure.Resolution.QUARTER
GAUGE_PREFIX = "now."


def floor(when: datetime, minutes: int) -> datetime:
    """The start of the bucket holding `when`, as UTC.

    Hours are the display zone's hours (Tehran is UTC+3:30): a local day, and so a daily
    report, is then a whole number of hourly buckets. Quarter-hours align either way.
    """
    if minutes >= 60:
        local = when.astimezone(ZoneInfo(settings.TIME_ZONE))
        return local.replace(minute=0, second=0, microsecond=0).astimezone(UTC)
    when = when.astimezone(UTC)
    return when.replace(minute=(when.minute // minutes) * minutes, second=0, microsecond=0)


def _ranges(hours: set[datetime]) -> list[tuple[datetime, datetime]]:
    """Consecutive hours merged into [start, end) ranges."""
    result: list[tuple[datetime, datetime]] = []
    for hour in sorted(hours):
        if result and result[-1][1] == hour:
            result[-1] = (result[-1][0], hour + timedelta(hours=1))
        else:
            result.append((hour, hour + timedelta(hours=1)))
    return result


def count_raw(start: datetime, end: datetime, resolution: int) -> Counter:
    """Counters straight from the raw rows: {(org_id, bucket_start, metric): n}."""
    counts: Counter = Counter()
    for provider in metrics.available():
        for org_id, at, metric in provider.events(start, end):
            counts[(org_id, floor(at, resolution), metric)] += 1
    return counts


def recompute(start: datetime, end: datetime, *, resolutions=(HOUR, QUARTER)) -> int:
    """Replace the counters of every bucket in [start, end) (hour-aligned) with fresh counts."""
    written = 0
    for resolution in resolutions:
        counts = count_raw(start, end, resolution)
        with transaction.atomic():
            HourlyFigure.objects.filter(
                resolution=resolution, bucket_start__gte=start, bucket_start__lt=end
            ).exclude(metric__startswith=GAUGE_PREFIX).delete()
            HourlyFigure.objects.bulk_create(
                [
                    HourlyFigure(
                        org_id=org_id,
                        resolution=resolution,
                        bucket_start=bucket,
                        metric=metric,
                        value=value,
                    )
                    for (org_id, bucket, metric), value in counts.items()
                ],
                batch_size=2000,
            )
        written += len(counts)
    return written


def sample_gauges(now: datetime) -> int:
    """Store the current levels (open violations, designs on display) in the current buckets."""
    values: dict[tuple[int, str], int] = {}
    for provider in metrics.available():
        values.update(provider.gauges(now))
    written = 0
    for resolution in (HOUR, QUARTER):
        bucket = floor(now, resolution)
        with transaction.atomic():
            HourlyFigure.objects.filter(
                resolution=resolution, bucket_start=bucket, metric__startswith=GAUGE_PREFIX
            ).delete()
            HourlyFigure.objects.bulk_create(
                HourlyFigure(
                    org_id=org_id,
                    resolution=resolution,
                    bucket_start=bucket,
                    metric=metric,
                    value=value,
                )
                for (org_id, metric), value in values.items()
            )
        written += len(values)
    return written


def dirty_hours(since: datetime) -> set[datetime]:
    hours = set()
    for provider in metrics.available():
        for when in provider.touched(since):
            if when is not None:
                hours.add(floor(when, 60))
    return hours


def run_rollup(now: datetime | None = None) -> RollupRun:
    """One pass: the sliding window, the hours of late rows, and the current gauges."""
    now = now or timezone.now()
    previous = RollupRun.objects.filter(finished_at__isnull=False).order_by("-started_at").first()
    run = RollupRun.objects.create(started_at=now)
    current = floor(now, 60)
    hours = {current - timedelta(hours=h) for h in range(int(WINDOW.total_seconds() // 3600) + 1)}
    # Rows changed during the previous run may have been missed by it: overlap by a minute.
    since = (previous.started_at if previous else now - WINDOW) - timedelta(minutes=1)
    hours |= {h for h in dirty_hours(since) if h <= current}
    figures = 0
    for start, end in _ranges(hours):
        figures += recompute(start, end)
    figures += sample_gauges(now)
    run.finished_at = timezone.now()
    run.buckets = len(hours)
    run.figures = figures
    run.save(update_fields=["finished_at", "buckets", "figures"])
    return run


def backfill(since: datetime, until: datetime | None = None) -> int:
    """Recompute every hour from `since` to now, a day at a time."""
    until = until or timezone.now()
    start = floor(since, 60)
    total = 0
    while start <= until:
        end = min(start + timedelta(days=1), floor(until, 60) + timedelta(hours=1))
        total += recompute(start, end)
        start = end
    return total


def rebuild_hours_with_rows() -> int:
    """Recompute exactly the hours that hold raw rows (a fresh install, the demo)."""
    hours = dirty_hours(datetime(1970, 1, 1, tzinfo=UTC))
    HourlyFigure.objects.exclude(metric__startswith=GAUGE_PREFIX).delete()
    return sum(recompute(start, end) for start, end in _ranges(hours))
