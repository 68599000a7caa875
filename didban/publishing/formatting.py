"""What each kind of channel receives: text within its limits, markup, attached media.

A formatter turns a `Story` (an item, reduced to what channels need) into a `Plan`: the list
of `Step`s a transport performs in order (a photo with the first part of the caption, then the
rest as messages …). Every copy carries the news code and the link to the website page.

Limits are counted as Telegram counts them: characters of the visible text (tags removed,
entities decoded) in UTF-16 code units. A split never falls inside a word (ZWNJ joins a word),
a tag or an entity; tags open at a split are closed and reopened in the next part.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from django.utils.translation import gettext as _

TELEGRAM_MESSAGE_LIMIT = 4096
TELEGRAM_CAPTION_LIMIT = 1024
MEDIA_GROUP_MAX = 10
# Eitaa (eitaayar): plain text; the same limits as Telegram are assumed (docs/publishing.md).
EITAA_MESSAGE_LIMIT = 4096
EITAA_CAPTION_LIMIT = 1024


@dataclass(frozen=True)
class Media:
    kind: str  # photo | video | audio | document
    path: str  # a local file path (storage path) to upload
    name: str
    content_type: str
    url: str = ""  # where the website shows it


@dataclass(frozen=True)
class Story:
    item_id: int
    news_code: str
    kind_label: str
    title: str
    lead: str
    body_text: str
    url: str
    media: tuple[Media, ...] = ()
    correction_note: str = ""


@dataclass
class Step:
    method: str  # message | photo | video | audio | document | media_group | email | json | page
    text: str = ""
    media: list[Media] = field(default_factory=list)
    payload: dict = field(default_factory=dict)


@dataclass
class Plan:
    steps: list[Step]
    parse_mode: str = ""


# --- splitting ---------------------------------------------------------------------------

_TOKEN = re.compile(r"<[^>]*>|&(?:#\d+|#x[0-9a-fA-F]+|[A-Za-z]+);|\s+|[^<&\s]+|[<&]")
_TAG_NAME = re.compile(r"</?\s*([A-Za-z0-9]+)")


def visible_length(text: str) -> int:
    """Length as Telegram counts it: visible characters in UTF-16 code units."""
    plain = html.unescape(re.sub(r"<[^>]*>", "", text))
    return len(plain.encode("utf-16-le")) // 2


def _unit_len(token: str) -> int:
    if token.startswith("<") and token.endswith(">") and len(token) > 1:
        return 0
    if token.startswith("&") and token.endswith(";"):
        return 1
    return len(token.encode("utf-16-le")) // 2


def split_html(text: str, limit: int, *, first_limit: int | None = None) -> list[str]:
    """Split Telegram-HTML text into parts whose visible length fits the limit.

    The first part may have its own limit (a caption). Breaks prefer a paragraph, then a line,
    then the end of a sentence, then a space (among breaks that keep the part at least half
    full); a single word longer than a whole part is cut between characters, never inside an
    entity.
    """
    tokens = _TOKEN.findall(text)
    parts: list[str] = []
    current: list[str] = []
    size = 0
    open_tags: list[tuple[str, str]] = []  # (name, opening tag) in nesting order
    breaks: list[tuple[int, list[tuple[str, str]], int, int]] = []  # (index, tags, prio, size)

    def cap() -> int:
        return first_limit if (first_limit is not None and not parts) else limit

    def flush(at: int, tags_at: list[tuple[str, str]]) -> None:
        nonlocal current, size, breaks
        head = "".join(current[:at]).rstrip()
        rest = current[at:]
        while rest and rest[0].isspace():
            rest = rest[1:]
        if re.sub(r"<[^>]*>", "", head).strip():
            parts.append(head + "".join(f"</{name}>" for name, _t in reversed(tags_at)))
        current = [tag for _n, tag in tags_at] + rest
        size = sum(_unit_len(t) for t in current)
        breaks = []

    i = 0
    while i < len(tokens):
        token = tokens[i]
        length = _unit_len(token)
        if length and not token.isspace() and size + length > cap():
            fitting = [b for b in breaks if b[3] * 2 >= cap()] or breaks
            if fitting:
                best = max(fitting, key=lambda b: (b[2], b[0]))
                flush(best[0], best[1])
                continue
            if size > 0:
                flush(len(current), list(open_tags))
                continue
            if not token.startswith("&"):
                # One word longer than a whole part: cut it between characters.
                room, used, cut = cap(), 0, ""
                for ch in token:
                    width = len(ch.encode("utf-16-le")) // 2
                    if used + width > room:
                        break
                    cut += ch
                    used += width
                cut = cut or token[0]
                tokens[i : i + 1] = [cut, token[len(cut) :]]
                current.append(cut)
                size += _unit_len(cut)
                flush(len(current), list(open_tags))
                i += 1
                continue
        if token.isspace():
            priority = 3 if "\n\n" in token else 2 if "\n" in token else 0
            if priority == 0 and current and current[-1][-1:] in ".!?؟؛:…":
                priority = 1
            breaks.append((len(current), list(open_tags), priority, size))
        current.append(token)
        size += length
        if token.startswith("<") and token.endswith(">"):
            match = _TAG_NAME.match(token)
            if match:
                name = match.group(1).lower()
                if token.startswith("</"):
                    for k in range(len(open_tags) - 1, -1, -1):
                        if open_tags[k][0] == name:
                            del open_tags[k]
                            break
                elif not token.endswith("/>"):
                    open_tags.append((name, token))
        i += 1
    tail = "".join(current).strip()
    if re.sub(r"<[^>]*>", "", tail).strip():
        parts.append(tail)
    return parts


# --- plain text from the body --------------------------------------------------------------


class _Text(HTMLParser):
    BLOCK = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.BLOCK:
            self.out.append("\n")
        if tag == "li":
            self.out.append("• ")

    def handle_endtag(self, tag):
        if tag in self.BLOCK and tag != "br":
            self.out.append("\n")

    def handle_data(self, data):
        self.out.append(data)


def html_to_text(value: str) -> str:
    parser = _Text()
    parser.feed(value or "")
    parser.close()
    text = "".join(parser.out)
    text = re.sub(r"[ \t\r\f\v]+", " ", text)
    text = re.sub(r" *\n *", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


# --- per kind ------------------------------------------------------------------------------


def footer_text(story: Story) -> str:
    return _("News code: %(code)s") % {"code": story.news_code}


def telegram_html(story: Story) -> str:
    e = html.escape
    blocks = [f"<b>{e(story.title)}</b>"]
    if story.correction_note:
        label = _("Corrected")
        blocks.append(f"<i>{e(label)}: {e(story.correction_note)}</i>")
    if story.lead:
        blocks.append(e(story.lead))
    if story.body_text:
        blocks.append(e(story.body_text))
    blocks.append(f'{e(footer_text(story))}\n<a href="{e(story.url)}">{e(story.url)}</a>')
    return "\n\n".join(blocks)


def plain_text(story: Story) -> str:
    blocks = [story.title]
    if story.correction_note:
        label = _("Corrected")
        blocks.append(f"{label}: {story.correction_note}")
    blocks += [story.lead, story.body_text, f"{footer_text(story)}\n{story.url}"]
    return "\n\n".join(b for b in blocks if b)


def _messenger_plan(
    story: Story, text: str, *, message_limit: int, caption_limit: int, groups: bool
) -> list[Step]:
    groupable = [m for m in story.media if m.kind in ("photo", "video")]
    others = [m for m in story.media if m.kind not in ("photo", "video")]
    steps: list[Step] = []
    if not story.media:
        return [Step("message", part) for part in split_html(text, message_limit)]
    parts = split_html(text, message_limit, first_limit=caption_limit)
    caption, rest = (parts[0] if parts else ""), parts[1:]
    if groups and len(groupable) > 1:
        for n in range(0, len(groupable), MEDIA_GROUP_MAX):
            chunk = groupable[n : n + MEDIA_GROUP_MAX]
            if len(chunk) == 1:
                steps.append(Step(chunk[0].kind, caption if n == 0 else "", [chunk[0]]))
            else:
                steps.append(Step("media_group", caption if n == 0 else "", chunk))
        singles = others
    else:
        singles = [*groupable, *others]
    for k, media in enumerate(singles):
        with_caption = not steps and k == 0
        steps.append(Step(media.kind, caption if with_caption else "", [media]))
    steps += [Step("message", part) for part in rest]
    return steps


def plan_for(kind: str, story: Story) -> Plan:
    """The steps a channel of `kind` performs to carry the story."""
    if kind in ("telegram", "bale", "sandbox"):
        steps = _messenger_plan(
            story, telegram_html(story), message_limit=TELEGRAM_MESSAGE_LIMIT,
            caption_limit=TELEGRAM_CAPTION_LIMIT, groups=True,
        )  # fmt: skip
        return Plan(steps, parse_mode="HTML")
    if kind == "eitaa":
        # eitaayar takes plain text and one file per message.
        text = html.escape(plain_text(story), quote=False)
        steps = _messenger_plan(
            story, text, message_limit=EITAA_MESSAGE_LIMIT, caption_limit=EITAA_CAPTION_LIMIT,
            groups=False,
        )  # fmt: skip
        for step in steps:
            step.text = html.unescape(step.text)
        return Plan(steps)
    if kind == "email":
        subject = f"[{story.news_code}] {story.title}"
        return Plan([Step("email", plain_text(story), list(story.media), {"subject": subject})])
    if kind == "webhook":
        return Plan([Step("json", payload=story_json(story))])
    if kind == "website":
        return Plan([Step("page", payload={"url": story.url})])
    raise ValueError(f"no formatter for {kind!r}")


def story_json(story: Story) -> dict:
    return {
        "item_id": story.item_id,
        "news_code": story.news_code,
        "kind": story.kind_label,
        "title": story.title,
        "lead": story.lead,
        "body": story.body_text,
        "url": story.url,
        "correction_note": story.correction_note,
        "media": [{"kind": m.kind, "name": m.name, "url": m.url} for m in story.media],
    }
