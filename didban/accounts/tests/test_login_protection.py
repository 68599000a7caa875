"""Login protection: django-axes locks a username+address after DIDBAN_LOGIN_FAILURE_LIMIT
failures (the locked page is shown and even the right password is refused); a flood of login
posts from one address gets the 429 page; logout is POST only; CSRF is enforced."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from didban.testing import PASSWORD

pytestmark = pytest.mark.django_db


def post_login(client, username, password, ip="198.51.100.20"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def test_lockout_after_the_failure_limit(client, personas):
    editor = personas.county_editor
    limit = settings.AXES_FAILURE_LIMIT
    assert limit == 5  # DIDBAN_LOGIN_FAILURE_LIMIT's default
    for _ in range(limit - 1):
        response = post_login(client, editor.username, "wrong-password")
        assert response.status_code == 200
        assert "_auth_user_id" not in client.session
    response = post_login(client, editor.username, "wrong-password")
    assert response.status_code == 429
    assert "accounts/locked_out.html" in [t.name for t in response.templates]

    response = post_login(client, editor.username, PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert "قفل" in response.content.decode() or "locked" in response.content.decode()

    # Another address is not locked out by this one's failures.
    response = post_login(Client(), editor.username, PASSWORD, ip="198.51.100.99")
    assert response.status_code == 302


def test_a_success_before_the_limit_resets_the_count(client, personas):
    editor = personas.county_editor
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        post_login(client, editor.username, "wrong-password")
    assert post_login(client, editor.username, PASSWORD).status_code == 302
    client.post(reverse("logout"))
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert post_login(client, editor.username, "wrong-password").status_code == 200
    assert post_login(client, editor.username, PASSWORD).status_code == 302


def test_the_login_throttle_answers_429(client, world):
    """30 posts a minute from one address; different usernames so axes is not what stops it."""
    for n in range(30):
        assert post_login(client, f"nobody{n}", "x", ip="198.51.100.30").status_code == 200
    response = post_login(client, "nobody-else", "x", ip="198.51.100.30")
    assert response.status_code == 429
    html = response.content.decode()
    assert "دقیقه" in html  # «Wait a minute and try again», in Persian
    assert response.context["throttled"] is True
    # Another address still gets the form.
    assert post_login(client, "nobody-else", "x", ip="198.51.100.31").status_code == 200


def test_logout_is_post_only(client_for, personas):
    client = client_for(personas.county_editor)
    assert client.get(reverse("logout")).status_code == 405
    assert "_auth_user_id" in client.session
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert "_auth_user_id" not in client.session


def test_csrf_is_enforced_on_login_and_forms(personas):
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        reverse("login"), {"username": personas.county_editor.username, "password": PASSWORD}
    )
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session
    assert "403_csrf.html" in [t.name for t in response.templates]

    client.get(reverse("login"))
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    response = client.post(
        reverse("login"),
        {"username": personas.county_editor.username, "password": PASSWORD,
         "csrfmiddlewaretoken": token},
    )  # fmt: skip
    assert response.status_code == 302

    response = client.post(reverse("set_language"), {"language": "en"})
    assert response.status_code == 403
    response = client.post(reverse("logout"))
    assert response.status_code == 403
    assert "_auth_user_id" in client.session


def test_csrf_is_enforced_on_the_api_with_a_session(personas):
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.county_editor)
    response = client.post(
        reverse("api:token_issue"), {"name": "x"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"


def test_session_and_csrf_cookie_settings():
    assert settings.SESSION_COOKIE_HTTPONLY
    assert settings.CSRF_COOKIE_HTTPONLY
    assert settings.SESSION_COOKIE_SAMESITE == "Lax"
    assert settings.X_FRAME_OPTIONS == "DENY"
