"""Polite HTTP fetching of feeds and pages: conditional GET, limits, encodings.

Everything that can go wrong with a remote site ends as ``FetchError`` with a ``code`` that
``Source.error_text`` turns into words; nothing here raises anything else for a bad site.
"""

from __future__ import annotations

import re
import threading
import time
from collections import defaultdict
from dataclasses import dataclass

import httpx
from charset_normalizer import from_bytes
from django.conf import settings

USER_AGENT = "Didban-monitor/1.0 (+https://github.com/didban)"

# Persian text in legacy encodings: try these when UTF-8 fails and nothing is declared.
PERSIAN_LEGACY = ("cp1256", "iso8859_6", "mac_farsi", "cp720", "cp864")
# Declared charsets that are often lies on Iranian sites (the page is really windows-1256).
_WESTERN = {"iso-8859-1", "latin-1", "latin1", "windows-1252", "cp1252", "us-ascii", "ascii"}
_ARABIC_LETTERS = re.compile(r"[\u0600-\u06ff]")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([\w:.-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*encoding=["']([\w:.-]+)["']""", re.I)


class FetchError(Exception):
    """A source failed; ``code`` names the reason (see models.Source.ERROR_TEXTS)."""

    def __init__(self, code: str, detail: str = ""):
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail[:300]


@dataclass
class FetchResult:
    status: int
    url: str
    body: bytes = b""
    content_type: str = ""
    charset: str = ""
    etag: str = ""
    last_modified: str = ""

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    def text(self) -> str:
        return decode(self.body, self.charset)


def decode(body: bytes, declared: str = "") -> str:
    """Decode bytes of a Persian page or feed, trusting UTF-8 first and lies last.

    Valid UTF-8 is taken as UTF-8 whatever is declared. Otherwise a declared non-Western
    charset is used; a declared Western one (a common lie) or none at all is checked against
    the Persian legacy encodings, and the one that gives the most Arabic-script letters wins.
    """
    if body.startswith(b"\xef\xbb\xbf"):
        body = body[3:]
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = (declared or _sniff_declared(body)).lower().strip()
    if declared and declared not in _WESTERN and declared not in ("utf-8", "utf8"):
        try:
            return body.decode(declared, errors="replace")
        except LookupError:
            pass
    best, best_score = "", -1
    for encoding in PERSIAN_LEGACY:
        text = body.decode(encoding, errors="replace")
        score = len(_ARABIC_LETTERS.findall(text)) - 5 * text.count("\ufffd")
        if score > best_score:
            best, best_score = text, score
    if best_score > 0:
        return best
    guess = from_bytes(body).best()
    return str(guess) if guess is not None else body.decode("utf-8", errors="replace")


def _sniff_declared(body: bytes) -> str:
    head = body[:2048]
    for pattern in (_XML_ENCODING, _META_CHARSET):
        if match := pattern.search(head):
            return match.group(1).decode("ascii", errors="ignore")
    return ""


# --- politeness ----------------------------------------------------------------------

_host_locks: dict[str, threading.BoundedSemaphore] = {}
_host_last: dict[str, float] = defaultdict(float)
_registry_lock = threading.Lock()


def _host_slot(host: str) -> threading.BoundedSemaphore:
    with _registry_lock:
        if host not in _host_locks:
            _host_locks[host] = threading.BoundedSemaphore(settings.MONITORING_PER_HOST_CONCURRENCY)
        return _host_locks[host]


def _polite_wait(host: str) -> None:
    delay = settings.MONITORING_POLITENESS_SECONDS
    if delay <= 0:
        return
    with _registry_lock:
        wait = _host_last[host] + delay - time.monotonic()
        _host_last[host] = max(time.monotonic(), _host_last[host] + delay)
    if wait > 0:
        time.sleep(wait)


def fetch(
    url: str,
    *,
    etag: str = "",
    last_modified: str = "",
    max_bytes: int | None = None,
    timeout: float | None = None,
) -> FetchResult:
    """GET a URL once, conditionally, within the size and time limits."""
    max_bytes = max_bytes or settings.MONITORING_MAX_BYTES
    timeout = timeout or settings.MONITORING_TIMEOUT_SECONDS
    try:
        parsed = httpx.URL(url)
    except Exception as exc:
        raise FetchError("bad_url", str(exc)) from None
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise FetchError("bad_url", url)
    headers = {"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    slot = _host_slot(parsed.host)
    with slot:
        _polite_wait(parsed.host)
        deadline = time.monotonic() + timeout * 2
        try:
            with (
                httpx.Client(
                    follow_redirects=True,
                    max_redirects=settings.MONITORING_MAX_REDIRECTS,
                    timeout=httpx.Timeout(timeout),
                    headers=headers,
                ) as client,
                client.stream("GET", url) as response,
            ):
                if response.status_code == 304:
                    return FetchResult(304, str(response.url))
                if response.status_code >= 400:
                    raise FetchError("http_status", str(response.status_code))
                declared = response.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > max_bytes:
                    raise FetchError("too_large", declared)
                chunks, size = [], 0
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > max_bytes:
                        raise FetchError("too_large", str(size))
                    if time.monotonic() > deadline:
                        raise FetchError("timeout", "")
                    chunks.append(chunk)
                content_type = response.headers.get("content-type", "")
                charset = ""
                if "charset=" in content_type:
                    charset = content_type.split("charset=", 1)[1].split(";")[0].strip(" \"'")
                return FetchResult(
                    status=response.status_code,
                    url=str(response.url),
                    body=b"".join(chunks),
                    content_type=content_type.split(";")[0].strip().lower(),
                    charset=charset,
                    etag=response.headers.get("etag", ""),
                    last_modified=response.headers.get("last-modified", ""),
                )
        except FetchError:
            raise
        except httpx.TooManyRedirects as exc:
            raise FetchError("redirects", str(exc)) from None
        except httpx.TimeoutException as exc:
            raise FetchError("timeout", str(exc)) from None
        except httpx.DecodingError as exc:
            raise FetchError("decoding", str(exc)) from None
        except (httpx.HTTPError, OSError) as exc:
            raise FetchError("network", str(exc)) from None
