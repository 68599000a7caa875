from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from didban.accounts.models import Organization
from didban.publishing.models import Channel


class ChannelForm(forms.Form):
    org = forms.ModelChoiceField(label=_("Organisation"), queryset=Organization.objects.none())
    kind = forms.ChoiceField(label=_("Kind"), choices=Channel.Kind.choices)
    name = forms.CharField(label=_("Name"), max_length=200)
    target = forms.CharField(
        label=_("Target"), max_length=1000, required=False,
        help_text=_("Chat id or @channel, the email addresses (comma separated) or the webhook URL."),
    )  # fmt: skip
    base_url = forms.URLField(
        label=_("API base URL"), required=False, assume_scheme="https",
        help_text=_("Empty: https://api.telegram.org for Telegram, https://tapi.bale.ai for Bale, https://eitaayar.ir for Eitaa."),
    )  # fmt: skip
    secret = forms.CharField(
        label=_("Secret"), required=False, strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_("Bot token, SMTP password or webhook signing key. It is stored encrypted and never shown again."),
    )  # fmt: skip
    smtp_host = forms.CharField(label=_("SMTP server"), max_length=200, required=False)
    smtp_port = forms.IntegerField(
        label=_("SMTP port"), required=False, min_value=1, max_value=65535
    )
    smtp_user = forms.CharField(label=_("SMTP user"), max_length=200, required=False)
    smtp_tls = forms.BooleanField(label=_("SMTP over TLS"), required=False)
    from_email = forms.EmailField(label=_("From address"), required=False)
    rate_per_minute = forms.IntegerField(
        label=_("Posts per minute"), min_value=0, max_value=600, initial=20,
        help_text=_("0: no limit."),
    )  # fmt: skip
    enabled = forms.BooleanField(label=_("Enabled"), required=False, initial=True)
    covers_suborgs = forms.BooleanField(
        label=_("Also items of organisations below"), required=False, initial=True
    )

    CONFIG_FIELDS = ("smtp_host", "smtp_port", "smtp_user", "smtp_tls", "from_email")

    def __init__(self, *args, orgs=None, channel: Channel | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if orgs is not None:
            self.fields["org"].queryset = orgs
        self.channel = channel
        if channel is not None and channel.has_secret:
            self.fields["secret"].label = _("Replace the secret")
            self.fields["secret"].help_text = _(
                "A secret is set. Leave empty to keep it; type a new one to replace it."
            )

    @classmethod
    def initial_for(cls, channel: Channel) -> dict:
        config = channel.config or {}
        return {
            "org": channel.org_id, "kind": channel.kind, "name": channel.name,
            "target": channel.target, "base_url": channel.base_url,
            "rate_per_minute": channel.rate_per_minute, "enabled": channel.enabled,
            "covers_suborgs": channel.covers_suborgs,
            **{name: config.get(name, "") for name in cls.CONFIG_FIELDS},
        }  # fmt: skip

    def action_kwargs(self) -> dict:
        data = self.cleaned_data
        config = {
            name: data[name] for name in self.CONFIG_FIELDS if data.get(name) not in (None, "")
        }
        return {
            "org": data["org"], "kind": data["kind"], "name": data["name"],
            "target": data["target"], "base_url": data["base_url"], "config": config,
            "rate_per_minute": data["rate_per_minute"], "enabled": data["enabled"],
            "covers_suborgs": data["covers_suborgs"], "secret": data["secret"] or None,
        }  # fmt: skip


class ReconcileForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[
            ("sent", _("It is on the channel: mark sent")),
            ("failed", _("It is not there: mark failed")),
            ("resend", _("It is not there: send again")),
        ],
    )
    message_id = forms.CharField(label=_("Message id"), max_length=200, required=False)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
