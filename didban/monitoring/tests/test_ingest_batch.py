"""The batched ingest path: one fetched batch in one transaction gives the same stories,
pickups, hits and hourly counts as ingesting the articles one by one."""

import random
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from didban.monitoring import corpus
from didban.monitoring.actions import do_ingest_entries, do_save_topic
from didban.monitoring.extract import Entry
from didban.monitoring.models import (
    Article,
    ArticleBand,
    HourlyCount,
    Pickup,
    Story,
    TopicHit,
)
from didban.monitoring.tests.test_stories_pickups import publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def sources(agency_sources):
    return agency_sources


def entry(url, title, text, when):
    return Entry(url=url, title=title, text=text, published_at=when)


def test_two_near_duplicates_in_one_batch_form_one_story(sources):
    rng = random.Random(7)
    title, text = corpus.article(rng)
    t1, body1, _ = corpus.derive(rng, title, text, outlet="ایرنا")
    t2, body2, _ = corpus.derive(rng, title, text, outlet="ایسنا")
    other_title, other = corpus.article(random.Random(99))
    now = timezone.now()
    # The later republication comes first in the feed: the story still starts at the earlier.
    report = do_ingest_entries(actor=None, source=sources[0], entries=[
        entry("http://irna.ir/2", t2, body2, now - timedelta(hours=1)),
        entry("http://irna.ir/1", t1, body1, now - timedelta(hours=3)),
        entry("http://irna.ir/3", other_title, other, now),
    ])  # fmt: skip
    assert report.new == 3
    assert Story.objects.count() == 2
    story = Story.objects.get(article_count=2)
    assert set(story.articles.values_list("url", flat=True)) == {"http://irna.ir/1",
                                                                 "http://irna.ir/2"}  # fmt: skip
    assert story.first_article.url == "http://irna.ir/1"
    assert story.first_seen_at == now - timedelta(hours=3)
    assert story.last_seen_at == now - timedelta(hours=1)
    assert story.outlet_count == 1 and story.first_outlet == sources[0].outlet
    # Every article has its 16 LSH band keys stored for later batches.
    assert ArticleBand.objects.count() == 3 * 16


def test_a_later_batch_joins_the_stored_story_and_counts_outlets(sources):
    title, text = corpus.article(random.Random(5))
    now = timezone.now()
    body1 = "به گزارش ایرنا، " + text
    do_ingest_entries(actor=None, source=sources[0],
                      entries=[entry("http://irna.ir/1", title, body1, now - timedelta(hours=2))])  # fmt: skip
    t2, body2 = title, "به گزارش ایسنا، " + text + "\n\nانتهای پیام/"
    t3, body3 = title + " + جزئیات", "ایسنا - گروه استان‌ها: " + text
    earliest = now - timedelta(hours=5)
    do_ingest_entries(actor=None, source=sources[1], entries=[
        entry("http://isna.ir/2", t2, body2, now),
        entry("http://isna.ir/3", t3, body3, earliest),
    ])  # fmt: skip
    story = Story.objects.get()
    assert story.article_count == 3
    assert story.outlet_count == 2
    # An article published before the story's first one becomes its first.
    assert story.first_seen_at == earliest
    assert story.first_outlet == sources[1].outlet
    assert story.first_article.url == "http://isna.ir/3"
    assert story.last_seen_at == now


def test_a_batch_with_a_pickup_of_our_item(world, personas, sources):
    rng = random.Random(3)
    title, text = corpus.article(rng, paragraphs=8)
    item = publish(personas, world, title, text)
    later = item.published_at + timedelta(minutes=30)
    noise = [corpus.article(random.Random(40 + n)) for n in range(3)]
    report = do_ingest_entries(actor=None, source=sources[0], entries=[
        *[entry(f"http://irna.ir/n{n}", t, x, later) for n, (t, x) in enumerate(noise)],
        entry("http://irna.ir/ours", title, "به گزارش ایرنا، " + text, later),
        # Published before our item: the same text, but not a pickup of ours.
        entry("http://irna.ir/early", title, text + "\n\nانتهای پیام/",
              item.published_at - timedelta(hours=2)),
    ])  # fmt: skip
    pickup = Pickup.objects.get()
    assert pickup.article.url == "http://irna.ir/ours"
    assert pickup.item_id == item.pk and pickup.whole and pickup.delay_seconds == 30 * 60
    assert report.pickups == [pickup.pk]


