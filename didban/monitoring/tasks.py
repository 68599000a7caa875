from __future__ import annotations

import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from didban.core.periodic import periodic

logger = logging.getLogger("didban.monitoring")

BATCH = 50


# Every 10 s, not every minute: a source is due ``poll_minutes`` after its last fetch
# *started*, which is a little after the dispatch that enqueued it, so a dispatcher running
# exactly as often as the shortest poll finds it not yet due and fetches it a round later —
# a 1-minute poll became 2 minutes (freshness up to 120 s, see bench/freshness.py). With
# 10 s the fetch is at most ~10 s late. One cheap indexed query a round.
DISPATCH_EVERY = timedelta(seconds=10)


@periodic(every=DISPATCH_EVERY)
@task()
def enqueue_due_sources() -> int:
    """Enqueue a fetch of every active source whose ``next_fetch_at`` has come."""
    from didban.monitoring.models import Source

    now = timezone.now()
    count = 0
    with transaction.atomic():
        due = list(
            Source.objects.select_for_update(skip_locked=True)
            .filter(is_active=True, next_fetch_at__lte=now)
            .order_by("next_fetch_at")
            .values_list("pk", flat=True)[:BATCH]
        )
        # Pushed forward at once, so the next round does not enqueue the same source again;
        # the fetch itself sets the real next time.
        Source.objects.filter(pk__in=due).update(next_fetch_at=now + timedelta(minutes=10))
    for source_id in due:
        fetch_source.enqueue(source_id)
        count += 1
    return count


@task()
def fetch_source(source_id: int) -> dict:
    from didban.monitoring.actions import do_fetch_source
    from didban.monitoring.models import Source

    if not Source.objects.filter(pk=source_id).exists():
        return {"skipped": True}
    report = do_fetch_source(actor=None, source_id=source_id)
    return {"new": report.new, "hits": len(report.hits), "pickups": len(report.pickups)}


@task()
def deliver_alerts(hit_ids: list[int], pickup_ids: list[int]) -> int:
    from didban.monitoring.alerts import route

    return route(hit_ids, pickup_ids)


@periodic(every=timedelta(hours=1))
@task()
def send_alert_digests() -> int:
    from didban.monitoring.alerts import send_digests

    return send_digests()


@periodic(every=timedelta(minutes=15))
@task()
def check_silent_sources() -> int:
    """Store the "silent too long" flag of every source (fetches keep it current too)."""
    from didban.monitoring.actions import do_refresh_silence

    return do_refresh_silence()


@task()
def backfill_topic(topic_id: int, rule: str) -> dict:
    """Apply a new or changed topic rule to the articles already ingested (see actions)."""
    from didban.monitoring.actions import do_backfill_topic

    return do_backfill_topic(topic_id=topic_id, rule=rule)
