"""Editing a source: every field through one audited action, the address checked against the
kind with a translated error, pause/resume; the outsider can neither see nor change it."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from didban.core.models import AuditEntry
from didban.monitoring.actions import do_create_outlet, do_update_source
from didban.monitoring.models import Source

pytestmark = pytest.mark.django_db


def _update(source, actor, **changes):
    values = {
        "outlet": source.outlet, "name": source.name, "kind": source.kind, "url": source.url,
        "place": source.place, "poll_minutes": source.poll_minutes,
        "silent_hours": source.silent_hours, "is_active": source.is_active,
    }  # fmt: skip
    values.update(changes)
    return do_update_source(actor=actor, source=source, **values)


def test_every_field_changes_through_one_audited_action(world, personas, make_source):
    source = make_source("https://www.irna.ir/rss", kind="feed")
    source.etag = '"abc"'
    source.save(update_fields=["etag"])
    other = do_create_outlet(
        actor=personas.county_analyst, org=world.karaj_info, name="ایسنا", kind="news_agency"
    )
    _update(source, personas.county_analyst, outlet=other, name="ایسنا استان",
            kind="channel_preview", url="https://t.me/s/isna_alborz", place=world.karaj.place,
            poll_minutes=30, silent_hours=6, is_active=False)  # fmt: skip
    source.refresh_from_db()
    assert (source.outlet, source.name, source.kind, source.url, source.place) == (
        other,
        "ایسنا استان",
        "channel_preview",
        "https://t.me/s/isna_alborz",
        world.karaj.place,
    )
    assert (source.poll_minutes, source.silent_hours, source.is_active) == (30, 6, False)
    assert source.etag == ""  # a new address forgets the old validators
    entry = AuditEntry.objects.filter(verb="monitoring.source.update").get()
    assert entry.actor_id == personas.county_analyst.pk
    assert entry.before["url"] == "https://www.irna.ir/rss"
    assert entry.after["url"] == "https://t.me/s/isna_alborz"
    assert entry.after["silent_hours"] == 6


@pytest.mark.parametrize(
    ("kind", "url", "fa_message"),
    [
        ("feed", "ftp://irna.ir/rss", "http:// یا https://"),
        ("feed", "https://t.me/s/irna", "پیش‌نمایش عمومی کانال"),
        ("web_index", "https://eitaa.com/irna", "پیش‌نمایش عمومی کانال"),
        ("channel_preview", "https://t.me/irna", "https://t.me/s/"),
        ("channel_preview", "https://eitaa.com/", "نام کانال"),
        ("local", "https://irna.ir/rss", "پرونده یا پوشه‌ای روی کارساز"),
        ("local", "archive/feeds", "با / آغاز"),
    ],
)
def test_an_address_that_does_not_suit_the_kind_is_refused_in_persian(
    personas, make_source, kind, url, fa_message
):
    source = make_source("https://www.irna.ir/rss", kind="feed")
    with translation.override("fa"), pytest.raises(ValidationError) as info:
        _update(source, personas.county_analyst, kind=kind, url=url)
    assert fa_message in " ".join(info.value.message_dict["url"])
    source.refresh_from_db()
    assert (source.kind, source.url) == ("feed", "https://www.irna.ir/rss")  # nothing lost


def test_the_english_error_names_the_right_kind(personas, make_source):
    source = make_source("https://www.irna.ir/rss")
    with translation.override("en"), pytest.raises(ValidationError) as info:
        _update(source, personas.county_analyst, url="https://t.me/s/irna")
    assert "Public channel preview" in info.value.message_dict["url"][0]
    with translation.override("en"), pytest.raises(ValidationError) as info:
        _update(source, personas.county_analyst, silent_hours=0, poll_minutes=0)
    assert set(info.value.message_dict) == {"silent_hours", "poll_minutes"}


def test_the_outsider_and_the_viewer_cannot_edit(world, personas, make_source):
    source = make_source("https://www.irna.ir/rss")
    with pytest.raises(PermissionDenied):
        _update(source, personas.outsider, name="x")
    with pytest.raises(PermissionDenied):
        _update(source, personas.county_viewer, name="x")
    assert Source.objects.get(pk=source.pk).name == "منبع آزمایشی"


def test_the_edit_page_saves_and_shows_errors(client_for, world, personas, make_source):
    source = make_source("https://www.irna.ir/rss")
    analyst = client_for(personas.county_analyst)
    url = reverse("monitoring:source_edit", args=[source.pk])
    page = analyst.get(url)
    assert page.status_code == 200 and "https://www.irna.ir/rss" in page.content.decode()
    form = {"outlet": source.outlet_id, "name": "ایرنا البرز", "kind": "feed",
            "url": "https://t.me/s/irna", "poll_minutes": 20, "silent_hours": 12,
            "is_active": "on", "fetch_full_text": "on"}  # fmt: skip
    bad = analyst.post(url, form)
    assert bad.status_code == 200
    assert "پیش‌نمایش عمومی کانال" in bad.content.decode()
    assert "https://t.me/s/irna" in bad.content.decode()  # the typed value is kept
    form["url"] = "https://www.irna.ir/fa/rss"
    assert analyst.post(url, form).status_code == 302
    source.refresh_from_db()
    assert (source.name, source.url, source.poll_minutes, source.silent_hours) == (
        "ایرنا البرز",
        "https://www.irna.ir/fa/rss",
        20,
        12,
    )
    # Pause and resume stay one click, audited.
    analyst.post(reverse("monitoring:source_toggle", args=[source.pk]))
    source.refresh_from_db()
    assert not source.is_active
    assert AuditEntry.objects.filter(verb="monitoring.source.pause").exists()


def test_the_outsider_gets_404_and_the_viewer_403_on_the_edit_page(
    client_for, personas, make_source
):
    source = make_source("https://www.irna.ir/rss")
    url = reverse("monitoring:source_edit", args=[source.pk])
    outsider = client_for(personas.outsider)
    assert outsider.get(url).status_code == 404
    assert outsider.post(url, {"name": "x"}).status_code == 404
    assert client_for(personas.county_viewer).get(url).status_code == 403


def test_the_api_changes_only_the_fields_sent_through_the_same_action(
    client_for, world, personas, make_source
):
    source = make_source("https://www.irna.ir/rss")
    url = f"/api/v1/monitoring/sources/{source.pk}/"
    analyst = client_for(personas.county_analyst)
    response = analyst.patch(url, {"silent_hours": 6, "place": world.karaj.place.pk},
                             content_type="application/json")  # fmt: skip
    assert response.status_code == 200, response.content
    assert response.json()["silent_hours"] == 6
    source.refresh_from_db()
    assert (source.silent_hours, source.place, source.url) == (
        6, world.karaj.place, "https://www.irna.ir/rss"
    )  # fmt: skip
    assert AuditEntry.objects.filter(verb="monitoring.source.update").count() == 1
    bad = analyst.patch(url, {"url": "https://t.me/s/irna"}, content_type="application/json")
    assert bad.status_code == 400
    assert "پیش‌نمایش عمومی کانال" in bad.json()["error"]["fields"]["url"][0]
    assert (
        client_for(personas.outsider)
        .patch(url, {"silent_hours": 1}, content_type="application/json")
        .status_code
        == 404
    )
    assert (
        client_for(personas.county_viewer)
        .patch(url, {"silent_hours": 1}, content_type="application/json")
        .status_code
        == 403
    )
    source.refresh_from_db()
    assert source.silent_hours == 6
