"""Every figure on the screen that links to a list links to the list behind it, filtered the
same way: following the link shows as many rows as the figure says."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from didban.command.rollup import run_rollup
from didban.command.tests.conftest import raw_item

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def activity(world, personas, make_chat):
    """Today's and this week's raw rows of Karaj and, to be left out, of Fardis."""
    from didban.command.queries import day_start
    from didban.compliance.models import Election, Violation
    from didban.monitoring.models import Article, Outlet, Pickup, Source
    from didban.publishing.models import Delivery

    now = timezone.now()
    today = day_start(now)
    editor = personas.county_editor
    items = []
    for org, kind, at in [
        (world.karaj_info, "news", now - timedelta(minutes=5)),
        (world.karaj_info, "news", today + timedelta(minutes=1)),
        (world.karaj, "video", now - timedelta(minutes=1)),
        (world.karaj_info, "news", today - timedelta(days=1, minutes=-3)),  # yesterday
        (world.fardis_info, "news", now - timedelta(minutes=2)),
    ]:
        items.append(raw_item(org, editor, kind=kind, published_at=min(at, now)))
    bale = make_chat(world.karaj, "bale", name="بله کرج")
    telegram = make_chat(world.karaj, "telegram", name="تلگرام کرج", target="@k")
    fardis = make_chat(world.fardis, "bale", name="بله فردیس", target="@f")
    for item, channel, status in [
        (items[0], bale, "sent"), (items[1], bale, "sent"), (items[2], bale, "failed"),
        (items[0], telegram, "sent"), (items[4], fardis, "sent"),
    ]:  # fmt: skip
        Delivery.objects.create(
            org=item.org, item=item, channel=channel, status=status, queued_at=now,
            sent_at=now - timedelta(minutes=1) if status == "sent" else None,
        )  # fmt: skip
    election = Election.objects.create(
        org=world.alborz, name="انتخابات", slug="links", election_day=now.date()
    )
    for n, (org, status, deadline) in enumerate([
        (world.karaj, "received", None), (world.karaj, "referred", now - timedelta(days=1)),
        (world.karaj, "referred", now + timedelta(days=1)), (world.karaj, "resolved", None),
        (world.fardis, "received", None),
    ]):  # fmt: skip
        Violation.objects.create(
            org=org, election=election, tracking_code=f"9{n:08d}", status=status,
            observed_at=now - timedelta(hours=2), referral_deadline=deadline, source="field",
        )  # fmt: skip
    outlet = Outlet.objects.create(org=world.karaj, name="خبرگزاری", website="https://x.ir")
    source = Source.objects.create(org=world.karaj, outlet=outlet, name="rss", url="https://x.ir/r")
    for n, item in enumerate(items[:2]):
        article = Article.objects.create(
            org=world.karaj, source=source, outlet=outlet, url=f"https://x.ir/{n}",
            url_key=f"x.ir/{n}", title="بازنشر", published_at=now, text="",
        )  # fmt: skip
        Pickup.objects.create(
            org=world.karaj, item_id=item.pk, item_published_at=item.published_at,
            article=article, delay_seconds=60, similarity=0.9,
        )  # fmt: skip
    run_rollup()


def figures_with_links(context):
    """(what, figure, link) of every linked figure on the screen."""
    found = []
    for card in context["production"]:
        found += [(card["key"], card["value"], card["link"]),
                  (card["key"] + " week", card["week"], card["week_link"])]  # fmt: skip
    for card in context["deliveries"]:
        found += [(card["key"], card["value"], card["link"]),
                  (f"delivery.failed.{card['kind']}", card["failed"], card["failed_link"])]  # fmt: skip
    for card in [*context["monitoring"], *context["field_today"], *context["levels"].values()]:
        found.append((card["key"], card["value"], card["link"]))
    return found


@pytest.mark.parametrize("persona", ["county_supervisor", "province_supervisor"])
def test_each_linked_figure_equals_the_rows_of_its_list(client_for, personas, world, activity,
                                                        persona):  # fmt: skip
    user = getattr(personas, persona)
    client = client_for(user)
    org = world.karaj
    screen = client.get("/command/", {"org": org.pk})
    assert screen.status_code == 200
    linked = [(what, value, link) for what, value, link in figures_with_links(screen.context)
              if link]  # fmt: skip
    checked = {what for what, _v, _l in linked}
    # The figures whose lists exist are all linked.
    assert {"production.news", "production.news week", "production.video",
            "delivery.sent.bale", "delivery.failed.bale", "delivery.sent.telegram",
            "monitoring.pickups", "now.violations.open", "now.violations.overdue"} <= checked  # fmt: skip
    seen = {}
    for what, value, link in linked:
        page = client.get(link)
        assert page.status_code == 200, (what, link)
        seen[what] = (value, page.context["page"].paginator.count)
    assert {k: v for k, (v, _n) in seen.items()} == {k: n for k, (_v, n) in seen.items()}, seen
    # And the figures are the expected ones (the test data above), not zeros on both sides.
    assert {k: v for k, (v, _n) in seen.items() if v} == {
        "production.news": 2, "production.news week": seen["production.news week"][0],
        "production.video": 1, "production.video week": 1,
        "delivery.sent.bale": 2, "delivery.failed.bale": 1, "delivery.sent.telegram": 1,
        "monitoring.pickups": 2, "now.violations.open": 3, "now.violations.overdue": 1,
    }  # fmt: skip
    assert seen["production.news week"][0] >= 2
    # Figures without a list filtered the same way carry no link rather than a wrong one.
    unlinked = {what for what, _v, link in figures_with_links(screen.context) if not link}
    assert unlinked <= {"monitoring.hits", "now.field.on_display", "now.field.sites_covered",
                        "now.field.planned", "field.installed", "field.verified",
                        "field.damaged", "field.removed", "violations.reported"}  # fmt: skip


def test_the_list_behind_a_figure_is_scoped(client_for, personas, world, activity):
    """The outsider following Karaj's link sees Fardis's rows only, never Karaj's."""
    karaj = client_for(personas.county_supervisor).get("/command/", {"org": world.karaj.pk})
    link = next(c["link"] for c in karaj.context["production"] if c["key"] == "production.news")
    outsider = client_for(personas.outsider).get(link)
    assert outsider.status_code == 200
    assert all(item.org.path.startswith(world.fardis.path) for item in outsider.context["page"])
