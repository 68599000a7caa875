"""Full-text search over articles: one interface, SQLite FTS5 or PostgreSQL full text.

Both index the *normalised* token text (``Article.title_norm``/``text_norm``) and queries go
through the same rule parser (rules.py), so «يك» finds «یک», digits match in any script,
and ZWNJ separates tokens. The vendor is chosen by ``connection.vendor``:

* SQLite: an external-content FTS5 table ``monitoring_article_fts`` kept in step by triggers
  (migration 0002), unicode61 tokenizer without diacritic folding (the text is normalised
  already), ranked with bm25 (title 3×).
* PostgreSQL: a stored generated ``tsvector`` column ``search_vector`` (title weighted A)
  with a GIN index (migration 0004; 0002's expression index made ranking recompute
  ``to_tsvector`` for every match); the query compiles to ``to_tsquery``
  (``websearch_to_tsquery`` ignores parentheses), ranked with ts_rank.

``find_articles(user, data)`` is what the search page, its export and the API call: the
user's scoped articles, the form's filters, the query, and the **recent window**: a query
matching a very large share of the archive (more than ``COMMON_MATCHES`` articles) is limited
to the last ``RECENT_DAYS`` days unless the user chose dates or "all dates", because ranking
hundreds of thousands of matches cannot be quick; the page says so and offers to widen it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db import connection
from django.db.models import F, Max, Min, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from didban.monitoring.rules import (
    And,
    Near,
    Node,
    Phrase,
    RuleError,
    Term,
    _ts_word,
    parse_rule,
    to_fts5,
    to_tsquery,
    words_of,
)

# Migration 0002's expression (kept so that migration still means what it meant).
PG_VECTOR = "to_tsvector('simple'::regconfig, title_norm || ' ' || text_norm)"
# Migration 0004: the stored vector, title words weighted A (ranked higher, like bm25's 3×).
PG_VECTOR_EXPRESSION = (
    "setweight(to_tsvector('simple'::regconfig, title_norm), 'A') || "
    "to_tsvector('simple'::regconfig, text_norm)"
)
PG_COLUMN = "monitoring_article.search_vector"
RECENT_DAYS = 3
COMMON_MATCHES = 20_000
# SQLite newest-first: a query found in at least DENSE_HITS of the last DENSE_IDS articles
# (60 %) is answered by walking the date index and asking FTS5 about each article (a few
# dozen probes) instead of sorting every match. Below that a probe costs too much per hit:
# an AND of two words in 5-10 % of articles took 45-75 ms walked at 1M articles, 2-4 ms
# sorted among the last SMALL_RECENT_IDS ids.
DENSE_IDS = 2_000
DENSE_HITS = 1_200
# Newest first: the first pages are looked for among the last SMALL_RECENT_IDS articles, then
# among the last RECENT_IDS, and only then among all of them.
SMALL_RECENT_IDS = 2_000
RECENT_IDS = 40_000
# The page says "more than 1,000 articles" rather than counting every match of a common word.
COUNT_CAP = 1_000

# --- schema (used by the migration) ------------------------------------------------------------

SQLITE_CREATE = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS monitoring_article_fts USING fts5("
    "title_norm, text_norm, content='monitoring_article', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 0')",
    "CREATE TRIGGER IF NOT EXISTS monitoring_article_fts_ai AFTER INSERT ON monitoring_article "
    "BEGIN INSERT INTO monitoring_article_fts(rowid, title_norm, text_norm) "
    "VALUES (new.id, new.title_norm, new.text_norm); END",
    "CREATE TRIGGER IF NOT EXISTS monitoring_article_fts_ad AFTER DELETE ON monitoring_article "
    "BEGIN INSERT INTO monitoring_article_fts(monitoring_article_fts, rowid, title_norm, "
    "text_norm) VALUES ('delete', old.id, old.title_norm, old.text_norm); END",
    "CREATE TRIGGER IF NOT EXISTS monitoring_article_fts_au AFTER UPDATE OF title_norm, "
    "text_norm ON monitoring_article BEGIN INSERT INTO monitoring_article_fts("
    "monitoring_article_fts, rowid, title_norm, text_norm) VALUES ('delete', old.id, "
    "old.title_norm, old.text_norm); INSERT INTO monitoring_article_fts(rowid, title_norm, "
    "text_norm) VALUES (new.id, new.title_norm, new.text_norm); END",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS monitoring_article_fts_ai",
    "DROP TRIGGER IF EXISTS monitoring_article_fts_ad",
    "DROP TRIGGER IF EXISTS monitoring_article_fts_au",
    "DROP TABLE IF EXISTS monitoring_article_fts",
]
POSTGRES_CREATE = [
    f"CREATE INDEX IF NOT EXISTS monitoring_article_fts ON monitoring_article USING GIN ({PG_VECTOR})"
]
POSTGRES_DROP = ["DROP INDEX IF EXISTS monitoring_article_fts"]
POSTGRES_VECTOR_CREATE = [
    "ALTER TABLE monitoring_article ADD COLUMN IF NOT EXISTS search_vector tsvector "
    f"GENERATED ALWAYS AS ({PG_VECTOR_EXPRESSION}) STORED",
    "CREATE INDEX IF NOT EXISTS monitoring_article_vector ON monitoring_article "
    "USING GIN (search_vector)",
    # With the default statistics a rare word is estimated at thousands of rows, and the planner
    # ANDs the GIN bitmap with the organisation index's bitmap of most of the table (150 ms at
    # 1M articles instead of 0.4 ms): more common elements make the estimate of the rest small.
    "ALTER TABLE monitoring_article ALTER COLUMN search_vector SET STATISTICS 1000",
    "DROP INDEX IF EXISTS monitoring_article_fts",
]
POSTGRES_VECTOR_DROP = [
    "DROP INDEX IF EXISTS monitoring_article_vector",
    "ALTER TABLE monitoring_article DROP COLUMN IF EXISTS search_vector",
    *POSTGRES_CREATE,
]


def create_index(schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": SQLITE_CREATE, "postgresql": POSTGRES_CREATE}.get(vendor, [])
    for sql in statements:
        schema_editor.execute(sql)


def drop_index(schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    for sql in {"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}.get(vendor, []):
        schema_editor.execute(sql)


def create_vector(schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        for sql in POSTGRES_VECTOR_CREATE:
            schema_editor.execute(sql)


def drop_vector(schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        for sql in POSTGRES_VECTOR_DROP:
            schema_editor.execute(sql)


# --- querying ---------------------------------------------------------------------------------


def search(
    articles: QuerySet,
    query: str | Node,
    *,
    order: str = "relevance",
    since: datetime | None = None,
    common: bool | None = None,
    dense: bool | None = None,
) -> tuple[QuerySet, Node]:
    """Filter an (already scoped) article queryset by a query in the rule language.

    Raises ``rules.RuleError`` for a malformed query. ``order`` is "relevance" or "newest".
    ``since`` limits the matches to articles published since then, in a way the index can
    use (the recent window of a very common query).
    """
    node = parse_rule(query) if isinstance(query, str) else query
    if since is not None:
        articles = articles.filter(published_at__gte=since)
    if connection.vendor == "postgresql":
        tsq = to_tsquery(node)
        articles = articles.extra(  # noqa: S610 - constant SQL, the query is a bound parameter
            where=[f"{PG_COLUMN} @@ to_tsquery('simple'::regconfig, %s)"],
            params=[tsq],
            select={"rank": f"ts_rank({PG_COLUMN}, to_tsquery('simple'::regconfig, %s))"},
            select_params=[tsq],
        )
        if order == "newest":
            if common is None:
                common = matches_many(node)
            if since is None and not common:
                # Not a very common query: keep the planner from walking the date index
                # backwards and testing every row (it estimates matches badly); the GIN
                # bitmap finds the matches, a sort orders them. A very common one walks the
                # date index: a few dozen rows hold the first page.
                published = RawSQL("monitoring_article.published_at + interval '0 seconds'", [])
                return articles.order_by(published.desc(), "-id"), node
            return articles.order_by("-published_at", "-id"), node
        return articles.order_by("-rank", "-published_at"), node
    if connection.vendor == "sqlite":
        if order == "newest" and (_dense_recently(node) if dense is None else dense):
            articles = articles.extra(
                where=[
                    "EXISTS (SELECT 1 FROM monitoring_article_fts f WHERE f.rowid = "
                    "monitoring_article.id AND f.monitoring_article_fts MATCH %s)"
                ],
                params=[to_fts5(node)],
            )
            return articles.order_by("-published_at", "-id"), node
        where = ["monitoring_article_fts.rowid = monitoring_article.id",
                 "monitoring_article_fts MATCH %s"]  # fmt: skip
        params: list = [to_fts5(node)]
        if since is not None:
            # Ids grow with arrival, so every article published since ``since`` has an id at
            # least the smallest of them: FTS5 then reads only that end of its doclists.
            first = articles.model._default_manager.filter(published_at__gte=since)
            # min(id + 0): a plain min(id) makes SQLite walk the primary key from the start.
            first_id = first.aggregate(first=Min(F("id") + 0))["first"]
            where.append("monitoring_article_fts.rowid >= %s")
            params.append(first_id if first_id is not None else 2**62)
        articles = articles.extra(  # noqa: S610 - constant SQL, values are bound parameters
            tables=["monitoring_article_fts"],
            where=where,
            params=params,
            # bm25 is lower for better matches; negated so both vendors sort descending.
            select={"rank": "-bm25(monitoring_article_fts, 3.0, 1.0)"},
        )
        if order == "newest":
            return articles.order_by("-published_at", "-id"), node
        return articles.order_by("-rank", "-published_at"), node
    # pragma: no cover - other databases: a plain containment search
    for words in words_of(node):
        articles = articles.filter(text_norm__contains=" ".join(words).rstrip("*"))
    return articles.order_by("-published_at"), node


def _dense_recently(node: Node) -> bool:
    """SQLite: whether the query matches at least DENSE_HITS of the newest DENSE_IDS ids."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT max(id) FROM monitoring_article")
        top = cursor.fetchone()[0] or 0
        cursor.execute(
            "SELECT count(*) FROM (SELECT 1 FROM monitoring_article_fts WHERE "
            "monitoring_article_fts MATCH %s AND rowid > %s LIMIT %s)",
            [to_fts5(node), top - DENSE_IDS, DENSE_HITS],
        )
        return cursor.fetchone()[0] >= DENSE_HITS


