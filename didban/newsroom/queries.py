"""Permission-scoped reads of the newsroom."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from didban.accounts.models import Organization, User
from didban.core.access import scope_q
from didban.lib.jalali import TEHRAN, _zone
from didban.lib.persian import normalize
from didban.newsroom.models import (
    Asset,
    CoverageAssignment,
    Event,
    Item,
    ItemRevision,
    Occasion,
    Template,
)


def day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=_zone(TEHRAN))


def list_items(
    user: User,
    *,
    permission: str = "newsroom.view",
    status: str = "",
    kind: str = "",
    occasion: int | None = None,
    assignee: int | None = None,
    org: Organization | None = None,
    since: date | None = None,
    until: date | None = None,
    search: str = "",
    published: bool = False,
) -> QuerySet[Item]:
    """Items in the user's scope; `since`/`until` are Tehran days on the item's date (the
    publication time if published, else the due, scheduled or creation time). `published`
    keeps the items ever published, whatever they became after (corrected, retracted): the
    command room's production figure counts those at their publication time."""
    items = Item.objects.filter(scope_q(user, permission)).select_related(
        "org", "author", "assignee", "occasion"
    )
    if status:
        items = items.filter(status=status)
    if kind:
        items = items.filter(kind=kind)
    if published:
        items = items.filter(published_at__isnull=False)
    if occasion:
        items = items.filter(occasion_id=occasion)
    if assignee:
        items = items.filter(assignee_id=assignee)
    if org is not None:
        items = items.filter(org__path__startswith=org.path)
    if since:
        start = day_start(since)
        items = items.filter(
            Q(published_at__gte=start) | Q(published_at__isnull=True, created_at__gte=start)
        )
    if until:
        end = day_start(until + timedelta(days=1))
        items = items.filter(
            Q(published_at__lt=end) | Q(published_at__isnull=True, created_at__lt=end)
        )
    if search:
        for word in normalize(search).split():
            items = items.filter(search_text__contains=word)
    return items


def access_item(user: User, item_id: int, *, permission: str = "newsroom.view") -> Item:
    return get_object_or_404(list_items(user, permission=permission), pk=item_id)


def item_revisions(item: Item) -> QuerySet[ItemRevision]:
    return item.revisions.select_related("editor")


def item_assets(item: Item):
    return item.item_assets.select_related("asset")


def list_assets(user: User, *, permission: str = "newsroom.view") -> QuerySet[Asset]:
    return Asset.objects.filter(scope_q(user, permission)).select_related("org")


def access_asset(user: User, asset_id: int, *, permission: str = "newsroom.view") -> Asset:
    return get_object_or_404(list_assets(user, permission=permission), pk=asset_id)


def list_occasions(user: User, *, permission: str = "newsroom.view") -> QuerySet[Occasion]:
    """Occasions of the user's scope and of the organisations above it (a province's occasion
    is planned around by its counties too)."""
    return Occasion.objects.filter(_scope_and_above(user, permission)).select_related("org")


def access_occasion(user: User, occasion_id: int, *, permission: str = "newsroom.view"):
    return get_object_or_404(list_occasions(user, permission=permission), pk=occasion_id)


def list_events(user: User, *, permission: str = "newsroom.view") -> QuerySet[Event]:
    return (
        Event.objects.filter(scope_q(user, permission))
        .select_related("org", "place", "occasion")
        .annotate(n_assignments=Count("assignments"))
    )


def access_event(user: User, event_id: int, *, permission: str = "newsroom.view") -> Event:
    return get_object_or_404(list_events(user, permission=permission), pk=event_id)


def list_assignments(user: User, *, permission: str = "newsroom.view"):
    return CoverageAssignment.objects.filter(
        scope_q(user, permission, field="event__org")
    ).select_related("event", "person", "item")


def overdue_assignments(user: User):
    return list_assignments(user).filter(done_at__isnull=True, deadline__lt=timezone.now())


def _scope_and_above(user: User, permission: str) -> Q:
    if user.is_superuser:
        return Q()
    from didban.core.access import _membership_paths

    q = scope_q(user, permission)
    ancestor_ids: set[int] = set()
    for path in _membership_paths(user, permission):
        ancestor_ids.update(int(part) for part in path.strip("/").split("/") if part)
    if ancestor_ids:
        q |= Q(org_id__in=ancestor_ids)
    return q


