"""In Debian's chromium: the audience growth chart is drawn with the samples, on the targets page
and on the screen."""

from __future__ import annotations

from datetime import timedelta

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_growth_chart_is_drawn_with_the_samples(page, live_server, world, personas, login,
                                                screenshot_dir):  # fmt: skip
    from django.utils import timezone

    from didban.command.actions import do_record_audience

    now = timezone.now()
    for days, members in ((20, 1000), (10, 1600), (0, 2500)):
        do_record_audience(
            actor=personas.county_supervisor, org=world.karaj, channel_id=7,
            channel_name="ایتا کرج", channel_kind="eitaa", members=members,
            at=now - timedelta(days=days),
        )  # fmt: skip
    login(page, live_server, personas.county_supervisor)
    drawn = "() => { const c = Chart.getChart(document.getElementById('audience-chart'));" \
            " return c ? c.data.datasets.map(d => [d.label, d.data.filter(v => v !== null)]) : null; }"  # fmt: skip
    for path in (f"/command/targets/?org={world.karaj.pk}", f"/command/?org={world.karaj.pk}"):
        page.goto(f"{live_server.url}{path}")
        page.wait_for_function(
            "() => window.Chart && Chart.getChart(document.getElementById('audience-chart'))"
        )
        assert page.evaluate(drawn) == [["ایتا کرج", [1000, 1600, 2500]]]
        box = page.locator("#audience-chart").bounding_box()
        assert box["width"] > 200 and box["height"] > 80
    page.goto(f"{live_server.url}/command/targets/?org={world.karaj.pk}")
    page.wait_for_function(
        "() => window.Chart && Chart.getChart(document.getElementById('audience-chart'))"
    )
    page.screenshot(path=screenshot_dir / "command-targets-audiences.png", full_page=True)
    page.close()
