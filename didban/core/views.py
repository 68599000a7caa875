from __future__ import annotations

import csv
from datetime import datetime, time, timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import (
    FileResponse,
    HttpRequest,
    HttpResponse,
    JsonResponse,
    QueryDict,
    StreamingHttpResponse,
)
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from didban.accounts.queries import list_organizations
from didban.core.access import has_any
from didban.core.actions import do_request_export
from didban.core.exports import download_response, sources
from didban.core.forms import AuditFilterForm
from didban.core.queries import (
    AuditFilter,
    access_audit_entry,
    access_export,
    last_verification,
    list_audit_entries,
    list_exports,
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


# Exports built by the worker


@login_required
def export_list(request: HttpRequest) -> HttpResponse:
    """ "My exports": state and progress (refreshed by htmx while a job runs) and downloads."""
    jobs = list(list_exports(request.user)[:100])
    labels = {name: source.label for name, source in sources().items()}
    for job in jobs:
        job.source_label = labels.get(job.source, job.source)
    context = {
        "jobs": jobs,
        "running": any(not job.is_finished for job in jobs),
        "keep_days": settings.EXPORT_KEEP_DAYS,
    }
    template = "core/export_list.html"
    if request.headers.get("HX-Request"):
        template += "#jobs"
    return render(request, template, context)


@login_required
@require_POST
def export_create(request: HttpRequest) -> HttpResponse:
    """The export button of a list: its query string (the filters shown) and a format."""
    params = QueryDict(request.POST.get("query", "")[:2000]).dict()
    # Filters the button itself offers (e.g. the window of a board, a state to narrow to).
    for key, value in request.POST.items():
        if key.startswith("filter_") and value:
            params[key.removeprefix("filter_")] = value
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = ""
    try:
        do_request_export(
            actor=request.user,
            source=request.POST.get("source", ""),
            format=request.POST.get("format", ""),
            params=params,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(back or "core:export_list")
    messages.success(request, _("Export queued; it will be ready here in a moment."))
    return redirect("core:export_list")


@login_required
def export_download(request: HttpRequest, job_id: int) -> FileResponse:
    return download_response(access_export(request.user, job_id))
