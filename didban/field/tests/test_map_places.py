"""The coverage map's reference places: the area's settlements with coordinates, nothing else."""

from datetime import date

import pytest

from didban.field.queries import map_places
from didban.field.tests.helpers import city, window
from didban.places.models import Place
from didban.testing import PlaceFactory

pytestmark = pytest.mark.django_db


def test_only_the_areas_settlements_with_coordinates(world):
    city(world)
    PlaceFactory(code="3001012118", kind=Place.Kind.SATELLITE_TOWN, name_fa="ماهدشت",
                 parent=world.karaj_place, latitude="35.7282", longitude="50.8134")  # fmt: skip
    PlaceFactory(code="300101", kind=Place.Kind.DISTRICT, name_fa="مرکزی",
                 parent=world.karaj_place, latitude="35.8", longitude="50.9")  # fmt: skip
    PlaceFactory(code="3001030001261571", kind=Place.Kind.VILLAGE, name_fa="آبهرک",
                 parent=world.karaj_place)  # fmt: skip
    PlaceFactory(code="3006011", kind=Place.Kind.CITY, name_fa="فردیس",
                 parent=world.fardis_place, latitude="35.72", longitude="50.98")  # fmt: skip
    names = {p["name"]: p["kind"] for p in map_places(world.karaj_place)}
    assert names == {"کرج": "city", "ماهدشت": "satellite_town"}
    assert map_places(None) == []


def test_the_coverage_page_carries_the_places(client_for, personas, world):
    city(world)
    win = window(personas.county_editor, world, starts=date(2024, 1, 21), ends=date(2024, 2, 19))
    page = client_for(personas.county_supervisor).get(f"/field/windows/{win.pk}/coverage/")
    assert [p["name"] for p in page.context["places"]] == ["کرج"]
    assert 'id="field-map-places"' in page.content.decode()
    assert (
        client_for(personas.outsider).get(f"/field/windows/{win.pk}/coverage/").status_code == 404
    )
