"""Stories group republications; pickups find our published items in the outlets' articles."""

import random
from datetime import timedelta

import pytest
from django.utils import timezone

from didban.monitoring import corpus
from didban.monitoring.actions import do_create_outlet, do_ingest_entries
from didban.monitoring.extract import Entry
from didban.monitoring.models import Article, Pickup, Story

pytestmark = pytest.mark.django_db


def publish(personas, world, title, text):
    from didban.newsroom.actions import do_create_item, do_publish_item, do_submit_item

    body = "".join(f"<p>{p}</p>" for p in text.split("\n\n"))
    item = do_create_item(
        actor=personas.county_producer, org=world.karaj_info, title=title, body=body
    )
    do_submit_item(actor=personas.county_producer, item=item)
    return do_publish_item(actor=personas.county_editor, item=item)


@pytest.fixture
def outlets(world, personas):
    return [
        do_create_outlet(actor=personas.county_analyst, org=world.karaj_info, name=name, kind=kind)
        for name, kind in [("ایرنا", "news_agency"), ("ایسنا", "news_agency"), ("تسنیم", "news_agency"),
                           ("روزنامه البرز", "newspaper"), ("کانال خبری کرج", "channel")]
    ]  # fmt: skip


@pytest.fixture
def sources(outlets, make_source):
    return [make_source(f"/archive/{o.pk}", kind="local", outlet=o, name=o.name) for o in outlets]


def test_republications_form_one_story_with_first_outlet_and_spread(sources):
    rng = random.Random(7)
    title, text = corpus.article(rng)
    now = timezone.now()
    for n, source in enumerate(sources[:4]):
        t, body, _whole = corpus.derive(rng, title, text, outlet=source.outlet.name)
        entry = Entry(url=f"http://o{n}.ir/news/1", title=t, text=body,
                      published_at=now - timedelta(hours=4 - n))  # fmt: skip
        do_ingest_entries(actor=None, source=source, entries=[entry])
    other_title, other_text = corpus.article(random.Random(99))
    do_ingest_entries(actor=None, source=sources[4], entries=[
        Entry(url="http://o9.ir/x", title=other_title, text=other_text, published_at=now)
    ])  # fmt: skip
    assert Story.objects.count() == 2
    story = Story.objects.get(article_count=4)
    assert story.outlet_count == 4
    assert story.first_outlet == sources[0].outlet
    assert story.first_article.source == sources[0]
    assert (story.last_seen_at - story.first_seen_at) == timedelta(hours=3)


def test_pickups_of_a_published_item_with_delay_and_whole_or_partial(world, personas, sources):
    rng = random.Random(3)
    title, text = corpus.article(rng, paragraphs=8)
    item = publish(personas, world, title, text)
    paras = text.split("\n\n")
    later = item.published_at + timedelta(minutes=42)
    whole = Entry(url="http://irna.ir/1", title=title,
                  text="به گزارش ایرنا، " + text + "\n\nانتهای پیام/", published_at=later)  # fmt: skip
    part = Entry(url="http://isna.ir/2", title=title, text="\n\n".join(paras[:5]),
                 published_at=later + timedelta(hours=1))  # fmt: skip
    unrelated_title, unrelated = corpus.article(random.Random(11))
    other = Entry(
        url="http://tasnim.ir/3", title=unrelated_title, text=unrelated, published_at=later
    )
    do_ingest_entries(actor=None, source=sources[0], entries=[whole])
    do_ingest_entries(actor=None, source=sources[1], entries=[part])
    do_ingest_entries(actor=None, source=sources[2], entries=[other])
    pickups = {p.article.url: p for p in Pickup.objects.select_related("article")}
    assert set(pickups) == {"http://irna.ir/1", "http://isna.ir/2"}
    assert (
        pickups["http://irna.ir/1"].whole and pickups["http://irna.ir/1"].delay_seconds == 42 * 60
    )
    assert not pickups["http://isna.ir/2"].whole
    assert 0.5 <= pickups["http://isna.ir/2"].similarity < 0.8
    assert all(p.item_id == item.pk and p.org == world.karaj_info for p in pickups.values())


def test_pickup_and_story_precision_and_recall_on_a_generated_corpus(world, personas, sources):
    """Articles derived from our items (trimmed, reordered, intro/outro) are found; others not."""
    rng = random.Random(2024)
    items = [publish(personas, world, *corpus.article(rng)) for _ in range(6)]
    truth, n = {}, 0
    for item in items:
        for source in rng.sample(sources, 3):
            t, body, _whole = corpus.derive(
                rng, item.title, item.body_text, outlet=source.outlet.name
            )
            url = f"http://{source.pk}.ir/{n}"
            n += 1
            truth[url] = item.pk
            do_ingest_entries(actor=None, source=source, entries=[
                Entry(url=url, title=t, text=body, published_at=item.published_at + timedelta(minutes=n))
            ])  # fmt: skip
    for k in range(20):
        t, body = corpus.article(rng)
        url = f"http://noise.ir/{k}"
        truth[url] = None
        do_ingest_entries(actor=None, source=sources[k % 5], entries=[
            Entry(url=url, title=t, text=body, published_at=timezone.now())
        ])  # fmt: skip
    found = {(p.article.url, p.item_id) for p in Pickup.objects.select_related("article")}
    expected = {(u, i) for u, i in truth.items() if i is not None}
    precision = len(found & expected) / max(len(found), 1)
    recall = len(found & expected) / len(expected)
    assert precision >= 0.95 and recall >= 0.95, (precision, recall)
    # Every republication of one item lands in one story, and noise in stories of its own.
    for item in items:
        urls = [u for u, i in truth.items() if i == item.pk]
        stories = set(Article.objects.filter(url__in=urls).values_list("story_id", flat=True))
        assert len(stories) == 1
