"""Display campaigns: designs (طرح) shown at sites (نقطه اکران) in windows (بازه), placed by field
agents whose check-ins carry the proof (photo, GPS, time)."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from didban.lib.persian import normalize


class Design(models.Model):
    """An artwork in the library of an organisation; its files are versions."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Awaiting approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        RETIRED = "retired", _("Retired")

    org = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="designs",
    )
    title = models.CharField(_("title"), max_length=200)
    title_norm = models.CharField(max_length=200, editable=False, db_index=True)
    theme = models.CharField(_("theme"), max_length=120, blank=True)
    # The occasion's name: copied from `linked_occasion` when linked, else free text (designs from
    # before the link whose text matched no newsroom occasion keep it).
    occasion = models.CharField(_("occasion"), max_length=120, blank=True)
    linked_occasion = models.ForeignKey(
        "newsroom.Occasion",
        verbose_name=_("occasion (newsroom)"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="designs",
    )
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    # Shared with the province: the path of the nearest province HQ above (or at) the design's
    # organisation, so that whole subtree may use it. Empty when not shared.
    shared_path = models.CharField(max_length=255, blank=True, default="", db_index=True)
    current_version = models.ForeignKey(
        "DesignVersion",
        verbose_name=_("current version"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    review_note = models.CharField(_("review note"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("design")
        verbose_name_plural = _("designs")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.title_norm = normalize(self.title)
        kwargs_fields = kwargs.get("update_fields")
        if kwargs_fields is not None and "title" in kwargs_fields:
            kwargs["update_fields"] = [*kwargs_fields, "title_norm"]
        super().save(*args, **kwargs)

    @property
    def is_shared(self) -> bool:
        return bool(self.shared_path)


def _design_upload(instance: DesignVersion, filename: str) -> str:
    return f"field/designs/{instance.design_id}/{instance.sha256[:16]}{instance.extension}"


def _thumb_upload(instance: DesignVersion, filename: str) -> str:
    return f"field/designs/{instance.design_id}/{instance.sha256[:16]}-thumb.jpg"


class DesignVersion(models.Model):
    """One file of a design. A new version never replaces the old one."""

    design = models.ForeignKey(Design, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    file = models.FileField(_("file"), upload_to=_design_upload)
    original_name = models.CharField(_("file name"), max_length=200)
    mime = models.CharField(max_length=40)
    extension = models.CharField(max_length=8)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(_("checksum"), max_length=64)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    thumbnail = models.FileField(upload_to=_thumb_upload, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("design version")
        verbose_name_plural = _("design versions")
        ordering = ["design", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["design", "number"], name="field_design_version_number")
        ]

    def __str__(self) -> str:
        return f"{self.design} v{self.number}"

    @property
    def is_image(self) -> bool:
        return self.mime.startswith("image/")


class Site(models.Model):
    """A display site: a billboard, an urban screen, a banner, a bus shelter, a wall…"""

    class Kind(models.TextChoices):
        BILLBOARD = "billboard", _("Billboard")
        SCREEN = "screen", _("Urban screen")
        BANNER = "banner", _("Banner")
        BUS_SHELTER = "bus_shelter", _("Bus shelter")
        WALL = "wall", _("Wall")
        OTHER = "other", _("Other")

    class Area(models.TextChoices):
        CITY = "city", _("City")
        SATELLITE_TOWN = "satellite_town", _("Satellite towns")
        VILLAGE = "village", _("Villages")
        OTHER = "other", _("Other areas")

    org = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="display_sites",
    )
    code = models.CharField(_("code"), max_length=40, blank=True)
    name = models.CharField(_("name"), max_length=200)
    name_norm = models.CharField(max_length=200, editable=False, db_index=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    place = models.ForeignKey(
        "places.Place", verbose_name=_("place"), on_delete=models.PROTECT, related_name="+"
    )
    # The area type of the place (city / satellite town / village), kept for the coverage page.
    area = models.CharField(_("area"), max_length=20, choices=Area.choices, editable=False)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    size = models.CharField(_("size"), max_length=60, blank=True)
    owner_org = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("owner (organisation)"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_display_sites",
    )
    owner_text = models.CharField(_("owner"), max_length=200, blank=True)
    photo = models.ImageField(_("photo"), upload_to="field/sites/", blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("display site")
        verbose_name_plural = _("display sites")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["org", "code"],
                condition=~models.Q(code=""),
                name="field_site_code_per_org",
            )
        ]
        indexes = [
            # The coverage page groups an organisation's sites by area type.
            models.Index(fields=["org", "area"], name="field_site_org_area"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.name_norm = normalize(self.name)
        self.area = area_of(self.place)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = [*kwargs["update_fields"], "name_norm", "area"]
        super().save(*args, **kwargs)

    @property
    def has_coordinates(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    @property
    def owner_display(self) -> str:
        return self.owner_org.name if self.owner_org_id else self.owner_text


def area_of(place) -> str:
    """City, satellite town or village, from the place and its ancestors."""
    from didban.places.models import Place

    node = place
    while node is not None:
        if node.kind == Place.Kind.VILLAGE:
            return Site.Area.VILLAGE
        if node.kind == Place.Kind.SATELLITE_TOWN:
            return Site.Area.SATELLITE_TOWN
        if node.kind == Place.Kind.CITY:
            return Site.Area.CITY
        if node.kind in (Place.Kind.COUNTY, Place.Kind.PROVINCE):
            return Site.Area.OTHER
        node = node.parent
    return Site.Area.OTHER


class SiteImport(models.Model):
    """An uploaded CSV/XLSX of sites, checked row by row before anything is imported."""

    class Status(models.TextChoices):
        CHECKED = "checked", _("Checked")
        IMPORTED = "imported", _("Imported")
        DISCARDED = "discarded", _("Discarded")

    org = models.ForeignKey("accounts.Organization", on_delete=models.CASCADE, related_name="+")
    file_name = models.CharField(max_length=200)
    # Each row: {"row": n, "values": {...}, "errors": [...]}; values are ready for creation.
    rows = models.JSONField(default=list)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.CHECKED)
    imported_count = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.file_name

    @property
    def good_rows(self) -> list[dict]:
        return [r for r in self.rows if not r["errors"]]

    @property
    def bad_rows(self) -> list[dict]:
        return [r for r in self.rows if r["errors"]]


class Window(models.Model):
    """A named display period with Jalali start and end, e.g. «بهمن ۱۴۰۲»."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PLANNED = "planned", _("Planned")

    org = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="display_windows",
    )
    name = models.CharField(_("name"), max_length=120)
    occasion = models.CharField(_("occasion"), max_length=120, blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    target = models.PositiveIntegerField(
        _("target placements"), default=0, help_text=_("0: every planned placement")
    )
    recheck_days = models.PositiveSmallIntegerField(_("re-check every (days)"), default=7)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    planned_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("window")
        verbose_name_plural = _("windows")
        ordering = ["-starts_on"]

    def __str__(self) -> str:
        return self.name

    def contains(self, day: date) -> bool:
        return self.starts_on <= day <= self.ends_on


class Placement(models.Model):
    """A design shown at a site during a window, and where it stands."""

    class State(models.TextChoices):
        PLANNED = "planned", _("Planned")
        DISPATCHED = "dispatched", _("Dispatched")
        INSTALLED = "installed", _("Installed")
        VERIFIED = "verified", _("Verified")
        DAMAGED = "damaged", _("Damaged")
        REMOVED = "removed", _("Removed")
        REPLACED = "replaced", _("Replaced")

    # Which state may follow which (a check-in moves along one of these edges).
    TRANSITIONS = {
        State.PLANNED: {State.DISPATCHED, State.INSTALLED},
        State.DISPATCHED: {State.INSTALLED},
        State.INSTALLED: {State.VERIFIED, State.DAMAGED, State.REMOVED},
        State.VERIFIED: {State.VERIFIED, State.DAMAGED, State.REMOVED},
        State.DAMAGED: {State.REPLACED, State.REMOVED},
        State.REMOVED: {State.REPLACED},
        State.REPLACED: {State.VERIFIED, State.DAMAGED, State.REMOVED},
    }
    ON_DISPLAY = (State.INSTALLED, State.VERIFIED, State.REPLACED)

    org = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")
    window = models.ForeignKey(Window, on_delete=models.CASCADE, related_name="placements")
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="placements")
    design = models.ForeignKey(Design, on_delete=models.PROTECT, related_name="placements")
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.PLANNED
    )
    state_changed_at = models.DateTimeField(default=timezone.now)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        ordering = ["site__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["window", "site", "design"], name="field_placement_unique"
            )
        ]
        indexes = [
            # The board and the coverage page: one window's placements by state.
            models.Index(fields=["window", "state"], name="field_placement_window_state"),
        ]

    def __str__(self) -> str:
        return f"{self.design} @ {self.site}"

    def can_move_to(self, state: str) -> bool:
        return state in self.TRANSITIONS.get(self.State(self.state), set())


def _checkin_upload(instance: CheckIn, filename: str) -> str:
    return f"field/checkins/{instance.client_uuid}.jpg"


class CheckIn(models.Model):
    """A field agent's proof of a state change: photo taken then, GPS, client time."""

    class Flag(models.TextChoices):
        DISTANCE = "distance", _("Far from the site")
        WINDOW = "window", _("Outside the window")
        PHOTO_TIME = "photo_time", _("Photo taken at another time")

    client_uuid = models.UUIDField(_("client id"), unique=True)
    # sha256 of what the client sent: an identical resubmission matches, other content is 409.
    content_hash = models.CharField(max_length=64)
    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="checkins")
    org = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="field_checkins"
    )
    from_state = models.CharField(max_length=12, choices=Placement.State.choices)
    to_state = models.CharField(_("new state"), max_length=12, choices=Placement.State.choices)
    photo = models.FileField(_("photo"), upload_to=_checkin_upload, blank=True)
    photo_sha256 = models.CharField(max_length=64, blank=True)
    photo_taken_at = models.DateTimeField(_("photo taken at"), null=True, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True)
    accuracy_m = models.FloatField(_("GPS accuracy (m)"), null=True, blank=True)
    distance_m = models.FloatField(_("distance from the site (m)"), null=True, blank=True)
    client_time = models.DateTimeField(_("time on the device"))
    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    note = models.CharField(_("note"), max_length=500, blank=True)
    flags = models.JSONField(_("flags"), default=list, blank=True)

    class Meta:
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"{self.placement} → {self.to_state}"

    @property
    def flag_labels(self) -> list[str]:
        labels = dict(self.Flag.choices)
        return [str(labels.get(f, f)) for f in self.flags]


class FieldTask(models.Model):
    """Work a placement needs: install, verify, re-check; overdue once its day has passed."""

    class Kind(models.TextChoices):
        INSTALL = "install", _("Install")
        VERIFY = "verify", _("Verify")
        RECHECK = "recheck", _("Re-check")

    org = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")
    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="tasks")
    kind = models.CharField(_("task"), max_length=10, choices=Kind.choices)
    due_on = models.DateField(_("due"))
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        CheckIn, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("field task")
        verbose_name_plural = _("field tasks")
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["placement", "kind", "due_on"], name="field_task_unique"
            )
        ]
        indexes = [
            # The agent's open tasks and the overdue counts: open tasks by due day.
            models.Index(fields=["org", "done_at", "due_on"], name="field_task_open"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.placement}"

    def is_overdue(self, today: date | None = None) -> bool:
        from didban.field.queries import local_today

        return self.done_at is None and self.due_on < (today or local_today())
