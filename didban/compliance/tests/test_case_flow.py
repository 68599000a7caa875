"""The desk's case flow: received → categorised → verified → referred → resolved / dismissed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from didban.compliance import actions
from didban.compliance.models import RuleCategory, Violation, ViolationEvent
from didban.core.models import AuditEntry

from .factories import field_report

S = Violation.Status


def walk(actor, violation):
    v = actions.do_transition_violation(
        actor=actor, violation=violation, action="categorise",
        category=RuleCategory.PUBLIC_PROPERTY,
    )  # fmt: skip
    v = actions.do_transition_violation(actor=actor, violation=v, action="verify")
    return actions.do_transition_violation(
        actor=actor, violation=v, action="refer", board=Violation.Board.SUPERVISORY,
        deadline=timezone.now() + timedelta(days=2), reason="ارجاع برای رسیدگی",
    )  # fmt: skip


@pytest.mark.django_db
def test_the_full_flow_records_events_and_audit(personas, election):
    supervisor = personas.county_supervisor
    v = field_report(personas.county_field_agent, election)
    assert v.status == S.RECEIVED
    v = walk(supervisor, v)
    assert v.status == S.REFERRED and v.referred_to == "supervisory"
    assert v.handler == supervisor
    v = actions.do_transition_violation(
        actor=supervisor, violation=v, action="resolve", reason="پوستر جمع‌آوری شد"
    )
    assert v.status == S.RESOLVED and v.handler is None
    verbs = list(ViolationEvent.objects.filter(violation=v).values_list("verb", flat=True))
    assert verbs == ["received", "categorise", "verify", "refer", "resolve"]
    audit_verbs = set(AuditEntry.objects.values_list("verb", flat=True))
    assert {"violation.categorise", "violation.refer", "violation.resolve"} <= audit_verbs


@pytest.mark.django_db
def test_steps_cannot_be_skipped(personas, election):
    v = field_report(personas.county_field_agent, election)
    with pytest.raises(ValidationError):
        actions.do_transition_violation(
            actor=personas.county_supervisor, violation=v, action="verify"
        )
    with pytest.raises(ValidationError):
        actions.do_transition_violation(
            actor=personas.county_supervisor, violation=v, action="refer", board="executive",
            deadline=timezone.now() + timedelta(days=1),
        )  # fmt: skip
    assert Violation.objects.get().status == S.RECEIVED


@pytest.mark.django_db
@pytest.mark.parametrize("action", ["dismiss", "resolve"])
def test_closing_needs_a_reason(personas, election, action):
    v = walk(personas.county_supervisor, field_report(personas.county_field_agent, election))
    with pytest.raises(ValidationError) as info:
        actions.do_transition_violation(
            actor=personas.county_supervisor, violation=v, action=action
        )
    assert "reason" in info.value.message_dict


@pytest.mark.django_db
def test_categorise_needs_a_category_and_refer_a_board_and_future_deadline(personas, election):
    sup = personas.county_supervisor
    v = field_report(personas.county_field_agent, election)
    with pytest.raises(ValidationError):
        actions.do_transition_violation(actor=sup, violation=v, action="categorise")
    v = actions.do_transition_violation(
        actor=sup, violation=v, action="categorise", category=RuleCategory.DEFACING
    )
    v = actions.do_transition_violation(actor=sup, violation=v, action="verify")
    with pytest.raises(ValidationError) as info:
        actions.do_transition_violation(
            actor=sup, violation=v, action="refer", deadline=timezone.now() - timedelta(hours=1)
        )
    assert {"board", "deadline"} <= set(info.value.message_dict)


@pytest.mark.django_db
def test_roles_without_triage_cannot_move_cases(personas, election):
    from django.core.exceptions import PermissionDenied

    v = field_report(personas.county_field_agent, election)
    for user in (personas.county_field_agent, personas.county_viewer, personas.outsider):
        with pytest.raises(PermissionDenied):
            actions.do_transition_violation(actor=user, violation=v, action="dismiss", reason="x")
