"""Permission-checked reads of organisations, users and memberships."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from didban.accounts.models import Membership, Organization, User
from didban.core.access import require_perm, scope_q, scoped_orgs


def acting_membership(user: User, membership_id: int | None) -> Membership | None:
    """The membership chosen for this session, else the user's highest one in the tree."""
    memberships = Membership.objects.filter(
        user=user, is_active=True, org__is_active=True
    ).select_related("org", "org__place")
    if membership_id:
        chosen = memberships.filter(pk=membership_id).first()
        if chosen is not None:
            return chosen
    return memberships.order_by("org__depth", "org__path", "pk").first()


def list_memberships_of(user: User) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(user=user, is_active=True, org__is_active=True)
        .select_related("org")
        .order_by("org__depth", "org__path")
    )


def list_organizations(user: User, *, permission: str = "org.view", search: str = "") -> QuerySet:
    orgs = scoped_orgs(user, permission).select_related("parent", "place")
    if search:
        orgs = orgs.filter(
            Q(name__icontains=search) | Q(name_en__icontains=search) | Q(code=search)
        )
    return orgs


def access_organization(user: User, org_id: int, *, permission: str = "org.view") -> Organization:
    """The organisation if the user may `permission` it; 404 when it is out of scope."""
    return get_object_or_404(list_organizations(user, permission=permission), pk=org_id)


def list_users(user: User, *, permission: str = "users.view", search: str = "") -> QuerySet[User]:
    """Users who hold a membership inside the asker's scope."""
    in_scope = Membership.objects.filter(scope_q(user, permission))
    users = User.objects.filter(pk__in=in_scope.values("user_id")).order_by("username")
    if getattr(user, "is_superuser", False):
        users = User.objects.order_by("username")
    if search:
        users = users.filter(
            Q(username__icontains=search)
            | Q(first_name__icontains=search)
            | Q(last_name__icontains=search)
        )
    return users


def access_user(user: User, user_id: int, *, permission: str = "users.view") -> User:
    return get_object_or_404(list_users(user, permission=permission), pk=user_id)


def list_memberships(user: User, *, permission: str = "users.view") -> QuerySet[Membership]:
    return Membership.objects.filter(scope_q(user, permission)).select_related("user", "org")


def access_membership(user: User, membership_id: int, *, permission: str = "users.manage"):
    membership = get_object_or_404(list_memberships(user, permission=permission), pk=membership_id)
    require_perm(user, permission, membership.org)
    return membership
