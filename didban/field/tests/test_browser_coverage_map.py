"""In Debian's chromium, with no tile server: the coverage map draws the sites over the area's
labelled places (city, satellite town, village) with a scale, fitted to the sites."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from didban.field import actions
from didban.field.tests.helpers import approved_design, city, site, window
from didban.places.models import Place
from didban.testing import PlaceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coverage_map_without_tiles_shows_sites_and_place_names(
    page, live_server, login, personas, world, settings, screenshot_dir
):
    settings.MAP_TILES_URL = ""
    editor = personas.county_editor
    karaj = city(world)
    mahdasht = PlaceFactory(
        code="3001012118", kind=Place.Kind.SATELLITE_TOWN, name_fa="ماهدشت", name_en="Mahdasht",
        parent=world.karaj_place, latitude="35.728200", longitude="50.813400",
    )  # fmt: skip
    PlaceFactory(
        code="3001010002261706", kind=Place.Kind.VILLAGE, name_fa="گلستانک", name_en="Golestanak",
        parent=world.karaj_place, latitude="35.776370", longitude="50.902400",
    )  # fmt: skip
    PlaceFactory(  # no coordinates: not drawn
        code="3001030001261571", kind=Place.Kind.VILLAGE, name_fa="آبهرک", parent=world.karaj_place
    )
    today = timezone.localdate()
    win = window(editor, world, starts=today - timedelta(days=3), ends=today + timedelta(days=20))
    design = approved_design(editor, world.karaj_info)
    for name, place, lat, lon in (
        ("بیلبورد میدان آزادی", karaj, "35.832660", "50.991550"),
        ("بنر بلوار جمهوری", karaj, "35.821000", "50.975000"),
        ("دیوار میدان ماهدشت", mahdasht, "35.729000", "50.815000"),
    ):
        actions.do_create_placement(
            actor=editor, window=win, design=design,
            site=site(editor, world, name=name, place=place, lat=lat, lon=lon),
        )  # fmt: skip

    login(page, live_server, personas.county_supervisor)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/field/windows/{win.pk}/coverage/")
    page.wait_for_selector("#field-map .site-dot")
    assert page.locator("#field-map .site-dot").count() == 3
    labels = page.locator("#field-map .place-label").all_inner_texts()
    assert sorted(labels) == sorted(["کرج", "ماهدشت", "گلستانک"])
    scale = page.locator("#field-map .leaflet-control-scale-line").inner_text()
    assert re.search("[۰-۹]", scale) and "متر" in scale  # «۳ کیلومتر»
    assert page.locator("#field-map .leaflet-tile").count() == 0  # no tile server asked
    # Fitted to the sites: every site is inside the visible map.
    inside = page.evaluate(
        """() => {
          const box = document.getElementById('field-map').getBoundingClientRect();
          return [...document.querySelectorAll('#field-map .site-dot')].every(d => {
            const r = d.getBoundingClientRect();
            return r.left >= box.left && r.right <= box.right && r.top >= box.top && r.bottom <= box.bottom;
          });
        }"""
    )
    assert inside
    page.locator("#field-map").screenshot(path=screenshot_dir / "field-coverage-map-no-tiles.png")
    page.screenshot(path=screenshot_dir / "field-coverage-no-tiles.png", full_page=True)
