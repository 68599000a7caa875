"""Collect entries from a source (network or local files); no database writes here."""

from __future__ import annotations

from pathlib import Path

from didban.monitoring.extract import (
    Entry,
    ParseError,
    extract_article,
    index_links,
    looks_like_feed,
    parse_channel_preview,
    parse_feed,
    url_key,
)
from didban.monitoring.fetch import FetchError, decode, fetch

MAX_PAGES_PER_RUN = 25
LOCAL_SUFFIXES = (".xml", ".rss", ".atom", ".html", ".htm")


class SourceFailed(Exception):
    def __init__(self, code: str, detail: str = ""):
        super().__init__(code)
        self.code = code
        self.detail = detail[:300]


class Collected:
    def __init__(self, entries: list[Entry], *, etag: str = "", last_modified: str = ""):
        self.entries = entries
        self.etag = etag
        self.last_modified = last_modified
        self.not_modified = False


def collect(source, *, known_keys=None) -> Collected:
    """Entries of a source; ``known_keys(list_of_url_keys)`` filters articles already stored,
    so article pages are fetched only for new links. Raises SourceFailed with a reason code."""
    known_keys = known_keys or (lambda keys: set())
    try:
        if source.kind == "local":
            return _local(source)
        result = fetch(source.url, etag=source.etag, last_modified=source.last_modified)
        if result.not_modified:
            collected = Collected([], etag=source.etag, last_modified=source.last_modified)
            collected.not_modified = True
            return collected
        text = result.text()
        if source.kind == "channel_preview":
            entries = parse_channel_preview(text, result.url)
        elif source.kind == "web_index":
            links = index_links(text, result.url)
            known = known_keys([url_key(u) for u in links])
            fresh = [u for u in links if url_key(u) not in known]
            entries = [Entry(url=u) for u in fresh[:MAX_PAGES_PER_RUN]]
            entries = _fill_pages(entries, force=True)
        else:
            entries = parse_feed(text, result.url)
            if source.fetch_full_text:
                keys = known_keys([url_key(e.url) for e in entries])
                new = [e for e in entries if url_key(e.url) not in keys]
                entries = _fill_pages(new)
        return Collected(entries, etag=result.etag, last_modified=result.last_modified)
    except (FetchError, ParseError) as exc:
        raise SourceFailed(exc.code, exc.detail) from None


def _fill_pages(entries: list[Entry], *, force: bool = False) -> list[Entry]:
    """Full text from the article pages where the feed gave only a summary.

    A page that fails keeps the feed's summary; an index link whose page fails is dropped.
    """
    out, fetched = [], 0
    for entry in entries:
        if (force or entry.needs_page) and fetched < MAX_PAGES_PER_RUN:
            fetched += 1
            try:
                page = fetch(entry.url)
                found = extract_article(page.text(), page.url)
            except (FetchError, ParseError):
                if force:
                    continue
                out.append(entry)
                continue
            entry.text = found.text or entry.text
            entry.title = entry.title or found.title
            entry.author = entry.author or found.author
            entry.published_at = entry.published_at or found.published_at
            entry.summary = entry.summary or found.summary
        out.append(entry)
    return out


def _local(source) -> Collected:
    path = Path(source.url)
    if not path.exists():
        raise SourceFailed("missing_file", str(path))
    files = (
        # Files only: a folder named like a feed («1402.xml/») in an archive is not one.
        sorted(p for p in path.rglob("*") if p.suffix.lower() in LOCAL_SUFFIXES and p.is_file())
        if path.is_dir()
        else [path]
    )
    entries: list[Entry] = []
    errors = []
    for file in files:
        text = decode(file.read_bytes())
        try:
            if looks_like_feed(text):
                entries.extend(parse_feed(text, file.as_uri()))
            else:
                entry = extract_article(text, file.as_uri())
                entries.append(entry)
        except ParseError as exc:
            errors.append(exc)
    if errors and not entries:
        raise SourceFailed(errors[0].code, errors[0].detail)
    return Collected(entries)
