"""Dispatch: deliveries sent per channel platform, and failures (at their last change)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from didban.command.metrics.base import Provider, list_url, local_days, model_or_none


def _delivery():
    return model_or_none("publishing.Delivery")


def available() -> bool:
    return _delivery() is not None and model_or_none("publishing.Channel") is not None


def events(start, end):
    Delivery = _delivery()
    sent = Delivery.objects.filter(sent_at__gte=start, sent_at__lt=end).values_list(
        "org_id", "sent_at", "channel__kind"
    )
    for org_id, at, kind in sent.iterator(chunk_size=5000):
        yield org_id, at, f"delivery.sent.{kind}"
    failed = Delivery.objects.filter(
        status=Delivery.Status.FAILED, updated_at__gte=start, updated_at__lt=end
    ).values_list("org_id", "updated_at", "channel__kind")
    for org_id, at, kind in failed.iterator(chunk_size=5000):
        yield org_id, at, f"delivery.failed.{kind}"


def touched(since):
    for sent_at, updated_at in (
        _delivery().objects.filter(updated_at__gte=since).values_list("sent_at", "updated_at")
    ):
        if sent_at:
            yield sent_at
        yield updated_at


def labels():
    Channel = model_or_none("publishing.Channel")
    result = {}
    for value, label in Channel.Kind.choices:
        result[f"delivery.sent.{value}"] = label
        result[f"delivery.failed.{value}"] = _("%(channel)s failures") % {"channel": label}
    return result


def link(metric, org, start=None, end=None):
    parts = metric.split(".")
    status = parts[1] if len(parts) > 2 else ""
    kind = parts[2] if len(parts) > 2 else ""
    return list_url(
        "publishing:delivery_queue",
        status=status,
        kind=kind,
        org=org.pk if org else None,
        **local_days(start, end),
    )


PROVIDER = Provider(
    name="publishing",
    available=available,
    events=events,
    touched=touched,
    labels=labels,
    link=link,
    prefixes=("delivery.",),
)


def audience_channels():
    """Enabled channels whose platform reports member counts (Telegram protocol)."""
    Channel = model_or_none("publishing.Channel")
    if Channel is None:
        return []
    kinds = [k for k in ("telegram", "bale") if k in Channel.Kind.values]
    return list(Channel.objects.filter(enabled=True, kind__in=kinds).select_related("org"))


def member_count(channel) -> int | None:
    """The channel's member count through its transport, or None if it cannot tell."""
    try:
        from didban.publishing.transports import transport_for
    except ImportError:
        return None
    transport = transport_for(channel)
    counter = getattr(transport, "member_count", None)
    if counter is None:
        return None
    return int(counter())
