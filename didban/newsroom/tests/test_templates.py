"""Templates are shared down the tree; a county's template marked shared_with_province is
usable by its province and the province's other counties (C9), and by nobody else."""

import pytest
from django.core.exceptions import ValidationError

from didban.newsroom.actions import do_create_item, do_create_template
from didban.newsroom.queries import list_templates, usable_templates
from didban.testing import OrganizationFactory


def test_template_fills_a_new_item(world, personas):
    template = do_create_template(
        actor=personas.county_editor,
        org=world.karaj_info,
        name="اطلاعیه استاندارد",
        kind="announcement",
        title="اطلاعیه شماره …",
        body="<p>به اطلاع می‌رساند</p>",
    )
    item = do_create_item(
        actor=personas.county_producer, org=world.karaj_info, title="", template=template
    )
    assert item.kind == "announcement" and item.title == "اطلاعیه شماره …"
    assert "به اطلاع می‌رساند" in item.body


def test_sharing_rules(world, personas):
    local = do_create_template(
        actor=personas.county_editor, org=world.karaj_info, name="محلی", kind="news"
    )
    pilot = do_create_template(
        actor=personas.county_editor,
        org=world.karaj_info,
        name="پایلوت",
        kind="poster",
        shared_with_province=True,
    )
    # Down the tree: the committee's own templates; the county above cannot use them unless shared.
    assert set(usable_templates(world.karaj_info)) == {local, pilot}
    assert set(usable_templates(world.karaj)) == {pilot}
    assert set(usable_templates(world.alborz)) == {pilot}
    assert set(usable_templates(world.fardis_info)) == {pilot}
    # Another province sees neither.
    other_province = OrganizationFactory(kind="province_hq", parent=world.national, code="tehran")
    assert set(usable_templates(other_province)) == set()
    # The outsider (Fardis) lists only the shared one and can use it, but not the local one.
    assert set(list_templates(personas.outsider)) == {pilot}
    do_create_item(actor=personas.outsider, org=world.fardis_info, title="پوستر", template=pilot)
    with pytest.raises(ValidationError):
        do_create_item(actor=personas.outsider, org=world.fardis_info, title="خبر", template=local)
