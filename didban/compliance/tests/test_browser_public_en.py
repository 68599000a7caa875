"""In Debian's chromium: the public pages in English — left to right, Gregorian dates."""

from __future__ import annotations

import re

import pytest
from django.conf import settings

from didban.lib.jalali import format_gregorian

from .factories import citizen_report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PERSIAN_DIGIT = re.compile("[۰-۹]")


def gregorian(value, fmt="date") -> str:
    return format_gregorian(value, fmt, tz=settings.TIME_ZONE)


@pytest.fixture
def browser_context_args(browser_context_args):
    """A Persian browser: the citizen chooses English with the switch."""
    return {**browser_context_args, "locale": "fa-IR"}


def test_public_pages_in_english(page, live_server, election, screenshot_dir):
    report = citizen_report(election, text="بنر روی تیر برق")

    page.goto(f"{live_server.url}/compliance/rules/{election.slug}/")
    html = page.locator("html")
    assert html.get_attribute("dir") == "rtl"
    assert "۱۴۰۲/۱۲/۱۱" in page.locator("main").inner_text()  # election day, 2024-03-01

    page.get_by_test_id("switch-en").click()
    page.wait_for_load_state()
    assert html.get_attribute("dir") == "ltr" and html.get_attribute("lang") == "en"
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    assert cookies[settings.LANGUAGE_COOKIE_NAME] == "en"
    assert page.url.endswith(f"/compliance/rules/{election.slug}/")  # back where they were
    main = page.locator("main").inner_text()
    assert gregorian(election.election_day) in main and "2024" in main
    periods = page.get_by_test_id("periods").inner_text()
    for period in election.periods.all():
        assert gregorian(period.starts_at, "datetime") in periods
        assert gregorian(period.ends_at, "datetime") in periods
    assert not PERSIAN_DIGIT.search(periods)
    assert page.get_by_test_id("switch-fa").is_visible()
    # The layout follows: the brand sits on the left in English.
    brand = page.locator(".navbar-brand").bounding_box()
    assert brand["x"] < page.viewport_size["width"] / 2
    page.screenshot(path=screenshot_dir / "compliance-rules-en.png", full_page=True)

    page.get_by_role("link", name="Report a violation").first.click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Report a campaign-advertising violation").is_visible()
    assert page.get_by_label("What did you see?").is_visible()
    assert html.get_attribute("dir") == "ltr"
    page.screenshot(path=screenshot_dir / "compliance-public-form-en.png", full_page=True)

    page.goto(f"{live_server.url}/compliance/status/")
    page.get_by_placeholder("Tracking code").fill(report.tracking_code)
    page.get_by_role("button", name="Look up").click()
    page.wait_for_url(f"**/compliance/status/{report.tracking_code}/")
    status = page.get_by_test_id("public-status").inner_text()
    assert "Received" in status and report.tracking_code in status
    assert gregorian(report.created_at, "datetime") in status, status
    assert not PERSIAN_DIGIT.search(status.replace(election.name, ""))
    page.screenshot(path=screenshot_dir / "compliance-status-en.png", full_page=True)
