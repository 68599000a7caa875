"""The stored figures equal a direct count over the raw rows, late rows included."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from didban.command.models import HourlyFigure, RollupRun
from didban.command.rollup import floor, run_rollup
from didban.command.tests.conftest import raw_item
from didban.newsroom.models import Item

pytestmark = pytest.mark.django_db

KINDS = ["news", "video", "infographic"]
# (which org, kind, minutes before now): within the last 10 days
activity = st.lists(
    st.tuples(st.integers(0, 2), st.sampled_from(KINDS), st.integers(0, 10 * 24 * 60)),
    max_size=25,
)


def direct_count(resolution: int) -> Counter:
    counts: Counter = Counter()
    for org_id, kind, at in Item.objects.filter(published_at__isnull=False).values_list(
        "org_id", "kind", "published_at"
    ):
        counts[(org_id, floor(at, resolution), f"production.{kind}")] += 1
    return counts


def stored(resolution: int) -> Counter:
    rows = HourlyFigure.objects.filter(resolution=resolution, metric__startswith="production.")
    return Counter({(r.org_id, r.bucket_start, r.metric): r.value for r in rows if r.value})


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(first=activity, late=activity, removed=st.integers(0, 3))
def test_rollup_equals_direct_count_with_late_rows(world, personas, first, late, removed):
    """Rows published before a run, rows arriving after it for old hours (even 10 days back),
    and rows removed from the recent window: after the next run every bucket matches."""
    Item.objects.all().delete()
    HourlyFigure.objects.all().delete()
    RollupRun.objects.all().delete()
    orgs = [world.karaj_info, world.fardis_info, world.karaj]
    now = datetime.now(UTC)
    for o, kind, minutes in first:
        raw_item(
            orgs[o],
            personas.county_editor,
            kind=kind,
            published_at=now - timedelta(minutes=minutes),
        )
    run_rollup()
    for o, kind, minutes in late:
        raw_item(
            orgs[o],
            personas.county_editor,
            kind=kind,
            published_at=now - timedelta(minutes=minutes),
        )
    recent = Item.objects.filter(published_at__gte=now - timedelta(hours=40)).order_by("pk")
    Item.objects.filter(pk__in=list(recent.values_list("pk", flat=True)[:removed])).delete()
    run_rollup()
    assert stored(60) == direct_count(60)
    assert stored(15) == direct_count(15)


def test_running_twice_changes_nothing(world, personas, hour):
    raw_item(world.karaj_info, personas.county_editor, published_at=hour + timedelta(minutes=5))
    run_rollup()
    first = stored(60)
    run_rollup()
    assert stored(60) == first == Counter({(world.karaj_info.pk, hour, "production.news"): 1})


def test_backfill_command_recomputes_old_hours(world, personas):
    """A row older than the window that no run saw (e.g. imported directly) needs the command."""
    old = datetime(2024, 3, 1, 10, 20, tzinfo=UTC)
    raw_item(world.karaj_info, personas.county_editor, published_at=old)
    HourlyFigure.objects.all().delete()
    call_command("command_rollup", "--since", "2024-03-01")
    assert stored(60) == direct_count(60)
    assert stored(15)[(world.karaj_info.pk, old.replace(minute=15), "production.news")] == 1


def test_floor_aligns_to_the_resolution():
    """Hours are Tehran's (UTC+3:30), so a Tehran day is 24 whole hourly buckets."""
    at = datetime(2025, 5, 1, 13, 44, 59, tzinfo=UTC)  # 17:14:59 in Tehran
    assert floor(at, 60) == datetime(2025, 5, 1, 13, 30, tzinfo=UTC)
    assert floor(at, 15) == datetime(2025, 5, 1, 13, 30, tzinfo=UTC)
    assert floor(datetime(2025, 5, 1, 13, 29, tzinfo=UTC), 60) == datetime(
        2025, 5, 1, 12, 30, tzinfo=UTC
    )


def test_a_tehran_day_is_whole_hourly_buckets(world, personas):
    """Items at 00:10 and 23:50 Tehran time count in that day's report, not the next one's."""
    from didban.command.queries import date_start, totals

    day = date_start(datetime(2025, 5, 1).date())  # Tehran midnight = 20:30 UTC the day before
    raw_item(world.karaj_info, personas.county_editor, published_at=day + timedelta(minutes=10))
    raw_item(world.karaj_info, personas.county_editor,
             published_at=day + timedelta(hours=23, minutes=50))  # fmt: skip
    raw_item(world.karaj_info, personas.county_editor, published_at=day - timedelta(minutes=10))
    call_command("command_rollup", "--since", "2025-04-29")
    assert totals(world.karaj, day, day + timedelta(days=1)) == {"production.news": 2}


def test_rebuild_recomputes_only_hours_with_rows(world, personas):
    old = datetime(2023, 12, 30, 9, 40, tzinfo=UTC)
    raw_item(world.karaj_info, personas.county_editor, published_at=old)
    raw_item(world.fardis_info, personas.county_editor, kind="video", published_at=old)
    from didban.command.rollup import rebuild_hours_with_rows

    rebuild_hours_with_rows()
    assert stored(60) == direct_count(60) and len(stored(60)) == 2
