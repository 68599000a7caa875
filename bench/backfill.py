"""Topic back-fill: a new rule applied to the articles of the last 14 days.

Ours (``actions.do_backfill_topic``): candidates from the search index (FTS5 on SQLite,
tsvector on PostgreSQL), each confirmed with the ingest matcher, hits inserted in bulk.
Baseline, measured in the same run: the straightforward scan — every article of the window
loaded and matched with the same rule matcher, one hit saved per match.

Articles are generated (didban.monitoring.corpus), inserted directly (the search index
follows by itself) and spread over 20 days, so about 70% fall in the window. Rules: a rare
phrase, a mid-frequency AND and a common word. Bounded by ARTICLES (≈ 1–3 minutes).
"""

from __future__ import annotations

import random
import time
from datetime import timedelta

ARTICLES = 10_000
DAYS = 20
RULES = {
    "rare phrase": '"آب شرب روستاها" AND طالقان',
    "mid AND": "نظارت AND تبلیغات AND کرج",
    "common word": "انتخابات",
}


def _setup():
    import hashlib

    from django.utils import timezone

    from didban.accounts.models import Organization
    from didban.lib.persian import tokens
    from didban.monitoring import corpus
    from didban.monitoring.models import Article, Outlet, Source

    tag = time.time_ns()
    org = Organization.objects.create(name="bench backfill", code=f"bf-{tag}", kind="county_hq")
    org.path = f"/{org.pk}/"
    org.save()
    outlet = Outlet.objects.create(org=org, name="رسانه", kind="news_agency")
    source = Source.objects.create(org=org, outlet=outlet, name="s", kind="local", url="/bf")
    rng = random.Random(11)
    now = timezone.now()
    rows = []
    for n in range(ARTICLES):
        title, text = corpus.article(rng)
        text_norm = " ".join(tokens(text))
        rows.append(Article(
            org=org, source=source, outlet=outlet, url=f"https://bf.example.ir/{n}",
            url_key=f"bf.example.ir/{n}", title=title, text=text,
            title_norm=" ".join(tokens(title)), text_norm=text_norm,
            published_at=now - timedelta(seconds=rng.randint(0, DAYS * 86400)),
            content_hash=hashlib.sha256(text_norm.encode()).hexdigest(),
        ))  # fmt: skip
    Article.objects.bulk_create(rows, batch_size=500)
    return org


def _baseline(org, rule: str, days: int) -> tuple[float, int]:
    from django.db import transaction
    from django.utils import timezone

    from didban.monitoring.models import Article, Topic, TopicHit
    from didban.monitoring.pipeline import hour_of
    from didban.monitoring.rules import Document, matches, parse_rule

    topic = Topic.objects.create(org=org, name="baseline", rule=rule, is_active=False)
    start = time.perf_counter()
    node = parse_rule(rule)
    found = 0
    with transaction.atomic():
        window = Article.objects.filter(
            org=org, published_at__gte=timezone.now() - timedelta(days=days)
        ).values_list("pk", "published_at", "title_norm", "text_norm")
        for pk, published_at, title_norm, text_norm in window.iterator(chunk_size=1000):
            if matches(node, Document.from_tokens(title_norm.split() + text_norm.split())):
                TopicHit.objects.create(topic=topic, article_id=pk, org=org,
                                        hour=hour_of(published_at))  # fmt: skip
                found += 1
    return time.perf_counter() - start, found


def _ours(org, rule: str) -> tuple[float, int]:
    from didban.monitoring.actions import do_backfill_topic
    from didban.monitoring.models import Topic

    topic = Topic.objects.create(org=org, name="ours", rule=rule, is_active=True)
    start = time.perf_counter()
    result = do_backfill_topic(topic_id=topic.pk, rule=rule)
    return time.perf_counter() - start, result["hits"]


def run(report):
    from django.conf import settings
    from django.db import connection

    vendor = {"sqlite": "SQLite FTS5", "postgresql": "PostgreSQL"}.get(
        connection.vendor, connection.vendor
    )
    # What the worker has imported long before a back-fill runs.
    import didban.monitoring.actions
    import didban.monitoring.pipeline
    import didban.monitoring.search  # noqa: F401

    started = time.perf_counter()
    org = _setup()
    print(f"   {ARTICLES:,} articles generated in {time.perf_counter() - started:.0f} s",
          flush=True)  # fmt: skip
    days = settings.MONITORING_BACKFILL_DAYS
    for label, rule in RULES.items():
        base_seconds, base_hits = _baseline(org, rule, days)
        ours_seconds, ours_hits = _ours(org, rule)
        assert ours_hits == base_hits, (label, ours_hits, base_hits)
        print(f"   {label}: {ours_hits} hits", flush=True)
        report(
            f"topic back-fill, {label} ({ours_hits} hits), {days} days of {ARTICLES:,} "
            f"articles, {vendor}",
            round(ours_seconds * 1000, 1),
            "ms",
            baseline=round(base_seconds * 1000, 1),
            baseline_label="scan of every article in the window with the same matcher, "
            "one insert per hit",
        )
