"""The fast ``normalize``/``tokens`` give exactly the output of the implementation they replaced.

``normalize`` is the one matching key for the search index, topic rules and de-duplication,
so its output must never change by accident. ``_reference_*`` below is the previous
implementation, frozen (table included); a deliberate change to the normalisation rules
must change it too. The Unicode facts the fast path relies on are checked for every code
point, so a Python upgrade with a new Unicode database cannot silently break it.
"""

from __future__ import annotations

import random
import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import didban.lib.persian as persian
from didban.lib.persian import normalize, tokens
from didban.monitoring import corpus

# --- the previous implementation, frozen -------------------------------------------------

_REF_PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
_REF_ARABIC_INDIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"
_REF_HALF_SPACE_VARIANTS = "\u200c\u200b\u200d\u200e\u200f\ufeff\u2060\u00ac"


def _ref_range(first: int, last: int) -> range:
    return range(first, last + 1)


def _ref_build_table() -> dict[int, str | None]:
    table: dict[int, str | None] = {}
    for src, dst in {
        "ي": "ی", "ى": "ی", "ك": "ک", "ڪ": "ک", "ة": "ه", "ۀ": "ه", "ۂ": "ه", "ہ": "ه",
        "ە": "ه", "أ": "ا", "إ": "ا", "ٱ": "ا", "ٲ": "ا", "ٳ": "ا", "ؤ": "و",
        "٫": ".", "٬": ",", "٪": "%",
    }.items():  # fmt: skip
        table[ord(src)] = dst
    for digits in (_REF_PERSIAN_DIGITS, _REF_ARABIC_INDIC_DIGITS):
        for src, dst in zip(digits, "0123456789", strict=True):
            table[ord(src)] = dst
    removed = [
        *_ref_range(0x0610, 0x061A),
        *_ref_range(0x064B, 0x065F),
        0x0670,
        *_ref_range(0x06D6, 0x06ED),
        0x0640,
        0x00AD,
        *_ref_range(0x202A, 0x202E),
        *_ref_range(0x2066, 0x2069),
    ]
    for code in removed:
        table[code] = None
    table.pop(0x06DD, None)
    table.pop(0x06DE, None)
    for char in _REF_HALF_SPACE_VARIANTS:
        table[ord(char)] = " "
    return table


_REF_TABLE = _ref_build_table()
_REF_TOKEN_RE = re.compile(r"\d+(?:\.\d+)+|[^\W_]+")


