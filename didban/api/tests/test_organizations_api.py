"""`/api/v1/me/` and the organisations endpoints: scoped lists and details (the outsider gets
404 for Karaj), creation needs org.manage on the parent, validation errors come back as
`{"error": {"code", "message", "fields"}}`."""

from __future__ import annotations

import pytest
from django.urls import reverse

from didban.accounts.models import Organization

pytestmark = pytest.mark.django_db


def post(client, data):
    return client.post(reverse("api:organization_create"), data, content_type="application/json")


def test_me(client_for, personas, world):
    body = client_for(personas.county_editor).get(reverse("api:me")).json()
    assert body["username"] == "karaj.editor"
    assert body["language"] == "fa"
    assert body["memberships"] == [
        {"id": personas.county_editor.memberships.get().pk, "org_id": world.karaj_info.pk,
         "org_name": "کمیته اطلاع‌رسانی کرج", "role": "editor", "title": ""}
    ]  # fmt: skip


def test_list_is_scoped(client_for, personas, world):
    body = client_for(personas.outsider).get(reverse("api:organization_list")).json()
    assert [o["code"] for o in body["results"]] == ["fardis-info"]
    body = client_for(personas.province_supervisor).get(reverse("api:organization_list")).json()
    codes = {o["code"] for o in body["results"]}
    assert {"alborz", "karaj", "karaj-info", "fardis", "fardis-info"} <= codes
    assert "national" not in codes


def test_list_filters(client_for, personas, world):
    client = client_for(personas.province_supervisor)
    body = client.get(reverse("api:organization_list"), {"kind": "committee"}).json()
    assert {o["code"] for o in body["results"]} == {"karaj-info", "fardis-info"}
    body = client.get(reverse("api:organization_list"), {"search": "فردیس"}).json()
    assert {o["code"] for o in body["results"]} == {"fardis", "fardis-info"}
    body = client.get(reverse("api:organization_list"), {"page": "999"})
    assert body.status_code == 404
    assert body.json()["error"]["code"] == "not_found"


def test_detail_outsider_gets_404(client_for, personas, world):
    response = client_for(personas.outsider).get(
        reverse("api:organization_detail", args=[world.karaj.pk])
    )
    assert response.status_code == 404
    assert set(response.json()["error"]) == {"code", "message"}
    response = client_for(personas.province_supervisor).get(
        reverse("api:organization_detail", args=[world.karaj.pk])
    )
    assert response.json()["code"] == "karaj"


def test_create_needs_org_manage(client_for, personas, world):
    data = {
        "parent": world.karaj.pk,
        "kind": "committee",
        "name": "کمیته حقوقی",
        "code": "karaj-legal",
    }
    response = post(client_for(personas.county_editor), data)
    assert response.status_code == 404  # not a parent the editor manages
    response = post(client_for(personas.outsider), data)
    assert response.status_code == 404
    assert not Organization.objects.filter(code="karaj-legal").exists()
    response = post(client_for(personas.county_admin), data)
    assert response.status_code == 201, response.content
    assert response.json()["code"] == "karaj-legal"
    org = Organization.objects.get(code="karaj-legal")
    assert org.parent == world.karaj and org.path.startswith(world.karaj.path)


def test_create_with_a_place(client_for, personas, world):
    data = {"parent": world.karaj.pk, "kind": "pr_unit", "unit_type": "municipality",
            "name": "شهرداری", "code": "muni-2", "place": world.karaj_place.pk}  # fmt: skip
    response = post(client_for(personas.county_admin), data)
    assert response.status_code == 201
    assert response.json()["place"] == world.karaj_place.pk
    data.update(code="muni-3", place=999999)
    assert post(client_for(personas.county_admin), data).status_code == 404


def test_validation_errors_name_the_fields(client_for, personas, world):
    client = client_for(personas.county_admin)
    response = post(client, {"parent": "x", "kind": "castle", "code": "نه لاتین"})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert error["message"]
    assert {"parent", "kind", "name", "code"} <= set(error["fields"])


def test_action_errors_come_back_as_fields(client_for, personas, world):
    client = client_for(personas.county_admin)
    # A county HQ can only sit under a province HQ.
    response = post(
        client, {"parent": world.karaj.pk, "kind": "county_hq", "name": "x", "code": "x-1"}
    )
    assert response.status_code == 400
    assert "parent" in response.json()["error"]["fields"]
    response = post(
        client, {"parent": world.karaj.pk, "kind": "committee", "name": "x", "code": "karaj-info"}
    )
    assert response.status_code == 400
    assert "code" in response.json()["error"]["fields"]


def test_garbage_bodies_are_400_not_500(client_for, personas, world):
    client = client_for(personas.county_admin)
    for body, content_type in [
        ("{not json", "application/json"),
        ("[]", "application/json"),
        ('"text"', "application/json"),
        ("a=b", "application/x-www-form-urlencoded"),
        ("\x00\xff", "application/octet-stream"),
    ]:
        response = client.post(reverse("api:organization_create"), body, content_type=content_type)
        assert 400 <= response.status_code < 500, (body, response.status_code)
        assert "error" in response.json()
