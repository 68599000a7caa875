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
import itertools
import re
from collections.abc import Callable
from collections.abc import Set as AbstractSet
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

    Word membership is a set. The compiled rules test phrases, prefixes and NEAR on the text
    joined with spaces (" a b c "): tokens hold no spaces, so " a b " occurs exactly where the
    tokens a, b follow each other, " an" exactly where a token starts with «an», and the
    token index of an occurrence is the number of spaces before it. The text is joined when a
    rule first needs it; should a token hold a space after all, it is not joined and those
    tests fall back on token positions. Token positions and the sorted vocabulary (for the
    tree walk, ``matches``) are built only when asked for.
    """

    __slots__ = ("_found", "_joined", "_positions", "_sets", "_vocab", "_vocabulary", "words")

    def __init__(self, words: list[str]):
        self.words = words
        self._vocab: set[str] | None = None
        self._joined: str | bool | None = None  # None: not yet; False: a token holds a space
        self._found: dict[str, list] | None = None  # where each needle occurs
        self._positions: dict[str, list[int]] | None = None
        self._vocabulary: list[str] | None = None
        self._sets: dict[str, set[int]] | None = None

    @classmethod
    def from_tokens(cls, words: list[str]) -> Document:
        return cls(words)

    @property
    def vocab(self) -> set[str]:
        """The set of the tokens."""
        if self._vocab is None:
            self._vocab = set(self.words)
        return self._vocab

    @property
    def text(self) -> str:
        """The tokens joined with spaces, with a space at each end."""
        return " " + " ".join(self.words) + " "

    def joined(self) -> str | bool:
        """``text`` when no token holds a space (the substring tests are exact), else False."""
        if self._joined is None:
            text = " ".join(["", *self.words, ""])
            self._joined = text if text.count(" ") == len(self.words) + 1 else False
        return self._joined

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
    if cache is None:
        cache = doc._sets = {}
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


def _clauses(node: Node) -> set[frozenset[str]]:
    """Sets of words such that a text matching the node holds at least one word of each.

    Also true where a NEAR side has a span in ``_starts`` (an AND or NOT inside an OR there
    has no span, so it is never the part that occurs)."""
    if isinstance(node, Term):
        return set() if node.prefix else {frozenset({node.word})}
    if isinstance(node, Phrase):
        return {frozenset({word}) for word in node.words}
    if isinstance(node, Near):
        return _clauses(node.left) | _clauses(node.right)
    if isinstance(node, And):
        return set().union(*(_clauses(p) for p in node.parts))
    if isinstance(node, Or):
        out = {frozenset({word}) for word in _needed(node)}
        parts = [sorted(_clauses(p), key=_clause_order)[:3] for p in node.parts]
        if all(parts) and len(parts) <= 4:
            # Some part matches, so a clause of it holds: any union of one clause of each.
            out.update(frozenset().union(*pick) for pick in itertools.product(*parts))
        elif all(parts):
            out.add(frozenset().union(*(p[0] for p in parts)))
        return _minimal(out)
    return set()


def _minimal(clauses: set[frozenset[str]]) -> set[frozenset[str]]:
    """Without the clauses that hold whenever a smaller one does."""
    return {c for c in clauses if not any(o < c for o in clauses)}


def _clause_order(clause: frozenset[str]) -> tuple:
    """Likely the rarest first: single words before alternatives, long words before short."""
    return (len(clause), -max(map(len, clause)), sorted(clause))


def _plain(node: Node) -> bool:
    """Whether every word of the rule is non-empty and without spaces (the substring tests
    need it; the parser never makes others, but a hand-built tree might)."""
    if isinstance(node, Term):
        return bool(node.word) and " " not in node.word
    if isinstance(node, Phrase):
        return all(word and " " not in word for word in node.words)
    if isinstance(node, Near):
        return _plain(node.left) and _plain(node.right)
    if isinstance(node, Not):
        return _plain(node.part)
    return all(_plain(p) for p in node.parts)


@lru_cache(maxsize=4096)
def compile_rule(node: Node) -> Matcher:
    """The rule as nested closures: the same answer as ``matches`` without walking the tree.

    The words the rule needs are checked first as one subset test, and not again inside;
    inside AND and OR, plain words are tested together as sets too. Phrases, prefixes and
    NEAR are substring searches in the joined text (see ``Document``).
    """
    test = _build(node, frozenset())
    return lambda doc: test(doc, doc.vocab)


# The closures take the document and a set of its words that holds at least every word the
# rule asks about: the whole vocabulary, or (in a RuleSet) those of all its rules.
Test = Callable[[Document, AbstractSet[str]], bool]


def _build(node: Node, known: frozenset[str]) -> Test:
    """The test of a node in a text known to hold the words ``known``."""
    if not _plain(node):
        return lambda doc, vocab: matches(node, doc)
    needed = _needed(node)
    body = _compile(node, known | needed)
    needed -= known
    if not needed:
        return body
    if len(needed) == 1:
        (word,) = needed
        return lambda doc, vocab: word in vocab and body(doc, vocab)
    return lambda doc, vocab: needed <= vocab and body(doc, vocab)


def _compile(node: Node, known: frozenset[str]) -> Test:
    if isinstance(node, Term):
        word = node.word
        if node.prefix:
            head = " " + word

            def prefixed(doc: Document, vocab: AbstractSet[str]) -> bool:
                text = doc._joined
                if text is None:
                    text = doc.joined()
                return head in text if text else doc.has_prefix(word)

            return prefixed
        if word in known:
            return lambda doc, vocab: True
        return lambda doc, vocab: word in vocab
    if isinstance(node, Phrase):
        needle = " " + " ".join(node.words) + " "

        def phrase(doc: Document, vocab: AbstractSet[str]) -> bool:
            text = doc._joined
            if text is None:
                text = doc.joined()
            return needle in text if text else bool(_starts(node, doc))

        return phrase
    if isinstance(node, Not):
        inner = _build(node.part, known)
        return lambda doc, vocab: not inner(doc, vocab)
    if isinstance(node, And | Or):
        plain = frozenset(p.word for p in node.parts if isinstance(p, Term) and not p.prefix)
        rest = [p for p in node.parts if not (isinstance(p, Term) and not p.prefix)]
        parts = tuple(_build(p, known) for p in sorted(rest, key=lambda p: _COST[type(p)]))
        if isinstance(node, And):
            plain -= known
            if not plain and len(parts) == 1:
                return parts[0]
            if not plain and len(parts) == 2:
                first, second = parts
                return lambda doc, vocab: first(doc, vocab) and second(doc, vocab)

            def all_of(doc: Document, vocab: AbstractSet[str]) -> bool:
                if not plain <= vocab:
                    return False
                for part in parts:  # noqa: SIM110 - no generator per call
                    if not part(doc, vocab):
                        return False
                return True

            return all_of
        if plain & known:
            return lambda doc, vocab: True
        if plain and len(parts) == 1:
            (only,) = parts
            return lambda doc, vocab: not plain.isdisjoint(vocab) or only(doc, vocab)
        if not plain and len(parts) == 2:
            first, second = parts
            return lambda doc, vocab: first(doc, vocab) or second(doc, vocab)

        def any_of(doc: Document, vocab: AbstractSet[str]) -> bool:
            if not plain.isdisjoint(vocab):
                return True
            for part in parts:  # noqa: SIM110 - no generator per call
                if part(doc, vocab):
                    return True
            return False

        return any_of
    # NEAR: the words of both sides are known to occur; find where each side does.
    distance = node.distance
    if _needle(node.left) and _needle(node.right):
        # Words or phrases: the wider side first, the more likely to be missing.
        sides = sorted((node.left, node.right), key=lambda side: -len(_needle(side)))
        (first_needle, first_width), (second_needle, second_width) = map(_needle, sides)

        def near_words(doc: Document, vocab: AbstractSet[str]) -> bool:
            text, found = _joined_and_found(doc)
            if not text:
                return bool(_starts(node, doc))
            first = found.get(first_needle)
            if first is None:
                second = found.get(second_needle)
                if second is not None:  # already found for another rule: start there
                    return bool(second) and _near_nearest(
                        text, second, second_width, first_needle, first_width, distance
                    )
                first = found[first_needle] = _find_all(text, first_needle)
            if not first:
                return False
            second = found.get(second_needle)
            if second is None:
                return _near_nearest(
                    text, first, first_width, second_needle, second_width, distance
                )
            return _near_starts(text, first, first_width, second, second_width, distance)

        return near_words
    left, right = _spans(node.left), _spans(node.right)

    def near(doc: Document, vocab: AbstractSet[str]) -> bool:
        text, found = _joined_and_found(doc)
        if not text:
            return bool(_starts(node, doc))
        first = left(text, found)
        return bool(first) and _near_chars(text, first, right(text, found), distance)

    return near


def _needle(node: Node) -> tuple[str, int] | None:
    """For a word or phrase: " a b " and the offset of its last space, else None."""
    if isinstance(node, Phrase):
        needle = " " + " ".join(node.words) + " "
    elif isinstance(node, Term) and not node.prefix:
        needle = " " + node.word + " "
    else:
        return None
    return needle, len(needle) - 1


def _joined_and_found(doc: Document) -> tuple[str | bool, dict]:
    """The document's space-joined text (joined on first use; False when a token holds a
    space) and its cache of occurrences found by the rules so far."""
    text = doc._joined
    if text is None:
        text = doc.joined()
    found = doc._found
    if found is None:
        found = doc._found = {}
    return text, found


def _find_all(text: str, needle: str) -> list[int]:
    """Where the needle occurs, overlaps included (" a a " twice in " a a a ")."""
    out = []
    at = text.find(needle)
    while at >= 0:
        out.append(at)
        at = text.find(needle, at + 1)
    return out


def _near_nearest(
    text: str, left: list[int], left_width: int, needle: str, width: int, most: int
) -> bool:
    """``_near_starts`` without finding every occurrence of the right side: for each left
    span (in order) the nearest right one after it and before it, each search going on from
    where the last one stopped."""
    after = -2  # the nearest start at or after the last end looked at; -1: none is left
    before = -1  # the last start found so far of a span ending before the last left start
    searched = 0  # starts from here on have not been looked at for ``before``
    for start in left:
        end = start + left_width
        if after != -1 and after < end:
            after = text.find(needle, end)
        if after >= 0 and (after - end <= most or text.count(" ", end, after) <= most):
            return True
        found = text.rfind(needle, searched, start + 1)  # ends at or before start
        if found >= 0:
            before = found
        searched = max(searched, start - width + 1)
        if before >= 0:
            before_end = before + width
            if start - before_end <= most or text.count(" ", before_end, start) <= most:
                return True
    return False


def _near_starts(
    text: str, left: list[int], left_width: int, right: list[int], right_width: int, most: int
) -> bool:
    """``_near_chars`` for sides of one width each, given as sorted lists of starts."""
    if not right:
        return False
    if len(right) < len(left):
        left, left_width, right, right_width = right, right_width, left, left_width
    last = len(right) - 1
    for start in left:
        end = start + left_width
        i = bisect.bisect_left(right, end)  # the first right span starting after this one
        if i <= last:
            after = right[i]
            if after - end <= most or text.count(" ", end, after) <= most:
                return True
        j = bisect.bisect_right(right, start - right_width) - 1  # the last one ending before
        if j >= 0:
            before = right[j] + right_width
            if start - before <= most or text.count(" ", before, start) <= most:
                return True
    return False


Spans = list[tuple[int, int]]
# Per text: where each needle occurs (starts; (start, end) spans for a prefix).
Found = dict[str, list]


def _spans(node: Node) -> Callable[[str, dict[str, Spans]], Spans]:
    """The spans of ``_starts`` as character offsets in the joined text: from the space
    before the first token to the space after the last. Tokens hold no spaces, so spans
    keep their order, and the tokens between two spans are the spaces between them."""
    if isinstance(node, Or):
        parts = [_spans(p) for p in node.parts]

        def either(text: str, found: Found) -> Spans:
            spans: Spans = []
            for part in parts:
                spans.extend(part(text, found))
            return spans

        return either
    if isinstance(node, Near):
        left, right = _spans(node.left), _spans(node.right)
        distance = node.distance

        def pairs(text: str, found: Found) -> Spans:
            spans = []
            others = right(text, found)
            for a in left(text, found):
                for b in others:
                    if _close(text, a, b, distance) or _close(text, b, a, distance):
                        spans.append((min(a[0], b[0]), max(a[1], b[1])))
            return spans

        return pairs
    if isinstance(node, Phrase):
        needle = " " + " ".join(node.words) + " "
    elif isinstance(node, Term) and not node.prefix:
        needle = " " + node.word + " "
    elif isinstance(node, Term):
        needle = " " + node.word

        def prefixed(text: str, found: Found) -> Spans:
            spans = found.get(needle)
            if spans is None:
                spans = found[needle] = []
                at = text.find(needle)
                while at >= 0:
                    end = text.find(" ", at + 1)
                    spans.append((at, end))
                    at = text.find(needle, end)
            return spans

        return prefixed
    else:  # AND and NOT have no span (as in _starts)
        return lambda text, found: []
    width = len(needle) - 1

    def occurrences(text: str, found: Found) -> Spans:
        starts = found.get(needle)
        if starts is None:
            starts = found[needle] = _find_all(text, needle)
        return [(at, at + width) for at in starts]

    return occurrences


def _close(text: str, a: tuple[int, int], b: tuple[int, int], distance: int) -> bool:
    """Whether span b starts after span a ends with at most ``distance`` tokens between."""
    return b[0] >= a[1] and (b[0] - a[1] <= distance or text.count(" ", a[1], b[0]) <= distance)


def _near_chars(text: str, left: Spans, right: Spans, distance: int) -> bool:
    """Whether some right span lies at most ``distance`` tokens after or before a left span
    (the test of ``_starts`` for Near): the nearest one on each side, found by bisection."""
    if not right:
        return False
    starts = sorted(b[0] for b in right)
    ends = sorted(b[1] for b in right)
    for a_start, a_end in left:
        i = bisect.bisect_left(starts, a_end)  # the first right span starting after a
        if i < len(starts) and (
            starts[i] - a_end <= distance or text.count(" ", a_end, starts[i]) <= distance
        ):
            return True
        j = bisect.bisect_right(ends, a_start) - 1  # the last one ending before a
        if j >= 0 and (
            a_start - ends[j] <= distance or text.count(" ", ends[j], a_start) <= distance
        ):
            return True
    return False


# At most this many clauses of a rule go into the index (the compiled rule checks the rest).
_INDEX_CLAUSES = 8


class RuleSet:
    """Match many rules against one text, each compiled to closures once; only rules whose
    clauses (``_clauses``) all hold in the text are evaluated.

    The index is one integer per word with a bit per rule and clause: bit ``k * len(rules) + n``
    is set when the word is in clause k of rule n (and in ``free`` when rule n has fewer
    clauses). OR-ing the integers of the text's words and AND-ing the clause slices together
    leaves the bits of the rules to evaluate, in rule order.
    """

    def __init__(self, rules: list[tuple[object, Node]]):
        self.rules = rules
        self.compiled = [compile_rule(node) for _key, node in rules]
        count = len(rules)
        chosen = []
        self._run = []
        universe: set[str] = set()
        for _key, node in rules:
            clauses, asked, test = _indexed(node)
            universe |= asked
            chosen.append(clauses)
            self._run.append(test)
        slots = 1
        while slots < max(map(len, chosen), default=1):
            slots *= 2
        size = (slots * count + 7) // 8
        bits: dict[str, bytearray] = {word: bytearray(size) for word in universe}
        free = bytearray(size)
        for n, clauses in enumerate(chosen):
            for k in range(slots):
                at = k * count + n
                for bitmap in [bits[word] for word in clauses[k]] if k < len(clauses) else [free]:
                    bitmap[at >> 3] |= 1 << (at & 7)
        self._universe = frozenset(bits)
        self._masks = {word: int.from_bytes(bitmap, "little") for word, bitmap in bits.items()}
        self._free = int.from_bytes(free, "little")
        self._shifts = tuple(half * count for half in _halves(slots))
        self._low = (1 << count) - 1

    def matching(self, doc: Document) -> list[object]:
        # The words of the text that some rule asks about: enough for every test.
        vocab = doc._vocab
        present = self._universe.intersection(doc.words if vocab is None else vocab)
        masks = self._masks
        found = self._free
        for word in present:
            found |= masks[word]
        for shift in self._shifts:
            found &= found >> shift
        found &= self._low
        rules, run = self.rules, self._run
        out = []
        while found:
            low = found & -found
            found ^= low
            n = low.bit_length() - 1
            if run[n](doc, present):
                out.append(rules[n][0])
        return out


def _words_asked(node: Node) -> set[str]:
    """Every word whose presence the compiled tests of the node ask about."""
    if isinstance(node, Term):
        return set() if node.prefix else {node.word}
    if isinstance(node, Phrase):
        return set(node.words)
    if isinstance(node, Near):
        return _words_asked(node.left) | _words_asked(node.right)
    if isinstance(node, Not):
        return _words_asked(node.part)
    return set().union(*(_words_asked(p) for p in node.parts))


@lru_cache(maxsize=4096)
def _indexed(node: Node) -> tuple[list[frozenset[str]], frozenset[str], Test]:
    """The clauses of a rule that go into a RuleSet's index, the words its tests ask about,
    and its test for a text where those clauses hold."""
    clauses = sorted(_clauses(node), key=_clause_order)[:_INDEX_CLAUSES]
    # The words of one-word clauses are known to occur when the rule is evaluated.
    covered = frozenset(next(iter(c)) for c in clauses if len(c) == 1)
    return clauses, frozenset(_words_asked(node)), _build(node, covered)


def _halves(slots: int) -> list[int]:
    """slots/2, slots/4, …, 1 (slots a power of two): the shifts that AND the slices."""
    out = []
    while slots > 1:
        slots //= 2
        out.append(slots)
    return out
