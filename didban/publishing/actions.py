"""Every change to channels and deliveries.

People's actions (`do_save_channel`, `do_queue_deliveries`, `do_retry_delivery`,
`do_reconcile_delivery`) check permission, run in one transaction, write the audit entry and
hand the sending to the worker on commit. The worker's steps (`send_next_on_channel`,
`reap_expired_leases`, `apply_followup`) are actions of the system: they take ids and are safe
to run twice.

No duplicate posts: a delivery is claimed by a conditional UPDATE (queued → sending, with a
lease) so two workers cannot both send it; each step's message ids are saved as soon as the
step succeeds, so a retry resumes after them; a send whose outcome is unknown, and a
`sending` row whose lease ran out (the worker died mid-send), become `unknown` and wait for a
person, never for another blind post.
"""

from __future__ import annotations

import logging
import random
import time
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from didban.core import audit
from didban.core.access import require_perm
from didban.lib.persian import fix_display
from didban.publishing import secrets
from didban.publishing.formatting import plan_for
from didban.publishing.models import Channel, Delivery, DeliveryEvent
from didban.publishing.stories import story_for
from didban.publishing.transports import NotSupported, TransportError, transport_for
from didban.publishing.transports.email import recipients

logger = logging.getLogger("didban.publishing")

CHANNEL_FIELDS = [
    "org", "kind", "name", "target", "base_url", "config", "rate_per_minute", "enabled",
    "covers_suborgs", "secret_set_at",
]  # fmt: skip
DELIVERY_FIELDS = ["status", "attempts", "external_ids", "last_error", "followup"]
BACKOFF_CAP_SECONDS = 15 * 60
# A rate limit wait up to this long is slept through inside the task; a longer one is left
# to the periodic dispatcher.
SLEEP_WITHIN_TASK_SECONDS = 3.0


# --- channels ------------------------------------------------------------------------------


def _clean_channel(kind: str, target: str, base_url: str, config: dict) -> dict:
    errors = {}
    target = target.strip()
    if kind in (Channel.Kind.TELEGRAM, Channel.Kind.BALE, Channel.Kind.EITAA) and not target:
        errors["target"] = _("Enter the chat id or the @username of the channel.")
    if kind == Channel.Kind.EMAIL:
        addresses = recipients(target)
        if not addresses:
            errors["target"] = _("Enter at least one email address.")
        for address in addresses:
            try:
                validate_email(address)
            except ValidationError:
                errors["target"] = _("%(address)s is not an email address.") % {"address": address}
                break
        target = ", ".join(addresses)
    if kind == Channel.Kind.WEBHOOK:
        parts = urlsplit(target)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            errors["target"] = _("Enter the webhook's http(s) address.")
    if base_url:
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            errors["base_url"] = _("Enter an http(s) address.")
    port = (config or {}).get("smtp_port")
    if port not in (None, ""):
        try:
            if not 0 < int(port) < 65536:
                raise ValueError
        except (TypeError, ValueError):
            errors["config"] = _("The SMTP port must be a number between 1 and 65535.")
    if errors:
        raise ValidationError(errors)
    return {"target": target}


def do_save_channel(
    *,
    actor,
    org,
    channel: Channel | None = None,
    kind: str,
    name: str,
    target: str = "",
    base_url: str = "",
    config: dict | None = None,
    rate_per_minute: int = 20,
    enabled: bool = True,
    covers_suborgs: bool = True,
    secret: str | None = None,
) -> Channel:
    """Create a channel (`channel=None`) or change one. `secret=None` keeps the saved one."""
    require_perm(actor, "publishing.channels", org)
    if channel is not None:
        require_perm(actor, "publishing.channels", channel.org)
    if kind not in Channel.Kind.values:
        raise ValidationError({"kind": _("Choose a kind of channel.")})
    name = fix_display(name)
    if not name:
        raise ValidationError({"name": _("Enter a name.")})
    cleaned = _clean_channel(kind, target, base_url, config or {})
    with transaction.atomic():
        before = audit.snapshot(channel, CHANNEL_FIELDS) if channel else None
        if channel is None:
            channel = Channel(org=org)
        channel.org = org
        channel.kind = kind
        channel.name = name
        channel.target = cleaned["target"]
        channel.base_url = base_url.strip()
        channel.config = config or {}
        channel.rate_per_minute = rate_per_minute
        channel.enabled = enabled
        channel.covers_suborgs = covers_suborgs
        if secret:
            channel.secret_encrypted = secrets.encrypt(secret.strip())
            channel.secret_set_at = timezone.now()
        channel.save()
        # The audit log says a secret was replaced, never what it is.
        audit.record(
            actor=actor,
            verb="channel.create" if before is None else "channel.update",
            org=org,
            obj=channel,
            before=before,
            after=audit.snapshot(channel, CHANNEL_FIELDS),
        )
    return channel


