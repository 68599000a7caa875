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
    """Email the files to the recipients and post the PDF to the messenger chat, if any.

    The two ways are independent: a failing chat never stops the email (nor the reverse); what
    failed is kept on the reports (`send_errors`) and shown in the archive.
    """
    from didban.command.models import Report

    reports = list(Report.objects.filter(pk__in=report_ids).select_related("org"))
    if not reports:
        return
    sent_to, errors = [], []
    recipients = [e for e in emails.split() if e]
    if recipients:
        try:
            _email(reports, recipients)
        except Exception as exc:  # the mail server is the edge of the world
            log.warning("report %s by email failed: %s", report_ids, exc)
            errors.append(f"email: {exc}")
        else:
            sent_to.extend(recipients)
    if channel_id:
        pdf = next((r for r in reports if r.format == "pdf"), None)
        if pdf is not None:
            error = _post_to_chat(pdf, channel_id)
            if error:
                errors.append(f"channel:{channel_id}: {error}")
            else:
                sent_to.append(f"channel:{channel_id}")
    for report in reports:
        report.sent_to = "\n".join(sent_to)
        report.send_errors = "\n".join(errors)[:2000]
        report.save(update_fields=["sent_to", "send_errors"])


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def subject(report) -> str:
    """«گزارش روزانه — ستاد …»: the email subject."""
    from django.utils import translation
    from django.utils.translation import gettext as _

    with translation.override("fa"):
        kind = {"hourly": _("Hourly report"), "daily": _("Daily report"),
                "weekly": _("Weekly report")}[report.period]  # fmt: skip
        return f"{kind} — {report.org.name}"


def caption(report) -> str:
    """The title and the period in Persian, Jalali dates and Persian digits (the chat caption
    and the email body)."""
    from django.utils import translation
    from django.utils.translation import gettext as _

    from didban.command.reports import jal

    with translation.override("fa"):
        period = _("from %(start)s to %(end)s") % {
            "start": jal(report.period_start), "end": jal(report.period_end),
        }  # fmt: skip
        return f"{subject(report)}\n{period}"


def _email(reports, recipients: list[str]) -> None:
    first = reports[0]
    message = EmailMessage(
        subject=subject(first),
        body=caption(first),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=recipients,
    )
    for report in reports:
        with report.file.open("rb") as fh:
            mime = "application/pdf" if report.format == "pdf" else XLSX
            message.attach(report.file.name.rsplit("/", 1)[-1], fh.read(), mime)
    message.send()


def _post_to_chat(report, channel_id: int) -> str:
    """sendDocument through the publishing app's Telegram-protocol transport; the error or ""."""
    from didban.command.metrics.base import model_or_none

    Channel = model_or_none("publishing.Channel")
    if Channel is None:
        return "the publishing app is not installed"
    channel = Channel.objects.filter(pk=channel_id).first()
    if channel is None or channel.kind not in ("telegram", "bale"):
        return "no such Telegram or Bale channel"
    try:
        from didban.publishing.transports import transport_for
    except ImportError:
        return "the publishing app is not installed"
    transport = transport_for(channel)
    with report.file.open("rb") as fh:
        data = fh.read()
    name = report.file.name.rsplit("/", 1)[-1]
    try:
        transport.call(
            "sendDocument",
            form={"chat_id": channel.target, "caption": caption(report)},
            files={"document": (name, data, "application/pdf")},
        )
    except Exception as exc:  # the remote messenger is the edge of the world
        log.warning("report %s to channel %s failed: %s", report.pk, channel_id, exc)
        return str(exc)[:500] or exc.__class__.__name__
    return ""
