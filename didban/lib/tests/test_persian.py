"""Table-driven tests for didban.lib.persian (no Django needed)."""

from __future__ import annotations

import unicodedata
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from didban.lib.persian import (
    ZWNJ,
    fix_display,
    normalize,
    slugify_fa,
    to_ascii_digits,
    to_persian_digits,
    tokens,
)

# Characters that matter to the normaliser, so Hypothesis hits them often.
INTERESTING = (
    "يىكڪةۀۂہەأإٱؤئآءیکهاو"
    "۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩٫٬٪"
    "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0653\u0654\u0655\u0670\u0640"
    "\u200b\u200c\u200d\u200e\u200f\ufeff\u2060\u00ac\u00ad\u202b\u202c\u2067\u2069"
    " \t\n\r\u00a0\u2009\u3000"
    "ﻻﷲ﷼ﯼﯽﯾﯿﮎﮏﮐﮑﻙﻚﻛﻜﺓﺔ"
    "AaZzßİé\u0301"
    "،؛؟«»!.-_"
)
persian_text = st.text(alphabet=st.sampled_from(INTERESTING), max_size=40)
any_text = st.one_of(persian_text, st.text(max_size=40))


# --- normalize: letters -------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("علي", "علی"),  # U+064A Arabic yeh
        ("موسى", "موسی"),  # U+0649 alef maksura
        ("كتاب", "کتاب"),  # U+0643 Arabic kaf
        ("ڪتاب", "کتاب"),  # U+06AA swash kaf
        ("مدرسة", "مدرسه"),  # teh marbuta
        ("خانۀ", "خانه"),  # heh with yeh above
        ("خانهٔ", "خانه"),  # heh + hamza-above mark
        ("ہ", "ه"),  # heh goal
        ("ە", "ه"),  # ae
        ("ۂ", "ه"),
        ("أحمد", "احمد"),
        ("إسلام", "اسلام"),
        ("ٱلله", "الله"),
        ("ٲ", "ا"),
        ("ٳ", "ا"),
        ("مؤسسه", "موسسه"),
        ("مسئله", "مسئله"),  # ئ is kept
        ("آب", "آب"),  # آ is kept
        ("ا\u0653ب", "آب"),  # alef + madda mark composes to آ
        ("جزء", "جزء"),  # standalone hamza kept
        ("ی", "ی"),
        ("ک", "ک"),
    ],
)
def test_normalize_letters(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


# --- normalize: digits and number punctuation ----------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("۰۱۲۳۴۵۶۷۸۹", "0123456789"),
        ("٠١٢٣٤٥٦٧٨٩", "0123456789"),
        ("0123456789", "0123456789"),
        ("۱۴٠2", "1402"),  # mixed Persian, Arabic-Indic and ASCII
        ("۳٫۵", "3.5"),
        ("۱٬۰۰۰", "1,000"),
        ("۵۰٪", "50%"),
        ("１２３", "123"),  # full-width digits via NFKC
        ("²", "2"),  # superscript via NFKC
    ],
)
def test_normalize_digits(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


# --- normalize: marks that are removed -------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("کِتاب", "کتاب"),  # kasra
        ("کَتَب", "کتب"),  # fatha
        ("کُتُب", "کتب"),  # damma
        ("مُحَمَّد", "محمد"),  # shadda
        ("قطعاً", "قطعا"),  # fathatan
        ("کتابٌ", "کتاب"),  # dammatan
        ("کتابٍ", "کتاب"),  # kasratan
        ("سْ", "س"),  # sukun
        ("رحمٰن", "رحمن"),  # superscript alef U+0670
        ("کـــتاب", "کتاب"),  # tatweel
        ("بِسْمِ اللَّهِ", "بسم الله"),
        ("ب\u0610", "ب"),  # Arabic sign above
        ("ب\u06e1", "ب"),  # Quranic mark
        ("سل\u00adام", "سلام"),  # soft hyphen
        ("\u202bسلام\u202c", "سلام"),  # RLE/PDF
        ("\u2067سلام\u2069", "سلام"),  # RLI/PDI
    ],
)
def test_normalize_removes_marks(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


# --- normalize: half-spaces and whitespace ------------------------------------------------


@pytest.mark.parametrize(
    "separator",
    [
        "\u200c",  # ZWNJ
        "\u200b",  # zero-width space
        "\u200d",  # zero-width joiner
        "\u200e",  # LRM
        "\u200f",  # RLM
        "\ufeff",  # BOM / ZWNBSP
        "\u2060",  # word joiner
        "\u00ac",  # NOT SIGN from old Persian keyboards
        " ",
        "  ",
        "\u00a0",  # NBSP
        "\u2009",  # thin space
        "\u202f",  # narrow NBSP
        "\u3000",  # ideographic space
        "\t",
        "\n",
        "\r\n",
        "\u200c \u200c",
        " \u200c",
    ],
)
def test_half_space_variants_match_a_space(separator: str) -> None:
    assert normalize(f"می{separator}روم") == "می روم"


def test_missing_half_space_is_not_guessed() -> None:
    assert normalize("میروم") == "میروم"
    assert normalize("میروم") != normalize("می‌روم")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  سلام  ", "سلام"),
        ("\n\tسلام\r\n", "سلام"),
        ("سلام   دنیا", "سلام دنیا"),
        ("\u200cسلام\u200c", "سلام"),
        ("\ufeffسلام", "سلام"),
        ("", ""),
        ("   ", ""),
        ("\u200c\u200b", ""),
    ],
)
def test_normalize_whitespace(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


# --- normalize: NFKC, case and punctuation ----------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ﺳﻼﻡ", "سلام"),  # presentation forms
        ("ﻻ", "لا"),  # lam-alef ligature
        ("ﯼ", "ی"),  # Farsi yeh isolated form
        ("ﯿ", "ی"),  # Farsi yeh medial form
        ("ﻱ", "ی"),  # Arabic yeh isolated form, then mapped
        ("ﻙ", "ک"),  # Arabic kaf form, then mapped
        ("ﮎ", "ک"),  # keheh form
        ("ﺓ", "ه"),  # teh marbuta form
        ("﷼", "ریال"),  # rial sign
        ("ﷲ", "الله"),
        ("HeLLo", "hello"),
        ("Straße", "strasse"),  # casefold, not lower
        ("ＡＢＣ", "abc"),  # full-width Latin
        ("ﬁ", "fi"),  # Latin ligature
        ("e\u0301", "é"),  # composed by NFKC
        ("e\u0640\u0301", "é"),  # tatweel removal lets NFKC compose on the second pass
        ("سلام، دنیا؟ بله؛ «نه»", "سلام، دنیا؟ بله؛ «نه»"),  # Persian punctuation kept
    ],
)
def test_normalize_nfkc_case_punctuation(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("كتابخانة ملي", "کتابخانه ملی"),
        ("می‌روم", "می روم"),
        ("۱۴۰۲", "1402"),
        ("مُحَمَّد", "محمد"),
        ("ﻣﺤﻤﺪ", "محمد"),
        ("خانۀ من", "خانه من"),
        ("Tehran", "TEHRAN"),
        ("أصفهان", "اصفهان"),
    ],
)
def test_equivalent_spellings_match(left: str, right: str) -> None:
    assert normalize(left) == normalize(right)


