"""Places are shared reference data: every member, of any organisation, reads them (the
outsider from Fardis sees Karaj's places too; that is by design, not a leak). The picker finds
«کرج» when typed with an Arabic kaf «كرج», and «ی» / «ي» alike; list and detail pages, the
picker's htmx partial, and the API list (search, kind, within) and detail."""

from __future__ import annotations

import pytest
from django.urls import reverse

from didban.places.models import Place
from didban.testing import PlaceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def places(world):
    karaj = world.karaj_place
    return {
        "mohammadshahr": PlaceFactory(code="300101", kind=Place.Kind.SATELLITE_TOWN,
                                      name_fa="محمدشهر", parent=karaj),
        "karaj_city": PlaceFactory(code="300102", kind=Place.Kind.CITY, name_fa="کرج",
                                   name_en="Karaj", parent=karaj),
        "kamalshahr": PlaceFactory(code="300103", kind=Place.Kind.CITY, name_fa="کمال‌شهر",
                                   parent=karaj),
        "village": PlaceFactory(code="300104", kind=Place.Kind.VILLAGE, name_fa="سیدآباد",
                                parent=karaj),
        "fardis_city": PlaceFactory(code="300601", kind=Place.Kind.CITY, name_fa="فردیس",
                                    parent=world.fardis_place),
    }  # fmt: skip


def test_picker_finds_karaj_typed_with_arabic_kaf(client_for, personas, places):
    response = client_for(personas.county_editor).get(
        reverse("places:place_pick"), {"q": "كرج"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html  # a partial for htmx
    names = [p.name_fa for p in response.context["results"]]
    assert names[:2] == ["کرج", "کرج"]  # the county and the city, prefix matches first
    assert f'data-pick-id="{places["karaj_city"].pk}"' in html


def test_picker_treats_arabic_and_persian_yeh_alike(client_for, personas, places):
    client = client_for(personas.county_editor)
    for typed in ("سيدآباد", "سیدآباد", "سيد"):
        names = [
            p.name_fa
            for p in client.get(reverse("places:place_pick"), {"q": typed}).context["results"]
        ]
        assert names == ["سیدآباد"], typed


def test_picker_filters_by_kind_and_handles_nothing(client_for, personas, places):
    client = client_for(personas.county_editor)
    results = client.get(reverse("places:place_pick"), {"q": "کرج", "kind": "city"}).context[
        "results"
    ]
    assert [p.pk for p in results] == [places["karaj_city"].pk]
    response = client.get(reverse("places:place_pick"), {"q": ""})
    assert response.status_code == 200 and list(response.context["results"]) == []
    response = client.get(reverse("places:place_pick"), {"q": "ناموجود", "kind": "<script>"})
    assert "مکانی یافت نشد" in response.content.decode()


def test_the_outsider_sees_karaj_places(client_for, personas, places, world):
    """Places are shared: the Fardis editor reads Karaj's places like anyone else."""
    client = client_for(personas.outsider)
    assert (
        client.get(reverse("places:place_detail", args=[world.karaj_place.pk])).status_code == 200
    )
    names = [
        p.name_fa
        for p in client.get(reverse("places:place_pick"), {"q": "محمد"}).context["results"]
    ]
    assert names == ["محمدشهر"]


def test_a_person_without_membership_sees_no_places(client_for, places):
    from didban.testing import UserFactory

    client = client_for(UserFactory())
    assert client.get(reverse("places:place_list")).status_code == 403
    assert client.get(reverse("api:place_list")).status_code == 403


def test_list_and_detail_pages(client_for, personas, places, world):
    client = client_for(personas.county_editor)
    response = client.get(reverse("places:place_list"))
    assert [p.name_fa for p in response.context["page"]] == ["البرز"]  # provinces by default
    response = client.get(reverse("places:place_list"), {"q": "شهر", "kind": "satellite_town"})
    assert [p.name_fa for p in response.context["page"]] == ["محمدشهر"]
    response = client.get(reverse("places:place_list"), {"q": "كمال"}, HTTP_HX_REQUEST="true")
    assert "<html" not in response.content.decode() and "کمال‌شهر" in response.content.decode()
    response = client.get(reverse("places:place_list"), {"kind": "nonsense", "page": "x"})
    assert response.status_code == 200
    response = client.get(reverse("places:place_detail", args=[world.karaj_place.pk]))
    assert response.status_code == 200
    assert {p.name_fa for p in response.context["children"]} >= {"محمدشهر", "کمال‌شهر"}
    assert [p.name_fa for p in response.context["ancestors"]] == ["البرز"]
    assert client.get(reverse("places:place_detail", args=[999999])).status_code == 404


def test_api_list_and_detail(client_for, personas, places, world):
    client = client_for(personas.outsider)
    body = client.get(reverse("api:place_list"), {"search": "كرج"}).json()
    assert {p["code"] for p in body["results"]} == {"3001", "300102"}
    body = client.get(
        reverse("api:place_list"), {"kind": "city", "within": world.karaj_place.pk}
    ).json()
    assert {p["name_fa"] for p in body["results"]} == {"کرج", "کمال‌شهر"}
    body = client.get(reverse("api:place_list"), {"within": world.fardis_place.pk}).json()
    assert {p["code"] for p in body["results"]} == {"3006", "300601"}
    response = client.get(reverse("api:place_list"), {"within": 999999})
    assert response.status_code == 404
    body = client.get(reverse("api:place_detail", args=[places["karaj_city"].pk])).json()
    assert body["full_name"] == "کرج، کرج، البرز"
    assert body["parent"] == world.karaj_place.pk
    assert client.get(reverse("api:place_detail", args=[999999])).status_code == 404