# --- queueing ------------------------------------------------------------------------------


def channels_for_item(item):
    """Enabled channels of the item's organisation, and of the ones above that cover it."""
    ancestors = item.org.ancestor_ids()
    return (
        Channel.objects.filter(enabled=True)
        .filter(Q(org=item.org) | Q(covers_suborgs=True, org_id__in=ancestors))
        .order_by("pk")
    )


def _event(delivery: Delivery, verb: str, message: str = "", actor=None) -> None:
    DeliveryEvent.objects.create(
        delivery=delivery,
        verb=verb,
        message=message,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
    )


def _kick(channel_ids) -> None:
    from didban.publishing.tasks import drain_channel

    for channel_id in sorted(set(channel_ids)):
        transaction.on_commit(lambda cid=channel_id: drain_channel.enqueue(cid))


def do_queue_deliveries(*, actor, item, channels=None) -> list[Delivery]:
    """One delivery per channel for a public item; a channel already holding one is skipped.

    `actor=None` is the system acting on the newsroom's `item_published` signal (the publish
    decision was checked there); a person needs `publishing.deliver` on the item's organisation.
    """
    if actor is not None:
        require_perm(actor, "publishing.deliver", item.org)
    if not item.is_public:
        raise ValidationError(_("Only a published item can be delivered to channels."))
    channels = list(channels if channels is not None else channels_for_item(item))
    created = []
    with transaction.atomic():
        now = timezone.now()
        existing = set(
            Delivery.objects.filter(item=item, channel__in=channels).values_list(
                "channel_id", flat=True
            )
        )
        for channel in channels:
            if channel.pk in existing:
                continue
            delivery = Delivery.objects.create(
                org=item.org, item=item, channel=channel, queued_at=item.published_at or now
            )
            _event(delivery, "queued", actor=actor)
            created.append(delivery)
        if created:
            audit.record(
                actor=actor or "system",
                verb="delivery.queue",
                org=item.org,
                obj=item,
                after={"channels": [d.channel_id for d in created]},
            )
        _kick(d.channel_id for d in created)
    return created


# --- people fixing deliveries --------------------------------------------------------------


def do_retry_delivery(*, actor, delivery: Delivery) -> Delivery:
    """Send a failed delivery again (it resumes after the steps already posted).

    A failed correction or retraction is tried again the same way.
    """
    require_perm(actor, "publishing.deliver", delivery.org)
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().get(pk=delivery.pk)
        before = audit.snapshot(delivery, DELIVERY_FIELDS)
        if delivery.followup in (
            Delivery.Followup.CORRECTION_FAILED,
            Delivery.Followup.RETRACTION_FAILED,
        ):
            pending = (
                Delivery.Followup.CORRECTION_PENDING
                if delivery.followup == Delivery.Followup.CORRECTION_FAILED
                else Delivery.Followup.RETRACTION_PENDING
            )
            delivery.followup = pending
            delivery.save(update_fields=["followup", "updated_at"])
            _event(delivery, "followup_retry", actor=actor)
            transaction.on_commit(lambda: _enqueue_followup(delivery.pk))
        elif delivery.status == Delivery.Status.FAILED:
            if not delivery.item.is_public:
                raise ValidationError(_("The item is no longer public."))
            delivery.status = Delivery.Status.QUEUED
            delivery.attempts = 0
            delivery.next_retry_at = None
            delivery.save(update_fields=["status", "attempts", "next_retry_at", "updated_at"])
            _event(delivery, "retry", actor=actor)
            _kick([delivery.channel_id])
        else:
            raise ValidationError(_("Only a failed delivery can be retried."))
        audit.record(
            actor=actor, verb="delivery.retry", org=delivery.org, obj=delivery, before=before,
            after=audit.snapshot(delivery, DELIVERY_FIELDS),
        )  # fmt: skip
    return delivery


