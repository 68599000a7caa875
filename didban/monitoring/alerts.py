"""Alert delivery: in the app, by email, to a messenger chat; immediate or hourly, throttled.

Runs in the worker (tasks.py). Every delivery, failed or held back, is an ``Alert`` row, so
the alerts page shows what was sent to whom and why something was not.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from didban.monitoring.models import Alert, AlertRule, Pickup, TopicHit

logger = logging.getLogger("didban.monitoring")


def _rules_for(org_path: str, kind: str):
    for rule in AlertRule.objects.filter(is_active=True, kind=kind).select_related("org"):
        if org_path.startswith(rule.org.path):
            yield rule


def _hit_line(hit: TopicHit) -> str:
    return f"{hit.topic.name}: {hit.article.title} — {hit.article.outlet.name}"


def _pickup_line(pickup: Pickup) -> str:
    return _("%(outlet)s picked up item %(item)s: %(title)s") % {
        "outlet": pickup.article.outlet.name,
        "item": pickup.item_id,
        "title": pickup.article.title,
    }


def route(hit_ids: list[int], pickup_ids: list[int]) -> int:
    """Send (or queue for the digest) alerts for new hits and pickups; return deliveries."""
    sent = 0
    with override(settings.LANGUAGE_CODE):
        hits = TopicHit.objects.filter(pk__in=hit_ids).select_related(
            "topic", "article__outlet", "org"
        )
        for hit in hits:
            for rule in _rules_for(hit.org.path, AlertRule.Kind.TOPIC):
                if rule.topic_id != hit.topic_id:
                    continue
                sent += _dispatch(
                    rule,
                    _("New hit for topic %(topic)s") % {"topic": hit.topic.name},
                    [_hit_line(hit)],
                    reverse("monitoring:article_detail", args=[hit.article_id]),
                )
        pickups = Pickup.objects.filter(pk__in=pickup_ids).select_related("article__outlet", "org")
        for pickup in pickups:
            for rule in _rules_for(pickup.org.path, AlertRule.Kind.PICKUP):
                sent += _dispatch(
                    rule,
                    _("Our item was picked up by %(outlet)s")
                    % {"outlet": pickup.article.outlet.name},
                    [_pickup_line(pickup)],
                    reverse("monitoring:article_detail", args=[pickup.article_id]),
                )
    return sent


def _dispatch(rule: AlertRule, subject: str, lines: list[str], link: str) -> int:
    if rule.mode == AlertRule.Mode.HOURLY:
        with transaction.atomic():
            locked = AlertRule.objects.select_for_update().get(pk=rule.pk)
            locked.pending = [*locked.pending, *lines][-500:]
            locked.save(update_fields=["pending"])
        return 0
    hour_ago = timezone.now() - timedelta(hours=1)
    recent = (
        Alert.objects.filter(rule=rule, created_at__gte=hour_ago, status=Alert.Status.SENT)
        .values("subject", "link")
        .distinct()
        .count()
    )
    if recent >= rule.max_per_hour:
        # Over the limit: held back into the next digest, and one row says so.
        with transaction.atomic():
            locked = AlertRule.objects.select_for_update().get(pk=rule.pk)
            locked.pending = [*locked.pending, *lines][-500:]
            locked.save(update_fields=["pending"])
        Alert.objects.create(
            rule=rule,
            org=rule.org,
            channel=Alert.Channel.APP,
            status=Alert.Status.THROTTLED,
            subject=subject[:300],
            body="\n".join(lines),
            link=link,
        )
        return 0
    return deliver(rule, subject, "\n".join(lines), link)


def deliver(rule: AlertRule, subject: str, body: str, link: str) -> int:
    count = 0
    url = settings.SITE_URL + link if link else ""
    for person in rule.recipients.filter(is_active=True):
        if rule.by_app:
            Alert.objects.create(
                rule=rule, org=rule.org, recipient=person, channel=Alert.Channel.APP,
                subject=subject[:300], body=body, link=link,
            )  # fmt: skip
            count += 1
        if rule.by_email and person.email:
            status, error = Alert.Status.SENT, ""
            try:
                send_mail(subject, f"{body}\n\n{url}", None, [person.email])
            except Exception as exc:  # SMTP failures are recorded, never raised
                status, error = Alert.Status.FAILED, str(exc)[:300]
            Alert.objects.create(
                rule=rule, org=rule.org, recipient=person, channel=Alert.Channel.EMAIL,
                status=status, subject=subject[:300], body=body, link=link, error=error,
            )  # fmt: skip
            count += 1
    if rule.messenger_chat and rule.messenger_channel_id:
        status, error = _send_messenger(rule, f"{subject}\n{body}\n{url}")
        Alert.objects.create(
            rule=rule, org=rule.org, channel=Alert.Channel.MESSENGER, status=status,
            subject=subject[:300], body=body, link=link, error=error,
        )  # fmt: skip
        count += 1
    return count


def _send_messenger(rule: AlertRule, text: str) -> tuple[str, str]:
    """Through the publishing app's Telegram-protocol transport, when that app provides one."""
    from didban.monitoring.actions import messenger_channel

    try:
        from didban.publishing.transports import transport_for
    except ImportError:
        return Alert.Status.FAILED, _("The publishing app is not installed.")
    channel = messenger_channel(rule.messenger_channel_id, rule.org)
    if channel is None:
        return Alert.Status.FAILED, _("The messenger channel was not found.")
    try:
        transport = transport_for(channel)
        transport.call("sendMessage", form={"chat_id": rule.messenger_chat, "text": text[:4000]})
    except Exception as exc:  # the remote API's errors are recorded on the alert
        return Alert.Status.FAILED, str(exc)[:300]
    return Alert.Status.SENT, ""


def send_digests(now=None) -> int:
    """One digest per rule with pending lines (hourly rules, and what throttling held back)."""
    now = now or timezone.now()
    sent = 0
    with override(settings.LANGUAGE_CODE):
        for rule_id in (
            AlertRule.objects.filter(is_active=True)
            .exclude(pending=[])
            .values_list("pk", flat=True)
        ):
            with transaction.atomic():
                rule = AlertRule.objects.select_for_update().select_related("org").get(pk=rule_id)
                lines, rule.pending = rule.pending, []
                rule.last_digest_at = now
                rule.save(update_fields=["pending", "last_digest_at"])
            if not lines:
                continue
            subject = _("%(name)s: %(count)d new in the last hour") % {
                "name": rule.name,
                "count": len(lines),
            }
            sent += deliver(rule, subject, "\n".join(lines[:100]), reverse("monitoring:alert_list"))
    return sent
