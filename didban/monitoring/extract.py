"""From fetched bytes to entries: feeds, channel previews, index pages and article pages.

Nothing here touches the database. Every parser takes text and returns ``Entry`` objects;
malformed input gives fewer entries or ``ParseError``, never another exception.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urldefrag, urljoin, urlsplit, urlunsplit

import feedparser
import lxml.html
import nh3
import trafilatura

from didban.lib.jalali import parse_jalali
from didban.lib.persian import fix_display, to_ascii_digits


class ParseError(Exception):
    def __init__(self, code: str, detail: str = ""):
        super().__init__(code)
        self.code = code
        self.detail = detail[:300]


@dataclass
class Entry:
    url: str
    title: str = ""
    text: str = ""
    summary: str = ""
    author: str = ""
    published_at: datetime | None = None
    guid: str = ""
    language: str = "fa"
    extra: dict = field(default_factory=dict)

    @property
    def needs_page(self) -> bool:
        """A feed that gives only a summary: the article page is fetched for the full text."""
        return len(self.text) < 400 and bool(self.url.startswith(("http://", "https://")))


# --- URLs -------------------------------------------------------------------------------

_TRACKING = re.compile(r"^(utm_\w+|fbclid|gclid|ref|from|share)$", re.I)


def url_key(url: str) -> str:
    """The identity of an article URL: scheme and www dropped, tracking parameters removed."""
    url, _frag = urldefrag(url.strip())
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().removeprefix("www.")
    query = "&".join(
        p for p in sorted(parts.query.split("&")) if p and not _TRACKING.match(p.split("=")[0])
    )
    path = parts.path.rstrip("/") or "/"
    return urlunsplit(("", host + (f":{parts.port}" if parts.port else ""), path, query, ""))[2:]


# --- plain text ---------------------------------------------------------------------------


def html_to_text(html: str) -> str:
    """Visible text of a small HTML fragment (feed summaries): tags removed, blocks kept apart."""
    if not html or "<" not in html:
        return fix_display(html or "")
    cleaned = nh3.clean(html, tags={"p", "br", "div", "li"}, attributes={})
    cleaned = re.sub(r"<(br|/p|/div|/li)\s*/?>", "\n", cleaned)
    cleaned = re.sub(r"<[^>]+>", "", cleaned)
    return fix_display(lxml.html.fromstring(f"<div>{cleaned}</div>").text_content())


# --- dates ----------------------------------------------------------------------------------

_JALALI_IN_TEXT = re.compile(
    r"(?:(?:یک|دو|سه|چهار|پنج)?\s?\u200c?شنبه|جمعه)?\s*[،,]?\s*"
    r"[0-9۰-۹]{1,2}\s+(?:فروردین|اردیبهشت|خرداد|تیر|مرداد|امرداد|شهریور|مهر|آبان|ابان|آذر|اذر|دی|بهمن|اسفند)"
    r"\s+[0-9۰-۹]{4}(?:\s*[-–،,|]?\s*(?:ساعت\s*[:：]?\s*)?[0-9۰-۹]{1,2}:[0-9۰-۹]{2})?"
    r"|1[34][0-9]{2}/[01]?[0-9]/[0-3]?[0-9](?:\s*[-–]?\s*[0-9]{1,2}:[0-9]{2})?"
    r"|[۱1][۳۴34][۰-۹0-9]{2}/[۰-۹0-9]{1,2}/[۰-۹0-9]{1,2}(?:\s*[-–]?\s*[۰-۹0-9]{1,2}:[۰-۹0-9]{2})?"
)


def find_jalali_date(text: str) -> datetime | None:
    """The first Jalali date (with its time when written) in a page's text, as UTC."""
    for match in _JALALI_IN_TEXT.finditer(text[:20000]):
        candidate = re.sub(r"ساعت\s*[:：]\s*", "ساعت ", match.group(0).strip(" ،,"))
        try:
            return parse_jalali(candidate)
        except ValueError:
            # A weekday that does not agree, or the weekday's text cut: try the bare date.
            bare = re.sub(r"^.*?(?=[0-9۰-۹])", "", candidate)
            try:
                return parse_jalali(bare)
            except ValueError:
                continue
    return None


def _struct_to_utc(value) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(value), tz=UTC)
    except (OverflowError, ValueError, TypeError):
        return None


