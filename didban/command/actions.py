"""Every change of the command room's data: targets, audience samples, reports, schedules."""

from __future__ import annotations

import logging
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from didban.command.models import AudienceSample, Report, ReportSchedule, Target
from didban.command.targets import MEASURES
from didban.core import audit
from didban.core.access import require_perm

log = logging.getLogger(__name__)

TARGET_FIELDS = ["metric", "value", "starts_on", "ends_on", "note"]
SCHEDULE_FIELDS = ["period", "emails", "channel_id", "enabled"]


def _check_target(metric: str, value: int, starts_on: date, ends_on: date) -> None:
    errors = {}
    if metric not in MEASURES:
        errors["metric"] = _("Choose a measure from the list.")
    if value is None or value <= 0:
        errors["value"] = _("A target is a number above zero.")
    if starts_on and ends_on and ends_on < starts_on:
        errors["ends_on"] = _("The period ends before it starts.")
    if errors:
        raise ValidationError(errors)


def do_set_target(
    *, actor, org, metric: str, value: int, starts_on: date, ends_on: date, note: str = ""
) -> Target:
    """Set (or replace) the organisation's target for a measure over a period."""
    require_perm(actor, "command.targets", org)
    _check_target(metric, value, starts_on, ends_on)
    with transaction.atomic():
        target = Target.objects.filter(
            org=org, metric=metric, starts_on=starts_on, ends_on=ends_on
        ).first()
        before = audit.snapshot(target, TARGET_FIELDS) if target else None
        if target is None:
            target = Target(org=org, metric=metric, starts_on=starts_on, ends_on=ends_on)
        target.value = value
        target.note = note[:200]
        target.created_by = actor
        target.save()
        audit.record(
            actor=actor, verb="target.set", org=org, obj=target,
            before=before, after=audit.snapshot(target, TARGET_FIELDS),
        )  # fmt: skip
    return target


def do_delete_target(*, actor, target: Target) -> None:
    require_perm(actor, "command.targets", target.org)
    with transaction.atomic():
        before = audit.snapshot(target, TARGET_FIELDS)
        audit.record(actor=actor, verb="target.delete", org=target.org, obj=target, before=before)
        target.delete()


def do_record_audience(
    *, actor, org, channel_id: int, channel_name: str, members: int,
    at: datetime | None = None, channel_kind: str = "",
) -> AudienceSample:  # fmt: skip
    """A member count typed by hand (for a platform without an API)."""
    require_perm(actor, "command.targets", org)
    if members is None or members < 0:
        raise ValidationError({"members": _("Members is a number of zero or more.")})
    with transaction.atomic():
        sample = AudienceSample.objects.create(
            org=org, channel_id=channel_id, channel_name=channel_name[:200],
            channel_kind=channel_kind, at=at or timezone.now(), members=members,
            source=AudienceSample.Source.MANUAL, created_by=actor,
        )  # fmt: skip
        audit.record(
            actor=actor, verb="audience.record", org=org, obj=sample,
            after={"channel": channel_name, "members": members},
        )  # fmt: skip
    return sample


def do_sample_audiences(*, now: datetime | None = None) -> list[AudienceSample]:
    """The worker asks each Telegram-protocol channel for its member count: one sample per
    channel and hour (a second run in the same hour updates it, so running twice is harmless).

    A channel whose API fails is skipped this hour; the failure is logged, never raised.
    """
    from datetime import timedelta

    from didban.command.metrics.publishing import audience_channels, member_count
    from didban.command.rollup import floor

    now = now or timezone.now()
    hour = floor(now, 60)
    samples = []
    for channel in audience_channels():
        try:
            members = member_count(channel)
        except Exception as exc:  # a remote API is the edge of the world
            log.warning("member count of channel %s (%s) failed: %s", channel.pk, channel.name, exc)
            continue
        if members is None:
            continue
        with transaction.atomic():
            sample = AudienceSample.objects.filter(
                channel_id=channel.pk, source=AudienceSample.Source.API,
                at__gte=hour, at__lt=hour + timedelta(hours=1),
            ).first()  # fmt: skip
            if sample is None:
                sample = AudienceSample(
                    org=channel.org, channel_id=channel.pk, source=AudienceSample.Source.API
                )
            sample.channel_name, sample.channel_kind = channel.name, channel.kind
            sample.at, sample.members = now, members
            sample.save()
            audit.record(
                actor="worker", verb="audience.sample", org=channel.org, obj=sample,
                after={"channel": channel.name, "members": members},
            )  # fmt: skip
        samples.append(sample)
    return samples


