"""In Debian's chromium: an analyst opens a source from the sources page, types an address
that does not suit its kind (a Persian error, the typed value kept), corrects it with a place
from the picker, and finds the silent source under "sources with problems"."""

from datetime import timedelta

import pytest
from django.utils import timezone

from didban.monitoring.models import Source

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_analyst_edits_a_source_and_filters_the_problems(
    page, live_server, world, personas, login, screenshot_dir, make_source
):
    source = make_source("https://www.irna.ir/rss", name="ایرنا")
    quiet = timezone.now() - timedelta(days=3)
    silent = make_source("https://www.isna.ir/rss", name="ایسنا")
    Source.objects.filter(pk=silent.pk).update(
        is_silent=True, silent_since=quiet, last_success_at=quiet
    )
    login(page, live_server, personas.county_analyst)
    page.goto(f"{live_server.url}/monitoring/sources/")
    page.locator(f"a[href='/monitoring/sources/{source.pk}/']").click()
    page.wait_for_load_state()
    page.fill("#id_url", "https://t.me/s/irna_alborz")
    page.fill("#id_silent_hours", "12")
    page.get_by_test_id("source-form").locator("button.btn-primary").click()
    page.wait_for_load_state()
    assert "پیش‌نمایش عمومی کانال" in page.content()
    assert page.input_value("#id_url") == "https://t.me/s/irna_alborz"
    page.screenshot(path=screenshot_dir / "monitoring-source-edit-error.png", full_page=True)
    page.select_option("#id_kind", "channel_preview")
    page.fill("#picker-q-place", "کرج")
    page.locator("#picker-results-place button, #picker-results-place a").first.click()
    page.get_by_test_id("source-form").locator("button.btn-primary").click()
    page.wait_for_url(f"{live_server.url}/monitoring/sources/")
    source.refresh_from_db()
    assert (source.kind, source.url, source.silent_hours) == (
        "channel_preview",
        "https://t.me/s/irna_alborz",
        12,
    )
    assert source.place is not None
    page.goto(f"{live_server.url}/monitoring/sources/?problems=1")
    rows = page.get_by_test_id("sources").locator("tbody tr")
    assert rows.count() == 1 and "ایسنا" in rows.first.inner_text()
    assert "خاموشی طولانی" in rows.first.inner_text()
    page.screenshot(path=screenshot_dir / "monitoring-sources-problems.png", full_page=True)
