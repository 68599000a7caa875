"""The command room: the live screen, its feed (SSE and polling), election day, targets, reports."""

from __future__ import annotations

import asyncio
import json
import time
from datetime import timedelta

from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.handlers.asgi import ASGIRequest
from django.db import close_old_connections
from django.http import FileResponse, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from didban.accounts.forms import apply_errors
from didban.command import actions, metrics, queries
from didban.command.feed import as_event
from didban.command.forms import AudienceForm, ReportForm, ScheduleForm, TargetForm
from didban.command.models import HourlyFigure
from didban.command.rollup import floor
from didban.command.targets import progress
from didban.core.access import has_any, has_perm

POLL_SECONDS = 0.5
HEARTBEAT_SECONDS = 15
STREAM_SECONDS = 300  # the browser reconnects (with Last-Event-ID) after this


def _org(request, permission: str = "command.view"):
    queries.require_view(request.user)
    org_id = request.GET.get("org") or request.POST.get("org")
    if org_id:
        if not str(org_id).isdigit():
            raise PermissionDenied
        return queries.access_org(request.user, int(org_id), permission)
    org = queries.default_org(request.user, getattr(request, "membership", None))
    if org is None or not has_perm(request.user, permission, org):
        raise PermissionDenied
    return org


def _card(key, label, value, org, start=None, end=None, user=None):
    """A figure and the link to the list behind it — only if the reader may open that list."""
    provider = metrics.provider_for(key)
    link = provider.link(key, org, start, end) if provider else None
    if link and user is not None and not _may_follow(user, provider.permission_for(key), org):
        link = None
    return {"key": key, "label": label, "value": value or 0, "link": link}


def _may_follow(user, permission: str, org) -> bool:
    return _known(permission) and has_perm(user, permission, org)


def screen_data(request, org) -> dict:
    """Every figure of the screen, from the stored rollups."""
    now = timezone.now()
    user = request.user
    today, week = queries.day_start(now), queries.week_start(now)
    labels = metrics.labels()
    until = floor(now, 60) + timedelta(hours=1)  # to the end of the current hour
    day_totals = queries.totals(org, today, until)
    week_totals = queries.totals(org, week, until)
    levels = queries.gauges(org)
    installed = {p.name for p in metrics.available()}

    def cards(prefix, source, start):
        return [
            _card(k, labels.get(k, k), v, org, start, now, user)
            for k, v in sorted(source.items())
            if k.startswith(prefix) and v
        ]

    production_kinds = sorted(
        {k for k in [*day_totals, *week_totals] if k.startswith("production.")}
    )
    production = [
        {
            **_card(k, labels.get(k, k), day_totals.get(k, 0), org, today, now, user),
            "week": week_totals.get(k, 0),
            "week_link": _card(k, "", 0, org, week, now, user)["link"],
        }
        for k in production_kinds
    ]
    channels = sorted({k.split(".", 2)[2] for k in week_totals if k.startswith("delivery.")})
    deliveries = [
        {
            "kind": kind,
            **_card(
                f"delivery.sent.{kind}",
                labels.get(f"delivery.sent.{kind}", kind),
                day_totals.get(f"delivery.sent.{kind}", 0),
                org,
                today,
                now,
                user,
            ),
            "week": week_totals.get(f"delivery.sent.{kind}", 0),
            "failed": day_totals.get(f"delivery.failed.{kind}", 0),
            "failed_link": _card(f"delivery.failed.{kind}", "", 0, org, today, now, user)["link"],
        }
        for kind in channels
    ]
    level_cards = {
        k: _card(k, labels.get(k, k), v, org, user=user)
        for k, v in levels.items()
        if k.startswith("now.")
    }
    for key in ("now.field.on_display", "now.field.sites_covered", "now.field.planned",
                "now.violations.open", "now.violations.overdue"):  # fmt: skip
        level_cards.setdefault(key, _card(key, labels.get(key, key), 0, org, user=user))
    target_rows = [
        progress(t, request.user, now)
        for t in queries.list_targets(request.user, org, on=now.date())
    ]
    kids = []
    for kid, sums in queries.by_child(org, today, until):
        kids.append(
            {
                "org": kid,
                "url": f"{reverse('command:screen')}?org={kid.pk}",
                "production": sum(v for k, v in sums.items() if k.startswith("production.")),
                "delivered": sum(v for k, v in sums.items() if k.startswith("delivery.sent.")),
                "failed": sum(v for k, v in sums.items() if k.startswith("delivery.failed.")),
                "on_display": sums.get("now.field.on_display", 0),
                "violations": sums.get("now.violations.open", 0),
                "overdue": sums.get("now.violations.overdue", 0),
            }
        )
    return {
        "org": org,
        "installed": installed,
        "production": production,
        "production_day": sum(day_totals.get(k, 0) for k in production_kinds),
        "production_week": sum(week_totals.get(k, 0) for k in production_kinds),
        # Every kind: `production.` names no kind, so the newsroom list is not narrowed by one.
        "production_day_link": _card("production.", "", 0, org, today, now, user)["link"],
        "production_week_link": _card("production.", "", 0, org, week, now, user)["link"],
        "deliveries": deliveries,
        "monitoring": cards("monitoring.", day_totals, today),
        "monitoring_week": {k: v for k, v in week_totals.items() if k.startswith("monitoring.")},
        "field_today": cards("field.", day_totals, today),
        "violations_today": cards("violations.", day_totals, today),
        "levels": level_cards,
        "lv": {key.rsplit(".", 1)[1]: card for key, card in level_cards.items()},
        "targets": target_rows,
        "children": kids,
        "audiences": queries.audiences(request.user, org, now - timedelta(days=30)),
        "updated_at": now,
    }


