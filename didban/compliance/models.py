"""Campaign-rule compliance: elections, their periods and rules, candidates, violation reports."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from didban.lib.persian import normalize


class RuleCategory(models.TextChoices):
    PUBLIC_PROPERTY = "public_property", _("Placement on public property or official buildings")
    DEFACING = "defacing", _("Defacing walls, trees or street furniture")
    TIME_LIMIT = "time_limit", _("Advertising outside the legal window")
    SILENCE_PERIOD = "silence_period", _("Advertising during the silence period")
    RELIGIOUS_PLACES = "religious_places", _("Advertising in mosques or religious places")
    GOVERNMENT_RESOURCES = "government_resources", _("Use of government resources or staff")
    DEFAMATION = "defamation", _("Insult, slander or false statements")
    NEAR_POLLING = "near_polling", _("Advertising at or near polling stations")
    OTHER = "other", _("Other")


class Election(models.Model):
    """An election as the organisation's constituency sees it (e.g. the 1402 parliamentary)."""

    org = models.ForeignKey(
        "accounts.Organization", verbose_name=_("organisation"), on_delete=models.PROTECT,
        related_name="elections",
    )  # fmt: skip
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("code"), max_length=60, unique=True)
    constituency = models.CharField(_("constituency"), max_length=200, blank=True)
    election_day = models.DateField(_("election day"))
    is_public = models.BooleanField(_("rules published"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("election")
        verbose_name_plural = _("elections")
        ordering = ["-election_day", "name"]

    def __str__(self) -> str:
        return self.name

    def display_name(self, language: str = "fa") -> str:
        return self.name


class CampaignPeriod(models.Model):
    """A span of time with its own advertising rule: the legal window, the silence period."""

    class Kind(models.TextChoices):
        ADVERTISING = "advertising", _("Legal advertising window")
        SILENCE = "silence", _("Silence period")
        OTHER = "other", _("Other")

    election = models.ForeignKey(
        Election, verbose_name=_("election"), on_delete=models.CASCADE, related_name="periods"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))

    class Meta:
        verbose_name = _("campaign period")
        verbose_name_plural = _("campaign periods")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="compliance_period_order"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def contains(self, moment) -> bool:
        return self.starts_at <= moment < self.ends_at


class Rule(models.Model):
    """One article of the campaign-advertising law, paraphrased for the public."""

    election = models.ForeignKey(
        Election, verbose_name=_("election"), on_delete=models.CASCADE, related_name="rules"
    )
    article = models.CharField(_("article"), max_length=40)
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"))
    category = models.CharField(_("category"), max_length=30, choices=RuleCategory.choices)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("rule")
        verbose_name_plural = _("rules")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return f"{self.article}: {self.title}"


class CandidateList(models.Model):
    """A list or party that candidates run under."""

    election = models.ForeignKey(
        Election, verbose_name=_("election"), on_delete=models.CASCADE, related_name="lists"
    )
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("list")
        verbose_name_plural = _("lists")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Candidate(models.Model):
    election = models.ForeignKey(
        Election, verbose_name=_("election"), on_delete=models.CASCADE, related_name="candidates"
    )
    name = models.CharField(_("name"), max_length=200)
    # normalize(name): what the desk's search matches.
    name_norm = models.CharField(max_length=200, editable=False, db_index=True)
    code = models.CharField(_("ballot code"), max_length=20, blank=True)
    candidate_list = models.ForeignKey(
        CandidateList, verbose_name=_("list"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="candidates",
    )  # fmt: skip
    photo = models.ImageField(_("photo"), upload_to="compliance/candidates/", blank=True)

    class Meta:
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})" if self.code else self.name

    def save(self, *args, **kwargs):
        self.name_norm = normalize(self.name)
        super().save(*args, **kwargs)


