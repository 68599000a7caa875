"""The monitoring part of the demo: outlets, local-file sources fed by the bundled archive,
topics, a few thousand articles through the real pipeline, filtered hits, pickups and alerts."""

from __future__ import annotations

import random
import re
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from didban.accounts.models import User
from didban.monitoring import actions, corpus
from didban.monitoring.demo_archive import DIR, OUTLETS
from didban.monitoring.models import TopicHit

ARCHIVE_NOW = datetime(2024, 2, 27, 12, 0, tzinfo=UTC)
TOPICS = [
    ("مشارکت", 'مشارکت* OR "حضور در انتخابات" OR "واجدان شرایط"'),
    ("تبلیغات نامزدها", '"تبلیغات نامزدها" OR "تبلیغات انتخاباتی" OR (تبلیغات AND تخلف*)'),
    ("شایعه", "شایعه* OR تکذیب*"),
    ("امنیت و نظارت", "(امنیت OR نظارت) NEAR/3 (انتخابات OR صندوق*)"),
    ("صدا و سیما", '"صدا و سیما" OR "پخش زنده"'),
    ("اکران طرح‌ها", "اکران AND طرح*"),
]
_PUBDATE = re.compile(r"<pubDate>([^<]+)</pubDate>")


def _copy_shifted(target: Path) -> None:
    """Copy the archive with its dates moved so that its newest article is from now."""
    shift = timezone.now() - ARCHIVE_NOW
    target.mkdir(parents=True, exist_ok=True)
    for file in sorted(DIR.glob("*.xml")):
        text = file.read_text(encoding="utf-8")
        text = _PUBDATE.sub(
            lambda m: (
                f"<pubDate>{format_datetime(parsedate_to_datetime(m.group(1)) + shift)}</pubDate>"
            ),
            text,
        )
        (target / file.name).write_text(text, encoding="utf-8")


def _pickup_feed(target: Path, items) -> Path | None:
    """Republications of the newsroom demo's published items, as a local feed file."""
    rng = random.Random(7)  # noqa: S311 - demo text, not secrets
    from didban.monitoring.demo_archive import _rss

    entries = []
    for item in items:
        text = item.body_text or item.lead
        if len(text.split()) < 30:
            continue
        for n, (slug, name, *_rest) in enumerate(rng.sample(OUTLETS[:8], rng.randint(1, 4))):
            title, body, _whole = corpus.derive(rng, item.title, text, outlet=name)
            entries.append({
                "title": title, "text": body, "link": f"https://{slug}.example.ir/news/p{item.pk}-{n}",
                "date": item.published_at + timedelta(minutes=rng.randint(4, 240)),
            })  # fmt: skip
    if not entries:
        return None
    path = target / "republished" / "pickups.xml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(_rss("بازنشر", entries), encoding="utf-8")
    return path


def load(*, root, orgs) -> None:
    org = orgs.get("karaj-info")
    if org is None:
        return
    analyst = User.objects.filter(username="karaj.analyst").first() or root
    supervisor = User.objects.filter(username="karaj.supervisor").first() or root
    target = Path(settings.DATA_DIR) / "monitoring-demo"
    _copy_shifted(target)
    topics = [
        actions.do_save_topic(actor=analyst, org=org, name=name, rule=rule) for name, rule in TOPICS
    ]
    actions.do_save_alert_rule(
        actor=analyst, org=org, name="هشدار شایعه", kind="topic", topic=topics[2],
        recipients=[analyst, supervisor], mode="immediate", max_per_hour=10,
    )  # fmt: skip
    actions.do_save_alert_rule(
        actor=analyst, org=org, name="بازنشر اخبار ما", kind="pickup",
        recipients=[analyst, supervisor], mode="hourly",
    )  # fmt: skip
    outlets = {}
    for slug, name, kind, _count in OUTLETS:
        outlet = actions.do_create_outlet(actor=analyst, org=org, name=name, kind=kind)
        outlets[slug] = outlet
        source = actions.do_create_source(
            actor=analyst, org=org, outlet=outlet, name=name, kind="local",
            url=str(target / f"{slug}.xml"), poll_minutes=60, fetch_full_text=False,
        )  # fmt: skip
        actions.do_fetch_source(actor=None, source_id=source.pk)
    try:
        from didban.newsroom.models import Item

        published = list(
            Item.objects.filter(org__path__startswith=org.path, status__in=Item.PUBLIC_STATUSES)
        )
    except ImportError:
        published = []
    if path := _pickup_feed(target, published):
        source = actions.do_create_source(
            actor=analyst, org=org, outlet=outlets["irna"], name="بایگانی بازنشرها", kind="local",
            url=str(path), poll_minutes=60, fetch_full_text=False,
        )  # fmt: skip
        actions.do_fetch_source(actor=None, source_id=source.pk)
    # An analyst's morning: part of the queue filtered, with tones.
    rng = random.Random(5)  # noqa: S311 - demo text, not secrets
    hits = list(TopicHit.objects.filter(org=org).order_by("pk"))
    rng.shuffle(hits)
    third = len(hits) // 3
    confirmed = hits[:third]
    for n, tone in enumerate(["positive", "neutral", "negative"]):
        group = confirmed[n::3] if tone != "positive" else confirmed[0::3] + confirmed[3::7]
        actions.do_bulk_review_hits(actor=analyst, hits=group, state="confirmed", tone=tone)
    for hit in confirmed[:12]:
        actions.do_review_hit(actor=analyst, hit=hit, importance=3, note="پیگیری با روابط عمومی")
    actions.do_bulk_review_hits(
        actor=analyst, hits=hits[third : third + third // 2], state="dismissed"
    )
    # A broken source, so the health panel has something to say.
    broken = actions.do_create_source(
        actor=analyst, org=org, outlet=outlets["karajnews"], name="کرج‌نیوز (نشانی قدیمی)",
        kind="local", url=str(target / "missing" / "old-feed.xml"), poll_minutes=60,
    )  # fmt: skip
    actions.do_fetch_source(actor=None, source_id=broken.pk)
