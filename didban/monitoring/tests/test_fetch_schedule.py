"""The worker fetches a source again one poll interval after its last fetch, give or take the
dispatcher's 10 s, not a dispatcher round later (a 1-minute poll used to become 2 minutes)."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.management import call_command

from didban.core import periodic
from didban.monitoring.models import Source
from didban.monitoring.tasks import DISPATCH_EVERY
from didban.monitoring.tests.fakesite import rss

START = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)


def _fetches(site) -> int:
    return sum(1 for path, _headers in site.requests if path == "/rss")


@pytest.mark.django_db(transaction=True)
def test_a_one_minute_poll_is_fetched_every_minute(fakesite, make_source, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": []}}
    item = {"title": "خبر", "link": f"{fakesite.url}/news/1", "summary": "متن " * 150}
    fakesite.routes["/rss"] = {"body": rss([item]), "type": "application/rss+xml"}
    with time_machine.travel(START, tick=False):
        source = make_source(f"{fakesite.url}/rss", poll_minutes=1)
        periodic.enqueue_due()  # the dispatcher's schedule starts now
    # The worker's next round runs the dispatcher and then the fetch it enqueued: the fetch
    # starts a little after the dispatcher's due time, as it always does.
    with time_machine.travel(START + timedelta(seconds=1), tick=False):
        call_command("worker", "--once")
    assert _fetches(fakesite) == 1
    source.refresh_from_db()
    assert source.next_fetch_at == START + timedelta(seconds=61)
    # Worker rounds every 5 s: the dispatcher comes at 60 s (the source is not due yet) and
    # must come again soon after, not a whole minute later.
    second = None
    for seconds in range(5, 85, 5):
        with time_machine.travel(START + timedelta(seconds=seconds), tick=False):
            call_command("worker", "--once")
        if second is None and _fetches(fakesite) == 2:
            second = seconds
    assert second is not None, "not fetched again within 80 s of a 1-minute poll"
    assert 61 <= second <= 61 + DISPATCH_EVERY.total_seconds() + 5
    assert Source.objects.get(pk=source.pk).consecutive_failures == 0
