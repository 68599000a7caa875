"""Permission-checked reads of channels, deliveries and sandbox posts."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from didban.core.access import _membership_paths, scope_q
from didban.lib.jalali import day_start
from didban.publishing.models import Channel, Delivery, SandboxPost


def list_channels(user, *, permission: str = "publishing.view") -> QuerySet[Channel]:
    """Channels in the user's subtree; for viewing, also the channels above that carry the
    subtree's items (a committee editor sees the county HQ's channels)."""
    q = scope_q(user, permission)
    if permission == "publishing.view" and not user.is_superuser:
        above = {
            int(part)
            for path in _membership_paths(user, permission)
            for part in path.strip("/").split("/")[:-1]
            if part
        }
        if above:
            q |= Q(org_id__in=above, covers_suborgs=True)
    return Channel.objects.filter(q).select_related("org")


def access_channel(user, channel_id: int, *, permission: str = "publishing.view") -> Channel:
    return get_object_or_404(list_channels(user, permission=permission), pk=channel_id)


def list_deliveries(
    user,
    *,
    permission: str = "publishing.view",
    status: str = "",
    channel_id: int | None = None,
    item_id: int | None = None,
    channel_kind: str = "",
    org=None,
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[Delivery]:
    """Deliveries in scope. `since`/`until` are local days of the moment that matters for the
    status asked for: sent deliveries by when they were sent, the others by their last change
    (the command room counts them the same way)."""
    deliveries = Delivery.objects.filter(scope_q(user, permission)).select_related(
        "channel", "item", "org"
    )
    if status:
        deliveries = deliveries.filter(status=status)
    if channel_id:
        deliveries = deliveries.filter(channel_id=channel_id)
    if item_id:
        deliveries = deliveries.filter(item_id=item_id)
    if channel_kind:
        deliveries = deliveries.filter(channel__kind=channel_kind)
    if org is not None:
        deliveries = deliveries.filter(org__path__startswith=org.path)
    moment = "sent_at" if status == Delivery.Status.SENT else "updated_at"
    if since:
        deliveries = deliveries.filter(**{f"{moment}__gte": day_start(since)})
    if until:
        deliveries = deliveries.filter(**{f"{moment}__lt": day_start(until + timedelta(days=1))})
    return deliveries


def access_delivery(user, delivery_id: int, *, permission: str = "publishing.view") -> Delivery:
    return get_object_or_404(list_deliveries(user, permission=permission), pk=delivery_id)


def attention_count(user) -> int:
    """Failed and unknown deliveries the user can see: the home panel's number."""
    return list_deliveries(user).filter(status__in=Delivery.NEEDS_ATTENTION).count()


def list_sandbox_posts(channel: Channel) -> QuerySet[SandboxPost]:
    """Posts of a channel already accessed through `access_channel`."""
    return SandboxPost.objects.filter(channel=channel).order_by("created_at", "pk")
