"""The topic rule language: operators, Persian variants and error positions."""

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from didban.lib.persian import tokens
from didban.monitoring.rules import (
    Document,
    RuleError,
    matches,
    parse_rule,
    to_fts5,
    to_tsquery,
)

TEXT = (
    "رئیس کمیته اطلاع‌رسانی ستاد انتخابات كرج گفت: مشارکت حداکثری در ۱۴۰۲ هدف است و "
    "اخبار انتخاباتی بلحظه مخابره می‌شود. تبلیغات نامزدها در سطح شهر رصد و پالایش می شود."
)


def doc(text=TEXT):
    return Document.from_tokens(tokens(text))


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        ("کرج", True),
        ("كرج", True),  # Arabic kaf in the rule
        ("يك OR کرج", True),
        ("مشارکت AND کرج", True),
        ("مشارکت کرج", True),  # juxtaposition is AND
        ("مشارکت AND فوتبال", False),
        ("مشارکت OR فوتبال", True),
        ("کرج NOT فوتبال", True),
        ("کرج AND NOT مشارکت", False),
        ("(فوتبال OR مشارکت) AND کرج", True),
        ("(فوتبال OR والیبال) AND کرج", False),
        ('"ستاد انتخابات"', True),
        ('"انتخابات ستاد"', False),
        ("«اطلاع رسانی»", True),  # ZWNJ in the text, a space in the rule
        ('"اطلاع‌رسانی"', True),
        ("اطلاع‌رسانی", True),  # a ZWNJ word is a phrase
        ("انتخاب*", True),
        ("انتخابات*", True),
        ("انتخابیه*", False),
        ("1402", True),  # Persian digits in the text
        ("۱۴۰۲", True),
        ("١٤٠٢", True),  # Arabic-Indic digits
        ("میشود", True),  # no half-space typed: expanded to «می شود»
        ("نامزدها", True),
        ("مشارکت NEAR/2 هدف", False),
        ("مشارکت NEAR/3 هدف", True),
        ("هدف NEAR/3 مشارکت", True),  # either order
        ('"تبلیغات نامزدها" NEAR/5 رصد', True),
        ("رئيس", True),  # Arabic yeh in the rule
    ],
)
def test_rule_matches(rule, expected):
    """Each operator and each Persian spelling variant behaves as written."""
    assert matches(parse_rule(rule), doc()) is expected


@pytest.mark.parametrize(
    ("rule", "column", "fragment"),
    [
        ("", 1, "empty"),
        ("کرج AND", 8, "ends"),
        ("(کرج OR مشارکت", 1, "never closed"),
        ("کرج)", 4, "no opening"),
        ('کرج "ستاد', 5, "quotation"),
        ("کرج NEAR/x مشارکت", 5, "NEAR"),
        ("کرج NEAR/0 مشارکت", 5, "NEAR"),
        ("OR کرج", 1, "missing before OR"),
        ("کرج AND OR مشارکت", 9, "missing before OR"),
        ("NOT کرج", 1, "not negated"),
        ("()", 2, "empty"),
        ("ک*رج", 2, "*"),
        ("ک*", 1, "two letters"),
        ("کرج !!!", 5, "not a word"),
    ],
)
def test_rule_errors_point_at_the_mistake(rule, column, fragment):
    """A malformed rule names the problem and the column where it is."""
    with translation.override("en"), pytest.raises(RuleError) as info:
        parse_rule(rule)
    assert info.value.column == column
    assert fragment in info.value.message
    with translation.override("en"):
        assert f"(column {column})" in str(info.value)
    with translation.override("fa"):
        assert f"(ستون {column})" in str(info.value)


def test_rules_compile_to_both_search_backends():
    node = parse_rule('(مشارکت OR "ستاد انتخابات") AND انتخاب* NOT فوتبال')
    assert to_fts5(node) == '((("مشارکت" OR "ستاد انتخابات") AND "انتخاب"*) NOT "فوتبال")'
    assert to_tsquery(node) == "(('مشارکت' | ('ستاد' <-> 'انتخابات')) & 'انتخاب':* & !'فوتبال')"


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_no_input_crashes_the_parser(text):
    """Anything typed either parses or gives a RuleError with a column inside the text."""
    try:
        node = parse_rule(text)
    except RuleError as exc:
        assert 1 <= exc.column <= len(text) + 1
    else:
        matches(node, doc())
        to_fts5(node)
        to_tsquery(node)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["کرج", "مشارکت", "فوتبال", "انتخاب*", '"ستاد انتخابات"', "هدف",
                                 "NOT", "AND", "OR", "NEAR/3", "(", ")"]), min_size=1, max_size=8))  # fmt: skip
def test_rule_set_matches_exactly_what_each_rule_matches(parts):
    """The indexed RuleSet agrees with evaluating every rule one by one."""
    from didban.monitoring.rules import RuleSet

    try:
        node = parse_rule(" ".join(parts))
    except RuleError:
        return
    for text in (TEXT, "فوتبال کرج", "هیچ"):
        d = doc(text)
        assert (RuleSet([("r", node)]).matching(d) == ["r"]) is matches(node, d)


WORDS = ["کرج", "مشارکت", "فوتبال", "انتخابات", "ستاد", "هدف", "انتخاب", "می", "شود"]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(["کرج", "مشارکت", "فوتبال", "انتخاب*", '"ستاد انتخابات"', "هدف",
                              "میشود", "NOT", "AND", "OR", "NEAR/1", "NEAR/3", "(", ")"]),
             min_size=1, max_size=9),
    st.lists(st.lists(st.sampled_from(WORDS), max_size=14), min_size=1, max_size=4),
)  # fmt: skip
def test_compiled_rules_agree_with_the_tree_walk(parts, texts):
    """Closures (phrases as substrings, NEAR by bisection) give the tree walk's answer."""
    from didban.monitoring.rules import compile_rule

    try:
        node = parse_rule(" ".join(parts))
    except RuleError:
        return
    compiled = compile_rule(node)
    for words in texts:
        assert compiled(Document.from_tokens(words)) is matches(node, Document.from_tokens(words))


def test_pickup_matcher_gives_each_items_containment():
    """The bincount matcher agrees with |item ∩ article| / |item| for every item."""
    import random
    from datetime import UTC, datetime

    from didban.monitoring import corpus, dedup
    from didban.monitoring.pipeline import PickupMatcher

    rng = random.Random(4)
    when = datetime(2024, 2, 20, tzinfo=UTC)
    items = [(n, 1, when, "\n\n".join(corpus.article(rng))) for n in range(30)]
    matcher = PickupMatcher(items)
    item_sets = {n: dedup.shingles(tokens(text)) for n, _o, _w, text in items}
    found_any = 0
    for n in range(60):
        _id, _org, _when, text = items[n % 30]
        title, body = text.split("\n\n", 1)
        article = corpus.derive(rng, title, body, outlet="ایرنا")[1] if n < 30 else text[:400]
        if n >= 45:
            article = corpus.article(rng)[1]
        shingles = dedup.shingles(tokens(article))
        expected = {
            i: len(s & shingles) / len(s)
            for i, s in item_sets.items()
            if len(s & shingles) / len(s) >= 0.5
        }
        got = {item.item_id: score for item, score in matcher.match(shingles)}
        assert got == expected
        found_any += bool(got)
    assert found_any >= 25  # most republications are found, so the equality is not vacuous
