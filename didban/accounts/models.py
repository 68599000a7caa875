from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from didban.core.roles import Role


class User(AbstractUser):
    """A person who logs in. What they may see comes from their memberships."""

    class Language(models.TextChoices):
        PERSIAN = "fa", "فارسی"
        ENGLISH = "en", "English"

    language = models.CharField(
        _("language"), max_length=5, choices=Language.choices, default=Language.PERSIAN
    )
    phone = models.CharField(_("mobile phone"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class Organization(models.Model):
    """A node of the headquarters tree, or a PR unit directed by one of its HQs."""

    class Kind(models.TextChoices):
        NATIONAL_HQ = "national_hq", _("National HQ")
        PROVINCE_HQ = "province_hq", _("Province HQ")
        COUNTY_HQ = "county_hq", _("County HQ")
        COMMITTEE = "committee", _("Committee")
        PR_UNIT = "pr_unit", _("PR unit")

    class UnitType(models.TextChoices):
        NONE = "", _("—")
        MUNICIPALITY = "municipality", _("Municipality")
        AGENCY = "agency", _("Government agency")
        BROADCASTER = "broadcaster", _("Broadcaster")
        UNIVERSITY = "university", _("University")
        OTHER = "other", _("Other")

    # Which kinds may sit directly under which: the tree the issue describes.
    ALLOWED_PARENTS = {
        Kind.NATIONAL_HQ: {None},
        Kind.PROVINCE_HQ: {Kind.NATIONAL_HQ},
        Kind.COUNTY_HQ: {Kind.PROVINCE_HQ},
        Kind.COMMITTEE: {Kind.NATIONAL_HQ, Kind.PROVINCE_HQ, Kind.COUNTY_HQ},
        Kind.PR_UNIT: {Kind.NATIONAL_HQ, Kind.PROVINCE_HQ, Kind.COUNTY_HQ},
    }

    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    unit_type = models.CharField(
        _("unit type"), max_length=20, choices=UnitType.choices, blank=True, default=""
    )
    code = models.SlugField(_("code"), max_length=40, unique=True, allow_unicode=False)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    place = models.ForeignKey(
        "places.Place",
        verbose_name=_("place"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="organizations",
    )
    # Materialised path of ids ("/1/4/9/"); a subtree is `path__startswith`.
    path = models.CharField(max_length=255, editable=False, default="", db_index=True)
    depth = models.PositiveSmallIntegerField(editable=False, default=0)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    def display_name(self, language: str = "fa") -> str:
        return self.name_en if language == "en" and self.name_en else self.name

    def is_hq(self) -> bool:
        return self.kind in (self.Kind.NATIONAL_HQ, self.Kind.PROVINCE_HQ, self.Kind.COUNTY_HQ)

    def ancestor_ids(self) -> list[int]:
        return [int(part) for part in self.path.strip("/").split("/") if part]

    def is_within(self, other: Organization) -> bool:
        return self.path.startswith(other.path)


class Membership(models.Model):
    """A role of a user in an organisation; it reaches the whole subtree below it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    org = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    title = models.CharField(_("job title"), max_length=120, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "org", "role"], name="membership_unique_role")
        ]
        ordering = ["org__path", "role"]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.org}"
