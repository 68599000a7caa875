"""Demo: Karaj's targets, seven months of channel audiences, rollups and a few archived reports."""

from __future__ import annotations

import math
from datetime import timedelta

from django.utils import timezone

from didban.command import queries
from didban.command.actions import do_generate_report, do_save_schedule, do_set_target
from didban.command.metrics.base import model_or_none
from didban.command.models import AudienceSample
from didban.command.rollup import rebuild_hours_with_rows, run_rollup

DAYS = 212  # seven months


def _audiences(hq, now) -> None:
    Channel = model_or_none("publishing.Channel")
    channels = []
    if Channel is not None:
        channels = list(
            Channel.objects.filter(org=hq, name__contains="کانال").values_list("pk", "name", "kind")
        )
    if not channels:
        channels = [
            (1, "کانال بله ستاد انتخابات کرج", "bale"),
            (2, "کانال ایتا ستاد انتخابات کرج", "eitaa"),
        ]
    samples = []
    for n, (pk, name, kind) in enumerate(channels):
        start, top = 600 + 400 * n, 14000 - 3000 * n
        for day in range(DAYS, -1, -1):
            at = now - timedelta(days=day)
            # Slow start, a surge as the campaign nears, like a real channel.
            share = 1 / (1 + math.exp(-(DAYS - day - DAYS * 0.7) / 18))
            members = int(start + (top - start) * share + (day * 37 % 53))
            samples.append(
                AudienceSample(
                    org=hq,
                    channel_id=pk,
                    channel_name=name,
                    channel_kind=kind,
                    at=at,
                    members=members,
                    source=AudienceSample.Source.API,
                )
            )
    AudienceSample.objects.bulk_create(samples)


def load(*, root, orgs) -> None:
    hq = orgs.get("karaj-hq")
    if hq is None:
        return
    now = timezone.now()
    today = timezone.localdate(now)
    week_start = timezone.localtime(queries.week_start(now), queries.local_zone()).date()
    for metric, value, starts, ends in [
        ("now.field.on_display", 150, today - timedelta(days=30), today + timedelta(days=30)),
        ("now.field.sites_covered", 120, today - timedelta(days=30), today + timedelta(days=30)),
        ("production.news", 35, week_start, week_start + timedelta(days=6)),
        ("production.video", 7, week_start, week_start + timedelta(days=6)),
        ("production.infographic", 5, week_start, week_start + timedelta(days=6)),
        ("audience", 8000, today - timedelta(days=DAYS), today + timedelta(days=14)),
    ]:
        do_set_target(
            actor=root, org=hq, metric=metric, value=value, starts_on=starts, ends_on=ends,
            note="هدف نمایشی",
        )  # fmt: skip
    _audiences(hq, now)
    # Only the hours holding the other apps' demo rows, then the usual run (levels, 48 h).
    rebuild_hours_with_rows()
    run_rollup()
    do_save_schedule(
        actor=root, org=hq, period="daily", emails="farmandar@karaj.example"
    )  # the first worker run sends yesterday's report to the governor
    day_end = queries.day_start(now)
    do_generate_report(
        actor=root, org=hq, period="daily", start=day_end - timedelta(days=1), end=day_end
    )
    do_generate_report(
        actor=root, org=hq, period="weekly", start=day_end - timedelta(days=7), end=day_end,
        formats=("pdf",),
    )  # fmt: skip
