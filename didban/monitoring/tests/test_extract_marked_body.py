"""The marked-body fast path of extraction, and trafilatura as the fallback when it is unsure.

Pages mark their body (``itemprop="articleBody"``, a CMS body class, one ``<article>`` with
the headline); when a marker could point at the comments, a list or a comment form, the page
goes to trafilatura instead. Either way the article is kept whole and the furniture dropped.
"""

import random
from datetime import UTC, datetime

import pytest

from didban.lib.persian import fix_display
from didban.monitoring.extract import extract_article
from didban.monitoring.tests.fakesite import governorate_page
from didban.monitoring.tests.pages import KINDS, page, without_body_markers

SEED_FURNITURE = [
    "آمار بازدیدکنندگان", "بازدید امروز", "نظرسنجی", "نظر شما در مورد طراحی سایت", "اوقات شرعی",
    "اذان ظهر", "کد امنیتی", "پست الکترونیک", "ارسال نظر", "درباره ما", "کلیه حقوق مادی و معنوی",
    "خیابان طالقانی شمالی",
]  # fmt: skip


@pytest.mark.parametrize("marked", [True, False], ids=["marked", "unmarked"])
def test_seed_page_both_ways(marked):
    """The seed page in its governorate template: the same article and date either way."""
    html = governorate_page() if marked else without_body_markers(governorate_page())
    entry = extract_article(html, "http://karaj.example.ir/fa/news/35665")
    assert entry.extra["extractor"] == ("marked" if marked else "trafilatura")
    assert "اتاق فرمان اطلاع رسانی ستاد انتخابات کرج فعال است" in entry.title
    assert "رصد و پالایش و گزارش می شود" in entry.text
    assert "دامنه اطلاع رسانی را نیز گسترش داده ایم" in entry.text
    assert entry.text.rstrip().endswith("استمرار دارد.")
    for furniture in SEED_FURNITURE:
        assert furniture not in entry.text, furniture
    assert entry.published_at == datetime(2024, 2, 26, 20, 55, tzinfo=UTC)


@pytest.mark.parametrize("size_kb", [10, 25, 120])
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("marked", [True, False], ids=["marked", "unmarked"])
def test_generated_pages_keep_the_article_and_drop_the_furniture(kind, size_kb, marked):
    """Every paragraph kept with its half-spaces, no menu, poll, counter, comment or footer,
    the headline as title and the article's own Jalali time (not the header's "today")."""
    generated = page(random.Random(size_kb * 7 + len(kind)), kind, size_kb)
    html = generated.html if marked else without_body_markers(generated.html)
    entry = extract_article(html, "http://example.ir/fa/news/1")
    assert entry.extra["extractor"] == ("marked" if marked else "trafilatura")
    assert entry.title == fix_display(generated.title)
    for paragraph in generated.paragraphs:
        assert fix_display(paragraph) in entry.text
    for furniture in generated.furniture:
        assert fix_display(furniture) not in entry.text, furniture
    assert entry.published_at == generated.published_at
    if generated.lead and marked:
        assert entry.text.startswith(fix_display(generated.lead))


def _page(body: str, after: str = "") -> str:
    return f"""<html lang="fa"><head><title>خبر آزمایشی - پایگاه خبری</title></head><body>
<nav><a href="/">صفحه اصلی</a><a href="/about">درباره ما</a></nav>
<div class="wrap"><h1>مشارکت در انتخابات کرج بررسی شد</h1>
<div class="date">سه شنبه ۸ اسفند ۱۴۰۲ ساعت ۰۰:۲۵</div>{body}</div>{after}
<footer>کلیه حقوق محفوظ است</footer></body></html>"""


ARTICLE = "".join(
    f"<p>پاراگراف {n} خبر: رئیس ستاد انتخابات کرج درباره مشارکت حداکثری و آموزش عوامل اجرایی "
    f"شعب اخذ رأی در شهرستان توضیح داد و گفت برنامه‌ها تا پایان هفته ادامه می‌یابد.</p>"
    for n in range(1, 6)
)
COMMENT = (
    "نظر خواننده: این خبر را قبول ندارم و به نظرم آمار اعلام‌شده درست نیست، لطفاً منبع را "
    "بنویسید. من خودم در شعبه بودم و هیچ‌کس نیامده بود، چرا این‌ها را نمی‌نویسید؟ " * 3
)


