"""Newsroom pages: items and their workflow, calendar, occasions, events, templates."""

from __future__ import annotations

from datetime import timedelta

import jdatetime
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from didban.accounts.forms import apply_errors
from didban.accounts.models import User
from didban.core.access import has_any, has_perm, scoped_orgs
from didban.core.roles import roles_with
from didban.lib.jalali import jalali_month_range, jalali_week_start, parse_day, to_jalali
from didban.newsroom import actions, forms, queries
from didban.newsroom.models import Item
from didban.newsroom.text import word_diff

S = Item.Status


def _require_any(request, permission: str) -> None:
    if not has_any(request.user, permission):
        raise PermissionDenied


def _people_for(org):
    """People who may work on items of `org` (edit roles here or above)."""
    return (
        User.objects.filter(
            memberships__is_active=True,
            memberships__org_id__in=org.ancestor_ids(),
            memberships__role__in=roles_with("newsroom.edit"),
        )
        .distinct()
        .order_by("first_name", "last_name")
    )


def _people_in_scope(user):
    orgs = scoped_orgs(user, "newsroom.view")
    return (
        User.objects.filter(
            memberships__is_active=True,
            memberships__org__in=orgs,
            memberships__role__in=roles_with("newsroom.edit"),
        )
        .distinct()
        .order_by("first_name", "last_name")
    )


def _item_form_kwargs(user, org):
    return {
        "occasions": queries.list_occasions(user),
        "events": queries.list_events(user).filter(org__path__startswith=org.path)
        | queries.list_events(user).filter(org_id__in=org.ancestor_ids()),
        "units": scoped_orgs(user, "newsroom.view").filter(path__startswith=org.path),
        "people": _people_for(org),
    }


# --- items ---------------------------------------------------------------------------------


@login_required
def item_list(request: HttpRequest) -> HttpResponse:
    _require_any(request, "newsroom.view")
    g = request.GET
    since, until = parse_day(g.get("since", "")), parse_day(g.get("until", ""))
    bad_dates = (g.get("since") and since is None) or (g.get("until") and until is None)

    def int_or_none(name):
        value = g.get(name, "")
        return int(value) if value.isdigit() else None

    filters = {
        "status": g.get("status", "") if g.get("status", "") in S.values else "",
        "kind": g.get("kind", "") if g.get("kind", "") in Item.Kind.values else "",
        "occasion": int_or_none("occasion"),
        "assignee": int_or_none("assignee"),
        "since": since,
        "until": until,
        "search": g.get("q", "").strip()[:200],
        # Published at some time, whatever the item became after (the production figure).
        "published": g.get("published", "") == "1",
        # An organisation's subtree (the command room's figures link here filtered by it).
        "org": scoped_orgs(request.user, "newsroom.view").filter(pk=int_or_none("org")).first()
        if int_or_none("org")
        else None,
    }
    items = queries.list_items(request.user, **filters).order_by("-updated_at", "-pk")
    page = Paginator(items, 30).get_page(g.get("page"))
    query = g.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "filters": filters,
        "raw": g,
        "query": query.urlencode(),
        "bad_dates": bad_dates,
        "statuses": S.choices,
        "kinds": Item.Kind.choices,
        "occasions": queries.list_occasions(request.user),
        "people": _people_in_scope(request.user),
        "can_create": has_any(request.user, "newsroom.edit"),
    }
    template = "newsroom/item_list.html"
    if request.headers.get("HX-Request"):
        template += "#results"
    return render(request, template, context)


