from __future__ import annotations

from django import forms
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from didban.accounts.forms import PlaceChoiceField
from didban.core.fields import JalaliDateField
from didban.lib.persian import to_persian_digits
from didban.monitoring.models import AlertRule, Outlet, Source, TopicHit


class SourceForm(forms.Form):
    outlet_name = forms.CharField(label=_("Outlet"), max_length=200)
    outlet_kind = forms.ChoiceField(label=_("Outlet type"), choices=Outlet.Kind.choices)
    name = forms.CharField(label=_("Source name"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=Source.Kind.choices)
    url = forms.CharField(label=_("Address or path"), max_length=1000)
    poll_minutes = forms.IntegerField(label=_("Poll every (minutes)"), initial=15, min_value=1)


class SourceEditForm(forms.Form):
    outlet = forms.ModelChoiceField(label=_("Outlet"), queryset=None)
    name = forms.CharField(label=_("Source name"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=Source.Kind.choices)
    url = forms.CharField(
        label=_("Address or path"),
        max_length=1000,
        widget=forms.TextInput(attrs={"dir": "ltr"}),
        help_text=_(
            "Feed or index page: https://…; channel preview: https://t.me/s/name, "
            "https://eitaa.com/name or https://ble.ir/name; local: /path/on/the/server"
        ),
    )
    place = PlaceChoiceField(label=_("Place"), required=False)
    poll_minutes = forms.IntegerField(label=_("Poll every (minutes)"), min_value=1)
    silent_hours = forms.IntegerField(
        label=_("Silent too long after (hours)"),
        min_value=1,
        help_text=_("Flag the source when it brings no new article for this long."),
    )
    fetch_full_text = forms.BooleanField(
        label=_("Fetch article pages for full text"), required=False
    )
    is_active = forms.BooleanField(label=_("Active"), required=False)

    def __init__(self, *args, outlets=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outlet"].queryset = outlets


class TopicForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    rule = forms.CharField(
        label=_("Rule"),
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto", "spellcheck": "false"}),
        help_text=_(
            'AND, OR, NOT, parentheses, "exact phrase", prefix*, NEAR/5. '
            'Example: (مشارکت OR "حضور در انتخابات") AND کرج NOT فوتبال'
        ),
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)


class AlertRuleForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("On"), choices=AlertRule.Kind.choices)
    topic = forms.ModelChoiceField(label=_("Topic"), queryset=None, required=False)
    recipients = forms.ModelMultipleChoiceField(label=_("People"), queryset=None)
    mode = forms.ChoiceField(label=_("When"), choices=AlertRule.Mode.choices)
    by_app = forms.BooleanField(label=_("In the app"), required=False, initial=True)
    by_email = forms.BooleanField(label=_("By email"), required=False)
    messenger_channel_id = forms.IntegerField(
        label=_("Messenger channel (publishing channel number)"), required=False
    )
    messenger_chat = forms.CharField(label=_("Messenger chat id"), required=False, max_length=200)
    max_per_hour = forms.IntegerField(label=_("At most per hour"), initial=20, min_value=1)

    def __init__(self, *args, topics=None, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = topics
        self.fields["recipients"].queryset = people


class ArticleSearchForm(forms.Form):
    """The search page's (and the API's) filters. Source and topic are selects of what the
    user may see; an id from elsewhere typed into the address is accepted by the form and
    simply matches nothing, because the filter runs on the user's scoped articles."""

    q = forms.CharField(label=_("Search"), required=False, max_length=500)
    source = forms.IntegerField(label=_("Source"), required=False, min_value=1)
    outlet_kind = forms.ChoiceField(
        label=_("Outlet type"), choices=[("", _("All types")), *Outlet.Kind.choices], required=False
    )
    place = forms.IntegerField(label=_("Place"), required=False, min_value=1)
    topic = forms.IntegerField(label=_("Topic"), required=False, min_value=1)
    tone = forms.ChoiceField(
        label=_("Tone"), choices=[("", _("Any tone")), *TopicHit.Tone.choices], required=False
    )
    story = forms.IntegerField(label=_("Story"), required=False, min_value=1)
    since = JalaliDateField(label=_("From"), required=False)
    until = JalaliDateField(label=_("To"), required=False)
    order = forms.ChoiceField(
        label=_("Order"),
        choices=[("relevance", _("Relevance")), ("newest", _("Newest first"))],
        required=False,
    )
    all_dates = forms.BooleanField(label=_("Search all dates"), required=False)

    def __init__(self, *args, sources=None, topics=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].widget = forms.Select(
            choices=[("", _("All sources")), *((s.pk, s.name) for s in sources or ())]
        )
        self.fields["topic"].widget = forms.Select(
            choices=[("", _("All topics")), *((t.pk, t.name) for t in topics or ())]
        )
        self.fields["place"].widget = forms.HiddenInput()
        self.fields["story"].widget = forms.HiddenInput()

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", _("The end date is before the start date."))
        return data


class ReportHourForm(forms.Form):
    """The hour of the hourly digest: a Jalali day and an hour of Tehran time."""

    day = JalaliDateField(label=_("Day"), required=False)
    hour = forms.TypedChoiceField(label=_("Hour"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        persian = (translation.get_language() or "fa").startswith("fa")
        self.fields["hour"].choices = [("", "—")] + [
            (h, to_persian_digits(f"{h:02d}:00") if persian else f"{h:02d}:00") for h in range(24)
        ]

    def clean(self):
        data = super().clean()
        if (data.get("day") is None) != (data.get("hour") is None) and not self.errors:
            raise forms.ValidationError(_("Choose both the day and the hour."))
        return data
