"""The monitoring digest of an organisation for a Tehran day or hour: confirmed hits by tone
and outlet, hits per topic, articles per outlet, top stories and pickups of our items.

``daily_report`` and ``hourly_report`` only choose the period; ``digest`` builds the content
both share, and the page, the XLSX and the PDF render the same dict.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Count
from django.utils import timezone

from didban.lib.jalali import parse_jalali_date
from didban.monitoring import queries
from didban.monitoring.models import TopicHit

TEHRAN = ZoneInfo("Asia/Tehran")


def day_bounds(text: str):
    """The Tehran day typed as a Jalali date (today when empty or wrong), as UTC bounds."""
    try:
        day = parse_jalali_date(text) if text else None
    except ValueError:
        day = None
    day = day or timezone.localtime(timezone.now(), TEHRAN).date()
    start = datetime.combine(day, time(0), tzinfo=TEHRAN)
    return day, start, start + timedelta(days=1)


def last_full_hour(now: datetime | None = None) -> datetime:
    """The start (Tehran time) of the last hour that has ended."""
    local = timezone.localtime(now or timezone.now(), TEHRAN)
    return local.replace(minute=0, second=0, microsecond=0) - timedelta(hours=1)


def hour_bounds(day, hour: int | None):
    """A Tehran day and hour as bounds; the last full hour when either is missing."""
    if day is None or hour is None:
        start = last_full_hour()
    else:
        start = datetime.combine(day, time(hour), tzinfo=TEHRAN)
    return start, start + timedelta(hours=1)


def digest(user, start: datetime, end: datetime) -> dict:
    """What the user may see of the period [start, end)."""
    hits = queries.list_hits(user).filter(article__published_at__gte=start,
                                          article__published_at__lt=end)  # fmt: skip
    confirmed = hits.filter(state=TopicHit.State.CONFIRMED)
    by_tone = dict(confirmed.values_list("tone").annotate(n=Count("id")).values_list("tone", "n"))
    tones = [
        {"tone": value, "label": label, "count": by_tone.get(value, 0)}
        for value, label in TopicHit.Tone.choices
    ]
    by_outlet = list(
        confirmed.values("article__outlet__name", "tone")
        .annotate(n=Count("id"))
        .order_by("article__outlet__name", "tone")
    )
    outlets: dict[str, dict] = {}
    for row in by_outlet:
        entry = outlets.setdefault(
            row["article__outlet__name"],
            {"name": row["article__outlet__name"], "positive": 0, "neutral": 0, "negative": 0,
             "untagged": 0, "total": 0},
        )  # fmt: skip
        entry[row["tone"] or "untagged"] += row["n"]
        entry["total"] += row["n"]
    topics = list(
        hits.values("topic__name").annotate(n=Count("id")).order_by("-n", "topic__name")[:30]
    )
    articles = queries.list_articles(user).filter(published_at__gte=start, published_at__lt=end)
    articles_by_outlet = list(
        articles.values("outlet__name").annotate(n=Count("id")).order_by("-n", "outlet__name")[:30]
    )
    stories = (
        queries.list_stories(user)
        .filter(last_seen_at__gte=start, first_seen_at__lt=end, article_count__gt=1)
        .order_by("-outlet_count", "-article_count")[:10]
    )
    pickups = (
        queries.list_pickups(user)
        .filter(article__published_at__gte=start, article__published_at__lt=end)
        .order_by("delay_seconds")
    )
    return {
        "start": start,
        "end": end,
        "tones": tones,
        "outlets": sorted(outlets.values(), key=lambda o: -o["total"]),
        "topics": topics,
        "articles_by_outlet": articles_by_outlet,
        "stories": list(stories),
        "pickups": list(pickups[:100]),
        "confirmed": list(confirmed.order_by("-importance", "-article__published_at")[:200]),
        "hits_total": hits.count(),
        "articles_total": articles.count(),
    }


def daily_report(user, day_text: str = "") -> dict:
    day, start, end = day_bounds(day_text)
    return {**digest(user, start, end), "period": "day", "day": day}


def hourly_report(user, day=None, hour: int | None = None) -> dict:
    start, end = hour_bounds(day, hour)
    return {**digest(user, start, end), "period": "hour", "day": start.date()}
