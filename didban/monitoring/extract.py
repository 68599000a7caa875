"""From fetched bytes to entries: feeds, channel previews, index pages and article pages.

Nothing here touches the database. Every parser takes text and returns ``Entry`` objects;
malformed input gives fewer entries or ``ParseError``, never another exception.
"""

from __future__ import annotations

import calendar
import functools
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urldefrag, urljoin, urlsplit, urlunsplit

import feedparser
import lxml.html
import nh3
import trafilatura

from didban.lib.jalali import parse_jalali
from didban.lib.persian import ZWNJ, fix_display, to_ascii_digits


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
#
# One lxml parse per page. The article body is taken directly when the page marks it
# (``itemprop="articleBody"``, the body classes of the common CMSs, a single ``<article>``)
# and it passes the checks of ``_plausible_body``; otherwise trafilatura (precision mode, its
# fast heuristics, no metadata) extracts it from a pre-cleaned tree. The metadata is read here
# cheaply (headline, meta tags, the Jalali text); htmldate is asked only when the page has no
# date of any other kind, because it costs more than all the rest and knows no Jalali dates.

_BYLINE = re.compile(r"(?:نویسنده|خبرنگار|گزارش)\s*[:：]\s*([^\n|،]{2,60})")

# Class names of the article body in the CMSs of Iranian outlets and of WordPress themes.
BODY_CLASSES = frozenset(
    {
        "item-text", "news-body", "news-text", "newstext", "news_body", "news_text",
        "body-news", "entry-content", "post-content", "article-body", "article-content",
        "story", "content-text", "main-text", "nt-body", "text-news", "matn", "khabar-body",
        "full-text", "news-content",
    }
)  # fmt: skip
_BODY_MARKS = BODY_CLASSES | {"articlebody"}
_CLASS_TOKENS = re.compile(r"[\s_-]+")
# Blocks that are never the article: page furniture and reader comments.
_JUNK_WORDS = frozenset(
    {
        "comment", "comments", "commentlist", "respond", "reply", "share", "sharing", "social",
        "related", "tags", "tag", "print", "banner", "ads", "advert", "advertisement", "poll",
        "vote", "rating", "breadcrumb", "breadcrumbs", "newsletter", "subscribe", "sidebar",
        "widget", "owghat", "oghat", "prayer", "visitor", "visitors", "stats", "statistics",
        "counter", "footer", "menu", "nav", "navbar", "ticker", "marquee", "most", "popular",
    }
)  # fmt: skip
_COMMENT_WORDS = frozenset({"comment", "comments", "commentlist", "respond", "reply", "nazar"})
_NEVER_TEXT = ("script", "style", "noscript", "iframe", "svg", "template", "object", "embed")
_FURNITURE_TAGS = ("form", "nav", "aside", "footer", "button", "input", "select", "textarea")
_BLOCKS = frozenset(
    {
        "p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "br", "tr", "section",
        "article", "ul", "ol", "table", "pre", "figcaption", "dd", "dt", "header",
    }
)  # fmt: skip
_LEAD_CLASSES = frozenset({"summary", "lead", "introtext", "subtitle", "rutitr", "item-summary"})
# All class names and itemprops of a page in one call: the body markers it has at all are
# known before any element is tested against them.
_MARKS_XPATH = lxml.etree.XPath("//@class | //@itemprop", smart_strings=False)
_META_DATES = (
    "article:published_time",
    "datepublished",
    "pubdate",
    "publish-date",
    "og:published_time",
)
_TIME_XPATH = lxml.etree.XPath(".//*[@itemprop='datePublished']/@datetime | .//time/@datetime")
MIN_BODY_CHARS = 200
MAX_LINK_DENSITY = 0.3


def _classes(el) -> set[str]:
    names = f"{el.get('class') or ''} {el.get('id') or ''}".lower()
    return set(_CLASS_TOKENS.split(names)) - {""}


def _in_comments(el) -> bool:
    for node in el.iterancestors():
        if _classes(node) & _COMMENT_WORDS:
            return True
    return bool(_classes(el) & _COMMENT_WORDS)


def _lines(el) -> list[str]:
    """The text of an element, one line per block, whitespace tidied, empty lines dropped."""
    parts: list[str] = []

    def walk(node):
        if not isinstance(node.tag, str):  # comments and processing instructions
            if node.tail:
                parts.append(node.tail)
            return
        block = node.tag in _BLOCKS
        if block:
            parts.append("\n")
        if node.text:
            parts.append(node.text)
        for child in node:
            walk(child)
        if block:
            parts.append("\n")
        if node.tail:
            parts.append(node.tail)

    walk(el)
    out = []
    for line in "".join(parts).split("\n"):
        line = " ".join(line.split())
        if line:
            out.append(line)
    return out


