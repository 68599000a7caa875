"""The contract between the command room and the apps whose work it counts.

A provider belongs to one app and is written in this package, so the command room works with
whatever apps are installed: a provider whose app or model is missing reports itself
unavailable and only its figures disappear from the screen.

- `events(start, end)` yields `(org_id, when, metric)` for every raw row whose moment falls in
  [start, end) — counters are the number of such rows per bucket.
- `touched(since)` yields the moments of rows changed since `since`, so a row that arrives
  late (an offline check-in, a violation reported a day after it was seen) makes its own hour
  be recomputed.
- `gauges(now)` returns `{(org_id, metric): value}`: levels sampled at rollup time (open
  violations, designs on display).
- `link(metric, org, start, end)` is the URL of the list behind a figure, filtered the same way.
- `link_permission(metric)` is the permission that list asks for (`<name>.view` unless given):
  a reader without it on the organisation sees the figure without a link, never a refusal.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode

Event = tuple[int, datetime, str]


@dataclass
class Provider:
    name: str
    available: Callable[[], bool]
    events: Callable[[datetime, datetime], Iterable[Event]] = lambda start, end: ()
    touched: Callable[[datetime], Iterable[datetime]] = lambda since: ()
    gauges: Callable[[datetime], dict[tuple[int, str], int]] = lambda now: {}
    labels: Callable[[], dict[str, str]] = lambda: {}
    link: Callable[..., str | None] = lambda metric, org, start=None, end=None: None
    prefixes: tuple[str, ...] = field(default_factory=tuple)
    link_permission: Callable[[str], str] | None = None

    def permission_for(self, metric: str) -> str:
        if self.link_permission is not None:
            return self.link_permission(metric)
        return f"{self.name}.view"


def model_or_none(label: str):
    """The model `app_label.Model` if its app is installed and defines it, else None."""
    from django.apps import apps

    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def list_url(name: str, **params) -> str | None:
    """The URL of another app's list with query parameters, or None while it has no such view."""
    try:
        url = reverse(name)
    except NoReverseMatch:
        return None
    clean = {k: v for k, v in params.items() if v not in (None, "")}
    return f"{url}?{urlencode(clean)}" if clean else url


def local_days(start, end) -> dict:
    """`since`/`until` of a list filtered by Tehran days: the days holding [start, end)."""
    from datetime import timedelta

    from django.utils import timezone

    params = {}
    if start is not None:
        params["since"] = timezone.localdate(start).isoformat()
    if end is not None:
        params["until"] = timezone.localdate(end - timedelta(microseconds=1)).isoformat()
    return params


def has_fields(model, *names: str) -> bool:
    present = {f.name for f in model._meta.get_fields()}
    return all(n in present for n in names)