@login_required
def screen(request):
    org = _org(request)
    context = screen_data(request, org)
    context["feed"] = [
        as_event(e) for e in reversed(queries.feed_entries(request.user, org=org, limit=30))
    ]
    context["last_seq"] = queries.last_seq()
    context["breadcrumbs"] = _breadcrumbs(request.user, org)
    context["orgs"] = queries.command_orgs(request.user).order_by("path")[:200]
    context["can_targets"] = has_perm(request.user, "command.targets", org)
    context["can_reports"] = has_perm(request.user, "command.reports", org)
    context["map_points"] = map_points(request.user, org)
    context["audience_chart"] = queries.audience_chart(context["audiences"])
    context["tiles_url"] = getattr(settings, "MAP_TILES_URL", "")
    if request.headers.get("HX-Request"):
        return render(request, "command/screen.html#figures", context)
    return render(request, "command/screen.html", context)


def _breadcrumbs(user, org):
    allowed = set(queries.command_orgs(user).values_list("pk", flat=True))
    from didban.accounts.models import Organization

    chain = Organization.objects.filter(pk__in=org.ancestor_ids()).order_by("depth")
    return [o for o in chain if o.pk in allowed and o.pk != org.pk]


def map_points(user, org) -> list[dict]:
    """Sites and violations with coordinates in the subtree (raw rows, at most 2000 each)."""
    from django.db.models import Q

    from didban.command.metrics.base import model_or_none
    from didban.core.access import scope_q

    points = []
    Site = model_or_none("field.Site")
    if Site is not None and _known("field.view") and has_any(user, "field.view"):
        sites = Site.objects.filter(
            scope_q(user, "field.view"), org__path__startswith=org.path, latitude__isnull=False
        ).values("name", "latitude", "longitude")[:2000]
        points += [{"kind": "site", "name": s["name"], "lat": float(s["latitude"]),
                    "lng": float(s["longitude"])} for s in sites]  # fmt: skip
    Violation = model_or_none("compliance.Violation")
    if Violation is not None and _known("compliance.view") and has_any(user, "compliance.view"):
        rows = (
            Violation.objects.filter(
                scope_q(user, "compliance.view"), Q(org__path__startswith=org.path),
                latitude__isnull=False,
            )
            .exclude(status__in=("resolved", "dismissed"))
            .values("tracking_code", "latitude", "longitude")[:2000]
        )  # fmt: skip
        points += [{"kind": "violation", "name": r["tracking_code"], "lat": float(r["latitude"]),
                    "lng": float(r["longitude"])} for r in rows]  # fmt: skip
    return points


def _known(permission: str) -> bool:
    from didban.core.roles import PERMISSIONS

    return permission in PERMISSIONS


@login_required
def data_json(request):
    """The screen's figures as JSON (the screen refreshes them every minute)."""
    org = _org(request)
    data = screen_data(request, org)
    return JsonResponse(
        {
            "org": org.pk,
            "production_day": data["production_day"],
            "production_week": data["production_week"],
            "production": {c["key"]: [c["value"], c["week"]] for c in data["production"]},
            "deliveries": {c["kind"]: [c["value"], c["failed"]] for c in data["deliveries"]},
            "levels": {k: c["value"] for k, c in data["levels"].items()},
            "children": {c["org"].pk: c["production"] for c in data["children"]},
            "updated_at": data["updated_at"].isoformat(),
        }
    )