def test_hourly_counts_when_batches_span_hours_and_meet_again(world, personas, sources):
    topic = do_save_topic(actor=personas.county_analyst, org=world.karaj_info,
                          name="مشارکت", rule="مشارکت")  # fmt: skip
    base = datetime(2024, 2, 26, 6, 10, tzinfo=UTC)
    texts = [f"گزارش شماره {n} درباره مشارکت مردم در انتخابات شهر {n}" for n in range(6)]
    # 06:10, 06:40, 07:10, 07:40, 08:10 and one article without the word.
    first = [entry(f"http://x.ir/{n}", f"خبر {n}", texts[n], base + timedelta(minutes=30 * n))
             for n in range(5)]  # fmt: skip
    first.append(entry("http://x.ir/none", "خبر دیگر", "بازار میوه امروز آرام بود", base))
    report = do_ingest_entries(actor=None, source=sources[0], entries=first)
    assert len(report.hits) == 5
    hour = datetime(2024, 2, 26, 6, tzinfo=UTC)
    counts = dict(HourlyCount.objects.filter(topic=topic).values_list("hour", "count"))
    assert counts == {hour: 2, hour + timedelta(hours=1): 2, hour + timedelta(hours=2): 1}
    # A second batch adds to the stored hour and opens a new one.
    second = [entry("http://x.ir/a", "خبر الف", texts[5] + " الف", base + timedelta(minutes=5)),
              entry("http://x.ir/b", "خبر ب", texts[5] + " ب", base + timedelta(hours=5))]  # fmt: skip
    do_ingest_entries(actor=None, source=sources[1], entries=second)
    counts = dict(HourlyCount.objects.filter(topic=topic).values_list("hour", "count"))
    assert counts == {hour: 3, hour + timedelta(hours=1): 2, hour + timedelta(hours=2): 1,
                      hour + timedelta(hours=5): 1}  # fmt: skip
    assert TopicHit.objects.filter(topic=topic).count() == sum(counts.values())
    assert set(TopicHit.objects.values_list("hour", flat=True)) == set(counts)


def test_duplicates_within_and_across_batches(sources):
    title, text = corpus.article(random.Random(1))
    other_title, other = corpus.article(random.Random(2))
    now = timezone.now()
    report = do_ingest_entries(actor=None, source=sources[0], entries=[
        entry("http://irna.ir/1", title, text, now),
        entry("http://irna.ir/1", title, text, now),  # the same address twice in a feed
        entry("http://irna.ir/1-copy", title, text, now),  # the same text under another GUID
        entry("http://irna.ir/2", other_title, other, now),
    ])  # fmt: skip
    assert (report.new, report.duplicates) == (2, 2)
    again = do_ingest_entries(actor=None, source=sources[0], entries=[
        entry("http://irna.ir/2", other_title, other, now),
        entry("http://irna.ir/2-mirror", other_title, other, now),
    ])  # fmt: skip
    assert (again.new, again.duplicates) == (0, 2)
    assert Article.objects.count() == 2


def test_a_batch_costs_about_the_same_number_of_queries_whatever_its_size(world, personas, sources):
    do_save_topic(actor=personas.county_analyst, org=world.karaj_info, name="انتخابات",
                  rule="انتخابات OR مشارکت*")  # fmt: skip
    rng = random.Random(11)
    now = timezone.now()

    def batch(tag, n):
        out = []
        for k in range(n):
            title, text = corpus.article(rng)
            out.append(entry(f"http://q.ir/{tag}/{k}", title, text, now - timedelta(minutes=k)))
            if k % 3 == 0:  # republications, so stories are joined too
                t, x, _ = corpus.derive(rng, title, text, outlet="ایسنا")
                out.append(entry(f"http://q.ir/{tag}/{k}r", t, x, now))
        return out

    do_ingest_entries(actor=None, source=sources[0], entries=batch("warm", 3))
    counted = []
    for tag, n in (("small", 4), ("large", 40)):
        with CaptureQueriesContext(connection) as queries:
            do_ingest_entries(actor=None, source=sources[1], entries=batch(tag, n))
        counted.append(len(queries))
    # Ten times the articles: only the chunking of long IN lists and of bulk inserts (SQLite
    # takes at most 999 parameters a statement) adds a few statements, none per article.
    small, large = counted
    assert large <= small + 4, counted