def matches_many(node: Node, limit: int | None = None) -> bool:
    """Whether the query matches more than ``limit`` articles in the whole archive.

    SQLite: FTS5 counts the first ``limit`` doclist entries (a few milliseconds).
    PostgreSQL: the planner's estimate from the column's statistics (most common elements of
    the tsvector), which costs no scan.
    """
    limit = COMMON_MATCHES if limit is None else limit
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT count(*) FROM (SELECT 1 FROM monitoring_article_fts "
                "WHERE monitoring_article_fts MATCH %s LIMIT %s)",
                [to_fts5(node), limit + 1],
            )
            return cursor.fetchone()[0] > limit
        if connection.vendor == "postgresql":
            # The planner multiplies the words' frequencies as if independent, but words of one
            # phrase or topic come together: «شعب اخذ رای سیار» is put at 15,000 rows and
            # 263,000 articles hold all four. The least frequent word bounds the matches from
            # above; a query is "many" when the estimate is, or when that bound is and the
            # estimate is not small.
            estimate = _pg_rows(cursor, to_tsquery(node))
            words = _required_words(node)
            bound = min((_pg_rows(cursor, _ts_word(w)) for w in words), default=float("inf"))
            return estimate > limit or (bound > limit and estimate > limit / 10)
    return False  # pragma: no cover


