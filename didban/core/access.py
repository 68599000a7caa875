"""Scope: which organisations a user may act on, with which permission.

Every `queries.py` and every action goes through these helpers; templates never decide access.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from didban.core.roles import roles_with


def _membership_paths(user, permission: str) -> list[str]:
    """Paths of the organisations where the user holds a role granting the permission."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cache = user.__dict__.setdefault("_didban_scope_cache", {})
    if permission not in cache:
        from didban.accounts.models import Membership

        cache[permission] = list(
            Membership.objects.filter(
                user=user,
                is_active=True,
                org__is_active=True,
                role__in=roles_with(permission),
            ).values_list("org__path", flat=True)
        )
    return cache[permission]


def scope_q(user, permission: str, *, field: str = "org") -> Q:
    """A filter for rows whose `field` organisation lies in the user's scope for `permission`.

    A Django superuser is a national operator: every organisation is in scope.
    """
    roles_with(permission)  # unknown permissions fail loudly
    if getattr(user, "is_superuser", False) and user.is_active:
        return Q()
    paths = _membership_paths(user, permission)
    if not paths:
        return Q(pk__in=[])
    prefix = f"{field}__path__startswith" if field else "path__startswith"
    q = Q()
    for path in paths:
        q |= Q(**{prefix: path})
    return q


def scoped_orgs(user, permission: str) -> QuerySet:
    from didban.accounts.models import Organization

    return Organization.objects.filter(scope_q(user, permission, field=""))


def org_from_param(user, permission: str, value):
    """A list's `?org=` as one of the user's organisations for `permission` (the list then
    shows its subtree); None when empty, malformed or out of the user's scope."""
    value = str(value or "")
    if not value.isdigit():
        return None
    return scoped_orgs(user, permission).filter(pk=int(value)).first()


def has_perm(user, permission: str, org) -> bool:
    """Whether the user holds `permission` in `org` (through it or an ancestor)."""
    roles_with(permission)
    if org is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return any(org.path.startswith(path) for path in _membership_paths(user, permission))


def require_perm(user, permission: str, org) -> None:
    if not has_perm(user, permission, org):
        raise PermissionDenied


def has_any(user, permission: str) -> bool:
    """Whether the user holds `permission` anywhere (for navigation and view guards)."""
    if getattr(user, "is_superuser", False) and user.is_active:
        return True
    return bool(_membership_paths(user, permission))


def forget_scope(user) -> None:
    """Drop the per-request cache after memberships change."""
    user.__dict__.pop("_didban_scope_cache", None)