@login_required
def item_create(request: HttpRequest) -> HttpResponse:
    _require_any(request, "newsroom.edit")
    orgs = scoped_orgs(request.user, "newsroom.edit")
    org = (
        request.org
        if request.org and has_perm(request.user, "newsroom.edit", request.org)
        else orgs.first()
    )
    if org is None:
        raise PermissionDenied
    chosen = request.POST.get("org") or request.GET.get("org")
    if chosen and chosen.isdigit():
        org = orgs.filter(pk=int(chosen)).first() or org
    kwargs = {
        **_item_form_kwargs(request.user, org),
        "orgs": orgs,
        "templates": queries.usable_templates(org),
    }
    initial = {"org": org.pk, "kind": Item.Kind.NEWS}
    if (template_id := request.GET.get("template", "")).isdigit():
        template = queries.usable_templates(org).filter(pk=int(template_id)).first()
        if template is not None:
            initial.update(
                template=template.pk,
                kind=template.kind,
                title=template.title,
                lead=template.lead,
                body=template.body,
                tags="، ".join(template.tags),
            )
    form = forms.ItemCreateForm(request.POST or None, initial=initial, **kwargs)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            item = actions.do_create_item(
                actor=request.user, org=data["org"], kind=data["kind"], title=data["title"],
                lead=data["lead"], body=data["body"], tags=data["tags"], occasion=data["occasion"],
                event=data["event"], unit=data["unit"], assignee=data["assignee"],
                due_at=data["due_at"], template=data["template"],
            )  # fmt: skip
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("The item was created with news code %(code)s.") % {"code": item.news_code},
            )
            return redirect(item)
    return render(request, "newsroom/item_form.html", {"form": form, "creating": True})


def _panel_from_publishing(request, item) -> str:
    """The delivery status area, filled by didban.publishing when it is installed."""
    try:
        from didban.publishing.views import item_deliveries_panel
    except ImportError:
        return ""
    return mark_safe(item_deliveries_panel(request, item))  # noqa: S308 - rendered by a template


def _detail_context(request, item) -> dict:
    user = request.user
    org = item.org
    can = {
        "edit": has_perm(user, "newsroom.edit", org),
        "approve": has_perm(user, "newsroom.approve", org),
        "publish": has_perm(user, "newsroom.publish", org),
        "comment": has_perm(user, "newsroom.comment", org),
    }
    status = item.status
    buttons = {
        "edit": (status == S.DRAFT and can["edit"])
        or (status in (S.IN_REVIEW, S.APPROVED, S.SCHEDULED) and can["approve"]),
        "submit": status == S.DRAFT and can["edit"],
        "approve": status == S.IN_REVIEW and can["approve"],
        "return": status in (S.IN_REVIEW, S.APPROVED, S.SCHEDULED) and can["approve"],
        "publish": status in (S.IN_REVIEW, S.APPROVED, S.SCHEDULED) and can["publish"],
        "schedule": status in (S.APPROVED, S.SCHEDULED) and can["publish"],
        "correct": status in (S.PUBLISHED, S.CORRECTED) and can["publish"],
        "retract": status in (S.PUBLISHED, S.CORRECTED) and can["publish"],
    }
    revisions = list(queries.item_revisions(item))
    return {
        "item": item,
        "can": can,
        "buttons": buttons,
        "revisions": revisions,
        "comments": item.comments.select_related("author"),
        "links": queries.item_assets(item),
        "lock_holder": item.lock_holder(user),
        "deliveries_panel": _panel_from_publishing(request, item),
        "comment_form": forms.CommentForm(),
        "upload_form": forms.UploadForm(),
        "schedule_form": forms.ScheduleForm(),
        "note_form": forms.NoteForm(),
        "reason_form": forms.ReasonForm(),
        "coverage": item.coverage.select_related("event", "person"),
        "now": timezone.now(),
    }


@login_required
def item_detail(request: HttpRequest, item_id: int) -> HttpResponse:
    item = queries.access_item(request.user, item_id)
    return render(request, "newsroom/item_detail.html", _detail_context(request, item))