def _ref_normalize_once(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = text.casefold()
    text = text.translate(_REF_TABLE)
    return " ".join(text.split())


def _reference_normalize(text: str) -> str:
    result = _ref_normalize_once(text)
    for _ in range(8):
        again = _ref_normalize_once(result)
        if again == result:
            break
        result = again
    return result


def _reference_tokens(text: str) -> list[str]:
    return _REF_TOKEN_RE.findall(_reference_normalize(text))


def _check(text: str) -> None:
    assert normalize(text) == _reference_normalize(text)
    assert tokens(text) == _reference_tokens(text)


def test_frozen_table_is_the_module_table() -> None:
    assert persian._NORMALIZE_TABLE == _REF_TABLE


# --- tricky cases ---------------------------------------------------------------------------

TRICKY = [
    "",
    " ",
    "\n\t ",
    "سلام",
    "علي كتاب",
    "می‌روم می روم می¬روم می\u200bروم میروم",
    "\u200cمی\u200c",
    "خانهٔ خانۀ خانه‌ی",
    "مسئله رئیس آب",
    "قیمت ۳٫۵ درصد و ۱٬۰۰۰ تومان ۵۰٪",
    "٣٫٥ 3.5 ۳.۵ 3٫5",
    "1.2.3 1..2 .5 5. a3.5 3.5a _3.5 a_3.5 1.2a 3.5.x",
    "snake_case-word a/b a-b x_y __ _",
    "«سلام»، دنیا؟ الف؛ب (۱۲) [اصفهان] {شیراز} #انتخابات @didban",
    "!!! ؟؟؟ ... «» -- …",
    "پایان. پایان.. پایان: پایان،",
    "مُحَمَّد قُرآن اللّه رحمـــــان ٱلرَّحْمَٰنِ",
    "\u0627\u0653 \u0648\u0654 \u064a\u0654 \u0647\u0654",  # compose with madda/hamza marks
    "e\u0640\u0301 a\u064e\u0301",  # removing a mark lets NFKC compose on a second pass
    "\u0301\u0640\u0316 x\u0301\u0640\u0316",  # ... or reorder marks
    "<\u0338 =\u0338 >\u0338 <\u0640\u0338",
    "\u01f0 \u0130 ß ẞ ﬁ \u2126 Å A\u030a",  # casefold/NFKC interplay
    "ﻻ ﷲ ﷼ ﯼ ﮎ ﺓ ＡＢＣ",  # presentation forms, full-width
    "a\u00a0b a\u00a0\u0301 \u00a0\u0301 \u2009\u202f\u3000 x",  # no-break and thin spaces
    "\u202b\u0633\u0644\u0627\u0645\u202c \u2067x\u2069 \u00adsoft\u00ad",
    "\ufeffبا BOM\u2060 و\u200d\u200e\u200f",
    "\u06dd\u06de ۝ ۞",
    "Hello, World! HELLO hello",
    "tab\there\nnew\r\nline\x0bvt\x1cfs\x85nel\u2028ls",
    "١٢٣٤٥٦٧٨٩٠ ۱۲۳۴۵۶۷۸۹۰ ١۲3",
    "𝟏𝟐 𝐀𝐁 ①②",  # mathematical digits and letters, circled digits
    "اطلاع\u200c\u200cرسانی اطلاع \u200c رسانی",
]


@pytest.mark.parametrize("text", TRICKY)
def test_tricky_texts_match_the_reference(text: str) -> None:
    _check(text)


def test_generated_news_matches_the_reference() -> None:
    rng = random.Random(11)
    for _ in range(200):
        title, text = corpus.article(rng)
        _check(title)
        _check(text)
        _, derived, _ = corpus.derive(rng, title, text, outlet="رسانه ۱")
        _check(derived)


def test_seed_page_matches_the_reference() -> None:
    path = (
        Path(__file__).resolve().parents[2] / "monitoring/tests/fixtures/karaj-command-room.fa.txt"
    )
    text = path.read_text(encoding="utf-8")
    assert "\u00a0" in text  # the page has no-break spaces, as scraped pages do
    _check(text)


def test_every_code_point_matches_the_reference() -> None:
    """Each BMP character alone and between letters, and every code point in runs of 32."""
    for code in range(0x10000):
        char = chr(code)
        _check(char)
        _check(f"a{char}1 ب{char}۲")
    for start in range(0, 0x110000, 32):
        _check("".join(map(chr, range(start, start + 32))))


# --- property tests ---------------------------------------------------------------------------

INTERESTING = (
    "يىكڪةۀۂہەأإٱٲٳؤئآءیکهاوبپتسمن"
    "۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩٫٬٪"
    "\u0610\u0618\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0653\u0654\u0655\u065f"
    "\u0670\u0640\u06d6\u06dd\u06de\u06ed"
    "\u200b\u200c\u200d\u200e\u200f\ufeff\u2060\u00ac\u00ad\u202a\u202b\u202c\u202e\u2066\u2069"
    " \t\n\r\x0b\x85\u00a0\u2009\u202f\u3000\u2028"
    "ﻻﷲ﷼ﯼﯽﯾﯿﮎﮏﮐﮑﻙﻚﻛﻜﺓﺔＡ１"
    "AaZze0123456789ßİǰﬁΩΣς\u0301\u0316\u0338\u030a\u0307"
    "،؛؟«»!.,:;-_/()…<=>"
)
_chars = st.one_of(
    st.sampled_from(INTERESTING),
    st.characters(min_codepoint=0x0600, max_codepoint=0x06FF),
    st.characters(min_codepoint=0xFB50, max_codepoint=0xFEFF),
    st.characters(min_codepoint=0x0300, max_codepoint=0x036F),
    st.characters(min_codepoint=0x2000, max_codepoint=0x206F),
    st.characters(max_codepoint=0x7F),
)
mixed_text = st.text(alphabet=_chars, max_size=80)
any_text = st.one_of(mixed_text, st.text(max_size=80))
words = st.lists(st.text(alphabet=_chars, min_size=1, max_size=12), max_size=30)
separators = st.sampled_from([" ", "  ", "\n", "\u200c", "\u00a0", "، ", ". ", "\t"])


@settings(max_examples=1000)
@given(any_text)
def test_normalize_and_tokens_equal_the_reference(text: str) -> None:
    _check(text)


@settings(max_examples=300)
@given(words, separators)
def test_sentences_equal_the_reference(parts: list[str], separator: str) -> None:
    _check(separator.join(parts))


# --- the Unicode facts the fast path relies on ------------------------------------------------

ALL_CHARS = [chr(code) for code in range(0x110000)]


def test_casefold_is_idempotent() -> None:
    """So text that was casefolded once never changes under casefold again."""
    assert [c for c in ALL_CHARS if c.casefold().casefold() != c.casefold()] == []


def test_table_outputs_are_caseless_and_nfkc_stable() -> None:
    outputs = {char for value in persian._NORMALIZE_PAIRS.values() for char in value}
    for char in outputs:
        assert char.casefold() == char
        assert unicodedata.normalize("NFKC", char) == char
        assert not unicodedata.combining(char)
        assert char not in persian._NORMALIZE_PAIRS


def test_whitespace_takes_part_in_no_composition() -> None:
    """So collapsing whitespace keeps an NFKC-normalised text normalised: no whitespace left by
    NFKC is a combining mark or either half of a canonical composition."""
    spaces = {c for c in ALL_CHARS if c.isspace() and unicodedata.normalize("NFKC", c) == c}
    assert " " in spaces
    assert "\n" in spaces
    for char in spaces:
        assert unicodedata.combining(char) == 0
        assert char not in persian._NORMALIZE_PAIRS
    for char in ALL_CHARS:
        decomposition = unicodedata.decomposition(char)
        if decomposition and not decomposition.startswith("<"):  # canonical
            parts = {chr(int(code, 16)) for code in decomposition.split()}
            assert not parts & spaces, hex(ord(char))


def test_isalnum_is_the_token_class() -> None:
    word_char = re.compile(r"[^\W_]")
    assert [c for c in ALL_CHARS if bool(word_char.match(c)) != c.isalnum()] == []
    assert not any(c.isalnum() or c == "_" for c in persian._EDGE_PUNCTUATION)