@login_required
def feed_json(request):
    """The polling fallback: events after `after` (a sequence number)."""
    org = _org(request)
    after = request.GET.get("after", "0")
    after = int(after) if after.isdigit() else 0
    entries = queries.feed_entries(request.user, after=after, org=org)
    return JsonResponse(
        {"events": [as_event(e) for e in entries], "last": max([after, *[e.seq for e in entries]])}
    )


def _sse(event: dict) -> str:
    return f"id: {event['seq']}\nevent: audit\ndata: {json.dumps(event, ensure_ascii=False)}\n\n"


async def stream(request):
    """Server-sent events: the wall-worthy audit entries as they are written.

    Under ASGI (`didban serve`) an async generator polls the audit log every half second;
    under WSGI (the test server, a fallback deployment) a plain generator does the same.
    """
    user = await request.auser()
    if not user.is_authenticated:
        return HttpResponse(status=401)
    allowed = await sync_to_async(has_any)(user, "command.view")
    if not allowed:
        return HttpResponse(status=403)
    org_id = request.GET.get("org", "")
    org = None
    if org_id:
        if not org_id.isdigit():
            return HttpResponse(status=404)
        try:
            org = await sync_to_async(queries.access_org)(user, int(org_id))
        except Exception:
            return HttpResponse(status=404)
    resume = request.headers.get("Last-Event-ID") or request.GET.get("after") or ""
    after = int(resume) if resume.isdigit() else await sync_to_async(queries.last_seq)()
    language = getattr(request, "LANGUAGE_CODE", None) or settings.LANGUAGE_CODE

    def fetch(last):
        with translation.override(language):
            entries = queries.feed_entries(user, after=last, org=org)
            return [as_event(e) for e in entries]

    if isinstance(request, ASGIRequest):

        async def events():
            last, beat, began = after, time.monotonic(), time.monotonic()
            yield "retry: 2000\n\n"
            while time.monotonic() - began < STREAM_SECONDS:
                found = await sync_to_async(fetch)(last)
                for event in found:
                    last = event["seq"]
                    yield _sse(event)
                if time.monotonic() - beat > HEARTBEAT_SECONDS:
                    beat = time.monotonic()
                    yield ": heartbeat\n\n"
                await asyncio.sleep(POLL_SECONDS)

        body = events()
    else:

        def events():
            last, beat, began = after, time.monotonic(), time.monotonic()
            yield "retry: 2000\n\n"
            try:
                while time.monotonic() - began < STREAM_SECONDS:
                    try:
                        found = fetch(last)
                    except Exception:  # the database went away: end; the browser reconnects
                        return
                    for event in found:
                        last = event["seq"]
                        yield _sse(event)
                    if time.monotonic() - beat > HEARTBEAT_SECONDS:
                        beat = time.monotonic()
                        yield ": heartbeat\n\n"
                    time.sleep(POLL_SECONDS)
            finally:
                close_old_connections()

        body = events()
    response = StreamingHttpResponse(body, content_type="text/event-stream")
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"
    return response


@login_required
def election_day(request):
    """Hour by hour at 15-minute resolution for a day (today by default)."""
    org = _org(request)
    now = timezone.now()
    start = queries.day_start(now)
    end = start + timedelta(days=1)
    series = queries.series(org, start, end, HourlyFigure.Resolution.QUARTER)
    labels = metrics.labels()
    keys = sorted({k for values in series.values() for k in values if not k.startswith("now.")})
    last_hour = now - timedelta(hours=1)
    rows = []
    cursor = start
    while cursor < end and cursor <= now:  # up to the quarter-hour running now
        values = series.get(cursor, {})
        rows.append(
            {
                "at": cursor,
                "values": [values.get(k, 0) for k in keys],
                # A quarter-hour is in the last hour if any of it is.
                "recent": cursor + timedelta(minutes=15) > last_hour and cursor <= now,
            }
        )
        cursor += timedelta(minutes=15)
    context = {
        "org": org,
        "keys": keys,
        "columns": [labels.get(k, k) for k in keys],
        "rows": list(reversed(rows)),
        "totals": [sum(series.get(b, {}).get(k, 0) for b in series) for k in keys],
    }
    return render(request, "command/election_day.html", context)


def _targets_page(request, org, form, audience_form):
    rows = [progress(t, request.user) for t in queries.list_targets(request.user, org)]
    channels = queries.audiences(request.user, org, timezone.now() - timedelta(days=90))
    return render(
        request,
        "command/targets.html",
        {
            "org": org, "form": form, "rows": rows, "audience_form": audience_form,
            "audiences": channels, "audience_chart": queries.audience_chart(channels, limit=10),
        },
    )  # fmt: skip


