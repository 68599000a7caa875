"""System actions of the core: the audit chain check and the worker's heartbeat.

Heartbeats and checks are operational records, not decisions of a person, so they are kept
in their own tables rather than in the audit log (which would otherwise fill with them).
"""

from __future__ import annotations

import os
import socket
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from didban.core.audit import ChainReport, verify_chain
from didban.core.models import AuditVerification, WorkerHeartbeat


def do_verify_audit_chain() -> ChainReport:
    report = verify_chain()
    AuditVerification.objects.create(
        entries=report.entries,
        ok=report.ok,
        first_broken_seq=report.first_broken_seq,
        problem=report.problem,
    )
    return report


def do_beat(*, worker_id: str, started_at: datetime, tasks_run: int) -> None:
    with transaction.atomic():
        WorkerHeartbeat.objects.update_or_create(
            worker_id=worker_id,
            defaults={
                "hostname": socket.gethostname()[:200],
                "pid": os.getpid(),
                "started_at": started_at,
                "last_seen": timezone.now(),
                "tasks_run": tasks_run,
            },
        )


def do_forget_worker(*, worker_id: str) -> None:
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()
