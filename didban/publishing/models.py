"""Channels of an organisation and the deliveries of published items to them.

Publishing an item is the newsroom's decision (`newsroom.Item.status`); getting it onto each
channel is a `Delivery`: one row per item × channel with its own status, attempts and the
messenger's message ids. `SandboxPost` is what the sandbox transport "posted".
"""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from didban.publishing import secrets


class Channel(models.Model):
    """Somewhere items go: the website, a messenger channel, an email list, a webhook."""

    class Kind(models.TextChoices):
        WEBSITE = "website", _("Website")
        TELEGRAM = "telegram", _("Telegram")
        BALE = "bale", _("Bale")
        EITAA = "eitaa", _("Eitaa")
        EMAIL = "email", _("Email list")
        WEBHOOK = "webhook", _("Webhook")
        SANDBOX = "sandbox", _("Sandbox (preview only)")

    DEFAULT_BASE_URLS = {
        Kind.TELEGRAM: "https://api.telegram.org",
        Kind.BALE: "https://tapi.bale.ai",
        Kind.EITAA: "https://eitaayar.ir",
    }
    # Kinds whose transport needs a secret (bot token, SMTP password, signing key).
    SECRET_KINDS = (Kind.TELEGRAM, Kind.BALE, Kind.EITAA, Kind.EMAIL, Kind.WEBHOOK)

    org = models.ForeignKey(
        "accounts.Organization", verbose_name=_("organisation"), on_delete=models.CASCADE,
        related_name="channels",
    )  # fmt: skip
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    target = models.CharField(
        _("target"), max_length=1000, blank=True,
        help_text=_("Chat id or @channel, the email addresses (comma separated) or the webhook URL."),
    )  # fmt: skip
    base_url = models.URLField(_("API base URL"), max_length=300, blank=True)
    # SMTP host/port/user/TLS/from for email channels (empty: the server's email settings).
    config = models.JSONField(default=dict, blank=True)
    rate_per_minute = models.PositiveIntegerField(
        _("posts per minute"), default=20, help_text=_("At most this many posts a minute.")
    )
    enabled = models.BooleanField(_("enabled"), default=True)
    covers_suborgs = models.BooleanField(
        _("also items of organisations below"), default=True,
        help_text=_("Items published by committees and units under this organisation go here too."),
    )  # fmt: skip
    secret_encrypted = models.TextField(blank=True, editable=False)
    secret_set_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("channel")
        verbose_name_plural = _("channels")
        ordering = ["org", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("publishing:channel_edit", args=[self.pk])

    @property
    def api_base_url(self) -> str:
        return (self.base_url or self.DEFAULT_BASE_URLS.get(self.kind, "")).rstrip("/")

    @property
    def has_secret(self) -> bool:
        return bool(self.secret_encrypted)

    @property
    def needs_secret(self) -> bool:
        return self.kind in self.SECRET_KINDS

    def secret(self) -> str:
        """The plain secret, for the transport only; raises SecretUnreadable."""
        return secrets.decrypt(self.secret_encrypted) if self.secret_encrypted else ""


class Delivery(models.Model):
    """One item on one channel."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        UNKNOWN = "unknown", _("Unknown outcome")
        RETRACTED = "retracted", _("Retracted")

    class Followup(models.TextChoices):
        NONE = "", _("—")
        CORRECTION_PENDING = "correction_pending", _("Correction pending")
        CORRECTED = "corrected", _("Corrected on the channel")
        CORRECTION_IMPOSSIBLE = "correction_impossible", _("Cannot be corrected on this channel")
        CORRECTION_FAILED = "correction_failed", _("Correction failed")
        RETRACTION_PENDING = "retraction_pending", _("Retraction pending")
        RETRACTION_IMPOSSIBLE = "retraction_impossible", _("Cannot be withdrawn from this channel")
        RETRACTION_FAILED = "retraction_failed", _("Retraction failed")

    # Statuses a person should look at.
    NEEDS_ATTENTION = (Status.FAILED, Status.UNKNOWN)

    org = models.ForeignKey(
        "accounts.Organization", verbose_name=_("organisation"), on_delete=models.CASCADE,
        related_name="deliveries",
    )  # fmt: skip
    item = models.ForeignKey(
        "newsroom.Item", verbose_name=_("item"), on_delete=models.CASCADE,
        related_name="deliveries",
    )  # fmt: skip
    channel = models.ForeignKey(
        Channel, verbose_name=_("channel"), on_delete=models.CASCADE, related_name="deliveries"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_retry_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    # A post may take several steps (photo + caption continuation): per step done, the list of
    # the messenger's ids, so a retry resumes after them instead of posting them again.
    external_ids = models.JSONField(default=list, blank=True)
    steps_done = models.PositiveIntegerField(default=0)
    external_url = models.URLField(max_length=500, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    followup = models.CharField(max_length=30, choices=Followup.choices, blank=True, default="")
    followup_note = models.TextField(blank=True)
    queued_at = models.DateTimeField(_("queued at"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-queued_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["item", "channel"], name="delivery_item_channel_unique")
        ]
        indexes = [
            # The worker's head-of-line lookup: a channel's oldest queued delivery.
            models.Index(fields=["channel", "status", "queued_at"]),
            # The queue page and the home panel: an organisation's deliveries by status.
            models.Index(fields=["status", "next_retry_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.item_id} → {self.channel_id}"

    @property
    def message_ids(self) -> str:
        return ", ".join(str(i) for step in self.external_ids for i in step)


class DeliveryEvent(models.Model):
    """The history of a delivery: each attempt, its outcome, reconciliation, follow-ups."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="events")
    verb = models.CharField(max_length=30)
    message = models.TextField(blank=True)
    actor = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.delivery_id} {self.verb}"


class SandboxPost(models.Model):
    """What the sandbox transport would have posted: shown as a channel preview."""

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="sandbox_posts")
    delivery = models.ForeignKey(
        Delivery, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    method = models.CharField(max_length=30)
    text = models.TextField(blank=True)  # Telegram-style HTML, already escaped
    media = models.JSONField(default=list, blank=True)  # [{"kind", "url", "name"}]
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            # The preview page: a channel's posts in order.
            models.Index(fields=["channel", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.channel_id}#{self.pk}"

    def safe_html(self) -> str:
        """The post's Telegram-style HTML, sanitised for the preview page."""
        import nh3

        return nh3.clean(
            self.text, tags={"b", "strong", "i", "em", "u", "s", "code", "pre", "a"},
            attributes={"a": {"href"}},
        )  # fmt: skip
