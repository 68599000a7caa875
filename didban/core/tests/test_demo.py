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


def test_the_demo_scenario(db):
    """One load (it imports Iran's places), then every property of the scenario."""
    demo = load_demo()
    check_every_role_has_a_login(demo)
    check_karaj_has_twenty_pr_units_and_its_committee()
    check_everything_went_through_actions()
    check_the_demo_is_loaded_once()


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
