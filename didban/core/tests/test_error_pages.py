"""Friendly, translated error pages with DEBUG off: 403, 404, 429, 500 and the CSRF failure."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import translation

from didban.core.throttle import too_many_requests

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _debug_off(settings):
    settings.DEBUG = False


def test_404_for_a_member_in_persian(client_for, personas):
    response = client_for(personas.county_editor).get("/no/such/page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert 'dir="rtl"' in html
    assert "این صفحه وجود ندارد" in html
    assert 'data-testid="nav"' in html  # the shell around it, for a member


def test_404_in_english_for_an_english_user(client_for, personas):
    editor = personas.county_editor
    editor.language = "en"
    editor.save(update_fields=["language"])
    response = client_for(editor).get("/no/such/page/")
    html = response.content.decode()
    assert 'dir="ltr"' in html and "This page does not exist" in html


def test_404_for_an_anonymous_visitor_has_no_shell(client):
    response = client.get("/news/no-such-org/")
    if response.status_code != 404:
        pytest.skip("the portal answers this address")
    html = response.content.decode()
    assert 'data-testid="error-page"' in html
    assert 'data-testid="nav"' not in html


def test_403_page(client_for, personas):
    response = client_for(personas.county_editor).get(reverse("core:audit_list"))
    assert response.status_code == 403
    html = response.content.decode()
    assert "اجازه" in html and 'data-testid="error-page"' in html


def test_csrf_failure_page(personas):
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.county_editor)
    response = client.post(reverse("set_language"), {"language": "en"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "فرم" in html and 'data-testid="error-page"' in html
    assert "CSRF token" not in html  # no jargon for the user


def test_429_page(rf):
    request = rf.get("/")
    with translation.override("fa"):
        response = too_many_requests(request)
    assert response.status_code == 429
    assert "دقیقه" in response.content.decode()


def test_500_page_renders_without_a_request(settings):
    """Django renders 500.html with an empty context: it must need neither user nor database."""
    with translation.override("fa"):
        html = render_to_string("500.html")
    assert 'dir="rtl"' in html and 'data-testid="error-page"' in html
    assert "مشکلی" in html
    with translation.override("en"):
        assert "Something went wrong" in render_to_string("500.html")


def test_500_through_the_handler(client_for, personas, monkeypatch):
    from didban.core import views

    def boom(request):
        raise RuntimeError("boom")

    monkeypatch.setattr(views, "home_context", boom, raising=False)
    import didban.core.home

    monkeypatch.setattr(didban.core.home, "home_context", boom)
    client = client_for(personas.county_editor)
    client.raise_request_exception = False
    response = client.get(reverse("home"))
    assert response.status_code == 500
    assert 'data-testid="error-page"' in response.content.decode()
