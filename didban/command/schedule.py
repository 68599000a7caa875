"""Which scheduled reports are due: every period that ended since the schedule last ran."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from didban.command import queries
from didban.command.models import ReportSchedule


def last_period(period: str, now: datetime) -> tuple[datetime, datetime]:
    """The most recent complete period before `now` (local days and Saturday weeks)."""
    if period == "hourly":
        from didban.command.rollup import floor

        end = floor(now, 60)
        return end - timedelta(hours=1), end
    if period == "daily":
        end = queries.day_start(now)
        return end - timedelta(days=1), end
    end = queries.week_start(now)
    return end - timedelta(days=7), end


def run_due_schedules(now: datetime | None = None) -> int:
    from didban.command.actions import do_generate_report

    now = now or timezone.now()
    done = 0
    for schedule in ReportSchedule.objects.filter(enabled=True).select_related("org"):
        start, end = last_period(schedule.period, now)
        if schedule.last_period_end and schedule.last_period_end >= end:
            continue
        do_generate_report(
            actor="worker", org=schedule.org, period=schedule.period, start=start, end=end,
            emails=schedule.emails, channel_id=schedule.channel_id,
        )  # fmt: skip
        schedule.last_period_end = end
        schedule.save(update_fields=["last_period_end"])
        done += 1
    return done
