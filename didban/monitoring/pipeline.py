"""Ingestion: entries → normalised articles → stories → pickups → topic hits → alerts.

Called by ``actions.do_fetch_source`` inside its transaction; the search index follows the
article table by itself (FTS5 triggers on SQLite, an expression index on PostgreSQL).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from itertools import chain, repeat

import numpy as np
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Max
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
# The first key of PostgreSQL's two-key advisory lock taken by an organisation's ingest.
INGEST_LOCK = 0x4D4F4E  # "MON"


@dataclass
class IngestReport:
    new: int = 0
    duplicates: int = 0
    hits: list[int] = field(default_factory=list)
    pickups: list[int] = field(default_factory=list)


# --- our published items -------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class OurItem:
    item_id: int
    org_id: int
    published_at: datetime
    shingles: np.ndarray  # sorted distinct shingle hashes


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
def _item_shingles(item_id: int, published_at: datetime, text: str) -> np.ndarray:
    return dedup.shingle_array(tokens(text))


class PickupMatcher:
    """Our items of the last weeks, with an inverted shingle index for fast containment.

    The distinct shingles of all items are one sorted array; each points to the items holding
    it (one flat array of postings), so the shingles an article shares with every item are
    found by one ``searchsorted`` and counted at once by ``bincount``: boilerplate shingles
    that all items share cost no Python loop.
    """

    def __init__(self, rows: list[tuple[int, int, datetime, str]]):
        self.items: dict[int, OurItem] = {}
        order: list[OurItem] = []
        arrays: list[np.ndarray] = []
        for item_id, org_id, published_at, text in rows:
            found = _item_shingles(item_id, published_at, text)
            if len(found) < 5 or item_id in self.items:
                continue
            item = self.items[item_id] = OurItem(item_id, org_id, published_at, found)
            order.append(item)
            arrays.append(found)
        self.order = order
        self.sizes = np.array([len(item.shingles) for item in order], dtype=np.float64)
        if arrays:
            shingles = np.concatenate(arrays)
            owners = np.repeat(np.arange(len(arrays), dtype=np.int64), [len(x) for x in arrays])
        else:
            shingles, owners = np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.int64)
        by_shingle = np.argsort(shingles, kind="stable")
        shingles, self.flat = shingles[by_shingle], owners[by_shingle]
        # The distinct shingles and where their postings start in ``flat``.
        self.keys, self.starts, self.lengths = np.unique(
            shingles, return_index=True, return_counts=True
        )

    def match(self, article_shingles) -> list[tuple[OurItem, float]]:
        """Items whose shingles the article contains at PICKUP_MIN_CONTAINMENT or more
        (``article_shingles``: the sorted distinct array of ``dedup.shingle_array``, or a set)."""
        keys = self.keys
        if not len(keys):
            return []
        if not isinstance(article_shingles, np.ndarray):
            article_shingles = np.unique(
                np.fromiter(article_shingles, dtype=np.uint64, count=len(article_shingles))
            )
        at = np.minimum(np.searchsorted(keys, article_shingles), len(keys) - 1)
        ids = at[keys[at] == article_shingles]
        if not len(ids):
            return []
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


# --- what story grouping keeps in memory ---------------------------------------------------


class RecentArticles:
    """The published time, story and MinHash signature of the most recent article ids.

    Story grouping compares a new article with the stored articles sharing one of its LSH band
    keys. Their signatures sit at the end of large article rows, so a worker keeps those of
    the last ``capacity`` ids in flat arrays (a ring indexed by ``id % capacity``: 256 bytes of
    signature an article, no Python object each) and reads from the database only the ones it
    does not hold: articles written by another process, or older than the ring. Entries are
    added when the transaction that wrote or read them commits, so a rolled-back batch leaves
    nothing behind. An article's story and signature never change once it is stored.
    """

    def __init__(self, capacity: int):
        self.capacity = capacity
        self.clear()

    def clear(self) -> None:
        # np.zeros/np.full reserve address space; pages become resident as they are written.
        self.ids = np.full(self.capacity, -1, dtype=np.int64)
        self.published = np.zeros(self.capacity, dtype=np.float64)
        self.stories = np.zeros(self.capacity, dtype=np.int64)
        self.signatures = np.zeros((self.capacity, dedup.PERMUTATIONS), dtype=np.uint32)

    def put(self, ids, published, stories, signatures) -> None:
        slots = np.asarray(ids, dtype=np.int64) % self.capacity
        self.ids[slots] = ids
        self.published[slots] = published
        self.stories[slots] = stories
        self.signatures[slots] = signatures

    def held(self, ids: np.ndarray) -> np.ndarray:
        """A mask of the ids whose entry is in the ring."""
        return self.ids[ids % self.capacity] == ids


_recent: RecentArticles | None = None


def recent_articles() -> RecentArticles:
    global _recent
    if _recent is None:
        _recent = RecentArticles(settings.MONITORING_RECENT_ARTICLES)
    return _recent


class BandMemory:
    """The LSH band keys of an organisation's recent articles, in the worker's memory.

    Looking band keys up in a database index costs a random page write per key on insert (16
    an article: most of the write-ahead log of an ingest) and a page read per key on lookup.
    The band rows are instead appended to ``ArticleBand`` in id order (its index is
    ``(org_id_copy, id)``) and each worker keeps the keys of the organisation's last
    ``capacity`` articles as sorted numpy arrays: a large part merged now and then and a small
    recent part, looked up with ``searchsorted``.

    Before each batch the rows with an id above ``synced`` are read (those of other workers and
    of this worker's earlier batches) and used at once; they are merged when the transaction
    commits, so a rolled-back row is never kept. Ingest transactions of one organisation are
    serialised (SQLite's write lock; an advisory lock on PostgreSQL), so a row with a lower id
    can not appear after a higher one was read.
    """

    DELTA_LIMIT = 1 << 17  # band rows in the recent part before it is merged into the large one
    LOAD_CHUNK = 100_000  # band rows read at a time when a new worker loads

    def __init__(self, org_id: int, capacity: int):
        self.org_id = org_id
        self.limit = capacity * dedup.BANDS  # band rows kept
        self.synced = 0  # the highest band row id merged
        self.loaded = False
        empty = _band_arrays([])
        self.main = empty
        self.delta = empty

    def load(self) -> None:
        """The band rows of the organisation's last ``capacity`` articles (a new worker), read
        in chunks so that no more than LOAD_CHUNK rows are Python tuples at a time."""
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT MAX(id) FROM {_table(ArticleBand)} WHERE org_id_copy = %s",  # noqa: S608
                [self.org_id],
            )
            top = cursor.fetchone()[0] or 0
        after, parts = max(0, top - self.limit), []
        while True:
            rows = self.read(after, limit=self.LOAD_CHUNK)
            if rows:
                parts.append(_band_arrays(rows, ordered=False))
                after = rows[-1][3]
            if len(rows) < self.LOAD_CHUNK:
                break
        if parts:
            loaded = tuple(np.concatenate(column) for column in zip(*parts, strict=True))
            order = np.argsort(loaded[0], kind="stable")
            self.main = tuple(column[order] for column in loaded)
            self.synced = int(loaded[3].max())
        self.loaded = True

    def read(self, after: int, *, limit: int | None = None) -> list[tuple]:
        """(key, article_id, published, id) of the band rows with an id above ``after``, in id
        order (at most ``limit``)."""
        quote = connection.ops.quote_name
        sql = (
            f"SELECT {quote('key')}, article_id, published, id FROM {_table(ArticleBand)} "  # noqa: S608
            "WHERE org_id_copy = %s AND id > %s ORDER BY id"
        )
        params = [self.org_id, after]
        if limit is not None:
            sql += " LIMIT %s"
            params.append(limit)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def merge(self, part: tuple[np.ndarray, ...]) -> None:
        """Add committed rows (read by ``read``) whose id is above ``synced``."""
        keep = part[3] > self.synced
        if not keep.any():
            return
        part = tuple(column[keep] for column in part)
        self.synced = int(part[3].max())
        self.delta = _merge_sorted(self.delta, part)
        if len(self.delta[0]) > self.DELTA_LIMIT:
            merged = _merge_sorted(self.main, self.delta)
            if len(merged[0]) > self.limit:  # forget the oldest rows (lowest ids)
                newest = merged[3] > np.partition(merged[3], -self.limit)[-self.limit] - 1
                merged = tuple(column[newest] for column in merged)
            self.main, self.delta = merged, _band_arrays([])

    def lookup(self, keys, extra, since: float) -> tuple[np.ndarray, np.ndarray]:
        """(band keys, article ids): every stored article holding one of ``keys``, published
        at ``since`` or later, from the merged rows and ``extra`` (rows read for this batch,
        not yet merged); a key appears once per article holding it."""
        wanted = np.unique(np.asarray(keys, dtype=np.uint64))
        found_keys, found_ids = [], []
        for part in (self.main, self.delta, extra):
            part_keys = part[0]
            if not len(part_keys):
                continue
            left = np.searchsorted(part_keys, wanted, "left")
            counts = np.searchsorted(part_keys, wanted, "right") - left
            hit = counts > 0
            if not hit.any():
                continue
            positions = _expand(left[hit], counts[hit])
            recent = part[2][positions] >= since
            found_keys.append(np.repeat(wanted[hit], counts[hit])[recent])
            found_ids.append(part[1][positions][recent])
        if not found_keys:
            return np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.int64)
        return np.concatenate(found_keys), np.concatenate(found_ids)


def _expand(starts: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """The positions start, start+1, …, start+count-1 of every (start, count), concatenated."""
    return np.repeat(starts - (np.cumsum(counts) - counts), counts) + np.arange(int(counts.sum()))


def _band_arrays(rows: list[tuple], *, ordered: bool = True) -> tuple[np.ndarray, ...]:
    """(keys, article ids, published, row ids) from band rows, sorted by key (``ordered``)."""
    arrays = (
        np.array([r[0] for r in rows], dtype=np.uint64),
        np.array([r[1] for r in rows], dtype=np.int64),
        np.array([r[2] for r in rows], dtype=np.int64),
        np.array([r[3] for r in rows], dtype=np.int64),
    )
    if not ordered:
        return arrays
    order = np.argsort(arrays[0], kind="stable")
    return tuple(column[order] for column in arrays)


def _merge_sorted(a: tuple[np.ndarray, ...], b: tuple[np.ndarray, ...]) -> tuple:
    """Merge two key-sorted band arrays (``b`` after ``a`` among equal keys) in linear time."""
    into = np.searchsorted(a[0], b[0], side="right") + np.arange(len(b[0]))
    rest = np.ones(len(a[0]) + len(b[0]), dtype=bool)
    rest[into] = False
    merged = []
    for x, y in zip(a, b, strict=True):
        out = np.empty(len(x) + len(y), dtype=x.dtype)
        out[into] = y
        out[rest] = x
        merged.append(out)
    return tuple(merged)


_bands: dict[int, BandMemory] = {}


def band_memory(org_id: int) -> BandMemory:
    memory = _bands.get(org_id)
    if memory is None:
        memory = _bands[org_id] = BandMemory(org_id, settings.MONITORING_RECENT_ARTICLES)
    return memory


def _epoch(value) -> float:
    """Seconds since 1970 of a database datetime (SQLite gives text in UTC)."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.timestamp()


# --- the pipeline ---------------------------------------------------------------------------


def hour_of(moment: datetime) -> datetime:
    return moment.replace(minute=0, second=0, microsecond=0)


# The article columns the ingest writes, in the order of the row tuples built in _prepare.
# (A test checks that this is every column of the model but the id.)
ARTICLE_COLUMNS = (
    "org_id", "source_id", "outlet_id", "story_id", "url", "url_key", "guid", "title",
    "author", "published_at", "fetched_at", "text", "summary", "language", "title_norm",
    "text_norm", "content_hash", "signature", "date_was_guessed",
)  # fmt: skip
HIT_COLUMNS = (
    "org_id", "topic_id", "article_id", "hour", "state", "tone", "importance", "note",
    "reviewer_id", "reviewed_at", "backfilled", "created_at",
)  # fmt: skip
STORY_COLUMNS = (
    "org_id", "title", "first_article_id", "first_outlet_id", "first_seen_at", "last_seen_at",
    "article_count", "outlet_count",
)  # fmt: skip
_STORY_SLOT = ARTICLE_COLUMNS.index("story_id")


class _Prepared:
    """One new article of a batch while it goes through the pipeline (not yet saved)."""

    __slots__ = ("id", "keys", "published", "published_at", "row", "shingles", "sig", "story",
                 "title", "words")  # fmt: skip

    def __init__(self, row: list, published_at: datetime, words, shingles, sig, keys):
        self.id: int | None = None
        self.row = row  # the article's column values (ARTICLE_COLUMNS), story set at save
        self.title = row[7]
        self.published_at = published_at
        self.published = published_at.timestamp()
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


class _Matchers:
    """Pickup matchers kept between batches, per organisation subtree, while our items of the
    window are unchanged (same count, same last edit: one small query a batch)."""

    def __init__(self):
        self.cached: dict[str, tuple[datetime, tuple, PickupMatcher]] = {}

    @staticmethod
    def _token(org_path: str, since: datetime) -> tuple:
        try:
            from didban.newsroom.models import Item
        except ImportError:  # the newsroom is not installed
            return ()
        found = Item.objects.filter(
            org__path__startswith=org_path,
            status__in=Item.PUBLIC_STATUSES,
            published_at__gte=since,
        ).aggregate(n=Count("id"), edited=Max("updated_at"), last=Max("id"))
        return (found["n"], found["edited"], found["last"])

    def get(self, org_path: str, since: datetime) -> PickupMatcher:
        cached = self.cached.get(org_path)
        if (
            cached is not None
            and since >= cached[0]
            and self._token(org_path, cached[0]) == cached[1]
        ):
            return cached[2]
        token = self._token(org_path, since)
        matcher = PickupMatcher(published_items(org_path, since))
        self.cached[org_path] = (since, token, matcher)
        return matcher


matchers = _Matchers()


def forget_cached() -> None:
    """Empty the worker's in-memory caches (tests; after restoring a database backup)."""
    if _recent is not None:
        _recent.clear()
    matchers.cached.clear()
    _bands.clear()


class Ingestor:
    """Ingests entries of one source, a fetched batch at a time.

    A batch costs a fixed number of queries whatever its size: known addresses and texts, the
    band rows written since this process last looked (the band keys themselves are looked up
    in memory, see BandMemory), the signatures of the candidates the process does not hold,
    the stories they belong to, then one multi-row insert each for stories, articles (the FTS5
    triggers fill the search index), bands, pickups and topic hits, one bulk update of the
    stories and one upsert of the hourly counts. Rows are written from plain tuples, not model instances. Call it inside a
    transaction (``actions.do_fetch_source`` / ``do_ingest_entries`` do). Reuse one instance
    for several batches of the same source.
    """

    CHUNK = 900  # values per IN (...) list and rows per bulk insert (SQLite: 999 parameters)

    def __init__(self, source: Source, *, now: datetime | None = None):
        self.source = source
        self.org = source.org
        self.now = now or timezone.now()
        self.topics = RuleSet(topics_for(self.org.path))
        self.report = IngestReport()
        self.known_keys: set[str] = set()
        self.known_hashes: set[str] = set()
        self.recent = recent_articles()
        self.bands = band_memory(self.org.pk)

    def _matcher_for(self, earliest: datetime) -> PickupMatcher:
        """Our items published in the window before the earliest article of the batch."""
        return matchers.get(self.org.path, min(earliest, self.now) - PICKUP_WINDOW)

    def _chunks(self, values: list):
        for start in range(0, len(values), self.CHUNK):
            yield values[start : start + self.CHUNK]

    def _select_in(self, sql: str, params: list, values: list) -> list[tuple]:
        """Rows of ``sql`` (ending in ``IN``) for ``values`` in chunks of CHUNK."""
        rows = []
        with connection.cursor() as cursor:
            for chunk in self._chunks(values):
                cursor.execute(sql + " (" + ", ".join(["%s"] * len(chunk)) + ")", [*params, *chunk])
                rows.extend(cursor.fetchall())
        return rows

    def ingest(self, entries: list[Entry]) -> IngestReport:
        if connection.vendor == "postgresql":
            # One ingest transaction at a time per organisation (SQLite's write lock gives the
            # same): band rows become visible in id order, see BandMemory.
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_advisory_xact_lock(%s, %s)", [INGEST_LOCK, self.org.pk % (1 << 31)]
                )
        batch = self._prepare(entries)
        if not batch:
            return self.report
        self._group_stories(batch)
        self._save(batch)
        return self.report

    # --- 1. what is new, normalised ---------------------------------------------------------

    def _prepare(self, entries: list[Entry]) -> list[_Prepared]:
        keyed = []
        for entry in entries:
            key = url_key(entry.url)[:1000]
            if key and (entry.text or entry.title):
                keyed.append((key, entry))
        table = _table(Article)
        fresh_keys = list({k for k, _e in keyed} - self.known_keys)
        self.known_keys.update(
            row[0]
            for row in self._select_in(
                f"SELECT url_key FROM {table} WHERE org_id = %s AND url_key IN",  # noqa: S608
                [self.org.pk],
                fresh_keys,
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
        self.known_hashes.update(
            row[0]
            for row in self._select_in(
                f"SELECT content_hash FROM {table} WHERE source_id = %s "  # noqa: S608
                "AND content_hash IN",
                [self.source.pk],
                fresh_hashes,
            )
        )
        adapt = connection.ops.adapt_datetimefield_value
        source, fetched = self.source, adapt(self.now)
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
            found_shingles = dedup.shingle_array(text_words or title_words)
            sig = dedup.signature(found_shingles)
            row = [
                self.org.pk,
                source.pk,
                source.outlet_id,
                None,  # story_id, known after grouping
                entry.url[:1000],
                key,
                entry.guid[:500],
                (entry.title or entry.text[:120])[:500],
                entry.author[:200],
                adapt(published),
                fetched,
                entry.text,
                entry.summary[:1000],
                entry.language[:10] or "fa",
                " ".join(title_words),
                text_norm,
                content_hash,
                dedup.to_bytes(sig),
                guessed,
            ]
            batch.append(
                _Prepared(row, published, title_words + text_words, found_shingles, sig,
                          dedup.band_keys(sig))
            )  # fmt: skip
        return batch

    # --- 2. stories -------------------------------------------------------------------------

    def _stored_candidates(self, batch: list[_Prepared]) -> tuple[np.ndarray, np.ndarray]:
        """(band keys, article ids) of the stored articles of the organisation sharing a band
        key with the batch, published in the story window of its earliest article (from the
        worker's band memory, brought up to date with the rows written since it last looked)."""
        memory = self.bands
        if not memory.loaded:
            memory.load()
        unmerged = memory.read(memory.synced)
        extra = _band_arrays(unmerged)
        if unmerged:
            transaction.on_commit(lambda: memory.merge(extra))
        # Band rows hold whole seconds: a second earlier, and the exact test comes later.
        earliest = min(p.published for p in batch) - STORY_WINDOW.total_seconds() - 1
        return memory.lookup([k for p in batch for k in p.keys], extra, earliest)

    def _candidate_table(self, ids: np.ndarray) -> tuple[np.ndarray, ...]:
        """(ids, published, stories, signatures) of the stored candidates, in id order: from
        the ring where it holds them, else from the database (they join the ring when the
        batch commits)."""
        recent = self.recent
        held = recent.held(ids)
        slots = ids[held] % recent.capacity
        parts = [(ids[held], recent.published[slots], recent.stories[slots],
                  recent.signatures[slots])]  # fmt: skip
        rows = self._select_in(
            f"SELECT id, published_at, story_id, signature FROM {_table(Article)} "  # noqa: S608
            "WHERE story_id IS NOT NULL AND id IN",
            [],
            ids[~held].tolist(),
        )
        if rows:
            read = (
                np.array([r[0] for r in rows], dtype=np.int64),
                np.array([_epoch(r[1]) for r in rows], dtype=np.float64),
                np.array([r[2] for r in rows], dtype=np.int64),
                np.stack([dedup.from_bytes(r[3]) for r in rows]),
            )
            parts.append(read)
            self._read.append(read)
        table = tuple(np.concatenate(column) for column in zip(*parts, strict=True))
        order = np.argsort(table[0])
        return tuple(column[order] for column in table)

    def _group_stories(self, batch: list[_Prepared]) -> None:
        """Each article joins the story of its most similar earlier candidate (stored or in
        this batch) sharing an LSH band key within the story window, or starts a new one.

        The most similar wins; on equal similarity an article of the batch before a stored
        one, and the most recently published stored one first. At most
        MAX_STORY_CANDIDATES stored articles (the most recent) are compared with each."""
        stored_keys, stored_ids = self._stored_candidates(batch)
        self._read: list[tuple] = []
        table = self._candidate_table(np.unique(stored_ids))
        best_story, best_score = self._best_stored(batch, stored_keys, stored_ids, table)
        pending: dict[int, list[_Prepared]] = defaultdict(list)  # key -> earlier batch articles
        chosen: list[tuple[_Prepared, int | _Prepared | None]] = []
        threshold = STORY_SIMILARITY * dedup.PERMUTATIONS
        window = STORY_WINDOW.total_seconds()
        for n, prep in enumerate(batch):
            since = prep.published - window
            best, score = None, threshold
            if best_score[n] >= threshold:
                best, score = int(best_story[n]), int(best_score[n])
            local: dict[int, _Prepared] = {}
            for key in prep.keys:
                for other in pending.get(key, ()):
                    if other.published >= since:
                        local[id(other)] = other
            for other in local.values():
                similar = int(np.count_nonzero(prep.sig == other.sig))
                if similar >= score:
                    best, score = other, similar
            chosen.append((prep, best))
            for key in prep.keys:
                pending[key].append(prep)
        self._build_states(chosen)

    @staticmethod
    def _best_stored(batch, stored_keys, stored_ids, table) -> tuple[np.ndarray, np.ndarray]:
        """For every article of the batch, the story and score (equal MinHash values) of its
        most similar stored candidate, computed for the whole batch at once; score 0 where
        there is none."""
        known, published, stories, signatures = table
        count = len(batch)
        best_story = np.zeros(count, dtype=np.int64)
        best_score = np.zeros(count, dtype=np.int64)
        if not len(stored_ids) or not len(known):
            return best_story, best_score
        # Pair every stored row (key, article) with the batch articles holding that key.
        batch_keys = np.array([k for p in batch for k in p.keys], dtype=np.uint64)
        owners = np.repeat(np.arange(count), [len(p.keys) for p in batch])
        order = np.argsort(batch_keys, kind="stable")
        batch_keys, owners = batch_keys[order], owners[order]
        left = np.searchsorted(batch_keys, stored_keys, "left")
        counts = np.searchsorted(batch_keys, stored_keys, "right") - left
        prep_of = owners[_expand(left, counts)]
        at = np.minimum(np.searchsorted(known, np.repeat(stored_ids, counts)), len(known) - 1)
        found = known[at] == np.repeat(stored_ids, counts)  # stored without a story: left out
        pairs = np.unique(prep_of[found] * len(known) + at[found])  # each pair once
        prep_of, at = pairs // len(known), pairs % len(known)
        window = STORY_WINDOW.total_seconds()
        since = np.array([p.published for p in batch]) - window
        inside = published[at] >= since[prep_of]
        prep_of, at = prep_of[inside], at[inside]
        per_article = np.bincount(prep_of, minlength=count)
        if per_article.max(initial=0) > MAX_STORY_CANDIDATES:  # keep the most recent ones
            keep = np.ones(len(at), dtype=bool)
            for n in np.flatnonzero(per_article > MAX_STORY_CANDIDATES):
                mine = np.flatnonzero(prep_of == n)
                oldest = np.argsort(published[at[mine]], kind="stable")[:-MAX_STORY_CANDIDATES]
                keep[mine[oldest]] = False
            prep_of, at = prep_of[keep], at[keep]
        if not len(at):
            return best_story, best_score
        sigs = np.stack([p.sig for p in batch])
        scores = np.count_nonzero(signatures[at] == sigs[prep_of], axis=1)
        # The highest score per article; among equals the most recently published.
        order = np.lexsort((published[at], scores, prep_of))
        ends = order[np.r_[prep_of[order][1:] != prep_of[order][:-1], True]]
        best_story[prep_of[ends]] = stories[at[ends]]
        best_score[prep_of[ends]] = scores[ends]
        return best_story, best_score

    def _build_states(self, chosen: list[tuple[_Prepared, int | _Prepared | None]]) -> None:
        # The stored stories that are joined, with the outlets they already have.
        story_ids = list({b for _p, b in chosen if isinstance(b, int)})
        states: dict[int, _StoryState] = {}
        outlets: dict[int, set[int]] = defaultdict(set)
        for story_id, outlet_id in self._select_in(
            f"SELECT DISTINCT story_id, outlet_id FROM {_table(Article)} "  # noqa: S608
            "WHERE story_id IN",
            [],
            story_ids,
        ):
            outlets[story_id].add(outlet_id)
        for chunk in self._chunks(story_ids):
            for story in Story.objects.filter(pk__in=chunk):
                states[story.pk] = _StoryState(story, outlets[story.pk], new=False)
        for prep, best in chosen:
            if isinstance(best, _Prepared):
                state = best.story
            elif best is not None and best in states:
                state = states[best]
            else:
                state = _StoryState(
                    Story(
                        org=self.org,
                        title=prep.title,
                        first_outlet_id=self.source.outlet_id,
                        first_seen_at=prep.published_at,
                        last_seen_at=prep.published_at,
                    ),
                    {self.source.outlet_id},
                    new=True,
                )
                state.first = prep
                prep.story = state
                continue
            self._join(state, prep)
            prep.story = state

    def _join(self, state: _StoryState, prep: _Prepared) -> None:
        story, outlet_id = state.story, self.source.outlet_id
        state.outlets.add(outlet_id)
        story.article_count += 1
        story.outlet_count = len(state.outlets)
        if prep.published_at < story.first_seen_at:
            story.first_seen_at = prep.published_at
            story.first_outlet_id = outlet_id
            state.first = prep
        story.last_seen_at = max(story.last_seen_at, prep.published_at)
        state.changed = True

    # --- 3. writes --------------------------------------------------------------------------

    def _save(self, batch: list[_Prepared]) -> None:
        states = list({id(p.story): p.story for p in batch}.values())
        created = [s.story for s in states if s.new]
        adapt = connection.ops.adapt_datetimefield_value
        # RETURNING gives the ids in the order of the VALUES rows on SQLite and PostgreSQL
        # (what the ORM's bulk_create relies on too).
        returned = insert_values(
            Story,
            STORY_COLUMNS,
            [
                (
                    st.org_id,
                    st.title,
                    None,
                    st.first_outlet_id,
                    adapt(st.first_seen_at),
                    adapt(st.last_seen_at),
                    st.article_count,
                    st.outlet_count,
                )
                for st in created
            ],
        )
        for story, (story_id,) in zip(created, returned, strict=True):
            story.pk = story_id
            story._state.adding = False
        for prep in batch:
            prep.row[_STORY_SLOT] = prep.story.story.pk
        # The search index follows: FTS5 by its insert trigger, PostgreSQL's stored tsvector.
        returned = insert_values(Article, ARTICLE_COLUMNS, [p.row for p in batch])
        for prep, (article_id,) in zip(batch, returned, strict=True):
            prep.id = article_id
        for state in states:
            if state.first is not None:
                state.story.first_article_id = state.first.id
        # Plain UPDATE/INSERT statements run with executemany: the ORM's bulk_update builds a
        # CASE per field and row, which cost more than the rest of the batch.
        _executemany(
            f"UPDATE {_table(Story)} SET article_count = %s, outlet_count = %s, "  # noqa: S608
            "first_seen_at = %s, first_outlet_id = %s, first_article_id = %s, "
            "last_seen_at = %s WHERE id = %s",
            [
                (
                    st.article_count,
                    st.outlet_count,
                    adapt(st.first_seen_at),
                    st.first_outlet_id,
                    st.first_article_id,
                    adapt(st.last_seen_at),
                    st.pk,
                )
                for st in (s.story for s in states if s.changed)
            ],
        )
        org_id = self.org.pk
        _executemany(
            f"INSERT INTO {_table(ArticleBand)} (org_id_copy, {connection.ops.quote_name('key')}, "  # noqa: S608
            "article_id, published) VALUES (%s, %s, %s, %s)",
            list(
                chain.from_iterable(
                    zip(repeat(org_id), p.keys, repeat(p.id), repeat(int(p.published)))
                    for p in batch
                )
            ),
        )
        self._remember(batch)
        self.report.new += len(batch)
        self._pickups(batch)
        self._topics(batch)

    def _remember(self, batch: list[_Prepared]) -> None:
        """The new articles, and the stored ones read for this batch, join the in-memory ring
        when the transaction commits (never before: a rolled-back id may be used again)."""
        recent = self.recent
        rows = [
            *self._read,
            (
                np.array([p.id for p in batch], dtype=np.int64),
                np.array([p.published for p in batch], dtype=np.float64),
                np.array([p.story.story.pk for p in batch], dtype=np.int64),
                np.stack([p.sig for p in batch]),
            ),
        ]

        def remember():
            for part in rows:
                recent.put(*part)

        transaction.on_commit(remember)

    def _pickups(self, batch: list[_Prepared]) -> None:
        matcher = self._matcher_for(min(p.published_at for p in batch))
        found = []
        for prep in batch:
            for item, score in matcher.match(prep.shingles):
                if prep.published_at < item.published_at - timedelta(minutes=5):
                    continue  # published before ours: not a pickup of our text
                if prep.published_at - item.published_at > PICKUP_WINDOW:
                    continue
                found.append(
                    Pickup(
                        item_id=item.item_id,
                        article_id=prep.id,
                        org_id=item.org_id,
                        item_published_at=item.published_at,
                        delay_seconds=max(
                            0, int((prep.published_at - item.published_at).total_seconds())
                        ),
                        similarity=round(score, 3),
                        whole=score >= PICKUP_WHOLE,
                    )
                )
        if found:
            # The articles are new, so are their pickups (a few a batch: the ORM is fine).
            Pickup.objects.bulk_create(found, batch_size=self.CHUNK)
            self.report.pickups.extend(p.pk for p in found)

    def _topics(self, batch: list[_Prepared]) -> None:
        if not self.topics.rules:
            return
        rows = []
        counts: dict[tuple[int, datetime], int] = defaultdict(int)
        adapt = connection.ops.adapt_datetimefield_value
        created = adapt(timezone.now())
        org_id, new = self.org.pk, TopicHit.State.NEW.value
        normal = TopicHit.Importance.NORMAL.value
        for prep in batch:
            hour = hour_of(prep.published_at)
            db_hour = adapt(hour)
            for topic in self.topics.matching(Document.from_tokens(prep.words)):
                # The article is new, so the hit is too.
                rows.append((org_id, topic.pk, prep.id, db_hour, new, "", normal, "", None,
                             None, False, created))  # fmt: skip
                counts[(topic.pk, hour)] += 1
        if not rows:
            return
        self.report.hits.extend(
            row[0] for row in insert_values(TopicHit, HIT_COLUMNS, rows, returning=("id",))
        )
        add_hourly_counts(counts)


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _executemany(sql: str, rows: list[tuple]) -> None:
    if rows:
        with connection.cursor() as cursor:
            cursor.executemany(sql, rows)


def insert_values(model, columns: tuple[str, ...], rows: list, *, returning=("id",)) -> list:
    """Insert rows of database-ready values with multi-row ``INSERT … RETURNING``.

    Cheaper than ``bulk_create``: no model instances and no per-field preparation. The
    values must already be what the database takes (datetimes through
    ``connection.ops.adapt_datetimefield_value``). Statements carry at most 999 parameters
    (SQLite's historical limit). The returned rows follow the order of ``rows``: SQLite and
    PostgreSQL return a multi-row VALUES insert in order, which the ORM's ``bulk_create``
    relies on as well.
    """
    if not rows:
        return []
    quote = connection.ops.quote_name
    head = f"INSERT INTO {_table(model)} ({', '.join(quote(c) for c in columns)}) VALUES "  # noqa: S608
    tail = f" RETURNING {', '.join(quote(c) for c in returning)}"
    per_row = "(" + ", ".join(["%s"] * len(columns)) + ")"
    size = max(1, 999 // len(columns))
    out = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), size):
            chunk = rows[start : start + size]
            cursor.execute(
                head + ", ".join([per_row] * len(chunk)) + tail,
                list(chain.from_iterable(chunk)),
            )
            out.extend(cursor.fetchall())
    return out


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
