"""Every change of monitoring data: sources, fetch runs, topics, filtering, alert rules."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from didban.core import audit
from didban.core.access import require_perm
from didban.lib.persian import fix_display
from didban.monitoring.collect import SourceFailed, collect
from didban.monitoring.models import AlertRule, Outlet, Source, Topic, TopicHit
from didban.monitoring.pipeline import Ingestor, IngestReport
from didban.monitoring.rules import RuleError, parse_rule, to_fts5, to_tsquery, words_of

logger = logging.getLogger("didban.monitoring")

SOURCE_FIELDS = ["name", "kind", "url", "outlet", "place", "poll_minutes", "is_active"]
TOPIC_FIELDS = ["name", "rule", "is_active"]
HIT_FIELDS = ["state", "tone", "importance", "note"]
MAX_BACKOFF = timedelta(hours=24)


# --- outlets and sources ------------------------------------------------------------------


def do_create_outlet(*, actor, org, name: str, kind: str, place=None, website: str = "") -> Outlet:
    require_perm(actor, "monitoring.manage", org)
    name = fix_display(name)
    if not name:
        raise ValidationError({"name": _("The name is required.")})
    if kind not in Outlet.Kind.values:
        raise ValidationError({"kind": _("Choose a type from the list.")})
    with transaction.atomic():
        outlet, created = Outlet.objects.get_or_create(
            org=org, name=name, defaults={"kind": kind, "place": place, "website": website}
        )
        if created:
            audit.record(actor=actor, verb="monitoring.outlet.create", org=org, obj=outlet)
    return outlet


def _check_source(kind: str, url: str, poll_minutes: int) -> None:
    errors = {}
    if kind not in Source.Kind.values:
        errors["kind"] = _("Choose a kind from the list.")
    if not url:
        errors["url"] = _("The address or path is required.")
    elif kind != Source.Kind.LOCAL and not url.startswith(("http://", "https://")):
        errors["url"] = _("Give a web address starting with http:// or https://.")
    if not 1 <= poll_minutes <= 7 * 24 * 60:
        errors["poll_minutes"] = _("The poll interval must be between 1 minute and 7 days.")
    if errors:
        raise ValidationError(errors)


def do_create_source(
    *,
    actor,
    org,
    outlet: Outlet,
    name: str,
    kind: str,
    url: str,
    place=None,
    poll_minutes: int = 15,
    fetch_full_text: bool = True,
) -> Source:
    require_perm(actor, "monitoring.manage", org)
    if outlet.org_id != org.pk:
        raise ValidationError({"outlet": _("The outlet belongs to another organisation.")})
    url = url.strip()
    _check_source(kind, url, poll_minutes)
    with transaction.atomic():
        source = Source.objects.create(
            org=org,
            outlet=outlet,
            name=fix_display(name) or outlet.name,
            kind=kind,
            url=url,
            place=place or outlet.place,
            poll_minutes=poll_minutes,
            fetch_full_text=fetch_full_text,
        )
        audit.record(
            actor=actor,
            verb="monitoring.source.create",
            org=org,
            obj=source,
            after=audit.snapshot(source, SOURCE_FIELDS),
        )
    return source


def do_set_source_active(*, actor, source: Source, active: bool) -> Source:
    require_perm(actor, "monitoring.manage", source.org)
    with transaction.atomic():
        before = audit.snapshot(source, ["is_active"])
        source.is_active = active
        source.next_fetch_at = timezone.now()
        source.save(update_fields=["is_active", "next_fetch_at"])
        audit.record(
            actor=actor,
            verb="monitoring.source.activate" if active else "monitoring.source.pause",
            org=source.org,
            obj=source,
            before=before,
            after=audit.snapshot(source, ["is_active"]),
        )
    return source


def do_fetch_source(*, actor, source_id: int) -> IngestReport:
    """Fetch one source now and ingest what is new; a failure is recorded on the source.

    ``actor`` is a user (the "fetch now" button) or None for the worker. Network work runs
    outside the transaction; nothing a remote site sends can raise out of here.
    """
    source = Source.objects.select_related("org", "outlet").get(pk=source_id)
    if actor is not None:
        require_perm(actor, "monitoring.manage", source.org)
    now = timezone.now()

    def known(keys: list[str]) -> set[str]:
        from didban.monitoring.models import Article

        return set(
            Article.objects.filter(org=source.org, url_key__in=keys).values_list(
                "url_key", flat=True
            )
        )

    failure: SourceFailed | None = None
    try:
        collected = collect(source, known_keys=known)
    except SourceFailed as exc:
        failure = exc
    except Exception as exc:  # a bug must not stop the worker; the source shows it
        logger.exception("source %s failed unexpectedly", source.pk)
        failure = SourceFailed("internal", type(exc).__name__)
    report = IngestReport()
    with transaction.atomic():
        source = Source.objects.select_for_update().select_related("org").get(pk=source_id)
        source.last_fetch_at = now
        was_failing = source.consecutive_failures
        if failure is not None:
            source.consecutive_failures += 1
            source.last_error_code = failure.code
            source.last_error_detail = failure.detail
            backoff = timedelta(minutes=source.poll_minutes) * (
                2 ** min(source.consecutive_failures, 6)
            )
            source.next_fetch_at = now + min(backoff, MAX_BACKOFF)
        else:
            report = Ingestor(source, now=now).ingest(collected.entries)
            source.consecutive_failures = 0
            source.last_error_code = ""
            source.last_error_detail = ""
            source.last_success_at = now
            source.etag = collected.etag[:300]
            source.last_modified = collected.last_modified[:100]
            source.next_fetch_at = now + timedelta(minutes=source.poll_minutes)
            if report.new:
                source.last_item_at = now
            # Articles per day: a slow moving average over fetch runs.
            runs_per_day = 24 * 60 / max(source.poll_minutes, 1)
            sample = report.new * runs_per_day
            source.items_per_day = round(0.9 * source.items_per_day + 0.1 * sample, 2)
        source.save()
        health_changed = bool(was_failing) != bool(source.consecutive_failures)
        if report.new or health_changed or actor is not None:
            audit.record(
                actor=actor or "worker",
                verb="monitoring.source.fetch",
                org=source.org,
                obj=source,
                after={
                    "new": report.new,
                    "duplicates": report.duplicates,
                    "hits": len(report.hits),
                    "pickups": len(report.pickups),
                    "error": source.last_error_code,
                },
            )
        if report.hits or report.pickups:
            from didban.monitoring.tasks import deliver_alerts

            hits, pickups = list(report.hits), list(report.pickups)
            transaction.on_commit(lambda: deliver_alerts.enqueue(hits, pickups))
    return report


def do_ingest_entries(*, actor, source: Source, entries) -> IngestReport:
    """Ingest entries that came another way (imports, the demo, the benchmark)."""
    if actor is not None:
        require_perm(actor, "monitoring.manage", source.org)
    with transaction.atomic():
        report = Ingestor(source).ingest(entries)
        audit.record(
            actor=actor or "system",
            verb="monitoring.source.import",
            org=source.org,
            obj=source,
            after={"new": report.new, "duplicates": report.duplicates},
        )
        if report.hits or report.pickups:
            from didban.monitoring.tasks import deliver_alerts

            hits, pickups = list(report.hits), list(report.pickups)
            transaction.on_commit(lambda: deliver_alerts.enqueue(hits, pickups))
    return report


# --- topics ---------------------------------------------------------------------------------


def compile_topic_rule(rule: str) -> dict:
    """Validate a rule; ValidationError names the column of the mistake."""
    try:
        node = parse_rule(rule)
    except RuleError as exc:
        raise ValidationError({"rule": str(exc)}, code="rule") from None
    return {"fts5": to_fts5(node), "tsquery": to_tsquery(node), "words": words_of(node)}


def do_save_topic(
    *, actor, org, name: str, rule: str, is_active: bool = True, topic: Topic | None = None
) -> Topic:
    require_perm(actor, "monitoring.manage", topic.org if topic else org)
    name = fix_display(name)
    if not name:
        raise ValidationError({"name": _("The name is required.")})
    compiled = compile_topic_rule(rule)
    with transaction.atomic():
        before = audit.snapshot(topic, TOPIC_FIELDS) if topic else None
        if topic is None:
            topic = Topic(org=org)
        topic.name = name[:200]
        topic.rule = rule.strip()
        topic.compiled = compiled
        topic.is_active = is_active
        topic.save()
        audit.record(
            actor=actor,
            verb="monitoring.topic.update" if before else "monitoring.topic.create",
            org=topic.org,
            obj=topic,
            before=before,
            after=audit.snapshot(topic, TOPIC_FIELDS),
        )
    return topic


# --- filtering --------------------------------------------------------------------------------


def _review_values(
    state: str | None, tone: str | None, importance: int | str | None, note: str | None
) -> dict:
    values: dict = {}
    if state is not None:
        if state not in TopicHit.State.values:
            raise ValidationError({"state": _("Unknown state.")})
        values["state"] = state
    if tone is not None:
        if tone and tone not in TopicHit.Tone.values:
            raise ValidationError({"tone": _("Unknown tone.")})
        values["tone"] = tone
    if importance not in (None, ""):
        try:
            importance = int(importance)
        except (TypeError, ValueError):
            importance = 0
        if importance not in TopicHit.Importance.values:
            raise ValidationError({"importance": _("Unknown importance.")})
        values["importance"] = importance
    if note is not None:
        values["note"] = fix_display(note)[:2000]
    return values


def do_review_hit(
    *,
    actor,
    hit: TopicHit,
    state: str | None = None,
    tone: str | None = None,
    importance: int | str | None = None,
    note: str | None = None,
) -> TopicHit:
    require_perm(actor, "monitoring.filter", hit.org)
    values = _review_values(state, tone, importance, note)
    with transaction.atomic():
        before = audit.snapshot(hit, HIT_FIELDS)
        for key, value in values.items():
            setattr(hit, key, value)
        hit.reviewer = actor
        hit.reviewed_at = timezone.now()
        hit.save(update_fields=[*values, "reviewer", "reviewed_at"])
        audit.record(
            actor=actor,
            verb="monitoring.hit.review",
            org=hit.org,
            obj=hit,
            before=before,
            after=audit.snapshot(hit, HIT_FIELDS),
        )
    return hit


def do_bulk_review_hits(*, actor, hits, state: str | None = None, tone: str | None = None) -> int:
    values = _review_values(state, tone, None, None)
    if not values:
        return 0
    hits = list(hits)
    for hit in hits:
        require_perm(actor, "monitoring.filter", hit.org)
    with transaction.atomic():
        now = timezone.now()
        for hit in hits:
            for key, value in values.items():
                setattr(hit, key, value)
            hit.reviewer = actor
            hit.reviewed_at = now
        TopicHit.objects.bulk_update(hits, [*values, "reviewer", "reviewed_at"])
        for org_id in {h.org_id for h in hits}:
            group = [h for h in hits if h.org_id == org_id]
            audit.record(
                actor=actor,
                verb="monitoring.hit.bulk_review",
                org=group[0].org,
                object_repr=", ".join(str(h.pk) for h in group)[:300],
                after={**values, "count": len(group)},
            )
    return len(hits)


# --- alerts ---------------------------------------------------------------------------------


def do_save_alert_rule(
    *,
    actor,
    org,
    name: str,
    kind: str,
    recipients,
    topic: Topic | None = None,
    mode: str = AlertRule.Mode.IMMEDIATE,
    by_app: bool = True,
    by_email: bool = False,
    messenger_channel_id: int | None = None,
    messenger_chat: str = "",
    max_per_hour: int = 20,
    rule: AlertRule | None = None,
) -> AlertRule:
    require_perm(actor, "monitoring.manage", rule.org if rule else org)
    org = rule.org if rule else org
    errors = {}
    if not fix_display(name):
        errors["name"] = _("The name is required.")
    if kind not in AlertRule.Kind.values:
        errors["kind"] = _("Choose what the alert is about.")
    if kind == AlertRule.Kind.TOPIC and (topic is None or not org.path.startswith(topic.org.path)):
        errors["topic"] = _("Choose a topic of this organisation.")
    if mode not in AlertRule.Mode.values:
        errors["mode"] = _("Choose when to send.")
    if not 1 <= max_per_hour <= 1000:
        errors["max_per_hour"] = _("Between 1 and 1000 alerts an hour.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        created = rule is None
        rule = rule or AlertRule(org=org)
        rule.name = fix_display(name)[:200]
        rule.kind = kind
        rule.topic = topic if kind == AlertRule.Kind.TOPIC else None
        rule.mode = mode
        rule.by_app = by_app
        rule.by_email = by_email
        rule.messenger_channel_id = messenger_channel_id
        rule.messenger_chat = messenger_chat.strip()[:200]
        rule.max_per_hour = max_per_hour
        rule.save()
        rule.recipients.set(list(recipients))
        audit.record(
            actor=actor,
            verb="monitoring.alert_rule.create" if created else "monitoring.alert_rule.update",
            org=org,
            obj=rule,
            after={"kind": kind, "mode": mode, "recipients": [u.pk for u in rule.recipients.all()]},
        )
    return rule


def do_mark_alerts_read(*, actor, alert_ids: list[int] | None = None) -> int:
    from didban.monitoring.models import Alert

    with transaction.atomic():
        alerts = Alert.objects.filter(recipient=actor, read_at__isnull=True)
        if alert_ids is not None:
            alerts = alerts.filter(pk__in=alert_ids)
        return alerts.update(read_at=timezone.now())
