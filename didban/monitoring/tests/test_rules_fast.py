"""The fast matching of topic rules (RuleSet and compiled closures) against the tree walk.

``matches`` is the plain definition; the closures test phrases, prefixes and NEAR as
substrings of the joined text and the RuleSet skips rules through a word index. Random rule
trees, including shapes the parser never builds (NEAR of an OR holding an AND, one-letter
prefixes, words with spaces), on random texts with repeated words, must give the same answer.
"""

from hypothesis import given, settings
from hypothesis import strategies as st

from didban.monitoring.rules import (
    And,
    Document,
    Near,
    Not,
    Or,
    Phrase,
    RuleSet,
    Term,
    compile_rule,
    matches,
    parse_rule,
)

WORDS = ["کرج", "کرجی", "کر", "ستاد", "انتخابات", "انتخاب", "و", "a", "ab", "abc", "b"]
ODD = ["", "a b", "کرج ستاد"]  # never made by tokens(): the fallback on token positions

words = st.sampled_from(WORDS)
leaf = st.one_of(
    st.builds(Term, words, st.booleans()),
    st.builds(Phrase, st.lists(words, min_size=2, max_size=3).map(tuple)),
)
odd_leaf = st.one_of(
    st.builds(Term, st.sampled_from(WORDS + ODD), st.booleans()),
    st.builds(Phrase, st.lists(st.sampled_from(WORDS + ODD), min_size=2, max_size=3).map(tuple)),
)


def _tree(leaves):
    return st.recursive(
        leaves,
        lambda inner: st.one_of(
            st.builds(And, st.lists(inner, min_size=2, max_size=3).map(tuple)),
            st.builds(Or, st.lists(inner, min_size=2, max_size=3).map(tuple)),
            st.builds(Not, inner),
            st.builds(Near, inner, inner, st.integers(1, 4)),
        ),
        max_leaves=6,
    )


trees = _tree(leaf)
odd_trees = _tree(odd_leaf)
texts = st.lists(words, max_size=40)
odd_texts = st.lists(st.sampled_from(WORDS + ODD), max_size=25)


@settings(max_examples=600, deadline=None)
@given(trees, st.lists(texts, min_size=1, max_size=3))
def test_compiled_rule_is_the_tree_walk(node, docs):
    compiled = compile_rule(node)
    for tokens in docs:
        assert compiled(Document.from_tokens(tokens)) is matches(node, Document(tokens))


@settings(max_examples=400, deadline=None)
@given(st.lists(trees, min_size=1, max_size=12), st.lists(texts, min_size=1, max_size=3))
def test_rule_set_is_every_rule_walked(nodes, docs):
    """Also with one document shared by all rules (what each needle was found at is kept)."""
    rules = RuleSet([(n, node) for n, node in enumerate(nodes)])
    for tokens in docs:
        expected = [n for n, node in enumerate(nodes) if matches(node, Document(tokens))]
        doc = Document.from_tokens(tokens)
        assert rules.matching(doc) == expected
        assert rules.matching(doc) == expected  # again, from what the document kept
        assert [n for n, node in enumerate(nodes) if compile_rule(node)(doc)] == expected


@settings(max_examples=300, deadline=None)
@given(st.lists(odd_trees, min_size=1, max_size=6), st.lists(odd_texts, min_size=1, max_size=3))
def test_odd_words_fall_back_on_positions(nodes, docs):
    """Empty tokens and tokens or rule words holding a space: still the tree walk's answer."""
    rules = RuleSet([(n, node) for n, node in enumerate(nodes)])
    for tokens in docs:
        expected = [n for n, node in enumerate(nodes) if matches(node, Document(tokens))]
        assert rules.matching(Document.from_tokens(tokens)) == expected


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.lists(st.sampled_from(["کرج", "ستاد", "انتخاب*", '"ستاد انتخابات"', "و", "میشود",
                                  "NOT", "AND", "OR", "NEAR/1", "NEAR/2", "NEAR/5", "(", ")"]),
                 min_size=1, max_size=9).map(" ".join),
        min_size=1, max_size=8,
    ),
    st.lists(st.lists(st.sampled_from([*WORDS, "می", "شود", "میشود"]), max_size=60), max_size=3),
)  # fmt: skip
def test_parsed_rule_sets_agree(rule_texts, docs):
    nodes = []
    for text in rule_texts:
        try:
            nodes.append(parse_rule(text))
        except ValueError:
            continue
    rules = RuleSet([(n, node) for n, node in enumerate(nodes)])
    for tokens in docs:
        expected = [n for n, node in enumerate(nodes) if matches(node, Document(tokens))]
        assert rules.matching(Document.from_tokens(tokens)) == expected


