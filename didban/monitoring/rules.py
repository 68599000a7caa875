"""The topic rule language: a small boolean query grammar over normalised Persian tokens.

    rule    := or
    or      := and ("OR" and)*
    and     := not (["AND"] not)*          juxtaposition is AND
    not     := "NOT" not | near
    near    := primary ("NEAR/" n primary)*
    primary := "(" or ")" | '"' phrase '"' | word | word*

Words and phrases go through ``didban.lib.persian.tokens``, the same as article text, so
«يك»/«یک», ZWNJ variants («می‌شود», «می شود») and Persian/Arabic/ASCII digits match alike.
A word typed without a half-space after «می»/«نمی» or before «ها»/«های» is expanded to the
spaced form too («میشود» also finds «می‌شود»): spacing variants are handled by expanding the
query, never by joining words of the text.

Errors are ``RuleError`` with a translated message and the 1-based column of the mistake.
The same tree compiles to an SQLite FTS5 MATCH string and a PostgreSQL ``to_tsquery`` string
(see search.py), so the search box and the topic rules speak one language.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from django.utils.translation import gettext as _

from didban.lib.persian import tokens

MAX_NEAR = 50
MAX_RULE_LENGTH = 2000


class RuleError(ValueError):
    def __init__(self, message: str, column: int):
        super().__init__(message)
        self.message = message
        self.column = column

    def __str__(self) -> str:
        return _("%(message)s (column %(column)d)") % {
            "message": self.message,
            "column": self.column,
        }


# --- the tree -----------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    word: str
    prefix: bool = False


@dataclass(frozen=True)
class Phrase:
    words: tuple[str, ...]


@dataclass(frozen=True)
class Near:
    left: Node
    right: Node
    distance: int


@dataclass(frozen=True)
class And:
    parts: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    parts: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    part: Node


Node = Term | Phrase | Near | And | Or | Not


# --- the lexer ----------------------------------------------------------------------


@dataclass
class Token:
    kind: str  # WORD PHRASE AND OR NOT NEAR LPAREN RPAREN END
    text: str
    column: int
    value: object = None


_NEAR_RE = re.compile(r"NEAR/(\S*)")
_SPACE = " \t\r\n\u00a0"
_QUOTES = {'"': '"', "«": "»", "“": "”"}


def _lex(text: str) -> list[Token]:
    out: list[Token] = []
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        col = i + 1
        if ch in _SPACE:
            i += 1
            continue
        if ch == "(":
            out.append(Token("LPAREN", ch, col))
            i += 1
            continue
        if ch == ")":
            out.append(Token("RPAREN", ch, col))
            i += 1
            continue
        if ch in _QUOTES:
            close = text.find(_QUOTES[ch], i + 1)
            if close < 0:
                raise RuleError(_("a quotation mark is opened here but never closed"), col)
            out.append(Token("PHRASE", text[i + 1 : close], col))
            i = close + 1
            continue
        j = i
        while j < n and text[j] not in _SPACE and text[j] not in "()" and text[j] not in _QUOTES:
            j += 1
        word = text[i:j]
        upper = word.upper()
        if word in ("AND", "&&"):
            out.append(Token("AND", word, col))
        elif word in ("OR", "||"):
            out.append(Token("OR", word, col))
        elif word == "NOT":
            out.append(Token("NOT", word, col))
        elif upper.startswith("NEAR/") and word.startswith("NEAR"):
            match = _NEAR_RE.fullmatch(word)
            distance = match.group(1) if match else ""
            if not distance.isdigit() or not 1 <= int(distance) <= MAX_NEAR:
                raise RuleError(
                    _("NEAR needs a distance from 1 to %(max)d, as in NEAR/5") % {"max": MAX_NEAR},
                    col,
                )
            out.append(Token("NEAR", word, col, int(distance)))
        else:
            out.append(Token("WORD", word, col))
        i = j
    out.append(Token("END", "", n + 1))
    return out


# --- the parser ---------------------------------------------------------------------

_EXPAND_PREFIXES = ("نمی", "می")
_EXPAND_SUFFIXES = ("های", "ها")


def _word_node(raw: str, column: int) -> Node:
    prefix = raw.endswith("*")
    body = raw.rstrip("*")
    if "*" in body:
        raise RuleError(_("a * may only end a word, as in انتخاب*"), column + body.index("*"))
    words = tokens(body)
    if not words:
        raise RuleError(_("%(word)s is not a word that can be searched") % {"word": raw}, column)
    if prefix:
        if len(words) > 1:
            raise RuleError(_("a word with * must be a single word"), column)
        if len(words[0]) < 2:
            raise RuleError(_("a word with * needs at least two letters before the *"), column)
        return Term(words[0], prefix=True)
    if len(words) > 1:
        return Phrase(tuple(words))
    word = words[0]
    variants: list[Node] = [Term(word)]
    for head in _EXPAND_PREFIXES:
        if word.startswith(head) and len(word) > len(head) + 1:
            variants.append(Phrase((head, word[len(head) :])))
            break
    for tail in _EXPAND_SUFFIXES:
        if word.endswith(tail) and len(word) > len(tail) + 1:
            variants.append(Phrase((word[: -len(tail)], tail)))
            break
    return variants[0] if len(variants) == 1 else Or(tuple(variants))


class _Parser:
    def __init__(self, text: str):
        self.tokens = _lex(text)
        self.i = 0

    @property
    def tok(self) -> Token:
        return self.tokens[self.i]

    def take(self) -> Token:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def parse(self) -> Node:
        if self.tok.kind == "END":
            raise RuleError(_("the rule is empty"), 1)
        node = self.or_()
        if self.tok.kind == "RPAREN":
            raise RuleError(_("this closing parenthesis has no opening one"), self.tok.column)
        if self.tok.kind != "END":
            raise RuleError(_("unexpected %(text)s") % {"text": self.tok.text}, self.tok.column)
        return node

    def or_(self) -> Node:
        parts = [self.and_()]
        while self.tok.kind == "OR":
            self.take()
            parts.append(self.and_())
        return parts[0] if len(parts) == 1 else Or(tuple(parts))

    def and_(self) -> Node:
        parts = [self.not_()]
        while True:
            if self.tok.kind == "AND":
                self.take()
                parts.append(self.not_())
            elif self.tok.kind in ("WORD", "PHRASE", "LPAREN", "NOT"):
                parts.append(self.not_())
            else:
                break
        return parts[0] if len(parts) == 1 else And(tuple(parts))

    def not_(self) -> Node:
        if self.tok.kind == "NOT":
            self.take()
            return Not(self.not_())
        return self.near()

    def near(self) -> Node:
        node = self.primary()
        while self.tok.kind == "NEAR":
            distance = self.take().value
            right = self.primary()
            for side in (node, right):
                if not isinstance(side, Term | Phrase | Or | Near):
                    raise RuleError(_("NEAR joins words or phrases only"), self.tok.column)
            node = Near(node, right, distance)
        return node

    def primary(self) -> Node:
        tok = self.tok
        if tok.kind == "LPAREN":
            self.take()
            if self.tok.kind == "RPAREN":
                raise RuleError(_("the parentheses are empty"), self.tok.column)
            node = self.or_()
            if self.tok.kind != "RPAREN":
                raise RuleError(_("this parenthesis is opened here but never closed"), tok.column)
            self.take()
            return node
        if tok.kind == "PHRASE":
            self.take()
            words = tokens(tok.text)
            if not words:
                raise RuleError(_("the quotation marks are empty"), tok.column)
            return Phrase(tuple(words)) if len(words) > 1 else Term(words[0])
        if tok.kind == "WORD":
            self.take()
            return _word_node(tok.text, tok.column)
        if tok.kind == "END":
            raise RuleError(_("the rule ends where a word was expected"), tok.column)
        if tok.kind == "RPAREN":
            raise RuleError(_("a word is missing before this parenthesis"), tok.column)
        raise RuleError(
            _("a word is missing before %(operator)s") % {"operator": tok.text}, tok.column
        )


def parse_rule(text: str) -> Node:
    """Parse a rule; raise RuleError (translated message + column) when it is malformed."""
    if len(text) > MAX_RULE_LENGTH:
        raise RuleError(
            _("a rule may be at most %(max)d characters long") % {"max": MAX_RULE_LENGTH},
            MAX_RULE_LENGTH + 1,
        )
    node = _Parser(text).parse()
    if _only_negative(node):
        raise RuleError(_("a rule must include at least one word that is not negated"), 1)
    return node


def _only_negative(node: Node) -> bool:
    if isinstance(node, Not):
        return True
    if isinstance(node, And):
        return all(_only_negative(p) for p in node.parts)
    if isinstance(node, Or):
        return any(_only_negative(p) for p in node.parts)
    return False


# --- evaluation ---------------------------------------------------------------------


class Document:
    """One normalised text, built once and matched by many rules.

    Word membership is a set, a phrase is a substring of the space-joined tokens (tokens
    hold no spaces, so " a b " occurs exactly where the tokens a, b follow each other);
    token positions (for NEAR) and the sorted vocabulary (for prefix*) are built only when a
    rule needs them.
    """

    __slots__ = ("_positions", "_sets", "_vocabulary", "text", "vocab", "words")

    def __init__(self, words: list[str]):
        self.words = words
        self.vocab = set(words)
        self.text = " " + " ".join(words) + " "
        self._positions: dict[str, list[int]] | None = None
        self._vocabulary: list[str] | None = None
        self._sets: dict[str, set[int]] = {}

    @classmethod
    def from_tokens(cls, words: list[str]) -> Document:
        return cls(words)

    @property
    def positions(self) -> dict[str, list[int]]:
        if self._positions is None:
            positions: dict[str, list[int]] = {}
            for i, word in enumerate(self.words):
                positions.setdefault(word, []).append(i)
            self._positions = positions
        return self._positions

    @property
    def vocabulary(self) -> list[str]:
        if self._vocabulary is None:
            self._vocabulary = sorted(self.vocab)
        return self._vocabulary

    def has_prefix(self, head: str) -> bool:
        vocabulary = self.vocabulary
        i = bisect.bisect_left(vocabulary, head)
        return i < len(vocabulary) and vocabulary[i].startswith(head)

    def prefixed(self, head: str) -> list[int]:
        start = bisect.bisect_left(self.vocabulary, head)
        found: list[int] = []
        for word in self.vocabulary[start:]:
            if not word.startswith(head):
                break
            found.extend(self.positions[word])
        return sorted(found)


def _starts(node: Node, doc: Document) -> list[tuple[int, int]]:
    """(start, end) token spans where a Term/Phrase/Or-of-them occurs."""
    if isinstance(node, Term):
        hits = doc.prefixed(node.word) if node.prefix else doc.positions.get(node.word, [])
        return [(p, p) for p in hits]
    if isinstance(node, Phrase):
        first = doc.positions.get(node.words[0], [])
        spans = []
        for p in first:
            if all(p + k in _position_set(doc, w) for k, w in enumerate(node.words[1:], start=1)):
                spans.append((p, p + len(node.words) - 1))
        return spans
    if isinstance(node, Or):
        spans = []
        for part in node.parts:
            spans.extend(_starts(part, doc))
        return sorted(spans)
    if isinstance(node, Near):
        left = _starts(node.left, doc)
        right = _starts(node.right, doc)
        spans = []
        for a in left:
            for b in right:
                gap = b[0] - a[1] if b[0] > a[1] else a[0] - b[1]
                if 0 < gap <= node.distance + 1:
                    spans.append((min(a[0], b[0]), max(a[1], b[1])))
        return sorted(spans)
    return []


def _position_set(doc: Document, word: str) -> set[int]:
    cache = doc._sets
    if word not in cache:
        cache[word] = set(doc.positions.get(word, ()))
    return cache[word]


def matches(node: Node, doc: Document) -> bool:
    if isinstance(node, Term):
        if node.prefix:
            i = bisect.bisect_left(doc.vocabulary, node.word)
            return i < len(doc.vocabulary) and doc.vocabulary[i].startswith(node.word)
        return node.word in doc.positions
    if isinstance(node, And):
        return all(matches(p, doc) for p in node.parts)
    if isinstance(node, Or):
        return any(matches(p, doc) for p in node.parts)
    if isinstance(node, Not):
        return not matches(node.part, doc)
    return bool(_starts(node, doc))


def words_of(node: Node) -> list[tuple[str, ...]]:
    """The positive words and phrases of a rule, for highlighting."""
    if isinstance(node, Term):
        return [(node.word + ("*" if node.prefix else ""),)]
    if isinstance(node, Phrase):
        return [node.words]
    if isinstance(node, Not):
        return []
    if isinstance(node, Near):
        return words_of(node.left) + words_of(node.right)
    out: list[tuple[str, ...]] = []
    for part in node.parts:
        out.extend(words_of(part))
    return out


# --- compilation for the search backends ----------------------------------------------


def _fts_quote(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


def to_fts5(node: Node) -> str:
    """An SQLite FTS5 MATCH expression over the normalised-token columns."""
    if isinstance(node, Term):
        return _fts_quote(node.word) + ("*" if node.prefix else "")
    if isinstance(node, Phrase):
        return _fts_quote(" ".join(node.words))
    if isinstance(node, Near):
        left, right = _fts_near_side(node.left), _fts_near_side(node.right)
        if left is None or right is None:
            return to_fts5(And((node.left, node.right)))
        return f"NEAR({left} {right}, {node.distance})"
    if isinstance(node, Or):
        return "(" + " OR ".join(to_fts5(p) for p in node.parts) + ")"
    if isinstance(node, And):
        positive = [p for p in node.parts if not isinstance(p, Not)]
        negative = [p.part for p in node.parts if isinstance(p, Not)]
        text = "(" + " AND ".join(to_fts5(p) for p in positive) + ")"
        for part in negative:
            text = f"({text} NOT {to_fts5(part)})"
        return text
    # A lone NOT cannot be searched; parse_rule refuses it at the top.
    return to_fts5(node.part)


def _fts_near_side(node: Node) -> str | None:
    if isinstance(node, Term):
        return _fts_quote(node.word) + ("*" if node.prefix else "")
    if isinstance(node, Phrase):
        return _fts_quote(" ".join(node.words))
    if isinstance(node, Or):
        return _fts_near_side(node.parts[0])
    return None


def _ts_word(word: str) -> str:
    return "'" + word.replace("'", "''").replace("\\", "") + "'"


def to_tsquery(node: Node) -> str:
    """A PostgreSQL to_tsquery('simple', …) string (websearch_to_tsquery ignores parentheses)."""
    if isinstance(node, Term):
        return _ts_word(node.word) + (":*" if node.prefix else "")
    if isinstance(node, Phrase):
        return "(" + " <-> ".join(_ts_word(w) for w in node.words) + ")"
    if isinstance(node, Near):
        left, right = to_tsquery(node.left), to_tsquery(node.right)
        options = []
        for d in range(1, min(node.distance, 10) + 2):
            options.append(f"({left} <{d}> {right})")
            options.append(f"({right} <{d}> {left})")
        return "(" + " | ".join(options) + ")"
    if isinstance(node, Or):
        return "(" + " | ".join(to_tsquery(p) for p in node.parts) + ")"
    if isinstance(node, And):
        return "(" + " & ".join(to_tsquery(p) for p in node.parts) + ")"
    return "!" + to_tsquery(node.part)


# --- many rules at once -------------------------------------------------------------------


def _trigger(node: Node) -> frozenset[str] | None:
    """Words of which at least one must be in a text for the rule to match (None: unknown)."""
    if isinstance(node, Term):
        return None if node.prefix else frozenset({node.word})
    if isinstance(node, Phrase):
        return frozenset({node.words[0]})
    if isinstance(node, Near):
        return _trigger(node.left)
    if isinstance(node, Or):
        found: set[str] = set()
        for part in node.parts:
            sub = _trigger(part)
            if sub is None:
                return None
            found |= sub
        return frozenset(found)
    if isinstance(node, And):
        options = [t for t in (_trigger(p) for p in node.parts) if t is not None]
        return min(options, key=len) if options else None
    return None


Matcher = Callable[[Document], bool]

# Cheaper tests first inside AND/OR (the result does not depend on the order).
_COST = {Term: 0, Phrase: 1, Not: 2, Or: 2, And: 2, Near: 3}


def _needed(node: Node) -> frozenset[str]:
    """Words that every text matching the node contains (prefix words not counted)."""
    if isinstance(node, Term):
        return frozenset() if node.prefix else frozenset({node.word})
    if isinstance(node, Phrase):
        return frozenset(node.words)
    if isinstance(node, Near):
        return _needed(node.left) | _needed(node.right)
    if isinstance(node, And):
        return frozenset().union(*(_needed(p) for p in node.parts))
    if isinstance(node, Or):
        return frozenset.intersection(*(_needed(p) for p in node.parts))
    return frozenset()


@lru_cache(maxsize=4096)
def compile_rule(node: Node) -> Matcher:
    """The rule as nested closures: the same answer as ``matches`` without walking the tree.

    The words the rule needs are checked first as one subset test; inside AND and OR, plain
    words are tested together as sets too.
    """
    body = _compile(node)
    needed = _needed(node)
    if not needed:
        return body
    return lambda doc: needed <= doc.vocab and body(doc)


def _compile(node: Node) -> Matcher:
    if isinstance(node, Term):
        word = node.word
        if node.prefix:
            return lambda doc: doc.has_prefix(word)
        return lambda doc: word in doc.vocab
    if isinstance(node, Phrase):
        needle = " " + " ".join(node.words) + " "
        return lambda doc: needle in doc.text
    if isinstance(node, Not):
        inner = compile_rule(node.part)
        return lambda doc: not inner(doc)
    if isinstance(node, And | Or):
        plain = frozenset(p.word for p in node.parts if isinstance(p, Term) and not p.prefix)
        rest = [p for p in node.parts if not (isinstance(p, Term) and not p.prefix)]
        parts = tuple(compile_rule(p) for p in sorted(rest, key=lambda p: _COST[type(p)]))
        if isinstance(node, And):

            def all_of(doc: Document) -> bool:
                if not plain <= doc.vocab:
                    return False
                for part in parts:  # noqa: SIM110 - no generator per call
                    if not part(doc):
                        return False
                return True

            return all_of

        def any_of(doc: Document) -> bool:
            if not plain.isdisjoint(doc.vocab):
                return True
            for part in parts:  # noqa: SIM110 - no generator per call
                if part(doc):
                    return True
            return False

        return any_of
    # NEAR: both sides must occur before their token positions are worth computing.
    left, right = compile_rule(node.left), compile_rule(node.right)
    distance = node.distance

    def near(doc: Document) -> bool:
        if not (left(doc) and right(doc)):
            return False
        return _near_any(_starts(node.left, doc), _starts(node.right, doc), distance)

    return near


def _near_any(left: list[tuple[int, int]], right: list[tuple[int, int]], distance: int) -> bool:
    """Whether some right span lies at most ``distance`` words after or before a left span
    (the test of ``_starts`` for Near, by bisection instead of every pair)."""
    if not left or not right:
        return False
    starts = sorted(b[0] for b in right)
    ends = sorted(b[1] for b in right)
    for a_start, a_end in left:
        i = bisect.bisect_right(starts, a_end)  # the first right span starting after a
        if i < len(starts) and starts[i] - a_end <= distance + 1:
            return True
        j = bisect.bisect_left(ends, a_start - distance - 1)  # ending within reach before a
        if j < len(ends) and ends[j] < a_start:
            return True
    return False


class RuleSet:
    """Match many rules against one text: only rules whose trigger words occur are evaluated,
    each compiled to closures once."""

    def __init__(self, rules: list[tuple[object, Node]]):
        self.rules = rules
        self.compiled = [compile_rule(node) for _key, node in rules]
        self.always: list[int] = []
        self.by_word: dict[str, list[int]] = {}
        for n, (_key, node) in enumerate(rules):
            trigger = _trigger(node)
            if trigger is None:
                self.always.append(n)
            else:
                for word in trigger:
                    self.by_word.setdefault(word, []).append(n)
        self.trigger_words = frozenset(self.by_word)

    def matching(self, doc: Document) -> list[object]:
        candidates = set(self.always)
        for word in self.trigger_words & doc.vocab:
            candidates.update(self.by_word[word])
        rules, compiled = self.rules, self.compiled
        return [rules[n][0] for n in sorted(candidates) if compiled[n](doc)]
