"""In Debian's chromium: an analyst narrows a search with the form's fields — a source from the
select, a place chosen with the place picker — and the results follow."""

import pytest
from django.utils import timezone

from didban.monitoring.actions import do_create_outlet, do_ingest_entries
from didban.monitoring.extract import Entry
from didban.monitoring.models import Source

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_analyst_narrows_a_search_by_source_and_place(
    page, live_server, world, personas, login, screenshot_dir, make_source
):
    analyst = personas.county_analyst
    agency = make_source("/agency", kind="local", name="منبع خبرگزاری")
    Source.objects.filter(pk=agency.pk).update(place=world.karaj_place)
    channel_outlet = do_create_outlet(
        actor=analyst, org=world.karaj_info, name="کانال محلی", kind="channel"
    )
    channel = make_source("/channel", kind="local", name="منبع کانال", outlet=channel_outlet)
    now = timezone.now()
    for source, n, title in ((agency, 1, "مشارکت در کرج"), (channel, 2, "مشارکت جوانان")):
        do_ingest_entries(actor=None, source=source, entries=[Entry(
            url=f"http://x.ir/{n}", title=title, published_at=now,
            text=f"{title}: مشارکت مردم در انتخابات با حضور پرشور ادامه دارد. " * 3,
        )])  # fmt: skip

    def titles() -> set[str]:
        return set(page.locator("#results a.fw-semibold").all_inner_texts())

    login(page, live_server, analyst)
    page.goto(f"{live_server.url}/monitoring/articles/?q=مشارکت")
    assert titles() == {"مشارکت در کرج", "مشارکت جوانان"}
    page.select_option("#id_source", str(channel.pk))
    page.locator("[data-testid=search-form] button.btn-primary").click()
    page.wait_for_url("**source=*")
    assert titles() == {"مشارکت جوانان"}
    # Back to every source, then the place: Karaj, chosen in the picker.
    page.select_option("#id_source", "")
    page.fill("#picker-q-place", "کرج")
    option = page.locator("#picker-results-place [data-pick-id]").first
    option.wait_for()
    option.click()
    page.locator("[data-testid=search-form] button.btn-primary").click()
    page.wait_for_url("**place=*")
    assert titles() == {"مشارکت در کرج"}
    assert page.input_value("#id_q") == "مشارکت"
    page.screenshot(path=screenshot_dir / "monitoring-search-filters.png", full_page=True)
