"""Periodic work without cron: jobs register here and `didban worker` enqueues what is due.

A job is a django-tasks task taking no arguments. Due times live in the database
(`PeriodicRun`), so a restarted worker neither skips nor repeats a run, and two workers
enqueue a due job once: the row is locked while it is claimed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from didban.core.models import PeriodicRun


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    every: timedelta
    task: object  # a django_tasks Task


JOBS: dict[str, PeriodicJob] = {}


def periodic(*, every: timedelta):
    """Register a task to be enqueued every `every` by the worker."""

    def register(task):
        name = f"{task.module_path}"
        JOBS[name] = PeriodicJob(name=name, every=every, task=task)
        return task

    return register


def enqueue_due(now=None) -> list[str]:
    """Enqueue every job whose time has come; return their names."""
    now = now or timezone.now()
    enqueued = []
    for job in JOBS.values():
        with transaction.atomic():
            run, _created = PeriodicRun.objects.select_for_update().get_or_create(
                name=job.name, defaults={"next_due_at": now}
            )
            if run.next_due_at > now:
                continue
            job.task.enqueue()
            run.last_enqueued_at = now
            # Catch up once after downtime instead of replaying every missed run.
            run.next_due_at = max(run.next_due_at + job.every, now + job.every * 0.5)
            run.save(update_fields=["last_enqueued_at", "next_due_at"])
            enqueued.append(job.name)
    return enqueued
