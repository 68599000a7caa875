"""Every foundation action, done through its page, writes an audit entry naming the actor,
the organisation, the verb, the object, before/after and the client's IP address."""

from __future__ import annotations

import pytest
from django.urls import reverse

from didban.accounts.models import Membership, Organization, User
from didban.api.models import ApiToken
from didban.core.audit import verify_chain
from didban.core.models import AuditEntry
from didban.testing import PASSWORD

pytestmark = pytest.mark.django_db

IP = "203.0.113.7"


def last(verb: str) -> AuditEntry:
    return AuditEntry.objects.filter(verb=verb).order_by("-seq").first()


@pytest.fixture
def admin_client(client_for, personas):
    return client_for(personas.county_admin)


def test_organisation_create_and_edit(admin_client, world, personas):
    response = admin_client.post(
        reverse("accounts:organization_create"),
        {"name": "کمیته امنیت کرج", "kind": "committee", "code": "karaj-security",
         "parent": world.karaj.pk},
        REMOTE_ADDR=IP,
    )  # fmt: skip
    assert response.status_code == 302
    org = Organization.objects.get(code="karaj-security")
    entry = last("organization.create")
    assert (entry.actor, entry.org, entry.ip) == (personas.county_admin, org, IP)
    assert entry.object_id == str(org.pk)
    assert entry.before is None
    assert entry.after["name"] == "کمیته امنیت کرج"
    assert entry.after["parent"] == world.karaj.pk

    response = admin_client.post(
        reverse("accounts:organization_edit", args=[org.pk]),
        {"name": "کمیته امنیت شهرستان کرج", "kind": "committee", "code": "karaj-security",
         "parent": world.karaj.pk},
        REMOTE_ADDR=IP,
    )  # fmt: skip
    assert response.status_code == 302
    entry = last("organization.update")
    assert (entry.actor, entry.org, entry.ip) == (personas.county_admin, org, IP)
    assert entry.before["name"] == "کمیته امنیت کرج"
    assert entry.after["name"] == "کمیته امنیت شهرستان کرج"


def test_user_create_edit_and_memberships(admin_client, world, personas):
    response = admin_client.post(
        reverse("accounts:user_create"),
        {"username": "karaj.new", "first_name": "علی", "last_name": "اکبری", "language": "fa",
         "org": world.karaj_info.pk, "role": "producer", "password": "Tavana-Shahr-1403!"},
        REMOTE_ADDR=IP,
    )  # fmt: skip
    assert response.status_code == 302, response.context["form"].errors
    person = User.objects.get(username="karaj.new")
    created = last("user.create")
    assert (created.actor, created.org, created.ip) == (personas.county_admin, world.karaj_info, IP)
    assert created.after["username"] == "karaj.new"
    assert "password" not in created.after
    joined = last("membership.create")
    assert joined.org == world.karaj_info
    assert joined.after["role"] == "producer"

    response = admin_client.post(
        reverse("accounts:user_edit", args=[person.pk]),
        {"first_name": "علی", "last_name": "اکبرزاده", "language": "en", "is_active": "on"},
        REMOTE_ADDR=IP,
    )
    assert response.status_code == 302
    updated = last("user.update")
    assert (updated.actor, updated.ip) == (personas.county_admin, IP)
    # Filed under the person's organisation so the admins who manage them see it.
    assert updated.org == world.karaj_info
    assert updated.before["last_name"] == "اکبری"
    assert updated.after["last_name"] == "اکبرزاده"
    assert updated.after["language"] == "en"

    response = admin_client.post(
        reverse("accounts:membership_add", args=[person.pk]),
        {"org": world.karaj_municipality.pk, "role": "viewer", "title": "ناظر"},
        REMOTE_ADDR=IP,
    )
    assert response.status_code == 302
    added = last("membership.create")
    assert (added.org, added.ip) == (world.karaj_municipality, IP)
    assert added.after["title"] == "ناظر"

    membership = Membership.objects.get(user=person, org=world.karaj_municipality)
    response = admin_client.post(
        reverse("accounts:membership_end", args=[membership.pk]), REMOTE_ADDR=IP
    )
    assert response.status_code == 302
    ended = last("membership.end")
    assert (ended.actor, ended.org, ended.ip) == (
        personas.county_admin,
        world.karaj_municipality,
        IP,
    )
    assert ended.before["is_active"] is True
    assert ended.after["is_active"] is False


def test_own_settings_language_tokens_password(client_for, world, personas):
    editor = personas.county_editor
    client = client_for(editor)
    client.post(reverse("set_language"), {"language": "en", "next": "/"}, REMOTE_ADDR=IP)
    entry = last("user.set_language")
    assert (entry.actor, entry.ip, entry.before, entry.after) == (
        editor, IP, {"language": "fa"}, {"language": "en"},
    )  # fmt: skip

    client.post(reverse("accounts:my_tokens"), {"name": "تبلت میدانی"}, REMOTE_ADDR=IP)
    token = ApiToken.objects.get(user=editor)
    entry = last("api_token.issue")
    assert (entry.actor, entry.ip, entry.object_id) == (editor, IP, str(token.pk))
    client.post(reverse("accounts:token_revoke", args=[token.pk]), REMOTE_ADDR=IP)
    assert (last("api_token.revoke").actor, last("api_token.revoke").ip) == (editor, IP)

    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "Tazeh-Ramz-1405!",
         "new_password2": "Tazeh-Ramz-1405!"},
        REMOTE_ADDR=IP,
    )  # fmt: skip
    assert response.status_code == 302
    entry = last("user.set_password")
    assert (entry.actor, entry.ip, entry.object_id) == (editor, IP, str(editor.pk))
    assert "Tazeh" not in str(entry.before) + str(entry.after)


def test_login_and_logout(client, world, personas):
    editor = personas.county_editor
    client.post(reverse("login"), {"username": editor.username, "password": PASSWORD},
                REMOTE_ADDR=IP)  # fmt: skip
    entry = last("user.login")
    assert (entry.actor, entry.org, entry.ip) == (editor, world.karaj_info, IP)
    client.post(reverse("logout"), REMOTE_ADDR=IP)
    entry = last("user.logout")
    assert (entry.actor, entry.org, entry.ip) == (editor, world.karaj_info, IP)


def test_the_chain_of_all_those_entries_verifies(admin_client, world):
    admin_client.post(
        reverse("accounts:organization_create"),
        {"name": "واحد", "kind": "pr_unit", "code": "unit-1", "parent": world.karaj.pk},
    )
    report = verify_chain()
    assert report.ok, report.problem
    assert report.entries == AuditEntry.objects.count() >= 2
