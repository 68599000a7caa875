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
    """A member count typed by hand: for one of the organisation's channels whose platform has
    no member-count API (Eitaa), or for a channel outside the publishing app (Rubika …)."""

    OTHER = "other"

    channel = forms.ChoiceField(label=_("Channel"))
    other_name = forms.CharField(
        label=_("Other channel's name"), max_length=200, required=False,
        help_text=_("Only for a channel not in the list."),
    )  # fmt: skip
    other_platform = forms.CharField(
        label=_("Other channel's platform"), max_length=20, required=False,
        help_text=_("For example Rubika or Instagram."),
    )  # fmt: skip
    members = forms.IntegerField(label=_("Members"), min_value=0, max_value=1_000_000_000)

    def __init__(self, *args, channels=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.channels = {str(c.pk): c for c in channels}
        self.fields["channel"].choices = [
            (pk, f"{c.name} ({c.get_kind_display()})") for pk, c in self.channels.items()
        ] + [(self.OTHER, _("Another channel (type its name)"))]

    def clean(self):
        from didban.command.queries import manual_channel_id
        from didban.lib.persian import fix_display

        data = super().clean()
        choice = data.get("channel")
        if choice == self.OTHER:
            name = fix_display(data.get("other_name", ""))
            if not name:
                self.add_error("other_name", _("Type the channel's name."))
                return data
            kind = data.get("other_platform", "").strip().lower()
            data["resolved"] = (manual_channel_id(name, kind), name, kind)
        elif choice in self.channels:
            channel = self.channels[choice]
            data["resolved"] = (channel.pk, channel.name, channel.kind)
        return data


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
            from didban.command.rollup import floor

            end = floor(now, 60)
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
