from __future__ import annotations

import csv
from datetime import datetime, time, timedelta

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from didban.accounts.queries import list_organizations
from didban.core.access import has_any
from didban.core.forms import AuditFilterForm
from didban.core.queries import (
    AuditFilter,
    access_audit_entry,
    last_verification,
    list_audit_entries,
    worker_status,
)
from didban.core.templatetags.didban import jdatetime

AUDIT_PAGE_SIZE = 50


@login_required
def home(request: HttpRequest) -> HttpResponse:
    from didban.core.home import home_context

    return render(request, "core/home.html", home_context(request))


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers: 200 while the database answers; `?strict=1` also needs a live worker."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        database = "ok"
    except Exception:
        database = "down"
    worker = worker_status() if database == "ok" else None
    body = {
        "database": database,
        "worker": {
            "alive": bool(worker and worker.alive),
            "heartbeat_age_seconds": round(worker.age_seconds, 1)
            if worker and worker.age_seconds is not None
            else None,
            "workers": worker.workers if worker else 0,
        },
    }
    healthy = database == "ok" and (request.GET.get("strict") != "1" or body["worker"]["alive"])
    body["status"] = "ok" if healthy else "fail"
    return JsonResponse(body, status=200 if healthy else 503)


def _audit_filters(request: HttpRequest) -> tuple[AuditFilterForm, AuditFilter]:
    orgs = list_organizations(request.user, permission="audit.view")
    form = AuditFilterForm(request.GET or None, orgs=orgs)
    if not form.is_valid():
        return form, AuditFilter(org_id=-1) if form.is_bound else AuditFilter()
    data = form.cleaned_data
    tz = timezone.get_current_timezone()
    since = datetime.combine(data["since"], time.min, tz) if data.get("since") else None
    until = (
        datetime.combine(data["until"] + timedelta(days=1), time.min, tz)
        if data.get("until")
        else None
    )
    return form, AuditFilter(
        org_id=data.get("org"),
        actor=data.get("actor", "").strip(),
        verb=data.get("verb", "").strip(),
        since=since,
        until=until,
    )


@login_required
def audit_list(request: HttpRequest) -> HttpResponse:
    form, filters = _audit_filters(request)
    entries = list_audit_entries(request.user, filters)
    try:
        before = int(request.GET.get("before", "0"))
    except ValueError:
        before = 0
    if before:
        entries = entries.filter(seq__lt=before)
    page = list(entries[: AUDIT_PAGE_SIZE + 1])
    more = len(page) > AUDIT_PAGE_SIZE
    page = page[:AUDIT_PAGE_SIZE]
    query = request.GET.copy()
    query.pop("before", None)
    context = {
        "form": form,
        "entries": page,
        "next_before": page[-1].seq if more and page else None,
        "query": query.urlencode(),
        "verification": last_verification(),
        "worker": worker_status(),
    }
    template = "core/audit_list.html"
    if request.headers.get("HX-Request") and before:
        template += "#rows"
    return render(request, template, context)


@login_required
def audit_detail(request: HttpRequest, seq: int) -> HttpResponse:
    entry = access_audit_entry(request.user, seq)
    changes = []
    before, after = entry.before or {}, entry.after or {}
    for key in sorted(set(before) | set(after)):
        changes.append(
            {
                "field": key,
                "before": before.get(key),
                "after": after.get(key),
                "changed": before.get(key) != after.get(key),
            }
        )
    return render(request, "core/audit_detail.html", {"entry": entry, "changes": changes})


class _Echo:
    def write(self, value):
        return value


@login_required
def audit_export(request: HttpRequest) -> StreamingHttpResponse:
    """CSV of the filtered log (UTF-8 with BOM so spreadsheet programs read Persian)."""
    _form, filters = _audit_filters(request)
    entries = list_audit_entries(request.user, filters)
    writer = csv.writer(_Echo())

    def rows():
        yield "\ufeff"
        yield writer.writerow(
            [_("Number"), _("Time"), _("Time (UTC, ISO 8601)"), _("Actor"), _("Organisation"),
             _("Action"), _("Object type"), _("Object id"), _("Object"), _("Client IP"), _("Before"),
             _("After"), _("Hash")]
        )  # fmt: skip
        for e in entries.iterator(chunk_size=2000):
            yield writer.writerow(
                [e.seq, jdatetime(e.created_at), e.created_at.isoformat(), e.actor_repr,
                 e.org.name if e.org else "", e.verb, e.object_type, e.object_id, e.object_repr,
                 e.ip or "", e.before or "", e.after or "", e.hash]
            )  # fmt: skip

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="didban-audit-{stamp}.csv"'
    return response


@login_required
def api_docs(request: HttpRequest) -> HttpResponse:
    return render(request, "core/api_docs.html", {"can_tokens": has_any(request.user, "org.view")})


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent without a valid CSRF token (an old page, blocked cookies): say what to do."""
    return render(request, "403_csrf.html", {"reason": reason}, status=403)
