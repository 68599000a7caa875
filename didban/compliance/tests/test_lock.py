"""A report being handled is locked to its handler; a supervisor may take it over."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from didban.accounts.models import Membership
from didban.compliance import actions
from didban.compliance.models import RuleCategory, Violation
from didban.core.roles import Role
from didban.testing import member

from .factories import field_report


@pytest.fixture
def county_editor(world):
    """An editor of the county HQ itself (the election's organisation)."""
    return member(Role.EDITOR, world.karaj, username="karaj.hq.editor")


@pytest.mark.django_db
def test_others_cannot_act_on_a_held_report(personas, election, county_editor, world):
    analyst = member(Role.ANALYST, world.karaj, username="karaj.hq.analyst")
    v = field_report(personas.county_field_agent, election)
    actions.do_take_violation(actor=county_editor, violation=v)
    with pytest.raises(ValidationError) as info:
        actions.do_transition_violation(
            actor=analyst, violation=v, action="categorise", category=RuleCategory.DEFACING
        )
    assert str(county_editor) in " ".join(info.value.messages)
    with pytest.raises(ValidationError):
        actions.do_take_violation(actor=analyst, violation=v)
    assert Violation.objects.get().handler == county_editor


@pytest.mark.django_db
def test_only_a_supervisor_may_take_over(personas, election, county_editor, world):
    analyst = member(Role.ANALYST, world.karaj, username="karaj.hq.analyst")
    v = field_report(personas.county_field_agent, election)
    actions.do_take_violation(actor=county_editor, violation=v)
    with pytest.raises(PermissionDenied):
        actions.do_take_violation(actor=analyst, violation=v, takeover=True)
    v = actions.do_take_violation(actor=personas.county_supervisor, violation=v, takeover=True)
    assert v.handler == personas.county_supervisor
    assert v.events.filter(verb="takeover").exists()


@pytest.mark.django_db
def test_acting_on_a_free_report_takes_it_and_release_frees_it(personas, election, county_editor):
    v = field_report(personas.county_field_agent, election)
    v = actions.do_transition_violation(
        actor=county_editor, violation=v, action="categorise", category=RuleCategory.OTHER
    )
    assert v.handler == county_editor
    v = actions.do_release_violation(actor=county_editor, violation=v)
    assert v.handler is None
    assert Membership.objects.filter(user=county_editor).exists()
