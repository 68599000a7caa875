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
    return datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