# --- templates: shared down the tree, and sideways to the province (C9) ------------------


def province_of(org: Organization) -> Organization | None:
    if org.kind == Organization.Kind.PROVINCE_HQ:
        return org
    return Organization.objects.filter(
        pk__in=org.ancestor_ids(), kind=Organization.Kind.PROVINCE_HQ
    ).first()


def usable_templates_q(org: Organization) -> Q:
    """Templates usable for an item of `org`: those of `org` and its ancestors, and those
    marked `shared_with_province` anywhere in `org`'s province."""
    q = Q(org_id__in=org.ancestor_ids())
    province = province_of(org)
    if province is not None:
        q |= Q(shared_with_province=True, org__path__startswith=province.path)
    return q


def template_usable(template: Template, org: Organization) -> bool:
    return Template.objects.filter(usable_templates_q(org), pk=template.pk).exists()


def usable_templates(org: Organization) -> QuerySet[Template]:
    return Template.objects.filter(usable_templates_q(org)).select_related("org")


def list_templates(user: User, *, permission: str = "newsroom.view") -> QuerySet[Template]:
    """Templates the user can see: those in scope, those above it, and shared ones of the
    provinces they work in."""
    if user.is_superuser:
        return Template.objects.select_related("org")
    from didban.core.access import _membership_paths

    q = _scope_and_above(user, permission)
    for path in _membership_paths(user, permission):
        org = Organization.objects.filter(path=path).first()
        province = province_of(org) if org else None
        if province is not None:
            q |= Q(shared_with_province=True, org__path__startswith=province.path)
    return Template.objects.filter(q).select_related("org")


def access_template(user: User, template_id: int, *, permission: str = "newsroom.view"):
    return get_object_or_404(list_templates(user, permission=permission), pk=template_id)


# --- planning views ----------------------------------------------------------------------


def calendar_items(user: User, start: date, end: date, *, org: Organization | None = None):
    """Items due, scheduled or published between two Tehran days (inclusive), each with the
    day it falls on: [(day, kind_of_date, item)]."""
    lo, hi = day_start(start), day_start(end + timedelta(days=1))
    items = list_items(user, org=org).filter(
        Q(due_at__gte=lo, due_at__lt=hi)
        | Q(scheduled_at__gte=lo, scheduled_at__lt=hi)
        | Q(published_at__gte=lo, published_at__lt=hi)
    )
    zone = _zone(TEHRAN)
    rows = []
    for item in items:
        if item.published_at and lo <= item.published_at < hi:
            when, what = item.published_at, "published"
        elif (
            item.scheduled_at
            and lo <= item.scheduled_at < hi
            and item.status == Item.Status.SCHEDULED
        ):
            when, what = item.scheduled_at, "scheduled"
        elif item.due_at and lo <= item.due_at < hi:
            when, what = item.due_at, "due"
        else:
            continue
        rows.append((when.astimezone(zone).date(), what, when, item))
    rows.sort(key=lambda row: row[2])
    return rows


def calendar_events(user: User, start: date, end: date):
    lo, hi = day_start(start), day_start(end + timedelta(days=1))
    zone = _zone(TEHRAN)
    return [
        (event.starts_at.astimezone(zone).date(), event)
        for event in list_events(user).filter(starts_at__gte=lo, starts_at__lt=hi)
    ]


def kind_counts(user: User, since: datetime) -> dict[str, int]:
    rows = (
        list_items(user)
        .filter(status__in=Item.PUBLIC_STATUSES, published_at__gte=since)
        .values_list("kind")
        .annotate(n=Count("id"))
    )
    return dict(rows)


# --- the public website --------------------------------------------------------------------


def public_org(org_code: str) -> Organization:
    return get_object_or_404(Organization, code=org_code, is_active=True)


def public_items(org: Organization) -> QuerySet[Item]:
    """What the website lists: public items of the organisation and of the units below it."""
    return (
        Item.objects.filter(org__path__startswith=org.path, status__in=Item.PUBLIC_STATUSES)
        .select_related("org")
        .order_by("-published_at", "-pk")
    )


def public_item(org: Organization, news_code: str) -> Item:
    """A published, corrected or retracted item of the organisation (404 for anything else)."""
    return get_object_or_404(
        Item.objects.select_related("org"),
        org=org,
        news_code=news_code,
        status__in=[*Item.PUBLIC_STATUSES, Item.Status.RETRACTED],
    )
