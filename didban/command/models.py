"""The command room's own data: rolled-up figures, audience samples, targets and reports.

Figures are stored per leaf organisation (the `org` of the rows they count) and summed up the
tree when read (`org__path__startswith`), so a province sees its counties side by side.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class HourlyFigure(models.Model):
    """One metric of one organisation in one time bucket (an hour, or 15 minutes).

    Counters (`production.news`, `delivery.sent.telegram` …) are recomputed from the raw rows
    whenever their bucket may have changed; gauges (metrics starting with `now.`) are samples
    taken when the bucket was current and are never recomputed.
    """

    class Resolution(models.IntegerChoices):
        HOUR = 60, _("Hourly")
        QUARTER = 15, _("15 minutes")

    org = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="+", db_constraint=False
    )
    resolution = models.PositiveSmallIntegerField(
        choices=Resolution.choices, default=Resolution.HOUR
    )
    bucket_start = models.DateTimeField()  # UTC, aligned to the resolution
    metric = models.CharField(max_length=80)
    value = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["org", "resolution", "bucket_start", "metric"], name="figure_unique"
            )
        ]
        indexes = [
            # The screen and the reports: all figures of a period, summed by org path.
            models.Index(fields=["resolution", "bucket_start"], name="figure_bucket"),
        ]

    def __str__(self) -> str:
        return f"{self.org_id} {self.bucket_start:%Y-%m-%d %H:%M} {self.metric}={self.value}"


class RollupRun(models.Model):
    """One run of the rollup: which buckets it recomputed; the next run starts from here."""

    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    buckets = models.PositiveIntegerField(default=0)
    figures = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-started_at"]
        get_latest_by = "started_at"

    def __str__(self) -> str:
        return f"rollup {self.started_at:%Y-%m-%d %H:%M}"


class AudienceSample(models.Model):
    """Members of a channel at a moment: read from the messenger's API or entered by hand."""

    class Source(models.TextChoices):
        API = "api", _("Channel API")
        MANUAL = "manual", _("Entered by hand")

    org = models.ForeignKey(
        "accounts.Organization", verbose_name=_("organisation"), on_delete=models.CASCADE,
        related_name="+",
    )  # fmt: skip
    # The publishing channel's id; no foreign key so the command room works without publishing.
    channel_id = models.PositiveIntegerField(_("channel"))
    channel_name = models.CharField(_("channel"), max_length=200)
    channel_kind = models.CharField(_("platform"), max_length=20, blank=True)
    at = models.DateTimeField(_("time"))
    members = models.PositiveIntegerField(_("members"))
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip

    class Meta:
        verbose_name = _("audience sample")
        verbose_name_plural = _("audience samples")
        ordering = ["-at"]
        indexes = [
            # Growth chart of a channel, and its latest sample.
            models.Index(fields=["channel_id", "at"], name="audience_channel_at"),
        ]

    def __str__(self) -> str:
        return f"{self.channel_name} {self.members}"


class Target(models.Model):
    """What a supervisor expects of an organisation in a period (a counter or a level)."""

    org = models.ForeignKey(
        "accounts.Organization", verbose_name=_("organisation"), on_delete=models.CASCADE,
        related_name="+",
    )  # fmt: skip
    metric = models.CharField(_("measure"), max_length=80)
    value = models.PositiveIntegerField(_("target"))
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["ends_on", "metric"]
        indexes = [
            # The screen: targets of an organisation whose period includes today.
            models.Index(fields=["org", "ends_on"], name="target_org_end"),
        ]

    def __str__(self) -> str:
        return f"{self.metric} {self.value}"


class ReportSchedule(models.Model):
    """Who receives an organisation's hourly, daily or weekly report, and how."""

    class Period(models.TextChoices):
        HOURLY = "hourly", _("Hourly")
        DAILY = "daily", _("Daily")
        WEEKLY = "weekly", _("Weekly")

    org = models.ForeignKey(
        "accounts.Organization", verbose_name=_("organisation"), on_delete=models.CASCADE,
        related_name="+",
    )  # fmt: skip
    period = models.CharField(_("period"), max_length=10, choices=Period.choices)
    emails = models.TextField(_("email recipients"), blank=True)
    # A publishing channel (Telegram-protocol chat) that receives the PDF; no foreign key.
    channel_id = models.PositiveIntegerField(_("messenger chat"), null=True, blank=True)
    enabled = models.BooleanField(_("enabled"), default=True)
    last_period_end = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("report schedule")
        verbose_name_plural = _("report schedules")
        ordering = ["org", "period"]

    def __str__(self) -> str:
        return f"{self.org_id} {self.period}"

    def email_list(self) -> list[str]:
        return [e.strip() for e in self.emails.replace(",", "\n").split() if e.strip()]


def _report_upload(report: Report, filename: str) -> str:
    return f"command/reports/{report.period_start:%Y/%m}/{filename}"


class Report(models.Model):
    """An archived report file (PDF or XLSX) of one organisation and period."""

    class Format(models.TextChoices):
        PDF = "pdf", "PDF"
        XLSX = "xlsx", "XLSX"

    org = models.ForeignKey(
        "accounts.Organization", verbose_name=_("organisation"), on_delete=models.CASCADE,
        related_name="+",
    )  # fmt: skip
    period = models.CharField(_("period"), max_length=10, choices=ReportSchedule.Period.choices)
    period_start = models.DateTimeField(_("from"))
    period_end = models.DateTimeField(_("to"))
    format = models.CharField(_("format"), max_length=4, choices=Format.choices)
    file = models.FileField(_("file"), upload_to=_report_upload)
    size = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_to = models.TextField(_("sent to"), blank=True)
    # What could not be delivered and why (one line each); a failing chat never stops the email.
    send_errors = models.TextField(_("delivery failures"), blank=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-period_end", "-pk"]
        indexes = [
            # The archive of an organisation, newest first.
            models.Index(fields=["org", "-period_end"], name="report_org_end"),
        ]

    def __str__(self) -> str:
        return f"{self.period} {self.period_start:%Y-%m-%d %H:%M} {self.format}"

    def get_absolute_url(self) -> str:
        return reverse("command:report_download", args=[self.pk])
