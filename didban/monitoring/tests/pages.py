"""Generated Persian article pages in the templates Iranian sites really use, with known truth.

Three templates: a governorate portal (like the seed page: mega menu, visitor statistics,
poll, prayer times, comment form), a news agency (``itemprop="articleBody"``, lead, tags,
most-viewed lists, reader comments, big inline scripts) and a WordPress-style newspaper
(``<article>`` with ``entry-content``, threaded comments that are ``<article>`` elements
too). Each page comes with its truth: title, body paragraphs, publication time, and
strings of the page's furniture that must not end up in the extracted text. The size is
steered by the amount of furniture (menus, lists, comments, inline scripts), as on real
sites, where a 120 KB page carries the same 3 KB article as a 10 KB one.

Used by the extraction tests and ``bench/extraction.py``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from html import escape

from didban.lib.jalali import format_jalali
from didban.lib.persian import to_persian_digits
from didban.monitoring import corpus

KINDS = ("governorate", "agency", "newspaper")
# The date that headers and top bars show ("today"), a trap for a date search over the page.
TODAY = datetime(2024, 3, 5, 6, 30, tzinfo=UTC)

_MENU = [
    "صفحه اصلی", "درباره ما", "اخبار", "اطلاعیه‌ها", "شهرستان‌ها", "تماس با ما", "سامانه‌ها",
    "معاونت سیاسی", "معاونت عمرانی", "بخشداری‌ها", "قوانین و مقررات", "مناقصات", "گالری تصاویر",
    "ویدئو", "پادکست", "نقشه سایت", "پرسش‌های متداول", "میز خدمت", "ارتباط با مدیران",
]  # fmt: skip
_SECTIONS = ["سیاسی", "اقتصادی", "اجتماعی", "فرهنگی", "ورزشی", "استان‌ها", "بین‌الملل", "چندرسانه‌ای"]
_COMMENTERS = ["علی", "مریم", "رضا", "زهرا", "حسین", "فاطمه", "محمد", "سارا", "ناشناس"]


@dataclass
class Page:
    html: str
    kind: str
    title: str
    paragraphs: list[str]
    published_at: datetime
    furniture: list[str] = field(default_factory=list)
    lead: str = ""


def _headline(rng: random.Random) -> str:
    return corpus.article(rng, paragraphs=1)[0]


def _date_texts(when: datetime) -> tuple[str, str]:
    """(long Jalali with weekday, «۱۴۰۲/۱۲/۰۸ - ۰۰:۲۵»)."""
    long = format_jalali(when, "long").replace("\u200c", " ")  # «سه شنبه» as portals write it
    numeric = format_jalali(when, "datetime").replace(" ", " - ")
    return long, numeric


def _list(items: list[str], cls: str = "") -> str:
    attr = f' class="{cls}"' if cls else ""
    return f"<ul{attr}>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>"


def _links(rng: random.Random, count: int, prefix: str = "/fa/news/") -> list[str]:
    return [
        f'<a href="{prefix}{rng.randint(10000, 99999)}">{escape(_headline(rng))}</a>'
        for _ in range(count)
    ]


def _script(rng: random.Random, kilobytes: int) -> str:
    """An inline script of roughly the given size (analytics, sliders, ad loaders)."""
    if kilobytes <= 0:
        return ""
    parts, size = [], 0
    while size < kilobytes * 1024:
        name = f"w{rng.randint(1000, 9999)}"
        line = (
            f"var {name}={{id:{rng.randint(1, 10**6)},title:'{_headline(rng)}',"
            f"url:'/fa/news/{rng.randint(10000, 99999)}',views:{rng.randint(1, 9999)}}};"
            f"slider.push({name});\n"
        )
        parts.append(line)
        size += len(line.encode())
    return "<script>" + "".join(parts) + "</script>"


def _style(kilobytes: int) -> str:
    if kilobytes <= 0:
        return ""
    rules = [f".c{n}{{margin:{n % 17}px;color:#{n % 4096:03x}}}" for n in range(kilobytes * 30)]
    return "<style>" + "".join(rules) + "</style>"


def _comments(rng: random.Random, count: int, furniture: list[str], *, as_articles: bool) -> str:
    out = []
    for n in range(count):
        who = rng.choice(_COMMENTERS)
        marker = f"دیدگاه خواننده شماره {to_persian_digits(n + 1)}"
        furniture.append(marker)
        text = f"{marker}: " + corpus.sentence(rng) + " " + corpus.sentence(rng)
        if as_articles:
            out.append(
                f'<li id="comment-{n}"><article class="comment-body"><footer class="comment-meta">'
                f'<b class="fn">{who}</b> <time>{to_persian_digits(n + 2)} ساعت پیش</time></footer>'
                f'<div class="comment-content"><p>{text}</p></div>'
                f'<a class="comment-reply-link" href="#">پاسخ</a></article></li>'
            )
        else:
            out.append(
                f'<div class="comment"><div class="comment-author">{who}</div>'
                f'<div class="comment-text">{text}</div><span class="like">👍 {n}</span></div>'
            )
    return "".join(out)


def _comment_form(furniture: list[str]) -> str:
    furniture += ["کد امنیتی", "پست الکترونیک"]
    return (
        '<form method="post" class="comment-form"><h3>ارسال نظر</h3>'
        '<label>نام و نام خانوادگی : <input name="name"></label>'
        '<label>پست الکترونیک : <input name="email"></label>'
        '<label>نظر : <textarea name="body"></textarea></label>'
        '<label>کد امنیتی : <input name="captcha"></label><button>ارسال نظر</button></form>'
    )


def _furniture_boxes(rng: random.Random, furniture: list[str], links: int) -> str:
    furniture += ["آمار بازدیدکنندگان", "بازدید امروز", "نظرسنجی", "نظر شما در مورد", "اوقات شرعی"]
    furniture += ["اذان ظهر"]
    return (
        '<div class="box stats"><h3>آمار بازدیدکنندگان</h3>'
        + _list(
            [
                f"بازدید امروز : {to_persian_digits(rng.randint(100, 9999))}",
                f"بازدید دیروز : {to_persian_digits(rng.randint(100, 9999))}",
                f"بازدید کل : {to_persian_digits(rng.randint(10**5, 10**7))}",
                f"افراد آنلاین : {to_persian_digits(rng.randint(1, 99))}",
            ]
        )
        + '</div><div class="box poll"><h3>نظرسنجی</h3><p>نظر شما در مورد طراحی سایت چیست؟</p>'
        '<form><label><input type="radio" name="v">عالی</label><label><input type="radio" '
        'name="v">خوب</label><label><input type="radio" name="v">ضعیف</label><button>ثبت رای'
        '</button></form></div><div class="box owghat"><h3>اوقات شرعی</h3>'
        + _list(["اذان صبح : ۰۵:۱۲", "طلوع آفتاب : ۰۶:۳۸", "اذان ظهر : ۱۲:۱۱", "اذان مغرب : ۱۸:۰۳"])
        + '</div><div class="box latest"><h3>آخرین اخبار</h3>'
        + _list(_links(rng, links))
        + "</div>"
    )


def _menu(rng: random.Random, size: int, furniture: list[str]) -> str:
    furniture += ["درباره ما", "تماس با ما"]
    items = []
    for n in range(size):
        label = _MENU[n % len(_MENU)]
        sub = ""
        if size > len(_MENU):  # a mega menu: each entry opens a list of sub-pages
            sub = _list(
                [f'<a href="/fa/page/{n}/{k}">{_SECTIONS[k % 8]} {label}</a>' for k in range(6)]
            )
        items.append(f'<li><a href="/fa/{n}">{label}</a>{sub}</li>')
    return f'<nav class="main-menu"><ul>{"".join(items)}</ul></nav>'


def _footer(furniture: list[str], owner: str) -> str:
    furniture += ["کلیه حقوق مادی و معنوی", "خیابان طالقانی شمالی"]
    return (
        f"<footer><p>کلیه حقوق مادی و معنوی این سایت متعلق به {owner} بوده و استفاده از مطالب "
        "آن با ذکر منبع آزاد می باشد.</p><p>آدرس : کرج - عظیمیه - خیابان طالقانی شمالی - شهرک "
        "اداری</p><p>طراحی و پیاده‌سازی: شرکت نرم‌افزاری نمونه</p></footer>"
    )


def _scale(size_kb: int) -> dict:
    """Amounts of furniture for a page of about ``size_kb`` kilobytes (an inline script
    makes up the rest)."""
    if size_kb <= 12:
        return {"menu": 12, "links": 6, "comments": 2, "style": 0, "paras": 5}
    if size_kb <= 30:
        return {"menu": 19, "links": 16, "comments": 6, "style": 1, "paras": 7}
    return {"menu": 40, "links": 40, "comments": 25, "style": 4, "paras": 9}


def page(rng: random.Random, kind: str, size_kb: int = 10) -> Page:
    """One article page of the given template, about ``size_kb`` KB (UTF-8)."""
    scale = _scale(size_kb)
    title, text = corpus.article(rng, paragraphs=scale["paras"])
    paragraphs = [p for p in text.split("\n\n") if p]
    when = datetime(2024, 2, 1, tzinfo=UTC) + timedelta(minutes=rng.randint(0, 60 * 24 * 25))
    when = when.replace(second=0)
    long_date, numeric_date = _date_texts(when)
    furniture: list[str] = []
    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    news_id = rng.randint(10000, 99999)
    if kind == "governorate":
        html = _governorate(rng, scale, title, body, long_date, news_id, furniture)
        lead = ""
    elif kind == "agency":
        lead = corpus.sentence(rng)
        html = _agency(rng, scale, title, lead, body, numeric_date, news_id, furniture)
    elif kind == "newspaper":
        lead = ""
        html = _newspaper(rng, scale, title, body, long_date, when, news_id, furniture)
    else:
        raise ValueError(kind)
    missing = size_kb * 1024 - len(html.encode())
    if missing > 512:
        html = html.replace("</body>", _script(rng, missing // 1024) + "</body>")
    return Page(html, kind, title, paragraphs, when, sorted(set(furniture)), lead)


def _governorate(rng, scale, title, body, long_date, news_id, furniture) -> str:
    return f"""<!DOCTYPE html>
