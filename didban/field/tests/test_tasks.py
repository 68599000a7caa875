"""Planning a window creates each placement's field tasks; they turn overdue once their day
passes; check-ins complete them."""

import uuid
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from didban.field import actions
from didban.field.models import FieldTask, Window
from didban.field.queries import list_open_tasks, overdue_tasks
from didban.field.tests.helpers import approved_design, jpeg, site, window

pytestmark = pytest.mark.django_db
TEHRAN = ZoneInfo("Asia/Tehran")


@pytest.fixture
def planned(personas, world):
    editor = personas.county_editor
    design = approved_design(editor, world.karaj_info)
    win = window(editor, world, starts=date(2024, 1, 21), ends=date(2024, 2, 19), recheck_days=7)
    placements = [
        actions.do_create_placement(
            actor=editor, window=win, site=site(editor, world, name=f"نقطه {i}"), design=design
        )
        for i in range(3)
    ]
    assert FieldTask.objects.count() == 0
    created = actions.do_plan_window(actor=editor, window=win)
    return win, placements, created


def test_planning_creates_install_verify_and_rechecks(planned):
    win, placements, created = planned
    win.refresh_from_db()
    assert win.status == Window.Status.PLANNED
    # install 22 Jan, verify 23 Jan, re-checks 30 Jan, 6 Feb, 13 Feb
    days = list(placements[0].tasks.values_list("kind", "due_on"))
    assert days == [
        ("install", date(2024, 1, 22)), ("verify", date(2024, 1, 23)),
        ("recheck", date(2024, 1, 30)), ("recheck", date(2024, 2, 6)), ("recheck", date(2024, 2, 13)),
    ]  # fmt: skip
    assert created == 15
    # Planning again creates nothing twice.
    assert actions.do_plan_window(actor=_editor(), window=win) == 0
    assert FieldTask.objects.count() == 15


def _editor():
    from didban.accounts.models import User

    return User.objects.get(username="karaj.editor")


def test_placement_added_after_planning_gets_its_tasks(personas, world, planned):
    win, _, _ = planned
    editor = personas.county_editor
    extra = actions.do_create_placement(
        actor=editor, window=win, site=site(editor, world, name="نقطه تازه"),
        design=approved_design(editor, world.karaj_info, title="دوم"),
    )  # fmt: skip
    assert extra.tasks.count() == 5


def test_overdue_flags_follow_the_calendar(personas, planned):
    agent = personas.county_field_agent
    with time_machine.travel(datetime(2024, 1, 22, 12, 0, tzinfo=TEHRAN)):
        assert overdue_tasks(list_open_tasks(agent)).count() == 0
    with time_machine.travel(datetime(2024, 1, 24, 12, 0, tzinfo=TEHRAN)):
        overdue = overdue_tasks(list_open_tasks(agent))
        assert overdue.count() == 6  # install and verify of three placements
        task = overdue.first()
        assert task.is_overdue()


def test_checkins_complete_their_tasks(personas, planned):
    _, placements, _ = planned
    agent = personas.county_field_agent
    p = placements[0]
    when = datetime(2024, 1, 22, 9, 0, tzinfo=TEHRAN)
    for state in ("installed", "verified"):
        actions.do_record_checkin(
            actor=agent, placement=p, client_uuid=uuid.uuid4(), to_state=state, client_time=when,
            latitude=35.83266, longitude=50.99155, photo=jpeg(taken=when),
        )  # fmt: skip
    done = dict(p.tasks.filter(done_at__isnull=False).values_list("kind", "done_by__to_state"))
    assert done == {"install": "installed", "verify": "verified"}
    with time_machine.travel(datetime(2024, 1, 24, 12, 0, tzinfo=TEHRAN)):
        assert overdue_tasks(list_open_tasks(agent)).count() == 4
    # Damage asks for a replacement installation.
    actions.do_record_checkin(
        actor=agent, placement=p, client_uuid=uuid.uuid4(), to_state="damaged", client_time=when,
        latitude=35.83266, longitude=50.99155, photo=jpeg(taken=when),
    )  # fmt: skip
    assert p.tasks.filter(kind="install", done_at__isnull=True).count() == 1


def test_agent_sees_only_their_area(personas, planned):
    assert list_open_tasks(personas.county_field_agent).count() == 15
    assert list_open_tasks(personas.outsider, permission="field.view").count() == 0


def test_a_fardis_field_agent_sees_none_of_karajs_tasks(personas, world, planned):
    from didban.core.roles import Role
    from didban.testing import member

    fardis_agent = member(Role.FIELD_AGENT, world.fardis)
    assert list_open_tasks(fardis_agent).count() == 0
