"""Ingestion: entries → normalised articles → stories → pickups → topic hits → alerts.

Called by ``actions.do_fetch_source`` inside its transaction; the search index follows the
article table by itself (FTS5 triggers on SQLite, an expression index on PostgreSQL).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache

from django.db.models import F
from django.utils import timezone

from didban.lib.persian import tokens
from didban.monitoring import dedup
from didban.monitoring.extract import Entry, url_key
from didban.monitoring.models import (
    Article,
    ArticleBand,
    HourlyCount,
    Pickup,
    Source,
    Story,
    Topic,
    TopicHit,
)
from didban.monitoring.rules import Document, Node, RuleSet, parse_rule

STORY_SIMILARITY = 0.5
STORY_WINDOW = timedelta(days=14)
PICKUP_WINDOW = timedelta(days=28)
PICKUP_MIN_CONTAINMENT = 0.5
PICKUP_WHOLE = 0.8
# How far in the future a feed's date may lie before it is taken as wrong.
FUTURE_SLACK = timedelta(hours=1)


@dataclass
class IngestReport:
    new: int = 0
    duplicates: int = 0
    hits: list[int] = field(default_factory=list)
    pickups: list[int] = field(default_factory=list)


# --- our published items -------------------------------------------------------------------


@dataclass(frozen=True)
class OurItem:
    item_id: int
    org_id: int
    published_at: datetime
    shingles: frozenset[int]


def published_items(org_path: str, since: datetime) -> list[tuple[int, int, datetime, str]]:
    """(item_id, org_id, published_at, text) of the organisation subtree's public items."""
    try:
        from didban.newsroom.models import Item
    except ImportError:  # the newsroom is not installed
        return []
    rows = Item.objects.filter(
        org__path__startswith=org_path,
        status__in=Item.PUBLIC_STATUSES,
        published_at__gte=since,
    ).values_list("id", "org_id", "published_at", "title", "lead", "body_text")
    return [(i, o, p, f"{t}\n{lead}\n{body}") for i, o, p, t, lead, body in rows]


@lru_cache(maxsize=20000)
def _item_shingles(item_id: int, published_at: datetime, text: str) -> frozenset[int]:
    return frozenset(dedup.shingles(tokens(text)))


class PickupMatcher:
    """Our items of the last weeks, with an inverted shingle index for fast containment."""

    def __init__(self, rows: list[tuple[int, int, datetime, str]]):
        self.items: dict[int, OurItem] = {}
        self.index: dict[int, list[int]] = defaultdict(list)
        for item_id, org_id, published_at, text in rows:
            found = _item_shingles(item_id, published_at, text)
            if len(found) < 5:
                continue
            self.items[item_id] = OurItem(item_id, org_id, published_at, found)
            for h in found:
                self.index[h].append(item_id)

    def match(self, article_shingles: set[int]) -> list[tuple[OurItem, float]]:
        shared: dict[int, int] = defaultdict(int)
        for h in article_shingles:
            for item_id in self.index.get(h, ()):
                shared[item_id] += 1
        out = []
        for item_id, count in shared.items():
            item = self.items[item_id]
            score = count / len(item.shingles)
            if score >= PICKUP_MIN_CONTAINMENT:
                out.append((item, score))
        return out


# --- topics ---------------------------------------------------------------------------------


@lru_cache(maxsize=4096)
def compiled_rule(rule: str) -> Node:
    return parse_rule(rule)


def topics_for(org_path: str) -> list[tuple[Topic, Node]]:
    """Active topics of the organisation and its ancestors: a province topic covers counties."""
    found = []
    for topic in Topic.objects.filter(is_active=True).select_related("org"):
        if org_path.startswith(topic.org.path):
            try:
                found.append((topic, compiled_rule(topic.rule)))
            except ValueError:
                continue
    return found


# --- the pipeline ---------------------------------------------------------------------------


def hour_of(moment: datetime) -> datetime:
    return moment.replace(minute=0, second=0, microsecond=0)


