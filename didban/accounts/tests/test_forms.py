"""The organisation, people and membership pages: tree rules (a county only under a province;
never under itself), a duplicate code is a Persian form error, a weak password is a form
error, memberships are added and ended, an admin cannot remove their own admin role, the
acting membership switches, the language is saved on the user (a cookie before login), and
garbage posted to any form is a form error, never a 500."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from didban.accounts.models import Membership, Organization, User
from didban.core.middleware import ACTING_SESSION_KEY
from didban.core.roles import Role
from didban.testing import member

pytestmark = pytest.mark.django_db


@pytest.fixture
def province_admin(world):
    return member(Role.ADMIN, world.alborz, username="alborz.admin")


def create_org(client, **data):
    return client.post(reverse("accounts:organization_create"), data)


def test_a_county_goes_under_a_province_only(client_for, world, province_admin):
    client = client_for(province_admin)
    response = create_org(client, name="ستاد نظرآباد", kind="county_hq", code="nazarabad",
                          parent=world.karaj.pk)  # fmt: skip
    assert response.status_code == 200
    assert response.context["form"].errors["parent"]
    assert not Organization.objects.filter(code="nazarabad").exists()
    response = create_org(client, name="ستاد نظرآباد", kind="county_hq", code="nazarabad",
                          parent=world.alborz.pk)  # fmt: skip
    assert response.status_code == 302
    assert Organization.objects.get(code="nazarabad").parent == world.alborz


def test_an_organisation_cannot_move_under_itself(client_for, world, province_admin):
    client = client_for(province_admin)
    response = client.post(
        reverse("accounts:organization_edit", args=[world.karaj.pk]),
        {
            "name": world.karaj.name,
            "kind": "county_hq",
            "code": "karaj",
            "parent": world.karaj_info.pk,
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["parent"]
    world.karaj.refresh_from_db()
    assert world.karaj.parent == world.alborz


def test_moving_an_organisation_moves_its_subtree(client_for, world, province_admin):
    client = client_for(province_admin)
    response = client.post(
        reverse("accounts:organization_edit", args=[world.karaj_info.pk]),
        {"name": world.karaj_info.name, "kind": "committee", "code": "karaj-info",
         "parent": world.fardis.pk},
    )  # fmt: skip
    assert response.status_code == 302
    world.karaj_info.refresh_from_db()
    assert world.karaj_info.path.startswith(world.fardis.path)


def test_a_duplicate_code_is_a_persian_form_error(client_for, world, personas):
    client = client_for(personas.county_admin)
    response = create_org(client, name="تکراری", kind="committee", code="karaj-info",
                          parent=world.karaj.pk)  # fmt: skip
    assert response.status_code == 200
    errors = response.context["form"].errors["code"]
    assert errors and any("\u0600" <= ch <= "\u06ff" for ch in errors[0])


def test_a_weak_password_is_a_form_error(client_for, world, personas):
    client = client_for(personas.county_admin)
    data = {"username": "karaj.weak", "first_name": "علی", "last_name": "رضایی", "language": "fa",
            "org": world.karaj_info.pk, "role": "viewer"}  # fmt: skip
    for weak in ("123456", "password", "karaj.weak1"):
        response = client.post(reverse("accounts:user_create"), {**data, "password": weak})
        assert response.status_code == 200
        assert response.context["form"].errors["password"], weak
    assert not User.objects.filter(username="karaj.weak").exists()
    response = client.post(
        reverse("accounts:user_create"), {**data, "password": "Bahar-Sabz-1405!"}
    )
    assert response.status_code == 302
    response = client.post(
        reverse("accounts:user_create"), {**data, "password": "Bahar-Sabz-1405!"}
    )
    assert response.context["form"].errors["username"]


def test_an_admin_cannot_remove_their_own_admin_role(client_for, world, personas):
    admin = personas.county_admin
    membership = admin.memberships.get()
    response = client_for(admin).post(reverse("accounts:membership_end", args=[membership.pk]),
                                      follow=True)  # fmt: skip
    assert response.status_code == 200
    membership.refresh_from_db()
    assert membership.is_active
    assert any("\u0600" <= ch <= "\u06ff" for m in response.context["messages"] for ch in str(m))


def test_adding_the_same_role_twice_is_a_form_error(client_for, world, personas):
    client = client_for(personas.county_admin)
    url = reverse("accounts:membership_add", args=[personas.county_editor.pk])
    response = client.post(url, {"org": world.karaj_info.pk, "role": "editor"})
    assert response.status_code == 200
    assert response.context["form"].errors


def test_ended_role_stops_access_and_can_be_given_back(client_for, world, personas):
    client = client_for(personas.county_admin)
    editor = personas.county_editor
    membership = editor.memberships.get()
    client.post(reverse("accounts:membership_end", args=[membership.pk]))
    membership.refresh_from_db()
    assert not membership.is_active
    client.post(reverse("accounts:membership_add", args=[editor.pk]),
                {"org": world.karaj_info.pk, "role": "editor"})  # fmt: skip
    assert Membership.objects.get(pk=membership.pk).is_active
    assert Membership.objects.filter(user=editor).count() == 1


def test_switching_the_acting_membership(client_for, world, personas):
    editor = personas.county_editor
    other = Membership.objects.create(user=editor, org=world.karaj_municipality, role="viewer")
    client = client_for(editor)
    response = client.post(reverse("switch_membership"), {"membership": other.pk, "next": "/org/"})
    assert response.status_code == 302 and response["Location"] == "/org/"
    assert client.session[ACTING_SESSION_KEY] == other.pk
    assert client.get(reverse("home")).context["membership"] == other
    # Someone else's membership, garbage, or an outside `next` changes nothing.
    foreign = personas.outsider.memberships.get()
    for data in (
        {"membership": foreign.pk},
        {"membership": "x"},
        {"next": "https://evil.example/"},
    ):
        response = client.post(reverse("switch_membership"), data)
        assert response.status_code == 302 and response["Location"] == "/"
        assert client.session[ACTING_SESSION_KEY] == other.pk


def test_language_is_saved_on_the_user(client_for, personas):
    editor = personas.county_editor
    client = client_for(editor)
    response = client.post(reverse("set_language"), {"language": "en", "next": "/org/"})
    assert response.status_code == 302 and response["Location"] == "/org/"
    editor.refresh_from_db()
    assert editor.language == "en"
    assert client.get(reverse("home")).content.decode().count('dir="ltr"') >= 1
    client.post(reverse("set_language"), {"language": "xx"})
    editor.refresh_from_db()
    assert editor.language == "en"


def test_language_before_login_is_a_cookie(client, world):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/login/"})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    html = client.get(reverse("login")).content.decode()
    assert 'lang="en"' in html and "Log in" in html


GARBAGE = [
    {},
    {"name": "", "kind": "", "code": ""},
    {"name": "x" * 5000, "kind": "castle", "code": "نه لاتین", "parent": "abc", "place": "-1"},
    {
        "username": "bad name!",
        "email": "not-an-email",
        "phone": "tel",
        "org": "999999",
        "role": "king",
        "language": "xx",
        "password": "",
    },
    {"first_name": "\x00", "last_name": "x" * 1000, "is_active": "maybe"},
    {"org": "null", "role": "", "title": "x" * 500},
    {"name": ["a", "b"], "parent": ["1", "2"], "place": "99999999999999999999"},
]


@pytest.mark.parametrize("data", GARBAGE)
def test_garbage_to_every_form_is_never_a_500(client_for, world, personas, data):
    client = client_for(personas.county_admin)
    editor = personas.county_editor
    urls = [
        reverse("accounts:organization_create"),
        reverse("accounts:organization_edit", args=[world.karaj_info.pk]),
        reverse("accounts:user_create"),
        reverse("accounts:user_edit", args=[editor.pk]),
        reverse("accounts:membership_add", args=[editor.pk]),
        reverse("accounts:my_tokens"),
        reverse("accounts:password_change"),
        reverse("set_language"),
        reverse("switch_membership"),
        reverse("login"),
    ]
    before = Organization.objects.count(), User.objects.count(), Membership.objects.count()
    for url in urls:
        response = client.post(url, data)
        assert response.status_code in (200, 302, 400, 403, 404), (url, response.status_code)
    assert (
        Organization.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
    ) == before
