"""Bulk actions on the desk, likely duplicates grouped, overdue referrals flagged."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from didban.compliance import actions
from didban.compliance.models import RuleCategory, Violation
from didban.compliance.queries import (
    ViolationFilter,
    desk_counts,
    group_duplicates,
    list_violations,
)
from didban.core.roles import Role
from didban.testing import member

from .factories import field_report

TEHRAN = ZoneInfo("Asia/Tehran")
SEEN = datetime(2024, 2, 25, 10, 0, tzinfo=TEHRAN)


@pytest.mark.django_db
def test_bulk_categorise_skips_reports_held_by_others(personas, election, world):
    editor = member(Role.EDITOR, world.karaj, username="karaj.hq.editor")
    reports = [field_report(personas.county_field_agent, election) for _ in range(3)]
    actions.do_take_violation(actor=editor, violation=reports[0])
    result = actions.do_bulk_transition(
        actor=personas.county_supervisor, violations=reports, action="categorise",
        category=RuleCategory.DEFACING,
    )  # fmt: skip
    assert sorted(result.done) == sorted([reports[1].pk, reports[2].pk])
    assert [pk for pk, _ in result.skipped] == [reports[0].pk]
    assert Violation.objects.get(pk=reports[0].pk).status == Violation.Status.RECEIVED


@pytest.mark.django_db
def test_bulk_dismiss_as_duplicates_links_to_the_first(personas, election):
    first, second, third = (field_report(personas.county_field_agent, election) for _ in range(3))
    result = actions.do_bulk_transition(
        actor=personas.county_supervisor, violations=[second, third], action="dismiss",
        reason="تکراری", duplicate_of=first,
    )  # fmt: skip
    assert len(result.done) == 2
    assert set(Violation.objects.filter(duplicate_of=first).values_list("pk", flat=True)) == {
        second.pk, third.pk,
    }  # fmt: skip


@pytest.mark.django_db
def test_same_place_time_and_candidate_with_similar_text_are_grouped(
    personas, election, candidates, world
):
    agent, sup = personas.county_field_agent, personas.county_supervisor
    place = world.karaj_place
    a = field_report(agent, election, text="پوستر نامزد روی دیوار مسجد جامع کرج",
                     place=place, candidate=candidates[0], observed_at=SEEN)  # fmt: skip
    # Arabic spellings and a half-space: the normaliser makes them match.
    b = field_report(agent, election, text="پوستر نامزد روي ديوار مسجد جامع",
                     place=place, candidate=candidates[0],
                     observed_at=SEEN + timedelta(minutes=40))  # fmt: skip
    other_text = field_report(agent, election, text="سخنرانی در اداره دولتی با خودروی اداری",
                              place=place, candidate=candidates[0], observed_at=SEEN)  # fmt: skip
    other_candidate = field_report(agent, election, text="پوستر نامزد روی دیوار مسجد جامع کرج",
                                   place=place, candidate=candidates[1], observed_at=SEEN)  # fmt: skip
    other_day = field_report(agent, election, text="پوستر نامزد روی دیوار مسجد جامع کرج",
                             place=place, candidate=candidates[0],
                             observed_at=SEEN + timedelta(days=1))  # fmt: skip
    shown = list(list_violations(sup))
    groups = group_duplicates(sup, shown)
    assert groups[a.pk] == [b.pk]
    assert groups[b.pk] == [a.pk]
    for lonely in (other_text, other_candidate, other_day):
        assert lonely.pk not in groups
    dupes = list_violations(sup, ViolationFilter(duplicates=True))
    assert {a.pk, b.pk, other_text.pk} == set(dupes.values_list("pk", flat=True))


@pytest.mark.django_db
def test_overdue_referrals_are_flagged_when_the_deadline_passes(personas, election):
    sup = personas.county_supervisor
    with time_machine.travel(datetime(2024, 2, 26, 9, 0, tzinfo=TEHRAN), tick=False):
        v = field_report(personas.county_field_agent, election)
        v = actions.do_transition_violation(
            actor=sup, violation=v, action="categorise", category=RuleCategory.DEFACING
        )
        v = actions.do_transition_violation(actor=sup, violation=v, action="verify")
        v = actions.do_transition_violation(
            actor=sup, violation=v, action="refer", board="executive",
            deadline=timezone.now() + timedelta(days=2),
        )  # fmt: skip
        assert not v.is_overdue
        assert desk_counts(sup)["overdue"] == 0
    with time_machine.travel(datetime(2024, 2, 28, 9, 1, tzinfo=TEHRAN), tick=False):
        v.refresh_from_db()
        assert v.is_overdue
        assert desk_counts(sup)["overdue"] == 1
        assert list(list_violations(sup, ViolationFilter(overdue=True))) == [v]
        v = actions.do_transition_violation(
            actor=sup, violation=v, action="resolve", reason="هیئت رسیدگی کرد"
        )
        assert not v.is_overdue and desk_counts(sup)["overdue"] == 0
