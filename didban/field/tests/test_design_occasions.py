"""A design's occasion is a newsroom occasion of its own branch of the tree; the library is
filtered by it and the newsroom's occasions page links to the designs."""

from datetime import date
from importlib import import_module

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError

from didban.field import actions
from didban.field.models import Design
from didban.field.queries import list_designs
from didban.field.tests.helpers import jpeg
from didban.newsroom.models import Occasion

pytestmark = pytest.mark.django_db


def occasion(org, name="دهه فجر ۱۴۰۲"):
    return Occasion.objects.create(
        org=org, name=name, starts_on=date(2024, 1, 31), ends_on=date(2024, 2, 10)
    )


def test_a_design_takes_an_occasion_of_its_branch_and_its_name(personas, world):
    fajr = occasion(world.karaj)
    province = occasion(world.alborz, "جشن ملی انتخابات")
    design = actions.do_create_design(
        actor=personas.county_producer, org=world.karaj_info, title="طرح ۱", upload=jpeg(),
        linked_occasion=fajr,
    )  # fmt: skip
    assert design.linked_occasion == fajr and design.occasion == "دهه فجر ۱۴۰۲"
    # An HQ above the design's organisation plans occasions for its counties too.
    other = actions.do_create_design(
        actor=personas.county_producer, org=world.karaj_info, title="طرح ۲", upload=jpeg(),
        linked_occasion=province,
    )  # fmt: skip
    assert other.linked_occasion == province


def test_another_countys_occasion_is_refused_by_the_action(personas, world):
    fardis = occasion(world.fardis)
    with pytest.raises(ValidationError) as info:
        actions.do_create_design(
            actor=personas.county_producer, org=world.karaj_info, title="طرح", upload=jpeg(),
            linked_occasion=fardis,
        )  # fmt: skip
    assert "linked_occasion" in info.value.error_dict
    assert not Design.objects.exists()


def test_the_form_refuses_an_outsiders_occasion(client_for, personas, world):
    fardis = occasion(world.fardis)
    client = client_for(personas.county_producer)
    response = client.post(
        "/field/designs/new/",
        {"org": world.karaj_info.pk, "title": "طرح", "linked_occasion": fardis.pk,
         "upload": jpeg()},
    )  # fmt: skip
    assert response.status_code == 200
    assert "linked_occasion" in response.context["form"].errors
    assert not Design.objects.exists()
    # Karaj's own occasion is offered and accepted.
    ours = occasion(world.karaj)
    page = client.get("/field/designs/new/")
    choices = list(page.context["form"].fields["linked_occasion"].queryset)
    assert ours in choices and fardis not in choices
    response = client.post(
        "/field/designs/new/",
        {"org": world.karaj_info.pk, "title": "طرح", "linked_occasion": ours.pk,
         "upload": jpeg()},
    )  # fmt: skip
    assert response.status_code == 302
    assert Design.objects.get().linked_occasion == ours


def test_the_library_is_filtered_by_occasion(client_for, personas, world):
    fajr, election_day = occasion(world.karaj), occasion(world.karaj, "روز انتخابات")
    for title, linked in (("الف", fajr), ("ب", election_day), ("پ", None)):
        actions.do_create_design(
            actor=personas.county_producer, org=world.karaj_info, title=title, upload=jpeg(),
            linked_occasion=linked,
        )  # fmt: skip
    assert [d.title for d in list_designs(personas.county_editor, occasion_id=fajr.pk)] == ["الف"]
    page = client_for(personas.county_editor).get(f"/field/designs/?occasion={fajr.pk}")
    titles = [d.title for d in page.context["page"]]
    assert titles == ["الف"]
    assert "روز انتخابات" in page.content.decode()  # the filter offers the other occasion
    # An occasion the user cannot see filters nothing out (it is ignored, not an error).
    fardis = occasion(world.fardis)
    page = client_for(personas.county_editor).get(f"/field/designs/?occasion={fardis.pk}")
    assert len(page.context["page"]) == 3


def test_linking_an_existing_design_and_the_outsider(client_for, personas, world):
    design = actions.do_create_design(
        actor=personas.county_producer, org=world.karaj_info, title="قدیمی", upload=jpeg(),
        occasion="متن آزاد",
    )  # fmt: skip
    fajr = occasion(world.karaj)
    url = f"/field/designs/{design.pk}/occasion/"
    assert client_for(personas.outsider).post(url, {"linked_occasion": fajr.pk}).status_code == 404
    response = client_for(personas.county_producer).post(url, {"linked_occasion": fajr.pk})
    assert response.status_code == 302
    design.refresh_from_db()
    assert design.linked_occasion == fajr and design.occasion == fajr.name
    fardis = occasion(world.fardis)
    client_for(personas.county_producer).post(url, {"linked_occasion": fardis.pk})
    design.refresh_from_db()
    assert design.linked_occasion == fajr  # an outsider's occasion is not even a choice
    detail = client_for(personas.county_editor).get(f"/field/designs/{design.pk}/")
    assert f"?occasion={fajr.pk}" in detail.content.decode()


def test_the_occasions_page_links_to_their_designs(client_for, personas, world):
    fajr = occasion(world.karaj)
    page = client_for(personas.county_editor).get("/newsroom/occasions/")
    assert f"/field/designs/?occasion={fajr.pk}" in page.content.decode()


def test_migration_links_old_free_text_by_normalised_name(personas, world):
    """The data step of 0002: a text matching one occasion of the design's branch is linked
    (Arabic ي/ك and spacing do not matter); no match, or another county's, stays text."""
    karaj_occasion = occasion(world.karaj, "دهه فجر")
    occasion(world.fardis, "روز ملی")
    made = {}
    for title, text in (("a", "دهه  فجر"), ("b", "روز ملي"), ("c", "بی‌نام")):
        made[title] = actions.do_create_design(
            actor=personas.county_producer, org=world.karaj_info, title=title, upload=jpeg(),
            occasion=text,
        )  # fmt: skip
    # Old rows were typed before fix_display: Arabic letters and a double space.
    Design.objects.filter(title="a").update(occasion="دهه\u200c  فجر")
    Design.objects.filter(title="b").update(occasion="روز ملي")
    occasion(world.karaj, "روز ملی کرج")
    Design.objects.update(linked_occasion=None)
    migration = import_module("didban.field.migrations.0002_design_linked_occasion")
    migration.link_by_name(apps, None)
    linked = dict(Design.objects.values_list("title", "linked_occasion"))
    assert linked == {"a": karaj_occasion.pk, "b": None, "c": None}
