"""In Debian's chromium: a citizen reports a violation with a photo, the county desk refers it.

The captcha's answer lives only in the server-side session; the test reads it the way the
server does — from the session store, by the session cookie the browser holds.
"""

from __future__ import annotations

import re
from datetime import timedelta
from importlib import import_module

import jdatetime
import pytest
from django.conf import settings
from django.utils import timezone
from PIL import Image

from didban.compliance.captcha import SESSION_KEY
from didban.compliance.models import Violation
from didban.lib.persian import to_ascii_digits

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PERSIAN_DIGIT = re.compile("[۰-۹]")
JALALI_DATE = re.compile("[۰-۹]{4}/[۰-۹]{2}/[۰-۹]{2}")


@pytest.fixture
def browser_context_args(browser_context_args):
    """A citizen's phone set to Persian (the language follows Accept-Language before login)."""
    return {**browser_context_args, "locale": "fa-IR", "viewport": {"width": 1280, "height": 900}}


def captcha_answer(context) -> str:
    """The answer of the browser's current challenge, read from its server-side session."""
    cookies = {c["name"]: c["value"] for c in context.cookies()}
    session_key = cookies[settings.SESSION_COOKIE_NAME]
    store = import_module(settings.SESSION_ENGINE).SessionStore(session_key)
    return str(store.load()[SESSION_KEY]["answer"])


def make_jpeg(path):
    image = Image.new("RGB", (320, 240), (30, 110, 200))
    for x in range(40, 280):  # a "poster": a red block, so the stored photo is not blank
        for y in range(60, 180):
            image.putpixel((x, y), (200, 30, 30))
    image.save(path, "JPEG", quality=85)
    return path


def persian_jalali(day) -> str:
    text = jdatetime.date.fromgregorian(date=day).strftime("%Y/%m/%d")
    return text.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))


def test_citizen_reports_with_a_photo_and_the_county_refers_it(
    page, browser, live_server, election, candidates, personas, login, screenshot_dir, tmp_path
):
    # The citizen, not logged in, in Persian.
    page.goto(f"{live_server.url}/compliance/report-public/")
    html = page.locator("html")
    assert html.get_attribute("dir") == "rtl" and html.get_attribute("lang") == "fa"
    form = page.get_by_test_id("public-report-form")
    assert form.is_visible()
    # The captcha image is drawn from the session's challenge.
    assert page.get_by_test_id("captcha-image").evaluate("img => img.naturalWidth") > 50

    page.fill("#id_description", "پوستر بزرگ نامزد روی دیوار مدرسه شهید بهشتی چسبانده شده است")
    page.select_option("#id_rule_category", "public_property")
    page.select_option("#id_candidate", str(candidates[0].pk))
    page.fill("#id_address", "کرج، عظیمیه، خیابان مطهری")
    page.set_input_files("#id_photos", str(make_jpeg(tmp_path / "poster.jpg")))
    page.fill("#id_captcha", captcha_answer(page.context))
    page.screenshot(path=screenshot_dir / "compliance-public-form.png", full_page=True)
    page.get_by_role("button", name="ارسال گزارش").click()
    page.wait_for_url("**/report-public/done/")

    code_box = page.get_by_test_id("tracking-code")
    code = code_box.get_attribute("data-code")
    assert code and PERSIAN_DIGIT.search(code_box.inner_text())
    assert to_ascii_digits(code_box.inner_text()).strip() == code
    page.screenshot(path=screenshot_dir / "compliance-public-done.png", full_page=True)

    violation = Violation.objects.get(tracking_code=code)
    assert violation.source == Violation.Source.CITIZEN and violation.reporter is None
    assert violation.citizen_name == "" and violation.candidate == candidates[0]
    assert violation.photos.count() == 1

    page.get_by_role("link", name="دیدن وضعیت").click()
    status = page.get_by_test_id("public-status")
    assert status.locator("[data-status]").get_attribute("data-status") == "received"
    assert JALALI_DATE.search(status.inner_text())
    assert "عظیمیه" not in status.inner_text()  # only the status is public

    # The county supervisor works the report on the desk.
    desk_context = browser.new_context(locale="fa-IR", viewport={"width": 1366, "height": 900})
    staff = desk_context.new_page()
    login(staff, live_server, personas.county_supervisor)
    staff.goto(f"{live_server.url}/compliance/")
    row = staff.locator(f'[data-testid="violation-row"][data-id="{violation.pk}"]')
    assert row.is_visible()
    assert "پوستر بزرگ نامزد" in row.inner_text()
    staff.screenshot(path=screenshot_dir / "compliance-desk.png", full_page=True)

    row.get_by_role("link", name=re.compile(".")).first.click()
    staff.wait_for_url(f"**/compliance/violations/{violation.pk}/")
    case = staff.get_by_test_id("case")
    # A supervisor sees who reported: here, nobody named.
    assert staff.get_by_test_id("reporter").inner_text().strip() == "بی‌نام"
    assert staff.locator("img[alt='عکس']").count() == 1

    case.get_by_role("button", name="برداشتن").click()
    lock = staff.get_by_test_id("lock")
    lock.filter(has_text=str(personas.county_supervisor)).wait_for()

    def act(action, **fields):
        staff.select_option("#t-action", action)
        for selector, value in fields.items():
            if value.startswith("select:"):
                staff.select_option(f"#id_{selector}", value.removeprefix("select:"))
            else:
                staff.fill(f"#id_{selector}", value)
        staff.get_by_test_id("apply").click()

    act("categorise", category="select:public_property")
    staff.locator('[data-testid="status"][data-status="categorised"]').wait_for()
    act("verify")
    staff.locator('[data-testid="status"][data-status="verified"]').wait_for()

    deadline_day = timezone.localdate() + timedelta(days=5)
    act("refer", board="select:supervisory", deadline=persian_jalali(deadline_day))
    staff.locator('[data-testid="status"][data-status="referred"]').wait_for()
    case_text = staff.get_by_test_id("case").inner_text()
    assert "هیئت نظارت" in case_text
    assert persian_jalali(deadline_day) in case_text
    # The history follows each step without a reload, in Persian.
    history = staff.get_by_test_id("history")
    history.locator('[data-verb="refer"]').wait_for()
    assert [li.get_attribute("data-verb") for li in history.locator("li").all()] == [
        "received", "take", "categorise", "verify", "refer",
    ]  # fmt: skip
    assert "ارجاع‌شده" in history.locator('[data-verb="refer"]').inner_text()
    assert "refer" not in history.inner_text()
    staff.screenshot(path=screenshot_dir / "compliance-detail.png", full_page=True)

    violation.refresh_from_db()
    assert violation.status == Violation.Status.REFERRED
    assert violation.referred_to == Violation.Board.SUPERVISORY
    assert violation.rule_category == "public_property"
    assert violation.handler == personas.county_supervisor
    assert (
        timezone.localtime(violation.referral_deadline).date() == deadline_day
        and timezone.localtime(violation.referral_deadline).hour == 0
    )
    assert list(violation.events.values_list("verb", flat=True).order_by("pk"))[-3:] == [
        "categorise",
        "verify",
        "refer",
    ]
    desk_context.close()

    # The citizen's status page now says "referred".
    page.reload()
    status = page.get_by_test_id("public-status")
    assert status.locator("[data-status]").get_attribute("data-status") == "referred"
    assert "ارجاع" in status.inner_text()
