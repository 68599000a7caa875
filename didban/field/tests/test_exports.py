"""Exports of sites and placements: the worker writes XLSX (right-to-left sheet, Persian
headers, Jalali dates in Persian digits, ISO beside them), CSV (UTF-8 with BOM) and GeoJSON
([lon, lat], rows without coordinates left out and counted); the list's filters and the
requester's scope hold; another user's file is a 404; the outsider exports nothing of Karaj."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from didban.core.actions import do_request_export
from didban.core.models import AuditEntry, ExportJob
from didban.field import actions
from didban.field.models import Placement, Site
from didban.field.tests.helpers import approved_design, site, window

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _export_dir(settings, tmp_path):
    settings.EXPORT_DIR = tmp_path / "exports"
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def sites(world, personas):
    editor = personas.county_editor
    a = site(editor, world, name="بیلبورد میدان آزادی", lat="35.832660", lon="50.991550")
    b = actions.do_create_site(
        actor=editor, org=world.karaj_info, name="=HYPERLINK(\"http://x\")", code="W-2",
        kind=Site.Kind.WALL, place=a.place,
    )  # fmt: skip
    Site.objects.filter(pk=a.pk).update(created_at=datetime(2024, 2, 27, 20, 55, tzinfo=UTC))
    return a, b


def export(client, source, fmt, query="", **extra):
    """Press the export button of a list; the immediate backend runs the job at commit."""
    data = {"source": source, "format": fmt, "query": query, **extra}
    return client.post(reverse("core:export_create"), data)


def job_file(client, job) -> bytes:
    response = client.get(reverse("core:export_download", args=[job.pk]))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_sites_as_xlsx_right_to_left_persian_headers_jalali_dates(
    client_for, personas, sites, django_capture_on_commit_callbacks
):
    client = client_for(personas.county_editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = export(client, "field.sites", "xlsx")
    assert response.status_code == 302
    job = ExportJob.objects.get()
    assert job.state == ExportJob.State.DONE and job.rows_done == 2 and job.language == "fa"
    workbook = load_workbook(io.BytesIO(job_file(client, job)))
    sheet = workbook.active
    assert sheet.sheet_view.rightToLeft is True
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    assert header[:3] == ("شناسه", "کد", "نام")
    assert "افزوده شده" in header and "افزوده شده (ISO 8601)" in header
    first = dict(zip(header, rows[1], strict=True))
    assert first["نام"] == "بیلبورد میدان آزادی"
    assert first["شناسه"] == sites[0].pk  # numbers stay numbers
    assert first["طول جغرافیایی"] == pytest.approx(50.99155)
    assert first["نوع"] == "بیلبورد"
    # 2024-02-27 20:55 UTC is 00:25 on 9 Esfand 1402 in Tehran.
    assert first["افزوده شده"] == "۱۴۰۲/۱۲/۰۹ ۰۰:۲۵"
    assert first["افزوده شده (ISO 8601)"] == "2024-02-28T00:25:00+03:30"
    second = dict(zip(header, rows[2], strict=True))
    assert second["نام"] == '\'=HYPERLINK("http://x")'  # a formula is never run
    audit = AuditEntry.objects.get(verb="export.request")
    assert audit.actor_id == personas.county_editor.pk
    assert audit.after["source"] == "field.sites"


def test_sites_as_csv_with_bom_and_filters(
    client_for, personas, sites, django_capture_on_commit_callbacks
):
    client = client_for(personas.county_editor)
    with django_capture_on_commit_callbacks(execute=True):
        export(client, "field.sites", "csv", query="kind=wall")
    job = ExportJob.objects.get()
    body = job_file(client, job)
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert len(rows) == 2  # the header and the one wall
    assert rows[1][1] == "W-2"
    assert job.filters == {"q": "", "kind": "wall", "area": ""}


def test_sites_in_english_have_english_headers_and_gregorian_dates(
    client_for, personas, sites, django_capture_on_commit_callbacks
):
    personas.county_editor.language = "en"
    personas.county_editor.save(update_fields=["language"])
    client = client_for(personas.county_editor)
    with django_capture_on_commit_callbacks(execute=True):
        export(client, "field.sites", "csv", query="kind=billboard")
    job = ExportJob.objects.get()
    assert job.language == "en"
    rows = list(csv.reader(io.StringIO(job_file(client, job).decode("utf-8-sig"))))
    record = dict(zip(rows[0], rows[1], strict=True))
    assert record["Kind"] == "Billboard"
    assert record["Added"] == "28 Feb 2024 00:25"
    assert record["Added (ISO 8601)"] == "2024-02-28T00:25:00+03:30"


def test_placements_as_geojson_lon_lat_and_skipped_rows(
    client_for, world, personas, sites, django_capture_on_commit_callbacks
):
    editor = personas.county_editor
    win = window(editor, world)
    design = approved_design(editor, world.karaj_info)
    with_coords, without = sites
    first = actions.do_create_placement(actor=editor, window=win, site=with_coords, design=design)
    actions.do_create_placement(actor=editor, window=win, site=without, design=design)
    client = client_for(editor)
    with django_capture_on_commit_callbacks(execute=True):
        export(client, "field.placements", "geojson", filter_window=str(win.pk))
    job = ExportJob.objects.get()
    assert job.state == ExportJob.State.DONE
    assert (job.rows_done, job.rows_skipped) == (1, 1)
    data = json.loads(job_file(client, job))
    assert data["type"] == "FeatureCollection"
    (feature,) = data["features"]
    assert feature["geometry"] == {"type": "Point", "coordinates": [50.99155, 35.83266]}
    props = feature["properties"]
    assert props["id"] == first.pk and props["site"] == "بیلبورد میدان آزادی"
    assert props["state"] == "planned" and props["state_label"] == "برنامه‌ریزی‌شده"
    assert props["window_starts"] == "2024-01-21"


def test_placements_filters_state_and_area(
    client_for, world, personas, sites, django_capture_on_commit_callbacks
):
    editor = personas.county_editor
    win = window(editor, world)
    design = approved_design(editor, world.karaj_info)
    a, b = sites
    actions.do_create_placement(actor=editor, window=win, site=a, design=design)
    second = actions.do_create_placement(actor=editor, window=win, site=b, design=design)
    Placement.objects.filter(pk=second.pk).update(state=Placement.State.DAMAGED)
    client = client_for(editor)
    with django_capture_on_commit_callbacks(execute=True):
        export(client, "field.placements", "csv", filter_window=str(win.pk), filter_state="damaged")
        export(client, "field.placements", "csv", filter_window=str(win.pk), filter_area="village")
    damaged, village = ExportJob.objects.order_by("pk")
    rows = list(csv.reader(io.StringIO(job_file(client, damaged).decode("utf-8-sig"))))
    assert [r[0] for r in rows[1:]] == [str(second.pk)]
    assert village.rows_done == 0


def test_outsider_exports_nothing_of_karaj_and_cannot_name_its_window(
    client_for, world, personas, sites, django_capture_on_commit_callbacks
):
    win = window(personas.county_editor, world)
    client = client_for(personas.outsider)
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            export(client, "field.placements", "csv", filter_window=str(win.pk)).status_code == 404
        )
        export(client, "field.sites", "csv")
    job = ExportJob.objects.get()
    assert job.requested_by == personas.outsider and job.rows_done == 0


def test_another_users_file_is_a_404(
    client_for, personas, sites, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = do_request_export(
            actor=personas.county_editor, source="field.sites", format="csv", params={}
        )
    job.refresh_from_db()
    assert job.state == ExportJob.State.DONE
    for other in (personas.county_supervisor, personas.outsider):
        response = client_for(other).get(reverse("core:export_download", args=[job.pk]))
        assert response.status_code == 404
    page = client_for(personas.outsider).get(reverse("core:export_list"))
    assert page.status_code == 200 and "export-download" not in page.content.decode()


def test_the_buttons_are_on_the_lists(client_for, world, personas, sites):
    client = client_for(personas.county_editor)
    win = window(personas.county_editor, world)
    for url in (
        reverse("field:site_list"),
        reverse("field:window_board", args=[win.pk]),
        reverse("field:window_coverage", args=[win.pk]),
    ):
        page = client.get(url).content.decode()
        assert reverse("core:export_create") in page, url
