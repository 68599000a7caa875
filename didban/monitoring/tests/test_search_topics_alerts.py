"""Search (the same tests on SQLite and PostgreSQL), topic hits per hour, filtering, alerts."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from didban.monitoring.actions import (
    do_bulk_review_hits,
    do_ingest_entries,
    do_review_hit,
    do_save_alert_rule,
    do_save_topic,
)
from didban.monitoring.alerts import send_digests
from didban.monitoring.extract import Entry
from didban.monitoring.models import Alert, Article, HourlyCount, TopicHit
from didban.monitoring.rules import RuleError
from didban.monitoring.search import highlight, search

pytestmark = pytest.mark.django_db

DOCS = [
    (
        "رئيس ستاد انتخابات كرج",
        "مشاركت حداكثري در انتخابات ۱۴۰۲ هدف اصلي است و اطلاع‌رساني بلحظه انجام مي‌شود.",
    ),
    (
        "تبلیغات نامزدها",
        "پایش تبلیغات نامزدها در سطح شهر کرج ادامه دارد؛ تخلفات به هیئت نظارت گزارش می شود.",
    ),
    ("فوتبال", "تیم فوتبال کرج در لیگ برتر به مصاف حریف رفت و ۲ بر ۱ پیروز شد."),
    ("شایعه", "شایعه تعویق انتخابات در فضای مجازی تکذیب شد؛ ستاد انتخابات گفت این خبر صحت ندارد."),
]


@pytest.fixture
def articles(make_source):
    source = make_source("/archive", kind="local")
    base = datetime(2024, 2, 26, 6, 0, tzinfo=UTC)
    entries = [
        Entry(url=f"http://x.ir/{n}", title=t, text=body, published_at=base + timedelta(hours=n))
        for n, (t, body) in enumerate(DOCS)
    ]
    do_ingest_entries(actor=None, source=source, entries=entries)
    return {a.url: a for a in Article.objects.all()}


def urls(qs):
    return [a.url.rsplit("/", 1)[1] for a in qs]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("کرج", {"0", "1", "2"}),
        ("كرج", {"0", "1", "2"}),  # Arabic kaf typed
        ("یک OR مشارکت", {"0"}),  # Persian yeh finds the Arabic-yeh text
        ("۱۴۰۲", {"0"}),
        ("1402", {"0"}),
        ("اطلاع رسانی", {"0"}),  # ZWNJ in the text
        ("میشود", {"0", "1"}),  # «می‌شود» and «می شود»
        ('"تبلیغات نامزدها"', {"1"}),
        ("انتخاب*", {"0", "3"}),
        ("کرج NOT فوتبال", {"0", "1"}),
        ("(شایعه OR فوتبال) AND کرج", {"2"}),
        ("ستاد NEAR/2 کرج", {"0"}),
    ],
)
def test_search_finds_every_spelling(articles, query, expected):
    found, _node = search(Article.objects.all(), query)
    assert set(urls(found)) == expected


def test_search_orders_by_relevance_or_time_and_highlights(articles):
    newest, node = search(Article.objects.all(), "کرج", order="newest")
    assert urls(newest) == ["2", "1", "0"]
    ranked, node = search(Article.objects.all(), "انتخابات")
    assert len(urls(ranked)) == 2
    snippet = highlight(articles["http://x.ir/0"].text, search(Article.objects.all(), "مشارکت")[1])
    assert "<mark>مشاركت</mark>" in snippet  # marked in the original spelling
    assert "<script>" not in highlight("<script>x</script> کرج", node)


def test_search_refuses_a_malformed_query(articles):
    with pytest.raises(RuleError):
        search(Article.objects.all(), "(کرج")


def test_topics_hit_new_articles_and_count_per_hour(world, personas, make_source):
    topic = do_save_topic(actor=personas.county_analyst, org=world.karaj_info,
                          name="مشارکت", rule="مشارکت OR شایعه*")  # fmt: skip
    with pytest.raises(ValidationError) as info:
        do_save_topic(actor=personas.county_analyst, org=world.karaj_info, name="بد", rule="(کرج")
    assert "(ستون 1)" in str(info.value)  # Persian by default
    with pytest.raises(PermissionDenied):
        do_save_topic(actor=personas.outsider, org=world.karaj_info, name="x", rule="کرج")
    source = make_source("/archive", kind="local")
    base = datetime(2024, 2, 26, 6, 10, tzinfo=UTC)
    do_ingest_entries(actor=None, source=source, entries=[
        Entry(url=f"http://x.ir/{n}", title=t, text=body, published_at=base + timedelta(minutes=20 * n))
        for n, (t, body) in enumerate(DOCS)
    ])  # fmt: skip
    hits = TopicHit.objects.filter(topic=topic)
    assert {h.article.title for h in hits} == {"رئيس ستاد انتخابات كرج", "شایعه"}
    counts = dict(HourlyCount.objects.filter(topic=topic).values_list("hour", "count"))
    assert counts == {
        datetime(2024, 2, 26, 6, tzinfo=UTC): 1,
        datetime(2024, 2, 26, 7, tzinfo=UTC): 1,
    }


def test_filtering_confirms_with_tone_and_refuses_the_outsider(world, personas, make_source):
    topic = do_save_topic(
        actor=personas.county_analyst, org=world.karaj_info, name="کرج", rule="کرج"
    )
    source = make_source("/archive", kind="local")
    do_ingest_entries(actor=None, source=source, entries=[
        Entry(url=f"http://x.ir/{n}", title=t, text=body, published_at=timezone.now())
        for n, (t, body) in enumerate(DOCS)
    ])  # fmt: skip
    hits = list(TopicHit.objects.filter(topic=topic).order_by("pk"))
    assert len(hits) == 3
    do_review_hit(actor=personas.county_analyst, hit=hits[0], state="confirmed", tone="negative",
                  importance=3, note="  پیگیری شود ")  # fmt: skip
    hits[0].refresh_from_db()
    assert (hits[0].state, hits[0].tone, hits[0].importance, hits[0].note) == (
        "confirmed",
        "negative",
        3,
        "پیگیری شود",
    )
    assert hits[0].reviewer == personas.county_analyst
    with pytest.raises(ValidationError):
        do_review_hit(actor=personas.county_analyst, hit=hits[1], tone="angry")
    with pytest.raises(PermissionDenied):
        do_review_hit(actor=personas.outsider, hit=hits[1], state="dismissed")
    assert do_bulk_review_hits(actor=personas.county_analyst, hits=hits[1:], state="dismissed") == 2
    assert TopicHit.objects.filter(state="dismissed").count() == 2


def test_alerts_immediate_throttled_and_digest(
    world, personas, make_source, django_capture_on_commit_callbacks
):
    personas.county_supervisor.email = "sup@example.ir"
    personas.county_supervisor.save()
    topic = do_save_topic(
        actor=personas.county_analyst, org=world.karaj_info, name="کرج", rule="کرج"
    )
    rule = do_save_alert_rule(
        actor=personas.county_analyst, org=world.karaj_info, name="هشدار کرج", kind="topic",
        topic=topic, recipients=[personas.county_analyst, personas.county_supervisor],
        by_email=True, max_per_hour=2,
    )  # fmt: skip
    source = make_source("/archive", kind="local")
    with django_capture_on_commit_callbacks(execute=True):
        do_ingest_entries(actor=None, source=source, entries=[
            Entry(url=f"http://x.ir/{n}", title=t, text=body, published_at=timezone.now())
            for n, (t, body) in enumerate(DOCS)
        ])  # fmt: skip
    # Three hits, two allowed an hour: two go out at once (app + email), one is held back.
    app = Alert.objects.filter(rule=rule, channel="app", status="sent")
    assert app.filter(recipient=personas.county_analyst).count() == 2
    assert len(mail.outbox) == 2 and mail.outbox[0].to == ["sup@example.ir"]
    assert Alert.objects.filter(rule=rule, status="throttled").count() == 1
    rule.refresh_from_db()
    assert len(rule.pending) == 1
    assert send_digests() == 3  # the held-back hit, in one digest: app ×2 + email
    rule.refresh_from_db()
    assert rule.pending == []
    assert Alert.objects.filter(
        recipient=personas.county_analyst, subject__contains="هشدار کرج"
    ).exists()