class Results:
    """Search results that a Paginator, the export and the API slice like a queryset.

    A slice first asks the search query for the ids only (the database sorts narrow rows, not
    articles with their text), then loads those articles. ``count()`` stops at COUNT_CAP + 1:
    counting every one of 900,000 matches would cost more than finding the first page.
    """

    ordered = True

    def __init__(self, queryset: QuerySet, *, recent_first=None, small_first=False):
        self.queryset = queryset
        self.model = queryset.model
        self.recent_first = recent_first
        # SQLite: FTS5 reads only the end of its doclists for a small window, so the last
        # SMALL_RECENT_IDS are tried first; PostgreSQL's GIN reads a word's whole posting
        # list whatever the window, so a second try would cost as much as the first.
        self.small_first = small_first
        self._count: int | None = None

    def count(self) -> int:
        if self._count is None:
            self._count = self.queryset.order_by()[: COUNT_CAP + 1].count()
        return self._count

    @property
    def capped(self) -> bool:
        return self.count() > COUNT_CAP

    def __len__(self) -> int:
        return self.count()

    def __iter__(self):
        return iter(self[:COUNT_CAP])

    def __getitem__(self, index):
        if isinstance(index, int):
            return self[index : index + 1][0]
        ids = self._recent_ids(index) if self.recent_first else None
        if ids is None:
            ids = list(self.queryset.values_list("pk", flat=True)[index])
        rows = self.model._default_manager.select_related("outlet", "source", "story")
        found = rows.in_bulk(ids)
        return [found[pk] for pk in ids if pk in found]

    def _recent_ids(self, index: slice) -> list[int] | None:
        """Newest first, first pages: look among the last RECENT_IDS ids only, and keep the
        answer when no older id was published after its last article (ids grow with arrival,
        so this holds unless an old row carries a newer date); otherwise None."""
        stop = index.stop
        if index.step or not stop or stop > 200:
            return None
        manager = self.model._default_manager
        top = manager.aggregate(top=Max("id"))["top"] or 0
        # A few hundred matches of a mid word are sorted quicker than tens of thousands; a
        # smaller window that holds too few matches costs one short index read.
        windows = {SMALL_RECENT_IDS, RECENT_IDS} if self.small_first else {RECENT_IDS}
        for window in sorted(windows):
            boundary = top - window
            if boundary <= 0:
                return None
            recent = self.recent_first(self.queryset, boundary)
            rows = list(recent.values_list("pk", "published_at")[:stop])
            if len(rows) < stop:
                continue
            cutoff = rows[-1][1]
            if manager.filter(published_at__gte=cutoff, pk__lte=boundary).exists():
                continue
            return [pk for pk, _published in rows[index.start or 0 : stop]]
        return None


def _pg_rows(cursor, tsquery: str) -> float:
    """The planner's estimate of the articles matching ``tsquery`` (phrases and NEAR as AND:
    GIN returns every article holding all the words, and each is re-checked)."""
    cursor.execute(  # constant SQL, the query is a bound parameter
        "EXPLAIN (FORMAT JSON) SELECT 1 FROM monitoring_article "  # noqa: S608
        f"WHERE {PG_COLUMN} @@ to_tsquery('simple'::regconfig, %s)",
        [re.sub(r"<(?:-|\d+)>", "&", tsquery)],
    )
    plan = cursor.fetchone()[0]
    plan = plan if isinstance(plan, list) else json.loads(plan)
    return plan[0]["Plan"]["Plan Rows"]


def _required_words(node: Node) -> list[str]:
    """Words every match must hold (an OR requires none of its own)."""
    if isinstance(node, Term):
        return [] if node.prefix else [node.word]
    if isinstance(node, Phrase):
        return list(node.words)
    if isinstance(node, Near):
        return _required_words(node.left) + _required_words(node.right)
    if isinstance(node, And):
        return [w for part in node.parts for w in _required_words(part)]
    return []


@dataclass
class Found:
    """What a search found: the ordered articles, the parsed query (for highlights), the
    query's error in words, and the start of the recent window when one was applied."""

    articles: Results
    node: Node | None = None
    error: str = ""
    recent_since: datetime | None = None


def _tehran_start(day) -> datetime:
    from didban.monitoring.reports import TEHRAN

    return datetime.combine(day, time(0), tzinfo=TEHRAN)


def find_articles(user, data: dict) -> Found:
    """The search of the search page, its export and the API, from ``ArticleSearchForm``'s
    cleaned data. Every filter runs on the user's scoped articles, so an id from another
    organisation matches nothing."""
    from didban.monitoring import queries

    articles = queries.list_articles(user)
    if data.get("source"):
        articles = articles.filter(source_id=data["source"])
    if data.get("outlet_kind"):
        articles = articles.filter(outlet__kind=data["outlet_kind"])
    if data.get("place"):
        from django.db.models import Q

        from didban.places.models import Place

        place = Place.objects.filter(pk=data["place"]).first()
        if place is None:
            articles = articles.none()
        else:
            articles = articles.filter(
                Q(source__place__path__startswith=place.path)
                | Q(outlet__place__path__startswith=place.path)
            )
    if data.get("story"):
        articles = articles.filter(story_id=data["story"])
    if data.get("topic") or data.get("tone"):
        hits = queries.list_hits(user)
        if data.get("topic"):
            hits = hits.filter(topic_id=data["topic"])
        if data.get("tone"):
            hits = hits.filter(tone=data["tone"])
        articles = articles.filter(pk__in=hits.values("article_id"))
    if data.get("since"):
        articles = articles.filter(published_at__gte=_tehran_start(data["since"]))
    if data.get("until"):
        articles = articles.filter(
            published_at__lt=_tehran_start(data["until"] + timedelta(days=1))
        )
    if not data.get("q"):
        return Found(Results(articles.order_by("-published_at", "-id")))
    try:
        node = parse_rule(data["q"])
    except RuleError as exc:
        return Found(Results(articles.none()), error=str(exc))
    since = None
    order = data.get("order") or "relevance"
    dated = data.get("since") or data.get("until") or data.get("all_dates")
    common = matches_many(node)
    if order != "newest" and not dated and common:
        # Counted back from the newest article (the date index's last entry): the same as
        # "the last days" while sources are fed, and still the archive's end when they are not.
        newest = articles.model._default_manager.aggregate(newest=Max("published_at"))["newest"]
        since = (newest or timezone.now()) - timedelta(days=RECENT_DAYS)
    # Newest first: a query whose first page is found at once (SQLite: dense among recent ids,
    # walked; PostgreSQL: very common, walked) skips the recent-ids step; others take it.
    dense, recent_first = None, None
    if order == "newest" and connection.vendor == "sqlite":
        dense = _dense_recently(node)
        recent_first = None if dense else _recent_first_sqlite
    elif order == "newest" and not common:
        recent_first = _recent_first
    articles, node = search(articles, node, order=order, since=since, common=common, dense=dense)
    results = Results(
        articles, recent_first=recent_first, small_first=connection.vendor == "sqlite"
    )
    return Found(results, node, recent_since=since)


def _recent_first(articles: QuerySet, boundary: int) -> QuerySet:
    return articles.filter(pk__gt=boundary)


def _recent_first_sqlite(articles: QuerySet, boundary: int) -> QuerySet:
    # Said to FTS5 too, when it is joined, so that it reads only the end of its doclists.
    if "monitoring_article_fts" in articles.query.extra_tables:
        articles = articles.extra(where=["monitoring_article_fts.rowid > %s"], params=[boundary])
    return articles.filter(pk__gt=boundary)


# --- highlighting on the original text ----------------------------------------------------------

_VARIANTS = {
    "ی": "یيىئ",
    "ک": "کكڪ",
    "ه": "هةۀۂہە",
    "ا": "اأإٱٲٳ",
    "و": "وؤ",
    **{d: d + "۰۱۲۳۴۵۶۷۸۹"[int(d)] + "٠١٢٣٤٥٦٧٨٩"[int(d)] for d in "0123456789"},
}
_MARKS = "[\u064b-\u065f\u0670\u0640\u06d6-\u06ed]*"
_GAP = r"[\s\u200c\u200b\u200d\u00ac\-،,.]+"


def _word_pattern(word: str) -> str:
    prefix = word.endswith("*")
    word = word.rstrip("*")
    parts = []
    for ch in word:
        variants = _VARIANTS.get(ch)
        parts.append(f"[{re.escape(variants)}]" if variants else re.escape(ch))
    body = _MARKS.join(parts)
    return rf"(?<!\w){body}" + ("" if prefix else r"(?!\w)")


def _pattern(node: Node) -> re.Pattern | None:
    alternatives = []
    for words in sorted(words_of(node), key=lambda w: -sum(map(len, w))):
        alternatives.append(_GAP.join(_word_pattern(w) for w in words))
    if not alternatives:
        return None
    return re.compile("|".join(f"(?:{a})" for a in alternatives), re.IGNORECASE)


def highlight(text: str, node: Node | None, *, width: int = 260) -> SafeString:
    """An escaped snippet of ``text`` around the first match, with matches in <mark>."""
    pattern = _pattern(node) if node is not None else None
    if pattern is None:
        return mark_safe(escape(text[:width]))  # noqa: S308 - escaped just here
    first = pattern.search(text)
    start = 0 if first is None else max(0, first.start() - width // 3)
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < start + 20 else start
    window = text[start : start + width]
    out, last = [], 0
    for match in pattern.finditer(window):
        out.append(escape(window[last : match.start()]))
        out.append(f"<mark>{escape(match.group(0))}</mark>")
        last = match.end()
    out.append(escape(window[last:]))
    prefix = "… " if start else ""
    suffix = " …" if start + width < len(text) else ""
    return mark_safe(prefix + "".join(out) + suffix)  # noqa: S308 - every part escaped
