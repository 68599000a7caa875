"""Form fields that read what Persian users type: Jalali dates, Persian or Arabic digits."""

from __future__ import annotations

from datetime import date

from django import forms
from django.core import validators
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from didban.lib import jalali


class JalaliDateField(forms.CharField):
    """A date typed as «۱۴۰۲/۱۲/۰۸» (or 2024-02-27 in English); cleaned to a Gregorian date."""

    default_error_messages = {
        "invalid": _("Enter a date such as 1402/12/08."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 40)
        super().__init__(**kwargs)
        # The length is checked on the typed text in to_python; the cleaned value is a date.
        self.validators = [
            v for v in self.validators if not isinstance(v, validators.MaxLengthValidator)
        ]
        self.widget.attrs.setdefault("placeholder", "۱۴۰۲/۱۲/۰۸")
        self.widget.attrs.setdefault("inputmode", "numeric")
        self.widget.attrs.setdefault("dir", "ltr")

    def to_python(self, value) -> date | None:
        text = super().to_python(value)
        if not text:
            return None
        if self.max_length is not None and len(text) > self.max_length:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        try:
            if not (translation.get_language() or "fa").startswith("fa"):
                try:
                    return date.fromisoformat(text.strip())
                except ValueError:
                    pass
            return jalali.parse_jalali_date(text)
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None

    def prepare_value(self, value):
        if isinstance(value, date):
            return jalali.format_jalali(value, "date", persian_digits=True)
        return value
