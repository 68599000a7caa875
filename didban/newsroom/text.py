"""Rich text: sanitising, plain text, and a word-level diff of two versions."""

from __future__ import annotations

import difflib
import html
import re

import nh3

from didban.lib.persian import normalize

ALLOWED_TAGS = {
    "p", "br", "strong", "b", "em", "i", "u", "s", "ul", "ol", "li", "blockquote",
    "h2", "h3", "h4", "a", "span", "sub", "sup", "hr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "span": {"dir"}, "p": {"dir"}}
_BLOCK_END = re.compile(r"(?i)<\s*(br\s*/?|/p|/li|/h[2-4]|/blockquote|hr\s*/?)\s*>")
_SPACES = re.compile(r"[ \t\u00a0]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")


def sanitize(body: str) -> str:
    """Only harmless markup survives; links get rel=noopener."""
    return nh3.clean(
        body or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    ).strip()


def plain_text(body: str) -> str:
    """The text of sanitised HTML, one line per paragraph."""
    text = _BLOCK_END.sub("\n", body or "")
    text = html.unescape(nh3.clean(text, tags=set()))
    text = "\n".join(_SPACES.sub(" ", line).strip() for line in text.splitlines())
    return _BLANK_LINES.sub("\n\n", text).strip()


def search_text(*parts: str) -> str:
    return normalize(" ".join(part for part in parts if part))


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """[(op, text)] with op in equal/delete/insert, word by word (newlines kept as words)."""
    a = re.findall(r"\n|[^\s]+", old)
    b = re.findall(r"\n|[^\s]+", new)
    parts: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)

    def join(words):
        return " ".join(words).replace(" \n ", "\n").replace("\n ", "\n").replace(" \n", "\n")

    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(("equal", join(a[i1:i2])))
        else:
            if i2 > i1:
                parts.append(("delete", join(a[i1:i2])))
            if j2 > j1:
                parts.append(("insert", join(b[j1:j2])))
    return parts
