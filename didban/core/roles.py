"""Roles, and what each role may do.

A membership gives a user one role in one organisation; the role's permissions apply to that
organisation and every organisation below it in the tree. Later capabilities add their
permissions to `PERMISSIONS`; nothing else needs to change.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    SUPERVISOR = "supervisor", _("Supervisor")
    EDITOR = "editor", _("Editor")
    PRODUCER = "producer", _("Producer")
    ANALYST = "analyst", _("Monitoring analyst")
    FIELD_AGENT = "field_agent", _("Field agent")
    PR_OFFICER = "pr_officer", _("PR officer")
    VIEWER = "viewer", _("Viewer")


ALL = frozenset(Role.values)

# permission -> roles that hold it
PERMISSIONS: dict[str, frozenset[str]] = {
    "org.view": ALL,
    "org.manage": frozenset({Role.ADMIN}),
    "users.view": frozenset({Role.ADMIN, Role.SUPERVISOR}),
    "users.manage": frozenset({Role.ADMIN}),
    "places.view": ALL,
    "places.manage": frozenset({Role.ADMIN}),
    "audit.view": frozenset({Role.ADMIN, Role.SUPERVISOR}),
    "worker.view": frozenset({Role.ADMIN, Role.SUPERVISOR}),
}


def roles_with(permission: str) -> frozenset[str]:
    try:
        return PERMISSIONS[permission]
    except KeyError:
        raise ValueError(f"unknown permission {permission!r}") from None


def role_has(role: str, permission: str) -> bool:
    return role in roles_with(permission)
