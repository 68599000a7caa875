"""The hourly digest shares the daily report's code: the hour is a Jalali day and an hour of
Tehran time (by default the last full hour), shown in the app and as XLSX (right-to-left,
Jalali, Persian digits) and PDF; bad input gets a translated message, the outsider nothing."""

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pypdfium2 as pdfium
import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from didban.monitoring.actions import do_bulk_review_hits, do_ingest_entries, do_save_topic
from didban.monitoring.extract import Entry
from didban.monitoring.models import TopicHit

pytestmark = pytest.mark.django_db

TEHRAN = ZoneInfo("Asia/Tehran")
# 1402/12/08 (2024-02-27) in Tehran; "now" is 16:30, so the last full hour is 15:00–16:00.
NOW = datetime(2024, 2, 27, 16, 30, tzinfo=TEHRAN)
ARTICLES = [
    (datetime(2024, 2, 27, 14, 10, tzinfo=TEHRAN), "مشارکت ساعت دو"),
    (datetime(2024, 2, 27, 14, 50, tzinfo=TEHRAN), "مشارکت ساعت دو و نیم"),
    (datetime(2024, 2, 27, 15, 20, tzinfo=TEHRAN), "مشارکت ساعت سه"),
]


@pytest.fixture
def data(world, personas, make_source):
    topic = do_save_topic(
        actor=personas.county_analyst, org=world.karaj_info, name="مشارکت کرج", rule="مشارکت"
    )
    source = make_source("/archive", kind="local", name="منبع کرج")
    with time_machine.travel(NOW, tick=False):
        do_ingest_entries(actor=None, source=source, entries=[
            Entry(url=f"http://x.ir/{n}", title=title, published_at=when,
                  text=f"{title}: مشارکت مردم کرج در انتخابات ادامه دارد. شماره {n}")
            for n, (when, title) in enumerate(ARTICLES)
        ])  # fmt: skip
    hits = list(TopicHit.objects.order_by("article__published_at"))
    do_bulk_review_hits(actor=personas.county_analyst, hits=hits[:1], state="confirmed",
                        tone="negative")  # fmt: skip
    do_bulk_review_hits(actor=personas.county_analyst, hits=hits[2:], state="confirmed",
                        tone="positive")  # fmt: skip
    return topic


def _get(client, **params):
    with time_machine.travel(NOW, tick=False):
        return client.get(reverse("monitoring:report_hourly"), params)


def test_the_default_is_the_last_full_hour(client_for, personas, data):
    body = _get(client_for(personas.county_analyst)).content.decode()
    assert "۱۴۰۲/۱۲/۰۸ ۱۵:۰۰" in body and "۱۶:۰۰" in body
    assert "مشارکت ساعت سه" in body and "مشارکت ساعت دو" not in body
    totals = body.split('data-testid="report-totals">', 1)[1].split("</div>", 1)[0]
    assert "۱ مطلب" in totals and "۱ مورد" in totals


def test_a_chosen_jalali_day_and_hour(client_for, personas, data):
    body = _get(client_for(personas.county_analyst), day="۱۴۰۲/۱۲/۰۸", hour="14").content.decode()
    assert "مشارکت ساعت دو" in body  # the confirmed item of 14:10
    assert "مشارکت ساعت سه" not in body
    totals = body.split('data-testid="report-totals">', 1)[1].split("</div>", 1)[0]
    assert "۲ مطلب" in totals and "۲ مورد" in totals
    outlets = body.split('data-testid="articles-by-outlet">', 1)[1].split("</ul>", 1)[0]
    assert "ایرنا" in outlets and "۲" in outlets


@pytest.mark.parametrize(
    "params",
    [{"day": "۱۴۰۲/۱۳/۴۰", "hour": "5"}, {"day": "۱۴۰۲/۱۲/۰۸", "hour": "99"}, {"hour": "5"}],
)
def test_bad_input_gets_a_message_and_the_last_full_hour(client_for, personas, data, params):
    response = _get(client_for(personas.county_analyst), **params)
    assert response.status_code == 200
    body = response.content.decode()
    assert "ساعت کامل گذشته نشان داده شده است" in body
    assert "مشارکت ساعت سه" in body  # still the last full hour


def test_xlsx_is_right_to_left_with_jalali_dates_and_persian_digits(client_for, personas, data):
    response = _get(client_for(personas.county_analyst), day="۱۴۰۲/۱۲/۰۸", hour="14",
                    export="xlsx")  # fmt: skip
    assert response["Content-Disposition"] == (
        'attachment; filename="monitoring-1402-12-08-14h.xlsx"'
    )
    book = load_workbook(io.BytesIO(response.content))
    assert all(sheet.sheet_view.rightToLeft for sheet in book.worksheets)
    summary = book.worksheets[0]
    row = [c.value for c in summary[2]]
    assert "۱۴۰۲/۱۲/۰۸ ۱۴:۰۰" in row[0]
    assert row[1] == "۱۴۰۲/۱۲/۰۸ ۱۴:۰۰" and row[2] == "۱۴۰۲/۱۲/۰۸ ۱۵:۰۰"
    assert row[3:] == ["۲", "۲"]  # two articles, two hits
    tones = {r[0].value: r[1].value for r in book.worksheets[1].iter_rows(min_row=2)}
    assert tones == {"مثبت": "۰", "خنثی": "۰", "منفی": "۱"}


def test_pdf_of_the_digest_is_persian(client_for, personas, data, tmp_path):
    response = _get(client_for(personas.county_analyst), export="pdf")
    assert response["Content-Type"] == "application/pdf"
    path = tmp_path / "digest.pdf"
    path.write_bytes(response.content)
    document = pdfium.PdfDocument(str(path))
    text = "\n".join(page.get_textpage().get_text_bounded() for page in document)
    assert "مشارکت ساعت سه" in text
    assert "۱۴۰۲/۱۲/۰۸" in text


def test_the_daily_report_shares_the_code_and_exports_a_pdf(client_for, personas, data):
    analyst = client_for(personas.county_analyst)
    with time_machine.travel(NOW, tick=False):
        body = analyst.get(reverse("monitoring:report")).content.decode()
        pdf = analyst.get(reverse("monitoring:report"), {"export": "pdf"})
    assert "مشارکت ساعت دو" in body and "مشارکت ساعت سه" in body  # both confirmed items
    totals = body.split('data-testid="report-totals">', 1)[1].split("</div>", 1)[0]
    assert "۳ مطلب" in totals
    assert pdf.content.startswith(b"%PDF")


def test_the_outsider_sees_nothing_of_karaj(client_for, personas, data):
    outsider = client_for(personas.outsider)
    body = _get(outsider, day="۱۴۰۲/۱۲/۰۸", hour="14").content.decode()
    assert "مشارکت ساعت دو" not in body and "ایرنا" not in body
    book = load_workbook(io.BytesIO(_get(outsider, day="۱۴۰۲/۱۲/۰۸", hour="14",
                                         export="xlsx").content))  # fmt: skip
    assert [c.value for c in book.worksheets[0][2]][3:] == ["۰", "۰"]