@settings(max_examples=500)
@given(any_text)
def test_normalize_is_idempotent(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once


@settings(max_examples=300)
@given(any_text)
def test_normalize_output_shape(text: str) -> None:
    out = normalize(text)
    assert out == out.strip()
    assert "  " not in out
    assert not any(ch in out for ch in "يكةأإؤ\u200c\u200b\u0640\u064e۱٠")
    assert unicodedata.is_normalized("NFKC", out) or out == normalize(out)


# --- tokens ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("سلام دنیا", ["سلام", "دنیا"]),
        ("«سلام»، دنیا؟", ["سلام", "دنیا"]),
        ("الف؛ب", ["الف", "ب"]),
        ("می‌روم", ["می", "روم"]),
        ("قیمت ۳٫۵ درصد", ["قیمت", "3.5", "درصد"]),
        ("3.5", ["3.5"]),
        ("نسخه 1.2.3", ["نسخه", "1.2.3"]),
        ("پایان.", ["پایان"]),
        ("snake_case-word", ["snake", "case", "word"]),
        ("Hello, World!", ["hello", "world"]),
        ("(تهران) [اصفهان] {شیراز}", ["تهران", "اصفهان", "شیراز"]),
        ("علي/كرج", ["علی", "کرج"]),
        ("۵۰٪", ["50"]),
        ("#انتخابات @didban", ["انتخابات", "didban"]),
        ("", []),
        ("!!! ؟؟؟", []),
    ],
)
def test_tokens(raw: str, expected: list[str]) -> None:
    assert tokens(raw) == expected


