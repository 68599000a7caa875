"""In Debian's chromium: the command room shows a publication within 2 seconds, without reload."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from didban.command.tests.conftest import figure

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_published_item_appears_on_the_wall_within_two_seconds(
    page, live_server, world, personas, login, screenshot_dir, hour
):
    from didban.newsroom.actions import do_create_item, do_publish_item, do_submit_item

    figure(world.karaj_info, "production.news", 12, hour)
    figure(world.karaj_info, "production.video", 3, hour)
    figure(world.karaj, "now.violations.open", 4, hour)
    figure(world.karaj, "now.field.on_display", 97, hour)
    page.set_viewport_size({"width": 1920, "height": 1080})
    login(page, live_server, personas.county_supervisor)
    page.goto(f"{live_server.url}/command/")
    expect(page.get_by_test_id("live-status")).to_have_text("زنده", timeout=10000)
    assert page.get_by_test_id("production-day").inner_text() == "۱۵"

    item = do_create_item(
        actor=personas.county_editor, org=world.karaj_info, title="افتتاح ستاد اطلاع‌رسانی کرج"
    )
    do_submit_item(actor=personas.county_editor, item=item)
    do_publish_item(actor=personas.county_editor, item=item)

    entry = page.get_by_test_id("feed").locator(".feed-item", has_text="افتتاح ستاد اطلاع‌رسانی کرج")
    expect(entry).to_be_visible(timeout=2000)
    expect(entry).to_contain_text("محتوا منتشر شد")
    page.screenshot(path=screenshot_dir / "command-wall-light.png")
    page.get_by_role("button", name="تیره / روشن").click()
    page.evaluate("document.body.classList.add('wall')")
    page.screenshot(path=screenshot_dir / "command-wall-dark.png")
    page.close()


def test_outsider_does_not_see_karaj_events_live(page, live_server, world, personas, login):
    from django.db import transaction

    from didban.core import audit

    login(page, live_server, personas.outsider)
    page.goto(f"{live_server.url}/command/")
    expect(page.get_by_test_id("live-status")).to_have_text("زنده", timeout=10000)
    with transaction.atomic():
        audit.record(actor="test", verb="item.publish", org=world.karaj_info, object_repr="خبر کرج")
        audit.record(
            actor="test", verb="item.publish", org=world.fardis_info, object_repr="خبر فردیس"
        )
    expect(page.get_by_test_id("feed").locator(".feed-item", has_text="خبر فردیس")).to_be_visible(
        timeout=2000
    )
    assert page.get_by_test_id("feed").locator(".feed-item", has_text="خبر کرج").count() == 0
    page.close()
