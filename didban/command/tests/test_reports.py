"""Reports: a Persian PDF (shaped, right to left, Persian page numbers) and an RTL XLSX."""

from __future__ import annotations

from datetime import timedelta
from io import BytesIO

import pypdfium2 as pdfium
import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone
from openpyxl import load_workbook

from didban.command.actions import do_generate_report, do_save_schedule
from didban.command.models import Report
from didban.command.schedule import run_due_schedules
from didban.command.tests.conftest import figure
from didban.core import audit

pytestmark = pytest.mark.django_db


@pytest.fixture
def day(world, hour):
    start = hour - timedelta(hours=5)
    figure(world.karaj_info, "production.news", 12, start)
    figure(world.karaj_info, "production.video", 2, start + timedelta(hours=1))
    figure(world.karaj, "now.violations.open", 4, hour)
    with transaction.atomic():
        audit.record(
            actor="test", verb="item.publish", org=world.karaj_info, object_repr="افتتاح ستاد"
        )
    return start, hour + timedelta(hours=1)


def test_pdf_is_persian_with_persian_page_numbers(personas, world, day, tmp_path, screenshot_dir):
    start, end = day
    reports = do_generate_report(
        actor=personas.county_supervisor, org=world.karaj, period="daily", start=start, end=end
    )
    pdf = next(r for r in reports if r.format == "pdf")
    path = tmp_path / "r.pdf"
    path.write_bytes(pdf.file.read())
    assert path.read_bytes().startswith(b"%PDF")
    document = pdfium.PdfDocument(str(path))
    text = "\n".join(page.get_textpage().get_text_range() for page in document)
    assert "گزارش روزانه" in text
    assert "ستاد انتخابات شهرستان کرج" in text
    assert "افتتاح ستاد" in text
    assert "۱۴" in text  # 12 + 2 items, in Persian digits
    assert "صفحه ۱" in text
    image = document[0].render(scale=60 / 72).to_pil()
    image.save(screenshot_dir / "command-report-page1.png")
    assert image.width > 400


def test_xlsx_is_right_to_left_with_jalali_dates(personas, world, day):
    start, end = day
    reports = do_generate_report(
        actor=personas.county_supervisor, org=world.karaj, period="daily", start=start, end=end,
        formats=("xlsx",),
    )  # fmt: skip
    book = load_workbook(BytesIO(reports[0].file.read()))
    assert all(sheet.sheet_view.rightToLeft for sheet in book.worksheets)
    summary = book.worksheets[0]
    assert "گزارش روزانه" in summary["A1"].value
    assert summary["B2"].value.startswith("۱۴")  # a Jalali year in Persian digits
    values = [c.value for row in summary.iter_rows() for c in row]
    assert 12 in values and 2 in values


def test_outsider_cannot_generate_for_karaj(personas, world, day):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        do_generate_report(
            actor=personas.outsider, org=world.karaj, period="daily", start=day[0], end=day[1]
        )
    with pytest.raises(PermissionDenied):
        do_generate_report(
            actor=personas.county_viewer, org=world.karaj, period="daily", start=day[0], end=day[1]
        )


def test_schedule_generates_and_emails_once_per_period(
    personas, world, day, django_capture_on_commit_callbacks
):
    do_save_schedule(
        actor=personas.county_supervisor, org=world.karaj, period="daily",
        emails="governor@example.org, deputy@example.org",
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        assert run_due_schedules() == 1
        assert run_due_schedules() == 0  # the same period is not sent twice
    assert Report.objects.filter(org=world.karaj, period="daily").count() == 2
    assert len(mail.outbox) == 1
    assert set(mail.outbox[0].to) == {"governor@example.org", "deputy@example.org"}
    assert len(mail.outbox[0].attachments) == 2
    assert "governor@example.org" in Report.objects.first().sent_to


def test_bad_email_is_a_clear_error(personas, world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as exc:
        do_save_schedule(
            actor=personas.county_supervisor, org=world.karaj, period="daily", emails="not-an-email"
        )
    assert "emails" in exc.value.message_dict


def test_report_generated_at_now_has_notable_events(personas, world, day):
    reports = do_generate_report(
        actor=personas.county_supervisor, org=world.karaj, period="hourly",
        start=timezone.now() - timedelta(hours=1), end=timezone.now() + timedelta(minutes=1),
        formats=("xlsx",),
    )  # fmt: skip
    book = load_workbook(BytesIO(reports[0].file.read()))
    events = book.worksheets[-1]
    assert any(row[2] == "افتتاح ستاد" for row in events.iter_rows(values_only=True))
