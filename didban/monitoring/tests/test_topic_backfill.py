"""A new or changed topic rule looks back: the worker applies it to the organisation's
articles of the last MONITORING_BACKFILL_DAYS days, once (no duplicate hits when it runs
again), updates the hourly counts, marks the hits as back-filled and sends no alert."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from didban.core import periodic
from didban.core.models import AuditEntry
from didban.monitoring.actions import (
    do_backfill_topic,
    do_create_outlet,
    do_create_source,
    do_ingest_entries,
    do_save_alert_rule,
    do_save_topic,
)
from didban.monitoring.extract import Entry
from didban.monitoring.models import Alert, HourlyCount, TopicHit

pytestmark = pytest.mark.django_db

NOW = datetime(2024, 3, 10, 9, 30, tzinfo=UTC)
TEXTS = [
    # (days ago, hours, title, text)
    (1, 0, "مشاركت مردم كرج", "مشارکت حداکثری مردم کرج در انتخابات هدف ستاد است."),
    (1, 0, "مشارکت در فردیس", "مشاركت مردم در انتخابات با حضور پرشور ادامه دارد."),
    (3, 5, "آمار مشارکت", "ستاد انتخابات آمار مشارکت را اعلام کرد."),
    (2, 0, "فوتبال کرج", "تیم فوتبال کرج پیروز شد؛ مشارکت هواداران چشمگیر بود."),
    (20, 0, "مشارکت قدیمی", "خبری از مشارکت مردم در انتخابات گذشته."),  # beyond 14 days
    (1, 2, "هوای کرج", "هوای کرج امروز آفتابی است."),
]


@pytest.fixture
def ingested(make_source):
    source = make_source("/archive", kind="local")
    entries = [
        Entry(url=f"http://x.ir/{n}", title=title, text=text,
              published_at=NOW - timedelta(days=days, hours=hours))
        for n, (days, hours, title, text) in enumerate(TEXTS)
    ]  # fmt: skip
    with time_machine.travel(NOW, tick=False):
        do_ingest_entries(actor=None, source=source, entries=entries)
    return source


@pytest.fixture
def db_queue(settings, monkeypatch):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": []}}
    monkeypatch.setattr(periodic, "JOBS", {})


def _titles(topic):
    return {h.article.title for h in TopicHit.objects.filter(topic=topic)}


def test_saving_a_topic_queues_a_backfill_that_the_worker_runs(
    world, personas, ingested, db_queue, django_capture_on_commit_callbacks
):
    alert = do_save_alert_rule(
        actor=personas.county_analyst, org=world.karaj_info, name="x", kind="pickup",
        recipients=[personas.county_analyst],
    )  # fmt: skip
    with time_machine.travel(NOW, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            topic = do_save_topic(actor=personas.county_analyst, org=world.karaj_info,
                                  name="مشارکت", rule="مشارکت NOT فوتبال")  # fmt: skip
        task = DBTaskResult.objects.get(task_path__endswith="backfill_topic")
        assert task.status == TaskResultStatus.READY
        assert not TopicHit.objects.exists()  # nothing until the worker runs it
        call_command("worker", "--once")
    task.refresh_from_db()
    assert task.status == TaskResultStatus.SUCCESSFUL
    assert task.return_value == {"checked": 3, "hits": 3}
    assert _titles(topic) == {"مشاركت مردم كرج", "مشارکت در فردیس", "آمار مشارکت"}
    hits = TopicHit.objects.filter(topic=topic)
    assert all(h.backfilled and h.state == "new" for h in hits)
    day_ago = NOW - timedelta(days=1)
    counts = dict(HourlyCount.objects.filter(topic=topic).values_list("hour", "count"))
    assert counts == {
        day_ago.replace(minute=0): 2,
        (NOW - timedelta(days=3, hours=5)).replace(minute=0): 1,
    }
    assert not Alert.objects.filter(rule__org=alert.org).exists()  # back-filled: no alert
    entry = AuditEntry.objects.get(verb="monitoring.topic.backfill")
    assert entry.after == {"days": 14, "checked": 3, "hits": 3}


def test_running_twice_or_changing_the_rule_adds_no_duplicate(world, personas, ingested):
    with time_machine.travel(NOW, tick=False):
        topic = do_save_topic(actor=personas.county_analyst, org=world.karaj_info,
                              name="مشارکت", rule="مشارکت NOT فوتبال")  # fmt: skip
        assert do_backfill_topic(topic_id=topic.pk, rule=topic.rule) == {"checked": 3, "hits": 3}
        assert do_backfill_topic(topic_id=topic.pk, rule=topic.rule) == {"checked": 3, "hits": 0}
        # Widened: only the newly matching article is added, counts stay exact.
        topic = do_save_topic(actor=personas.county_analyst, org=world.karaj_info, topic=topic,
                              name="مشارکت", rule="مشارکت OR هوای")  # fmt: skip
        assert do_backfill_topic(topic_id=topic.pk, rule=topic.rule) == {"checked": 5, "hits": 2}
        # A stale task (the rule changed again since) does nothing.
        assert do_backfill_topic(topic_id=topic.pk, rule="مشارکت") == {"skipped": True}
    assert TopicHit.objects.filter(topic=topic).count() == 5
    total = sum(HourlyCount.objects.filter(topic=topic).values_list("count", flat=True))
    assert total == 5


def test_a_backfill_stays_inside_the_topics_organisation(world, personas, make_source):
    """A topic of Fardis never reaches Karaj's articles."""
    karaj = make_source("/archive", kind="local")
    with time_machine.travel(NOW, tick=False):
        do_ingest_entries(actor=None, source=karaj, entries=[
            Entry(url="http://x.ir/k", title="مشارکت کرج", text="مشارکت مردم کرج",
                  published_at=NOW - timedelta(hours=3)),
        ])  # fmt: skip
    fardis_org = world.fardis_info
    root = get_user_model().objects.create_superuser("national", "r@x.ir", "pw-for-tests-only")
    outlet = do_create_outlet(actor=root, org=fardis_org, name="فردیس", kind="website")
    source = do_create_source(actor=root, org=fardis_org, outlet=outlet, name="فردیس",
                              kind="local", url="/fardis")  # fmt: skip
    with time_machine.travel(NOW, tick=False):
        do_ingest_entries(actor=None, source=source, entries=[
            Entry(url="http://x.ir/f", title="مشارکت فردیس", text="مشارکت مردم فردیس",
                  published_at=NOW - timedelta(hours=3)),
        ])  # fmt: skip
        topic = do_save_topic(actor=root, org=fardis_org, name="مشارکت", rule="مشارکت")
        assert do_backfill_topic(topic_id=topic.pk, rule="مشارکت") == {"checked": 1, "hits": 1}
    assert _titles(topic) == {"مشارکت فردیس"}