@login_required
def targets(request):
    org = _org(request, "command.targets")
    form = TargetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_set_target(actor=request.user, org=org, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The target was saved."))
            return redirect(f"{reverse('command:targets')}?org={org.pk}")
    audience_form = AudienceForm(channels=queries.audience_channels_of(org))
    return _targets_page(request, org, form, audience_form)


@login_required
@require_POST
def target_delete(request, target_id: int):
    target = queries.access_target(request.user, target_id)
    actions.do_delete_target(actor=request.user, target=target)
    messages.success(request, _("The target was removed."))
    return redirect(f"{reverse('command:targets')}?org={target.org_id}")


@login_required
@require_POST
def audience_record(request):
    """A member count typed by hand; bad input shows the targets page again with the errors."""
    org = _org(request, "command.targets")
    form = AudienceForm(request.POST, channels=queries.audience_channels_of(org))
    if form.is_valid():
        channel_id, name, kind = form.cleaned_data["resolved"]
        try:
            actions.do_record_audience(
                actor=request.user, org=org, channel_id=channel_id, channel_name=name,
                channel_kind=kind, members=form.cleaned_data["members"],
            )  # fmt: skip
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The member count was recorded."))
            return redirect(f"{reverse('command:targets')}?org={org.pk}")
    return _targets_page(request, org, TargetForm(), form)


@login_required
def reports(request):
    org = _org(request, "command.reports")
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.do_generate_report(
                actor=request.user, org=org, period=data["period"], start=data["start"],
                end=data["end"], emails=data["emails"],
            )  # fmt: skip
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The report is ready."))
            return redirect(f"{reverse('command:reports')}?org={org.pk}")
    archive = queries.list_reports(request.user, org)[:100]
    return render(request, "command/reports.html", {"org": org, "form": form, "reports": archive})


@login_required
def report_download(request, report_id: int):
    report = queries.access_report(request.user, report_id)
    return FileResponse(
        report.file.open("rb"), as_attachment=True, filename=report.file.name.rsplit("/", 1)[-1]
    )


# --- report schedules ------------------------------------------------------------------------


def _schedules_page(request, org, form, schedule=None):
    rows = list(queries.list_schedules(request.user, org).order_by("org__path", "period"))
    chats = {c.pk: c for c in queries.report_chats(org)}
    for row in rows:
        row.chat = chats.get(row.channel_id)
    return render(
        request,
        "command/schedules.html",
        {"org": org, "form": form, "schedules": rows, "editing": schedule},
    )


def _save_schedule(request, org, form, schedule=None):
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_save_schedule(
                actor=request.user, org=org, schedule=schedule, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The schedule was saved."))
            return redirect(f"{reverse('command:schedules')}?org={org.pk}")
    return _schedules_page(request, org, form, schedule)


@login_required
def schedules(request):
    """The organisation's report schedules; a new one from the form beside them."""
    org = _org(request, "command.reports")
    form = ScheduleForm(request.POST or None, chats=queries.report_chats(org))
    return _save_schedule(request, org, form)


@login_required
def schedule_edit(request, schedule_id: int):
    schedule = queries.access_schedule(request.user, schedule_id)
    org = schedule.org
    initial = {"period": schedule.period, "emails": schedule.emails,
               "channel_id": schedule.channel_id, "enabled": schedule.enabled}  # fmt: skip
    form = ScheduleForm(request.POST or None, initial=initial, chats=queries.report_chats(org))
    return _save_schedule(request, org, form, schedule)


def _back(schedule):
    return redirect(f"{reverse('command:schedules')}?org={schedule.org_id}")


@login_required
@require_POST
def schedule_pause(request, schedule_id: int):
    """Pause a running schedule, or resume a paused one."""
    schedule = queries.access_schedule(request.user, schedule_id)
    try:
        actions.do_save_schedule(
            actor=request.user, org=schedule.org, schedule=schedule, period=schedule.period,
            emails=schedule.emails, channel_id=schedule.channel_id, enabled=not schedule.enabled,
        )  # fmt: skip
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("The schedule runs again.") if schedule.enabled else _("The schedule is paused."),
        )
    return _back(schedule)


@login_required
@require_POST
def schedule_delete(request, schedule_id: int):
    schedule = queries.access_schedule(request.user, schedule_id)
    actions.do_delete_schedule(actor=request.user, schedule=schedule)
    messages.success(request, _("The schedule was removed."))
    return redirect(f"{reverse('command:schedules')}?org={schedule.org_id}")


@login_required
@require_POST
def schedule_send(request, schedule_id: int):
    """Make the last complete period's report and send it to the schedule's recipients now."""
    schedule = queries.access_schedule(request.user, schedule_id)
    try:
        actions.do_send_schedule_now(actor=request.user, schedule=schedule)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The report was made and is being sent."))
    return _back(schedule)
