from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from didban.accounts.models import Organization, User
from didban.core.roles import Role
from didban.places.models import Place


class PlaceChoiceField(forms.ModelChoiceField):
    """A place chosen with the picker (the id of a place); validated against the places table."""

    def __init__(self, **kwargs):
        super().__init__(queryset=Place.objects.all(), widget=forms.HiddenInput, **kwargs)


class OrganizationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    name_en = forms.CharField(label=_("English name"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=Organization.Kind.choices)
    unit_type = forms.ChoiceField(
        label=_("Unit type"), choices=Organization.UnitType.choices, required=False
    )
    code = forms.SlugField(
        label=_("Code"), max_length=40, help_text=_("Latin letters, digits and dashes; unique.")
    )
    parent = forms.ModelChoiceField(
        label=_("Parent"), queryset=Organization.objects.none(), required=False
    )
    place = PlaceChoiceField(label=_("Place"), required=False)

    def __init__(self, *args, parents=None, **kwargs):
        super().__init__(*args, **kwargs)
        if parents is not None:
            self.fields["parent"].queryset = parents


class UserCreateForm(forms.Form):
    username = forms.RegexField(
        label=_("Username"),
        max_length=150,
        regex=r"^[\w.@+-]+\Z",
        error_messages={"invalid": _("Use letters, digits and . @ + - _ only.")},
    )
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    email = forms.EmailField(label=_("Email"), required=False)
    phone = forms.RegexField(
        label=_("Mobile phone"), regex=r"^[0-9۰-۹+ ]{7,20}$", required=False,
        error_messages={"invalid": _("Enter a phone number such as 09121234567.")},
    )  # fmt: skip
    language = forms.ChoiceField(label=_("Language"), choices=User.Language.choices)
    org = forms.ModelChoiceField(label=_("Organisation"), queryset=Organization.objects.none())
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    title = forms.CharField(label=_("Job title"), max_length=120, required=False)
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput, strip=False)

    def __init__(self, *args, orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        if orgs is not None:
            self.fields["org"].queryset = orgs


class UserEditForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    email = forms.EmailField(label=_("Email"), required=False)
    phone = UserCreateForm.base_fields["phone"]
    language = forms.ChoiceField(label=_("Language"), choices=User.Language.choices)
    is_active = forms.BooleanField(label=_("Active (may log in)"), required=False)


class MembershipForm(forms.Form):
    org = forms.ModelChoiceField(label=_("Organisation"), queryset=Organization.objects.none())
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    title = forms.CharField(label=_("Job title"), max_length=120, required=False)

    def __init__(self, *args, orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        if orgs is not None:
            self.fields["org"].queryset = orgs


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"), max_length=100, help_text=_("For example: field tablet 3")
    )


def apply_errors(form: forms.Form, exc) -> None:
    """Put an action's ValidationError on the form, field by field where it names fields."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)
