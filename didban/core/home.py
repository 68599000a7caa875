"""The home page: what the acting role needs first. Later capabilities add their panels here."""

from __future__ import annotations

from django.db.models import Count

from didban.accounts.models import Organization
from didban.accounts.queries import list_organizations, list_users
from didban.core.access import has_any, has_perm
from didban.core.hooks import app_modules
from didban.core.queries import list_audit_entries, worker_status
from didban.core.roles import Role


def home_context(request) -> dict:
    user = request.user
    membership = request.membership
    context: dict = {"membership": membership, "panels": []}
    if membership is None and not user.is_superuser:
        return context
    org = membership.org if membership else None
    role = membership.role if membership else Role.ADMIN
    context["role"] = role
    if org is not None:
        below = list_organizations(user).filter(path__startswith=org.path).exclude(pk=org.pk)
        counts = dict(below.values_list("kind").annotate(n=Count("id")).values_list("kind", "n"))
        context["subtree_counts"] = [
            {"label": label, "count": counts.get(kind, 0)}
            for kind, label in Organization.Kind.choices
            if counts.get(kind)
        ]
        context["children"] = below.filter(parent=org).order_by("kind", "name")[:30]
    if has_any(user, "users.view") and org is not None and has_perm(user, "users.view", org):
        context["people_count"] = list_users(user).count()
    if has_any(user, "audit.view"):
        context["recent_audit"] = list_audit_entries(user)[:8]
    if has_any(user, "worker.view"):
        context["worker"] = worker_status()
    # Panels of the domain apps (core/hooks.py), each rendered from its own template.
    for module in app_modules("home"):
        if module.__name__ != __name__:
            context["panels"].extend(module.panels(request))
    return context