def _remove(el) -> None:
    """Drop an element but keep its tail text (it belongs to the parent)."""
    parent = el.getparent()
    if parent is None:
        return
    if el.tail and el.tail.strip():
        previous = el.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


@functools.lru_cache(maxsize=256)
def _body_xpath(hints: frozenset[str]) -> lxml.etree.XPath:
    tests = [f"contains(@class, '{h}')" for h in sorted(hints - {"articlebody"})]  # exact below
    if "articlebody" in hints:
        tests.append("@itemprop='articleBody' or @itemprop='articlebody'")
    return lxml.etree.XPath(f"//*[{' or '.join(tests)}]")


def _body_candidate(root):
    """The element that holds the article body, when the page says so unambiguously.

    A marked body inside the comments, several marked bodies (a list page), a body that holds
    a comment form, or an ``<article>`` without the headline (a reader's comment) are not
    taken: trafilatura decides then.
    """
    hints = frozenset(" ".join(_MARKS_XPATH(root)).lower().split()) & _BODY_MARKS
    found = [el for el in _body_xpath(hints)(root) if _is_body_marked(el)] if hints else []
    found = [el for el in found if not _in_comments(el)]
    # Nested matches (a ``story`` inside an ``item-text``): keep the outermost ones.
    outer = [el for el in found if not any(a in found for a in el.iterancestors())]
    if len(outer) > 1:
        marked = [el for el in outer if (el.get("itemprop") or "").lower() == "articlebody"]
        outer = marked if len(marked) == 1 else outer
    if len(outer) > 1:
        return None
    if not outer:
        articles = [el for el in root.iter("article") if not _in_comments(el)]
        outer = [el for el in articles if not any(a.tag == "article" for a in el.iterancestors())]
        if len(outer) != 1 or next(outer[0].iterdescendants("article"), None) is not None:
            return None
        if outer[0].find(".//h1") is None and not _HEADLINE_XPATH(outer[0]):
            return None
    if next(outer[0].iter("textarea"), None) is not None:
        return None  # the comment form (and so the comments) are inside
    return outer[0]


def _is_body_marked(el) -> bool:
    if (el.get("itemprop") or "").lower() == "articlebody":
        return True
    return bool(set((el.get("class") or "").lower().split()) & BODY_CLASSES)


def _plausible_body(el) -> bool:
    """Cleaned of its furniture, a marked body must still read like an article: some length,
    not mostly links."""
    length = len(" ".join(el.text_content().split()))
    if length < MIN_BODY_CHARS:
        return False
    linked = sum(len(" ".join(a.text_content().split())) for a in el.iter("a"))
    return linked <= MAX_LINK_DENSITY * length


def _fast_body(candidate, title: str) -> list[str] | None:
    """The lines of a marked body with the furniture inside it removed, or None."""
    size = len(candidate.text_content())
    for el in list(candidate.iterdescendants()):
        if not isinstance(el.tag, str) or el.getparent() is None:
            continue
        names = _classes(el)
        furniture = el.tag in _FURNITURE_TAGS or el.tag == "h1" or bool(names & _COMMENT_WORDS)
        # An <article>'s own <time> is its date line, not body text.
        furniture = furniture or (el.tag == "time" and candidate.tag == "article")
        # Named like furniture but holding much of the body («print-area», «tag-body»): a
        # wrapper of the article, kept.
        furniture = furniture or (names & _JUNK_WORDS and len(el.text_content()) < 0.3 * size)
        if furniture:
            _remove(el)
    if not _plausible_body(candidate):
        return None
    # A wrapper that holds the header too (an <article>, a «news-content»): the headline and a
    # line that is just the date are not body text.
    lines = [
        line
        for line in _lines(candidate)
        if not (abs(len(line) - len(title)) <= 3 and fix_display(line) == title)
        and not (len(line) < 80 and find_jalali_date(line))
    ]
    return lines or None


def _lead(candidate) -> str:
    """The lead paragraph that agencies print above the body, outside the body element."""
    scope = candidate
    for _level in range(3):
        scope = scope.getparent()
        if scope is None:
            return ""
        for el in scope.iter():
            if el is candidate:
                break  # only what comes before the body
            if not isinstance(el.tag, str) or el.tag == "meta":
                continue
            if (el.get("itemprop") or "").lower() == "description" or (
                set((el.get("class") or "").lower().split()) & _LEAD_CLASSES
            ):
                text = " ".join(el.text_content().split())
                return text if len(text) <= 1000 else ""
    return ""


_META_XPATH = lxml.etree.XPath(".//meta[@content and (@property or @name or @itemprop)]")


