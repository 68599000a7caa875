"""A scheduled report goes out by email (a real SMTP server on 127.0.0.1) and as a PDF document
in a Bale/Telegram chat (the local fake Bot API): multipart upload, Persian caption; a failing
chat is recorded on the report and does not stop the email."""

from __future__ import annotations

from datetime import timedelta
from email import message_from_bytes
from email.policy import default as email_policy

import pytest
from django.urls import reverse

from didban.command.actions import do_save_schedule
from didban.command.models import Report
from didban.command.schedule import run_due_schedules
from didban.command.tests.conftest import figure
from didban.publishing.tests.fakes import FakeBotApi, SmtpSink, parse_body

pytestmark = pytest.mark.django_db


class RecordingBotApi(FakeBotApi):
    """The fake Bot API, also keeping each sendDocument's raw form fields and file bytes."""

    def __init__(self, **kwargs):
        self.documents: list[tuple[str, dict, dict]] = []
        super().__init__(**kwargs)

    def handle(self, handler, path, body):
        if path.endswith("/sendDocument"):
            fields, files = parse_body(handler.headers, body)
            with self.lock:
                self.documents.append((handler.headers.get("Content-Type", ""), fields, files))
        return super().handle(handler, path, body)


@pytest.fixture
def smtp(settings):
    with SmtpSink() as sink:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", sink.port
        settings.EMAIL_USE_TLS = False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        yield sink


@pytest.fixture
def bot():
    from didban.command.tests.conftest import BOT_TOKEN

    with RecordingBotApi(tokens=[BOT_TOKEN]) as server:
        yield server


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def yesterday(world, hour):
    from didban.command.queries import day_start

    start = day_start() - timedelta(days=1)
    figure(world.karaj_info, "production.news", 9, start + timedelta(hours=5))
    return start


def test_daily_report_is_emailed_and_posted_to_the_chat(
    world, personas, make_chat, smtp, bot, yesterday, django_capture_on_commit_callbacks
):
    chat = make_chat(world.karaj, target="@karaj_election", base_url=bot.url)
    do_save_schedule(
        actor=personas.county_supervisor, org=world.karaj, period="daily",
        emails="governor@example.org", channel_id=chat.pk,
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        assert run_due_schedules() == 1

    pdf = Report.objects.get(org=world.karaj, format="pdf")
    pdf_bytes = pdf.file.open("rb").read()
    # The messenger: one multipart sendDocument carrying the PDF itself.
    assert len(bot.documents) == 1
    content_type, fields, files = bot.documents[0]
    assert content_type.startswith("multipart/form-data")
    assert fields["chat_id"] == "@karaj_election"
    name, data = files["document"]
    assert name.endswith(".pdf") and data == pdf_bytes and data.startswith(b"%PDF")
    caption = fields["caption"]
    assert caption.startswith("گزارش روزانه — ستاد انتخابات شهرستان کرج")
    assert "از ۱۴" in caption and " تا ۱۴" in caption  # Jalali dates in Persian digits
    assert not any(ch.isascii() and ch.isdigit() for ch in caption)
    assert bot.posts("@karaj_election")[0]["kind"] == "sendDocument"

    # The email: through a real SMTP conversation, both files attached.
    assert len(smtp.messages) == 1
    message = message_from_bytes(smtp.messages[0]["data"], policy=email_policy)
    assert smtp.messages[0]["to"] == ["governor@example.org"]
    assert message["Subject"].strip() == "گزارش روزانه — ستاد انتخابات شهرستان کرج"
    attached = {part.get_filename(): part.get_content() for part in message.iter_attachments()}
    assert {n.rsplit(".", 1)[1] for n in attached} == {"pdf", "xlsx"}
    assert attached[name] == pdf_bytes

    for report in Report.objects.all():
        assert report.sent_to.split("\n") == ["governor@example.org", f"channel:{chat.pk}"]
        assert report.send_errors == ""


def test_a_failing_chat_is_recorded_and_the_email_still_goes(
    world, personas, make_chat, smtp, bot, yesterday, client_for,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    chat = make_chat(world.karaj, target="@karaj_election", base_url=bot.url, secret="999:wrong")
    do_save_schedule(
        actor=personas.county_supervisor, org=world.karaj, period="daily",
        emails="governor@example.org", channel_id=chat.pk,
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        assert run_due_schedules() == 1
    assert bot.posts() == []  # the Bot API refused the token (401)
    assert len(smtp.messages) == 1
    report = Report.objects.get(format="pdf")
    assert report.sent_to == "governor@example.org"
    assert report.send_errors.startswith(f"channel:{chat.pk}:")
    page = client_for(personas.county_supervisor).get(reverse("command:reports"))
    assert "ارسال نشد" in page.content.decode()


def test_a_mail_server_that_is_down_does_not_stop_the_chat(
    world, personas, make_chat, bot, yesterday, settings, django_capture_on_commit_callbacks
):
    from didban.publishing.tests.fakes import free_port

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2
    chat = make_chat(world.karaj, base_url=bot.url)
    do_save_schedule(
        actor=personas.county_supervisor, org=world.karaj, period="daily",
        emails="governor@example.org", channel_id=chat.pk,
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        run_due_schedules()
    assert len(bot.documents) == 1
    report = Report.objects.get(format="pdf")
    assert report.sent_to == f"channel:{chat.pk}"
    assert report.send_errors.startswith("email:")
