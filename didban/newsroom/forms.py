from __future__ import annotations

from django import forms
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from didban.core.fields import JalaliDateField
from didban.lib import jalali
from didban.newsroom.models import Event, Item


class JalaliDateTimeField(forms.CharField):
    """A time typed as «۱۴۰۲/۱۲/۰۸ ۱۰:۳۰» (or 2024-02-27 10:30 in English)."""

    default_error_messages = {"invalid": _("Enter a date and time such as 1402/12/08 10:30.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 40)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("placeholder", "۱۴۰۲/۱۲/۰۸ ۱۰:۳۰")
        self.widget.attrs.setdefault("dir", "ltr")

    def to_python(self, value):
        text = super().to_python(value)
        if not text:
            return None
        try:
            if not (translation.get_language() or "fa").startswith("fa"):
                from datetime import datetime

                from django.utils import timezone

                try:
                    return timezone.make_aware(datetime.fromisoformat(text.strip()))
                except ValueError:
                    pass
            return jalali.parse_jalali(text)
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None

    def prepare_value(self, value):
        from datetime import datetime

        if isinstance(value, datetime):
            return jalali.format_jalali(value, "datetime", persian_digits=True)
        return value


class ItemForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Item.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=300)
    lead = forms.CharField(
        label=_("Lead"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    body = forms.CharField(
        label=_("Body"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 12, "class": "rich-body"}),
        help_text=_(
            "Paragraphs, bold, italic, lists and links are kept; anything else is removed."
        ),
    )
    tags = forms.CharField(label=_("Tags"), required=False, help_text=_("Separated by commas."))
    occasion = forms.ModelChoiceField(label=_("Occasion"), queryset=None, required=False)
    event = forms.ModelChoiceField(label=_("Event"), queryset=None, required=False)
    unit = forms.ModelChoiceField(label=_("Producing unit"), queryset=None, required=False)
    assignee = forms.ModelChoiceField(label=_("Assignee"), queryset=None, required=False)
    due_at = JalaliDateTimeField(label=_("Due"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, occasions, events, units, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["occasion"].queryset = occasions
        self.fields["event"].queryset = events
        self.fields["unit"].queryset = units
        self.fields["assignee"].queryset = people

    def clean_tags(self):
        return [
            t.strip() for t in self.cleaned_data["tags"].replace("،", ",").split(",") if t.strip()
        ]


class ItemCreateForm(ItemForm):
    org = forms.ModelChoiceField(label=_("Organisation"), queryset=None)
    template = forms.ModelChoiceField(label=_("Start from template"), queryset=None, required=False)
    title = forms.CharField(label=_("Title"), max_length=300, required=False)
    field_order = ["org", "template", "kind", "title"]

    def __init__(self, *args, orgs, templates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs
        self.fields["template"].queryset = templates


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class ScheduleForm(forms.Form):
    at = JalaliDateTimeField(label=_("Publish at"))


class CommentForm(forms.Form):
    body = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}))


class UploadForm(forms.Form):
    file = forms.FileField(label=_("File"))
    caption = forms.CharField(label=_("Caption"), max_length=500, required=False)


class OccasionForm(forms.Form):
    org = forms.ModelChoiceField(label=_("Organisation"), queryset=None)
    name = forms.CharField(label=_("Name"), max_length=200)
    starts_on = JalaliDateField(label=_("Starts on"))
    ends_on = JalaliDateField(label=_("Ends on"))
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, orgs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs


class EventForm(forms.Form):
    org = forms.ModelChoiceField(label=_("Organisation"), queryset=None)
    kind = forms.ChoiceField(label=_("Kind"), choices=Event.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=300)
    starts_at = JalaliDateTimeField(label=_("Starts at"))
    ends_at = JalaliDateTimeField(label=_("Ends at"), required=False)
    venue = forms.CharField(label=_("Venue"), max_length=300, required=False)
    occasion = forms.ModelChoiceField(label=_("Occasion"), queryset=None, required=False)
    expected_attendance = forms.IntegerField(
        label=_("Expected attendance"), min_value=0, required=False
    )
    actual_attendance = forms.IntegerField(
        label=_("Actual attendance"), min_value=0, required=False
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, orgs, occasions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs
        self.fields["occasion"].queryset = occasions


class CoverageForm(forms.Form):
    person = forms.ModelChoiceField(label=_("Person"), queryset=None)
    deliverable = forms.ChoiceField(label=_("Deliverable"), choices=Item.Kind.choices)
    deadline = JalaliDateTimeField(label=_("Deadline"))
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people


class TemplateForm(forms.Form):
    org = forms.ModelChoiceField(label=_("Organisation"), queryset=None)
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=Item.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=300, required=False)
    lead = forms.CharField(
        label=_("Lead"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    body = forms.CharField(
        label=_("Body"), required=False, widget=forms.Textarea(attrs={"rows": 8})
    )
    shared_with_province = forms.BooleanField(
        label=_("Share with the province and its other counties"), required=False
    )

    def __init__(self, *args, orgs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs
