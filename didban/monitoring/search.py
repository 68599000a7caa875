"""Full-text search over articles: one interface, SQLite FTS5 or PostgreSQL full text.

Both index the *normalised* token text (``Article.title_norm``/``text_norm``) and queries go
through the same rule parser (rules.py), so «يك» finds «یک», digits match in any script,
and ZWNJ separates tokens. The vendor is chosen by ``connection.vendor``:

* SQLite: an external-content FTS5 table ``monitoring_article_fts`` kept in step by triggers
  (migration 0002), unicode61 tokenizer without diacritic folding (the text is normalised
  already), ranked with bm25.
* PostgreSQL: a GIN expression index on ``to_tsvector('simple', title_norm || ' ' ||
  text_norm)``; the query compiles to ``to_tsquery`` (``websearch_to_tsquery`` ignores
  parentheses), ranked with ts_rank.
"""

from __future__ import annotations

import re

from django.db import connection
from django.db.models import QuerySet
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from didban.monitoring.rules import Node, parse_rule, to_fts5, to_tsquery, words_of

PG_VECTOR = "to_tsvector('simple'::regconfig, title_norm || ' ' || text_norm)"

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


def create_index(schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": SQLITE_CREATE, "postgresql": POSTGRES_CREATE}.get(vendor, [])
    for sql in statements:
        schema_editor.execute(sql)


def drop_index(schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    for sql in {"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}.get(vendor, []):
        schema_editor.execute(sql)


# --- querying ---------------------------------------------------------------------------------


def search(articles: QuerySet, query: str, *, order: str = "relevance") -> tuple[QuerySet, Node]:
    """Filter an (already scoped) article queryset by a query in the rule language.

    Raises ``rules.RuleError`` for a malformed query. ``order`` is "relevance" or "newest".
    """
    node = parse_rule(query)
    if connection.vendor == "postgresql":
        tsq = to_tsquery(node)
        articles = articles.extra(  # noqa: S610 - constant SQL, the query is a bound parameter
            where=[f"{PG_VECTOR} @@ to_tsquery('simple'::regconfig, %s)"],
            params=[tsq],
            select={"rank": f"ts_rank({PG_VECTOR}, to_tsquery('simple'::regconfig, %s))"},
            select_params=[tsq],
        )
        ordering = ["-rank", "-published_at"]
    elif connection.vendor == "sqlite":
        articles = articles.extra(
            tables=["monitoring_article_fts"],
            where=[
                "monitoring_article_fts.rowid = monitoring_article.id",
                "monitoring_article_fts MATCH %s",
            ],
            params=[to_fts5(node)],
            # bm25 is lower for better matches; negated so both vendors sort descending.
            select={"rank": "-bm25(monitoring_article_fts, 3.0, 1.0)"},
        )
        ordering = ["-rank", "-published_at"]
    else:  # pragma: no cover - other databases: a plain containment search
        for words in words_of(node):
            articles = articles.filter(text_norm__contains=" ".join(words).rstrip("*"))
        return articles.order_by("-published_at"), node
    if order == "newest":
        ordering = ["-published_at", "-id"]
    return articles.order_by(*ordering), node


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