def _iso_to_utc(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(to_ascii_digits(value.strip()).replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        return None
    return parsed.astimezone(UTC)


# --- feeds ------------------------------------------------------------------------------------


def parse_feed(text: str, base_url: str = "") -> list[Entry]:
    """RSS or Atom (any version feedparser knows), with a Jalali date in the text as fallback."""
    # The text is already decoded: say so, whatever the XML declaration claims.
    text = re.sub(r"^\s*<\?xml[^>]*\?>", '<?xml version="1.0" encoding="utf-8"?>', text, count=1)
    feed = feedparser.parse(text.encode("utf-8"), sanitize_html=False, resolve_relative_uris=False)
    if feed.bozo and not feed.entries:
        raise ParseError("bad_feed", str(feed.get("bozo_exception", "")))
    if not feed.entries and not feed.get("feed"):
        raise ParseError("bad_feed", "")
    entries = []
    for raw in feed.entries:
        link = raw.get("link") or ""
        if not link and raw.get("id", "").startswith(("http://", "https://")):
            link = raw["id"]
        if not link:
            continue
        link = urljoin(base_url, link)
        content = ""
        for part in raw.get("content") or []:
            content = max(content, part.get("value", ""), key=len)
        summary = html_to_text(raw.get("summary", ""))
        body = html_to_text(content) if content else ""
        published = _struct_to_utc(raw.get("published_parsed") or raw.get("updated_parsed"))
        if published is None:
            published = find_jalali_date(
                " ".join(str(raw.get(k, "")) for k in ("published", "updated", "summary"))
            )
        entries.append(
            Entry(
                url=link,
                title=fix_display(html_to_text(raw.get("title", "")))[:500],
                text=body or summary,
                summary=summary[:1000],
                author=fix_display(raw.get("author", ""))[:200],
                published_at=published,
                guid=str(raw.get("id", ""))[:500],
            )
        )
    if feed.bozo and not entries:
        # Broken XML that yielded nothing usable; a truncated feed with items is kept.
        raise ParseError("bad_feed", str(feed.get("bozo_exception", "")))
    return entries


def looks_like_feed(text: str) -> bool:
    head = text.lstrip()[:500].lower()
    return head.startswith("<?xml") or "<rss" in head or "<feed" in head


# --- channel previews (t.me/s/<name>, eitaa.com/<name>, ble.ir/<name>) ------------------------


def parse_channel_preview(text: str, base_url: str) -> list[Entry]:
    """Posts of a public channel's web preview: each has a data-post id, text and a time."""
    try:
        root = lxml.html.fromstring(text)
    except (lxml.etree.ParserError, ValueError) as exc:
        raise ParseError("bad_page", str(exc)) from None
    entries = []
    for post in root.xpath("//*[@data-post]"):
        post_id = post.get("data-post", "")
        texts = post.xpath(".//*[contains(@class, 'message_text')]")
        if not texts:
            continue
        body = fix_display(texts[0].text_content())
        link = urljoin(base_url, "/" + post_id) if post_id else base_url
        links = post.xpath(".//a[contains(@class, 'message_date')]/@href")
        if links:
            link = urljoin(base_url, links[0])
        times = post.xpath(".//time/@datetime")
        published = _iso_to_utc(times[0]) if times else find_jalali_date(post.text_content())
        first_line = body.split("\n", 1)[0]
        entries.append(
            Entry(
                url=link,
                title=first_line[:200],
                text=body,
                summary=body[:500],
                published_at=published,
                guid=post_id,
            )
        )
    return entries


# --- web index pages ---------------------------------------------------------------------------

_ARTICLE_PATH = re.compile(r"(/news/|/fa/|/\d{4,}|[-/]\d{5,})")


def index_links(text: str, base_url: str, limit: int = 30) -> list[str]:
    """Links to articles on a section page: same site, paths that look like news items."""
    try:
        root = lxml.html.fromstring(text)
    except (lxml.etree.ParserError, ValueError) as exc:
        raise ParseError("bad_page", str(exc)) from None
    host = urlsplit(base_url).hostname
    seen: dict[str, None] = {}
    for href in root.xpath("//a/@href"):
        url = urldefrag(urljoin(base_url, href.strip()))[0]
        parts = urlsplit(url)
        if parts.hostname != host or parts.scheme not in ("http", "https"):
            continue
        if not _ARTICLE_PATH.search(parts.path) or url.rstrip("/") == base_url.rstrip("/"):
            continue
        seen.setdefault(url, None)
        if len(seen) >= limit:
            break
    return list(seen)


# --- article pages -----------------------------------------------------------------------------

_BYLINE = re.compile(r"(?:نویسنده|خبرنگار|گزارش)\s*[:：]\s*([^\n|،]{2,60})")


def extract_article(html: str, url: str = "") -> Entry:
    """Main text, title, author and time of an article page, without the page's furniture.

    trafilatura strips menus, comment forms, polls, visitor counters and the like; the
    date is read from the page's Jalali text first (htmldate does not know the Jalali
    calendar), then from the metadata trafilatura found.
    """
    try:
        doc = trafilatura.bare_extraction(
            html,
            url=url or None,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            include_links=False,
            favor_precision=True,
            deduplicate=False,  # its cache spans documents: a repeated page would lose its text
        )
    except Exception as exc:  # trafilatura raises many kinds on hostile markup
        raise ParseError("bad_page", str(exc)) from None
    if doc is None or not (doc.text or "").strip():
        raise ParseError("no_text", url)
    body = fix_display(doc.text or "")
    title = fix_display(doc.title or "")
    try:
        page_text = lxml.html.fromstring(html).text_content()
    except (lxml.etree.ParserError, ValueError):
        page_text = body
    published = find_jalali_date(page_text)
    if published is None and doc.date:
        published = _iso_to_utc(doc.date + ("T00:00:00+00:00" if len(doc.date) == 10 else ""))
    author = fix_display(doc.author or "")
    if not author and (match := _BYLINE.search(page_text)):
        author = fix_display(match.group(1))
    # The headline often repeats as the first paragraph: keep it once, in the title.
    if title and body.startswith(title):
        body = body[len(title) :].lstrip()
    return Entry(
        url=url,
        title=title[:500],
        text=body,
        summary=body[:500],
        author=author[:200],
        published_at=published,
        language=doc.language or "fa",
    )
