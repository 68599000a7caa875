"""Permission-checked reads of channels, deliveries and sandbox posts."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from didban.core.access import scope_q
from didban.publishing.models import Channel, Delivery, SandboxPost


def list_channels(user, *, permission: str = "publishing.view") -> QuerySet[Channel]:
    return Channel.objects.filter(scope_q(user, permission)).select_related("org")


def access_channel(user, channel_id: int, *, permission: str = "publishing.view") -> Channel:
    return get_object_or_404(list_channels(user, permission=permission), pk=channel_id)


def list_deliveries(
    user,
    *,
    permission: str = "publishing.view",
    status: str = "",
    channel_id: int | None = None,
    item_id: int | None = None,
) -> QuerySet[Delivery]:
    deliveries = Delivery.objects.filter(scope_q(user, permission)).select_related(
        "channel", "item", "org"
    )
    if status:
        deliveries = deliveries.filter(status=status)
    if channel_id:
        deliveries = deliveries.filter(channel_id=channel_id)
    if item_id:
        deliveries = deliveries.filter(item_id=item_id)
    return deliveries


def access_delivery(user, delivery_id: int, *, permission: str = "publishing.view") -> Delivery:
    return get_object_or_404(list_deliveries(user, permission=permission), pk=delivery_id)


def attention_count(user) -> int:
    """Failed and unknown deliveries the user can see: the home panel's number."""
    return list_deliveries(user).filter(status__in=Delivery.NEEDS_ATTENTION).count()


def list_sandbox_posts(channel: Channel) -> QuerySet[SandboxPost]:
    """Posts of a channel already accessed through `access_channel`."""
    return SandboxPost.objects.filter(channel=channel).order_by("created_at", "pk")