RECONCILE_OUTCOMES = ("sent", "failed", "resend")


def do_reconcile_delivery(
    *, actor, delivery: Delivery, outcome: str, message_id: str = "", note: str = ""
) -> Delivery:
    """Settle a delivery whose outcome is unknown, after looking at the channel.

    `sent` (it is there; its message id if known), `failed` (it is not there and should not
    be), or `resend` (it is not there: post it again, explicitly).
    """
    require_perm(actor, "publishing.deliver", delivery.org)
    if outcome not in RECONCILE_OUTCOMES:
        raise ValidationError({"outcome": _("Choose sent, failed or send again.")})
    message_id = message_id.strip()[:200]
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().get(pk=delivery.pk)
        if delivery.status != Delivery.Status.UNKNOWN:
            raise ValidationError(_("Only a delivery whose outcome is unknown can be reconciled."))
        before = audit.snapshot(delivery, DELIVERY_FIELDS)
        words = {
            "sent": _("marked as sent"),
            "failed": _("marked as failed"),
            "resend": _("sent again"),
        }
        if outcome == "sent":
            delivery.status = Delivery.Status.SENT
            delivery.sent_at = delivery.sent_at or timezone.now()
            if message_id:
                delivery.external_ids = [*delivery.external_ids, [message_id]]
            delivery.last_error = ""
        elif outcome == "failed":
            delivery.status = Delivery.Status.FAILED
            delivery.last_error = note.strip() or _("Marked as failed by hand.")
        else:
            if not delivery.item.is_public:
                raise ValidationError(_("The item is no longer public."))
            delivery.status = Delivery.Status.QUEUED
            delivery.attempts = 0
            delivery.next_retry_at = None
            _kick([delivery.channel_id])
        delivery.save()
        _event(delivery, f"reconciled_{outcome}", f"{words[outcome]} {note}".strip(), actor=actor)
        audit.record(
            actor=actor, verb="delivery.reconcile", org=delivery.org, obj=delivery,
            before=before, after={**audit.snapshot(delivery, DELIVERY_FIELDS), "note": note},
        )  # fmt: skip
    return delivery


# --- the worker ----------------------------------------------------------------------------


def backoff_seconds(attempts: int, retry_after: float | None = None) -> float:
    """Exponential backoff with jitter; never sooner than the server's retry_after."""
    base = getattr(settings, "PUBLISHING_BACKOFF_SECONDS", 15)
    delay = min(BACKOFF_CAP_SECONDS, base * 2 ** max(attempts - 1, 0))
    delay *= random.uniform(0.5, 1.5)  # noqa: S311 - jitter, not security
    if retry_after is not None:
        delay = max(delay, float(retry_after))
    return delay


def _rate_wait(channel: Channel, now) -> float:
    if not channel.rate_per_minute or channel.last_sent_at is None:
        return 0.0
    ready = channel.last_sent_at + timedelta(seconds=60 / channel.rate_per_minute)
    return max((ready - now).total_seconds(), 0.0)


