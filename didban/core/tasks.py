from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from didban.core.periodic import periodic


@periodic(every=timedelta(hours=6))
@task()
def verify_audit_chain() -> dict:
    """Re-check the audit chain, so tampering shows on the audit page within hours."""
    from didban.core.actions import do_verify_audit_chain

    report = do_verify_audit_chain()
    return {"ok": report.ok, "entries": report.entries, "first_broken_seq": report.first_broken_seq}


@periodic(every=timedelta(days=1))
@task()
def prune_finished_tasks() -> int:
    """Drop finished task results older than a week: the queue table stays small."""
    from django_tasks_db.models import DBTaskResult

    cutoff = timezone.now() - timedelta(days=7)
    deleted, _ = DBTaskResult.objects.finished().filter(finished_at__lt=cutoff).delete()
    return deleted


@task()
def run_export(job_id: int) -> str:
    """Build an export's file (XLSX, CSV or GeoJSON) in chunks; a job already taken is left."""
    from didban.core.exports import run

    return run(job_id)


@periodic(every=timedelta(hours=1))
@task()
def purge_expired_exports() -> int:
    """Delete exports past their expiry with their files."""
    from didban.core.exports import purge_expired

    return purge_expired()
