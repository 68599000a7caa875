"""Every change to organisations, users and memberships.

Each `do_*` checks permission, runs in one transaction and writes the audit entry.
"""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from didban.accounts.models import Membership, Organization, User
from didban.core import audit
from didban.core.access import forget_scope, require_perm
from didban.core.roles import Role
from didban.lib.persian import fix_display

ORG_FIELDS = ["name", "name_en", "kind", "unit_type", "code", "parent", "place", "is_active"]
USER_FIELDS = ["username", "first_name", "last_name", "email", "phone", "language", "is_active"]
MEMBERSHIP_FIELDS = ["user", "org", "role", "title", "is_active"]


def _check_parent(kind: str, parent: Organization | None) -> None:
    allowed = Organization.ALLOWED_PARENTS[Organization.Kind(kind)]
    parent_kind = Organization.Kind(parent.kind) if parent is not None else None
    if parent_kind not in allowed:
        raise ValidationError(
            {"parent": _("An organisation of this kind cannot be placed under that parent.")}
        )


def _rebuild_paths(org: Organization) -> None:
    """Set the path of `org` from its parent, then of its whole subtree."""
    old_path = org.path
    org.path = (org.parent.path if org.parent_id else "/") + f"{org.pk}/"
    org.depth = org.path.count("/") - 2
    org.save(update_fields=["path", "depth"])
    if old_path and old_path != org.path:
        for child in Organization.objects.filter(path__startswith=old_path).exclude(pk=org.pk):
            child.path = org.path + child.path[len(old_path) :]
            child.depth = child.path.count("/") - 2
            child.save(update_fields=["path", "depth"])


def do_create_organization(
    *,
    actor: User,
    kind: str,
    name: str,
    code: str,
    parent: Organization | None,
    name_en: str = "",
    unit_type: str = "",
    place=None,
) -> Organization:
    if parent is None:
        if not actor.is_superuser:
            raise PermissionDenied
    else:
        require_perm(actor, "org.manage", parent)
    _check_parent(kind, parent)
    if kind != Organization.Kind.PR_UNIT:
        unit_type = ""
    if Organization.objects.filter(code=code).exists():
        raise ValidationError({"code": _("This code is already used by another organisation.")})
    with transaction.atomic():
        org = Organization.objects.create(
            kind=kind,
            name=fix_display(name),
            name_en=name_en.strip(),
            code=code,
            parent=parent,
            unit_type=unit_type,
            place=place,
        )
        _rebuild_paths(org)
        audit.record(
            actor=actor,
            verb="organization.create",
            org=org,
            obj=org,
            after=audit.snapshot(org, ORG_FIELDS),
        )
    return org


def do_update_organization(*, actor: User, org: Organization, **changes) -> Organization:
    require_perm(actor, "org.manage", org)
    unknown = set(changes) - set(ORG_FIELDS)
    if unknown:
        raise TypeError(f"cannot change {sorted(unknown)}")
    before = audit.snapshot(org, ORG_FIELDS)
    new_parent = changes.get("parent", org.parent)
    new_kind = changes.get("kind", org.kind)
    if "parent" in changes and new_parent != org.parent:
        if new_parent is None:
            if not actor.is_superuser:
                raise PermissionDenied
        else:
            require_perm(actor, "org.manage", new_parent)
            if new_parent.path.startswith(org.path):
                raise ValidationError(
                    {"parent": _("An organisation cannot be moved under itself.")}
                )
    _check_parent(new_kind, new_parent)
    if (
        "code" in changes
        and Organization.objects.filter(code=changes["code"]).exclude(pk=org.pk).exists()
    ):
        raise ValidationError({"code": _("This code is already used by another organisation.")})
    if "name" in changes:
        changes["name"] = fix_display(changes["name"])
    with transaction.atomic():
        for field, value in changes.items():
            setattr(org, field, value)
        if org.kind != Organization.Kind.PR_UNIT:
            org.unit_type = ""
        org.save(update_fields=[*changes.keys(), "unit_type"])
        if "parent" in changes:
            _rebuild_paths(org)
        after = audit.snapshot(org, ORG_FIELDS)
        audit.record(
            actor=actor, verb="organization.update", org=org, obj=org, before=before, after=after
        )
    return org


def do_create_user(
    *,
    actor: User,
    org: Organization,
    role: str,
    username: str,
    password: str,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    phone: str = "",
    language: str = User.Language.PERSIAN,
    title: str = "",
) -> User:
    require_perm(actor, "users.manage", org)
    Role(role)
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("This username is taken.")})
    user = User(
        username=username,
        first_name=fix_display(first_name),
        last_name=fix_display(last_name),
        email=email,
        phone=phone,
        language=language,
    )
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from None
    user.set_password(password)
    with transaction.atomic():
        user.save()
        membership = Membership.objects.create(user=user, org=org, role=role, title=title)
        audit.record(
            actor=actor,
            verb="user.create",
            org=org,
            obj=user,
            after=audit.snapshot(user, USER_FIELDS),
        )
        audit.record(
            actor=actor,
            verb="membership.create",
            org=org,
            obj=membership,
            after=audit.snapshot(membership, MEMBERSHIP_FIELDS),
        )
    return user


