""" "Silent too long" is stored: set by the worker's periodic check and by each fetch, cleared
by a new article or a pause, shown on the sources page and the home panel, and filterable."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from didban.core.models import AuditEntry
from didban.monitoring.actions import do_fetch_source, do_set_source_active
from didban.monitoring.models import Source
from didban.monitoring.tasks import check_silent_sources

pytestmark = pytest.mark.django_db

FEED = """<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>ایرنا</title>
{items}</channel></rss>"""
ITEM = """<item><title>{title}</title><link>https://irna.ir/news/{n}</link>
<description>{text}</description><guid>{n}</guid></item>"""


def _feed(path, count):
    items = "".join(
        ITEM.format(n=n, title=f"خبر شماره {n} ستاد انتخابات",
                    text="ستاد انتخابات کرج اعلام کرد که ثبت‌نام داوطلبان ادامه دارد. " * 3 + str(n))
        for n in range(count)
    )  # fmt: skip
    path.write_text(FEED.format(items=items), encoding="utf-8")


@pytest.fixture
def source(tmp_path, make_source):
    feed = tmp_path / "feed.xml"
    _feed(feed, 2)
    source = make_source(str(feed), kind="local", silent_hours=24)
    return source, feed


def test_the_periodic_check_flags_and_a_new_article_clears(source):
    source, feed = source
    do_fetch_source(actor=None, source_id=source.pk)
    source.refresh_from_db()
    assert source.last_item_at and not source.is_silent
    fetched = source.last_item_at
    # A day and a bit later nothing new has come: the worker's check stores the flag.
    with time_machine.travel(fetched + timedelta(hours=25), tick=False):
        assert check_silent_sources.enqueue().return_value == 1
        assert check_silent_sources.enqueue().return_value == 0  # nothing more to change
    source.refresh_from_db()
    assert source.is_silent and source.silent_since == fetched
    entry = AuditEntry.objects.get(verb="monitoring.source.silent")
    assert entry.actor_repr == "worker"
    # A fetch that brings a new article clears it at once.
    _feed(feed, 3)
    with time_machine.travel(fetched + timedelta(hours=26), tick=False):
        report = do_fetch_source(actor=None, source_id=source.pk)
    assert report.new == 1
    source.refresh_from_db()
    assert not source.is_silent and source.silent_since is None


def test_a_fetch_that_brings_nothing_sets_the_flag_and_a_pause_clears_it(source, personas):
    source, _feed_path = source
    do_fetch_source(actor=None, source_id=source.pk)
    source.refresh_from_db()
    with time_machine.travel(source.last_item_at + timedelta(hours=30), tick=False):
        assert do_fetch_source(actor=None, source_id=source.pk).new == 0
    source.refresh_from_db()
    assert source.is_silent
    do_set_source_active(actor=personas.county_analyst, source=source, active=False)
    source.refresh_from_db()
    assert not source.is_silent  # a paused source is not "silent", it is paused


def test_a_source_never_fetched_successfully_is_not_silent(make_source):
    source = make_source("/nowhere/feed.xml", kind="local")
    do_fetch_source(actor=None, source_id=source.pk)  # fails: missing file
    with time_machine.travel(timezone.now() + timedelta(days=10), tick=False):
        assert check_silent_sources.enqueue().return_value == 0
    source.refresh_from_db()
    assert source.consecutive_failures == 1 and not source.is_silent


def test_pages_show_and_filter_sources_with_problems(
    client_for, world, personas, source, make_source
):
    source, _feed_path = source
    quiet = timezone.now() - timedelta(days=3)
    Source.objects.filter(pk=source.pk).update(
        is_silent=True, silent_since=quiet, last_success_at=quiet, name="منبع خاموش"
    )
    make_source("/x/fine.xml", kind="local", name="منبع سالم")
    analyst = client_for(personas.county_analyst)
    everything = analyst.get(reverse("monitoring:source_list")).content.decode()
    assert "منبع خاموش" in everything and "منبع سالم" in everything
    problems = analyst.get(reverse("monitoring:source_list"), {"problems": "1"}).content.decode()
    assert "منبع خاموش" in problems and "منبع سالم" not in problems
    assert "خاموشی طولانی" in problems
    home = analyst.get(reverse("home")).content.decode()
    assert 'data-testid="sources-with-problems" class="badge text-bg-danger num">۱<' in home
    api = analyst.get("/api/v1/monitoring/sources/", {"problems": "1"}).json()
    assert [s["name"] for s in api["results"]] == ["منبع خاموش"]
    assert api["results"][0]["silent_too_long"] is True
    # The outsider sees none of it.
    outsider = client_for(personas.outsider)
    body = outsider.get(reverse("monitoring:source_list"), {"problems": "1"}).content.decode()
    assert "منبع خاموش" not in body
    assert outsider.get("/api/v1/monitoring/sources/", {"problems": "1"}).json()["results"] == []
