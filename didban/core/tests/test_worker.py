"""The worker: with the database queue, `worker --once` runs a queued task to success and
writes its heartbeat; /healthz reports the heartbeat's age and, with ?strict=1, answers 503
when no worker is alive."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from didban.core import periodic
from didban.core.models import AuditVerification, WorkerHeartbeat
from didban.core.tasks import verify_audit_chain

pytestmark = pytest.mark.django_db

DB_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": []}}


@pytest.fixture
def db_queue(settings, monkeypatch):
    settings.TASKS = DB_QUEUE
    # Only the task under test: the other apps' periodic jobs are tested by those apps.
    monkeypatch.setattr(periodic, "JOBS", {})


def test_worker_once_runs_a_queued_task(db_queue):
    result = verify_audit_chain.enqueue()
    assert result.status == TaskResultStatus.READY
    assert not AuditVerification.objects.exists()
    call_command("worker", "--once")
    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == TaskResultStatus.SUCCESSFUL
    assert row.return_value == {"ok": True, "entries": 0, "first_broken_seq": None}
    assert AuditVerification.objects.get().ok


def test_worker_once_writes_a_heartbeat(db_queue):
    call_command("worker", "--once")
    beat = WorkerHeartbeat.objects.get()
    assert (timezone.now() - beat.last_seen).total_seconds() < 60
    assert beat.pid > 0 and beat.hostname


def test_healthz_reports_the_heartbeat_age(client, db_queue):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    body = response.json()
    assert body["database"] == "ok" and body["status"] == "ok"
    assert body["worker"] == {"alive": False, "heartbeat_age_seconds": None, "workers": 0}
    assert client.get(reverse("healthz"), {"strict": "1"}).status_code == 503

    call_command("worker", "--once")
    body = client.get(reverse("healthz"), {"strict": "1"}).json()
    assert body["status"] == "ok"
    assert body["worker"]["alive"] is True and body["worker"]["workers"] == 1
    assert 0 <= body["worker"]["heartbeat_age_seconds"] < 60


def test_a_stale_heartbeat_is_not_a_live_worker(client, db_queue, settings):
    call_command("worker", "--once")
    later = timezone.now() + timedelta(seconds=settings.WORKER_STALE_SECONDS + 30)
    with time_machine.travel(later, tick=False):
        response = client.get(reverse("healthz"), {"strict": "1"})
    assert response.status_code == 503
    body = response.json()
    assert body["worker"]["alive"] is False
    assert body["worker"]["heartbeat_age_seconds"] >= settings.WORKER_STALE_SECONDS + 30
    assert client.get(reverse("healthz")).status_code == 200  # the lenient check stays up


def test_healthz_is_never_cached(client, db):
    response = client.get(reverse("healthz"))
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    assert client.post(reverse("healthz")).status_code == 405
