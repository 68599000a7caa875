"""The demo scenario, loaded in-process: a login for every role, Karaj's 20+ PR units, and all
of it made through actions (the audit log records it and the chain verifies)."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from didban.accounts.models import Membership, Organization, User
from didban.core.audit import verify_chain
from didban.core.demo import DEMO_PASSWORD, KARAJ_UNITS, demo_is_loaded, demo_logins, load_demo
from didban.core.models import AuditEntry
from didban.core.roles import Role

pytestmark = pytest.mark.django_db


def test_the_demo_scenario(db, settings, tmp_path):
    """One load of the whole scenario (minutes of work), then every app's part of it."""
    settings.MEDIA_ROOT = tmp_path / "media"
    demo = load_demo()
    check_every_role_has_a_login(demo)
    check_karaj_has_twenty_pr_units_and_its_committee()
    check_everything_went_through_actions()
    check_the_newsroom_season()
    check_the_monitoring_pipeline_ran()
    check_the_1402_election_compliance()
    check_the_demo_is_loaded_once()


def check_the_newsroom_season():
    """Hundreds of items of the 1402 election season, mostly published, with occasions,
    events (a press conference and two 1500+ conferences) and shared templates."""
    from didban.newsroom.models import Event, Item, Occasion, Template

    items = Item.objects.all()
    assert items.count() >= 300
    published = items.filter(status__in=Item.PUBLIC_STATUSES).count()
    assert published > items.count() * 0.8
    assert items.filter(status=Item.Status.RETRACTED).count() == 1
    assert set(items.values_list("kind", flat=True)) == set(Item.Kind.values)
    assert {"دهه فجر", "ثبت‌نام داوطلبان", "تبلیغات انتخاباتی", "روز انتخابات"} <= set(
        Occasion.objects.values_list("name", flat=True)
    )
    assert Event.objects.filter(kind="conference", actual_attendance__gte=1500).count() == 2
    assert Event.objects.filter(title="اولین نشست خبری انتخاباتی").exists()
    assert Template.objects.filter(shared_with_province=True).exists()
    first = items.filter(status=Item.Status.PUBLISHED).order_by("published_at").first()
    assert first.news_code.startswith("1402") and first.published_at.year == 2023


def check_the_monitoring_pipeline_ran():
    from didban.monitoring.models import Article, Pickup, Source, Story, TopicHit

    assert Source.objects.count() >= 24
    assert Article.objects.count() > 900
    assert Story.objects.filter(outlet_count__gte=3).exists()
    assert TopicHit.objects.filter(state="confirmed").exclude(tone="").exists()
    assert TopicHit.objects.filter(state="new").exists()
    assert Source.objects.filter(last_error_code="missing_file").count() == 1
    assert Pickup.objects.exists()


def check_the_1402_election_compliance():
    from didban.compliance.models import Election, Violation

    election = Election.objects.get(slug="majlis-1402")
    assert election.rules.count() >= 10 and election.candidates.count() == 12
    assert Violation.objects.count() == 200
    assert set(Violation.objects.values_list("status", flat=True)) == set(Violation.Status.values)
    assert Violation.objects.filter(source="citizen").exists()
    assert Violation.objects.filter(reporter__username="karaj.field").exists()


def check_every_role_has_a_login(demo):
    roles = {login.role for login in demo}
    assert set(Role.values) <= roles
    assert "superuser" in roles
    for login in demo:
        user = User.objects.get(username=login.username)
        assert user.check_password(DEMO_PASSWORD)
        assert user.first_name and user.last_name
    assert [d.username for d in demo_logins()] == [d.username for d in demo]


def check_karaj_has_twenty_pr_units_and_its_committee():
    karaj = Organization.objects.get(code="karaj-hq")
    assert karaj.parent.code == "alborz-hq" and karaj.parent.parent.code == "national-hq"
    units = Organization.objects.filter(parent=karaj, kind=Organization.Kind.PR_UNIT)
    assert units.count() >= 20
    assert {"municipality", "agency"} <= set(units.values_list("unit_type", flat=True))
    assert Organization.objects.filter(code="karaj-info", parent=karaj).exists()
    assert all(o.path.startswith(karaj.path) for o in units)
    assert Organization.objects.get(code="karaj-municipality").place.name_fa == "کرج"
    # Every unit the scenario ties to a place found it in the bundled data.
    for code, *_rest, place_code in KARAJ_UNITS:
        if place_code:
            assert Organization.objects.get(code=code).place.code == place_code, code


def check_everything_went_through_actions():
    verbs = set(AuditEntry.objects.values_list("verb", flat=True))
    assert {"organization.create", "user.create", "membership.create", "places.import"} <= verbs
    assert AuditEntry.objects.filter(verb="organization.create").count() == (
        Organization.objects.filter(created_at__isnull=False).count()
    )
    assert AuditEntry.objects.filter(verb="user.create").count() == User.objects.count() - 1
    report = verify_chain()
    assert report.ok, report.problem
    editor = User.objects.get(username="karaj.editor")
    assert Membership.objects.get(user=editor).org.code == "karaj-info"


def check_the_demo_is_loaded_once():
    assert demo_is_loaded()
    with pytest.raises(CommandError, match="already loaded"):
        call_command("load_demo")