def _meta(root, *names: str) -> str:
    """The first non-empty ``<meta content>`` of the given names, in the order of the names."""
    head = root.find("head")
    found = {}
    for el in _META_XPATH(head if head is not None else root):
        key = (el.get("property") or el.get("name") or el.get("itemprop") or "").lower()
        if key in names and key not in found and el.get("content", "").strip():
            found[key] = el.get("content").strip()
    return next((found[n] for n in names if n in found), "")


_HEADLINE_XPATH = lxml.etree.XPath(".//*[@itemprop='headline']")
_AUTHOR_XPATH = lxml.etree.XPath(".//*[@itemprop='author' or @rel='author']")


def _title(root) -> str:
    for el in _HEADLINE_XPATH(root):
        text = (el.get("content") or el.text_content()).strip()
        if text:
            return text
    if og := _meta(root, "og:title", "twitter:title"):
        return og
    headings = [h for h in root.iter("h1") if not _in_comments(h)]
    if len(headings) == 1:
        return headings[0].text_content()
    title = root.findtext(".//title") or ""
    # «headline - site name»: the longest part is the headline.
    parts = [p for p in re.split(r"\s+[-|–—»]\s+", title) if p.strip()]
    if parts:
        return max(parts, key=len)
    return headings[0].text_content() if headings else ""


def _scope(candidate, root):
    """Where the article's own date is written: its <article>, <main>, or the page."""
    if candidate is not None:
        for node in [candidate, *candidate.iterancestors()]:
            if node.tag in ("article", "main"):
                return node
        parent = candidate.getparent()
        grand = parent.getparent() if parent is not None else None
        return grand if grand is not None else parent if parent is not None else root
    articles = [el for el in root.iter("article") if not _in_comments(el)]
    if len(articles) == 1:
        return articles[0]
    main = root.find(".//main")
    return main if main is not None else root


def _date(root, scope, page_text: str) -> datetime | None:
    """Jalali text near the article, ISO meta tags, ``<time>`` near the article, then the
    page's Jalali text (headers print today's date: the page is searched last)."""
    if scope is not root and (found := find_jalali_date(scope.text_content())):
        return found
    if found := _iso_to_utc(_meta(root, *_META_DATES)):
        return found
    for value in _TIME_XPATH(scope):
        if found := _iso_to_utc(value):
            return found
    return find_jalali_date(page_text)


def _htmldate(root) -> datetime | None:
    try:
        from htmldate import find_date

        found = find_date(root, extensive_search=False, original_date=True)
    except Exception:  # htmldate raises on odd trees; a missing date is guessed later
        return None
    if not found:
        return None
    return _iso_to_utc(found + "T00:00:00+00:00" if len(found) == 10 else found)


_PARSER = lxml.html.HTMLParser(
    collect_ids=False,
    default_doctype=False,
    encoding="utf-8",
    remove_comments=True,
    remove_pis=True,
)
_DOCTYPE = re.compile(r"\s*<!DOCTYPE[^>]*>", re.IGNORECASE)


def _load(html: str):
    """One parse, as trafilatura's ``load_html`` does it but without its passes over the text."""
    if doctype := _DOCTYPE.match(html[:1000]):
        html = html[doctype.end() :]  # libxml2 trips on some doctypes (lxml bug 1955915)
    try:
        try:
            root = lxml.html.fromstring(html, parser=_PARSER)
        except ValueError:  # a str that declares an encoding: give libxml2 the bytes
            root = lxml.html.fromstring(html.encode("utf-8", "surrogatepass"), parser=_PARSER)
    except Exception as exc:  # lxml raises several kinds on hostile markup
        raise ParseError("bad_page", str(exc)) from None
    if root is None or not isinstance(root.tag, str):
        raise ParseError("bad_page", "not HTML")
    return root


@functools.cache
def _trafilatura_options(fast: bool):
    """Built once: reading trafilatura's configuration costs more than a small page."""
    from trafilatura.settings import Extractor

    return Extractor(
        output_format="python",
        fast=fast,  # no readability/jusText comparison: the pre-clean did the rough work
        with_metadata=False,  # read here: title, author, and the Jalali date
        comments=False,
        tables=False,
        links=False,
        precision=True,
        dedup=False,  # its cache spans documents: a repeated page would lose its text
    )


_XML_UNSAFE_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _trafilatura_body(root, *, fast: bool = True) -> str:
    # trafilatura drops every non-printable character, ZWNJ included («رسانه‌ها» would become
    # «رسانهها», another word): it travels as «¬», a printable stand-in.
    # A text node may hold control characters the HTML parser kept (U+0008…) that lxml refuses
    # to set back: they are dropped with the replacement, as trafilatura would drop them.
    for el in root.iter():
        if el.text and ZWNJ in el.text:
            el.text = _XML_UNSAFE_RE.sub("", el.text.replace(ZWNJ, "¬"))
        if el.tail and ZWNJ in el.tail:
            el.tail = _XML_UNSAFE_RE.sub("", el.tail.replace(ZWNJ, "¬"))
    try:
        doc = trafilatura.bare_extraction(root, options=_trafilatura_options(fast))
    except Exception as exc:  # trafilatura raises many kinds on hostile markup
        raise ParseError("bad_page", str(exc)) from None
    # Back to ZWNJ everywhere (fix_display then drops those next to a space, as for any text).
    return (doc.text or "").replace("¬", ZWNJ) if doc is not None else ""