def _require_user_manager(actor: User, target: User) -> None:
    """Only an admin whose scope covers every membership of the target may edit the person."""
    if actor.is_superuser:
        return
    orgs = [m.org for m in target.memberships.select_related("org")]
    if not orgs:
        raise PermissionDenied
    for org in orgs:
        require_perm(actor, "users.manage", org)


def _home_org(target: User) -> Organization | None:
    """The person's highest organisation: where an edit of the person is filed in the audit log,
    so the admins and supervisors who manage them see it."""
    membership = (
        target.memberships.filter(is_active=True)
        .select_related("org")
        .order_by("org__depth", "org__path", "pk")
        .first()
    ) or target.memberships.select_related("org").order_by("org__depth", "pk").first()
    return membership.org if membership else None


def do_update_user(*, actor: User, target: User, **changes) -> User:
    _require_user_manager(actor, target)
    unknown = set(changes) - set(USER_FIELDS)
    if unknown:
        raise TypeError(f"cannot change {sorted(unknown)}")
    if "username" in changes and (
        User.objects.filter(username__iexact=changes["username"]).exclude(pk=target.pk).exists()
    ):
        raise ValidationError({"username": _("This username is taken.")})
    before = audit.snapshot(target, USER_FIELDS)
    for name in ("first_name", "last_name"):
        if name in changes:
            changes[name] = fix_display(changes[name])
    with transaction.atomic():
        for field, value in changes.items():
            setattr(target, field, value)
        target.save(update_fields=list(changes))
        audit.record(
            actor=actor,
            verb="user.update",
            org=_home_org(target),
            obj=target,
            before=before,
            after=audit.snapshot(target, USER_FIELDS),
        )
    return target


def do_set_password(*, actor: User, target: User, password: str) -> None:
    if actor.pk != target.pk:
        _require_user_manager(actor, target)
    try:
        validate_password(password, target)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from None
    with transaction.atomic():
        target.set_password(password)
        target.save(update_fields=["password"])
        audit.record(actor=actor, verb="user.set_password", org=_home_org(target), obj=target)


def do_add_membership(
    *, actor: User, user: User, org: Organization, role: str, title: str = ""
) -> Membership:
    require_perm(actor, "users.manage", org)
    Role(role)
    existing = Membership.objects.filter(user=user, org=org, role=role).first()
    if existing is not None and existing.is_active:
        raise ValidationError({"role": _("This person already has this role here.")})
    with transaction.atomic():
        if existing is not None:
            before = audit.snapshot(existing, MEMBERSHIP_FIELDS)
            existing.is_active = True
            existing.title = title
            existing.save(update_fields=["is_active", "title"])
            membership = existing
        else:
            before = None
            membership = Membership.objects.create(user=user, org=org, role=role, title=title)
        audit.record(
            actor=actor,
            verb="membership.create",
            org=org,
            obj=membership,
            before=before,
            after=audit.snapshot(membership, MEMBERSHIP_FIELDS),
        )
    forget_scope(user)
    return membership


def do_end_membership(*, actor: User, membership: Membership) -> Membership:
    require_perm(actor, "users.manage", membership.org)
    if membership.user_id == actor.pk and membership.role == Role.ADMIN and not actor.is_superuser:
        raise ValidationError(_("You cannot remove your own administrator role."))
    before = audit.snapshot(membership, MEMBERSHIP_FIELDS)
    with transaction.atomic():
        membership.is_active = False
        membership.save(update_fields=["is_active"])
        audit.record(
            actor=actor,
            verb="membership.end",
            org=membership.org,
            obj=membership,
            before=before,
            after=audit.snapshot(membership, MEMBERSHIP_FIELDS),
        )
    forget_scope(membership.user)
    return membership


def do_set_language(*, actor: User, language: str) -> User:
    """A user changes their own language; nobody else's."""
    if language not in User.Language.values:
        raise ValidationError({"language": _("Unknown language.")})
    before = {"language": actor.language}
    with transaction.atomic():
        actor.language = language
        actor.save(update_fields=["language"])
        audit.record(
            actor=actor,
            verb="user.set_language",
            obj=actor,
            before=before,
            after={"language": language},
        )
    return actor


def do_record_login(*, user: User, org: Organization | None) -> None:
    with transaction.atomic():
        audit.record(actor=user, verb="user.login", org=org, obj=user)


def do_record_logout(*, user: User, org: Organization | None) -> None:
    with transaction.atomic():
        audit.record(actor=user, verb="user.logout", org=org, obj=user)
