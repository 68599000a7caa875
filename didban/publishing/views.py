from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from didban.accounts.forms import apply_errors
from didban.core.access import has_any, has_perm, org_from_param, scoped_orgs
from didban.lib.jalali import parse_day
from didban.publishing import actions
from didban.publishing.forms import ChannelForm, ReconcileForm
from didban.publishing.models import Channel, Delivery
from didban.publishing.queries import (
    access_channel,
    access_delivery,
    list_channels,
    list_deliveries,
    list_sandbox_posts,
)


def _require_any(request, permission: str) -> None:
    if not has_any(request.user, permission):
        raise PermissionDenied


def _next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or default
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


# --- channels ------------------------------------------------------------------------------


@login_required
def channel_list(request: HttpRequest) -> HttpResponse:
    _require_any(request, "publishing.view")
    channels = list_channels(request.user).order_by("org__path", "name")
    rows = [
        {"channel": c, "can_edit": has_perm(request.user, "publishing.channels", c.org)}
        for c in channels
    ]
    return render(
        request,
        "publishing/channel_list.html",
        {"rows": rows, "can_create": has_any(request.user, "publishing.channels")},
    )


def _channel_form_view(request: HttpRequest, channel: Channel | None) -> HttpResponse:
    orgs = scoped_orgs(request.user, "publishing.channels").order_by("path")
    if request.method == "POST":
        form = ChannelForm(request.POST, orgs=orgs, channel=channel)
        if form.is_valid():
            try:
                saved = actions.do_save_channel(
                    actor=request.user, channel=channel, **form.action_kwargs()
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(
                    request, _("The channel «%(name)s» was saved.") % {"name": saved.name}
                )
                return redirect("publishing:channel_list")
    else:
        initial = ChannelForm.initial_for(channel) if channel else {}
        if channel is None and request.membership is not None:
            initial["org"] = request.membership.org_id
        form = ChannelForm(initial=initial, orgs=orgs, channel=channel)
    return render(request, "publishing/channel_form.html", {"form": form, "channel": channel})


@login_required
def channel_create(request: HttpRequest) -> HttpResponse:
    _require_any(request, "publishing.channels")
    return _channel_form_view(request, None)


@login_required
def channel_edit(request: HttpRequest, channel_id: int) -> HttpResponse:
    channel = access_channel(request.user, channel_id, permission="publishing.channels")
    return _channel_form_view(request, channel)


@login_required
def sandbox_preview(request: HttpRequest, channel_id: int) -> HttpResponse:
    channel = access_channel(request.user, channel_id)
    posts = list_sandbox_posts(channel)
    return render(
        request, "publishing/sandbox_preview.html", {"channel": channel, "posts": posts[:300]}
    )


# --- deliveries ----------------------------------------------------------------------------


def _row_context(request, delivery: Delivery) -> dict:
    return {
        "d": delivery,
        "can_deliver": has_perm(request.user, "publishing.deliver", delivery.org),
        "reconcile_form": ReconcileForm(prefix=f"r{delivery.pk}"),
        "show_item": True,
    }


@login_required
def delivery_queue(request: HttpRequest) -> HttpResponse:
    _require_any(request, "publishing.view")
    status = request.GET.get("status", "")
    if status not in Delivery.Status.values:
        status = ""
    try:
        channel_id = int(request.GET.get("channel") or 0)
    except ValueError:
        channel_id = 0
    kind = request.GET.get("kind", "")
    kind = kind if kind in Channel.Kind.values else ""
    org = org_from_param(request.user, "publishing.view", request.GET.get("org"))
    since, until = parse_day(request.GET.get("since", "")), parse_day(request.GET.get("until", ""))
    deliveries = list_deliveries(
        request.user, status=status, channel_id=channel_id or None, channel_kind=kind, org=org,
        since=since, until=until,
    )  # fmt: skip
    page = Paginator(deliveries.order_by("-queued_at", "-pk"), 50).get_page(request.GET.get("page"))
    rows = [_row_context(request, d) for d in page]
    extra = [("kind", kind), ("org", org.pk if org else ""),
             ("since", since.isoformat() if since else ""),
             ("until", until.isoformat() if until else "")]  # fmt: skip
    context = {
        "extra_filters": [(name, value) for name, value in extra if value],
        "org_filter": org, "kind": kind, "kind_label": Channel.Kind(kind).label if kind else "",
        "since": since, "until": until,
        "page": page, "rows": rows, "status": status, "channel_id": channel_id,
        "statuses": Delivery.Status.choices, "channels": list_channels(request.user).order_by("name"),
        "attention": list_deliveries(request.user).filter(status__in=Delivery.NEEDS_ATTENTION).count(),
    }  # fmt: skip
    template = "publishing/delivery_queue.html"
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "delivery-table":
        template += "#table"
    return render(request, template, context)


def _after_action(request, delivery: Delivery) -> HttpResponse:
    if request.headers.get("HX-Request"):
        delivery = access_delivery(request.user, delivery.pk)
        context = _row_context(request, delivery)
        context["show_item"] = request.POST.get("show_item") != "0"
        return render(request, "publishing/delivery_row.html", context)
    return redirect(_next(request, "/publishing/deliveries/"))


@login_required
@require_POST
def delivery_retry(request: HttpRequest, delivery_id: int) -> HttpResponse:
    delivery = access_delivery(request.user, delivery_id)
    try:
        actions.do_retry_delivery(actor=request.user, delivery=delivery)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return _after_action(request, delivery)


@login_required
@require_POST
def delivery_reconcile(request: HttpRequest, delivery_id: int) -> HttpResponse:
    delivery = access_delivery(request.user, delivery_id)
    form = ReconcileForm(request.POST, prefix=f"r{delivery.pk}")
    if not form.is_valid():
        messages.error(request, _("Choose what happened to this delivery."))
        return _after_action(request, delivery)
    try:
        actions.do_reconcile_delivery(actor=request.user, delivery=delivery, **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return _after_action(request, delivery)


def item_deliveries_panel(request: HttpRequest, item) -> str:
    """The item's deliveries (embedded by the newsroom item page); "" when there are none."""
    if not has_any(request.user, "publishing.view"):
        return ""
    deliveries = list_deliveries(request.user, item_id=item.pk).order_by("channel__name")
    if not deliveries:
        return ""
    rows = []
    for delivery in deliveries:
        row = _row_context(request, delivery)
        row["show_item"] = False
        rows.append(row)
    return render_to_string(
        "publishing/item_deliveries.html", {"rows": rows, "item": item}, request=request
    )
