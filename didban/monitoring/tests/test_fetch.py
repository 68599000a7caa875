"""Fetching against a local fake news site: the worker keeps going, broken sources say why."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from didban.monitoring.models import Article, Source
from didban.monitoring.tests.fakesite import atom, cp1256_page, governorate_page, rss

pytestmark = pytest.mark.django_db

SUMMARY = "خلاصه کوتاه خبر"


def _items(site, n=3, prefix="news"):
    return [
        {
            "title": f"خبر شماره {i} درباره مشارکت در انتخابات",
            "link": f"{site.url}/{prefix}/{1000 + i}",
            "date": f"Mon, 26 Feb 2024 10:0{i}:00 GMT",
            "summary": f"متن کامل خبر شماره {i}: "
            + "مردم کرج برای مشارکت در انتخابات آماده می‌شوند. " * 30,
        }
        for i in range(n)
    ]


def test_rss_feed_is_ingested_and_conditional_get_gives_304(fakesite, make_source):
    fakesite.routes["/rss"] = {
        "body": rss(_items(fakesite)),
        "type": "application/rss+xml",
        "etag": '"v1"',
    }
    source = make_source(f"{fakesite.url}/rss")
    from didban.monitoring.actions import do_fetch_source

    report = do_fetch_source(actor=None, source_id=source.pk)
    assert report.new == 3
    source.refresh_from_db()
    assert source.etag == '"v1"'
    assert source.last_success_at is not None and source.consecutive_failures == 0
    report = do_fetch_source(actor=None, source_id=source.pk)
    assert report.new == 0
    assert fakesite.requests[-1][1].get("If-None-Match") == '"v1"'
    assert Article.objects.filter(source=source).count() == 3


def test_summary_only_feed_fetches_the_article_page(fakesite, make_source):
    link = f"{fakesite.url}/fa/news/35665"
    fakesite.routes["/rss"] = {
        "body": rss([{"title": "اتاق فرمان اطلاع رسانی", "link": link, "summary": SUMMARY}]),
        "type": "application/rss+xml",
    }
    fakesite.routes["/fa/news/35665"] = {
        "body": cp1256_page(),
        "type": "text/html; charset=iso-8859-1",  # a lying header
    }
    from didban.monitoring.actions import do_fetch_source

    source = make_source(f"{fakesite.url}/rss")
    assert do_fetch_source(actor=None, source_id=source.pk).new == 1
    article = Article.objects.get()
    assert "رصد و پالایش و گزارش" in article.text  # ي shown as ی (fix_display)
    assert "رصد و پالایش و گزارش" in article.text_norm  # matched in the normalised form
    assert "اوقات شرعی" not in article.text_norm
    # No date in the feed: the Jalali date on the page.
    assert article.published_at.isoformat() == "2024-02-26T20:55:00+00:00"


def test_atom_and_channel_preview(fakesite, make_source):
    from didban.monitoring.actions import do_fetch_source

    fakesite.routes["/atom"] = {
        "body": atom(
            [
                {
                    "title": "گزارش روزنامه",
                    "link": f"{fakesite.url}/paper/1",
                    "date": "2024-02-26T08:00:00Z",
                    "content": "&lt;p&gt;"
                    + "متن کامل گزارش روزنامه درباره ستاد انتخابات. " * 20
                    + "&lt;/p&gt;",
                }
            ]
        ),
        "type": "application/atom+xml",
    }
    preview = (
        '<html><body><div class="tgme_widget_message" data-post="karajnews/41">'
        '<div class="tgme_widget_message_text">اطلاعیه ستاد انتخابات کرج\nساعت کار شعب تمدید شد</div>'
        '<a class="tgme_widget_message_date" href="https://t.me/karajnews/41">'
        '<time datetime="2024-03-01T15:30:00+00:00"></time></a></div></body></html>'
    )
    fakesite.routes["/s/karajnews"] = {"body": preview.encode(), "type": "text/html"}
    a = make_source(f"{fakesite.url}/atom", name="روزنامه")
    c = make_source(f"{fakesite.url}/s/karajnews", kind="channel_preview", name="کانال")
    assert do_fetch_source(actor=None, source_id=a.pk).new == 1
    assert do_fetch_source(actor=None, source_id=c.pk).new == 1
    post = Article.objects.get(source=c)
    assert post.url == "https://t.me/karajnews/41"
    assert post.title == "اطلاعیه ستاد انتخابات کرج"
    assert post.published_at.isoformat() == "2024-03-01T15:30:00+00:00"


def test_web_index_discovers_article_links(fakesite, make_source):
    from didban.monitoring.actions import do_fetch_source

    fakesite.routes["/fa/section"] = {
        "body": '<html><body><a href="/fa/news/35665">خبر</a><a href="/about">درباره</a>'
        '<a href="http://other.example/fa/news/1">بیرون</a></body></html>'.encode(),
        "type": "text/html",
    }
    fakesite.routes["/fa/news/35665"] = {"body": governorate_page().encode(), "type": "text/html"}
    source = make_source(f"{fakesite.url}/fa/section", kind="web_index")
    assert do_fetch_source(actor=None, source_id=source.pk).new == 1
    assert Article.objects.get().url.endswith("/fa/news/35665")


@pytest.mark.parametrize(
    ("route", "code", "words"),
    [
        ({"status": 500, "body": b"oops"}, "http_status", "HTTP 500"),
        ({"status": 404, "body": b"gone"}, "http_status", "HTTP 404"),
        ({"delay": 2.5, "body": b"<rss/>"}, "timeout", "did not answer in time"),
        ({"stream": 5 * 1024 * 1024}, "too_large", "larger than the allowed size"),
        ({"redirect": "/loop"}, "redirects", "redirect loop"),
        (
            {
                "body": b"<?xml version='1.0'?><rss><channel><item><title>bad",
                "type": "application/xml",
            },
            "bad_feed",
            "not valid RSS",
        ),
    ],
)
def test_broken_source_is_marked_unhealthy_with_the_reason(
    fakesite, make_source, route, code, words
):
    from django.utils import translation

    from didban.monitoring.actions import do_fetch_source

    fakesite.routes["/loop"] = route
    source = make_source(f"{fakesite.url}/loop")
    report = do_fetch_source(actor=None, source_id=source.pk)
    assert report.new == 0
    source.refresh_from_db()
    assert source.last_error_code == code
    assert source.consecutive_failures == 1
    assert source.next_fetch_at > timezone.now()
    with translation.override("en"):
        assert words in source.error_text
    assert not source.healthy


def test_duplicate_guids_and_missing_or_future_dates(fakesite, make_source):
    from didban.monitoring.actions import do_fetch_source

    items = _items(fakesite, 2)
    items.append(dict(items[0]))  # the same item twice
    items[1]["date"] = "Mon, 26 Feb 2099 10:00:00 GMT"  # in the future
    items.append(
        {
            "title": "بدون تاریخ",
            "link": f"{fakesite.url}/news/9",
            "summary": "متن خبر بدون تاریخ " * 40,
        }
    )
    fakesite.routes["/rss"] = {"body": rss(items), "type": "application/rss+xml"}
    source = make_source(f"{fakesite.url}/rss")
    report = do_fetch_source(actor=None, source_id=source.pk)
    assert report.new == 3 and report.duplicates == 1
    guessed = Article.objects.filter(date_was_guessed=True)
    assert guessed.count() == 2
    assert all(a.published_at <= timezone.now() for a in Article.objects.all())


@pytest.mark.django_db(transaction=True)
def test_the_worker_fetches_due_sources_and_survives_broken_ones(fakesite, make_source, settings):
    """One worker round: due sources are enqueued and fetched; a broken one does not stop it."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    fakesite.routes["/rss"] = {"body": rss(_items(fakesite)), "type": "application/rss+xml"}
    fakesite.routes["/bad"] = {"status": 503, "body": b"down"}
    good = make_source(f"{fakesite.url}/rss", name="خوب")
    bad = make_source(f"{fakesite.url}/bad", name="خراب")
    missing = make_source("/nonexistent/folder", kind="local", name="پرونده")
    call_command("worker", "--once")  # enqueues the periodic job and runs it
    call_command("worker", "--once")  # runs the fetches it enqueued
    call_command("worker", "--once")
    good.refresh_from_db()
    bad.refresh_from_db()
    missing.refresh_from_db()
    assert Article.objects.filter(source=good).count() == 3
    assert good.consecutive_failures == 0 and good.last_success_at
    assert bad.last_error_code == "http_status" and bad.consecutive_failures == 1
    assert missing.last_error_code == "missing_file"
    assert Source.objects.filter(consecutive_failures__gt=0).count() == 2
