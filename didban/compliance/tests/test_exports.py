"""Exports of violation reports follow the desk: its filters (open by default, category,
candidate, received from/to), the requester's scope, and the reporter's identity only for
roles that may see it on the desk (supervisors); GeoJSON points are [lon, lat]."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from didban.compliance.models import RuleCategory, Violation
from didban.compliance.tests.factories import citizen_report, field_report
from didban.core.models import ExportJob

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _export_dir(settings, tmp_path):
    settings.EXPORT_DIR = tmp_path / "exports"


@pytest.fixture
def reports(personas, election, candidates):
    agent = personas.county_field_agent
    a = field_report(
        agent, election, text="پوستر روی دیوار مدرسه", candidate=candidates[0],
        latitude="35.840000", longitude="51.010000",
    )  # fmt: skip
    b = citizen_report(election, text="بنر روی تیر برق", name="مریم شهروند", phone="09120000000")
    c = field_report(agent, election, text="پوستر در مسجد")
    Violation.objects.filter(pk=a.pk).update(
        created_at=datetime(2024, 2, 25, 6, 0, tzinfo=UTC), rule_category=RuleCategory.DEFACING
    )
    Violation.objects.filter(pk=b.pk).update(created_at=datetime(2024, 2, 27, 6, 0, tzinfo=UTC))
    Violation.objects.filter(pk=c.pk).update(
        created_at=datetime(2024, 2, 28, 6, 0, tzinfo=UTC), status=Violation.Status.DISMISSED
    )
    return a, b, c


def run_export(client, fmt, query="", capture=None):
    with capture(execute=True):
        response = client.post(
            reverse("core:export_create"),
            {"source": "compliance.violations", "format": fmt, "query": query},
        )
    assert response.status_code == 302, response
    job = ExportJob.objects.latest("pk")
    assert job.state == ExportJob.State.DONE, job.error
    body = b"".join(client.get(reverse("core:export_download", args=[job.pk])).streaming_content)
    return job, body


def csv_rows(body: bytes) -> list[dict]:
    assert body.startswith(b"\xef\xbb\xbf")
    header, *rows = csv.reader(io.StringIO(body.decode("utf-8-sig")))
    return [dict(zip(header, row, strict=True)) for row in rows]


def test_the_desk_default_is_open_reports_and_identity_is_hidden_from_a_viewer(
    client_for, personas, reports, django_capture_on_commit_callbacks
):
    client = client_for(personas.county_viewer)
    _job, body = run_export(client, "csv", capture=django_capture_on_commit_callbacks)
    rows = csv_rows(body)
    assert {r["شماره"] for r in rows} == {str(reports[0].pk), str(reports[1].pk)}
    assert "گزارشگر" not in rows[0]
    assert "مریم شهروند" not in body.decode("utf-8-sig")
    assert "09120000000" not in body.decode("utf-8-sig")


def test_a_supervisor_gets_the_reporters_in_xlsx(
    client_for, personas, reports, django_capture_on_commit_callbacks
):
    client = client_for(personas.county_supervisor)
    _job, body = run_export(
        client, "xlsx", "status=all", capture=django_capture_on_commit_callbacks
    )
    sheet = load_workbook(io.BytesIO(body)).active
    assert sheet.sheet_view.rightToLeft is True
    header, *rows = sheet.iter_rows(values_only=True)
    records = {r[0]: dict(zip(header, r, strict=True)) for r in rows}
    assert len(records) == 3
    citizen = records[reports[1].pk]
    assert citizen["گزارشگر"] == "مریم شهروند"
    assert citizen["تلفن گزارشگر"] == "09120000000"
    assert records[reports[0].pk]["گزارشگر"] == str(personas.county_field_agent)
    # 2024-02-25 06:00 UTC = 09:30 on 6 Esfand 1402, Tehran.
    assert records[reports[0].pk]["زمان دریافت"] == "۱۴۰۲/۱۲/۰۶ ۰۹:۳۰"
    assert records[reports[0].pk]["زمان دریافت (ISO 8601)"] == "2024-02-25T09:30:00+03:30"


def test_filters_category_candidate_and_received_dates(
    client_for, personas, candidates, reports, django_capture_on_commit_callbacks
):
    client = client_for(personas.county_viewer)
    capture = django_capture_on_commit_callbacks
    _job, body = run_export(client, "csv", "category=defacing", capture=capture)
    assert [r["شماره"] for r in csv_rows(body)] == [str(reports[0].pk)]
    _job, body = run_export(client, "csv", f"candidate={candidates[0].pk}", capture=capture)
    assert [r["شماره"] for r in csv_rows(body)] == [str(reports[0].pk)]
    # From 7 to 9 Esfand 1402 (26–28 February), every status: the citizen's and the dismissed.
    job, body = run_export(
        client, "csv", "status=all&from=۱۴۰۲/۱۲/۰۷&to=1402/12/09", capture=capture
    )
    assert job.filters["from"] == "2024-02-26" and job.filters["to"] == "2024-02-28"
    assert sorted(int(r["شماره"]) for r in csv_rows(body)) == sorted([reports[1].pk, reports[2].pk])


def test_geojson_points_are_lon_lat_and_reports_without_gps_are_counted(
    client_for, personas, reports, django_capture_on_commit_callbacks
):
    client = client_for(personas.county_supervisor)
    job, body = run_export(client, "geojson", capture=django_capture_on_commit_callbacks)
    data = json.loads(body)
    (feature,) = data["features"]
    assert feature["geometry"]["coordinates"] == [51.01, 35.84]
    assert feature["properties"]["status"] == "received"
    assert feature["properties"]["category_label"] == "دیوارنویسی و آسیب به درختان و مبلمان شهری"
    assert (job.rows_done, job.rows_skipped) == (1, 1)


def test_the_outsider_exports_nothing_of_karaj_and_cannot_name_its_candidate(
    client_for, personas, candidates, reports, django_capture_on_commit_callbacks
):
    client = client_for(personas.outsider)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("core:export_create"),
            {"source": "compliance.violations", "format": "csv",
             "query": f"candidate={candidates[0].pk}"},
        )  # fmt: skip
    assert response.status_code == 404
    assert not ExportJob.objects.exists()
    job, body = run_export(client, "csv", "status=all", capture=django_capture_on_commit_callbacks)
    assert job.rows_done == 0 and csv_rows(body) == []


def test_a_field_agent_without_the_desk_cannot_export_it(client_for, personas, reports):
    client = client_for(personas.county_field_agent)
    response = client.post(
        reverse("core:export_create"), {"source": "compliance.violations", "format": "csv"}
    )
    assert response.status_code == 403
    assert not ExportJob.objects.exists()


def test_the_desk_has_the_export_button(client_for, personas, reports):
    page = client_for(personas.county_viewer).get(reverse("compliance:desk")).content.decode()
    assert 'data-testid="export-compliance.violations"' in page


def test_the_desk_filters_by_received_dates_like_its_export(client_for, personas, reports):
    client = client_for(personas.county_viewer)
    page = client.get(
        reverse("compliance:desk"), {"status": "all", "from": "۱۴۰۲/۱۲/۰۷", "to": "1402/12/09"}
    )
    shown = {v.pk for v in page.context["items"]}
    assert shown == {reports[1].pk, reports[2].pk}
    assert 'value="۱۴۰۲/۱۲/۰۷"' in page.content.decode()
    # A day that is not a date is ignored, never a 500.
    page = client.get(reverse("compliance:desk"), {"status": "all", "from": "فردا"})
    assert page.status_code == 200 and len(page.context["items"]) == 3
