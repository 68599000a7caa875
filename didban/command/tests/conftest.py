from __future__ import annotations

import itertools
from datetime import UTC, datetime

import pytest

from didban.command.models import HourlyFigure

_codes = itertools.count(1)


def raw_item(org, author, *, kind="news", published_at=None):
    """A newsroom item row as the newsroom leaves it after publishing (the rollup's raw row)."""
    from didban.newsroom.models import Item

    return Item.objects.create(
        org=org, author=author, kind=kind, title="خبر آزمایشی", news_code=f"T-{next(_codes)}",
        status=Item.Status.PUBLISHED if published_at else Item.Status.DRAFT,
        published_at=published_at,
    )  # fmt: skip


def figure(org, metric, value, bucket_start, resolution=HourlyFigure.Resolution.HOUR):
    return HourlyFigure.objects.create(
        org=org, metric=metric, value=value, bucket_start=bucket_start, resolution=resolution
    )


@pytest.fixture
def hour():
    """The start of the current hourly bucket (a Tehran hour: :30 past a UTC hour)."""
    from didban.command.rollup import floor

    return floor(datetime.now(UTC), 60)


BOT_TOKEN = "123456:TEST-token-abc"


@pytest.fixture
def bot_api():
    """The local fake Telegram Bot API server the publishing tests use (real HTTP)."""
    from didban.publishing.tests.fakes import FakeBotApi

    with FakeBotApi(tokens=[BOT_TOKEN]) as server:
        yield server


@pytest.fixture
def make_chat(personas, world, settings):
    """`make_chat(org, kind="bale", target=…, base_url=…)`: a messenger channel of an org."""
    from didban.publishing.actions import do_save_channel

    settings.PUBLISHING_TIMEOUT_SECONDS = 1

    def make(org=None, kind="bale", name=None, target="@karaj_election", base_url="",
             secret=BOT_TOKEN, **fields):  # fmt: skip
        org = org or world.karaj
        from didban.testing import member

        actor = member("admin", org)
        return do_save_channel(
            actor=actor, org=org, kind=kind, name=name or f"کانال {kind} {org.name}",
            target=target, base_url=base_url, secret=secret, rate_per_minute=0, **fields,
        )  # fmt: skip

    return make