class Ingestor:
    """Ingests entries of one source; reuse one instance for a batch of entries."""

    def __init__(self, source: Source, *, now: datetime | None = None):
        self.source = source
        self.org = source.org
        self.now = now or timezone.now()
        self.topics = RuleSet(topics_for(self.org.path))
        self.matcher: PickupMatcher | None = None
        self.matcher_since: datetime | None = None
        self.report = IngestReport()
        self.known_keys: set[str] = set()
        self.known_hashes: set[str] = set()

    def _matcher_for(self, earliest: datetime) -> PickupMatcher:
        """Our items published in the window before the earliest article of the batch."""
        since = min(earliest, self.now) - PICKUP_WINDOW
        if self.matcher is None or since < self.matcher_since:
            self.matcher = PickupMatcher(published_items(self.org.path, since))
            self.matcher_since = since
        return self.matcher

    def ingest(self, entries: list[Entry]) -> IngestReport:
        keys = [url_key(e.url)[:1000] for e in entries]
        # Two queries for the whole batch instead of two per entry.
        for chunk in range(0, len(keys), 500):
            self.known_keys.update(
                Article.objects.filter(
                    org=self.org, url_key__in=keys[chunk : chunk + 500]
                ).values_list("url_key", flat=True)
            )
        self.known_hashes.update(
            Article.objects.filter(source=self.source).values_list("content_hash", flat=True)
        )
        dates = [e.published_at for e in entries if e.published_at]
        self._matcher_for(min(dates) if dates else self.now)
        for entry in entries:
            self.ingest_one(entry)
        return self.report

    def ingest_one(self, entry: Entry) -> Article | None:
        key = url_key(entry.url)[:1000]
        if not key or not (entry.text or entry.title):
            return None
        if key in self.known_keys or (
            not self.known_keys and Article.objects.filter(org=self.org, url_key=key).exists()
        ):
            self.report.duplicates += 1
            return None
        title_words = tokens(entry.title)
        text_words = tokens(entry.text)
        text_norm = " ".join(text_words)
        content_hash = hashlib.sha256(text_norm.encode()).hexdigest()
        # The same text under another address of the same source (duplicate GUIDs, mirrors).
        if content_hash in self.known_hashes:
            self.report.duplicates += 1
            return None
        self.known_keys.add(key)
        self.known_hashes.add(content_hash)
        published = entry.published_at
        guessed = published is None or published > self.now + FUTURE_SLACK
        if guessed:
            published = self.now
        found_shingles = dedup.shingles(text_words or title_words)
        sig = dedup.signature(found_shingles)
        keys = dedup.band_keys(sig)
        article = Article(
            org=self.org,
            source=self.source,
            outlet_id=self.source.outlet_id,
            url=entry.url[:1000],
            url_key=key,
            guid=entry.guid[:500],
            title=(entry.title or entry.text[:120])[:500],
            author=entry.author[:200],
            published_at=published,
            fetched_at=self.now,
            text=entry.text,
            summary=entry.summary[:1000],
            language=entry.language[:10] or "fa",
            title_norm=" ".join(title_words),
            text_norm=text_norm,
            content_hash=content_hash,
            signature=dedup.to_bytes(sig),
            date_was_guessed=guessed,
        )
        article.story = self._story_for(article, sig, keys)
        article.save()
        if article.story.first_article_id is None:
            article.story.first_article = article
            article.story.save(update_fields=["first_article"])
        ArticleBand.objects.bulk_create(
            [ArticleBand(org_id_copy=self.org.pk, key=k, article=article) for k in keys]
        )
        self.report.new += 1
        self._pickups(article, found_shingles)
        self._topics(article, title_words + text_words)
        return article

    def _story_for(self, article: Article, sig, keys: list[int]) -> Story:
        candidates = (
            ArticleBand.objects.filter(org_id_copy=self.org.pk, key__in=keys)
            .filter(article__published_at__gte=article.published_at - STORY_WINDOW)
            .values_list("article_id", flat=True)
            .distinct()[:200]
        )
        best, best_score = None, STORY_SIMILARITY
        rows = Article.objects.filter(pk__in=list(candidates)).values_list(
            "story_id", "signature", "outlet_id"
        )
        for story_id, other_sig, _outlet in rows:
            score = dedup.similarity(sig, dedup.from_bytes(other_sig))
            if story_id and score >= best_score:
                best, best_score = story_id, score
        if best is not None:
            story = Story.objects.get(pk=best)
            outlets = set(story.articles.values_list("outlet_id", flat=True).distinct())
            story.article_count += 1
            story.outlet_count = len(outlets | {article.outlet_id})
            if article.published_at < story.first_seen_at:
                story.first_seen_at = article.published_at
                story.first_outlet_id = article.outlet_id
                story.first_article = None
            story.last_seen_at = max(story.last_seen_at, article.published_at)
            story.save(
                update_fields=[
                    "article_count", "outlet_count", "first_seen_at", "first_outlet",
                    "first_article", "last_seen_at",
                ]
            )  # fmt: skip
            return story
        return Story.objects.create(
            org=self.org,
            title=article.title[:500],
            first_outlet_id=article.outlet_id,
            first_seen_at=article.published_at,
            last_seen_at=article.published_at,
        )

    def _pickups(self, article: Article, found_shingles: set[int]) -> None:
        matcher = self._matcher_for(article.published_at)
        for item, score in matcher.match(found_shingles):
            if article.published_at < item.published_at - timedelta(minutes=5):
                continue  # published before ours: not a pickup of our text
            if article.published_at - item.published_at > PICKUP_WINDOW:
                continue
            pickup, created = Pickup.objects.get_or_create(
                item_id=item.item_id,
                article=article,
                defaults={
                    "org_id": item.org_id,
                    "item_published_at": item.published_at,
                    "delay_seconds": max(
                        0, int((article.published_at - item.published_at).total_seconds())
                    ),
                    "similarity": round(score, 3),
                    "whole": score >= PICKUP_WHOLE,
                },
            )
            if created:
                self.report.pickups.append(pickup.pk)

    def _topics(self, article: Article, words: list[str]) -> None:
        if not self.topics.rules:
            return
        doc = Document.from_tokens(words)
        hour = hour_of(article.published_at)
        for topic in self.topics.matching(doc):
            # The article is new, so the hit is too.
            hit = TopicHit.objects.create(topic=topic, article=article, org=self.org, hour=hour)
            self.report.hits.append(hit.pk)
            updated = HourlyCount.objects.filter(topic=topic, hour=hour).update(
                count=F("count") + 1
            )
            if not updated:
                HourlyCount.objects.create(topic=topic, hour=hour, count=1)
