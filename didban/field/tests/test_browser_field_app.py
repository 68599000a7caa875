"""In Debian's chromium: the field agent works offline; the outbox keeps the check-in (and its
photo) until the server confirms it, survives a reload, and never duplicates a submission."""

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone

from didban.field import actions
from didban.field.models import CheckIn
from didban.field.tests.helpers import approved_design, city, jpeg_bytes, site, window

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

KARAJ = {"latitude": 35.83266, "longitude": 50.99155, "accuracy": 10}


@pytest.fixture
def planned(world, personas):
    editor = personas.county_editor
    today = timezone.localdate()
    win = window(editor, world, starts=today - timedelta(days=3), ends=today + timedelta(days=20))
    placement = actions.do_create_placement(
        actor=editor,
        window=win,
        site=site(editor, world),
        design=approved_design(editor, world.karaj_info),
    )
    actions.do_plan_window(actor=editor, window=win)
    return placement


def new_page(browser, live_server, login, user, **context_args):
    context = browser.new_context(
        geolocation=KARAJ, permissions=["geolocation"], locale="fa-IR", **context_args
    )
    page = context.new_page()
    login(page, live_server, user)
    page.goto(f"{live_server.url}/field/app/")
    page.wait_for_selector("[data-placement]")
    return context, page


def record_installation(page):
    page.locator(".open-checkin").first.click()
    page.select_option("select[name=to_state]", "installed")
    page.wait_for_function("document.querySelector('[data-gps=latitude]').value !== ''")
    page.set_input_files(
        "input[name=photo]",
        files=[
            {
                "name": "install.jpg",
                "mimeType": "image/jpeg",
                "buffer": jpeg_bytes(taken=timezone.localtime().replace(tzinfo=None)),
            }
        ],
    )
    page.locator(".checkin-form button[value=queue]").click()
    page.wait_for_selector("[data-testid=queued-note]")
    page.get_by_test_id("outbox-tab").click()


def outbox_state(page) -> str:
    return page.locator("#outbox li").first.get_attribute("data-state")


def test_offline_checkin_waits_in_the_outbox_and_is_sent_once_online(
    browser, live_server, login, personas, planned, screenshot_dir
):
    context, page = new_page(browser, live_server, login, personas.county_field_agent)
    page.wait_for_function("navigator.serviceWorker && navigator.serviceWorker.controller !== null")
    assert page.locator("html").get_attribute("dir") == "rtl"

    context.set_offline(True)
    page.wait_for_function("document.getElementById('net').dataset.state === 'offline'")
    record_installation(page)
    assert outbox_state(page) == "queued"
    assert "در صف" in page.locator("#outbox").inner_text()
    page.screenshot(path=screenshot_dir / "field-app-offline-outbox.png", full_page=True)

    # Reload while offline: the service worker serves the shell, the outbox is still there.
    page.reload()
    page.wait_for_selector("[data-placement]")
    page.get_by_test_id("outbox-tab").click()
    page.wait_for_selector("#outbox li[data-state]")
    assert outbox_state(page) in ("queued", "failed")
    assert "ارسال شد" not in page.locator("#outbox").inner_text()
    assert page.get_by_test_id("pending").count() == 1
    assert CheckIn.objects.count() == 0

    context.set_offline(False)
    page.wait_for_selector("#outbox li[data-state=sent]", timeout=30000)
    assert CheckIn.objects.count() == 1
    checkin = CheckIn.objects.get()
    assert checkin.to_state == "installed" and checkin.photo and checkin.flags == []
    assert re.search("[۰-۹]", page.locator("#outbox").inner_text())
    page.screenshot(path=screenshot_dir / "field-app-sent.png", full_page=True)
    context.close()


def test_lost_response_is_retried_and_makes_one_row(browser, live_server, login, personas, planned):
    """The server saves the check-in but the answer never reaches the phone; the retry gets
    the first result back (200) and the server still has one row."""
    context, page = new_page(
        browser, live_server, login, personas.county_field_agent, service_workers="block"
    )
    calls = []

    def lose_first_answer(route):
        calls.append(route.request.url)
        if len(calls) == 1:
            route.fetch()  # reaches the server
            route.abort("connectionreset")  # the answer is lost
        else:
            route.continue_()

    page.route("**/api/v1/field/checkins/", lose_first_answer)
    record_installation(page)
    page.wait_for_selector("#outbox li[data-state=sent]", timeout=30000)
    assert len(calls) == 2
    assert CheckIn.objects.count() == 1
    context.close()


def test_server_error_keeps_it_and_retries_with_backoff(
    browser, live_server, login, personas, planned
):
    context, page = new_page(
        browser, live_server, login, personas.county_field_agent, service_workers="block"
    )
    calls = []

    def fail_first(route):
        calls.append(1)
        if len(calls) == 1:
            route.fulfill(status=500, content_type="text/html", body="<h1>Server Error</h1>")
        else:
            route.continue_()

    page.route("**/api/v1/field/checkins/", fail_first)
    record_installation(page)
    page.wait_for_selector("#outbox li[data-state=failed]", timeout=10000)
    assert CheckIn.objects.count() == 0
    assert "HTTP 500" in page.locator("#outbox").inner_text()
    page.wait_for_selector("#outbox li[data-state=sent]", timeout=30000)
    assert len(calls) == 2 and CheckIn.objects.count() == 1
    context.close()


