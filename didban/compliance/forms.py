from __future__ import annotations

import uuid
from datetime import datetime

from django import forms
from django.utils import timezone, translation
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from didban.accounts.forms import PlaceChoiceField
from didban.compliance.models import (
    CampaignPeriod,
    Candidate,
    CandidateList,
    RuleCategory,
    Violation,
)
from didban.core.fields import JalaliDateField
from didban.lib import jalali
from didban.lib.persian import to_ascii_digits


def _jalali_example() -> str:
    """Today at 20:00 as the user would type it: Persian digits in fa, Latin in en."""
    day = timezone.localdate()
    moment = datetime(day.year, day.month, day.day, 20, 0, tzinfo=timezone.get_current_timezone())
    persian = (translation.get_language() or "fa").startswith("fa")
    return jalali.format_jalali(moment, "datetime", persian_digits=persian)


jalali_example = lazy(_jalali_example, str)


class JalaliDateTimeField(forms.CharField):
    """A moment typed as «۱۴۰۲/۱۲/۰۹ ۲۰:۰۰» (Tehran time); cleaned to an aware datetime."""

    default_error_messages = {"invalid": _("Enter a date and time such as 1402/12/09 20:00.")}

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("maxlength", "40")
        self.widget.attrs.setdefault("placeholder", jalali_example())
        self.widget.attrs.setdefault("dir", "ltr")

    def to_python(self, value) -> datetime | None:
        text = super().to_python(value)
        if not text:
            return None
        if len(text) > 40:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        try:
            return jalali.parse_jalali(text)
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None

    def prepare_value(self, value):
        if isinstance(value, datetime):
            return jalali.format_jalali(value, "datetime", persian_digits=True)
        return value


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Up to a few photos; they are checked and re-encoded by compliance.uploads."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"})
        )
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [super(PhotosField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


CATEGORY_CHOICES = [("", _("— not sure —")), *RuleCategory.choices]


class CitizenReportForm(forms.Form):
    election = forms.ModelChoiceField(label=_("Election"), queryset=None, empty_label=None)
    description = forms.CharField(
        label=_("What did you see?"), max_length=3000, widget=forms.Textarea(attrs={"rows": 4})
    )
    rule_category = forms.ChoiceField(label=_("Kind of violation"), choices=CATEGORY_CHOICES,
                                      required=False)  # fmt: skip
    candidate = forms.ModelChoiceField(
        label=_("Candidate (if known)"), queryset=Candidate.objects.none(), required=False
    )
    address = forms.CharField(label=_("Where? (address)"), max_length=300, required=False)
    observed_at = JalaliDateTimeField(
        label=_("When?"), required=False, help_text=_("Leave empty for now.")
    )
    photos = PhotosField(label=_("Photos"))
    citizen_name = forms.CharField(label=_("Your name (optional)"), max_length=120, required=False)
    citizen_phone = forms.RegexField(
        label=_("Your phone (optional)"), regex=r"^[0-9۰-۹+ ]{7,20}$", required=False,
        help_text=_("Only the supervisors of the headquarters see your name and phone."),
        error_messages={"invalid": _("Enter a phone number such as 09121234567.")},
    )  # fmt: skip
    captcha = forms.CharField(label=_("Security question"), max_length=10)

    def __init__(self, *args, elections=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["election"].queryset = elections
        self.fields["candidate"].queryset = Candidate.objects.filter(
            election__in=elections
        ).order_by("name")
        self.fields["captcha"].widget.attrs.update(
            {"inputmode": "numeric", "autocomplete": "off", "dir": "ltr"}
        )

    def clean_captcha(self):
        return to_ascii_digits(self.cleaned_data["captcha"]).strip()

    def clean(self):
        data = super().clean()
        candidate, election = data.get("candidate"), data.get("election")
        if candidate and election and candidate.election_id != election.pk:
            self.add_error("candidate", _("This candidate does not run in this election."))
        return data


class FieldReportForm(forms.Form):
    client_uuid = forms.UUIDField(widget=forms.HiddenInput)
    election = forms.ModelChoiceField(label=_("Election"), queryset=None, empty_label=None)
    description = forms.CharField(
        label=_("Description"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    rule_category = forms.ChoiceField(label=_("Category"), choices=CATEGORY_CHOICES,
                                      required=False)  # fmt: skip
    candidate = forms.ModelChoiceField(
        label=_("Candidate"), queryset=Candidate.objects.none(), required=False
    )
    place = PlaceChoiceField(label=_("Place"), required=False)
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    observed_at = JalaliDateTimeField(label=_("Observed at"), required=False,
                                      help_text=_("Leave empty for now."))  # fmt: skip
    latitude = forms.DecimalField(max_digits=9, decimal_places=6, min_value=-90, max_value=90,
                                  required=False, widget=forms.HiddenInput)  # fmt: skip
    longitude = forms.DecimalField(max_digits=9, decimal_places=6, min_value=-180,
                                   max_value=180, required=False, widget=forms.HiddenInput)  # fmt: skip
    accuracy_m = forms.IntegerField(min_value=0, max_value=100000, required=False,
                                    widget=forms.HiddenInput)  # fmt: skip
    photos = PhotosField(label=_("Photos"))

    def __init__(self, *args, elections=None, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("client_uuid", uuid.uuid4())
        super().__init__(*args, **kwargs)
        self.fields["election"].queryset = elections
        self.fields["candidate"].queryset = Candidate.objects.filter(
            election__in=elections
        ).order_by("name")


class ElectionForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    slug = forms.SlugField(label=_("Code"), max_length=60,
                           help_text=_("Latin letters, digits and dashes; used in the public address."))  # fmt: skip
    constituency = forms.CharField(label=_("Constituency"), max_length=200, required=False)
    election_day = JalaliDateField(label=_("Election day"))
    is_public = forms.BooleanField(label=_("Publish the rules"), required=False, initial=True)
    org = forms.ModelChoiceField(label=_("Organisation"), queryset=None)

    def __init__(self, *args, orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs


class PeriodForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=CampaignPeriod.Kind.choices)
    name = forms.CharField(label=_("Name"), max_length=200)
    starts_at = JalaliDateTimeField(label=_("Starts at"))
    ends_at = JalaliDateTimeField(label=_("Ends at"))


class RuleForm(forms.Form):
    article = forms.CharField(label=_("Article"), max_length=40)
    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 3}))
    category = forms.ChoiceField(label=_("Category"), choices=RuleCategory.choices)
    order = forms.IntegerField(label=_("Order"), min_value=0, initial=0)


class CandidateForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    code = forms.CharField(label=_("Ballot code"), max_length=20, required=False)
    candidate_list = forms.ModelChoiceField(
        label=_("List"), queryset=CandidateList.objects.none(), required=False
    )
    photo = forms.FileField(label=_("Photo"), required=False)

    def __init__(self, *args, election=None, **kwargs):
        super().__init__(*args, **kwargs)
        if election is not None:
            self.fields["candidate_list"].queryset = election.lists.all()


class CandidateListForm(forms.Form):
    name = forms.CharField(label=_("List or party"), max_length=200)


class TransitionForm(forms.Form):
    action = forms.ChoiceField(
        choices=[(a, a) for a in ("categorise", "verify", "refer", "resolve", "dismiss")]
    )
    category = forms.ChoiceField(label=_("Category"), choices=CATEGORY_CHOICES, required=False)
    board = forms.ChoiceField(
        label=_("Board"), choices=[("", "—"), *Violation.Board.choices], required=False
    )
    deadline = JalaliDateTimeField(label=_("Deadline"), required=False)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}),
                             required=False, max_length=2000)  # fmt: skip
    duplicate_of = forms.IntegerField(label=_("Duplicate of report #"), required=False, min_value=1)
