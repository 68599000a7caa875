"""Who may move an item where: producers draft and submit, editors approve and publish,
viewers and supervisors read, the outsider (Fardis editor) can do nothing to Karaj items."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from didban.core.models import AuditEntry
from didban.newsroom import actions
from didban.newsroom.models import Item
from didban.newsroom.queries import list_items

S = Item.Status


def test_producer_drafts_and_submits_but_cannot_approve_or_publish(make_item, personas):
    item = make_item()
    assert item.status == S.DRAFT
    item = actions.do_submit_item(actor=personas.county_producer, item=item)
    assert item.status == S.IN_REVIEW
    with pytest.raises(PermissionDenied):
        actions.do_approve_item(actor=personas.county_producer, item=item)
    with pytest.raises(PermissionDenied):
        actions.do_publish_item(actor=personas.county_producer, item=item)
    assert Item.objects.get(pk=item.pk).status == S.IN_REVIEW


def test_editor_approves_then_publishes(make_item, personas):
    item = make_item()
    actions.do_submit_item(actor=personas.county_producer, item=item)
    item = actions.do_approve_item(actor=personas.county_editor, item=item)
    assert item.status == S.APPROVED
    item = actions.do_publish_item(actor=personas.county_editor, item=item)
    assert (
        item.status == S.PUBLISHED
        and item.published_at
        and item.published_by == personas.county_editor
    )
    verbs = list(
        AuditEntry.objects.filter(object_id=str(item.pk), object_type="newsroom.item")
        .order_by("seq")
        .values_list("verb", flat=True)
    )
    assert verbs == ["item.create", "item.submit", "item.approve", "item.publish"]


def test_draft_cannot_be_published_directly(make_item, personas):
    item = make_item(actor=personas.county_editor)
    with pytest.raises(ValidationError):
        actions.do_publish_item(actor=personas.county_editor, item=item)


def test_return_to_draft_keeps_the_note(make_item, personas):
    item = make_item()
    actions.do_submit_item(actor=personas.county_producer, item=item)
    with pytest.raises(ValidationError):
        actions.do_return_item(actor=personas.county_editor, item=item, note=" ")
    item = actions.do_return_item(actor=personas.county_editor, item=item, note="تیتر کوتاه‌تر شود")
    assert item.status == S.DRAFT and item.review_note == "تیتر کوتاه‌تر شود"
    assert item.comments.count() == 1


@pytest.mark.parametrize(
    "who", ["county_viewer", "county_supervisor", "province_supervisor", "outsider"]
)
def test_readers_and_outsider_cannot_create(personas, world, who):
    with pytest.raises(PermissionDenied):
        actions.do_create_item(actor=getattr(personas, who), org=world.karaj_info, title="x")


def test_supervisors_and_viewer_see_county_items_outsider_does_not(make_item, personas):
    item = make_item()
    for who in ("county_viewer", "county_supervisor", "province_supervisor", "county_editor"):
        assert item in list_items(getattr(personas, who)), who
    assert item not in list_items(personas.outsider)


def test_outsider_cannot_publish_or_retract(make_item, published_item, personas):
    item = make_item()
    actions.do_submit_item(actor=personas.county_producer, item=item)
    with pytest.raises(PermissionDenied):
        actions.do_publish_item(actor=personas.outsider, item=item)
    with pytest.raises(PermissionDenied):
        actions.do_retract_item(actor=personas.outsider, item=published_item, reason="x")


def test_producer_cannot_edit_after_submission(make_item, personas):
    item = make_item()
    actions.do_submit_item(actor=personas.county_producer, item=item)
    with pytest.raises(PermissionDenied):
        actions.do_update_item(actor=personas.county_producer, item=item, title="تغییر")
    item = actions.do_update_item(actor=personas.county_editor, item=item, title="تیتر ویراسته")
    assert item.title == "تیتر ویراسته"


def test_correct_and_retract_published(published_item, personas):
    with pytest.raises(ValidationError):
        actions.do_update_item(actor=personas.county_editor, item=published_item, title="x")
    with pytest.raises(PermissionDenied):
        actions.do_correct_item(
            actor=personas.county_producer, item=published_item, note="n", title="y"
        )
    item = actions.do_correct_item(
        actor=personas.county_editor,
        item=published_item,
        note="ساعت نشست اصلاح شد",
        title="تیتر اصلاحی",
    )
    assert item.status == S.CORRECTED and item.correction_note == "ساعت نشست اصلاح شد"
    with pytest.raises(ValidationError):
        actions.do_retract_item(actor=personas.county_editor, item=item, reason="")
    item = actions.do_retract_item(actor=personas.county_editor, item=item, reason="خبر نادرست بود")
    assert item.status == S.RETRACTED and item.retraction_reason == "خبر نادرست بود"


def test_body_is_sanitised_and_searchable(make_item):
    item = make_item(
        title="ثبت نام داوطلبان",
        body='<p onclick="x()">ثبت‌نام <script>alert(1)</script><b>آغاز</b> شد</p>',
    )
    assert "script" not in item.body and "onclick" not in item.body
    assert "<b>آغاز</b>" in item.body
    assert item.body_text == "ثبت‌نام آغاز شد"
    from didban.newsroom.queries import list_items as li

    assert item in li(item.author, search="كرج".replace("كرج", "داوطلبان"))