class Violation(models.Model):
    """A report of campaign advertising that may break the rules, and its case on the desk."""

    class Source(models.TextChoices):
        FIELD = "field", _("Field agent")
        CITIZEN = "citizen", _("Citizen")
        STAFF = "staff", _("Staff")

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        CATEGORISED = "categorised", _("Categorised")
        VERIFIED = "verified", _("Verified")
        REFERRED = "referred", _("Referred")
        RESOLVED = "resolved", _("Resolved")
        DISMISSED = "dismissed", _("Dismissed")

    class Board(models.TextChoices):
        SUPERVISORY = "supervisory", _("Supervisory board")
        EXECUTIVE = "executive", _("Executive board")

    OPEN_STATUSES = (Status.RECEIVED, Status.CATEGORISED, Status.VERIFIED, Status.REFERRED)

    org = models.ForeignKey(
        "accounts.Organization", verbose_name=_("organisation"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    election = models.ForeignKey(
        Election, verbose_name=_("election"), on_delete=models.PROTECT, related_name="violations"
    )
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reporter"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="+",
    )  # fmt: skip
    # The device's id of the submission: a retry with the same id is the same report.
    client_uuid = models.UUIDField(null=True, blank=True, editable=False)
    content_hash = models.CharField(max_length=64, blank=True, editable=False)
    tracking_code = models.CharField(_("tracking code"), max_length=12, unique=True)
    citizen_name = models.CharField(_("name"), max_length=120, blank=True)
    citizen_phone = models.CharField(_("phone"), max_length=20, blank=True)
    description = models.TextField(_("description"))
    description_norm = models.TextField(editable=False, default="")
    rule_category = models.CharField(
        _("category"), max_length=30, choices=RuleCategory.choices, blank=True
    )
    suggested_category = models.CharField(
        _("suggested category"), max_length=30, choices=RuleCategory.choices, blank=True
    )
    candidate = models.ForeignKey(
        Candidate, verbose_name=_("candidate"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="violations",
    )  # fmt: skip
    place = models.ForeignKey(
        "places.Place", verbose_name=_("place"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    address = models.CharField(_("address"), max_length=300, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    accuracy_m = models.PositiveIntegerField(_("accuracy (m)"), null=True, blank=True)
    observed_at = models.DateTimeField(_("observed at"))
    created_at = models.DateTimeField(_("received at"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.RECEIVED
    )
    # Place (or ~100 m cell), candidate and a 6-hour slot: reports sharing it may be duplicates.
    dup_key = models.CharField(max_length=80, blank=True, editable=False)
    duplicate_of = models.ForeignKey(
        "self", verbose_name=_("duplicate of"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("handler"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="+",
    )  # fmt: skip
    # When the handler took the report or last acted on it: the lock lasts
    # COMPLIANCE_LOCK_MINUTES from then (see lock_expires_at).
    locked_at = models.DateTimeField(null=True, blank=True)
    referred_to = models.CharField(
        _("referred to"), max_length=12, choices=Board.choices, blank=True
    )
    referral_deadline = models.DateTimeField(_("referral deadline"), null=True, blank=True)
    status_reason = models.TextField(_("reason"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("violation report")
        verbose_name_plural = _("violation reports")
        ordering = ["-created_at"]
        constraints = [
            # One row per device submission, even when the device sends it twice at once.
            models.UniqueConstraint(
                fields=["reporter", "client_uuid"],
                condition=Q(client_uuid__isnull=False),
                name="compliance_violation_client_uuid",
            )
        ]
        indexes = [
            # The desk: newest first within a status.
            models.Index(fields=["status", "-created_at"], name="compliance_v_status"),
            # Likely duplicates: every report sharing the keys of the page shown.
            models.Index(fields=["dup_key"], name="compliance_v_dupkey"),
            # Overdue referrals: referred rows past their deadline.
            models.Index(fields=["status", "referral_deadline"], name="compliance_v_deadline"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def lock_expires_at(self):
        """When the handler's lock lapses unless they act again; None when nobody holds it."""
        if self.handler_id is None or self.locked_at is None:
            return None
        return self.locked_at + timedelta(minutes=settings.COMPLIANCE_LOCK_MINUTES)

    def lock_active(self, now=None) -> bool:
        """Whether the handler still holds the report (a lapsed lock yields to anyone)."""
        expires = self.lock_expires_at
        return expires is not None and expires > (now or timezone.now())

    @property
    def is_locked(self) -> bool:
        return self.lock_active()

    @property
    def lock_lapsed(self) -> bool:
        return self.handler_id is not None and not self.lock_active()

    @property
    def is_overdue(self) -> bool:
        return (
            self.status == self.Status.REFERRED
            and self.referral_deadline is not None
            and self.referral_deadline < timezone.now()
        )


class ViolationPhoto(models.Model):
    """A photo of a report, re-encoded on upload: no EXIF (GPS, device) leaves the server."""

    violation = models.ForeignKey(Violation, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(upload_to="compliance/violations/%Y/%m/")
    sha256 = models.CharField(max_length=64)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    original_name = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.original_name or self.image.name


class ViolationEvent(models.Model):
    """The case history shown on the desk: each transition with who, when and why."""

    violation = models.ForeignKey(Violation, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    verb = models.CharField(max_length=30)
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12, blank=True)
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    VERB_LABELS = {
        "received": _("received"),
        "take": _("took it"),
        "takeover": _("took it over"),
        "release": _("released it"),
        "categorise": _("categorised"),
        "verify": _("verified"),
        "refer": _("referred"),
        "resolve": _("resolved"),
        "dismiss": _("dismissed"),
    }

    def __str__(self) -> str:
        return f"{self.verb}: {self.from_status} → {self.to_status}"

    @property
    def verb_label(self) -> str:
        return str(self.VERB_LABELS.get(self.verb, self.verb))

    @property
    def to_status_label(self) -> str:
        labels = dict(Violation.Status.choices)
        return str(labels.get(self.to_status, self.to_status))

    @property
    def changes_status(self) -> bool:
        return bool(self.from_status and self.to_status) and self.to_status != self.from_status
