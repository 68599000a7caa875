"""In chromium: a supervisor clicks figures of the wall and lands on the lists behind them,
their filters shown as badges that can be removed one at a time."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from didban.command.tests.test_figure_links import _media, activity  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.usefixtures("activity")
def test_clicking_figures_opens_their_lists(page, live_server, world, personas, login,
                                            screenshot_dir):  # fmt: skip
    page.set_viewport_size({"width": 1600, "height": 1000})
    login(page, live_server, personas.county_supervisor)
    page.goto(f"{live_server.url}/command/?org={world.karaj.pk}")
    # Violations reported today: 4 on the wall, 4 rows on the desk.
    today = page.get_by_test_id("violations-today")
    expect(today).to_have_text("۴")
    page.screenshot(path=screenshot_dir / "command-link-wall.png")
    today.click()
    expect(page.get_by_test_id("seen-filter")).to_be_visible()
    expect(page.get_by_test_id("originals-filter")).to_be_visible()
    page.screenshot(path=screenshot_dir / "command-link-desk.png")
    # Remove the «seen» badge: the other filters stay, the day filter goes.
    page.get_by_test_id("seen-filter").locator("xpath=following-sibling::a[1]").click()
    expect(page.get_by_test_id("seen-filter")).to_have_count(0)
    expect(page.get_by_test_id("originals-filter")).to_be_visible()
    assert "seen_from" not in page.url and "originals=1" in page.url
    # Designs on display: 3 on the wall, 3 rows in the placements list.
    page.goto(f"{live_server.url}/command/?org={world.karaj.pk}")
    page.get_by_test_id("on-display").click()
    expect(page.locator("tbody tr")).to_have_count(3)
    expect(page.get_by_test_id("extra-filters")).to_contain_text("طرح‌های در معرض دید")
    page.screenshot(path=screenshot_dir / "command-link-placements.png")
