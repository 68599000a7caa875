"""In Debian's chromium: an analyst writes a topic rule (an error first), fetches a source,
and confirms a hit with a tone in the filtering queue."""

import pytest

from didban.monitoring.models import TopicHit
from didban.monitoring.tests.fakesite import rss

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_analyst_writes_a_rule_sees_hits_and_confirms_one(
    page, live_server, world, personas, login, screenshot_dir, make_source, tmp_path
):
    feed = tmp_path / "feed.xml"
    feed.write_bytes(rss([
        {"title": "شایعه تعویق انتخابات در کرج تکذیب شد", "link": "http://x.ir/1",
         "date": "Mon, 26 Feb 2024 10:00:00 GMT",
         "summary": "ستاد انتخابات کرج شايعه تعويق انتخابات را تكذيب كرد و گفت رأی‌گیری طبق برنامه است."},
        {"title": "مسابقه فوتبال", "link": "http://x.ir/2", "date": "Mon, 26 Feb 2024 11:00:00 GMT",
         "summary": "تیم فوتبال کرج پیروز شد."},
    ]))  # fmt: skip
    source = make_source(str(feed), kind="local", name="بایگانی آزمایشی")
    login(page, live_server, personas.county_analyst)
    page.goto(f"{live_server.url}/monitoring/topics/new/")
    page.fill("#id_name", "شایعه")
    page.fill("#id_rule", "(شایعه OR تکذیب")
    error = page.get_by_test_id("rule-error")
    error.wait_for()
    assert "ستون" in error.inner_text() or "column" in error.inner_text()
    page.screenshot(path=screenshot_dir / "monitoring-rule-error.png", full_page=True)
    page.fill("#id_rule", "(شایعه OR تکذیب*) AND کرج")
    page.get_by_test_id("rule-ok").wait_for()
    page.get_by_test_id("save-topic").click()
    page.wait_for_load_state()
    assert "/monitoring/topics/" in page.url

    page.goto(f"{live_server.url}/monitoring/sources/")
    page.locator(f"form[action='/monitoring/sources/{source.pk}/fetch/'] button").click()
    page.wait_for_load_state()
    page.get_by_test_id("nav-queue").click()
    page.wait_for_load_state()
    hits = page.get_by_test_id("hit")
    assert hits.count() == 1
    assert "تکذیب" in hits.first.inner_text()
    hits.first.locator("select[name=tone]").select_option("negative")
    hits.first.get_by_test_id("confirm").click()
    page.get_by_test_id("hit-tone").wait_for()
    page.screenshot(path=screenshot_dir / "monitoring-queue.png", full_page=True)
    hit = TopicHit.objects.get()
    assert (hit.state, hit.tone, hit.reviewer) == ("confirmed", "negative", personas.county_analyst)
