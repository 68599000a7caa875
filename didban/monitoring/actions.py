"""Every change of monitoring data: sources, fetch runs, topics, filtering, alert rules."""

from __future__ import annotations

import logging
from datetime import timedelta
from pathlib import PurePosixPath
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
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

SOURCE_FIELDS = [
    "name", "kind", "url", "outlet", "place", "poll_minutes", "silent_hours",
    "fetch_full_text", "is_active",
]  # fmt: skip
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


MESSENGER_HOSTS = ("t.me", "telegram.me", "eitaa.com", "ble.ir")
MAX_SILENT_HOURS = 24 * 90


def _host(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.")


def _check_source(kind: str, url: str, poll_minutes: int, silent_hours: int = 48) -> None:
    """The address must suit the kind: a web address for feeds, index pages and channel
    previews (a messenger's preview page for the latter), an absolute server path for files."""
    errors = {}
    if kind not in Source.Kind.values:
        errors["kind"] = _("Choose a kind from the list.")
    if not url:
        errors["url"] = _("The address or path is required.")
    elif kind == Source.Kind.LOCAL:
        if url.startswith(("http://", "https://")) or "://" in url:
            errors["url"] = _(
                "A local source is a file or folder on the server, not a web address; "
                "choose another kind for a web address."
            )
        elif not PurePosixPath(url).is_absolute():
            errors["url"] = _("Give the full path of the file or folder, starting with /.")
    elif kind in Source.Kind.values:
        is_web = url.startswith(("http://", "https://"))
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            is_web = False
        host = _host(url) if is_web else ""
        path = urlsplit(url).path.strip("/") if is_web else ""
        if not is_web:
            errors["url"] = _("Give a web address starting with http:// or https://.")
        elif kind == Source.Kind.CHANNEL_PREVIEW:
            if host in ("t.me", "telegram.me") and not (path.startswith("s/") and path[2:]):
                errors["url"] = _(
                    "The public preview of a Telegram channel is at https://t.me/s/<name>."
                )
            elif not path:
                errors["url"] = _("The address must name the channel, e.g. https://eitaa.com/name.")
        elif host in MESSENGER_HOSTS:
            errors["url"] = _(
                "This is a messenger channel's address; choose the kind «Public channel preview»."
            )
    if not 1 <= poll_minutes <= 7 * 24 * 60:
        errors["poll_minutes"] = _("The poll interval must be between 1 minute and 7 days.")
    if not 1 <= silent_hours <= MAX_SILENT_HOURS:
        errors["silent_hours"] = _("The silence limit must be between 1 hour and 90 days.")
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
    silent_hours: int = 48,
) -> Source:
    require_perm(actor, "monitoring.manage", org)
    if outlet.org_id != org.pk:
        raise ValidationError({"outlet": _("The outlet belongs to another organisation.")})
    url = url.strip()
    _check_source(kind, url, poll_minutes, silent_hours)
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
            silent_hours=silent_hours,
        )
        audit.record(
            actor=actor,
            verb="monitoring.source.create",
            org=org,
            obj=source,
            after=audit.snapshot(source, SOURCE_FIELDS),
        )
    return source


def do_update_source(
    *,
    actor,
    source: Source,
    outlet: Outlet,
    name: str,
    kind: str,
    url: str,
    place=None,
    poll_minutes: int,
    silent_hours: int,
    is_active: bool,
    fetch_full_text: bool | None = None,
) -> Source:
    """Change a source. A new address or kind forgets the conditional-GET validators and
    fetches at once; the silence flag is recomputed with the new limit."""
    require_perm(actor, "monitoring.manage", source.org)
    if outlet.org_id != source.org_id:
        raise ValidationError({"outlet": _("The outlet belongs to another organisation.")})
    url = url.strip()
    _check_source(kind, url, poll_minutes, silent_hours)
    with transaction.atomic():
        source = Source.objects.select_for_update().get(pk=source.pk)
        before = audit.snapshot(source, SOURCE_FIELDS)
        moved = (kind, url) != (source.kind, source.url)
        source.outlet = outlet
        source.name = fix_display(name)[:200] or outlet.name
        source.kind = kind
        source.url = url
        source.place = place
        source.poll_minutes = poll_minutes
        source.silent_hours = silent_hours
        if fetch_full_text is not None:
            source.fetch_full_text = fetch_full_text
        now = timezone.now()
        if moved:
            source.etag = source.last_modified = ""
        if moved or is_active != source.is_active:
            source.next_fetch_at = now
        source.is_active = is_active
        _apply_silence(source, now)
        source.save()
        after = audit.snapshot(source, SOURCE_FIELDS)
        if after != before:
            audit.record(
                actor=actor, verb="monitoring.source.update", org=source.org, obj=source,
                before={k: v for k, v in before.items() if after[k] != v},
                after={k: v for k, v in after.items() if before[k] != v},
            )  # fmt: skip
    return source


