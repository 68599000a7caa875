"""Election day: today in 15-minute rows from the rollups, newest first, the last hour
highlighted, each figure equal to a direct count of the raw rows in its quarter-hour."""

from __future__ import annotations

import random
import re
from datetime import datetime, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from didban.command.rollup import run_rollup
from didban.command.tests.conftest import raw_item
from didban.newsroom.models import Item

pytestmark = pytest.mark.django_db

TEHRAN = ZoneInfo("Asia/Tehran")
NOW = datetime(2026, 6, 12, 14, 10, tzinfo=TEHRAN)  # 14:10 on election day, Tehran time
MIDNIGHT = NOW.replace(hour=0, minute=0)


def test_board_is_quarter_hours_equal_to_the_raw_rows(client_for, personas, world):
    rng = random.Random(4)
    with time_machine.travel(NOW, tick=False):
        for _ in range(60):
            minutes = rng.randrange(int((NOW - MIDNIGHT).total_seconds() // 60))
            org = rng.choice([world.karaj_info, world.karaj, world.fardis_info])
            raw_item(org, personas.county_editor, kind=rng.choice(["news", "video"]),
                     published_at=MIDNIGHT + timedelta(minutes=minutes, seconds=rng.randrange(60)))  # fmt: skip
        # Yesterday's rows are not on today's board.
        raw_item(world.karaj_info, personas.county_editor,
                 published_at=MIDNIGHT - timedelta(minutes=5))  # fmt: skip
        run_rollup()
        page = client_for(personas.county_supervisor).get(
            reverse("command:election_day"), {"org": world.karaj.pk}
        )
    assert page.status_code == 200
    rows, keys = page.context["rows"], page.context["keys"]
    assert keys == ["production.news", "production.video"]
    starts = [row["at"] for row in rows]
    # Every quarter-hour from midnight to now, newest first.
    assert starts[0] == NOW.replace(minute=0) and starts[-1] == MIDNIGHT
    assert len(starts) == 14 * 4 + 1
    assert all(a - b == timedelta(minutes=15) for a, b in pairwise(starts))

    karaj = Item.objects.filter(org__path__startswith=world.karaj.path)
    for row in rows:
        direct = [
            karaj.filter(kind=key.split(".")[1], published_at__gte=row["at"],
                         published_at__lt=row["at"] + timedelta(minutes=15)).count()
            for key in keys
        ]  # fmt: skip
        assert row["values"] == direct, row["at"]
    assert sum(sum(r["values"]) for r in rows) == karaj.filter(published_at__gte=MIDNIGHT).count()
    assert page.context["totals"] == [
        karaj.filter(kind=k.split(".")[1], published_at__gte=MIDNIGHT).count() for k in keys
    ]

    # The last hour (13:10–14:10) touches the quarters from 13:00 to 14:00: highlighted.
    recent = [row["at"].astimezone(TEHRAN).strftime("%H:%M") for row in rows if row["recent"]]
    assert recent == ["14:00", "13:45", "13:30", "13:15", "13:00"]
    html = page.content.decode()
    board = html[html.index('data-testid="election-board"') :]
    body = re.findall(r"<tr class=\"(recent)?\"><td>([^<]+)</td>", board)
    assert [cls for cls, _t in body[:6]] == ["recent"] * 5 + [""]
    assert body[0][1] == "۱۴:۰۰" and body[-1][1] == "۰۰:۰۰"  # Persian digits, Tehran time


def test_outsider_gets_no_board_of_karaj(client_for, personas, world):
    page = client_for(personas.outsider).get(
        reverse("command:election_day"), {"org": world.karaj.pk}
    )
    assert page.status_code == 404
