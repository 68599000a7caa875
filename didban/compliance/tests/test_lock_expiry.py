"""A handler's lock lapses after COMPLIANCE_LOCK_MINUTES without an action on the report; each
action renews it; a supervisor may take over a live lock (audited); the desk shows who holds a
report and until when."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from didban.compliance import actions
from didban.compliance.models import RuleCategory, Violation
from didban.core.audit import AuditEntry
from didban.core.roles import Role
from didban.testing import member

from .factories import field_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def hq_editor(world):
    return member(Role.EDITOR, world.karaj, username="karaj.hq.editor")


@pytest.fixture
def hq_analyst(world):
    return member(Role.ANALYST, world.karaj, username="karaj.hq.analyst")


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    return time_machine


def test_a_lock_lapses_after_the_set_minutes_and_anyone_may_take_it(
    personas, election, hq_editor, hq_analyst, clock, settings
):
    settings.COMPLIANCE_LOCK_MINUTES = 30
    v = field_report(personas.county_field_agent, election)
    v = actions.do_take_violation(actor=hq_editor, violation=v)
    assert v.is_locked and v.lock_expires_at == v.locked_at + timedelta(minutes=30)

    clock.shift(timedelta(minutes=29))
    with pytest.raises(ValidationError) as info:
        actions.do_transition_violation(
            actor=hq_analyst, violation=v, action="categorise", category=RuleCategory.DEFACING
        )
    assert str(hq_editor) in info.value.messages[0]

    clock.shift(timedelta(minutes=2))  # 31 minutes without an action
    v = Violation.objects.get(pk=v.pk)
    assert not v.is_locked and v.lock_lapsed
    v = actions.do_transition_violation(
        actor=hq_analyst, violation=v, action="categorise", category=RuleCategory.DEFACING
    )
    assert v.handler == hq_analyst and v.is_locked
    # Taking a lapsed report is a plain take (no supervisor needed), and the history says why.
    clock.shift(timedelta(minutes=45))
    v = actions.do_take_violation(actor=hq_editor, violation=Violation.objects.get(pk=v.pk))
    event = v.events.filter(verb="take").last()
    assert event.actor == hq_editor and str(hq_analyst) in event.reason


def test_each_action_by_the_handler_renews_the_lock(
    personas, election, hq_editor, hq_analyst, clock, settings
):
    settings.COMPLIANCE_LOCK_MINUTES = 30
    v = field_report(personas.county_field_agent, election)
    v = actions.do_transition_violation(
        actor=hq_editor, violation=v, action="categorise", category=RuleCategory.OTHER
    )
    clock.shift(timedelta(minutes=25))
    v = actions.do_transition_violation(actor=hq_editor, violation=v, action="verify")
    clock.shift(timedelta(minutes=25))  # 50 minutes after taking it, 25 after the last action
    with pytest.raises(ValidationError):
        actions.do_take_violation(actor=hq_analyst, violation=Violation.objects.get(pk=v.pk))
    # Taking it again is how a handler keeps it without another step.
    v = actions.do_take_violation(actor=hq_editor, violation=Violation.objects.get(pk=v.pk))
    assert v.lock_expires_at == timezone.now() + timedelta(minutes=30)


def test_a_supervisors_takeover_of_a_live_lock_is_audited(personas, election, hq_editor, clock):
    v = field_report(personas.county_field_agent, election)
    actions.do_take_violation(actor=hq_editor, violation=v)
    v = actions.do_take_violation(
        actor=personas.county_supervisor, violation=Violation.objects.get(pk=v.pk), takeover=True
    )
    assert v.handler == personas.county_supervisor
    entry = AuditEntry.objects.filter(verb="violation.takeover").get()
    assert entry.actor_id == personas.county_supervisor.pk
    assert entry.before["handler"] == hq_editor.pk and entry.after["handler"] == v.handler_id
    assert v.events.filter(verb="takeover", reason=str(hq_editor)).exists()


def test_the_case_page_and_desk_show_the_holder_and_until_when(
    client_for, personas, election, hq_editor, clock, settings
):
    settings.COMPLIANCE_LOCK_MINUTES = 30
    v = field_report(personas.county_field_agent, election)
    v = actions.do_take_violation(actor=hq_editor, violation=v)
    until = timezone.localtime(v.lock_expires_at).strftime("%H:%M")
    persian_until = until.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))

    page = client_for(personas.county_supervisor).get(f"/compliance/violations/{v.pk}/")
    html = page.content.decode()
    assert page.context["held_by_other"]
    assert persian_until in html and str(hq_editor) in html
    assert 'data-testid="takeover"' in html
    desk = client_for(personas.county_supervisor).get("/compliance/")
    assert persian_until in desk.content.decode()

    clock.shift(timedelta(minutes=31))
    page = client_for(personas.county_supervisor).get(f"/compliance/violations/{v.pk}/")
    html = page.content.decode()
    assert not page.context["held_by_other"]
    assert 'data-locked="0"' in html and 'data-testid="take"' in html
    assert 'data-testid="takeover"' not in html


def test_the_api_gives_the_lock_and_refuses_the_outsider(
    client_for, personas, election, hq_editor, clock
):
    v = field_report(personas.county_field_agent, election)
    v = actions.do_take_violation(actor=hq_editor, violation=v)
    row = (
        client_for(personas.county_supervisor).get(f"/api/v1/compliance/violations/{v.pk}/").json()
    )
    assert row["is_locked"] is True and row["lock_expires_at"]
    outsider = client_for(personas.outsider)
    assert outsider.get(f"/api/v1/compliance/violations/{v.pk}/").status_code == 404
    response = outsider.post(
        f"/api/v1/compliance/violations/{v.pk}/transition/", {"action": "takeover"}
    )
    assert response.status_code in (403, 404)
    assert Violation.objects.get(pk=v.pk).handler == hq_editor
