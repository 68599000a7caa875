from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from didban.core.fields import JalaliDateField


class AuditFilterForm(forms.Form):
    org = forms.TypedChoiceField(
        label=_("Organisation"), required=False, coerce=int, empty_value=None
    )
    actor = forms.CharField(label=_("Actor"), required=False, max_length=100)
    verb = forms.CharField(label=_("Action"), required=False, max_length=80)
    since = JalaliDateField(label=_("From"), required=False)
    until = JalaliDateField(label=_("To"), required=False)

    def __init__(self, *args, orgs=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].choices = [("", _("All"))] + [(o.pk, o.name) for o in orgs]
