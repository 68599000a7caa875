"""Formatters: limits, splitting Persian text and HTML, how media are attached."""

import pytest

from didban.publishing.formatting import (
    Media,
    Story,
    plan_for,
    split_html,
    telegram_html,
    visible_length,
)
from didban.publishing.tests.fakes import parse_entities

ZWNJ = "\u200c"
SENTENCE = f"ستاد انتخابات شهرستان کرج اعلام کرد که ثبت{ZWNJ}نام داوطلبان در همه حوزه{ZWNJ}ها آغاز شده است."


def words_of(text: str) -> list[str]:
    import html
    import re

    return html.unescape(re.sub(r"<[^>]*>", "", text)).split()


@pytest.mark.parametrize(
    ("text", "limit", "first"),
    [
        (" ".join([SENTENCE] * 40), 1024, None),
        (" ".join([SENTENCE] * 40), 4096, 1024),
        ("<b>عنوان خبر</b>\n\n" + " ".join([SENTENCE] * 30), 200, 100),
        ("<b>" + " ".join([SENTENCE] * 10) + "</b>", 150, None),
        (" ".join(["کلمه&amp;ها &lt;نشانه&gt; &quot;نقل&quot;"] * 60), 100, 50),
        (f'<a href="https://karaj.example.ir/news/1">{SENTENCE * 3}</a>', 120, None),
        ("😀 " * 700, 1024, None),  # two UTF-16 units each
    ],
)
def test_split_parts_fit_and_keep_every_word(text, limit, first):
    """Every part fits its limit as Telegram counts, is valid HTML, and no word is broken."""
    parts = split_html(text, limit, first_limit=first)
    assert len(parts) > 1
    for n, part in enumerate(parts):
        cap = first if (first and n == 0) else limit
        size, error = parse_entities(part)
        assert error == "", part
        assert size <= cap
        assert size == visible_length(part)
    assert [w for p in parts for w in words_of(p)] == words_of(text)


def test_zwnj_joins_a_word_and_is_never_a_break():
    """A half-space is inside a word: «ثبت‌نام» is never split at the ZWNJ."""
    text = " ".join([f"ثبت{ZWNJ}نام"] * 300)
    for part in split_html(text, 50):
        assert not part.startswith(ZWNJ) and not part.endswith(ZWNJ)
        assert all(word == f"ثبت{ZWNJ}نام" for word in part.split())


def test_entities_are_never_cut():
    text = "&amp;" * 30
    parts = split_html(text, 7)
    assert "".join(parts) == text
    assert all(parse_entities(p)[1] == "" for p in parts)


def test_breaks_prefer_paragraphs_then_sentences():
    first = "بند اول خبر. " * 5
    text = first.strip() + "\n\n" + "بند دوم خبر " * 10
    parts = split_html(text, len(first) + 10)
    assert parts[0] == first.strip()


def test_a_short_text_is_one_part():
    assert split_html("<b>سلام</b> دنیا", 1024) == ["<b>سلام</b> دنیا"]


def story(media=(), body=SENTENCE):
    return Story(
        item_id=1, news_code="1402-0042", kind_label="خبر", title="نشست <خبری> & فرماندار",
        lead="لید خبر", body_text=body, url="https://karaj.example.ir/news/karaj/1402-0042/",
        media=tuple(media),
    )  # fmt: skip


def photo(n):
    return Media("photo", f"p{n}.jpg", f"p{n}.jpg", "image/jpeg")


def test_telegram_text_is_escaped_and_carries_code_and_link():
    text = telegram_html(story())
    assert "نشست &lt;خبری&gt; &amp; فرماندار" in text
    assert "1402-0042" in text
    assert 'href="https://karaj.example.ir/news/karaj/1402-0042/"' in text
    assert parse_entities(text)[1] == ""


def test_long_caption_photo_first_then_messages():
    """A photo carries the first 1024 characters; the rest follows as messages, footer last."""
    plan = plan_for("bale", story([photo(1)], body=" ".join([SENTENCE] * 60)))
    assert plan.parse_mode == "HTML"
    assert [s.method for s in plan.steps][:2] == ["photo", "message"]
    assert parse_entities(plan.steps[0].text)[0] <= 1024
    assert all(parse_entities(s.text)[0] <= 4096 for s in plan.steps[1:])
    assert "1402-0042" in plan.steps[-1].text


def test_twelve_photos_go_as_a_group_of_ten_and_a_group_of_two():
    plan = plan_for("telegram", story([photo(n) for n in range(12)]))
    assert [s.method for s in plan.steps] == ["media_group", "media_group"]
    assert len(plan.steps[0].media) == 10 and len(plan.steps[1].media) == 2
    assert plan.steps[0].text and not plan.steps[1].text


def test_eitaa_is_plain_text_one_file_per_message():
    plan = plan_for("eitaa", story([photo(1), photo(2)]))
    assert [s.method for s in plan.steps] == ["photo", "photo"]
    assert "نشست <خبری> & فرماندار" in plan.steps[0].text
    assert "1402-0042" in plan.steps[0].text


def test_email_and_webhook_carry_code_and_link():
    email = plan_for("email", story([photo(1)])).steps[0]
    assert email.payload["subject"].startswith("[1402-0042]")
    assert "https://karaj.example.ir/news/karaj/1402-0042/" in email.text
    assert len(email.media) == 1
    hook = plan_for("webhook", story()).steps[0]
    assert hook.payload["news_code"] == "1402-0042"
