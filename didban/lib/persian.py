"""Persian text helpers: one matching normaliser, display clean-up, digits and slugs.

Two different jobs, two different functions:

``normalize`` is the ONE normaliser for search, de-duplication, topic rules and any
other *matching*. Its output is a key, never shown to people. Decisions, in order:

1. Unicode NFKC, so Arabic presentation forms (U+FB50-U+FDFF, U+FE70-U+FEFC),
   ligatures such as ﻻ or ﷼, full-width Latin and NBSP become ordinary letters.
   NFKC also composes a letter with a following hamza/madda mark (ا + ٓ → آ).
2. ``str.casefold`` for Latin (and other cased scripts).
3. Letter unification: Arabic ي ى → ی, ك ڪ → ک, ة ۀ ۂ ہ ە → ه, أ إ ٱ ٲ ٳ → ا,
   ؤ → و. آ, ئ and ء are kept: آ is a distinct Persian letter and ئ carries meaning
   in words such as «مسئله», «رئیس».
4. Digits: Persian ۰-۹ and Arabic-Indic ٠-٩ → ASCII 0-9; the Arabic decimal and
   thousands separators ٫ ٬ → ``.`` ``,``; ٪ → ``%``.
5. Removed: harakat and Quranic marks (U+0610-U+061A, U+064B-U+065F, U+0670,
   U+06D6-U+06ED), tatweel U+0640, soft hyphen and bidi embedding/isolate controls.
   The hamza-above mark is removed too, so «خانهٔ» and «خانۀ» both become «خانه».
6. Half-space variants - ZWNJ U+200C, ZWSP U+200B, ZWJ U+200D, LRM/RLM U+200E/F,
   BOM U+FEFF, word joiner U+2060 and the NOT SIGN U+00AC that old keyboards
   typed as a half-space - all become ONE plain space. Hence «می‌روم», «می روم»
   and «می¬روم» match; «میروم» (no separator at all) stays different, because
   re-inserting a half-space needs a dictionary and would be a guess.
7. Every run of whitespace (spaces, tabs, newlines, NBSP, thin spaces, ...) becomes
   a single space; the ends are stripped.

The steps are repeated until nothing changes (in practice once more), which makes
``normalize`` idempotent even when removing a mark lets NFKC compose again.
Persian punctuation (، ؛ ؟ « ») is kept by ``normalize``; ``tokens`` drops it.

``fix_display`` is for text that is stored and shown: it changes only what is
plainly a typing artefact and keeps diacritics, digits and the half-space.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal

__all__ = [
    "fix_display",
    "normalize",
    "slugify_fa",
    "to_ascii_digits",
    "to_persian_digits",
    "tokens",
]

ZWNJ = "\u200c"

PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
ARABIC_INDIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"
ASCII_DIGITS = "0123456789"

# Characters that people (or their keyboards) use where a half-space belongs.
HALF_SPACE_VARIANTS = "\u200c\u200b\u200d\u200e\u200f\ufeff\u2060\u00ac"


def _range(first: int, last: int) -> range:
    return range(first, last + 1)


def _build_normalize_table() -> dict[int, str | None]:
    table: dict[int, str | None] = {}
    for src, dst in {
        "ي": "ی",  # U+064A Arabic yeh
        "ى": "ی",  # U+0649 alef maksura
        "ك": "ک",  # U+0643 Arabic kaf
        "ڪ": "ک",  # U+06AA swash kaf
        "ة": "ه",  # U+0629 teh marbuta
        "ۀ": "ه",  # U+06C0 heh with yeh above (ezafe)
        "ۂ": "ه",  # U+06C2
        "ہ": "ه",  # U+06C1 heh goal
        "ە": "ه",  # U+06D5 ae
        "أ": "ا",  # U+0623
        "إ": "ا",  # U+0625
        "ٱ": "ا",  # U+0671 alef wasla
        "ٲ": "ا",  # U+0672
        "ٳ": "ا",  # U+0673
        "ؤ": "و",  # U+0624
        "٫": ".",  # U+066B Arabic decimal separator
        "٬": ",",  # U+066C Arabic thousands separator
        "٪": "%",  # U+066A Arabic percent sign
    }.items():
        table[ord(src)] = dst
    for digits in (PERSIAN_DIGITS, ARABIC_INDIC_DIGITS):
        for src, dst in zip(digits, ASCII_DIGITS, strict=True):
            table[ord(src)] = dst
    removed = [
        *_range(0x0610, 0x061A),  # Arabic signs above/below
        *_range(0x064B, 0x065F),  # harakat, shadda, sukun, hamza/madda marks
        0x0670,  # superscript alef
        *_range(0x06D6, 0x06ED),  # Quranic annotation marks
        0x0640,  # tatweel (kashida): pure elongation
        0x00AD,  # soft hyphen: invisible inside a word
        *_range(0x202A, 0x202E),  # bidi embeddings/overrides
        *_range(0x2066, 0x2069),  # bidi isolates
    ]
    for code in removed:
        table[code] = None
    # U+06DD (end of ayah) and U+06DE (rub el hizb) are symbols, not marks: keep them.
    table.pop(0x06DD, None)
    table.pop(0x06DE, None)
    for char in HALF_SPACE_VARIANTS:
        table[ord(char)] = " "
    return table


_NORMALIZE_TABLE = _build_normalize_table()
# The same mapping as (char, replacement) pairs. No replacement contains a mapped character,
# so replacing the characters one after the other equals ``str.translate`` — and a few
# ``str.replace`` calls for the characters a text holds are much faster than translating a
# long text character by character.
_NORMALIZE_PAIRS = {chr(code): value or "" for code, value in _NORMALIZE_TABLE.items()}
if any(ch in _NORMALIZE_PAIRS for value in _NORMALIZE_PAIRS.values() for ch in value):
    raise AssertionError("a replacement of the normalisation table is itself replaced")
# The table's characters that Persian news text often holds are looked for one by one
# (``in`` is a fast C scan); one regex scan finds any of the rest.
_COMMON_MAPPED = "يكىةأإؤ" + ZWNJ + PERSIAN_DIGITS
_RARE_MAPPED_RE = re.compile(
    "[" + re.escape("".join(sorted(_NORMALIZE_PAIRS.keys() - set(_COMMON_MAPPED)))) + "]"
)


# No-break and thin spaces, common in text taken from web pages. NFKC starts by replacing
# every character with its compatibility decomposition - for these, a plain space - so doing
# that first gives the same result; but then NFKC's quick check often passes and it returns
# at once instead of decomposing and recomposing the whole text.
_NFKC_SPACES = "\u00a0\u2009\u202f"
if any(unicodedata.normalize("NFKD", char) != " " for char in _NFKC_SPACES):
    raise AssertionError("an NFKC space does not decompose to a plain space")


def _map(text: str) -> str:
    """NFKC, casefold and the table: one pass of ``normalize`` before whitespace is collapsed."""
    for char in _NFKC_SPACES:
        if char in text:
            text = text.replace(char, " ")
    text = unicodedata.normalize("NFKC", text).casefold()
    for char in _COMMON_MAPPED:
        if char in text:
            text = text.replace(char, _NORMALIZE_PAIRS[char])
    if _RARE_MAPPED_RE.search(text) is not None:
        for char in set(_RARE_MAPPED_RE.findall(text)):
            text = text.replace(char, _NORMALIZE_PAIRS[char])
    return text


def _normalize_once(text: str) -> str:
    # str.split() splits on every Unicode whitespace kind (NBSP, U+2009, newlines...).
    return " ".join(_map(text).split())


def _normalize_slow(text: str) -> str:
    """Repeat the pass until nothing changes: removing a mark (e.g. tatweel between "e" and
    U+0301) can make NFKC compose on a second pass, so normalize(normalize(x)) == normalize(x)."""
    result = _normalize_once(text)
    for _ in range(8):
        again = _normalize_once(result)
        if again == result:
            break
        result = again
    return result


# Why one pass is enough when ``_map(text)`` is NFKC-normalised (the fast path of
# ``normalize`` and ``tokens``; tests check each fact for every code point):
# - a second pass could only change the result through NFKC or casefold: the table's outputs
#   are none of its inputs, and splitting/joining is idempotent;
# - casefold is per character and idempotent, and the table's outputs are caseless, so the
#   mapped text never changes under casefold again;
# - collapsing whitespace keeps a text NFKC-normalised: whitespace characters are starters
#   that take part in no composition, so swapping or dropping them joins nothing.
# Otherwise ``_normalize_slow`` runs the plain definition.


def normalize(text: str) -> str:
    """Return the matching key of ``text`` (see the module docstring for the rules)."""
    mapped = _map(text)
    if unicodedata.is_normalized("NFKC", mapped):
        return " ".join(mapped.split())
    return _normalize_slow(text)


# A dotted number («3.5», «1.2.3») stays one token so «۳٫۵» and «3.5» match.
_TOKEN_RE = re.compile(r"\d+(?:\.\d+)+|[^\W_]+")
_find_tokens = _TOKEN_RE.findall
# Punctuation often stuck to a word; none of it is a word character.
_EDGE_PUNCTUATION = ".,:;!?()[]{}<>\"'`«»،؛؟-–—/\\+*#@%…"
if any(char.isalnum() or char == "_" for char in _EDGE_PUNCTUATION):
    raise AssertionError("edge punctuation must not be a word character")


def tokens(text: str) -> list[str]:
    """Normalise ``text`` and split it into word tokens, dropping punctuation of both scripts."""
    mapped = _map(text)
    if not unicodedata.is_normalized("NFKC", mapped):
        return _find_tokens(_normalize_slow(text))
    # The same as ``_TOKEN_RE.findall(normalize(text))``: a token never spans whitespace, and
    # a word of letters and digits only (``str.isalnum`` is the regex's ``[^\W_]``) is one
    # token - also when only common punctuation (never part of a token) surrounds it.
    # Any other word (a dotted number, «a/b», «snake_case») goes to the regex.
    found: list[str] = []
    append = found.append
    for word in mapped.split():
        if word.isalnum():
            append(word)
        else:
            core = word.strip(_EDGE_PUNCTUATION)
            if core.isalnum():
                append(core)
            elif core:
                found += _find_tokens(word)
    return found


# --- display clean-up -------------------------------------------------------------

_DISPLAY_TABLE = str.maketrans({"ي": "ی", "ك": "ک"})

# Arabic-script letters plus the marks that may sit on them, used to decide whether a
# stray half-space character sits inside a Persian word.
_ARABIC_LETTER = "\u0621-\u063a\u0641-\u064a\u064b-\u065f\u066e-\u066f\u0670-\u06d3\u06d5\u06ee\u06ef\u06fa-\u06fc\u06ff"
_HALF_SPACE_IN_WORD_RE = re.compile(
    rf"(?<=[{_ARABIC_LETTER}])[\u00ac\u200b]+(?=[{_ARABIC_LETTER}])",
)
_ZWNJ_RUN_RE = re.compile("\u200c{2,}")
_ZWNJ_NEAR_SPACE_RE = re.compile(r"\u200c+(?=\s)|(?<=\s)\u200c+")
_HORIZONTAL_SPACE_RE = re.compile(r"[^\S\n]+")
_EDGE_JUNK = " \n\u200c\ufeff"


def fix_display(text: str) -> str:
    """Gently clean user input that will be stored and shown as typed.

    Only: Arabic ي/ك → ی/ک; «¬» (U+00AC) or ZWSP (U+200B) inside a Persian word → ZWNJ;
    repeated ZWNJ → one; ZWNJ next to a space or at an end dropped; runs of spaces/tabs
    → one space (newlines kept, CRLF → LF, spaces around newlines dropped); ends trimmed.
    Diacritics, digits, tatweel and punctuation are kept as typed. Text is put in NFC
    first: canonically equivalent, so nothing visible changes, but ي + hamza mark becomes
    ئ before ي is mapped (otherwise it would turn into ی + a stray mark).
    """
    text = unicodedata.normalize("NFC", text).translate(_DISPLAY_TABLE)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _HALF_SPACE_IN_WORD_RE.sub(ZWNJ, text)
    text = _ZWNJ_RUN_RE.sub(ZWNJ, text)
    # Drop ZWNJ beside whitespace before collapsing, so «a ‌ b» ends with one space.
    text = _ZWNJ_NEAR_SPACE_RE.sub("", text)
    text = _HORIZONTAL_SPACE_RE.sub(" ", text)
    text = text.replace(" \n", "\n").replace("\n ", "\n")
    return text.strip(_EDGE_JUNK)


# --- digits -------------------------------------------------------------------------

_TO_ASCII_TABLE = str.maketrans(
    {
        **dict(zip(PERSIAN_DIGITS, ASCII_DIGITS, strict=True)),
        **dict(zip(ARABIC_INDIC_DIGITS, ASCII_DIGITS, strict=True)),
        "٫": ".",
        "٬": ",",
    }
)
_TO_PERSIAN_TABLE = str.maketrans(dict(zip(ASCII_DIGITS, PERSIAN_DIGITS, strict=True)))
_PLAIN_NUMBER_RE = re.compile(r"[+-]?\d+(?:\.\d+)?")
_DECIMAL_POINT_RE = re.compile(r"(?<=\d)\.(?=\d)")
_THOUSANDS_COMMA_RE = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_GROUP_RE = re.compile(r"\B(?=(?:\d{3})+$)")


def to_ascii_digits(text: str) -> str:
    """Turn Persian and Arabic-Indic digits (and the ٫ ٬ separators) into ASCII."""
    return text.translate(_TO_ASCII_TABLE)


def _number_text(value: int | float | Decimal) -> str:
    if isinstance(value, int):
        return str(value)
    # repr() of a float is its shortest round-tripping form; Decimal + "f" avoids 1e-07.
    number = Decimal(repr(value)) if isinstance(value, float) else value
    if not number.is_finite():
        raise ValueError(f"cannot show a non-finite number: {value!r}")
    return format(number, "f")


def _group_thousands(number: str) -> str:
    sign = number[0] if number[:1] in ("+", "-") else ""
    whole, dot, fraction = number[len(sign) :].partition(".")
    return sign + _GROUP_RE.sub(",", whole) + dot + fraction


def to_persian_digits(value: str | int | float | Decimal, *, group: bool = False) -> str:
    """Show ``value`` with Persian digits ۰-۹, the decimal point as «٫».

    With ``group=True`` the integer part gets «٬» thousands separators; a string is
    grouped only when it is a plain number as a whole, so dates and years inside text
    are never grouped. An existing «1,000»-style comma between digits becomes «٬».
    """
    if isinstance(value, bool):
        raise TypeError("to_persian_digits() does not accept booleans")
    if isinstance(value, str):
        text = to_ascii_digits(value)
        numeric = _PLAIN_NUMBER_RE.fullmatch(text.strip()) is not None
        if numeric:
            text = text.strip()
    elif isinstance(value, int | float | Decimal):
        text = _number_text(value)
        numeric = True
    else:
        raise TypeError(f"expected str, int, float or Decimal, not {type(value).__name__}")
    if group and numeric:
        text = _group_thousands(text)
    text = _DECIMAL_POINT_RE.sub("٫", text)
    text = _THOUSANDS_COMMA_RE.sub("٬", text)
    return text.translate(_TO_PERSIAN_TABLE)


# --- slugs --------------------------------------------------------------------------

_SLUG_DROP_RE = re.compile(r"[^\w\s-]")
_SLUG_DASH_RE = re.compile(r"[\s_-]+")


def slugify_fa(text: str, *, max_length: int | None = None) -> str:
    """Make a URL slug that keeps Persian letters: «سلامِ دنیا!» → «سلام-دنیا».

    Built on ``normalize`` (so digits are ASCII and ZWNJ acts as a space); punctuation is
    dropped and spaces become «-». ``max_length`` cuts the slug without a trailing «-».
    """
    slug = _SLUG_DROP_RE.sub("", normalize(text))
    slug = _SLUG_DASH_RE.sub("-", slug).strip("-")
    if max_length is not None:
        slug = slug[:max_length].rstrip("-")
    return slug