<html lang="fa" dir="rtl"><head><meta charset="utf-8">
<title>{escape(title)} - فرمانداری شهرستان کرج</title>
<meta name="description" content="پایگاه اطلاع رسانی فرمانداری شهرستان کرج">
{_style(scale["style"])}</head>
<body><header><div class="logo">فرمانداری شهرستان کرج</div>
<div class="today">{_date_texts(TODAY)[0]}</div>
{_menu(rng, scale["menu"], furniture)}
<form class="search"><input name="q" placeholder="جستجو"><button>جستجو</button></form></header>
<div class="container"><aside class="right-col">{_furniture_boxes(rng, furniture, scale["links"])}</aside>
<main><div class="breadcrumb"><a href="/">صفحه اصلی</a> » <a href="/fa/news">اخبار</a></div>
<article class="news">
<div class="news-date">تاریخ ایجاد خبر : {long_date}</div>
<h1 class="title">{escape(title)}</h1>
<div class="news-body">{body}</div>
<div class="news-info"><span>کد خبر : {news_id}</span> <span>منبع : فرمانداری کرج</span>
<span>تعداد بازدید : {to_persian_digits(rng.randint(10, 999))}</span> <a href="#">چاپ</a>
<a href="#">ارسال به دوستان</a></div></article>
<section class="comments">{_comments(rng, scale["comments"], furniture, as_articles=False)}
{_comment_form(furniture)}</section></main></div>
{_footer(furniture, "فرمانداری کرج")}
</body></html>"""


def _agency(rng, scale, title, lead, body, numeric_date, news_id, furniture) -> str:
    today = format_jalali(TODAY, "date")
    furniture += ["پربازدیدترین", "برچسب‌ها"]
    most_viewed = _list(_links(rng, scale["links"]), "most-viewed")
    tags = "".join(f'<a href="/tag/{t}" rel="tag">{t}</a>' for t in corpus.PLACES[:5])
    return f"""<!DOCTYPE html>