def test_a_lone_comment_article_is_not_taken_for_the_body():
    """The only <article> on the page is a reader's comment (no headline in it): fall back."""
    html = _page(f'<div class="txt">{ARTICLE}</div>', f"<section><article><p>{COMMENT}</p></article></section>")  # fmt: skip
    entry = extract_article(html)
    assert entry.extra["extractor"] == "trafilatura"
    assert "پاراگراف 1 خبر" in entry.text
    assert "پاراگراف 5 خبر" in entry.text


def test_comment_articles_are_not_taken_for_the_body():
    """Comments written as <article> elements (several, without the headline): fall back."""
    comments = "".join(f"<article><p>{COMMENT} {n}</p></article>" for n in range(3))
    entry = extract_article(_page(f'<div class="txt">{ARTICLE}</div>', f"<div>{comments}</div>"))
    assert entry.extra["extractor"] == "trafilatura"
    assert "پاراگراف 3 خبر" in entry.text


def test_a_body_class_inside_the_comments_is_not_the_body():
    """A comment template reusing the body class: the marker inside comments is ignored."""
    comments = f'<div class="comments"><div class="comment"><div class="item-text">{COMMENT}</div></div></div>'
    entry = extract_article(_page(f'<div class="txt">{ARTICLE}</div>', comments))
    assert entry.extra["extractor"] == "trafilatura"
    assert "پاراگراف 2 خبر" in entry.text
    assert "نظر خواننده" not in entry.text


def test_a_marked_body_holding_the_comment_form_falls_back():
    """The body class wraps the comments and their form too: not trusted."""
    comments = (
        f"<div><p>{COMMENT}</p></div><form method='post'><textarea name='body'></textarea>"
        "<button>ارسال نظر</button></form>"
    )
    entry = extract_article(_page(f'<div class="news-body">{ARTICLE}{comments}</div>'))
    assert entry.extra["extractor"] == "trafilatura"
    assert "پاراگراف 4 خبر" in entry.text
    assert "ارسال نظر" not in entry.text


def test_several_marked_bodies_fall_back():
    """A list page with one body class per teaser is not an article with one body."""
    teasers = "".join(f'<div class="item-text">{ARTICLE}</div>' for _ in range(2))
    entry = extract_article(_page(teasers))
    assert entry.extra["extractor"] == "trafilatura"


def test_a_short_or_link_list_body_falls_back():
    """A marked body with a line of text, or mostly links, is not trusted."""
    short = extract_article(_page(f'<div class="item-text"><p>کوتاه</p></div>{ARTICLE}'))
    assert short.extra["extractor"] == "trafilatura"
    assert "پاراگراف 1 خبر" in short.text
    links = "".join(
        f'<a href="/n/{n}">عنوان خبر شماره {n} درباره انتخابات کرج</a><br>' for n in range(30)
    )
    linky = extract_article(_page(f'<div class="news-body">{links}</div>{ARTICLE}'))
    assert linky.extra["extractor"] == "trafilatura"


def test_the_headers_today_is_not_the_article_date():
    """Portals print today's date in the header; the date next to the article wins."""
    html = _page(f'<article><h1>مشارکت</h1><div class="date">۸ اسفند ۱۴۰۲ - ۱۰:۳۰</div>{ARTICLE}</article>')  # fmt: skip
    html = html.replace("<nav>", "<div class='top'>امروز: ۱۵ اسفند ۱۴۰۲</div><nav>")
    entry = extract_article(html)
    assert entry.extra["extractor"] == "marked"
    assert entry.published_at == datetime(2024, 2, 27, 7, 0, tzinfo=UTC)
    assert "۸ اسفند" not in entry.text and "8 اسفند" not in entry.text