def _apply_silence(source: Source, now) -> bool:
    """Store the "silent too long" flag; True when it changed."""
    silent, since = source.compute_silence(now)
    changed = silent != source.is_silent or since != source.silent_since
    source.is_silent, source.silent_since = silent, since
    return changed


def do_refresh_silence(*, now=None) -> int:
    """The worker's periodic check: flag sources that fell silent, clear the others.

    Each change of the flag is audited (actor "worker"); returns how many changed.
    """
    now = now or timezone.now()
    changed = 0
    candidates = Source.objects.filter(is_active=True) | Source.objects.filter(is_silent=True)
    fields = ["is_active", "is_silent", "silent_since", "silent_hours", "last_success_at",
              "last_item_at", "created_at"]  # fmt: skip
    for seen in candidates.only(*fields):
        if seen.compute_silence(now) == (seen.is_silent, seen.silent_since):
            continue  # most sources: nothing to change, no lock taken
        source_id = seen.pk
        with transaction.atomic():
            source = Source.objects.select_for_update().select_related("org").get(pk=source_id)
            was = source.is_silent
            if not _apply_silence(source, now):
                continue
            source.save(update_fields=["is_silent", "silent_since"])
            changed += 1
            if was != source.is_silent:
                audit.record(
                    actor="worker",
                    verb="monitoring.source.silent" if source.is_silent else "monitoring.source.heard",
                    org=source.org,
                    obj=source,
                    after={"silent_since": source.silent_since.isoformat()
                           if source.silent_since else None},
                )  # fmt: skip
    return changed


def do_set_source_active(*, actor, source: Source, active: bool) -> Source:
    require_perm(actor, "monitoring.manage", source.org)
    with transaction.atomic():
        before = audit.snapshot(source, ["is_active"])
        source.is_active = active
        source.next_fetch_at = timezone.now()
        _apply_silence(source, timezone.now())
        source.save(update_fields=["is_active", "next_fetch_at", "is_silent", "silent_since"])
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
        _apply_silence(source, now)
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
        after = audit.snapshot(topic, TOPIC_FIELDS)
        audit.record(
            actor=actor,
            verb="monitoring.topic.update" if before else "monitoring.topic.create",
            org=topic.org,
            obj=topic,
            before=before,
            after=after,
        )
        # A new rule, a changed rule or a topic switched on looks back at what came in.
        rule_changed = before is None or (before["rule"], before["is_active"]) != (
            after["rule"],
            after["is_active"],
        )
        if topic.is_active and rule_changed and settings.MONITORING_BACKFILL_DAYS > 0:
            from didban.monitoring.tasks import backfill_topic

            topic_id, rule_text = topic.pk, topic.rule
            transaction.on_commit(lambda: backfill_topic.enqueue(topic_id, rule_text))
    return topic


BACKFILL_CHUNK = 500