<html lang="fa" dir="rtl"><head><meta charset="utf-8"><title>{escape(title)} | خبرگزاری آزمایشی</title>
<meta property="og:title" content="{escape(title)}"><meta property="og:type" content="article">
<script type="application/ld+json">{{"@type":"NewsArticle","headline":"{escape(title)}"}}</script>
{_style(scale["style"])}</head>
<body><div id="top-bar"><span class="today">امروز: {today}</span>
<a href="/fa/login">ورود</a></div><header id="header"><a class="logo" href="/">خبرگزاری آزمایشی</a>
{_menu(rng, scale["menu"], furniture)}</header>
<div class="ticker"><b>تیتر یک:</b>{"".join(_links(rng, 3))}</div>
<main id="content"><article id="item" itemscope itemtype="http://schema.org/NewsArticle">
<div class="item-header"><div class="item-date"><span>{numeric_date}</span></div>
<div class="item-nav"><a href="/fa/service/politics">سیاسی</a> » استان‌ها</div>
<h1 class="title" itemprop="headline">{escape(title)}</h1>
<p class="summary introtext" itemprop="description">{escape(lead)}</p></div>
<div class="item-body"><div class="item-text" itemprop="articleBody">{body}
<p>انتهای پیام/</p></div></div>
<section class="tags"><h3>برچسب‌ها</h3>{tags}</section>
<div class="short-link">کد خبر: {news_id} <input value="https://example.ir/x{news_id}"></div>
<div class="share"><a href="#">تلگرام</a><a href="#">ایتا</a><a href="#">واتساپ</a></div>
<section class="related"><h3>اخبار مرتبط</h3>{_list(_links(rng, scale["links"] // 2 + 2))}</section>
<section id="comments"><h3>نظرات خوانندگان</h3>
{_comments(rng, scale["comments"], furniture, as_articles=False)}{_comment_form(furniture)}</section>
</article></main>
<aside id="sidebar"><section><h3>پربازدیدترین</h3>{most_viewed}</section>
{_furniture_boxes(rng, furniture, scale["links"])}</aside>
{_footer(furniture, "خبرگزاری آزمایشی")}</body></html>"""


def _newspaper(rng, scale, title, body, long_date, when, news_id, furniture) -> str:
    furniture += ["دیدگاهتان را بنویسید", "نوشته‌های تازه"]
    return f"""<!DOCTYPE html>
<html lang="fa-IR" dir="rtl"><head><meta charset="UTF-8"><title>{escape(title)} – روزنامه آزمایشی</title>
<meta property="article:published_time" content="{when.isoformat()}">
{_style(scale["style"])}</head>
<body class="single-post"><div id="page"><header class="site-header">
<p class="site-title"><a href="/">روزنامه آزمایشی</a></p>{_menu(rng, scale["menu"], furniture)}</header>
<div id="primary"><main id="main"><article id="post-{news_id}" class="post type-post">
<header class="entry-header"><h1 class="entry-title">{escape(title)}</h1>
<div class="entry-meta"><span class="posted-on">{long_date}</span></div></header>
<div class="entry-content">{body}</div>
<footer class="entry-footer"><span class="cat-links">دسته‌بندی: استان‌ها</span></footer></article>
<div id="comments" class="comments-area"><h2 class="comments-title">دیدگاه‌ها</h2>
<ol class="comment-list">{_comments(rng, scale["comments"], furniture, as_articles=True)}</ol>
<div id="respond"><h3>دیدگاهتان را بنویسید</h3>{_comment_form(furniture)}</div></div></main></div>
<aside id="secondary" class="widget-area"><section class="widget"><h2>نوشته‌های تازه</h2>
{_list(_links(rng, scale["links"]))}</section>{_furniture_boxes(rng, furniture, scale["links"])}</aside>
{_footer(furniture, "روزنامه آزمایشی")}</div></body></html>"""


def pages(seed: int, size_kb: int, count: int) -> list[Page]:
    """``count`` pages of the three templates in turn, about ``size_kb`` KB each."""
    rng = random.Random(seed)
    return [page(rng, KINDS[n % len(KINDS)], size_kb) for n in range(count)]


def without_body_markers(html: str) -> str:
    """The same page with nothing that marks its body (no ``articleBody``, no known body
    class, no ``<article>``), as older or home-made sites are: trafilatura must find it."""
    for marker, plain in (
        ('itemprop="articleBody"', ""),
        ('class="item-text"', 'class="txt"'),
        ('class="news-body"', 'class="txt"'),
        ('class="entry-content"', 'class="txt"'),
        ("<article", "<div"),
        ("</article>", "</div>"),
    ):
        html = html.replace(marker, plain)
    return html