_P_TEXT = lxml.etree.XPath(".//p//text()", smart_strings=False)
_ALL_TEXT = lxml.etree.XPath(".//text()", smart_strings=False)
_LAYOUT_XPATH = lxml.etree.XPath("//form | //table")
# Elements that can be furniture: the furniture tags and whatever has a class or an id.
_NAMED_XPATH = lxml.etree.XPath(
    " | ".join([f"//{tag}" for tag in _FURNITURE_TAGS] + ["//*[@class or @id]"])
)


def _pre_clean(root) -> None:
    """Prepare the tree for trafilatura: remove what is never article text, and undo what
    would make trafilatura lose the article.

    * Furniture tags and blocks named as furniture go, unless they hold the headline or half
      of the text (a theme may name a wrapper "sidebar").
    * A ``<form>`` or layout ``<table>`` holding the article is unwrapped: ASP.NET sites wrap
      the whole page in one form and old portals lay pages out in tables, and trafilatura
      deletes every form (and every table, tables being off) with what is inside.
    * An ``<article>`` without the headline, when the headline is elsewhere, becomes a
      ``<div>``: trafilatura prefers ``<article>`` and would take a comment or a teaser.
    """
    has_p = root.find(".//p") is not None

    def weight(el) -> int:
        return sum(map(len, (_P_TEXT if has_p else _ALL_TEXT)(el)))

    total = weight(root)

    def holds_article(el) -> bool:
        return el.find(".//h1") is not None or weight(el) > 0.5 * total

    for el in _LAYOUT_XPATH(root):
        if el.getparent() is None or not holds_article(el):
            continue
        if el.tag == "form":
            el.drop_tag()
        else:
            for cell in el.iter("table", "thead", "tbody", "tfoot", "tr", "td", "th"):
                cell.tag = "div"
    doomed = [
        el
        for el in _NAMED_XPATH(root)
        if el.tag not in ("html", "body", "main", "article", "h1")
        and (el.tag in _FURNITURE_TAGS or _classes(el) & _JUNK_WORDS)
    ]
    for el in doomed:
        if el.getparent() is not None and not holds_article(el):
            _remove(el)
    headline = root.find(".//h1")
    if headline is not None and not any(a.tag == "article" for a in headline.iterancestors()):
        for el in root.iter("article"):
            el.tag = "div"


def extract_article(html: str, url: str = "") -> Entry:
    """Main text, title, author and time of an article page, without the page's furniture.

    ``Entry.extra["extractor"]`` says which way the body was found: ``marked`` (the page marks
    its body) or ``trafilatura``.
    """
    root = _load(html)
    for el in list(root.iter(*_NEVER_TEXT)):
        if el.getparent() is not None:
            _remove(el)
    page_text = root.text_content()
    title = fix_display(_title(root))
    language = (root.get("lang") or "fa")[:2].lower() or "fa"
    author = _meta(root, "author", "article:author", "dc.creator")
    if not author:
        for el in _AUTHOR_XPATH(root):
            if not _in_comments(el):
                author = el.get("content") or el.text_content()
                if author.strip():
                    break
    candidate = _body_candidate(root)
    lead = _lead(candidate) if candidate is not None else ""
    published = _date(root, _scope(candidate, root), page_text)
    lines = _fast_body(candidate, title) if candidate is not None else None
    if lines is not None:
        extractor = "marked"
        if lead and lead not in lines:
            lines.insert(0, lead)
        body = fix_display("\n".join(lines))
    else:
        extractor = "trafilatura"
        _pre_clean(root)
        body = fix_display(_trafilatura_body(root))
        if not body.strip():  # its fast heuristics found nothing: its full set, once
            body = fix_display(_trafilatura_body(root, fast=False))
        if not body.strip():
            raise ParseError("no_text", url)
    if published is None:
        published = _htmldate(root)
    author = fix_display(author)
    if not author and (match := _BYLINE.search(page_text)):
        author = fix_display(match.group(1))
    # The headline often repeats as the first paragraph (or twice): keep it once, in the title.
    while title and body.startswith(title):
        body = body[len(title) :].lstrip()
    return Entry(
        url=url,
        title=title[:500],
        text=body,
        summary=body[:500],
        author=author[:200],
        published_at=published,
        language=language,
        extra={"extractor": extractor},
    )