@settings(max_examples=300)
@given(any_text)
def test_tokens_are_stable_under_normalize(text: str) -> None:
    assert tokens(normalize(text)) == tokens(text)
    for token in tokens(text):
        assert token
        assert not any(ch.isspace() for ch in token)


# --- fix_display ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("علي", "علی"),
        ("كتاب", "کتاب"),
        ("موسى", "موسى"),  # alef maksura is kept in display text
        ("مدرسة", "مدرسة"),  # teh marbuta kept
        ("مُحَمَّد", "مُحَمَّد"),  # diacritics kept
        ("کـــتاب", "کـــتاب"),  # tatweel kept
        ("۱۴۰۲ و 1402 و ١٤٠٢", "۱۴۰۲ و 1402 و ١٤٠٢"),  # digits kept as typed
        ("  سلام  ", "سلام"),
        ("سلام    دنیا", "سلام دنیا"),
        ("سلام\t\u00a0دنیا", "سلام دنیا"),
        ("می\u00acروم", "می\u200cروم"),  # not sign inside a word
        ("می\u200bروم", "می\u200cروم"),  # ZWSP inside a word
        ("کتاب\u00acها", "کتاب\u200cها"),
        ("a\u00acb", "a\u00acb"),  # not sign between Latin letters is a real ¬
        ("¬p", "¬p"),
        ("می\u200c\u200cروم", "می\u200cروم"),  # repeated ZWNJ
        ("می\u200cروم", "می\u200cروم"),  # correct ZWNJ untouched
        ("سلام \u200c دنیا", "سلام دنیا"),  # ZWNJ next to spaces dropped
        ("\u200cسلام\u200c", "سلام"),
        ("\ufeffسلام", "سلام"),
        ("خط اول  \r\n  خط دوم", "خط اول\nخط دوم"),
        ("خط اول\n\nخط سوم", "خط اول\n\nخط سوم"),  # paragraph breaks kept
        ("سلام، دنیا؟", "سلام، دنیا؟"),
        ("ي\u0654", "ئ"),  # NFC first, so the hamza mark is not orphaned
        ("", ""),
    ],
)
def test_fix_display(raw: str, expected: str) -> None:
    assert fix_display(raw) == expected


@settings(max_examples=300)
@given(any_text)
def test_fix_display_is_idempotent(text: str) -> None:
    once = fix_display(text)
    assert fix_display(once) == once


@settings(max_examples=200)
@given(any_text)
def test_fix_display_keeps_the_matching_key(text: str) -> None:
    # Display clean-up must not change what a text matches.
    assert normalize(fix_display(text)) == normalize(text)