def do_backfill_topic(*, topic_id: int, rule: str, now=None) -> dict:
    """Apply a topic's rule to the organisation subtree's articles of the last
    ``MONITORING_BACKFILL_DAYS`` days: candidates come from the search index, each is checked
    with the same matcher as ingestion, and a hit is created only where none exists (safe to
    run twice). Hourly counts follow. Back-filled hits are marked and send no alert: they are
    old news by the time the rule is written. Skipped when the rule changed again meanwhile
    (that save queued its own back-fill)."""
    from didban.monitoring.models import Article, HourlyCount
    from didban.monitoring.pipeline import hour_of
    from didban.monitoring.rules import Document, matches
    from didban.monitoring.search import search

    topic = Topic.objects.select_related("org").filter(pk=topic_id).first()
    if topic is None or not topic.is_active or topic.rule != rule:
        return {"skipped": True}
    now = now or timezone.now()
    days = settings.MONITORING_BACKFILL_DAYS
    articles = Article.objects.filter(
        org__path__startswith=topic.org.path, published_at__gte=now - timedelta(days=days)
    )
    try:
        found, node = search(articles, rule, order="newest")
    except RuleError:
        return {"skipped": True}
    candidates = list(found.values_list("pk", flat=True))
    checked = created = 0
    for start in range(0, len(candidates), BACKFILL_CHUNK):
        chunk = candidates[start : start + BACKFILL_CHUNK]
        rows = Article.objects.filter(pk__in=chunk).values_list(
            "pk", "org_id", "published_at", "title_norm", "text_norm"
        )
        with transaction.atomic():
            # One back-fill of a topic at a time; the existing hits are read under the lock.
            Topic.objects.select_for_update().filter(pk=topic.pk).first()
            have = set(
                TopicHit.objects.filter(topic=topic, article_id__in=chunk).values_list(
                    "article_id", flat=True
                )
            )
            new_hits = []
            for pk, org_id, published_at, title_norm, text_norm in rows:
                checked += 1
                if pk in have:
                    continue
                words = title_norm.split() + text_norm.split()
                if not matches(node, Document.from_tokens(words)):
                    continue
                new_hits.append(
                    TopicHit(topic=topic, article_id=pk, org_id=org_id,
                             hour=hour_of(published_at), backfilled=True)
                )  # fmt: skip
            TopicHit.objects.bulk_create(new_hits)
            per_hour: dict = {}
            for hit in new_hits:
                per_hour[hit.hour] = per_hour.get(hit.hour, 0) + 1
            for hour, count in per_hour.items():
                counter, _new = HourlyCount.objects.select_for_update().get_or_create(
                    topic=topic, hour=hour, defaults={"count": 0}
                )
                counter.count += count
                counter.save(update_fields=["count"])
            created += len(new_hits)
    with transaction.atomic():
        audit.record(
            actor="worker",
            verb="monitoring.topic.backfill",
            org=topic.org,
            obj=topic,
            after={"days": days, "checked": checked, "hits": created},
        )
    return {"checked": checked, "hits": created}


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


def messenger_channel(channel_id: int, org):
    """The publishing app's Telegram-protocol channel an alert rule of ``org`` may use: one of
    the organisation or of an organisation above it; None when there is none."""
    try:
        from didban.publishing.models import Channel
    except ImportError:
        return None
    channel = (
        Channel.objects.filter(pk=channel_id, kind__in=["telegram", "bale"])
        .select_related("org")
        .first()
    )
    if channel is None or not org.path.startswith(channel.org.path):
        return None
    return channel


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
    if messenger_channel_id is not None or messenger_chat.strip():
        if messenger_channel_id is None or not messenger_chat.strip():
            errors["messenger_chat"] = _(
                "A messenger alert needs both the channel number and the chat id."
            )
        elif messenger_channel(messenger_channel_id, org) is None:
            errors["messenger_channel_id"] = _(
                "No Telegram or Bale channel with this number belongs to this organisation."
            )
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
    """Mark one's own in-app notifications read. Who saw which alert, and when, is part of
    the record of a monitoring room, so every marking is audited (one entry per organisation,
    naming the alerts); marking nothing writes nothing."""
    from didban.monitoring.models import Alert

    with transaction.atomic():
        alerts = Alert.objects.select_for_update().filter(recipient=actor, read_at__isnull=True)
        if alert_ids is not None:
            alerts = alerts.filter(pk__in=alert_ids)
        found = list(alerts.select_related("org").order_by("pk"))
        if not found:
            return 0
        now = timezone.now()
        Alert.objects.filter(pk__in=[a.pk for a in found]).update(read_at=now)
        for org_id in sorted({a.org_id for a in found}):
            group = [a for a in found if a.org_id == org_id]
            audit.record(
                actor=actor,
                verb="monitoring.alert.read",
                org=group[0].org,
                object_repr=", ".join(str(a.pk) for a in group)[:300],
                after={"alerts": [a.pk for a in group], "count": len(group)},
            )
    return len(found)