def test_coverage_page_and_library_in_persian(
    page, live_server, login, personas, planned, screenshot_dir
):
    login(page, live_server, personas.county_supervisor)
    page.goto(f"{live_server.url}/field/windows/{planned.window.pk}/coverage/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    table = page.get_by_test_id("coverage-table").inner_text()
    assert "شهر" in table and "۱" in table
    page.wait_for_selector(".leaflet-interactive")  # the site drawn on the blank map
    page.screenshot(path=screenshot_dir / "field-coverage.png", full_page=True)
    page.goto(f"{live_server.url}/field/designs/")
    assert "طرح مشارکت حداکثری" in page.inner_text("body")
    page.screenshot(path=screenshot_dir / "field-designs.png", full_page=True)
    page.goto(f"{live_server.url}/field/windows/{planned.window.pk}/")
    page.screenshot(path=screenshot_dir / "field-board.png", full_page=True)


def test_checkin_and_violation_report_offline_then_one_of_each(
    browser, live_server, login, personas, planned, world, screenshot_dir
):
    """Offline, the agent records an installation with a photo and fills in compliance's real
    violation form (two camera shots, GPS, the place and candidate from the lists the shell
    keeps on the device); both wait in the outbox, are sent once online, and the server holds
    exactly one of each."""
    from django.apps import apps

    if not apps.is_installed("didban.compliance"):
        pytest.skip("compliance is not installed")
    from didban.compliance.models import Candidate, CandidateList, Election, Violation

    election = Election.objects.create(
        org=world.karaj, name="انتخابات مجلس ۱۴۰۲", slug="majlis-1402",
        constituency="کرج", election_day=date(2024, 3, 1),
    )  # fmt: skip
    ours = CandidateList.objects.create(election=election, name="فهرست امید البرز")
    Candidate.objects.create(election=election, name="مریم احمدی", code="۱۲۳", candidate_list=ours)
    candidate = Candidate.objects.create(election=election, name="رضا کریمی", code="۴۵۶")
    town = city(world)  # Karaj city, with coordinates: the nearest place to the GPS fix

    context, page = new_page(
        browser, live_server, login, personas.county_field_agent,
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
    )  # fmt: skip
    page.wait_for_function("navigator.serviceWorker && navigator.serviceWorker.controller !== null")
    context.set_offline(True)
    page.wait_for_function("document.getElementById('net').dataset.state === 'offline'")
    # Offline, the shell and the form's lists come from the device.
    page.reload()
    page.wait_for_selector("[data-placement]")
    record_installation(page)

    page.locator("[data-tab=extra-1]").click()
    form = page.get_by_test_id("violation-form")
    assert form.locator("select[name=candidate] option").count() == 3  # «not known» + two
    page.wait_for_function(
        "document.querySelector('[data-testid=violation-form] [name=latitude]').value !== ''"
    )
    # Two shots from the camera, one at a time: both are kept.
    for color in ((10, 200, 10), (10, 10, 200)):
        form.locator("input[name=photos]").set_input_files(
            files=[{"name": f"shot-{color[1]}.jpg", "mimeType": "image/jpeg",
                    "buffer": jpeg_bytes(color=color)}]
        )  # fmt: skip
    assert form.locator("[data-photo-previews] img").count() == 2
    page.wait_for_function(
        f"document.querySelector('[data-testid=violation-form] [name=place]').value === '{town.pk}'"
    )
    form.locator("select[name=candidate]").select_option(str(candidate.pk))
    form.locator("select[name=rule_category]").select_option("defacing")
    form.locator("textarea[name=description]").fill("پوستر نامزد روی دیوار مدرسه نصب شده است.")
    page.screenshot(path=screenshot_dir / "field-app-violation-form.png", full_page=True)
    form.locator("button[value=queue]").click()
    page.wait_for_selector("[data-testid=queued-note]:not([hidden])")
    assert form.locator("[data-photo-previews] img").count() == 0  # the form is ready for the next

    page.get_by_test_id("outbox-tab").click()
    page.wait_for_function(
        "document.querySelectorAll('#outbox li[data-state=queued]').length === 2"
    )
    assert "گزارش تخلف" in page.locator("#outbox").inner_text()
    page.screenshot(path=screenshot_dir / "field-app-outbox-two.png", full_page=True)
    assert CheckIn.objects.count() == 0 and Violation.objects.count() == 0

    context.set_offline(False)
    page.wait_for_function(
        "document.querySelectorAll('#outbox li[data-state=sent]').length === 2", timeout=30000
    )
    assert CheckIn.objects.count() == 1
    violation = Violation.objects.get()
    assert violation.photos.count() == 2
    assert violation.latitude is not None and violation.accuracy_m == 10
    assert violation.place == town and violation.candidate == candidate
    assert violation.rule_category == "defacing" and violation.election == election
    assert violation.reporter == personas.county_field_agent and violation.client_uuid
    page.screenshot(path=screenshot_dir / "field-app-outbox-sent.png", full_page=True)
    context.close()


def test_violation_tab_says_so_when_there_is_no_election(
    browser, live_server, login, personas, planned
):
    context, page = new_page(
        browser, live_server, login, personas.county_field_agent, service_workers="block"
    )
    page.locator("[data-tab=extra-1]").click()
    assert page.get_by_test_id("violation-no-election").is_visible()
    assert page.get_by_test_id("violation-form").count() == 0
    context.close()
