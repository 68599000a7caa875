"""API tokens: issued with the key shown once (only its hash kept), used as
`Authorization: Bearer`, revoked → 401 with a translated JSON error; nobody revokes another
person's token."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from didban.api.models import ApiToken

pytestmark = pytest.mark.django_db


def issue(client, name="تبلت میدانی ۳"):
    response = client.post(
        reverse("api:token_issue"), {"name": name}, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    return response.json()


def bearer(key, **headers):
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}", **headers)


def test_issue_shows_the_key_once_and_stores_only_its_hash(client_for, personas):
    client = client_for(personas.county_field_agent)
    body = issue(client)
    key = body["key"]
    assert key.startswith("dbn_") and len(key) > 40
    token = ApiToken.objects.get(pk=body["id"])
    assert token.key_hash == ApiToken.hash_key(key)
    assert key not in token.key_hash and token.prefix == key[:12]
    listing = client.get(reverse("api:token_list")).json()
    assert [t["id"] for t in listing] == [token.pk]
    assert "key" not in listing[0] and "key_hash" not in listing[0]


def test_issue_through_the_page_shows_the_key_once(client_for, personas):
    client = client_for(personas.county_field_agent)
    response = client.post(reverse("accounts:my_tokens"), {"name": "تبلت"})
    key = response.context["new_key"]
    assert key and key in response.content.decode()
    again = client.get(reverse("accounts:my_tokens"))
    assert key not in again.content.decode()


def test_bearer_token_authenticates(client_for, personas):
    key = issue(client_for(personas.county_field_agent))["key"]
    response = bearer(key).get(reverse("api:me"))
    assert response.status_code == 200
    assert response.json()["username"] == "karaj.field"
    assert ApiToken.objects.get().last_used_at is not None


def test_revoked_token_gets_401_with_a_json_error(client_for, personas):
    client = client_for(personas.county_field_agent)
    body = issue(client)
    response = client.post(reverse("api:token_revoke", args=[body["id"]]))
    assert response.status_code == 200
    assert response.json()["revoked_at"]
    response = bearer(body["key"], HTTP_ACCEPT_LANGUAGE="en").get(reverse("api:me"))
    assert response.status_code == 401
    error = response.json()["error"]
    assert error["code"] == "authentication_failed"
    assert error["message"] == "Invalid or revoked token."
    assert response["WWW-Authenticate"] == "Bearer"


def test_errors_are_in_persian_for_persian_clients(client_for, personas):
    response = bearer("dbn_nonsense", HTTP_ACCEPT_LANGUAGE="fa").get(reverse("api:me"))
    assert response.status_code == 401
    message = response.json()["error"]["message"]
    assert any("\u0600" <= ch <= "\u06ff" for ch in message), message


def test_errors_follow_the_users_language(client_for, personas):
    """A logged-in user's saved language wins over the browser's."""
    editor = personas.county_editor
    client = client_for(editor)
    response = client.get(
        reverse("api:organization_detail", args=[999999]), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 404
    message = response.json()["error"]["message"]
    assert any("\u0600" <= ch <= "\u06ff" for ch in message), message


def test_malformed_authorization_header(personas):
    response = Client(HTTP_AUTHORIZATION="Bearer a b").get(reverse("api:me"))
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "authentication_failed"


def test_no_credentials(client):
    response = client.get(reverse("api:me"))
    assert response.status_code in (401, 403)
    assert response.json()["error"]["code"] == "not_authenticated"


def test_nobody_revokes_another_persons_token(client_for, personas):
    key_body = issue(client_for(personas.county_field_agent))
    client = Client()
    client.force_login(personas.county_admin)
    response = client.post(reverse("api:token_revoke", args=[key_body["id"]]))
    assert response.status_code == 404
    response = client.post(reverse("accounts:token_revoke", args=[key_body["id"]]))
    assert response.status_code == 404
    assert ApiToken.objects.get().revoked_at is None
    assert bearer(key_body["key"]).get(reverse("api:me")).status_code == 200


def test_a_disabled_person_token_stops_working(client_for, personas):
    key = issue(client_for(personas.county_field_agent))["key"]
    personas.county_field_agent.is_active = False
    personas.county_field_agent.save(update_fields=["is_active"])
    assert bearer(key).get(reverse("api:me")).status_code == 401


def test_a_token_needs_a_name(client_for, personas):
    client = client_for(personas.county_field_agent)
    response = client.post(
        reverse("api:token_issue"), {"name": "   "}, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"]
