"""In Debian's chromium: a supervisor adds a daily report schedule on its page and pauses it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_supervisor_adds_and_pauses_a_schedule(page, live_server, world, personas, login,
                                               make_chat, screenshot_dir):  # fmt: skip
    from didban.command.models import ReportSchedule

    chat = make_chat(world.karaj, "bale", name="کانال بله ستاد کرج")
    login(page, live_server, personas.county_supervisor)
    page.goto(f"{live_server.url}/command/reports/")
    page.get_by_role("link", name="برنامه‌های گزارش").click()
    page.get_by_label("بازه").select_option("daily")
    page.get_by_label("گیرندگان ایمیل").fill("governor@example.org\nnot-an-address")
    page.get_by_label("کانال پیام‌رسان").select_option(str(chat.pk))
    page.get_by_role("button", name="ذخیره").click()
    expect(page.get_by_text("not-an-address نشانی ایمیل نیست.")).to_be_visible()
    page.get_by_label("گیرندگان ایمیل").fill("governor@example.org")
    page.get_by_role("button", name="ذخیره").click()
    row = page.get_by_test_id("schedules").locator("tbody tr").first
    expect(row).to_contain_text("governor@example.org")
    expect(row).to_contain_text("کانال بله ستاد کرج")
    expect(row).to_contain_text("در حال اجرا")
    row.get_by_role("button", name="توقف").click()
    expect(page.get_by_test_id("schedules").locator("tbody tr").first).to_contain_text("متوقف")
    assert ReportSchedule.objects.get().enabled is False
    page.screenshot(path=screenshot_dir / "command-schedules.png", full_page=True)
    page.close()