def send_next_on_channel(channel_id: int) -> str:
    """Send the oldest due delivery of a channel, if it is that delivery's turn.

    Returns what happened: "sent", "retry", "failed", "unknown", "retracted", or why nothing
    was sent ("idle", "busy", "waiting", "rate", "lost"). Deliveries of a channel go out in
    publish order: a head waiting for its retry holds back the ones behind it.
    """
    now = timezone.now()
    channel = Channel.objects.filter(pk=channel_id, enabled=True).first()
    if channel is None:
        return "idle"
    if Delivery.objects.filter(channel_id=channel_id, status=Delivery.Status.SENDING).exists():
        return "busy"
    head = (
        Delivery.objects.filter(channel_id=channel_id, status=Delivery.Status.QUEUED)
        .order_by("queued_at", "pk")
        .first()
    )
    if head is None:
        return "idle"
    if head.next_retry_at and head.next_retry_at > now:
        return "waiting"
    wait = _rate_wait(channel, now)
    if wait > 0:
        if wait > SLEEP_WITHIN_TASK_SECONDS:
            return "rate"
        time.sleep(wait)
        now = timezone.now()
    item = head.item
    if not item.is_public:
        Delivery.objects.filter(pk=head.pk, status=Delivery.Status.QUEUED).update(
            status=Delivery.Status.RETRACTED, updated_at=now
        )
        _event(head, "withdrawn", _("The item was withdrawn before it was sent."))
        return "retracted"
    story = story_for(item)
    plan = plan_for(channel.kind, story)
    if channel.kind == Channel.Kind.WEBSITE:
        plan.steps[0].payload["public"] = item.is_public
    timeout = settings.PUBLISHING_TIMEOUT_SECONDS
    lease = timedelta(seconds=timeout * (len(plan.steps) + 1) + 60)
    claimed = Delivery.objects.filter(pk=head.pk, status=Delivery.Status.QUEUED).update(
        status=Delivery.Status.SENDING,
        lease_until=now + lease,
        attempts=F("attempts") + 1,
        updated_at=now,
    )
    if not claimed:
        return "lost"
    delivery = Delivery.objects.get(pk=head.pk)
    transport = transport_for(channel, timeout=timeout)
    ids = list(delivery.external_ids)
    done = delivery.steps_done
    url = delivery.external_url
    error: TransportError | None = None
    try:
        for step in plan.steps[done:]:
            result = transport.send(step, plan, delivery_id=delivery.pk)
            ids.append(result.ids)
            done += 1
            url = result.url or url
            # Saved at once: a crash after this point never re-posts this step.
            Delivery.objects.filter(pk=delivery.pk).update(
                external_ids=ids, steps_done=done, external_url=url
            )
    except TransportError as exc:
        error = exc
    except secrets.SecretUnreadable:
        from didban.publishing.transports import Permanent

        error = Permanent(
            _("The channel's secret cannot be read (the key changed): enter it again.")
        )
    except Exception as exc:
        # A bug or an unexpected reply after the request went out: the post may exist.
        logger.exception("delivery %s: unexpected error", delivery.pk)
        from didban.publishing.transports import Unknown

        error = Unknown(_("Unexpected error: %(error)s") % {"error": exc.__class__.__name__})
    return _finish(delivery, channel, error, ids=ids, done=done, url=url)


def _finish(delivery: Delivery, channel: Channel, error, *, ids, done, url) -> str:
    now = timezone.now()
    updates: dict = {"lease_until": None, "updated_at": now}
    if error is None:
        updates.update(status=Delivery.Status.SENT, sent_at=now, last_error="", next_retry_at=None)
        verb, result = "sent", "sent"
    elif error.kind == "temporary" and delivery.attempts < settings.PUBLISHING_MAX_ATTEMPTS:
        delay = backoff_seconds(delivery.attempts, error.retry_after)
        updates.update(
            status=Delivery.Status.QUEUED,
            next_retry_at=now + timedelta(seconds=delay),
            last_error=error.message,
        )
        verb, result = "retry", "retry"
    elif error.kind == "unknown":
        updates.update(status=Delivery.Status.UNKNOWN, last_error=error.message)
        verb, result = "unknown", "unknown"
    else:
        updates.update(status=Delivery.Status.FAILED, last_error=error.message)
        verb, result = "failed", "failed"
    with transaction.atomic():
        Delivery.objects.filter(pk=delivery.pk, status=Delivery.Status.SENDING).update(**updates)
        if done > delivery.steps_done or error is None:
            Channel.objects.filter(pk=channel.pk).update(last_sent_at=now)
        _event(delivery, verb, error.message if error else "")
        if result != "retry":
            delivery.refresh_from_db()
            audit.record(
                actor="worker", verb=f"delivery.{result}", org=delivery.org, obj=delivery,
                after=audit.snapshot(delivery, DELIVERY_FIELDS),
            )  # fmt: skip
    # A correction or retraction that came while this was sending.
    if delivery.followup in (
        Delivery.Followup.CORRECTION_PENDING,
        Delivery.Followup.RETRACTION_PENDING,
    ) and result in ("sent", "unknown"):
        transaction.on_commit(lambda: _enqueue_followup(delivery.pk))
    return result


