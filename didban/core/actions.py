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
from didban.core.models import AuditVerification, ExportJob, WorkerHeartbeat


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


def do_request_export(*, actor, source: str, format: str, params: dict) -> ExportJob:
    """Queue an export of a list as `actor` sees it; the worker builds the file.

    `params` are the list page's filters (its query string); the source checks them, so a filter
    naming something outside the actor's scope is refused (404) before anything is queued.
    """
    from django.core.exceptions import PermissionDenied, ValidationError
    from django.utils.translation import get_language
    from django.utils.translation import gettext as _

    from didban.core import audit, exports
    from didban.core.access import has_any, scoped_orgs
    from didban.core.tasks import run_export

    export_source = exports.get_source(source)
    if export_source is None:
        raise ValidationError({"source": _("Unknown export.")})
    if not has_any(actor, export_source.permission):
        raise PermissionDenied
    if format not in export_source.formats:
        raise ValidationError({"format": _("Choose XLSX, CSV or GeoJSON.")})
    filters = export_source.clean_filters(actor, params)
    language = (get_language() or "fa")[:2]
    org = scoped_orgs(actor, export_source.permission).order_by("path").first()
    with transaction.atomic():
        job = ExportJob.objects.create(
            requested_by=actor,
            org=org,
            source=source,
            format=format,
            filters=filters,
            language=language if language in ("fa", "en") else "fa",
            expires_at=exports.expiry(),
        )
        audit.record(
            actor=actor,
            verb="export.request",
            org=org,
            obj=job,
            after={"source": source, "format": format, "filters": filters},
        )
        transaction.on_commit(lambda: run_export.enqueue(job.pk))
    return job
