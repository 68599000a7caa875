"""The newsroom: items (news, announcements, videos …), their assets, revisions, comments,
the planning around them (occasions, events, coverage assignments) and templates.

Publishing (channels, deliveries) lives in `didban.publishing`; it listens to the signals in
`didban.newsroom.signals` and links to `Item` by foreign key.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Occasion(models.Model):
    """A period content is planned around: دهه فجر, ثبت‌نام داوطلبان, روز انتخابات …"""

    org = models.ForeignKey(
        "accounts.Organization", verbose_name=_("organisation"), on_delete=models.CASCADE,
        related_name="occasions",
    )  # fmt: skip
    name = models.CharField(_("name"), max_length=200)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("occasion")
        verbose_name_plural = _("occasions")
        ordering = ["starts_on", "name"]

    def __str__(self) -> str:
        return self.name


class Event(models.Model):
    """A press conference, conference or meeting the newsroom covers."""

    class Kind(models.TextChoices):
        PRESS_CONFERENCE = "press_conference", _("Press conference")
        CONFERENCE = "conference", _("Conference")
        MEETING = "meeting", _("Meeting")
        OTHER = "other", _("Other")

    org = models.ForeignKey(
        "accounts.Organization", verbose_name=_("organisation"), on_delete=models.CASCADE,
        related_name="newsroom_events",
    )  # fmt: skip
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=300)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    place = models.ForeignKey(
        "places.Place", verbose_name=_("place"), on_delete=models.SET_NULL, null=True,
        blank=True, related_name="+",
    )  # fmt: skip
    venue = models.CharField(_("venue"), max_length=300, blank=True)
    occasion = models.ForeignKey(
        Occasion, verbose_name=_("occasion"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="events",
    )  # fmt: skip
    expected_attendance = models.PositiveIntegerField(
        _("expected attendance"), null=True, blank=True
    )
    actual_attendance = models.PositiveIntegerField(_("actual attendance"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-starts_at"]

    def __str__(self) -> str:
        return self.title


class Item(models.Model):
    """One piece of content and its editorial state. Delivery to channels is separate."""

    class Kind(models.TextChoices):
        NEWS = "news", _("News")
        ANNOUNCEMENT = "announcement", _("Announcement")
        VIDEO = "video", _("Video")
        PHOTO_CAPTION = "photo_caption", _("Photo caption")
        NEWS_REPORT = "news_report", _("News report")
        MOTION_GRAPHIC = "motion_graphic", _("Motion graphic")
        POSTER = "poster", _("Poster")
        INFOGRAPHIC = "infographic", _("Infographic")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "in_review", _("In review")
        APPROVED = "approved", _("Approved")
        SCHEDULED = "scheduled", _("Scheduled")
        PUBLISHED = "published", _("Published")
        CORRECTED = "corrected", _("Corrected")
        RETRACTED = "retracted", _("Retracted")

    # Statuses whose item is public (website, channels).
    PUBLIC_STATUSES = (Status.PUBLISHED, Status.CORRECTED)

    org = models.ForeignKey(
        "accounts.Organization", verbose_name=_("organisation"), on_delete=models.PROTECT,
        related_name="newsroom_items",
    )  # fmt: skip
    news_code = models.CharField(_("news code"), max_length=20, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.NEWS)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    title = models.CharField(_("title"), max_length=300)
    lead = models.TextField(_("lead"), blank=True)
    body = models.TextField(_("body"), blank=True)  # sanitised HTML (nh3)
    body_text = models.TextField(editable=False, blank=True)  # plain text of body
    search_text = models.TextField(editable=False, blank=True)  # normalize(title lead body tags)
    tags = models.JSONField(_("tags"), default=list, blank=True)
    occasion = models.ForeignKey(
        Occasion, verbose_name=_("occasion"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="items",
    )  # fmt: skip
    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="items",
    )  # fmt: skip
    unit = models.ForeignKey(
        "accounts.Organization", verbose_name=_("producing unit"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="produced_items",
    )  # fmt: skip
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT,
        related_name="authored_items",
    )  # fmt: skip
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assignee"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="assigned_items",
    )  # fmt: skip
    due_at = models.DateTimeField(_("due at"), null=True, blank=True)
    scheduled_at = models.DateTimeField(_("scheduled at"), null=True, blank=True, db_index=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, db_index=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    corrected_at = models.DateTimeField(_("corrected at"), null=True, blank=True)
    correction_note = models.TextField(_("correction note"), blank=True)
    retracted_at = models.DateTimeField(_("retracted at"), null=True, blank=True)
    retraction_reason = models.TextField(_("retraction reason"), blank=True)
    review_note = models.TextField(_("review note"), blank=True)
    # Optimistic concurrency: every save increments it; a save from an older version is refused.
    version = models.PositiveIntegerField(default=1)
    # Soft edit lock: who has the edit form open, until when.
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    locked_at = models.DateTimeField(null=True, blank=True)
    lock_expires_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("item")
        verbose_name_plural = _("items")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["org", "news_code"], name="item_news_code_unique")
        ]
        indexes = [models.Index(fields=["org", "status", "-published_at"])]

    def __str__(self) -> str:
        return f"{self.news_code} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("newsroom:item_detail", args=[self.pk])

    @property
    def is_public(self) -> bool:
        return self.status in self.PUBLIC_STATUSES

    def public_path(self) -> str:
        return reverse("portal:item_detail", args=[self.org.code, self.news_code])

    def public_url(self) -> str:
        """The item's page on the organisation's public website (the website channel)."""
        return settings.SITE_URL + self.public_path()

    def lock_holder(self, user=None):
        """Whoever else holds a live edit lock, or None."""
        if (
            self.locked_by_id
            and self.lock_expires_at
            and self.lock_expires_at > timezone.now()
            and (user is None or self.locked_by_id != user.pk)
        ):
            return self.locked_by
        return None


class NewsCodeCounter(models.Model):
    """The last news code serial of an organisation in a Jalali year; locked while taken."""

    org = models.ForeignKey("accounts.Organization", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["org", "year"], name="news_code_counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.org_id}/{self.year}: {self.last}"


class ItemRevision(models.Model):
    """A saved version of an item's text (one per save)."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=300)
    lead = models.TextField(blank=True)
    body = models.TextField(blank=True)
    body_text = models.TextField(blank=True)
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["item", "number"], name="item_revision_unique")
        ]

    def __str__(self) -> str:
        return f"{self.item_id} #{self.number}"

    def plain(self) -> str:
        return "\n".join(part for part in (self.title, self.lead, self.body_text) if part)


