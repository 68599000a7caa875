"""Violation reports at 100,000 rows: the export goes through the real task on the database
queue (`worker --once`), and every report of the filter is in the file — CSV, GeoJSON, XLSX —
with the reporter columns for a supervisor."""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command

from didban.compliance.models import Violation
from didban.core import exports, periodic
from didban.core.actions import do_request_export
from didban.core.models import ExportJob
from didban.field.tests.test_exports_at_scale import xlsx_rows

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

ROWS = 100_000
DB_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": []}}


@pytest.fixture(autouse=True)
def _setup(settings, tmp_path, monkeypatch):
    settings.EXPORT_DIR = tmp_path / "exports"
    settings.TASKS = DB_QUEUE
    monkeypatch.setattr(periodic, "JOBS", {})


def make_reports(world, personas, election, candidates, n: int) -> None:
    start = datetime(2024, 2, 22, 6, 0, tzinfo=UTC)
    agent = personas.county_field_agent
    rows = []
    for i in range(n):
        citizen = i % 3 == 0
        located = i % 4 != 0
        when = start + timedelta(seconds=7 * i)
        rows.append(
            Violation(
                org=world.karaj,
                election=election,
                source=Violation.Source.CITIZEN if citizen else Violation.Source.FIELD,
                reporter=None if citizen else agent,
                tracking_code=f"{10_000_000 + i}",
                citizen_name="شهروند" if citizen else "",
                description=f"پوستر شماره {i}",
                description_norm=f"پوستر شماره {i}",
                candidate=candidates[i % 2],
                latitude="35.830000" if located else None,
                longitude="50.990000" if located else None,
                observed_at=when,
                created_at=when,
                status=Violation.Status.RECEIVED if i % 5 else Violation.Status.DISMISSED,
            )
        )
    Violation.objects.bulk_create(rows, batch_size=5000)


def test_100k_violation_reports(
    world, personas, election, candidates, django_capture_on_commit_callbacks
):
    """The three formats of the same 100,000 received reports (of 125,000), queued together
    and built by one round of the real worker."""
    make_reports(world, personas, election, candidates, ROWS + ROWS // 4)
    with django_capture_on_commit_callbacks(execute=True):
        jobs = {
            fmt: do_request_export(
                actor=personas.county_supervisor,
                source="compliance.violations",
                format=fmt,
                params={"status": "received"},
            )
            for fmt in ("csv", "geojson", "xlsx")
        }
    call_command("worker", "--once")
    for fmt, job in jobs.items():
        job.refresh_from_db()
        assert job.state == ExportJob.State.DONE, (fmt, job.error)
        assert job.rows_total == ROWS  # 4 in 5 are received
    path = exports.file_path(jobs["csv"])
    with open(path, encoding="utf-8-sig", newline="") as handle:
        header, *rows = csv.reader(handle)
    assert len(rows) == ROWS and "گزارشگر" in header
    assert {row[header.index("گزارشگر")] for row in rows} == {
        "شهروند",
        str(personas.county_field_agent),
    }
    job = jobs["geojson"]
    features = json.loads(exports.file_path(job).read_text(encoding="utf-8"))["features"]
    assert len(features) == job.rows_done and job.rows_skipped > 0
    assert job.rows_done + job.rows_skipped == ROWS
    assert features[0]["geometry"]["coordinates"] == [50.99, 35.83]
    assert xlsx_rows(exports.file_path(jobs["xlsx"])) == ROWS + 1