def _clean_emails(emails: str) -> str:
    parts = [e.strip() for e in emails.replace(",", "\n").split() if e.strip()]
    for email in parts:
        try:
            validate_email(email)
        except ValidationError:
            raise ValidationError(
                {"emails": _("%(email)s is not an email address.") % {"email": email}}
            ) from None
    return "\n".join(parts)


def _check_channel(channel_id, org) -> None:
    """A Telegram or Bale chat of the organisation, of one below it, or of one above it."""
    if channel_id is None:
        return
    from didban.command.queries import report_chats

    if channel_id not in {c.pk for c in report_chats(org)}:
        raise ValidationError({"channel_id": _("Choose a channel of this organisation.")})


def do_save_schedule(
    *, actor, org, period: str, emails: str = "", channel_id: int | None = None,
    enabled: bool = True, schedule: ReportSchedule | None = None,
) -> ReportSchedule:  # fmt: skip
    """Who receives the organisation's periodic report by email and in which messenger chat."""
    require_perm(actor, "command.reports", org)
    if period not in ReportSchedule.Period.values:
        raise ValidationError({"period": _("Choose hourly, daily or weekly.")})
    emails = _clean_emails(emails)
    _check_channel(channel_id, org)
    if not emails and channel_id is None:
        raise ValidationError(
            {"emails": _("Give at least one email address or choose a messenger channel.")}
        )
    with transaction.atomic():
        before = audit.snapshot(schedule, SCHEDULE_FIELDS) if schedule else None
        if schedule is None:
            schedule = ReportSchedule(org=org, created_by=actor)
        schedule.period = period
        schedule.emails = emails
        schedule.channel_id = channel_id
        schedule.enabled = enabled
        schedule.save()
        audit.record(
            actor=actor, verb="report_schedule.save", org=org, obj=schedule,
            before=before, after=audit.snapshot(schedule, SCHEDULE_FIELDS),
        )  # fmt: skip
    return schedule


def do_delete_schedule(*, actor, schedule: ReportSchedule) -> None:
    require_perm(actor, "command.reports", schedule.org)
    with transaction.atomic():
        audit.record(
            actor=actor, verb="report_schedule.delete", org=schedule.org, obj=schedule,
            before=audit.snapshot(schedule, SCHEDULE_FIELDS),
        )  # fmt: skip
        schedule.delete()


def do_send_schedule_now(*, actor, schedule: ReportSchedule, now: datetime | None = None):
    """The last complete period's report, made and sent to the schedule's recipients now
    (whether or not the schedule is paused; the schedule's own run is not moved)."""
    from didban.command.schedule import last_period

    require_perm(actor, "command.reports", schedule.org)
    start, end = last_period(schedule.period, now or timezone.now())
    return do_generate_report(
        actor=actor, org=schedule.org, period=schedule.period, start=start, end=end,
        emails=schedule.emails, channel_id=schedule.channel_id,
    )  # fmt: skip


def do_generate_report(
    *, actor, org, period: str, start: datetime, end: datetime,
    formats=("pdf", "xlsx"), emails: str = "", channel_id: int | None = None,
) -> list[Report]:  # fmt: skip
    """Render and archive the report of a period; send it on commit if recipients are given.

    `actor` is a user (on demand) or "worker" (on schedule, permission already given by the
    schedule's author).
    """
    from didban.command import reports

    if actor != "worker":
        require_perm(actor, "command.reports", org)
    if period not in ReportSchedule.Period.values:
        raise ValidationError({"period": _("Choose hourly, daily or weekly.")})
    if end <= start:
        raise ValidationError({"end": _("The period ends before it starts.")})
    emails = _clean_emails(emails)
    _check_channel(channel_id, org)
    data = reports.collect(org, period, start, end)
    user = actor if actor != "worker" else None
    created = []
    with transaction.atomic():
        for fmt in formats:
            content = reports.render_pdf(data) if fmt == "pdf" else reports.render_xlsx(data)
            report = Report(
                org=org, period=period, period_start=start, period_end=end, format=fmt,
                size=len(content), created_by=user,
            )  # fmt: skip
            report.file.save(reports.file_name(data, fmt), ContentFile(content), save=False)
            report.save()
            audit.record(
                actor=actor, verb="report.generate", org=org, obj=report,
                after={"period": period, "format": fmt, "start": start, "end": end},
            )  # fmt: skip
            created.append(report)
        ids = [r.pk for r in created]
        if emails or channel_id:
            from didban.command.tasks import send_report

            transaction.on_commit(lambda: send_report.enqueue(ids, emails, channel_id))
    return created