def drain(channel_id: int, *, limit: int = 500) -> int:
    """Send due deliveries of one channel in order until none is due; return how many."""
    sent = 0
    for _round in range(limit):
        outcome = send_next_on_channel(channel_id)
        if outcome in ("idle", "busy", "waiting", "rate", "lost"):
            break
        sent += 1
    return sent


def reap_expired_leases() -> int:
    """A `sending` row whose lease ran out belongs to a worker that died mid-send: unknown."""
    now = timezone.now()
    stale = list(
        Delivery.objects.filter(status=Delivery.Status.SENDING, lease_until__lt=now).values_list(
            "pk", flat=True
        )
    )
    message = _("The worker stopped while sending; check the channel before sending again.")
    for pk in stale:
        with transaction.atomic():
            changed = Delivery.objects.filter(
                pk=pk, status=Delivery.Status.SENDING, lease_until__lt=now
            ).update(status=Delivery.Status.UNKNOWN, last_error=message, lease_until=None)
            if changed:
                delivery = Delivery.objects.get(pk=pk)
                _event(delivery, "unknown", message)
                audit.record(
                    actor="worker", verb="delivery.unknown", org=delivery.org, obj=delivery
                )
    return len(stale)


def due_channel_ids() -> list[int]:
    now = timezone.now()
    return sorted(
        set(
            Delivery.objects.filter(status=Delivery.Status.QUEUED, channel__enabled=True)
            .filter(Q(next_retry_at__isnull=True) | Q(next_retry_at__lte=now))
            .values_list("channel_id", flat=True)
        )
    )


# --- corrections and retractions -----------------------------------------------------------


def _enqueue_followup(delivery_id: int) -> None:
    from didban.publishing.tasks import follow_up

    follow_up.enqueue(delivery_id)


def do_follow_item_change(*, actor, item, change: str) -> list[Delivery]:
    """After a correction (`corrected`) or retraction (`retracted`) of a published item.

    Sent deliveries are edited or deleted on their channel by the worker; queued ones either
    go out with the corrected text or are withdrawn before sending.
    """
    if change not in ("corrected", "retracted"):
        raise ValueError(change)
    if actor is not None:
        require_perm(actor, "publishing.deliver", item.org)
    touched = []
    with transaction.atomic():
        for delivery in Delivery.objects.select_for_update().filter(item=item):
            before = delivery.followup
            if change == "corrected":
                if delivery.status in (Delivery.Status.SENT, Delivery.Status.SENDING):
                    delivery.followup = Delivery.Followup.CORRECTION_PENDING
                elif delivery.status == Delivery.Status.UNKNOWN:
                    delivery.followup = Delivery.Followup.CORRECTION_IMPOSSIBLE
                    delivery.followup_note = _(
                        "The first send has an unknown outcome; settle it, then correct by hand."
                    )
            else:
                if delivery.status == Delivery.Status.QUEUED or (
                    delivery.status == Delivery.Status.FAILED and not delivery.external_ids
                ):
                    delivery.status = Delivery.Status.RETRACTED
                    delivery.followup = ""
                elif delivery.status in (
                    Delivery.Status.SENT, Delivery.Status.SENDING, Delivery.Status.FAILED,
                ):  # fmt: skip
                    delivery.followup = Delivery.Followup.RETRACTION_PENDING
                elif delivery.status == Delivery.Status.UNKNOWN:
                    delivery.followup = Delivery.Followup.RETRACTION_IMPOSSIBLE
                    delivery.followup_note = _(
                        "The send has an unknown outcome: look on the channel and delete by hand."
                    )
            if delivery.followup != before or delivery.status == Delivery.Status.RETRACTED:
                delivery.save(update_fields=["status", "followup", "followup_note", "updated_at"])
                _event(delivery, change, actor=actor)
                touched.append(delivery)
                if delivery.followup in (
                    Delivery.Followup.CORRECTION_PENDING, Delivery.Followup.RETRACTION_PENDING,
                ) and delivery.status != Delivery.Status.SENDING:  # fmt: skip
                    transaction.on_commit(lambda pk=delivery.pk: _enqueue_followup(pk))
        if touched:
            audit.record(
                actor=actor or "system", verb=f"delivery.follow_{change}", org=item.org, obj=item,
                after={"deliveries": [d.pk for d in touched]},
            )  # fmt: skip
    return touched


