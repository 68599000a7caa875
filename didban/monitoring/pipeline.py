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
from itertools import chain

import numpy as np
from django.db import connection
from django.db.models import NOT_PROVIDED
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
# At most this many stored articles sharing a band key are compared with a new one.
MAX_STORY_CANDIDATES = 200
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
    """Our items of the last weeks, with an inverted shingle index for fast containment.

    Each shingle points to the items holding it (one flat numpy array of postings), so the
    shared shingles of an article with every item are gathered and counted at once by
    ``bincount``: boilerplate shingles that all items share cost no Python loop.
    """

    def __init__(self, rows: list[tuple[int, int, datetime, str]]):
        self.items: dict[int, OurItem] = {}
        index: dict[int, list[int]] = defaultdict(list)
        order: list[OurItem] = []
        for item_id, org_id, published_at, text in rows:
            found = _item_shingles(item_id, published_at, text)
            if len(found) < 5 or item_id in self.items:
                continue
            item = self.items[item_id] = OurItem(item_id, org_id, published_at, found)
            for h in found:
                index[h].append(len(order))
            order.append(item)
        self.order = order
        self.sizes = np.array([len(item.shingles) for item in order], dtype=np.float64)
        # The postings of all shingles in one flat array; shingle -> its slot (start, length).
        self.slot = {h: n for n, h in enumerate(index)}
        lengths = [len(ids) for ids in index.values()]
        self.lengths = np.array(lengths, dtype=np.int64)
        self.starts = np.cumsum(self.lengths) - self.lengths
        self.flat = np.fromiter(
            chain.from_iterable(index.values()), dtype=np.int64, count=sum(lengths)
        )
        self.known = frozenset(index)

    def match(self, article_shingles: set[int]) -> list[tuple[OurItem, float]]:
        common = article_shingles & self.known  # a set intersection in C
        if not common:
            return []
        slot = self.slot
        ids = np.fromiter([slot[h] for h in common], dtype=np.int64, count=len(common))
        lengths, starts = self.lengths[ids], self.starts[ids]
        # Gather the postings of the shared shingles: output position j of slot k reads
        # flat[starts[k] + j - (where slot k begins in the output)].
        shift = np.repeat(starts - (np.cumsum(lengths) - lengths), lengths)
        positions = shift + np.arange(int(lengths.sum()))
        shared = np.bincount(self.flat[positions], minlength=len(self.order))
        scores = shared / self.sizes
        return [
            (self.order[i], float(scores[i]))
            for i in np.flatnonzero(scores >= PICKUP_MIN_CONTAINMENT)
        ]


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


class _Prepared:
    """One new article of a batch while it goes through the pipeline (not yet saved)."""

    __slots__ = ("article", "keys", "shingles", "sig", "story", "words")

    def __init__(self, article: Article, words: list[str], shingles: set[int], sig, keys):
        self.article = article
        self.words = words
        self.shingles = shingles
        self.sig = sig
        self.keys = keys
        self.story: _StoryState | None = None


class _StoryState:
    """A story touched by a batch: its row and the outlets and first article seen so far."""

    __slots__ = ("changed", "first", "new", "outlets", "story")

    def __init__(self, story: Story, outlets: set[int], *, new: bool):
        self.story = story
        self.outlets = outlets
        self.first: _Prepared | None = None
        self.new = new
        self.changed = new


