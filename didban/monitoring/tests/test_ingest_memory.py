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
from didban.monitoring.actions import do_ingest_entries
from didban.monitoring.models import Article, Pickup, Story, TopicHit
from didban.monitoring.tests.test_ingest_batch import entry
from didban.monitoring.tests.test_stories_pickups import publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def sources(agency_sources):
    return agency_sources


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


def band_rows(n, *, start=1, keys=40, seed=0):
    rng = random.Random(seed)
    return [(rng.randrange(keys), 1000 + i // 4, rng.randrange(100), start + i) for i in range(n)]


def brute_force(rows, keys, since):
    found = {}
    for key, article_id, published, _id in rows:
        if key in keys and published >= since:
            found.setdefault(key, []).append(article_id)
    return {k: sorted(v) for k, v in found.items()}


def as_dict(found):
    keys, ids = found
    out = {}
    for key, article_id in zip(keys.tolist(), ids.tolist(), strict=True):
        out.setdefault(key, []).append(article_id)
    return {k: sorted(v) for k, v in out.items()}


@pytest.mark.parametrize("seed", range(5))
def test_band_memory_lookup_equals_a_scan_of_its_rows(seed):
    memory = pipeline.BandMemory(org_id=1, capacity=10_000)
    memory.DELTA_LIMIT = 50  # merge into the large part often
    rows = band_rows(400, seed=seed)
    for start in range(0, 300, 37):  # committed in parts, in id order
        memory.merge(pipeline._band_arrays(rows[start : min(start + 37, 300)]))
    extra = pipeline._band_arrays(rows[300:])  # read for this batch, not merged
    wanted = list(range(0, 40, 3))
    got = as_dict(memory.lookup(wanted, extra, since=30))
    assert got == brute_force(rows, set(wanted), 30)
    # Merging rows already merged adds nothing.
    memory.merge(pipeline._band_arrays(rows[:300]))
    again = as_dict(memory.lookup(wanted, pipeline._band_arrays([]), since=30))
    assert again == brute_force(rows[:300], set(wanted), 30)


def test_band_memory_keeps_the_newest_rows_up_to_its_capacity():
    memory = pipeline.BandMemory(org_id=1, capacity=10)  # 10 articles: 160 band rows
    memory.DELTA_LIMIT = 20
    rows = band_rows(1000)
    for start in range(0, 1000, 25):
        memory.merge(pipeline._band_arrays(rows[start : start + 25]))
    held = np.concatenate([memory.main[3], memory.delta[3]])
    assert len(held) <= memory.limit + memory.DELTA_LIMIT + 25
    assert held.max() == 1000  # the newest is there
    assert held.min() > 1000 - memory.limit - memory.DELTA_LIMIT - 25  # the oldest are gone
    assert memory.synced == 1000


def test_another_workers_rows_are_read_and_a_new_worker_loads_the_stored_ones(
    world, sources, django_capture_on_commit_callbacks
):
    from didban.monitoring.models import ArticleBand

    org = world.karaj_info
    rng = random.Random(25)
    title, text = corpus.article(rng)
    now = timezone.now()

    def ingest(source, url, body, when=now):
        with django_capture_on_commit_callbacks(execute=True):
            do_ingest_entries(actor=None, source=source,
                              entries=[entry(url, title, body, when)])  # fmt: skip

    ingest(sources[0], "http://irna.ir/1", "به گزارش ایرنا، " + text, now - timedelta(hours=3))
    other_title, other_text = corpus.article(rng)
    with django_capture_on_commit_callbacks(execute=True):
        do_ingest_entries(actor=None, source=sources[0], entries=[
            entry("http://irna.ir/other", other_title, other_text, now)])  # fmt: skip
    first_worker = pipeline.band_memory(org.pk)
    first_article = Article.objects.get(url="http://irna.ir/1")
    # The second batch read the first one's rows and merged them when it committed.
    assert first_worker.synced == max(
        ArticleBand.objects.filter(article=first_article).values_list("id", flat=True)
    )
    # A second worker (a new process) loads the stored rows and joins the story.
    pipeline._bands[org.pk] = pipeline.BandMemory(org.pk, capacity=1000)
    ingest(sources[1], "http://isna.ir/2", "به گزارش ایسنا، " + text, now - timedelta(hours=2))
    assert Story.objects.get(articles__url="http://isna.ir/2").article_count == 2
    # The first worker, back, reads what the second wrote since it last looked.
    pipeline._bands[org.pk] = first_worker
    ingest(sources[2], "http://tasnim.ir/3", "تسنیم: " + text, now - timedelta(hours=1))
    story = Story.objects.get(articles__url="http://tasnim.ir/3")
    assert story.article_count == 3 and story.outlet_count == 3


def test_band_rows_read_in_a_rolled_back_transaction_are_not_merged(
    sources, django_capture_on_commit_callbacks
):
    from didban.monitoring.models import ArticleBand

    rng = random.Random(26)
    now = timezone.now()
    memory = pipeline.band_memory(sources[0].org.pk)
    for n in range(2):  # the second batch reads and merges the first one's rows
        title, text = corpus.article(rng)
        with django_capture_on_commit_callbacks(execute=True):
            do_ingest_entries(actor=None, source=sources[0], entries=[
                entry(f"http://irna.ir/{n}", title, text, now)])  # fmt: skip
    first = Article.objects.get(url="http://irna.ir/0")
    merged = max(ArticleBand.objects.filter(article=first).values_list("id", flat=True))
    assert memory.synced == merged
    title, text = corpus.article(rng)
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        # Reads the second batch's rows, then the fetch fails: nothing may be merged.
        do_ingest_entries(actor=None, source=sources[1], entries=[
            entry("http://isna.ir/2", title, text, now)])  # fmt: skip
        raise RuntimeError("the fetch failed after the ingest")
    assert memory.synced == merged
    assert set(memory.main[3].tolist()) | set(memory.delta[3].tolist()) == set(
        ArticleBand.objects.filter(article=first).values_list("id", flat=True)
    )


class _Fake:
    def __init__(self, keys, sig, published):
        self.keys, self.sig, self.published = keys, sig, published


@pytest.mark.parametrize("seed", range(6))
def test_the_batch_wide_best_candidate_equals_one_article_at_a_time(seed, monkeypatch):
    """_best_stored pairs the whole batch with its candidates at once; it must pick what a
    loop over the articles picks: the highest score, then the most recently published, among
    the most recent MAX_STORY_CANDIDATES candidates in each article's window."""
    monkeypatch.setattr(pipeline, "MAX_STORY_CANDIDATES", 5)
    rng = np.random.default_rng(seed)
    stored = 60
    known = np.arange(100, 100 + stored, dtype=np.int64)
    published = rng.integers(0, 20 * 86400, stored).astype(np.float64)
    stories = rng.integers(1, 15, stored)
    signatures = rng.integers(0, 3, (stored, 64)).astype(np.uint32)
    bands = {int(a): rng.choice(30, 4, replace=False).tolist() for a in known}
    batch = [
        _Fake(rng.choice(30, 4, replace=False).tolist(), rng.integers(0, 3, 64).astype(np.uint32),
              float(rng.integers(10 * 86400, 21 * 86400)))
        for _ in range(25)
    ]  # fmt: skip
    rows = [(k, a) for a, keys in bands.items() for k in keys]
    stored_keys = np.array([k for k, _a in rows], dtype=np.uint64)
    stored_ids = np.array([a for _k, a in rows], dtype=np.int64)
    table = (known, published, stories, signatures)
    best_story, best_score = pipeline.Ingestor._best_stored(batch, stored_keys, stored_ids, table)
    window = pipeline.STORY_WINDOW.total_seconds()
    for n, prep in enumerate(batch):
        ids = sorted({a for k, a in rows if k in prep.keys})
        at = [
            i for i in range(stored) if known[i] in ids and published[i] >= prep.published - window
        ]
        at = sorted(at, key=lambda i: published[i])[-5:]
        if not at:
            assert best_score[n] == 0
            continue
        top = max(
            at, key=lambda i: (int(np.count_nonzero(signatures[i] == prep.sig)), published[i])
        )
        assert best_score[n] == np.count_nonzero(signatures[top] == prep.sig)
        assert best_story[n] == stories[top]


def test_a_new_worker_loads_in_chunks_what_it_would_load_at_once(sources):
    from didban.monitoring.models import ArticleBand

    rng = random.Random(27)
    now = timezone.now()
    do_ingest_entries(actor=None, source=sources[0], entries=[
        entry(f"http://irna.ir/{n}", *corpus.article(rng), now) for n in range(4)
    ])  # fmt: skip
    org_id = sources[0].org.pk
    ids = sorted(ArticleBand.objects.values_list("id", flat=True))
    assert len(ids) == 4 * 16
    whole = pipeline.BandMemory(org_id, capacity=1000)
    whole.load()
    chunked = pipeline.BandMemory(org_id, capacity=1000)
    chunked.LOAD_CHUNK = 7
    chunked.load()
    assert [c.tolist() for c in chunked.main] == [c.tolist() for c in whole.main]
    assert sorted(whole.main[3].tolist()) == ids
    assert whole.synced == chunked.synced == ids[-1]
    assert whole.main[0].tolist() == sorted(whole.main[0].tolist())
    # The bound: two articles' worth of rows, the newest.
    small = pipeline.BandMemory(org_id, capacity=2)
    small.LOAD_CHUNK = 5
    small.load()
    assert sorted(small.main[3].tolist()) == ids[-32:]
