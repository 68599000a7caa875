"""The coverage figures equal direct counts of the placements, per area type."""

import uuid
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from didban.field import actions
from didban.field.models import Placement
from didban.field.queries import coverage, map_points
from didban.field.tests.helpers import approved_design, jpeg, site, window
from didban.places.models import Place
from didban.testing import PlaceFactory

pytestmark = pytest.mark.django_db
TEHRAN = ZoneInfo("Asia/Tehran")


def test_coverage_equals_direct_counts(personas, world):
    editor, agent = personas.county_editor, personas.county_field_agent
    town = PlaceFactory(
        code="3001012118",
        kind=Place.Kind.SATELLITE_TOWN,
        name_fa="ماهدشت",
        parent=world.karaj_place,
    )
    village = PlaceFactory(
        code="30010100", kind=Place.Kind.VILLAGE, name_fa="باغ پیر", parent=world.karaj_place
    )
    design = approved_design(editor, world.karaj_info)
    win = window(editor, world, starts=date(2024, 1, 21), ends=date(2024, 2, 19), target=10)
    plan = [(None, "verified"), (None, "installed"), (None, "planned"), (town, "damaged"),
            (town, "installed"), (village, "planned"), (village, "removed")]  # fmt: skip
    when = datetime(2024, 1, 22, 9, 0, tzinfo=TEHRAN)
    for i, (place, state) in enumerate(plan):
        p = actions.do_create_placement(
            actor=editor,
            window=win,
            design=design,
            site=site(editor, world, name=f"نقطه {i}", place=place),
        )
        path = {"planned": [], "installed": ["installed"], "verified": ["installed", "verified"],
                "damaged": ["installed", "damaged"], "removed": ["installed", "removed"]}[state]  # fmt: skip
        for step in path:
            actions.do_record_checkin(
                actor=agent, placement=p, client_uuid=uuid.uuid4(), to_state=step, client_time=when,
                latitude=35.83266, longitude=50.99155, photo=jpeg(taken=when),
            )  # fmt: skip
    actions.do_plan_window(actor=editor, window=win)
    # A Fardis placement never counts for Karaj.
    other = actions.do_create_placement(
        actor=personas.outsider, window=window(personas.outsider, world, org=world.fardis_info),
        design=approved_design(personas.outsider, world.fardis_info, title="فردیس"),
        site=site(personas.outsider, world, org=world.fardis_info, name="فردیس ۱"),
    )  # fmt: skip
    assert other.pk

    with time_machine.travel(datetime(2024, 1, 25, 12, 0, tzinfo=TEHRAN)):
        cov = coverage(personas.county_supervisor, win)
    rows = {r.area: r for r in cov.rows}
    placements = Placement.objects.filter(window=win)
    for area in ("city", "satellite_town", "village"):
        mine = placements.filter(site__area=area)
        assert rows[area].planned == mine.count()
        assert rows[area].installed == mine.filter(state__in=["installed", "replaced"]).count()
        assert rows[area].verified == mine.filter(state="verified").count()
        assert rows[area].missing == mine.filter(state__in=["damaged", "removed"]).count()
        overdue = mine.filter(
            tasks__done_at__isnull=True, tasks__due_on__lt=date(2024, 1, 25)
        ).distinct()
        assert rows[area].overdue == overdue.count()
    assert (cov.total.planned, cov.total.installed, cov.total.verified, cov.total.missing) == (
        7,
        2,
        1,
        2,
    )
    assert cov.target == 10 and cov.percent == 30
    assert cov.total.overdue == 7  # every placement has an open verify task due 23 Jan
    assert len(map_points(personas.county_supervisor, win)) == 7
    assert coverage(personas.outsider, win).total.planned == 0
