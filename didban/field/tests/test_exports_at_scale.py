"""Exports at 100,000 rows: sites and placements go through the real task on the database
queue (`worker --once`), and every row is in the file — XLSX, CSV and GeoJSON."""

from __future__ import annotations

import csv
import json
import time
import zipfile
from datetime import date

import pytest
from django.core.management import call_command

from didban.core import exports, periodic
from didban.core.actions import do_request_export
from didban.core.models import ExportJob
from didban.field.models import Design, Placement, Site, Window
from didban.field.tests.helpers import city

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

ROWS = 100_000
DB_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": []}}


@pytest.fixture(autouse=True)
def _setup(settings, tmp_path, monkeypatch):
    settings.EXPORT_DIR = tmp_path / "exports"
    settings.TASKS = DB_QUEUE
    monkeypatch.setattr(periodic, "JOBS", {})


def make_sites(world, n: int) -> list[int]:
    place = city(world)
    rows = []
    for i in range(n):
        lat = None if i % 10 == 0 else f"35.{i % 1000000:06d}"
        rows.append(
            Site(
                org=world.karaj_info,
                code=f"S{i}",
                name=f"نقطه {i}",
                name_norm=f"نقطه {i}",
                kind=Site.Kind.BILLBOARD,
                place=place,
                area=Site.Area.CITY,
                latitude=lat,
                longitude=None if lat is None else "50.990000",
            )
        )
    Site.objects.bulk_create(rows, batch_size=5000)
    return list(Site.objects.order_by("pk").values_list("pk", flat=True))


FORMATS = ("csv", "geojson", "xlsx")


def run_through_worker(capture, user, source: str, params=None) -> dict[str, ExportJob]:
    """One export per format, queued together and run by one round of the real worker (the
    100,000 rows are generated once for the three files)."""
    with capture(execute=True):  # the enqueue on commit
        jobs = {
            fmt: do_request_export(actor=user, source=source, format=fmt, params=params or {})
            for fmt in FORMATS
        }
    started = time.perf_counter()
    call_command("worker", "--once")
    for fmt, job in jobs.items():
        job.refresh_from_db()
        assert job.state == ExportJob.State.DONE, (fmt, job.error)
    print(f"{source}: 3 files in {time.perf_counter() - started:.1f} s")
    return jobs


def xlsx_rows(path) -> int:
    """Rows of the first sheet, counted in the XML as it is decompressed (openpyxl would take
    a minute to read 100,000 rows back; test_exports.py reads the small files with it)."""
    count, tail = 0, b""
    with zipfile.ZipFile(path) as archive, archive.open("xl/worksheets/sheet1.xml") as sheet:
        while chunk := sheet.read(1 << 20):
            data = tail + chunk
            count += data.count(b"<row ")
            tail = data[-4:]
    return count


def count_rows(job: ExportJob) -> int:
    path = exports.file_path(job)
    if job.format == "csv":
        with open(path, encoding="utf-8-sig", newline="") as handle:
            return sum(1 for _row in csv.reader(handle)) - 1
    if job.format == "geojson":
        return len(json.loads(path.read_text(encoding="utf-8"))["features"])
    return xlsx_rows(path) - 1


def test_100k_sites(world, personas, django_capture_on_commit_callbacks):
    make_sites(world, ROWS)
    jobs = run_through_worker(
        django_capture_on_commit_callbacks, personas.county_editor, "field.sites"
    )
    without = ROWS // 10
    for fmt, job in jobs.items():
        if fmt == "geojson":
            assert (job.rows_done, job.rows_skipped) == (ROWS - without, without)
        else:
            assert job.rows_done == ROWS and job.rows_total == ROWS
        assert count_rows(job) == job.rows_done, fmt


def test_100k_placements_of_one_window(world, personas, django_capture_on_commit_callbacks):
    site_ids = make_sites(world, ROWS // 20)
    designs = Design.objects.bulk_create(
        [Design(org=world.karaj_info, title=f"طرح {i}", title_norm=f"طرح {i}",
                status=Design.Status.APPROVED) for i in range(20)]
    )  # fmt: skip
    window, other = (
        Window.objects.create(
            org=world.karaj_info, name=name, starts_on=date(2024, 1, 21), ends_on=date(2024, 2, 19)
        )
        for name in ("بهمن ۱۴۰۲", "اسفند ۱۴۰۲")
    )
    rows = [
        Placement(org=world.karaj_info, window=window, site_id=site_id, design=design,
                  state=Placement.State.INSTALLED if site_id % 2 else Placement.State.PLANNED)
        for design in designs for site_id in site_ids
    ]  # fmt: skip
    rows.append(
        Placement(org=world.karaj_info, window=other, site_id=site_ids[0], design=designs[0])
    )
    Placement.objects.bulk_create(rows, batch_size=5000)
    jobs = run_through_worker(
        django_capture_on_commit_callbacks,
        personas.county_editor,
        "field.placements",
        {"window": str(window.pk)},
    )
    for fmt, job in jobs.items():
        assert job.rows_total == ROWS, fmt
        assert count_rows(job) == job.rows_done, fmt
        assert job.rows_done + job.rows_skipped == ROWS, fmt
