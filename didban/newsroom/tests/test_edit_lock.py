"""A second editor is warned who is editing; a save from a stale version is refused and
nothing the user typed is lost."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from didban.newsroom.actions import do_lock_item, do_submit_item, do_update_item


def test_second_editor_is_told_who_holds_the_lock(make_item, personas):
    item = make_item()
    assert do_lock_item(actor=personas.county_producer, item=item) is None
    assert do_lock_item(actor=personas.county_producer, item=item) is None  # refresh
    holder = do_lock_item(actor=personas.county_editor, item=item)
    assert holder == personas.county_producer


def test_expired_lock_is_taken_over(make_item, personas, time_machine):
    time_machine.move_to(timezone.now(), tick=True)
    item = make_item()
    do_lock_item(actor=personas.county_producer, item=item)
    time_machine.shift(60 * 11)
    assert do_lock_item(actor=personas.county_editor, item=item) is None


def test_stale_version_is_refused(make_item, personas):
    item = make_item()
    old_version = item.version
    do_update_item(actor=personas.county_producer, item=item, version=old_version, title="نسخه اول")
    with pytest.raises(ValidationError) as info:
        do_update_item(
            actor=personas.county_editor, item=item, version=old_version, title="نسخه دوم"
        )
    assert "version" in info.value.message_dict
    item.refresh_from_db()
    assert item.title == "نسخه اول"


def test_edit_page_warns_and_stale_form_keeps_text(make_item, personas, client_for, client):
    item = make_item()
    client_for(personas.county_producer).get(f"/newsroom/items/{item.pk}/edit/")
    client.logout()
    editor = client_for(personas.county_editor)
    page = editor.get(f"/newsroom/items/{item.pk}/edit/").content.decode()
    assert str(personas.county_producer) in page and "lock-warning" in page
    stale_version = item.version
    do_update_item(
        actor=personas.county_producer, item=item, version=item.version, title="تیتر تولیدکننده"
    )
    response = editor.post(
        f"/newsroom/items/{item.pk}/edit/",
        {
            "version": stale_version,
            "title": "متن ویراستار که نباید گم شود",
            "kind": "news",
            "body": "<p>بدنه ویراستار</p>",
        },
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "متن ویراستار که نباید گم شود" in content and "بدنه ویراستار" in content
    item.refresh_from_db()
    assert item.title == "تیتر تولیدکننده"


def test_lock_refresh_endpoint(make_item, personas, client_for):
    item = make_item()
    do_submit_item(actor=personas.county_producer, item=item)
    response = client_for(personas.county_editor).post(f"/newsroom/items/{item.pk}/lock/")
    assert response.status_code == 200
    item.refresh_from_db()
    assert item.locked_by == personas.county_editor