# --- digits -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0123456789", "۰۱۲۳۴۵۶۷۸۹"),
        ("٠١٢٣٤٥٦٧٨٩", "۰۱۲۳۴۵۶۷۸۹"),
        ("۱۲۳", "۱۲۳"),
        ("ساعت 13:05", "ساعت ۱۳:۰۵"),
        ("1402/12/08", "۱۴۰۲/۱۲/۰۸"),
        ("3.5", "۳٫۵"),
        ("پایان.", "پایان."),  # a full stop is not a decimal point
        ("12,000 تومان", "۱۲٬۰۰۰ تومان"),
        ("1, 2", "۱, ۲"),
        (0, "۰"),
        (1402, "۱۴۰۲"),
        (-42, "-۴۲"),
        (3.5, "۳٫۵"),
        (1.0, "۱٫۰"),
        (1e-7, "۰٫۰۰۰۰۰۰۱"),
        (1e20, "۱۰۰۰۰۰۰۰۰۰۰۰۰۰۰۰۰۰۰۰۰"),
        (Decimal("12.50"), "۱۲٫۵۰"),
        (Decimal("1E+3"), "۱۰۰۰"),
    ],
)
def test_to_persian_digits(value: object, expected: str) -> None:
    assert to_persian_digits(value) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1234567, "۱٬۲۳۴٬۵۶۷"),
        (1000, "۱٬۰۰۰"),
        (999, "۹۹۹"),
        (-1234, "-۱٬۲۳۴"),
        (1234567.25, "۱٬۲۳۴٬۵۶۷٫۲۵"),
        (Decimal("1234.5678"), "۱٬۲۳۴٫۵۶۷۸"),
        ("1234567", "۱٬۲۳۴٬۵۶۷"),
        ("۱۲۳۴۵", "۱۲٬۳۴۵"),
        (" 12345 ", "۱۲٬۳۴۵"),
        ("+12345", "+۱۲٬۳۴۵"),
        ("سال 1402", "سال ۱۴۰۲"),  # text is never grouped
        ("1402/12/08", "۱۴۰۲/۱۲/۰۸"),
    ],
)
def test_to_persian_digits_grouped(value: object, expected: str) -> None:
    assert to_persian_digits(value, group=True) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "error"),
    [
        (True, TypeError),
        (None, TypeError),
        ([1], TypeError),
        (float("nan"), ValueError),
        (float("inf"), ValueError),
        (Decimal("NaN"), ValueError),
    ],
)
def test_to_persian_digits_rejects(value: object, error: type[Exception]) -> None:
    with pytest.raises(error):
        to_persian_digits(value)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("۰۱۲۳۴۵۶۷۸۹", "0123456789"),
        ("٠١٢٣٤٥٦٧٨٩", "0123456789"),
        ("۱۴٠2", "1402"),
        ("۳٫۵", "3.5"),
        ("۱٬۰۰۰", "1,000"),
        ("ساعت ۱۳:۰۵", "ساعت 13:05"),
        ("abc", "abc"),
        ("", ""),
    ],
)
def test_to_ascii_digits(text: str, expected: str) -> None:
    assert to_ascii_digits(text) == expected


@given(st.integers())
def test_integer_digits_round_trip(number: int) -> None:
    shown = to_persian_digits(number, group=True)
    assert int(to_ascii_digits(shown).replace(",", "")) == number


@given(st.decimals(allow_nan=False, allow_infinity=False, places=4))
def test_decimal_digits_round_trip(number: Decimal) -> None:
    assert Decimal(to_ascii_digits(to_persian_digits(number))) == number


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_float_digits_round_trip(number: float) -> None:
    assert float(to_ascii_digits(to_persian_digits(number))) == number


# --- slugify_fa ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("سلام دنیا", "سلام-دنیا"),
        ("می‌روم", "می-روم"),
        ("سلامِ دنیا!", "سلام-دنیا"),
        ("كتابخانة ملي", "کتابخانه-ملی"),
        ("انتخابات ۱۴۰۲", "انتخابات-1402"),
        ("  --سلام--  ", "سلام"),
        ("Hello World", "hello-world"),
        ("«نامزد»، حوزه؟ تهران", "نامزد-حوزه-تهران"),
        ("a_b c", "a-b-c"),
        ("!!!", ""),
    ],
)
def test_slugify_fa(text: str, expected: str) -> None:
    assert slugify_fa(text) == expected


def test_slugify_fa_max_length() -> None:
    assert slugify_fa("سلام دنیا زیبا", max_length=5) == "سلام"
    assert slugify_fa("سلام دنیا زیبا", max_length=9) == "سلام-دنیا"


@given(any_text)
def test_slugify_fa_shape(text: str) -> None:
    slug = slugify_fa(text)
    assert slug == slugify_fa(slug)
    assert not slug.startswith("-")
    assert not slug.endswith("-")
    assert "--" not in slug
    assert not any(ch.isspace() for ch in slug)


def test_zwnj_constant() -> None:
    assert ZWNJ == "\u200c"


def _reference_normalize(text: str) -> str:
    """normalize as its docstring defines it: translate-table passes until nothing changes."""
    import didban.lib.persian as persian

    def once(value: str) -> str:
        value = unicodedata.normalize("NFKC", value).casefold()
        return " ".join(value.translate(persian._NORMALIZE_TABLE).split())

    result = once(text)
    for _ in range(8):
        again = once(result)
        if again == result:
            break
        result = again
    return result


@settings(max_examples=500)
@given(any_text)
def test_fast_normalize_equals_the_plain_definition(text):
    """Replacing only the characters present and stopping after one pass when nothing can
    change gives exactly the translate-and-repeat result."""
    assert normalize(text) == _reference_normalize(text)