@login_required
def item_edit(request: HttpRequest, item_id: int) -> HttpResponse:
    item = queries.access_item(request.user, item_id)
    if not has_perm(request.user, "newsroom.edit", item.org):
        raise PermissionDenied
    if item.status not in (S.DRAFT, S.IN_REVIEW, S.APPROVED, S.SCHEDULED):
        return redirect("newsroom:item_correct", item.pk)
    kwargs = _item_form_kwargs(request.user, item.org)
    lock_holder = None
    if request.method == "POST":
        form = forms.ItemForm(request.POST, **kwargs)
        if form.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version")
            try:
                actions.do_update_item(actor=request.user, item=item, version=version, **data)
            except ValidationError as exc:
                apply_errors(form, exc)
                item.refresh_from_db()
            except PermissionDenied:
                messages.error(request, _("You may no longer edit this item."))
                return redirect(item)
            else:
                actions.do_unlock_item(actor=request.user, item=item)
                messages.success(request, _("Saved."))
                return redirect(item)
    else:
        lock_holder = actions.do_lock_item(actor=request.user, item=item)
        form = forms.ItemForm(
            initial={
                "kind": item.kind, "title": item.title, "lead": item.lead, "body": item.body,
                "tags": "، ".join(item.tags), "occasion": item.occasion_id, "event": item.event_id,
                "unit": item.unit_id, "assignee": item.assignee_id, "due_at": item.due_at,
                "version": item.version,
            },
            **kwargs,
        )  # fmt: skip
    stale = "version" in form.errors
    return render(
        request,
        "newsroom/item_form.html",
        {"form": form, "item": item, "lock_holder": lock_holder, "stale": stale},
    )


@login_required
@require_POST
def item_lock(request: HttpRequest, item_id: int) -> HttpResponse:
    """Refreshed by htmx while the edit form is open; answers with the lock warning, if any."""
    item = queries.access_item(request.user, item_id)
    holder = actions.do_lock_item(actor=request.user, item=item)
    return render(request, "newsroom/item_form.html#lock", {"item": item, "lock_holder": holder})


@login_required
def item_correct(request: HttpRequest, item_id: int) -> HttpResponse:
    item = queries.access_item(request.user, item_id)
    if not has_perm(request.user, "newsroom.publish", item.org):
        raise PermissionDenied
    kwargs = _item_form_kwargs(request.user, item.org)
    note_form = forms.NoteForm(request.POST or None)
    if request.method == "POST":
        form = forms.ItemForm(request.POST, **kwargs)
        if form.is_valid() and note_form.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version")
            try:
                actions.do_correct_item(
                    actor=request.user,
                    item=item,
                    version=version,
                    note=note_form.cleaned_data["note"],
                    **data,
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("The correction was published."))
                return redirect(item)
    else:
        form = forms.ItemForm(
            initial={
                "kind": item.kind, "title": item.title, "lead": item.lead, "body": item.body,
                "tags": "، ".join(item.tags), "occasion": item.occasion_id, "event": item.event_id,
                "unit": item.unit_id, "assignee": item.assignee_id, "due_at": item.due_at,
                "version": item.version,
            },
            **kwargs,
        )  # fmt: skip
    return render(
        request,
        "newsroom/item_form.html",
        {
            "form": form,
            "item": item,
            "note_form": note_form,
            "correcting": True,
            "stale": "version" in form.errors,
        },
    )


@login_required
@require_POST
def item_transition(request: HttpRequest, item_id: int, verb: str) -> HttpResponse:
    item = queries.access_item(request.user, item_id)
    post = request.POST
    try:
        if verb == "submit":
            actions.do_submit_item(actor=request.user, item=item)
            messages.success(request, _("Sent for review."))
        elif verb == "approve":
            actions.do_approve_item(actor=request.user, item=item)
            messages.success(request, _("Approved."))
        elif verb == "publish":
            actions.do_publish_item(actor=request.user, item=item)
            messages.success(request, _("Published."))
        elif verb == "return":
            actions.do_return_item(actor=request.user, item=item, note=post.get("note", ""))
            messages.success(request, _("Returned to the producer."))
        elif verb == "retract":
            actions.do_retract_item(actor=request.user, item=item, reason=post.get("reason", ""))
            messages.success(request, _("Retracted."))
        elif verb == "schedule":
            form = forms.ScheduleForm(post)
            if not form.is_valid():
                raise ValidationError(form.errors["at"])
            actions.do_schedule_item(actor=request.user, item=item, at=form.cleaned_data["at"])
            messages.success(request, _("Scheduled."))
        else:
            raise Http404
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect(item)