def test_near_across_many_occurrences():
    """Long texts with many occurrences of both sides: the nearest ones are found from the
    last search on, in both directions, at the exact distance limits."""
    filler = ["و"] * 3
    tokens = (["کرج", *filler, "ستاد", "انتخابات"] * 5) + ["ستاد"] + filler * 4 + ["کرج"]
    for distance in range(1, 6):
        for rule in (
            f'کرج NEAR/{distance} "ستاد انتخابات"',
            f'"ستاد انتخابات" NEAR/{distance} کرج',
            f"ستاد NEAR/{distance} کرج",
            f"انتخاب* NEAR/{distance} کرج",
            f'(کرج OR "و و") NEAR/{distance} (ستاد NEAR/1 انتخابات)',
        ):
            node = parse_rule(rule)
            for cut in (len(tokens), 12, 7, 5):
                doc = tokens[:cut]
                expected = matches(node, Document(doc))
                assert RuleSet([("r", node)]).matching(Document(doc)) == (["r"] if expected else [])
    assert matches(parse_rule("کرج NEAR/3 ستاد"), Document(tokens))
    assert not matches(parse_rule("کرج NEAR/2 ستاد"), Document(tokens[:5]))


def test_document_keeps_its_public_shape():
    doc = Document.from_tokens(["کرج", "ستاد", "کرج"])
    assert doc.vocab == {"کرج", "ستاد"}
    assert doc.text == " کرج ستاد کرج "
    assert doc.positions == {"کرج": [0, 2], "ستاد": [1]}
    assert doc.has_prefix("کر") and not doc.has_prefix("کرجی")
    assert Document([]).text == "  "


def test_every_short_text_against_many_near_rules_at_once():
    """All texts of up to six tokens over three words, against NEAR rules sharing their words
    in one RuleSet (so later rules start from where earlier ones found each word)."""
    import itertools

    sides = [Term("a"), Term("b"), Term("ab", prefix=True), Phrase(("a", "b")), Phrase(("b", "a"))]
    nodes = [
        Near(left, right, distance) for left in sides for right in sides for distance in (1, 2, 3)
    ]
    rules = RuleSet(list(enumerate(nodes)))
    for size in range(7):
        for tokens in itertools.product(["a", "b", "abc", "c"], repeat=size):
            tokens = list(tokens)
            expected = [n for n, node in enumerate(nodes) if matches(node, Document(tokens))]
            assert rules.matching(Document.from_tokens(tokens)) == expected, tokens


def test_tokens_holding_spaces_are_matched_by_position():
    """A token with a space (never made by tokens()) must not pass for two tokens."""
    for tokens in (["a b"], ["x", "a b", "c"], ["a", "b c"], ["ab c", "b"]):
        for node in (
            Phrase(("a", "b")),
            Term("b", prefix=True),
            Term("c", prefix=True),
            Near(Term("a"), Term("b"), 1),
            Near(Term("b"), Term("c"), 1),
            Near(Term("a", prefix=True), Term("b"), 1),
            Near(Phrase(("a", "b")), Term("c"), 1),
            And((Term("x"), Term("c"), Phrase(("b", "c")))),
        ):
            expected = matches(node, Document(tokens))
            assert compile_rule(node)(Document(tokens)) is expected, (tokens, node)
            assert RuleSet([("r", node)]).matching(Document(tokens)) == (
                ["r"] if expected else []
            ), (tokens, node)
