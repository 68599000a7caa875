from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from didban.command import queries
from didban.command.models import ReportSchedule
from didban.command.targets import measure_choices
from didban.core.fields import JalaliDateField


class TargetForm(forms.Form):
    metric = forms.ChoiceField(label=_("Measure"), choices=measure_choices)
    value = forms.IntegerField(label=_("Target"), min_value=1, max_value=10_000_000)
    starts_on = JalaliDateField(label=_("From"))
    ends_on = JalaliDateField(label=_("To"))
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class AudienceForm(forms.Form):
    channel_id = forms.IntegerField(label=_("Channel number"), min_value=1)
    channel_name = forms.CharField(label=_("Channel name"), max_length=200)
    channel_kind = forms.CharField(label=_("Platform"), max_length=20, required=False)
    members = forms.IntegerField(label=_("Members"), min_value=0, max_value=1_000_000_000)


class ReportForm(forms.Form):
    period = forms.ChoiceField(label=_("Period"), choices=ReportSchedule.Period.choices)
    day = JalaliDateField(label=_("Day (the period ending on it)"), required=False)
    emails = forms.CharField(
        label=_("Email to"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self):
        from datetime import timedelta

        from django.utils import timezone

        data = super().clean()
        period = data.get("period")
        if not period:
            return data
        now = timezone.now()
        day = data.get("day")
        if period == "hourly":
            end = now.replace(minute=0, second=0, microsecond=0)
            data["start"], data["end"] = end - timedelta(hours=1), end
        elif period == "daily":
            start = queries.date_start(day) if day else queries.day_start(now)
            data["start"], data["end"] = start, start + timedelta(days=1)
        elif period == "weekly":
            end = (
                queries.date_start(day + timedelta(days=1))
                if day
                else queries.day_start(now) + timedelta(days=1)
            )
            data["start"], data["end"] = end - timedelta(days=7), end
        else:
            raise ValidationError(_("Choose hourly, daily or weekly."))
        return data


class ScheduleForm(forms.Form):
    """Who receives the organisation's periodic report; chats are the organisation's own
    Telegram and Bale channels (and those above and below it)."""

    period = forms.ChoiceField(label=_("Period"), choices=ReportSchedule.Period.choices)
    emails = forms.CharField(
        label=_("Email recipients"), required=False, max_length=4000,
        help_text=_("One address a line, or separated by commas."),
        widget=forms.Textarea(attrs={"rows": 3, "dir": "ltr"}),
    )  # fmt: skip
    channel_id = forms.TypedChoiceField(
        label=_("Messenger channel"), required=False, coerce=int, empty_value=None
    )
    enabled = forms.BooleanField(label=_("Enabled"), required=False, initial=True)

    def __init__(self, *args, chats=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["channel_id"].choices = [("", _("— none —"))] + [
            (c.pk, f"{c.name} ({c.get_kind_display()})") for c in chats
        ]