def test_new_articles_after_the_save_alert_as_before(
    world, personas, make_source, django_capture_on_commit_callbacks
):
    """Only back-filled hits are silent; hits of articles ingested later alert as usual."""
    with time_machine.travel(NOW, tick=False):
        topic = do_save_topic(actor=personas.county_analyst, org=world.karaj_info,
                              name="مشارکت", rule="مشارکت")  # fmt: skip
        do_save_alert_rule(actor=personas.county_analyst, org=world.karaj_info, name="هشدار",
                           kind="topic", topic=topic, recipients=[personas.county_analyst])  # fmt: skip
        source = make_source("/archive", kind="local")
        with django_capture_on_commit_callbacks(execute=True):
            do_ingest_entries(actor=None, source=source, entries=[
                Entry(url="http://x.ir/n", title="مشارکت", text="مشارکت مردم کرج",
                      published_at=NOW - timedelta(minutes=5)),
            ])  # fmt: skip
    hit = TopicHit.objects.get(topic=topic)
    assert not hit.backfilled
    assert Alert.objects.filter(recipient=personas.county_analyst, status="sent").count() == 1


def test_the_topic_page_says_so_and_the_queue_marks_backfilled_hits(
    client_for, personas, ingested, django_capture_on_commit_callbacks
):
    analyst = client_for(personas.county_analyst)
    with time_machine.travel(NOW, tick=False), django_capture_on_commit_callbacks(execute=True):
        response = analyst.post(
            reverse("monitoring:topic_create"),
            {"name": "هوا", "rule": "هوای", "is_active": "on"},
            follow=True,
        )
    assert "مطالب ۱۴ روز گذشته" in response.content.decode()
    queue = analyst.get(reverse("monitoring:queue")).content.decode()
    assert queue.count('data-testid="hit-backfilled"') == 1
    assert "هوای کرج" in queue
    # The outsider neither sees the topic's hits nor can create one for Karaj.
    assert client_for(personas.outsider).get(reverse("monitoring:topic_create")).status_code == 403


def test_only_a_new_changed_or_reactivated_rule_queues_a_backfill(
    world, personas, db_queue, settings, django_capture_on_commit_callbacks
):
    def queued():
        return DBTaskResult.objects.filter(task_path__endswith="backfill_topic").count()

    def save(**fields):
        with django_capture_on_commit_callbacks(execute=True):
            return do_save_topic(actor=personas.county_analyst, org=world.karaj_info, **fields)

    topic = save(name="مشارکت", rule="مشارکت")
    assert queued() == 1
    topic = save(topic=topic, name="مشارکت مردم", rule="مشارکت")  # renamed only
    topic = save(topic=topic, name="مشارکت مردم", rule="مشارکت", is_active=False)  # off
    assert queued() == 1
    topic = save(topic=topic, name="مشارکت مردم", rule="مشارکت", is_active=True)  # on again
    assert queued() == 2
    settings.MONITORING_BACKFILL_DAYS = 0
    save(topic=topic, name="مشارکت مردم", rule="مشارکت OR حضور")
    assert queued() == 2
