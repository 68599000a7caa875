from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from didban.accounts.forms import PlaceChoiceField
from didban.accounts.models import Organization
from didban.core.fields import JalaliDateField
from didban.field.models import Design, Placement, Site


class OrgChoiceForm(forms.Form):
    org = forms.ModelChoiceField(label=_("Organisation"), queryset=Organization.objects.none())

    def __init__(self, *args, orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        if orgs is not None:
            self.fields["org"].queryset = orgs
            if orgs.count() == 1:
                self.fields["org"].initial = orgs.first()


class DesignForm(OrgChoiceForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    theme = forms.CharField(label=_("Theme"), max_length=120, required=False)
    linked_occasion = forms.ModelChoiceField(
        label=_("Occasion"), queryset=None, required=False,
        help_text=_("From the newsroom's calendar of occasions."),
    )  # fmt: skip
    occasion = forms.CharField(
        label=_("Other occasion"), max_length=120, required=False,
        help_text=_("Only when the occasion is not in the calendar, e.g. «جشن ملی انتخابات»."),
    )  # fmt: skip
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False)  # fmt: skip
    upload = forms.FileField(
        label=_("Artwork file"), help_text=_("JPEG, PNG, WebP or PDF."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,application/pdf"}),
    )  # fmt: skip

    def __init__(self, *args, occasions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["linked_occasion"].queryset = occasions
        self.order_fields(["org", "title", "theme", "linked_occasion", "occasion"])


class DesignOccasionForm(forms.Form):
    linked_occasion = forms.ModelChoiceField(label=_("Occasion"), queryset=None, required=False)

    def __init__(self, *args, occasions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["linked_occasion"].queryset = occasions


class VersionForm(forms.Form):
    upload = forms.FileField(label=_("New file"), help_text=_("JPEG, PNG, WebP or PDF."))
    note = forms.CharField(label=_("What changed"), max_length=300, required=False)


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("reject", _("Reject"))])
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class SiteForm(OrgChoiceForm):
    code = forms.CharField(label=_("Code"), max_length=40, required=False)
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=Site.Kind.choices)
    place = PlaceChoiceField(label=_("Place"))
    latitude = forms.DecimalField(label=_("Latitude"), max_digits=9, decimal_places=6, min_value=-90, max_value=90, required=False)  # fmt: skip
    longitude = forms.DecimalField(label=_("Longitude"), max_digits=9, decimal_places=6, min_value=-180, max_value=180, required=False)  # fmt: skip
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    size = forms.CharField(
        label=_("Size"), max_length=60, required=False, help_text=_("e.g. 3×6 m")
    )
    owner_org = forms.ModelChoiceField(
        label=_("Owner (organisation)"), queryset=Organization.objects.none(), required=False
    )
    owner_text = forms.CharField(label=_("Owner (other)"), max_length=200, required=False)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)
    photo = forms.ImageField(label=_("Photo"), required=False)

    def __init__(self, *args, owners=None, **kwargs):
        super().__init__(*args, **kwargs)
        if owners is not None:
            self.fields["owner_org"].queryset = owners

    def clean(self):
        data = super().clean()
        if (data.get("latitude") is None) != (data.get("longitude") is None):
            raise forms.ValidationError(_("Give both latitude and longitude, or neither."))
        return data


class ImportForm(OrgChoiceForm):
    upload = forms.FileField(
        label=_("CSV or XLSX file"),
        help_text=_(
            "Columns: name, kind, place (Persian name or code); optional: code, latitude, "
            "longitude, address, size, owner, active. Persian headers work too."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )


class WindowForm(OrgChoiceForm):
    name = forms.CharField(label=_("Name"), max_length=120, help_text=_("e.g. «بهمن ۱۴۰۲»"))
    occasion = forms.CharField(label=_("Occasion"), max_length=120, required=False)
    starts_on = JalaliDateField(label=_("Starts on"))
    ends_on = JalaliDateField(label=_("Ends on"))
    target = forms.IntegerField(
        label=_("Target placements"), min_value=0, initial=0,
        help_text=_("0: every planned placement"),
    )  # fmt: skip
    recheck_days = forms.IntegerField(label=_("Re-check every (days)"), min_value=1, max_value=90, initial=7)  # fmt: skip


class PlacementForm(forms.Form):
    design = forms.ModelChoiceField(label=_("Design"), queryset=Design.objects.none())
    sites = forms.ModelMultipleChoiceField(
        label=_("Sites"),
        queryset=Site.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 10}),
    )

    def __init__(self, *args, designs=None, sites=None, **kwargs):
        super().__init__(*args, **kwargs)
        if designs is not None:
            self.fields["design"].queryset = designs
        if sites is not None:
            self.fields["sites"].queryset = sites


class CheckInForm(forms.Form):
    """The web form of a check-in (the offline app posts the same fields to the API)."""

    to_state = forms.ChoiceField(label=_("New state"), choices=Placement.State.choices)
    photo = forms.ImageField(label=_("Photo"), required=False)
    latitude = forms.DecimalField(max_digits=9, decimal_places=6, required=False)
    longitude = forms.DecimalField(max_digits=9, decimal_places=6, required=False)
    accuracy_m = forms.FloatField(required=False, min_value=0)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
