"""The worker keeps going whatever one source does: a broken archive, a bug in a parser."""

import random

import pytest
from django.core.management import call_command

from didban.monitoring import collect, corpus
from didban.monitoring.models import Article, Source
from didban.monitoring.tests.fakesite import rss


def _items(base: str, n: int = 2) -> list[dict]:
    rng = random.Random(base)
    items = []
    for i in range(n):
        title, text = corpus.article(rng)
        items.append(
            {
                "title": title,
                "link": f"{base}/news/{500 + i}",
                "date": f"Mon, 26 Feb 2024 10:0{i}:00 GMT",
                "summary": text.replace("\n\n", " ")[:1500],
            }
        )
    return items


@pytest.mark.django_db
def test_an_archive_folder_with_a_subfolder_named_like_a_feed(tmp_path, make_source):
    """A folder «1402.xml/» inside an archive is skipped, the real feed files are read."""
    (tmp_path / "1402.xml").mkdir()
    (tmp_path / "1402.xml" / "readme.txt").write_text("not a feed")
    (tmp_path / "feed.xml").write_bytes(rss(_items("http://example.ir")))
    source = make_source(str(tmp_path), kind="local")
    from didban.monitoring.actions import do_fetch_source

    report = do_fetch_source(actor=None, source_id=source.pk)
    source.refresh_from_db()
    assert report.new == 2
    assert source.consecutive_failures == 0 and source.last_error_code == ""


@pytest.mark.django_db(transaction=True)
def test_a_bug_in_one_source_does_not_stop_the_worker(fakesite, make_source, settings, monkeypatch):
    """Fault injection: the feed parser raises an unexpected exception for one source. The
    worker loop records it on that source as an unexpected error and fetches the others."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": []}}
    fakesite.routes["/rss"] = {"body": rss(_items(fakesite.url)), "type": "application/rss+xml"}
    fakesite.routes["/buggy"] = {
        "body": rss(_items(fakesite.url, 1)),
        "type": "application/rss+xml",
    }
    real_parse = collect.parse_feed

    def parse_feed(text, base_url=""):
        if base_url.endswith("/buggy"):
            raise ZeroDivisionError("a bug")
        return real_parse(text, base_url)

    monkeypatch.setattr(collect, "parse_feed", parse_feed)
    buggy = make_source(f"{fakesite.url}/buggy", name="منبع با خطا")
    good = make_source(f"{fakesite.url}/rss", name="منبع سالم")
    for _round in range(3):
        call_command("worker", "--once")
    buggy.refresh_from_db()
    good.refresh_from_db()
    assert buggy.last_error_code == "internal" and buggy.consecutive_failures == 1
    assert "ZeroDivisionError" in buggy.last_error_detail
    assert good.last_success_at is not None and good.consecutive_failures == 0
    assert Article.objects.filter(source=good).count() == 2
    assert not Article.objects.filter(source=buggy).exists()
    assert Source.objects.get(pk=buggy.pk).next_fetch_at > buggy.last_fetch_at
