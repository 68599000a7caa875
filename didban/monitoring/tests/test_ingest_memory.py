"""What the ingest keeps in the worker's memory between batches: the recent articles' story
data (a ring of committed rows) and the pickup matcher of our items. Both must give what the
database gives, and nothing of a rolled-back batch may stay behind."""

import random
from datetime import timedelta

import numpy as np
import pytest
from django.db import connection, transaction
from django.utils import timezone

from didban.monitoring import corpus, pipeline
from didban.monitoring.actions import do_create_outlet, do_ingest_entries
from didban.monitoring.extract import Entry
from didban.monitoring.models import Article, Pickup, Story, TopicHit
from didban.monitoring.tests.test_stories_pickups import publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def sources(world, personas, make_source):
    outlets = [
        do_create_outlet(actor=personas.county_analyst, org=world.karaj_info, name=name,
                         kind="news_agency")
        for name in ("ایرنا", "ایسنا", "تسنیم")
    ]  # fmt: skip
    return [make_source(f"/archive/{o.pk}", kind="local", outlet=o, name=o.name) for o in outlets]


def entry(url, title, text, when):
    return Entry(url=url, title=title, text=text, published_at=when)


def held(ids):
    return pipeline.recent_articles().held(np.array(ids, dtype=np.int64)).tolist()


def test_the_columns_written_are_every_column_of_the_models():
    def columns(model):
        return {f.column for f in model._meta.concrete_fields if not f.primary_key}

    assert set(pipeline.ARTICLE_COLUMNS) == columns(Article)
    assert set(pipeline.HIT_COLUMNS) == columns(TopicHit)
    assert set(pipeline.STORY_COLUMNS) == columns(Story)
    assert len(pipeline.ARTICLE_COLUMNS) == len(set(pipeline.ARTICLE_COLUMNS))


def test_committed_articles_join_the_ring_and_a_later_batch_groups_with_them(
    sources, django_capture_on_commit_callbacks
):
    title, text = corpus.article(random.Random(21))
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        do_ingest_entries(actor=None, source=sources[0], entries=[
            entry("http://irna.ir/1", title, "به گزارش ایرنا، " + text, now - timedelta(hours=2)),
        ])  # fmt: skip
    first = Article.objects.get()
    assert held([first.pk]) == [True]
    ring = pipeline.recent_articles()
    slot = first.pk % ring.capacity
    assert ring.stories[slot] == first.story_id
    assert ring.published[slot] == first.published_at.timestamp()
    assert bytes(ring.signatures[slot].astype("<u4").tobytes()) == bytes(first.signature)
    # The stored signature in the database is no longer what is compared: spoil it, and the
    # next batch still finds the story through the ring.
    Article.objects.filter(pk=first.pk).update(signature=b"\0" * 256)
    do_ingest_entries(actor=None, source=sources[1], entries=[
        entry("http://isna.ir/2", title, "به گزارش ایسنا، " + text, now),
    ])  # fmt: skip
    assert Story.objects.count() == 1
    assert Story.objects.get().article_count == 2


def test_articles_not_in_the_ring_are_read_from_the_database(sources):
    title, text = corpus.article(random.Random(22))
    now = timezone.now()
    # No commit happens inside a test's transaction: the ring stays empty.
    do_ingest_entries(actor=None, source=sources[0], entries=[
        entry("http://irna.ir/1", title, "به گزارش ایرنا، " + text, now - timedelta(hours=2)),
    ])  # fmt: skip
    first = Article.objects.get()
    assert held([first.pk]) == [False]
    do_ingest_entries(actor=None, source=sources[1], entries=[
        entry("http://isna.ir/2", title, "به گزارش ایسنا، " + text, now),
    ])  # fmt: skip
    assert Story.objects.get().article_count == 2
    # With the signature spoilt in the database (and the ring empty) the third does not join.
    Article.objects.update(signature=b"\0" * 256)
    do_ingest_entries(actor=None, source=sources[2], entries=[
        entry("http://tasnim.ir/3", title, "تسنیم: " + text, now),
    ])  # fmt: skip
    assert Story.objects.count() == 2


def test_a_rolled_back_batch_leaves_nothing_in_the_ring(sources):
    title, text = corpus.article(random.Random(23))
    now = timezone.now()
    with pytest.raises(RuntimeError), transaction.atomic():
        do_ingest_entries(actor=None, source=sources[0], entries=[
            entry("http://irna.ir/1", title, text, now),
        ])  # fmt: skip
        ids = list(Article.objects.values_list("pk", flat=True))
        assert ids
        raise RuntimeError("the fetch failed after the ingest")
    # The on-commit callbacks of the rolled-back block were dropped.
    assert connection.run_on_commit == []
    assert held(ids) == [False]
    assert not Article.objects.exists()


def test_the_cached_pickup_matcher_sees_items_published_and_edited_between_batches(
    world, personas, sources
):
    rng = random.Random(24)
    first_title, first_text = corpus.article(rng, paragraphs=6)
    first = publish(personas, world, first_title, first_text)
    later = first.published_at + timedelta(minutes=20)
    do_ingest_entries(actor=None, source=sources[0], entries=[
        entry("http://irna.ir/a", first_title, first_text, later),
    ])  # fmt: skip
    assert Pickup.objects.filter(item_id=first.pk).count() == 1
    # A new item published after the matcher was built is matched by the next batch.
    second_title, second_text = corpus.article(rng, paragraphs=6)
    second = publish(personas, world, second_title, second_text)
    do_ingest_entries(actor=None, source=sources[1], entries=[
        entry("http://isna.ir/b", second_title, "ایسنا: " + second_text,
              second.published_at + timedelta(minutes=5)),
    ])  # fmt: skip
    assert Pickup.objects.filter(item_id=second.pk).count() == 1
    # An item whose text changes: the next batch compares with the new text.
    third_title, third_text = corpus.article(rng, paragraphs=6)
    type(second).objects.filter(pk=second.pk).update(
        body_text=third_text, updated_at=timezone.now()
    )
    do_ingest_entries(actor=None, source=sources[2], entries=[
        entry("http://tasnim.ir/c", third_title, third_text,
              second.published_at + timedelta(minutes=9)),
    ])  # fmt: skip
    assert Pickup.objects.filter(item_id=second.pk).count() == 2
