"""Periodic jobs: `enqueue_due` enqueues each due job once, not again before its interval,
and two calls at the same moment enqueue it once; after downtime it catches up once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.management import call_command
from django_tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult

from didban.core import periodic
from didban.core.models import PeriodicRun

pytestmark = pytest.mark.django_db

START = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)


@task()
def hourly_job() -> str:
    return "done"


@task()
def daily_job() -> str:
    return "done"


@pytest.fixture
def jobs(settings, monkeypatch):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": []}}
    monkeypatch.setattr(periodic, "JOBS", {})
    periodic.periodic(every=timedelta(hours=1))(hourly_job)
    periodic.periodic(every=timedelta(days=1))(daily_job)
    return periodic.JOBS


def queued(job) -> int:
    return DBTaskResult.objects.filter(task_path=job.module_path).count()


def test_the_decorator_registers_the_job(jobs):
    assert set(jobs) == {hourly_job.module_path, daily_job.module_path}
    assert jobs[hourly_job.module_path].every == timedelta(hours=1)


def test_each_due_job_is_enqueued_once(jobs):
    with time_machine.travel(START, tick=False):
        assert sorted(periodic.enqueue_due()) == sorted(jobs)
        # The same moment again (a second worker, or a second round): nothing more.
        assert periodic.enqueue_due() == []
    assert queued(hourly_job) == 1 and queued(daily_job) == 1
    run = PeriodicRun.objects.get(name=hourly_job.module_path)
    assert run.last_enqueued_at == START
    assert run.next_due_at == START + timedelta(hours=1)


def test_not_again_before_the_interval(jobs):
    with time_machine.travel(START, tick=False):
        periodic.enqueue_due()
    with time_machine.travel(START + timedelta(minutes=59), tick=False):
        assert periodic.enqueue_due() == []
    with time_machine.travel(START + timedelta(hours=1), tick=False):
        assert periodic.enqueue_due() == [hourly_job.module_path]
    with time_machine.travel(START + timedelta(hours=1, minutes=30), tick=False):
        assert periodic.enqueue_due() == []
    assert queued(hourly_job) == 2 and queued(daily_job) == 1


def test_after_downtime_a_job_catches_up_once(jobs):
    with time_machine.travel(START, tick=False):
        periodic.enqueue_due()
    with time_machine.travel(START + timedelta(hours=10), tick=False):
        assert hourly_job.module_path in periodic.enqueue_due()
        assert periodic.enqueue_due() == []
    assert queued(hourly_job) == 2


def test_the_worker_enqueues_and_runs_due_jobs(jobs):
    with time_machine.travel(START, tick=True):
        call_command("worker", "--once")
        statuses = set(DBTaskResult.objects.values_list("status", flat=True))
        assert statuses == {TaskResultStatus.SUCCESSFUL}
        assert DBTaskResult.objects.count() == 2
        call_command("worker", "--once")
        assert DBTaskResult.objects.count() == 2


def test_the_real_jobs_are_registered():
    import didban.core.tasks  # noqa: F401

    names = set(periodic.JOBS)
    assert "didban.core.tasks.verify_audit_chain" in names
    assert "didban.core.tasks.prune_finished_tasks" in names
