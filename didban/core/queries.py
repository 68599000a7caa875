"""Permission-checked reads of the audit log and worker state."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from didban.core.access import has_any, scope_q
from didban.core.models import AuditEntry, AuditVerification, ExportJob, WorkerHeartbeat


@dataclass(frozen=True)
class AuditFilter:
    org_id: int | None = None
    actor: str = ""
    verb: str = ""
    object_type: str = ""
    since: datetime | None = None
    until: datetime | None = None


def list_audit_entries(user, filters: AuditFilter | None = None) -> QuerySet[AuditEntry]:
    """Entries of organisations in the user's audit scope. Entries with no organisation
    (a person changing their own language, a login) are visible to superusers only."""
    if not has_any(user, "audit.view"):
        raise PermissionDenied
    entries = AuditEntry.objects.filter(scope_q(user, "audit.view")).select_related("org")
    if user.is_superuser:
        entries = AuditEntry.objects.select_related("org")
    filters = filters or AuditFilter()
    if filters.org_id:
        entries = entries.filter(org_id=filters.org_id)
    if filters.actor:
        entries = entries.filter(actor_repr__icontains=filters.actor)
    if filters.verb:
        entries = entries.filter(Q(verb=filters.verb) | Q(verb__startswith=filters.verb + "."))
    if filters.object_type:
        entries = entries.filter(object_type=filters.object_type)
    if filters.since:
        entries = entries.filter(created_at__gte=filters.since)
    if filters.until:
        entries = entries.filter(created_at__lt=filters.until)
    return entries.order_by("-seq")


def access_audit_entry(user, seq: int) -> AuditEntry:
    return get_object_or_404(list_audit_entries(user), seq=seq)


def last_verification() -> AuditVerification | None:
    return AuditVerification.objects.order_by("-checked_at").first()


@dataclass(frozen=True)
class WorkerStatus:
    alive: bool
    last_seen: datetime | None
    age_seconds: float | None
    workers: int


def worker_status() -> WorkerStatus:
    beat = WorkerHeartbeat.objects.order_by("-last_seen").first()
    if beat is None:
        return WorkerStatus(False, None, None, 0)
    age = (timezone.now() - beat.last_seen).total_seconds()
    fresh = timezone.now() - timedelta(seconds=settings.WORKER_STALE_SECONDS)
    workers = WorkerHeartbeat.objects.filter(last_seen__gte=fresh).count()
    return WorkerStatus(age <= settings.WORKER_STALE_SECONDS, beat.last_seen, age, workers)


def list_exports(user) -> QuerySet[ExportJob]:
    """The exports a person asked for; nobody else's (a file may hold what only they may see)."""
    if not getattr(user, "is_authenticated", False):
        return ExportJob.objects.none()
    return ExportJob.objects.filter(requested_by=user, expires_at__gt=timezone.now())


def access_export(user, job_id: int) -> ExportJob:
    return get_object_or_404(list_exports(user), pk=job_id)
