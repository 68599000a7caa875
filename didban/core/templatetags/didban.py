"""The one place where dates and numbers are made readable: Jalali and Persian digits in fa,
Gregorian and Latin digits in en. Templates use these filters, never raw dates."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django import template
from django.conf import settings
from django.utils import timezone, translation

from didban.lib import jalali
from didban.lib.persian import to_persian_digits

register = template.Library()


def _is_fa() -> bool:
    return (translation.get_language() or settings.LANGUAGE_CODE).startswith("fa")


def format_when(value, fmt: str = "datetime") -> str:
    if value in (None, ""):
        return ""
    if isinstance(value, datetime) and timezone.is_naive(value):
        value = timezone.make_aware(value, timezone.get_default_timezone())
    if _is_fa():
        return jalali.format_jalali(value, fmt, persian_digits=True, tz=settings.TIME_ZONE)
    return jalali.format_gregorian(value, fmt, tz=settings.TIME_ZONE)


@register.filter
def jdate(value: date | datetime | None) -> str:
    """«۱۴۰۲/۱۲/۰۸» in fa; "2024-02-27" in en."""
    return format_when(value, "date")


@register.filter
def jdatetime(value: datetime | None) -> str:
    return format_when(value, "datetime")


@register.filter
def jlong(value: datetime | None) -> str:
    """«سه‌شنبه ۸ اسفند ۱۴۰۲ ساعت ۰۰:۲۵»."""
    return format_when(value, "long")


@register.filter
def jtime(value: datetime | None) -> str:
    return format_when(value, "time")


@register.filter
def jmonth(value: date | datetime | None) -> str:
    return format_when(value, "month")


@register.filter
def since(value: datetime | None) -> str:
    """«۵ دقیقه پیش» / "5 minutes ago"."""
    if value in (None, ""):
        return ""
    if isinstance(value, datetime) and timezone.is_naive(value):
        value = timezone.make_aware(value, timezone.get_default_timezone())
    return jalali.format_relative(value, timezone.now(), lang="fa" if _is_fa() else "en")


@register.filter
def digits(value, group: bool = False) -> str:
    """Persian digits in fa (with «٬» grouping when `group`), as-is in en."""
    if value is None:
        return ""
    if _is_fa():
        return to_persian_digits(value, group=bool(group))
    if group and isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


@register.filter
def num(value) -> str:
    """A count for people: grouped thousands, Persian digits in fa."""
    return digits(value, True)


@register.simple_tag(takes_context=True)
def localized(context, obj, attr: str = "display_name") -> str:
    """`obj.display_name(language)` for the active language."""
    return getattr(obj, attr)("fa" if _is_fa() else "en")


@register.filter
def css(field, classes: str):
    """Render a bound field's widget with Bootstrap classes (and the invalid state)."""
    if field.errors:
        classes += " is-invalid"
    existing = field.field.widget.attrs.get("class", "")
    return field.as_widget(attrs={"class": f"{existing} {classes}".strip()})


@register.filter
def place_label(place_id) -> str:
    """The full name of a place chosen in a picker (its id is what the form holds)."""
    from didban.places.models import Place

    if not place_id:
        return ""
    if isinstance(place_id, Place):
        place = place_id
    else:
        try:
            place = Place.objects.select_related("parent__parent").get(pk=int(place_id))
        except (Place.DoesNotExist, TypeError, ValueError):
            return ""
    return place.full_name("fa" if _is_fa() else "en")
