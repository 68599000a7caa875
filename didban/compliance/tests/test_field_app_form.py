"""The violation form compliance gives the offline field app: rendered into the app shell with
the lists it needs offline, scoped to the agent's elections."""

from __future__ import annotations

from datetime import date

import pytest

from didban.compliance.models import Candidate, Election
from didban.core.roles import Role
from didban.places.models import Place
from didban.testing import PlaceFactory, member

pytestmark = pytest.mark.django_db


def test_the_field_app_carries_the_form_with_candidates_categories_and_places(
    client_for, personas, election, world
):
    PlaceFactory(code="3001011590", kind=Place.Kind.CITY, name_fa="کرج", parent=world.karaj_place,
                 latitude="35.83266", longitude="50.99155")  # fmt: skip
    PlaceFactory(code="3006011", kind=Place.Kind.CITY, name_fa="فردیس", parent=world.fardis_place)
    fardis = Election.objects.create(
        org=world.fardis, name="انتخابات فردیس", slug="fardis", election_day=date(2024, 3, 1)
    )
    Candidate.objects.create(election=fardis, name="نامزد فردیس")
    page = client_for(personas.county_field_agent).get("/field/app/")
    html = page.content.decode()
    assert 'data-testid="violation-form"' in html
    assert 'data-outbox-url="/api/v1/compliance/violations/"' in html
    assert f'name="election" value="{election.pk}"' in html
    for candidate in election.candidates.all():
        assert candidate.name in html
    assert "نامزد فردیس" not in html and "فردیس</option>" not in html
    assert 'data-lat="35.832660"' in html  # the nearest place is chosen from these offline
    assert "defacing" in html and 'capture="environment"' in html
    assert "compliance/field_form.js" in html


def test_a_field_agent_without_an_election_is_told_so(client_for, world):
    agent = member(Role.FIELD_AGENT, world.fardis, username="fardis.field")
    html = client_for(agent).get("/field/app/").content.decode()
    assert 'data-testid="violation-no-election"' in html
    assert 'data-testid="violation-form"' not in html


def test_the_outsider_has_no_field_app(client_for, personas, election):
    assert client_for(personas.outsider).get("/field/app/").status_code == 403