@login_required
@require_POST
def item_comment(request: HttpRequest, item_id: int) -> HttpResponse:
    item = queries.access_item(request.user, item_id)
    form = forms.CommentForm(request.POST)
    if form.is_valid():
        try:
            actions.do_add_comment(actor=request.user, item=item, body=form.cleaned_data["body"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, _("Write a comment first."))
    return redirect(reverse("newsroom:item_detail", args=[item.pk]) + "#comments")


@login_required
@require_POST
def item_upload(request: HttpRequest, item_id: int) -> HttpResponse:
    item = queries.access_item(request.user, item_id)
    form = forms.UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a file to upload."))
        return redirect(item)
    try:
        asset, created = actions.do_upload_asset(
            actor=request.user, org=item.org, upload=form.cleaned_data["file"]
        )
        actions.do_attach_asset(
            actor=request.user, item=item, asset=asset, caption=form.cleaned_data["caption"]
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if created:
            messages.success(request, _("The file was added."))
        else:
            messages.info(request, _("This file was uploaded before; the stored copy is used."))
    return redirect(reverse("newsroom:item_detail", args=[item.pk]) + "#assets")


@login_required
@require_POST
def item_detach(request: HttpRequest, item_id: int, asset_id: int) -> HttpResponse:
    item = queries.access_item(request.user, item_id)
    asset = queries.access_asset(request.user, asset_id)
    try:
        actions.do_detach_asset(actor=request.user, item=item, asset=asset)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(reverse("newsroom:item_detail", args=[item.pk]) + "#assets")


@login_required
def item_diff(request: HttpRequest, item_id: int) -> HttpResponse:
    item = queries.access_item(request.user, item_id)
    revisions = {r.number: r for r in queries.item_revisions(item)}
    if not revisions:
        raise Http404

    def number(name, default):
        value = request.GET.get(name, "")
        return int(value) if value.isdigit() and int(value) in revisions else default

    newest = max(revisions)
    b = number("b", newest)
    a = number("a", max(1, b - 1))
    old, new = revisions[a], revisions[b]
    return render(
        request,
        "newsroom/item_diff.html",
        {
            "item": item,
            "old": old,
            "new": new,
            "parts": word_diff(old.plain(), new.plain()),
            "revisions": sorted(revisions.values(), key=lambda r: r.number),
        },
    )


# --- calendar ------------------------------------------------------------------------------


@login_required
def calendar(request: HttpRequest) -> HttpResponse:
    """Month, week, day and per-person lanes of items due, scheduled and published."""
    _require_any(request, "newsroom.view")
    view = request.GET.get("view", "month")
    if view not in ("month", "week", "day", "lanes"):
        view = "month"
    today = timezone.localdate()
    anchor = parse_day(request.GET.get("d", "")) or today
    j = to_jalali(anchor)
    if view == "month":
        start, end = jalali_month_range(j.year, j.month)
        prev_anchor, next_anchor = start - timedelta(days=1), end + timedelta(days=1)
    elif view in ("week", "lanes"):
        start = jalali_week_start(anchor)
        end = start + timedelta(days=6)
        prev_anchor, next_anchor = start - timedelta(days=7), start + timedelta(days=7)
    else:
        start = end = anchor
        prev_anchor, next_anchor = anchor - timedelta(days=1), anchor + timedelta(days=1)
    rows = queries.calendar_items(request.user, start, end)
    events = queries.calendar_events(request.user, start, end)
    days = []
    day = start
    while day <= end:
        days.append(
            {
                "date": day,
                "jday": to_jalali(day).day,
                "today": day == today,
                "items": [(what, when, item) for d, what, when, item in rows if d == day],
                "events": [event for d, event in events if d == day],
            }
        )
        day += timedelta(days=1)
    weeks = []
    if view == "month":
        lead_blank = (start.weekday() - 5) % 7
        cells = [None] * lead_blank + days
        cells += [None] * (-len(cells) % 7)
        weeks = [cells[i : i + 7] for i in range(0, len(cells), 7)]
    lanes = []
    if view == "lanes":
        by_person: dict = {}
        for d, what, when, item in rows:
            person = item.assignee or item.author
            by_person.setdefault(person, {}).setdefault(d, []).append((what, when, item))
        for person, per_day in sorted(by_person.items(), key=lambda kv: str(kv[0])):
            lanes.append({"person": person, "days": [per_day.get(x["date"], []) for x in days]})
    weekday_names = [_("Sat"), _("Sun"), _("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri")]
    return render(
        request,
        "newsroom/calendar.html",
        {
            "view": view, "start": start, "end": end, "days": days, "weeks": weeks,
            "lanes": lanes, "weekday_names": weekday_names, "anchor": anchor,
            "prev": prev_anchor.isoformat(), "next": next_anchor.isoformat(),
            "month_label": jdatetime.date(j.year, j.month, 1),
            "overdue": queries.overdue_assignments(request.user)[:20],
        },
    )  # fmt: skip


# --- occasions, events, templates -------------------------------------------------------------


@login_required
def occasion_list(request: HttpRequest) -> HttpResponse:
    _require_any(request, "newsroom.view")
    can_plan = has_any(request.user, "newsroom.plan")
    form = None
    if can_plan:
        form = forms.OccasionForm(
            request.POST or None, orgs=scoped_orgs(request.user, "newsroom.plan")
        )
        if request.method == "POST" and form.is_valid():
            try:
                actions.do_create_occasion(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("The occasion was added."))
                return redirect("newsroom:occasion_list")
    elif request.method == "POST":
        raise PermissionDenied
    return render(
        request,
        "newsroom/occasion_list.html",
        {"occasions": queries.list_occasions(request.user), "form": form},
    )


@login_required
def event_list(request: HttpRequest) -> HttpResponse:
    _require_any(request, "newsroom.view")
    can_plan = has_any(request.user, "newsroom.plan")
    form = None
    if can_plan:
        form = forms.EventForm(
            request.POST or None,
            orgs=scoped_orgs(request.user, "newsroom.plan"),
            occasions=queries.list_occasions(request.user),
        )
        if request.method == "POST" and form.is_valid():
            try:
                event = actions.do_create_event(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("The event was added."))
                return redirect("newsroom:event_detail", event.pk)
    elif request.method == "POST":
        raise PermissionDenied
    return render(
        request,
        "newsroom/event_list.html",
        {"events": queries.list_events(request.user), "form": form},
    )


@login_required
def event_detail(request: HttpRequest, event_id: int) -> HttpResponse:
    event = queries.access_event(request.user, event_id)
    can_plan = has_perm(request.user, "newsroom.plan", event.org)
    form = (
        forms.CoverageForm(request.POST or None, people=_people_for(event.org))
        if can_plan
        else None
    )
    if request.method == "POST":
        if not can_plan:
            raise PermissionDenied
        if form.is_valid():
            try:
                actions.do_assign_coverage(actor=request.user, event=event, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("The assignment was added."))
                return redirect("newsroom:event_detail", event.pk)
    return render(
        request,
        "newsroom/event_detail.html",
        {
            "event": event,
            "assignments": event.assignments.select_related("person", "item"),
            "form": form,
            "items": event.items.all()[:50],
        },
    )


@login_required
def template_list(request: HttpRequest) -> HttpResponse:
    _require_any(request, "newsroom.view")
    form = None
    if has_any(request.user, "newsroom.approve"):
        form = forms.TemplateForm(
            request.POST or None, orgs=scoped_orgs(request.user, "newsroom.approve")
        )
        if request.method == "POST" and form.is_valid():
            try:
                actions.do_create_template(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("The template was saved."))
                return redirect("newsroom:template_list")
    elif request.method == "POST":
        raise PermissionDenied
    return render(
        request,
        "newsroom/template_list.html",
        {
            "templates": queries.list_templates(request.user),
            "form": form,
            "can_create_item": has_any(request.user, "newsroom.edit"),
        },
    )
