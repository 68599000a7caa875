"""The report schedules page: list, create, edit, pause, remove and "send now", scoped to the
supervisor's organisations; chats limited to the organisation's Telegram/Bale channels."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from didban.command.actions import do_save_schedule
from didban.command.models import Report, ReportSchedule
from didban.core.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def page_url(org):
    return f"{reverse('command:schedules')}?org={org.pk}"


def test_supervisor_creates_a_schedule_with_a_chat_of_the_county(
    client_for, personas, world, make_chat
):
    karaj_chat = make_chat(world.karaj, name="کانال بله کرج")
    fardis_chat = make_chat(world.fardis, name="کانال بله فردیس", target="@fardis")
    make_chat(world.karaj, kind="eitaa", name="کانال ایتا کرج", secret="eitaa-token")
    client = client_for(personas.county_supervisor)
    page = client.get(page_url(world.karaj))
    assert page.status_code == 200
    choices = dict(page.context["form"].fields["channel_id"].choices)
    assert karaj_chat.pk in choices
    assert fardis_chat.pk not in choices  # another county's chat
    assert "کانال ایتا کرج" not in " ".join(map(str, choices.values()))  # no sendDocument there

    saved = client.post(page_url(world.karaj), {
        "period": "daily", "emails": "governor@example.org\ndeputy@example.org",
        "channel_id": str(karaj_chat.pk), "enabled": "on",
    })  # fmt: skip
    assert saved.status_code == 302
    schedule = ReportSchedule.objects.get(org=world.karaj)
    assert (schedule.period, schedule.channel_id, schedule.enabled) == (
        "daily", karaj_chat.pk, True,
    )  # fmt: skip
    assert schedule.email_list() == ["governor@example.org", "deputy@example.org"]
    listing = client.get(page_url(world.karaj)).content.decode()
    assert "governor@example.org" in listing and "کانال بله کرج" in listing
    assert AuditEntry.objects.filter(verb="report_schedule.save", org=world.karaj).exists()


def test_bad_input_is_a_translated_error_and_keeps_what_was_typed(
    client_for, personas, world, make_chat
):
    fardis_chat = make_chat(world.fardis, target="@fardis")
    client = client_for(personas.county_supervisor)
    with translation.override("fa"):
        bad = client.post(page_url(world.karaj), {"period": "daily",
                                                  "emails": "governor@example.org, nonsense"})  # fmt: skip
    assert bad.status_code == 200
    assert "nonsense نشانی ایمیل نیست." in bad.context["form"].errors["emails"]
    assert "governor@example.org, nonsense" in bad.content.decode()  # nothing lost
    empty = client.post(page_url(world.karaj), {"period": "weekly", "emails": ""})
    assert empty.context["form"].errors["emails"] == [
        "دست‌کم یک نشانی ایمیل بدهید یا یک کانال پیام‌رسان برگزینید."
    ]
    foreign = client.post(
        page_url(world.karaj), {"period": "daily", "channel_id": str(fardis_chat.pk)}
    )
    assert foreign.status_code == 200 and foreign.context["form"].errors["channel_id"]
    assert not ReportSchedule.objects.exists()


def test_edit_pause_resume_and_remove(client_for, personas, world):
    schedule = do_save_schedule(
        actor=personas.county_supervisor, org=world.karaj, period="daily",
        emails="governor@example.org",
    )  # fmt: skip
    client = client_for(personas.county_supervisor)
    edit = reverse("command:schedule_edit", args=[schedule.pk])
    assert client.get(edit).context["form"].initial["period"] == "daily"
    assert client.post(edit, {"period": "weekly", "emails": "x@example.org",
                              "enabled": "on"}).status_code == 302  # fmt: skip
    schedule.refresh_from_db()
    assert (schedule.period, schedule.emails) == ("weekly", "x@example.org")

    pause = reverse("command:schedule_pause", args=[schedule.pk])
    client.post(pause)
    schedule.refresh_from_db()
    assert schedule.enabled is False
    assert "متوقف" in client.get(page_url(world.karaj)).content.decode()
    client.post(pause)
    schedule.refresh_from_db()
    assert schedule.enabled is True

    client.post(reverse("command:schedule_delete", args=[schedule.pk]))
    assert not ReportSchedule.objects.exists()
    assert AuditEntry.objects.filter(verb="report_schedule.delete").count() == 1


def test_send_now_makes_and_emails_the_last_period(
    client_for, personas, world, django_capture_on_commit_callbacks
):
    schedule = do_save_schedule(
        actor=personas.county_supervisor, org=world.karaj, period="hourly",
        emails="governor@example.org", enabled=False,
    )  # fmt: skip
    client = client_for(personas.county_supervisor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("command:schedule_send", args=[schedule.pk]))
    assert response.status_code == 302
    assert Report.objects.filter(org=world.karaj, period="hourly").count() == 2
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["governor@example.org"]
    schedule.refresh_from_db()
    assert schedule.last_period_end is None  # the schedule's own run is not moved


def test_province_supervisor_sees_the_counties_schedules(client_for, personas, world):
    do_save_schedule(actor=personas.county_supervisor, org=world.karaj, period="daily",
                     emails="k@example.org")  # fmt: skip
    do_save_schedule(actor=personas.province_supervisor, org=world.fardis, period="daily",
                     emails="f@example.org")  # fmt: skip
    province = client_for(personas.province_supervisor).get(page_url(world.alborz))
    assert {s.org for s in province.context["schedules"]} == {world.karaj, world.fardis}
    county = client_for(personas.county_supervisor).get(reverse("command:schedules"))
    assert [s.org for s in county.context["schedules"]] == [world.karaj]


def test_outsider_and_viewer_are_refused(client_for, personas, world):
    schedule = do_save_schedule(
        actor=personas.county_supervisor, org=world.karaj, period="daily", emails="k@example.org"
    )
    outsider = client_for(personas.outsider)
    assert outsider.get(page_url(world.karaj)).status_code == 404
    assert outsider.get(reverse("command:schedule_edit", args=[schedule.pk])).status_code == 404
    for name in ("schedule_pause", "schedule_delete", "schedule_send"):
        assert outsider.post(reverse(f"command:{name}", args=[schedule.pk])).status_code == 404
    assert outsider.post(page_url(world.karaj), {"period": "daily",
                                                 "emails": "a@example.org"}).status_code == 404  # fmt: skip
    viewer = client_for(personas.county_viewer)
    assert viewer.get(reverse("command:schedules")).status_code == 403
    assert viewer.post(reverse("command:schedule_delete", args=[schedule.pk])).status_code == 404
    schedule.refresh_from_db()
    assert schedule.enabled and ReportSchedule.objects.count() == 1
