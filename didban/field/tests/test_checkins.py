"""Placements move by check-ins with proof; the server flags distance, window and photo time;
check-ins are idempotent by the client's id."""

import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from didban.field import actions
from didban.field.models import CheckIn, Placement
from didban.field.tests.helpers import approved_design, jpeg, site, window

pytestmark = pytest.mark.django_db
TEHRAN = ZoneInfo("Asia/Tehran")
IN_WINDOW = datetime(2024, 2, 1, 10, 0, tzinfo=TEHRAN)


@pytest.fixture
def placement(personas, world):
    editor = personas.county_editor
    design = approved_design(editor, world.karaj_info)
    return actions.do_create_placement(
        actor=editor, window=window(editor, world), site=site(editor, world), design=design
    )


def check(
    agent,
    placement,
    to_state,
    *,
    when=IN_WINDOW,
    lat=35.83266,
    lon=50.99155,
    photo="now",
    key=None,
    **kw,
):
    if photo == "now":
        photo = jpeg(taken=when)
    return actions.do_record_checkin(
        actor=agent, placement=placement, client_uuid=key or uuid.uuid4(), to_state=to_state,
        client_time=when, latitude=lat, longitude=lon, accuracy_m=8.0, photo=photo, **kw,
    )  # fmt: skip


def test_full_life_of_a_placement(personas, placement):
    agent = personas.county_field_agent
    for state in [
        "dispatched",
        "installed",
        "verified",
        "verified",
        "damaged",
        "replaced",
        "removed",
    ]:
        checkin, created = check(agent, placement, state)
        assert created and checkin.flags == []
        placement.refresh_from_db()
        assert placement.state == state
    assert placement.checkins.count() == 7


def test_impossible_transition_is_refused(personas, placement):
    with pytest.raises(ValidationError):
        check(personas.county_field_agent, placement, "verified")
    placement.refresh_from_db()
    assert placement.state == Placement.State.PLANNED and CheckIn.objects.count() == 0


def test_photo_is_required_for_installation(personas, placement):
    with pytest.raises(ValidationError) as exc:
        check(personas.county_field_agent, placement, "installed", photo=None)
    assert "photo" in exc.value.message_dict


def test_far_from_site_is_flagged(personas, placement, settings):
    settings.FIELD_CHECKIN_RADIUS_M = 150
    near, _ = check(personas.county_field_agent, placement, "installed", lat=35.8335, lon=50.99155)
    assert near.flags == [] and 90 < near.distance_m < 100
    far, _ = check(personas.county_field_agent, placement, "verified", lat=35.8400, lon=50.99155)
    assert far.flags == ["distance"] and 800 < far.distance_m < 850


def test_outside_the_window_is_flagged(personas, placement):
    before = datetime(2024, 1, 10, 9, 0, tzinfo=TEHRAN)
    checkin, _ = check(personas.county_field_agent, placement, "installed", when=before)
    assert checkin.flags == ["window"]


def test_old_photo_is_flagged(personas, placement, settings):
    settings.FIELD_PHOTO_MAX_SKEW_MINUTES = 60
    old = jpeg(taken=IN_WINDOW - timedelta(days=2))
    checkin, _ = check(personas.county_field_agent, placement, "installed", photo=old)
    assert checkin.flags == ["photo_time"]
    assert checkin.photo_taken_at == IN_WINDOW - timedelta(days=2)
    fresh = jpeg(taken=(IN_WINDOW + timedelta(minutes=30)).replace(tzinfo=None))
    checkin, _ = check(
        personas.county_field_agent,
        placement,
        "verified",
        photo=fresh,
        when=IN_WINDOW + timedelta(minutes=40),
    )
    assert checkin.flags == []


def test_same_submission_twice_is_one_checkin(personas, placement):
    key = uuid.uuid4()
    first, created = check(personas.county_field_agent, placement, "installed", key=key)
    again, created_again = check(personas.county_field_agent, placement, "installed", key=key)
    assert created and not created_again and again.pk == first.pk
    assert CheckIn.objects.count() == 1


def test_other_content_under_the_same_id_is_a_conflict(personas, placement):
    key = uuid.uuid4()
    check(personas.county_field_agent, placement, "installed", key=key)
    with pytest.raises(actions.CheckInConflict):
        check(personas.county_field_agent, placement, "installed", key=key, note="متن دیگر")
    with pytest.raises(actions.CheckInConflict):
        check(
            personas.county_field_agent,
            placement,
            "installed",
            key=key,
            photo=jpeg(taken=IN_WINDOW, color=(0, 9, 9)),
        )
    assert CheckIn.objects.count() == 1


def test_outsider_and_editor_cannot_check_in(personas, placement):
    for user in (personas.outsider, personas.county_editor):
        with pytest.raises(PermissionDenied):
            check(user, placement, "installed")
