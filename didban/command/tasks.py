"""The command room's worker jobs: the rollup, audience sampling, scheduled reports."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django_tasks import task

from didban.core.periodic import periodic

log = logging.getLogger(__name__)


@periodic(every=timedelta(minutes=5))
@task()
def roll_up() -> int:
    """Recompute the last 48 hours, every hour with late rows, and sample the levels."""
    from didban.command.rollup import run_rollup

    return run_rollup().figures


@periodic(every=timedelta(hours=1))
@task()
def sample_audiences() -> int:
    from didban.command.actions import do_sample_audiences

    return len(do_sample_audiences())


@periodic(every=timedelta(minutes=15))
@task()
def scheduled_reports() -> int:
    """Generate and send each enabled schedule's report for every period that has ended."""
    from didban.command.schedule import run_due_schedules

    return run_due_schedules()


@task()
def send_report(report_ids: list[int], emails: str, channel_id: int | None) -> None:
    """Email the files to the recipients and post the PDF to the messenger chat, if any."""
    from didban.command.models import Report

    reports = list(Report.objects.filter(pk__in=report_ids).select_related("org"))
    if not reports:
        return
    sent_to = []
    recipients = [e for e in emails.split() if e]
    if recipients:
        first = reports[0]
        message = EmailMessage(
            subject=f"Didban — {first.org.name} — {first.get_period_display()}",
            body=f"{first.org.name}\n{first.period_start:%Y-%m-%d %H:%M} UTC",
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=recipients,
        )
        for report in reports:
            with report.file.open("rb") as fh:
                mime = (
                    "application/pdf"
                    if report.format == "pdf"
                    else ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
                )
                message.attach(report.file.name.rsplit("/", 1)[-1], fh.read(), mime)
        message.send()
        sent_to.extend(recipients)
    if channel_id:
        pdf = next((r for r in reports if r.format == "pdf"), None)
        if pdf is not None and _post_to_chat(pdf, channel_id):
            sent_to.append(f"channel:{channel_id}")
    if sent_to:
        for report in reports:
            report.sent_to = "\n".join(sent_to)
            report.save(update_fields=["sent_to"])


def _post_to_chat(report, channel_id: int) -> bool:
    """sendDocument through the publishing app's Telegram-protocol transport (if installed)."""
    from didban.command.metrics.base import model_or_none

    Channel = model_or_none("publishing.Channel")
    if Channel is None:
        return False
    channel = Channel.objects.filter(pk=channel_id).first()
    if channel is None or channel.kind not in ("telegram", "bale"):
        return False
    try:
        from didban.publishing.transports import transport_for
    except ImportError:
        return False
    transport = transport_for(channel)
    with report.file.open("rb") as fh:
        data = fh.read()
    name = report.file.name.rsplit("/", 1)[-1]
    try:
        transport.call(
            "sendDocument",
            form={"chat_id": channel.target, "caption": str(report.org.name)},
            files={"document": (name, data, "application/pdf")},
        )
    except Exception as exc:  # the remote messenger is the edge of the world
        log.warning("report %s to channel %s failed: %s", report.pk, channel_id, exc)
        return False
    return True
