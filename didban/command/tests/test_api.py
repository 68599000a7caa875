"""The command room's API: scoped like the screen; bad input is a clear error."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from didban.command.tests.conftest import figure

pytestmark = pytest.mark.django_db


def api_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_figures_scoped_per_persona(personas, world, hour):
    figure(world.karaj_info, "production.news", 7, hour)
    figure(world.fardis_info, "production.news", 3, hour)
    province = api_for(personas.province_supervisor).get("/api/v1/command/figures/").json()
    assert province["totals"] == {"production.news": 10}
    assert {c["name"]: c["figures"]["production.news"] for c in province["children"]} == {
        world.karaj.name: 7, world.fardis.name: 3,
    }  # fmt: skip
    county = api_for(personas.county_supervisor).get("/api/v1/command/figures/").json()
    assert county["totals"] == {"production.news": 7}
    outsider = api_for(personas.outsider)
    assert outsider.get(f"/api/v1/command/figures/?org={world.karaj.pk}").status_code == 404
    assert outsider.get(f"/api/v1/command/feed/?org={world.karaj.pk}").status_code == 404
    assert api_for(personas.county_field_agent).get("/api/v1/command/figures/").status_code == 403


def test_set_target_through_the_api(personas, world):
    body = {"org": world.karaj.pk, "metric": "now.field.sites_covered", "value": 120,
            "starts_on": "2025-01-01", "ends_on": "2025-02-01"}  # fmt: skip
    created = api_for(personas.county_supervisor).post(
        "/api/v1/command/targets/", body, format="json"
    )
    assert created.status_code == 201 and created.json()["value"] == 120
    bad = api_for(personas.county_supervisor).post(
        "/api/v1/command/targets/", {**body, "metric": "x", "value": -1}, format="json"
    )
    assert bad.status_code == 400 and set(bad.json()["error"]["fields"]) == {"metric", "value"}
    assert (
        api_for(personas.outsider).post("/api/v1/command/targets/", body, format="json").status_code
        == 404
    )