class Ingestor:
    """Ingests entries of one source, a fetched batch at a time.

    A batch costs a fixed number of queries whatever its size: known addresses and texts, the
    story candidates sharing an LSH band key, the stories they belong to, then one bulk insert
    each for stories, articles (the FTS5 triggers fill the search index), bands, pickups and
    topic hits, one bulk update of the stories and one upsert of the hourly counts. Call it
    inside a transaction (``actions.do_fetch_source`` / ``do_ingest_entries`` do). Reuse one
    instance for several batches of the same source.
    """

    CHUNK = 900  # values per IN (...) list and rows per bulk insert (SQLite: 999 parameters)

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

    def _chunks(self, values: list):
        for start in range(0, len(values), self.CHUNK):
            yield values[start : start + self.CHUNK]

    def ingest(self, entries: list[Entry]) -> IngestReport:
        batch = self._prepare(entries)
        if not batch:
            return self.report
        self._group_stories(batch)
        self._save(batch)
        return self.report

    def ingest_one(self, entry: Entry) -> Article | None:
        batch_before = self.report.new
        self.ingest([entry])
        if self.report.new == batch_before:
            return None
        return Article.objects.filter(org=self.org, url_key=url_key(entry.url)[:1000]).first()

    # --- 1. what is new, normalised ---------------------------------------------------------

    def _prepare(self, entries: list[Entry]) -> list[_Prepared]:
        keyed = []
        for entry in entries:
            key = url_key(entry.url)[:1000]
            if key and (entry.text or entry.title):
                keyed.append((key, entry))
        fresh_keys = list({k for k, _e in keyed} - self.known_keys)
        for chunk in self._chunks(fresh_keys):
            self.known_keys.update(
                Article.objects.filter(org=self.org, url_key__in=chunk).values_list(
                    "url_key", flat=True
                )
            )
        normalised = []
        for key, entry in keyed:
            if key in self.known_keys:
                self.report.duplicates += 1
                continue
            self.known_keys.add(key)
            title_words = tokens(entry.title)
            text_words = tokens(entry.text)
            text_norm = " ".join(text_words)
            content_hash = hashlib.sha256(text_norm.encode()).hexdigest()
            normalised.append((key, entry, title_words, text_words, text_norm, content_hash))
        # The same text under another address of the same source (duplicate GUIDs, mirrors).
        fresh_hashes = list({n[5] for n in normalised} - self.known_hashes)
        for chunk in self._chunks(fresh_hashes):
            self.known_hashes.update(
                Article.objects.filter(source=self.source, content_hash__in=chunk).values_list(
                    "content_hash", flat=True
                )
            )
        batch = []
        for key, entry, title_words, text_words, text_norm, content_hash in normalised:
            if content_hash in self.known_hashes:
                self.report.duplicates += 1
                continue
            self.known_hashes.add(content_hash)
            published = entry.published_at
            guessed = published is None or published > self.now + FUTURE_SLACK
            if guessed:
                published = self.now
            found_shingles = dedup.shingles(text_words or title_words)
            sig = dedup.signature(found_shingles)
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
            batch.append(
                _Prepared(article, title_words + text_words, found_shingles, sig,
                          dedup.band_keys(sig))
            )  # fmt: skip
        return batch

    # --- 2. stories -------------------------------------------------------------------------

    def _group_stories(self, batch: list[_Prepared]) -> None:
        """Each article joins the story of its most similar earlier candidate (stored or in
        this batch) sharing an LSH band key within the story window, or starts a new one."""
        earliest = min(p.article.published_at for p in batch) - STORY_WINDOW
        all_keys = list({k for p in batch for k in p.keys})
        # key -> [(article_id, published_at, story_id, signature)] of stored articles.
        stored: dict[int, list[tuple]] = defaultdict(list)
        for chunk in self._chunks(all_keys):
            rows = ArticleBand.objects.filter(
                org_id_copy=self.org.pk,
                key__in=chunk,
                article__published_at__gte=earliest,
                article__story__isnull=False,
            ).values_list(
                "key", "article_id", "article__published_at", "article__story_id",
                "article__signature",
            )  # fmt: skip
            for key, article_id, published_at, story_id, sig in rows:
                stored[key].append((article_id, published_at, story_id, sig))
        signatures: dict[int, object] = {}
        pending: dict[int, list[_Prepared]] = defaultdict(list)  # key -> earlier batch articles
        chosen: list[tuple[_Prepared, int | _Prepared | None]] = []
        for prep in batch:
            since = prep.article.published_at - STORY_WINDOW
            candidates: dict[int, tuple[int, object]] = {}  # article_id -> (story_id, sig)
            local: dict[int, _Prepared] = {}
            for key in prep.keys:
                for article_id, published_at, story_id, sig in stored.get(key, ()):
                    if published_at >= since and len(candidates) < MAX_STORY_CANDIDATES:
                        candidates[article_id] = (story_id, sig)
                for other in pending.get(key, ()):
                    if other.article.published_at >= since:
                        local[id(other)] = other
            best, best_score = None, STORY_SIMILARITY
            for article_id, (story_id, raw) in candidates.items():
                sig = signatures.get(article_id)
                if sig is None:
                    sig = signatures[article_id] = dedup.from_bytes(raw)
                score = dedup.similarity(prep.sig, sig)
                if score >= best_score:
                    best, best_score = story_id, score
            for other in local.values():
                score = dedup.similarity(prep.sig, other.sig)
                if score >= best_score:
                    best, best_score = other, score
            chosen.append((prep, best))
            for key in prep.keys:
                pending[key].append(prep)
        # The stored stories that are joined, with the outlets they already have.
        story_ids = {b for _p, b in chosen if isinstance(b, int)}
        states: dict[int, _StoryState] = {}
        outlets: dict[int, set[int]] = defaultdict(set)
        for chunk in self._chunks(list(story_ids)):
            for story_id, outlet_id in (
                Article.objects.filter(story_id__in=chunk)
                .values_list("story_id", "outlet_id")
                .distinct()
            ):
                outlets[story_id].add(outlet_id)
            for story in Story.objects.filter(pk__in=chunk):
                states[story.pk] = _StoryState(story, outlets[story.pk], new=False)
        for prep, best in chosen:
            if isinstance(best, _Prepared):
                state = best.story
            elif best is not None and best in states:
                state = states[best]
            else:
                article = prep.article
                state = _StoryState(
                    Story(
                        org=self.org,
                        title=article.title[:500],
                        first_outlet_id=article.outlet_id,
                        first_seen_at=article.published_at,
                        last_seen_at=article.published_at,
                    ),
                    {article.outlet_id},
                    new=True,
                )
                state.first = prep
                prep.story = state
                continue
            self._join(state, prep)
            prep.story = state

    @staticmethod
    def _join(state: _StoryState, prep: _Prepared) -> None:
        story, article = state.story, prep.article
        state.outlets.add(article.outlet_id)
        story.article_count += 1
        story.outlet_count = len(state.outlets)
        if article.published_at < story.first_seen_at:
            story.first_seen_at = article.published_at
            story.first_outlet_id = article.outlet_id
            state.first = prep
        story.last_seen_at = max(story.last_seen_at, article.published_at)
        state.changed = True

    # --- 3. writes --------------------------------------------------------------------------

    def _save(self, batch: list[_Prepared]) -> None:
        states = list({id(p.story): p.story for p in batch}.values())
        Story.objects.bulk_create([s.story for s in states if s.new])
        for prep in batch:
            prep.article.story = prep.story.story
        # The search index follows: FTS5 by its insert trigger, PostgreSQL's stored tsvector.
        insert_rows([p.article for p in batch], key=("org_id", "url_key"))
        for state in states:
            if state.first is not None:
                state.story.first_article = state.first.article
        # Plain UPDATE/INSERT statements run with executemany: the ORM's bulk_update builds a
        # CASE per field and row, which cost more than the rest of the batch.
        stamp = Story._meta.get_field("first_seen_at")
        _executemany(
            f"UPDATE {_table(Story)} SET article_count = %s, outlet_count = %s, "  # noqa: S608
            "first_seen_at = %s, first_outlet_id = %s, first_article_id = %s, "
            "last_seen_at = %s WHERE id = %s",
            [
                (
                    st.article_count,
                    st.outlet_count,
                    stamp.get_db_prep_value(st.first_seen_at, connection),
                    st.first_outlet_id,
                    st.first_article_id,
                    stamp.get_db_prep_value(st.last_seen_at, connection),
                    st.pk,
                )
                for st in (s.story for s in states if s.changed)
            ],
        )
        _executemany(
            f"INSERT INTO {_table(ArticleBand)} (org_id_copy, {connection.ops.quote_name('key')}, "  # noqa: S608
            "article_id) VALUES (%s, %s, %s)",
            [(self.org.pk, k, p.article.pk) for p in batch for k in p.keys],
        )
        self.report.new += len(batch)
        self._pickups(batch)
        self._topics(batch)

    def _pickups(self, batch: list[_Prepared]) -> None:
        matcher = self._matcher_for(min(p.article.published_at for p in batch))
        found = []
        for prep in batch:
            article = prep.article
            for item, score in matcher.match(prep.shingles):
                if article.published_at < item.published_at - timedelta(minutes=5):
                    continue  # published before ours: not a pickup of our text
                if article.published_at - item.published_at > PICKUP_WINDOW:
                    continue
                found.append(
                    Pickup(
                        item_id=item.item_id,
                        article=article,
                        org_id=item.org_id,
                        item_published_at=item.published_at,
                        delay_seconds=max(
                            0, int((article.published_at - item.published_at).total_seconds())
                        ),
                        similarity=round(score, 3),
                        whole=score >= PICKUP_WHOLE,
                    )
                )
        if found:
            # The articles are new, so are their pickups.
            Pickup.objects.bulk_create(found, batch_size=self.CHUNK)
            self.report.pickups.extend(p.pk for p in found)

    def _topics(self, batch: list[_Prepared]) -> None:
        if not self.topics.rules:
            return
        hits = []
        counts: dict[tuple[int, datetime], int] = defaultdict(int)
        for prep in batch:
            article = prep.article
            hour = hour_of(article.published_at)
            for topic in self.topics.matching(Document.from_tokens(prep.words)):
                # The article is new, so the hit is too.
                hits.append(TopicHit(topic=topic, article=article, org=self.org, hour=hour))
                counts[(topic.pk, hour)] += 1
        if not hits:
            return
        insert_rows(hits, key=("topic_id", "article_id"))
        self.report.hits.extend(h.pk for h in hits)
        add_hourly_counts(counts)


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _executemany(sql: str, rows: list[tuple]) -> None:
    if rows:
        with connection.cursor() as cursor:
            cursor.executemany(sql, rows)


