"""Scope through every organisation, people and membership page: the outsider (an editor of
Fardis) cannot see or change Karaj's rows; a Karaj admin manages Karaj's people but not
Fardis's; the Alborz province supervisor sees both counties."""

from __future__ import annotations

import pytest
from django.urls import reverse

from didban.accounts.models import Membership, Organization
from didban.core.roles import Role
from didban.testing import member

pytestmark = pytest.mark.django_db


@pytest.fixture
def fardis_admin(world):
    return member(Role.ADMIN, world.fardis, username="fardis.admin")


@pytest.fixture
def fardis_person(world):
    return member(Role.EDITOR, world.fardis_info, username="fardis.person")


def test_outsider_gets_404_for_karaj_organisation_pages(client_for, world, personas):
    client = client_for(personas.outsider)
    for org in (world.karaj, world.karaj_info, world.karaj_municipality):
        assert client.get(reverse("accounts:organization_detail", args=[org.pk])).status_code == 404
        assert client.get(reverse("accounts:organization_edit", args=[org.pk])).status_code == 404
        response = client.post(
            reverse("accounts:organization_edit", args=[org.pk]),
            {"name": "ربوده", "kind": org.kind, "code": org.code},
        )
        assert response.status_code == 404
    world.karaj_info.refresh_from_db()
    assert world.karaj_info.name == "کمیته اطلاع‌رسانی کرج"


def test_outsider_sees_only_fardis_in_the_organisation_list(client_for, world, personas):
    response = client_for(personas.outsider).get(reverse("accounts:organization_list"))
    assert response.status_code == 200
    codes = {org.code for org in response.context["page"]}
    assert codes == {"fardis-info"}


def test_outsider_cannot_create_an_organisation_under_karaj(client_for, world, personas):
    client = client_for(personas.outsider)
    assert client.get(reverse("accounts:organization_create")).status_code == 403
    response = client.post(
        reverse("accounts:organization_create"),
        {"name": "کمیته جعلی", "kind": "committee", "code": "fake", "parent": world.karaj.pk},
    )
    assert response.status_code == 403
    assert not Organization.objects.filter(code="fake").exists()


def test_outsider_gets_404_for_karaj_people(client_for, world, personas):
    client = client_for(personas.outsider)
    editor = personas.county_editor
    assert client.get(reverse("accounts:user_list")).status_code == 403
    assert client.get(reverse("accounts:user_detail", args=[editor.pk])).status_code == 404
    assert client.get(reverse("accounts:user_edit", args=[editor.pk])).status_code == 404
    response = client.post(
        reverse("accounts:user_edit", args=[editor.pk]),
        {"first_name": "x", "last_name": "y", "language": "fa"},
    )
    assert response.status_code == 404
    assert client.get(reverse("accounts:membership_add", args=[editor.pk])).status_code == 404
    response = client.post(
        reverse("accounts:membership_add", args=[editor.pk]),
        {"org": world.fardis_info.pk, "role": "viewer"},
    )
    assert response.status_code == 404
    karaj_membership = editor.memberships.get()
    response = client.post(reverse("accounts:membership_end", args=[karaj_membership.pk]))
    assert response.status_code == 404
    karaj_membership.refresh_from_db()
    assert karaj_membership.is_active
    editor.refresh_from_db()
    assert editor.first_name == "کاربر"


def test_karaj_admin_manages_karaj_people(client_for, world, personas):
    client = client_for(personas.county_admin)
    editor = personas.county_editor
    assert client.get(reverse("accounts:user_detail", args=[editor.pk])).status_code == 200
    response = client.post(
        reverse("accounts:user_edit", args=[editor.pk]),
        {"first_name": "زهرا", "last_name": "محمدی", "language": "fa", "is_active": "on"},
    )
    assert response.status_code == 302
    editor.refresh_from_db()
    assert editor.last_name == "محمدی"
    response = client.post(
        reverse("accounts:membership_add", args=[editor.pk]),
        {"org": world.karaj_municipality.pk, "role": "viewer"},
    )
    assert response.status_code == 302
    added = Membership.objects.get(user=editor, org=world.karaj_municipality)
    response = client.post(reverse("accounts:membership_end", args=[added.pk]))
    assert response.status_code == 302
    added.refresh_from_db()
    assert not added.is_active


def test_karaj_admin_cannot_manage_fardis_people(client_for, world, personas, fardis_person):
    client = client_for(personas.county_admin)
    assert client.get(reverse("accounts:user_detail", args=[fardis_person.pk])).status_code == 404
    assert client.get(reverse("accounts:user_edit", args=[fardis_person.pk])).status_code == 404
    response = client.post(
        reverse("accounts:membership_add", args=[fardis_person.pk]),
        {"org": world.karaj_info.pk, "role": "viewer"},
    )
    assert response.status_code == 404
    membership = fardis_person.memberships.get()
    assert client.post(reverse("accounts:membership_end", args=[membership.pk])).status_code == 404
    membership.refresh_from_db()
    assert membership.is_active
    people = client.get(reverse("accounts:user_list")).context["page"]
    assert fardis_person not in list(people)


def test_karaj_admin_cannot_give_a_fardis_role(client_for, world, personas):
    """The organisation list of the membership form holds only orgs the admin manages."""
    client = client_for(personas.county_admin)
    response = client.post(
        reverse("accounts:membership_add", args=[personas.county_editor.pk]),
        {"org": world.fardis_info.pk, "role": "admin"},
    )
    assert response.status_code == 200
    assert "org" in response.context["form"].errors
    assert not Membership.objects.filter(
        user=personas.county_editor, org=world.fardis_info
    ).exists()


def test_karaj_admin_cannot_edit_a_person_who_also_works_for_fardis(
    client_for, world, personas, fardis_admin
):
    """A person with a Fardis role is only partly in Karaj's scope: editing them is refused."""
    Membership.objects.create(user=personas.county_editor, org=world.fardis_info, role="viewer")
    client = client_for(personas.county_admin)
    response = client.post(
        reverse("accounts:user_edit", args=[personas.county_editor.pk]),
        {"first_name": "تغییر", "last_name": "یافته", "language": "fa", "is_active": "on"},
    )
    assert response.status_code == 403
    personas.county_editor.refresh_from_db()
    assert personas.county_editor.first_name == "کاربر"


def test_fardis_admin_cannot_reach_karaj(client_for, world, personas, fardis_admin):
    client = client_for(fardis_admin)
    assert (
        client.get(reverse("accounts:organization_edit", args=[world.karaj.pk])).status_code == 404
    )
    editor = personas.county_editor
    assert client.get(reverse("accounts:user_edit", args=[editor.pk])).status_code == 404


def test_province_supervisor_sees_both_counties(client_for, world, personas, fardis_person):
    client = client_for(personas.province_supervisor)
    for org in (world.karaj, world.karaj_info, world.fardis, world.fardis_info):
        assert client.get(reverse("accounts:organization_detail", args=[org.pk])).status_code == 200
    for person in (personas.county_editor, fardis_person):
        assert client.get(reverse("accounts:user_detail", args=[person.pk])).status_code == 200
    people = set(client.get(reverse("accounts:user_list") + "?q=").context["page"].object_list)
    assert {personas.county_editor, fardis_person} <= people
    # A supervisor views; managing people is the admin's.
    editor = personas.county_editor
    assert client.get(reverse("accounts:user_edit", args=[editor.pk])).status_code == 404
    assert (
        client.get(reverse("accounts:organization_edit", args=[world.karaj.pk])).status_code == 404
    )