def apply_followup(delivery_id: int) -> str:
    """Edit (correction) or delete (retraction) a sent delivery on its channel."""
    delivery = Delivery.objects.select_related("channel", "item").filter(pk=delivery_id).first()
    if delivery is None or delivery.followup not in (
        Delivery.Followup.CORRECTION_PENDING,
        Delivery.Followup.RETRACTION_PENDING,
    ):
        return "nothing"
    if delivery.status == Delivery.Status.SENDING:
        return "later"
    retraction = delivery.followup == Delivery.Followup.RETRACTION_PENDING
    channel = delivery.channel
    transport = transport_for(channel)
    ids = [list(step) for step in delivery.external_ids]
    note = ""
    try:
        if retraction:
            if not transport.can_delete:
                raise NotSupported
            transport.delete([i for step in ids for i in step], delivery_id=delivery.pk)
            outcome = "retracted"
        else:
            if not transport.can_edit:
                raise NotSupported
            plan = plan_for(channel.kind, story_for(delivery.item))
            if channel.kind == Channel.Kind.WEBSITE:
                plan.steps[0].payload["public"] = True
            for k, step in enumerate(plan.steps):
                if k < len(ids):
                    if step.text or step.method in ("message", "json", "page"):
                        transport.edit(step, plan, ids[k], delivery_id=delivery.pk)
                elif step.method == "message":
                    ids.append(transport.send(step, plan, delivery_id=delivery.pk).ids)
            surplus = ids[len(plan.steps) :]
            if surplus and transport.can_delete:
                transport.delete([i for step in surplus for i in step], delivery_id=delivery.pk)
                ids = ids[: len(plan.steps)]
            outcome = "corrected"
    except NotSupported:
        outcome = "impossible"
        note = (
            _("%(kind)s cannot withdraw what was sent.")
            if retraction
            else _("%(kind)s cannot edit what was sent.")
        ) % {"kind": channel.get_kind_display()}
    except (TransportError, secrets.SecretUnreadable) as exc:
        outcome = "failed"
        note = getattr(exc, "message", "") or _("The channel's secret cannot be read.")
    followups = {
        ("retracted", True): "",
        ("impossible", True): Delivery.Followup.RETRACTION_IMPOSSIBLE,
        ("failed", True): Delivery.Followup.RETRACTION_FAILED,
        ("corrected", False): Delivery.Followup.CORRECTED,
        ("impossible", False): Delivery.Followup.CORRECTION_IMPOSSIBLE,
        ("failed", False): Delivery.Followup.CORRECTION_FAILED,
    }
    with transaction.atomic():
        delivery.followup = followups[(outcome, retraction)]
        delivery.followup_note = note
        delivery.external_ids = ids
        fields = ["followup", "followup_note", "external_ids", "updated_at"]
        if outcome == "retracted":
            delivery.status = Delivery.Status.RETRACTED
            fields.append("status")
        delivery.save(update_fields=fields)
        verb = f"{'retraction' if retraction else 'correction'}_{outcome}"
        _event(delivery, verb, note)
        audit.record(
            actor="worker", verb=f"delivery.{verb}", org=delivery.org, obj=delivery,
            after=audit.snapshot(delivery, DELIVERY_FIELDS),
        )  # fmt: skip
    return outcome


def check_can_deliver(actor, org) -> None:
    """For views: raise PermissionDenied unless the actor may deliver for `org`."""
    if actor is None:
        raise PermissionDenied
    require_perm(actor, "publishing.deliver", org)
