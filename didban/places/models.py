from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from didban.lib.persian import normalize


class Place(models.Model):
    """A place of Iran's divisions: province → county → city/satellite town → district → village."""

    class Kind(models.TextChoices):
        PROVINCE = "province", _("Province")
        COUNTY = "county", _("County")
        CITY = "city", _("City")
        SATELLITE_TOWN = "satellite_town", _("Satellite town")
        DISTRICT = "district", _("District")
        VILLAGE = "village", _("Village")

    code = models.CharField(_("code"), max_length=40, unique=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name_fa = models.CharField(_("Persian name"), max_length=150)
    name_en = models.CharField(_("English name"), max_length=150, blank=True)
    # normalize(name_fa): what the picker searches, so «كرج» finds «کرج».
    name_norm = models.CharField(max_length=150, editable=False, db_index=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    # Materialised path of codes; a subtree is `path__startswith`.
    path = models.CharField(max_length=400, editable=False, default="", db_index=True)

    class Meta:
        verbose_name = _("place")
        verbose_name_plural = _("places")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name_fa

    def save(self, *args, **kwargs):
        self.name_norm = normalize(self.name_fa)
        self.path = (self.parent.path if self.parent else "/") + f"{self.code}/"
        super().save(*args, **kwargs)

    def display_name(self, language: str = "fa") -> str:
        return self.name_en if language == "en" and self.name_en else self.name_fa

    def full_name(self, language: str = "fa") -> str:
        """«کرج، البرز»: the place with its county and province, for pickers and lists."""
        names = [self.display_name(language)]
        node = self.parent
        while node is not None and len(names) < 3:
            names.append(node.display_name(language))
            node = node.parent
        return "، ".join(names) if language == "fa" else ", ".join(names)

    @property
    def has_coordinates(self) -> bool:
        return self.latitude is not None and self.longitude is not None
