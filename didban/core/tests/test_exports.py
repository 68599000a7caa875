"""Export jobs: queued by an audited action, built by the worker (the real task on the database
queue), shown with their progress on "My exports" (htmx refreshes it while one runs), offered
to the requester only; a file that cannot be written ends the job as failed with a translated
reason; expired exports are deleted with their files; the API does the same as the pages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from didban.core import exports, periodic
from didban.core.actions import do_request_export
from didban.core.models import ExportJob
from didban.field.models import Site
from didban.field.tests.helpers import site

pytestmark = pytest.mark.django_db

DB_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": []}}


@pytest.fixture(autouse=True)
def _export_dir(settings, tmp_path):
    settings.EXPORT_DIR = tmp_path / "exports"


@pytest.fixture
def db_queue(settings, monkeypatch):
    settings.TASKS = DB_QUEUE
    monkeypatch.setattr(periodic, "JOBS", {})


@pytest.fixture
def one_site(world, personas):
    return site(personas.county_editor, world)


def test_the_worker_builds_a_queued_export(
    client_for, personas, one_site, db_queue, django_capture_on_commit_callbacks
):
    client = client_for(personas.county_editor)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("core:export_create"), {"source": "field.sites", "format": "csv"})
    job = ExportJob.objects.get()
    assert job.state == ExportJob.State.QUEUED
    page = client.get(reverse("core:export_list")).content.decode()
    assert 'hx-trigger="every 2s"' in page  # refreshes while the job waits
    call_command("worker", "--once")
    job.refresh_from_db()
    assert job.state == ExportJob.State.DONE and job.rows_total == job.rows_done == 1
    partial = client.get(reverse("core:export_list"), headers={"HX-Request": "true"})
    body = partial.content.decode()
    assert "<html" not in body and "every 2s" not in body
    assert reverse("core:export_download", args=[job.pk]) in body


def test_a_job_runs_once(personas, one_site, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = do_request_export(
            actor=personas.county_editor, source="field.sites", format="csv", params={}
        )
    job.refresh_from_db()
    name = job.file_name
    assert exports.run(job.pk) == "skipped"
    job.refresh_from_db()
    assert job.file_name == name and job.state == ExportJob.State.DONE


def test_an_unwritable_directory_fails_the_job_with_a_translated_reason(
    client_for, settings, tmp_path, personas, one_site, django_capture_on_commit_callbacks
):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("x")
    settings.EXPORT_DIR = blocker / "exports"
    client = client_for(personas.county_editor)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("core:export_create"), {"source": "field.sites", "format": "xlsx"})
    job = ExportJob.objects.get()
    assert job.state == ExportJob.State.FAILED
    assert job.error.startswith("پرونده خروجی روی سرور نوشته نشد")
    assert job.finished_at is not None and job.file_name == ""
    page = client.get(reverse("core:export_list")).content.decode()
    assert job.error in page and "every 2s" not in page
    response = client.get(reverse("core:export_download", args=[job.pk]))
    assert response.status_code == 404


def test_bad_requests_are_refused_with_a_message(client_for, personas):
    client = client_for(personas.county_editor)
    response = client.post(
        reverse("core:export_create"), {"source": "field.sites", "format": "pdf"}, follow=True
    )
    assert "یکی از XLSX، CSV یا GeoJSON را برگزینید." in response.content.decode()
    response = client.post(
        reverse("core:export_create"), {"source": "nothing", "format": "csv"}, follow=True
    )
    assert "این خروجی شناخته نیست." in response.content.decode()
    assert not ExportJob.objects.exists()


def test_expired_exports_are_deleted_with_their_files(
    personas, one_site, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = do_request_export(
            actor=personas.county_editor, source="field.sites", format="geojson", params={}
        )
    job.refresh_from_db()
    path = exports.file_path(job)
    assert path.exists()
    assert exports.purge_expired() == 0
    assert exports.purge_expired(now=timezone.now() + timedelta(days=8)) == 1
    assert not path.exists() and not ExportJob.objects.exists()


def test_a_job_left_running_by_a_dead_worker_is_failed(personas):
    job = ExportJob.objects.create(
        requested_by=personas.county_editor, source="field.sites", format="csv",
        state=ExportJob.State.RUNNING, started_at=timezone.now() - timedelta(hours=7),
        expires_at=timezone.now() + timedelta(days=7),
    )  # fmt: skip
    exports.purge_expired()
    job.refresh_from_db()
    assert job.state == ExportJob.State.FAILED
    assert job.error == "ساخت خروجی نیمه‌کاره ماند. دوباره درخواست کنید."


def test_the_api_creates_follows_and_downloads(
    client_for, personas, one_site, django_capture_on_commit_callbacks
):
    client = client_for(personas.county_editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("api:export_list"),
            {"source": "field.sites", "format": "csv", "filters": {"kind": "billboard"},
             "language": "en"},
            content_type="application/json",
        )  # fmt: skip
    assert response.status_code == 201, response.content
    job_id = response.json()["id"]
    detail = client.get(reverse("api:export_detail", args=[job_id])).json()
    assert detail["state"] == "done" and detail["rows_done"] == 1 and detail["language"] == "en"
    assert detail["filters"] == {"q": "", "kind": "billboard", "area": ""}
    download = client.get(detail["download_url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith("\ufeffId,Code,Name".encode())
    assert client.get(reverse("api:export_list")).json()["count"] == 1


def test_the_api_hides_other_peoples_exports(
    client_for, personas, one_site, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = do_request_export(
            actor=personas.county_editor, source="field.sites", format="csv", params={}
        )
    client = client_for(personas.outsider)
    assert client.get(reverse("api:export_detail", args=[job.pk])).status_code == 404
    assert client.get(reverse("api:export_download", args=[job.pk])).status_code == 404
    assert client.get(reverse("api:export_list")).json()["count"] == 0
    response = client.post(
        reverse("api:export_list"), {"source": "field.sites", "format": "xml"},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 400 and "format" in response.json()["error"]["fields"]


def test_sites_without_coordinates_are_left_out_of_geojson_and_counted(
    personas, world, one_site, django_capture_on_commit_callbacks
):
    Site.objects.create(
        org=world.karaj_info, name="دیوار بی‌نشان", kind=Site.Kind.WALL, place=one_site.place
    )
    with django_capture_on_commit_callbacks(execute=True):
        job = do_request_export(
            actor=personas.county_editor, source="field.sites", format="geojson", params={}
        )
    job.refresh_from_db()
    assert (job.rows_done, job.rows_skipped) == (1, 1)