class Comment(models.Model):
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("comment"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.body[:60]


def asset_path(instance, filename: str) -> str:
    return f"newsroom/{instance.org_id}/{instance.sha256[:2]}/{instance.sha256}{instance.extension}"


def rendition_path(instance, filename: str) -> str:
    return f"newsroom/{instance.org_id}/{instance.sha256[:2]}/{filename}"


class Asset(models.Model):
    """An uploaded file, stored once per organisation (by SHA-256)."""

    class Kind(models.TextChoices):
        IMAGE = "image", _("Image")
        VIDEO = "video", _("Video")
        AUDIO = "audio", _("Audio")
        PDF = "pdf", _("PDF")

    org = models.ForeignKey(
        "accounts.Organization", verbose_name=_("organisation"), on_delete=models.PROTECT,
        related_name="newsroom_assets",
    )  # fmt: skip
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    mime = models.CharField(max_length=100)
    extension = models.CharField(max_length=10)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    file = models.FileField(upload_to=asset_path, max_length=300)
    # Images: a re-encoded copy without EXIF (what anything public shows) and a thumbnail.
    public_file = models.FileField(upload_to=rendition_path, max_length=300, blank=True)
    thumbnail = models.FileField(upload_to=rendition_path, max_length=300, blank=True)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("asset")
        verbose_name_plural = _("assets")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["org", "sha256"], name="asset_sha256_unique")
        ]

    def __str__(self) -> str:
        return self.original_name

    def public_url(self) -> str:
        """The URL anything public uses: the EXIF-free rendition for images."""
        if self.kind == self.Kind.IMAGE and self.public_file:
            return self.public_file.url
        return self.file.url

    @property
    def public_storage_file(self):
        """The file to send to channels (images: the EXIF-free rendition)."""
        if self.kind == self.Kind.IMAGE and self.public_file:
            return self.public_file
        return self.file


class ItemAsset(models.Model):
    """An asset attached to an item, in order."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="item_assets")
    asset = models.ForeignKey(Asset, on_delete=models.PROTECT, related_name="item_links")
    position = models.PositiveSmallIntegerField(default=0)
    caption = models.CharField(_("caption"), max_length=500, blank=True)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [models.UniqueConstraint(fields=["item", "asset"], name="item_asset_unique")]

    def __str__(self) -> str:
        return f"{self.item_id}: {self.asset_id}"


class CoverageAssignment(models.Model):
    """Who covers an event with what, by when."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="assignments")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.PROTECT,
        related_name="coverage_assignments",
    )  # fmt: skip
    deliverable = models.CharField(_("deliverable"), max_length=20, choices=Item.Kind.choices)
    deadline = models.DateTimeField(_("deadline"))
    item = models.ForeignKey(
        Item, verbose_name=_("item"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="coverage",
    )  # fmt: skip
    done_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["deadline", "pk"]

    def __str__(self) -> str:
        return f"{self.event_id}: {self.person_id} {self.deliverable}"

    @property
    def is_overdue(self) -> bool:
        return self.done_at is None and self.deadline < timezone.now()


class Template(models.Model):
    """A saved layout an item can start from (e.g. the standard announcement)."""

    org = models.ForeignKey(
        "accounts.Organization", verbose_name=_("organisation"), on_delete=models.CASCADE,
        related_name="newsroom_templates",
    )  # fmt: skip
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Item.Kind.choices)
    title = models.CharField(_("title"), max_length=300, blank=True)
    lead = models.TextField(_("lead"), blank=True)
    body = models.TextField(_("body"), blank=True)
    tags = models.JSONField(_("tags"), default=list, blank=True)
    # C9: a county's template offered to its province and the province's other counties.
    shared_with_province = models.BooleanField(_("shared with the province"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("template")
        verbose_name_plural = _("templates")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
