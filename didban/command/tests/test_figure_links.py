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
            observed_at=max(now - timedelta(hours=2), today), referral_deadline=deadline,
            source="field",
        )  # fmt: skip
    original = Violation.objects.filter(org=world.karaj).first()
    for n, (observed, duplicate) in enumerate(
        [(today, original), (today - timedelta(hours=3), None)]
    ):
        # A duplicate seen today and one seen yesterday (received today): not reported today.
        Violation.objects.create(
            org=world.karaj, election=election, tracking_code=f"8{n:08d}", status="dismissed",
            observed_at=observed, duplicate_of=duplicate, source="field",
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
    _more_activity(world, personas, now, today, items, outlet, source)
    run_rollup()


def _more_activity(world, personas, now, today, items, outlet, source):
    """Items published today and retracted or corrected since, topic hits, display placements
    and check-ins."""
    import uuid

    from didban.field.models import CheckIn, Design, Placement, Site, Window
    from didban.monitoring.models import Article, Topic, TopicHit

    editor = personas.county_editor
    for kind, status in [("news", "retracted"), ("video", "corrected")]:
        item = raw_item(
            world.karaj_info, editor, kind=kind, published_at=max(today, now - timedelta(minutes=9))
        )
        item.status = status
        item.save(update_fields=["status"])
    topic = Topic.objects.create(org=world.karaj, name="مشارکت", rule="مشارکت")
    f_topic = Topic.objects.create(org=world.fardis, name="مشارکت فردیس", rule="مشارکت")
    for n, (org, state, t) in enumerate([
        (world.karaj, "new", topic), (world.karaj_info, "confirmed", topic),
        (world.fardis, "new", f_topic),
    ]):  # fmt: skip
        article = Article.objects.create(
            org=world.karaj, source=source, outlet=outlet, url=f"https://x.ir/h{n}",
            url_key=f"x.ir/h{n}", title="مشارکت", published_at=now, text="",
        )  # fmt: skip
        TopicHit.objects.create(org=org, topic=t, article=article, hour=now, state=state)
    design = Design.objects.create(org=world.karaj, title="طرح", status="approved")
    other = Design.objects.create(org=world.karaj, title="طرح دوم", status="approved")
    day = today.astimezone(timezone.get_current_timezone()).date()
    running = Window.objects.create(org=world.karaj, name="جاری", starts_on=day - timedelta(days=1),
                                    ends_on=day + timedelta(days=5))  # fmt: skip
    ended = Window.objects.create(org=world.karaj, name="گذشته", starts_on=day - timedelta(days=9),
                                  ends_on=day - timedelta(days=1))  # fmt: skip
    f_window = Window.objects.create(org=world.fardis, name="فردیس", starts_on=day,
                                     ends_on=day + timedelta(days=5))  # fmt: skip
    sites = [Site.objects.create(org=world.karaj_info, name=f"تابلو {n}", kind="billboard",
                                 place=world.karaj_place) for n in range(3)]  # fmt: skip
    f_site = Site.objects.create(org=world.fardis, name="تابلو فردیس", kind="billboard",
                                 place=world.fardis_place)  # fmt: skip
    placements = [
        Placement.objects.create(org=org, window=window, site=site, design=art, state=state)
        for org, window, site, art, state in [
            (world.karaj_info, running, sites[0], design, "installed"),
            (world.karaj_info, running, sites[1], design, "verified"),
            (world.karaj, running, sites[2], design, "planned"),
            (world.karaj_info, running, sites[0], other, "replaced"),
            (world.karaj_info, running, sites[1], other, "installed"),  # a second design there
            (world.karaj_info, ended, sites[2], design, "installed"),  # a window that has ended
            (world.fardis, f_window, f_site, design, "installed"),
        ]
    ]
    agent = personas.county_field_agent
    for placement, state, at in [
        (placements[0], "installed", now - timedelta(minutes=3)),
        (placements[1], "installed", now - timedelta(minutes=50)),
        (placements[1], "verified", now - timedelta(minutes=4)),
        (placements[4], "installed", today - timedelta(hours=2)),  # yesterday
        (placements[6], "installed", now - timedelta(minutes=2)),  # Fardis
    ]:
        CheckIn.objects.create(
            client_uuid=uuid.uuid4(), content_hash=uuid.uuid4().hex, placement=placement,
            org=placement.org, agent=agent, from_state="planned", to_state=state,
            client_time=at if at < today else max(at, today),
        )  # fmt: skip


def figures_with_links(context):
    """(what, figure, link) of every figure on the screen that stands for a list of rows."""
    found = [("production today", context["production_day"], context["production_day_link"]),
             ("production week", context["production_week"], context["production_week_link"])]  # fmt: skip
    for card in context["production"]:
        found += [(card["key"], card["value"], card["link"]),
                  (card["key"] + " week", card["week"], card["week_link"])]  # fmt: skip
    for card in context["deliveries"]:
        found += [(card["key"], card["value"], card["link"]),
                  (f"delivery.failed.{card['kind']}", card["failed"], card["failed_link"])]  # fmt: skip
    for card in [*context["monitoring"], *context["field_today"], *context["violations_today"],
                 *context["levels"].values()]:  # fmt: skip
        found.append((card["key"], card["value"], card["link"]))
    return found


# Today's figures of the activity above for Karaj (its subtree), Fardis's rows left out.
EXPECTED = {
    "production today": 5, "production.news": 3, "production.video": 2,
    "production.video week": 2,
    "delivery.sent.bale": 2, "delivery.failed.bale": 1, "delivery.sent.telegram": 1,
    "monitoring.pickups": 2, "monitoring.hits": 2,
    "field.installed": 2, "field.verified": 1,
    "now.field.on_display": 3, "now.field.sites_covered": 2, "now.field.planned": 4,
    "violations.reported": 4, "now.violations.open": 3, "now.violations.overdue": 1,
}  # fmt: skip


@pytest.mark.parametrize("persona", ["county_supervisor", "province_supervisor"])
def test_each_figure_links_to_a_list_of_as_many_rows(client_for, personas, world, activity,
                                                     persona):  # fmt: skip
    client = client_for(getattr(personas, persona))
    screen = client.get("/command/", {"org": world.karaj.pk})
    assert screen.status_code == 200
    figures = figures_with_links(screen.context)
    # No figure on the screen is without its list for a supervisor (who may open every list).
    assert [what for what, _v, link in figures if not link] == []
    seen = {}
    for what, value, link in figures:
        page = client.get(link)
        assert page.status_code == 200, (what, link)
        seen[what] = (value, page.context["page"].paginator.count)
    assert {k: v for k, (v, _n) in seen.items()} == {k: n for k, (_v, n) in seen.items()}, seen
    # And the figures are the expected ones (the test data above), not zeros on both sides.
    values = {k: v for k, (v, _n) in seen.items()}
    assert {k: values[k] for k in EXPECTED} == EXPECTED
    # The week holds at least today (and yesterday's item when the week began before today).
    assert values["production week"] >= 5 and values["production.news week"] >= 3
    # A figure with nothing behind it still links, to an empty list.
    assert values["now.field.planned"] and all(link for _w, _v, link in figures)


def test_the_production_list_shows_retracted_and_corrected_items(client_for, personas, world,
                                                                 activity):  # fmt: skip
    """The figure counts items published today whatever they became since; so does the list,
    and it says so in a removable badge."""
    client = client_for(personas.county_supervisor)
    screen = client.get("/command/", {"org": world.karaj.pk})
    link = screen.context["production_day_link"]
    page = client.get(link)
    count = page.context["page"].paginator.count
    assert count == screen.context["production_day"] == 5
    statuses = sorted(item.status for item in page.context["page"])
    assert statuses.count("retracted") == 1 and statuses.count("corrected") == 1
    html = page.content.decode()
    assert 'data-testid="published-filter"' in html and 'data-testid="org-filter"' in html
    # The list of items published *now* (what the link used to show) is two short: the
    # retracted and the corrected item.
    now_published = client.get(link.replace("published=1", "status=published"))
    assert now_published.context["page"].paginator.count == count - 2


def test_the_lists_show_their_filters_as_removable_badges(client_for, personas, world, activity):
    client = client_for(personas.county_supervisor)
    screen = client.get("/command/", {"org": world.karaj.pk})
    links = {what: link for what, _v, link in figures_with_links(screen.context)}
    for what in ("monitoring.hits", "violations.reported", "field.installed",
                 "now.field.on_display"):  # fmt: skip
        html = client.get(links[what]).content.decode()
        assert 'data-testid="extra-filters"' in html, what
        assert "bi-x-lg" in html, what  # each badge has its remove link


def test_a_reader_gets_links_only_to_lists_they_may_open(client_for, personas, world, activity):
    """A viewer may watch the wall but not open the publishing queue or the filtering queue:
    those figures show without a link; every link they do get opens."""
    client = client_for(personas.county_viewer)
    screen = client.get("/command/", {"org": world.karaj.pk})
    figures = figures_with_links(screen.context)
    unlinked = {what for what, _v, link in figures if not link}
    assert unlinked == {"delivery.sent.bale", "delivery.failed.bale", "delivery.sent.telegram",
                        "delivery.failed.telegram", "monitoring.hits"}  # fmt: skip
    for what, _value, link in figures:
        if link:
            assert client.get(link).status_code == 200, what


def test_the_list_behind_a_figure_is_scoped(client_for, personas, world, activity):
    """The outsider (an editor of Fardis) following any of Karaj's links sees Fardis's rows
    only, never Karaj's — or is refused where the list is not for an editor (the filtering
    queue)."""
    karaj = client_for(personas.county_supervisor).get("/command/", {"org": world.karaj.pk})
    outsider = client_for(personas.outsider)
    fardis_rows = 0
    for what, _value, link in figures_with_links(karaj.context):
        page = outsider.get(link)
        if what == "monitoring.hits":
            assert page.status_code == 403
            continue
        assert page.status_code == 200, what
        rows = list(page.context["page"])
        assert all(row.org.path.startswith(world.fardis.path) for row in rows), what
        fardis_rows += len(rows)
    # Karaj's org filter is not the outsider's: they see their own rows (the filter is ignored),
    # so the check above is not vacuous.
    assert fardis_rows > 0