def insert_rows(objs: list, *, key: tuple[str, ...]) -> None:
    """Insert new model instances with multi-row ``INSERT … RETURNING`` and set their ids.

    What ``bulk_create`` does, without its per-row compiler work: columns and values come from
    the model's fields (defaults and ``auto_now_add`` as the ORM applies them), and the ids
    are matched back by ``key``, a unique set of columns, so no row order is assumed. Other
    databases than SQLite and PostgreSQL, and models with a database default, use
    ``bulk_create``.
    """
    if not objs:
        return
    model = type(objs[0])
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    if connection.vendor not in ("sqlite", "postgresql") or any(
        f.db_default is not NOT_PROVIDED for f in fields
    ):  # a database default is an expression only the ORM's insert knows how to write
        model.objects.bulk_create(objs)
        return
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    returning = ", ".join(quote(c) for c in ("id", *key))
    per_row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    size = max(1, 999 // len(fields))
    by_key = {}
    for obj in objs:
        by_key[tuple(getattr(obj, k) for k in key)] = obj
    with connection.cursor() as cursor:
        for start in range(0, len(objs), size):
            chunk = objs[start : start + size]
            params = []
            for obj in chunk:
                params.extend(f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields)
            cursor.execute(
                f"INSERT INTO {_table(model)} ({columns}) VALUES "  # noqa: S608 - our names
                + ", ".join([per_row] * len(chunk))
                + f" RETURNING {returning}",
                params,
            )
            for row in cursor.fetchall():
                obj = by_key[tuple(row[1:])]
                obj.pk = row[0]
                obj._state.adding = False
                obj._state.db = connection.alias


def add_hourly_counts(counts: dict[tuple[int, datetime], int]) -> None:
    """Add to the per-topic hourly counts in one upsert (safe against a concurrent worker)."""
    table = _table(HourlyCount)
    field = HourlyCount._meta.get_field("hour")
    _executemany(
        f"INSERT INTO {table} (topic_id, hour, count) VALUES (%s, %s, %s) "  # noqa: S608
        f"ON CONFLICT (topic_id, hour) DO UPDATE SET count = {table}.count + excluded.count",
        [
            (topic_id, field.get_db_prep_value(hour, connection), n)
            for (topic_id, hour), n in counts.items()
        ],
    )
