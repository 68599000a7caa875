"""Targets: progress from the stored figures, and the pace needed to meet them."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from didban.command.actions import do_set_target
from didban.command.queries import date_start
from didban.command.targets import progress
from didban.command.tests.conftest import figure

pytestmark = pytest.mark.django_db


def test_pace_is_remaining_over_remaining_time(personas, world):
    target = do_set_target(
        actor=personas.county_supervisor, org=world.karaj, metric="production.news", value=100,
        starts_on=date(2025, 3, 1), ends_on=date(2025, 3, 10),
    )  # fmt: skip
    figure(world.karaj_info, "production.news", 30, datetime(2025, 3, 2, 8, tzinfo=UTC))
    figure(world.karaj_info, "production.video", 99, datetime(2025, 3, 2, 8, tzinfo=UTC))
    figure(world.fardis_info, "production.news", 50, datetime(2025, 3, 2, 8, tzinfo=UTC))
    now = date_start(date(2025, 3, 4))  # 3 of 10 days gone, 7 left
    p = progress(target, personas.county_supervisor, now=now)
    assert (p.current, p.remaining, p.percent) == (30, 70, 30)
    assert p.days_left == pytest.approx(7)
    assert p.pace_needed == pytest.approx(10)
    assert p.on_track is True  # 30 done ≥ 30 expected after 3 days


def test_level_target_reads_the_latest_sample(personas, world, hour):
    today = hour.date()
    target = do_set_target(
        actor=personas.province_supervisor, org=world.alborz, metric="now.field.on_display",
        value=150, starts_on=today - timedelta(days=1), ends_on=today + timedelta(days=1),
    )  # fmt: skip
    figure(world.karaj, "now.field.on_display", 40, hour - timedelta(hours=1))
    figure(world.karaj, "now.field.on_display", 90, hour)
    figure(world.fardis, "now.field.on_display", 20, hour)
    p = progress(target, personas.province_supervisor)
    assert p.current == 110 and p.remaining == 40


def test_only_supervisors_and_admins_set_targets(personas, world):
    args = {"org": world.karaj, "metric": "production", "value": 5,
            "starts_on": date(2025, 1, 1), "ends_on": date(2025, 1, 7)}  # fmt: skip
    for user in (personas.county_editor, personas.county_viewer, personas.outsider):
        with pytest.raises(PermissionDenied):
            do_set_target(actor=user, **args)
    do_set_target(actor=personas.county_admin, **args)


def test_bad_target_is_a_clear_error(personas, world):
    with pytest.raises(ValidationError) as exc:
        do_set_target(
            actor=personas.county_supervisor, org=world.karaj, metric="nonsense", value=0,
            starts_on=date(2025, 1, 7), ends_on=date(2025, 1, 1),
        )  # fmt: skip
    assert set(exc.value.message_dict) == {"metric", "value", "ends_on"}


def test_target_form_saves_and_rejects_bad_input(client_for, personas, world):
    client = client_for(personas.county_supervisor)
    url = reverse("command:targets") + f"?org={world.karaj.pk}"
    bad = client.post(
        url, {"metric": "production", "value": "-3", "starts_on": "چرت", "ends_on": ""}
    )
    assert bad.status_code == 200 and bad.context["form"].errors
    ok = client.post(url, {"metric": "now.field.sites_covered", "value": "120",
                           "starts_on": "۱۴۰۴/۰۱/۰۱", "ends_on": "۱۴۰۴/۰۲/۰۱"})  # fmt: skip
    assert ok.status_code == 302
    assert (
        client_for(personas.outsider)
        .post(reverse("command:targets") + f"?org={world.karaj.pk}", {"metric": "production"})
        .status_code
        == 404
    )