def test_iso_meta_date_when_no_jalali_date_and_none_at_all():
    """No Jalali text: the article:published_time meta; nothing at all: no date (the ingest
    then uses the fetch time and marks it guessed)."""
    body = f'<div class="news-body">{ARTICLE}</div>'
    meta = '<meta property="article:published_time" content="2024-02-26T08:15:00+03:30">'
    html = f"<html><head>{meta}</head><body><h1>خبر</h1>{body}</body></html>"
    assert extract_article(html).published_at == datetime(2024, 2, 26, 4, 45, tzinfo=UTC)
    bare = extract_article(f"<html><body><h1>خبر</h1>{body}</body></html>")
    assert bare.published_at is None


def test_half_spaces_survive_the_trafilatura_path():
    """trafilatura drops ZWNJ as unprintable; «می‌یابد» must not become «مییابد»."""
    entry = extract_article(_page(f'<div class="txt">{ARTICLE}</div>'))
    assert entry.extra["extractor"] == "trafilatura"
    assert "ادامه می\u200cیابد" in entry.text
    assert "برنامه\u200cها" in entry.text
    # A stray ZWNJ next to a space is dropped, as everywhere, and its stand-in never shows.
    stray_zwnj = ARTICLE.replace("خبر:", "خبر\u200c :")
    stray = extract_article(_page(f'<div class="txt">{stray_zwnj}</div>'))
    assert "¬" not in stray.text and "خبر :" in stray.text


def test_asp_net_page_wrapped_in_one_form():
    """Sites that wrap the whole page in <form runat=server> keep their article."""
    html = _page(f'<div class="txt">{ARTICLE}</div>').replace("<body>", "<body><form id='form1'>")
    html = html.replace("</body>", "</form></body>")
    entry = extract_article(html)
    assert "پاراگراف 5 خبر" in entry.text


def test_table_layout_page_keeps_its_article():
    """Old portals lay the page out in tables; tables are off in extraction, so the layout
    table holding the article is unwrapped instead of deleted."""
    html = f"""<html><body><table><tr><td class="side"><div class="poll">نظرسنجی: نظر شما؟</div>
<div>آمار بازدیدکنندگان: ۱۲۳</div></td><td><h1>مشارکت در انتخابات کرج</h1>
<span>۸ اسفند ۱۴۰۲ - ۱۰:۳۰</span>{ARTICLE}</td></tr></table></body></html>"""
    entry = extract_article(html)
    assert "پاراگراف 1 خبر" in entry.text and "پاراگراف 5 خبر" in entry.text
    assert "نظرسنجی" not in entry.text
    assert entry.published_at == datetime(2024, 2, 27, 7, 0, tzinfo=UTC)


def test_furniture_inside_a_marked_body():
    """Inside the body: a related-news box and share buttons go; a wrapper named like furniture
    («print-area») that holds the article stays."""
    related = '<div class="related-news"><a href="/n/1">بیشتر بخوانید: خبر دیگری</a></div>'
    share = '<div class="share-box"><a href="#">اشتراک‌گذاری در تلگرام</a></div>'
    body = f'<div class="item-text"><div class="print-area">{ARTICLE}</div>{related}{share}</div>'
    entry = extract_article(_page(body))
    assert entry.extra["extractor"] == "marked"
    assert "پاراگراف 1 خبر" in entry.text and "پاراگراف 5 خبر" in entry.text
    assert "بیشتر بخوانید" not in entry.text
    assert "اشتراک" not in entry.text


def test_a_body_wrapper_holding_the_header():
    """A «news-content» that wraps headline, date line and text: only the text is body."""
    wrapper = (
        '<div class="news-content"><h2>مشارکت در انتخابات كرج بررسی شد</h2>'
        f"<div>۸ اسفند ۱۴۰۲ - ۱۰:۳۰</div>{ARTICLE}</div>"
    )
    html = _page(wrapper).replace(
        "<head>", '<head><meta property="og:title" content="مشارکت در انتخابات کرج بررسی شد">'
    )
    html = html.replace('<div class="date">سه شنبه ۸ اسفند ۱۴۰۲ ساعت ۰۰:۲۵</div>', "")
    entry = extract_article(html)
    assert entry.extra["extractor"] == "marked"
    assert entry.title == "مشارکت در انتخابات کرج بررسی شد"
    assert entry.text.startswith("پاراگراف 1 خبر")
    assert entry.published_at == datetime(2024, 2, 27, 7, 0, tzinfo=UTC)
