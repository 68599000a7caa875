from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.contrib.auth.views import LoginView
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from didban.accounts import actions
from didban.accounts.forms import (
    MembershipForm,
    OrganizationForm,
    TokenForm,
    UserCreateForm,
    UserEditForm,
    apply_errors,
)
from didban.accounts.models import User
from didban.accounts.queries import (
    access_membership,
    access_organization,
    access_user,
    list_memberships,
    list_organizations,
    list_users,
)
from didban.api.actions import do_issue_api_token, do_revoke_api_token
from didban.api.queries import access_api_token, list_api_tokens
from didban.core.access import has_any, has_perm
from didban.core.middleware import ACTING_SESSION_KEY
from didban.core.throttle import throttle


def _safe_next(request: HttpRequest, default: str = "/") -> str:
    target = request.POST.get("next") or request.GET.get("next") or default
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


class DidbanLoginView(LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        if throttle(request, "login", limit=30, window=60):
            return render(
                request,
                "accounts/login.html",
                {"form": self.get_form(), "throttled": True},
                status=429,
            )
        return super().post(request, *args, **kwargs)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("login")


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Saved on the profile when logged in; a cookie before login."""
    from django.conf import settings
    from django.utils import translation

    language = request.POST.get("language", "")
    response = HttpResponseRedirect(_safe_next(request))
    if language not in dict(settings.LANGUAGES):
        messages.error(request, _("Unknown language."))
        return response
    if request.user.is_authenticated:
        actions.do_set_language(actor=request.user, language=language)
    translation.activate(language)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=365 * 24 * 3600,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


@login_required
@require_POST
def switch_membership(request: HttpRequest) -> HttpResponse:
    try:
        membership_id = int(request.POST.get("membership", ""))
    except ValueError:
        membership_id = 0
    if request.user.memberships.filter(pk=membership_id, is_active=True).exists():
        request.session[ACTING_SESSION_KEY] = membership_id
    return redirect(_safe_next(request))


# Organisations


@login_required
def organization_list(request: HttpRequest) -> HttpResponse:
    search = request.GET.get("q", "").strip()
    orgs = list_organizations(request.user, search=search)
    kind = request.GET.get("kind", "")
    if kind:
        orgs = orgs.filter(kind=kind)
    page = Paginator(orgs, 100).get_page(request.GET.get("page"))
    can_create = has_any(request.user, "org.manage")
    return render(
        request,
        "accounts/organization_list.html",
        {"page": page, "search": search, "kind": kind, "can_create": can_create},
    )


@login_required
def organization_detail(request: HttpRequest, org_id: int) -> HttpResponse:
    org = access_organization(request.user, org_id)
    children = list_organizations(request.user).filter(parent=org).order_by("kind", "name")
    can_people = has_perm(request.user, "users.view", org)
    members = (
        list_memberships(request.user)
        .filter(org=org, is_active=True)
        .order_by("role", "user__last_name")
        if can_people
        else None
    )
    return render(
        request,
        "accounts/organization_detail.html",
        {
            "org": org,
            "children": children,
            "members": members,
            "can_manage": has_perm(request.user, "org.manage", org),
            "ancestors": list_organizations(request.user)
            .filter(pk__in=org.ancestor_ids()[:-1])
            .order_by("depth"),
        },
    )


@login_required
def organization_create(request: HttpRequest) -> HttpResponse:
    parents = list_organizations(request.user, permission="org.manage")
    if not parents.exists() and not request.user.is_superuser:
        raise PermissionDenied
    initial = {}
    if request.GET.get("parent", "").isdigit():
        initial["parent"] = int(request.GET["parent"])
    form = OrganizationForm(request.POST or None, parents=parents, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            org = actions.do_create_organization(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Organisation created."))
            return redirect("accounts:organization_detail", org.pk)
    return render(request, "accounts/organization_form.html", {"form": form, "org": None})


@login_required
def organization_edit(request: HttpRequest, org_id: int) -> HttpResponse:
    org = access_organization(request.user, org_id, permission="org.manage")
    parents = list_organizations(request.user, permission="org.manage").exclude(
        path__startswith=org.path
    )
    if org.parent_id:
        parents = parents | list_organizations(request.user).filter(pk=org.parent_id)
    initial = {
        f: getattr(org, f)
        for f in ("name", "name_en", "kind", "unit_type", "code", "parent", "place")
    }
    form = OrganizationForm(request.POST or None, parents=parents.distinct(), initial=initial)
    if request.method == "POST" and form.is_valid():
        changes = {k: v for k, v in form.cleaned_data.items() if v != initial.get(k)}
        try:
            if changes:
                actions.do_update_organization(actor=request.user, org=org, **changes)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("accounts:organization_detail", org.pk)
    return render(request, "accounts/organization_form.html", {"form": form, "org": org})


# People


@login_required
def user_list(request: HttpRequest) -> HttpResponse:
    if not has_any(request.user, "users.view"):
        raise PermissionDenied
    search = request.GET.get("q", "").strip()
    users = list_users(request.user, search=search).prefetch_related("memberships__org")
    page = Paginator(users, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/user_list.html",
        {"page": page, "search": search, "can_create": has_any(request.user, "users.manage")},
    )


@login_required
def user_detail(request: HttpRequest, user_id: int) -> HttpResponse:
    person = access_user(request.user, user_id)
    memberships = person.memberships.select_related("org").order_by("-is_active", "org__path")
    visible = [m for m in memberships if has_perm(request.user, "users.view", m.org)]
    return render(
        request,
        "accounts/user_detail.html",
        {
            "person": person,
            "memberships": visible,
            "can_manage": any(has_perm(request.user, "users.manage", m.org) for m in visible),
        },
    )


@login_required
def user_create(request: HttpRequest) -> HttpResponse:
    orgs = list_organizations(request.user, permission="users.manage")
    if not orgs.exists():
        raise PermissionDenied
    form = UserCreateForm(request.POST or None, orgs=orgs, initial={"language": "fa"})
    if request.method == "POST" and form.is_valid():
        try:
            person = actions.do_create_user(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Person added."))
            return redirect("accounts:user_detail", person.pk)
    return render(request, "accounts/user_form.html", {"form": form, "person": None})


@login_required
def user_edit(request: HttpRequest, user_id: int) -> HttpResponse:
    person = access_user(request.user, user_id, permission="users.manage")
    fields = ("first_name", "last_name", "email", "phone", "language", "is_active")
    initial = {f: getattr(person, f) for f in fields}
    form = UserEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        changes = {k: v for k, v in form.cleaned_data.items() if v != initial.get(k)}
        try:
            if changes:
                actions.do_update_user(actor=request.user, target=person, **changes)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("accounts:user_detail", person.pk)
    return render(request, "accounts/user_form.html", {"form": form, "person": person})


@login_required
def membership_add(request: HttpRequest, user_id: int) -> HttpResponse:
    person = access_user(request.user, user_id)
    orgs = list_organizations(request.user, permission="users.manage")
    if not orgs.exists():
        raise PermissionDenied
    form = MembershipForm(request.POST or None, orgs=orgs)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_add_membership(actor=request.user, user=person, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Role added."))
            return redirect("accounts:user_detail", person.pk)
    return render(request, "accounts/membership_form.html", {"form": form, "person": person})


@login_required
@require_POST
def membership_end(request: HttpRequest, membership_id: int) -> HttpResponse:
    membership = access_membership(request.user, membership_id)
    try:
        actions.do_end_membership(actor=request.user, membership=membership)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Role removed."))
    return redirect("accounts:user_detail", membership.user_id)


# The user's own settings


@login_required
def my_tokens(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, new_key = do_issue_api_token(actor=request.user, name=form.cleaned_data["name"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            form = TokenForm()
    return render(
        request,
        "accounts/my_tokens.html",
        {"form": form, "tokens": list_api_tokens(request.user), "new_key": new_key},
    )


@login_required
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    do_revoke_api_token(actor=request.user, token=access_api_token(request.user, token_id))
    messages.success(request, _("Token revoked."))
    return redirect("accounts:my_tokens")


@login_required
def password_change(request: HttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_set_password(
                actor=request.user, target=request.user, password=form.cleaned_data["new_password1"]
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            update_session_auth_hash(request, request.user)
            messages.success(request, _("Your password was changed."))
            return redirect("home")
    return render(request, "accounts/password_change.html", {"form": form})


__all__ = ["User"]
