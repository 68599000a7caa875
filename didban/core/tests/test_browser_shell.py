"""In Debian's chromium: the Persian RTL shell, Jalali dates, and the switch to English."""

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PERSIAN_DIGIT = re.compile("[۰-۹]")
JALALI_DATE = re.compile("[۰-۹]{4}/[۰-۹]{2}/[۰-۹]{2}")


def test_editor_sees_rtl_persian_then_switches_to_english(
    page, live_server, world, personas, login, screenshot_dir
):
    login(page, live_server, personas.county_editor)
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("html").get_attribute("lang") == "fa"
    clock = page.get_by_test_id("clock").inner_text()
    assert JALALI_DATE.search(clock), clock
    assert "کمیته اطلاع‌رسانی کرج" in page.get_by_test_id("home-org").inner_text()
    font = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert "Vazirmatn" in font
    page.screenshot(path=screenshot_dir / "shell-fa.png", full_page=True)

    page.get_by_test_id("switch-en").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("dir") == "ltr"
    assert page.locator("html").get_attribute("lang") == "en"
    assert not PERSIAN_DIGIT.search(page.get_by_test_id("clock").inner_text())
    page.screenshot(path=screenshot_dir / "shell-en.png", full_page=True)

    # The choice is the user's own: it survives a new session.
    personas.county_editor.refresh_from_db()
    assert personas.county_editor.language == "en"
