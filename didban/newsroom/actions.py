"""Every change in the newsroom: items and their workflow, assets, comments, planning,
templates. Each `do_*` checks permission, runs in one transaction, writes the audit entry and
sends the publishing signals after commit."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from didban.accounts.models import Organization, User
from didban.core import audit
from didban.core.access import has_perm, require_perm
from didban.lib.jalali import to_jalali
from didban.lib.persian import fix_display
from didban.newsroom import assets as asset_lib
from didban.newsroom import signals
from didban.newsroom.models import (
    Asset,
    Comment,
    CoverageAssignment,
    Event,
    Item,
    ItemAsset,
    ItemRevision,
    NewsCodeCounter,
    Occasion,
    Template,
)
from didban.newsroom.text import plain_text, sanitize, search_text

S = Item.Status
ITEM_FIELDS = [
    "kind", "status", "title", "lead", "body", "tags", "occasion", "event", "unit", "assignee",
    "due_at", "scheduled_at", "published_at", "news_code", "version",
]  # fmt: skip
EDITABLE = {
    "kind", "title", "lead", "body", "tags", "occasion", "event", "unit", "assignee", "due_at",
}  # fmt: skip
LOCK_MINUTES = 10


# --- helpers ---------------------------------------------------------------------------


def news_code_for(org: Organization, when: datetime | None = None) -> str:
    """The next news code of `org`: Jalali year + a 5-digit serial, e.g. 140200123.

    The counter row is locked for the rest of the transaction, so two items created at the
    same moment never get the same code.
    """
    year = to_jalali(when or timezone.now()).year
    try:
        with transaction.atomic():
            NewsCodeCounter.objects.get_or_create(org=org, year=year)
    except IntegrityError:
        pass  # created at the same moment by another transaction
    counter = NewsCodeCounter.objects.select_for_update().get(org=org, year=year)
    counter.last = F("last") + 1
    counter.save(update_fields=["last"])
    counter.refresh_from_db(fields=["last"])
    return f"{year}{counter.last:05d}"


def _clean_tags(tags) -> list[str]:
    if isinstance(tags, str):
        tags = tags.replace("،", ",").split(",")
    seen: list[str] = []
    for tag in tags or []:
        tag = fix_display(str(tag)).strip().lstrip("#")
        if tag and tag not in seen:
            seen.append(tag[:60])
    return seen[:20]


def _prepare_text(values: dict) -> None:
    if "title" in values:
        values["title"] = fix_display(values["title"] or "")
        if not values["title"]:
            raise ValidationError({"title": _("An item needs a title.")})
    if "lead" in values:
        values["lead"] = fix_display(values["lead"] or "")
    if "body" in values:
        values["body"] = sanitize(values["body"] or "")
    if "tags" in values:
        values["tags"] = _clean_tags(values["tags"])


def _check_links(item_org: Organization, values: dict) -> None:
    """Occasion, event, unit and assignee must belong to the item's tree."""
    for name in ("occasion", "event"):
        obj = values.get(name)
        if obj is not None and not (
            item_org.path.startswith(obj.org.path) or obj.org.path.startswith(item_org.path)
        ):
            raise ValidationError({name: _("This belongs to another organisation.")})
    unit = values.get("unit")
    if unit is not None and not unit.path.startswith(item_org.path):
        raise ValidationError(
            {"unit": _("The producing unit must be this organisation or one below it.")}
        )
    assignee = values.get("assignee")
    if assignee is not None and not has_perm(assignee, "newsroom.edit", item_org):
        raise ValidationError(
            {"assignee": _("This person cannot work on this organisation's items.")}
        )


def _refresh_derived(item: Item) -> None:
    item.body_text = plain_text(item.body)
    item.search_text = search_text(
        item.news_code, item.title, item.lead, item.body_text, " ".join(item.tags)
    )


def _revision(item: Item, actor, note: str = "") -> ItemRevision:
    last = item.revisions.order_by("-number").values_list("number", flat=True).first() or 0
    return ItemRevision.objects.create(
        item=item,
        number=last + 1,
        title=item.title,
        lead=item.lead,
        body=item.body,
        body_text=item.body_text,
        editor=actor if getattr(actor, "is_authenticated", False) else None,
        note=note[:300],
    )


def _lock_row(item: Item) -> Item:
    """The item re-read under a row lock: its status is checked against the latest state."""
    return Item.objects.select_for_update(of=("self",)).select_related("org").get(pk=item.pk)


def _require_status(item: Item, *allowed: str) -> None:
    if item.status not in allowed:
        raise ValidationError(
            _("This cannot be done to an item that is “%(status)s”.")
            % {"status": item.get_status_display()}
        )


def _send_after_commit(signal, item: Item) -> None:
    item_id = item.pk
    transaction.on_commit(lambda: signal.send(sender=Item, item_id=item_id))


def _transition(actor, item: Item, verb: str, **changes) -> Item:
    before = audit.snapshot(item, ITEM_FIELDS)
    for field, value in changes.items():
        setattr(item, field, value)
    item.version += 1
    item.save(update_fields=[*changes, "version", "updated_at"])
    audit.record(
        actor=actor, verb=verb, org=item.org, obj=item, before=before,
        after=audit.snapshot(item, ITEM_FIELDS),
    )  # fmt: skip
    return item


# --- items -----------------------------------------------------------------------------


def do_create_item(
    *,
    actor: User,
    org: Organization,
    title: str,
    kind: str = Item.Kind.NEWS,
    lead: str = "",
    body: str = "",
    tags=(),
    occasion: Occasion | None = None,
    event: Event | None = None,
    unit: Organization | None = None,
    assignee: User | None = None,
    due_at: datetime | None = None,
    template: Template | None = None,
    now: datetime | None = None,
) -> Item:
    """A new draft with its news code; from a template, its empty fields take the template's."""
    require_perm(actor, "newsroom.edit", org)
    Item.Kind(kind)
    if template is not None:
        from didban.newsroom.queries import template_usable

        if not template_usable(template, org):
            raise ValidationError({"template": _("This template cannot be used here.")})
        kind = template.kind or kind
        title = title or template.title
        lead = lead or template.lead
        body = body or template.body
        tags = tags or template.tags
    values = {"title": title, "lead": lead, "body": body, "tags": list(tags)}
    _prepare_text(values)
    _check_links(org, {"occasion": occasion, "event": event, "unit": unit, "assignee": assignee})
    with transaction.atomic():
        item = Item(
            org=org, kind=kind, occasion=occasion, event=event, unit=unit, author=actor,
            assignee=assignee, due_at=due_at, news_code=news_code_for(org, now), **values,
        )  # fmt: skip
        _refresh_derived(item)
        item.save()
        if now is not None:
            Item.objects.filter(pk=item.pk).update(created_at=now)
        _revision(item, actor, _("Created"))
        audit.record(
            actor=actor, verb="item.create", org=org, obj=item,
            after=audit.snapshot(item, ITEM_FIELDS),
        )  # fmt: skip
    return item


def _require_editable(actor, item: Item) -> None:
    """Drafts are the producers'; once submitted, only an editor changes the text."""
    if item.status == S.DRAFT:
        require_perm(actor, "newsroom.edit", item.org)
    elif item.status in (S.IN_REVIEW, S.APPROVED, S.SCHEDULED):
        require_perm(actor, "newsroom.approve", item.org)
    else:
        require_perm(actor, "newsroom.edit", item.org)
        raise ValidationError(
            _("A published item is changed with a correction, not an ordinary edit.")
        )


def _check_version(item: Item, version: int | None) -> None:
    if version is not None and int(version) != item.version:
        who = item.revisions.order_by("-number").select_related("editor").first()
        name = str(who.editor) if who and who.editor else _("someone else")
        raise ValidationError(
            {
                "version": _(
                    "%(name)s saved this item while you were editing it. Your text is kept "
                    "below; compare it with the latest version and save again."
                )
                % {"name": name}
            },
            code="stale",
        )


def do_update_item(
    *, actor: User, item: Item, version: int | None = None, note: str = "", **changes
) -> Item:
    """Save new text/fields; refused when `version` is not the item's current version."""
    unknown = set(changes) - EDITABLE
    if unknown:
        raise TypeError(f"cannot change {sorted(unknown)}")
    _require_editable(actor, item)
    _prepare_text(changes)
    if "kind" in changes:
        Item.Kind(changes["kind"])
    _check_links(item.org, changes)
    with transaction.atomic():
        item = _lock_row(item)
        _require_editable(actor, item)
        _check_version(item, version)
        before = audit.snapshot(item, ITEM_FIELDS)
        for field, value in changes.items():
            setattr(item, field, value)
        _refresh_derived(item)
        item.version += 1
        if item.locked_by_id == actor.pk:
            item.lock_expires_at = timezone.now() + timedelta(minutes=LOCK_MINUTES)
        item.save()
        _revision(item, actor, note)
        audit.record(
            actor=actor, verb="item.update", org=item.org, obj=item, before=before,
            after=audit.snapshot(item, ITEM_FIELDS),
        )  # fmt: skip
    return item


def do_submit_item(*, actor: User, item: Item) -> Item:
    require_perm(actor, "newsroom.edit", item.org)
    with transaction.atomic():
        item = _lock_row(item)
        _require_status(item, S.DRAFT)
        return _transition(actor, item, "item.submit", status=S.IN_REVIEW)


def do_approve_item(*, actor: User, item: Item) -> Item:
    require_perm(actor, "newsroom.approve", item.org)
    with transaction.atomic():
        item = _lock_row(item)
        _require_status(item, S.IN_REVIEW)
        return _transition(actor, item, "item.approve", status=S.APPROVED, review_note="")


def do_return_item(*, actor: User, item: Item, note: str) -> Item:
    """Back to draft with the editor's note to the producer."""
    require_perm(actor, "newsroom.approve", item.org)
    note = fix_display(note or "")
    if not note:
        raise ValidationError({"note": _("Say what should change before returning the item.")})
    with transaction.atomic():
        item = _lock_row(item)
        _require_status(item, S.IN_REVIEW, S.APPROVED, S.SCHEDULED)
        item = _transition(
            actor, item, "item.return", status=S.DRAFT, review_note=note, scheduled_at=None
        )
        Comment.objects.create(
            item=item, author=actor, body=_("Returned: %(note)s") % {"note": note}
        )
    return item


def do_schedule_item(*, actor: User, item: Item, at: datetime) -> Item:
    """Publish at `at` (the worker's periodic job does it; the time is on the row)."""
    require_perm(actor, "newsroom.publish", item.org)
    if at is None or at <= timezone.now():
        raise ValidationError({"scheduled_at": _("Choose a time in the future.")})
    with transaction.atomic():
        item = _lock_row(item)
        _require_status(item, S.APPROVED, S.SCHEDULED)
        # published_by records who decided publication; the scheduler acts on their decision.
        return _transition(
            actor, item, "item.schedule", status=S.SCHEDULED, scheduled_at=at, published_by=actor
        )


def do_publish_item(*, actor: User, item: Item) -> Item:
    """Make the item public now; publishing creates the deliveries (signal item_published).

    An editor may publish straight from review: publishing implies approval.
    """
    require_perm(actor, "newsroom.publish", item.org)
    with transaction.atomic():
        item = _lock_row(item)
        _require_status(item, S.IN_REVIEW, S.APPROVED, S.SCHEDULED)
        require_perm(actor, "newsroom.approve", item.org)
        item = _transition(
            actor, item, "item.publish", status=S.PUBLISHED, published_at=timezone.now(),
            published_by=actor,
        )  # fmt: skip
        _send_after_commit(signals.item_published, item)
    return item


def do_publish_due_items(*, now: datetime | None = None) -> list[int]:
    """The scheduler: publish every scheduled item whose time has passed. Safe to run twice
    or in two workers at once: each item is re-read under a lock and published only if it is
    still scheduled."""
    now = now or timezone.now()
    published = []
    due = Item.objects.filter(status=S.SCHEDULED, scheduled_at__lte=now).values_list(
        "pk", flat=True
    )
    for pk in list(due):
        with transaction.atomic():
            item = (
                Item.objects.select_for_update(of=("self",))
                .select_related("org", "published_by")
                .filter(pk=pk)
                .first()
            )
            if item is None or item.status != S.SCHEDULED or item.scheduled_at > now:
                continue
            decider = item.published_by
            if decider is None or not has_perm(decider, "newsroom.publish", item.org):
                # The one who scheduled it lost the right meanwhile: leave it for an editor.
                item = _transition(
                    None, item, "item.schedule_cancelled", status=S.APPROVED, scheduled_at=None
                )
                continue
            item = _transition(
                None, item, "item.publish_scheduled", status=S.PUBLISHED, published_at=now
            )
            _send_after_commit(signals.item_published, item)
            published.append(item.pk)
    return published


def do_correct_item(
    *, actor: User, item: Item, note: str, version: int | None = None, **changes
) -> Item:
    """Edit a published item; the correction note is kept and shown, channels are edited."""
    require_perm(actor, "newsroom.publish", item.org)
    unknown = set(changes) - EDITABLE
    if unknown:
        raise TypeError(f"cannot change {sorted(unknown)}")
    note = fix_display(note or "")
    if not note:
        raise ValidationError({"note": _("Say what was corrected; readers see this note.")})
    _prepare_text(changes)
    _check_links(item.org, changes)
    with transaction.atomic():
        item = _lock_row(item)
        _require_status(item, S.PUBLISHED, S.CORRECTED)
        _check_version(item, version)
        before = audit.snapshot(item, ITEM_FIELDS)
        for field, value in changes.items():
            setattr(item, field, value)
        _refresh_derived(item)
        item.status = S.CORRECTED
        item.corrected_at = timezone.now()
        item.correction_note = note
        item.version += 1
        item.save()
        _revision(item, actor, _("Correction: %(note)s") % {"note": note})
        audit.record(
            actor=actor, verb="item.correct", org=item.org, obj=item, before=before,
            after=audit.snapshot(item, ITEM_FIELDS),
        )  # fmt: skip
        _send_after_commit(signals.item_corrected, item)
    return item


def do_retract_item(*, actor: User, item: Item, reason: str) -> Item:
    """Withdraw a public item: its page shows the reason, channels delete it where they can."""
    require_perm(actor, "newsroom.publish", item.org)
    reason = fix_display(reason or "")
    if not reason:
        raise ValidationError({"reason": _("A retraction needs a reason.")})
    with transaction.atomic():
        item = _lock_row(item)
        _require_status(item, S.PUBLISHED, S.CORRECTED)
        item = _transition(
            actor, item, "item.retract", status=S.RETRACTED, retracted_at=timezone.now(),
            retraction_reason=reason,
        )  # fmt: skip
        _send_after_commit(signals.item_retracted, item)
    return item


# --- edit lock and comments ------------------------------------------------------------


def do_lock_item(*, actor: User, item: Item) -> User | None:
    """Take (or refresh) the soft edit lock; return whoever else holds it, if anyone.

    Someone else's live lock is not taken over: the second editor is warned and may still
    edit (saving is protected by the version number). Only taking a lock is audited, not the
    periodic refreshes.
    """
    require_perm(actor, "newsroom.edit", item.org)
    now = timezone.now()
    with transaction.atomic():
        item = _lock_row(item)
        holder = item.lock_holder(actor)
        if holder is not None:
            return holder
        fresh = (
            item.locked_by_id != actor.pk or not item.lock_expires_at or item.lock_expires_at <= now
        )
        Item.objects.filter(pk=item.pk).update(
            locked_by=actor, locked_at=now if fresh else item.locked_at,
            lock_expires_at=now + timedelta(minutes=LOCK_MINUTES),
        )  # fmt: skip
        if fresh:
            audit.record(actor=actor, verb="item.lock", org=item.org, obj=item)
    return None


def do_unlock_item(*, actor: User, item: Item) -> None:
    require_perm(actor, "newsroom.edit", item.org)
    with transaction.atomic():
        updated = Item.objects.filter(pk=item.pk, locked_by=actor).update(
            locked_by=None, locked_at=None, lock_expires_at=None
        )
        if updated:
            audit.record(actor=actor, verb="item.unlock", org=item.org, obj=item)


def do_add_comment(*, actor: User, item: Item, body: str) -> Comment:
    require_perm(actor, "newsroom.comment", item.org)
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write a comment first.")})
    with transaction.atomic():
        comment = Comment.objects.create(item=item, author=actor, body=body[:5000])
        audit.record(
            actor=actor, verb="item.comment", org=item.org, obj=item,
            after={"comment": comment.pk},
        )  # fmt: skip
    return comment


# --- assets ----------------------------------------------------------------------------


def do_upload_asset(*, actor: User, org: Organization, upload) -> tuple[Asset, bool]:
    """Store an upload once per organisation; (asset, created). Rejections are translated."""
    require_perm(actor, "newsroom.edit", org)
    data, sniffed, digest = asset_lib.read_upload(upload)
    existing = Asset.objects.filter(org=org, sha256=digest).first()
    if existing is not None:
        return existing, False
    public = thumb = None
    width = height = None
    if sniffed.kind == Asset.Kind.IMAGE:
        try:
            public, thumb, width, height = asset_lib.image_renditions(data)
        except (OSError, ValueError):
            raise ValidationError(
                _("«%(name)s» looks like an image but cannot be read; it may be damaged.")
                % {"name": getattr(upload, "name", "")}
            ) from None
    name = (getattr(upload, "name", "") or "file")[-200:]
    try:
        with transaction.atomic():
            asset = Asset(
                org=org, kind=sniffed.kind, mime=sniffed.mime, extension=sniffed.extension,
                original_name=name, size=len(data), sha256=digest, width=width, height=height,
                uploaded_by=actor,
            )  # fmt: skip
            asset.file.save(name, ContentFile(data), save=False)
            if public is not None:
                ext = asset_lib.rendition_extension(public)
                asset.public_file.save(f"{digest}-public{ext}", ContentFile(public), save=False)
                asset.thumbnail.save(f"{digest}-thumb{ext}", ContentFile(thumb), save=False)
            asset.save()
            audit.record(
                actor=actor, verb="asset.upload", org=org, obj=asset,
                after={"sha256": digest, "kind": sniffed.kind, "size": len(data)},
            )  # fmt: skip
    except IntegrityError:
        # The same file was uploaded at the same moment: keep the first.
        return Asset.objects.get(org=org, sha256=digest), False
    return asset, True


def do_attach_asset(*, actor: User, item: Item, asset: Asset, caption: str = "") -> ItemAsset:
    _require_attachable(actor, item)
    if asset.org_id != item.org_id and not item.org.path.startswith(asset.org.path):
        raise ValidationError(_("This file belongs to another organisation."))
    with transaction.atomic():
        position = item.item_assets.count()
        link, created = ItemAsset.objects.get_or_create(
            item=item, asset=asset, defaults={"position": position, "caption": fix_display(caption)}
        )
        if created:
            audit.record(
                actor=actor, verb="item.attach", org=item.org, obj=item, after={"asset": asset.pk}
            )
    return link


def do_detach_asset(*, actor: User, item: Item, asset: Asset) -> None:
    _require_attachable(actor, item)
    with transaction.atomic():
        deleted, _count = ItemAsset.objects.filter(item=item, asset=asset).delete()
        if deleted:
            audit.record(
                actor=actor, verb="item.detach", org=item.org, obj=item, before={"asset": asset.pk}
            )


def do_reorder_assets(*, actor: User, item: Item, asset_ids: list[int]) -> None:
    _require_attachable(actor, item)
    with transaction.atomic():
        links = {link.asset_id: link for link in item.item_assets.all()}
        order = [pk for pk in asset_ids if pk in links] + [
            pk for pk in links if pk not in asset_ids
        ]
        for position, pk in enumerate(order):
            links[pk].position = position
        ItemAsset.objects.bulk_update(list(links.values()), ["position"])
        audit.record(
            actor=actor, verb="item.reorder_assets", org=item.org, obj=item, after={"order": order}
        )


def _require_attachable(actor, item: Item) -> None:
    if item.status in (S.DRAFT,):
        require_perm(actor, "newsroom.edit", item.org)
    elif item.status == S.RETRACTED:
        raise ValidationError(_("A retracted item cannot be changed."))
    else:
        require_perm(actor, "newsroom.approve", item.org)


# --- planning --------------------------------------------------------------------------

OCCASION_FIELDS = ["name", "starts_on", "ends_on", "description"]
EVENT_FIELDS = [
    "kind", "title", "starts_at", "ends_at", "place", "venue", "occasion",
    "expected_attendance", "actual_attendance", "notes",
]  # fmt: skip


def _check_period(start, end, field: str = "ends_on") -> None:
    if start and end and end < start:
        raise ValidationError({field: _("The end cannot be before the start.")})


def do_create_occasion(
    *, actor: User, org: Organization, name: str, starts_on, ends_on, description: str = ""
) -> Occasion:
    require_perm(actor, "newsroom.plan", org)
    name = fix_display(name or "")
    if not name:
        raise ValidationError({"name": _("An occasion needs a name.")})
    _check_period(starts_on, ends_on)
    with transaction.atomic():
        occasion = Occasion.objects.create(
            org=org,
            name=name,
            starts_on=starts_on,
            ends_on=ends_on,
            description=description.strip(),
        )
        audit.record(
            actor=actor,
            verb="occasion.create",
            org=org,
            obj=occasion,
            after=audit.snapshot(occasion, OCCASION_FIELDS),
        )
    return occasion


def _apply_update(actor: User, obj, changes: dict, fields: list[str], verb: str):
    """Set the checked changes on a planning row, save just those fields, audit before/after."""
    with transaction.atomic():
        before = audit.snapshot(obj, fields)
        for field, value in changes.items():
            setattr(obj, field, value)
        if changes:
            obj.save(update_fields=list(changes))
        audit.record(
            actor=actor,
            verb=verb,
            org=obj.org,
            obj=obj,
            before=before,
            after=audit.snapshot(obj, fields),
        )
    return obj


def do_update_occasion(*, actor: User, occasion: Occasion, **changes) -> Occasion:
    require_perm(actor, "newsroom.plan", occasion.org)
    if set(changes) - set(OCCASION_FIELDS):
        raise TypeError("unknown occasion fields")
    if "name" in changes:
        changes["name"] = fix_display(changes["name"] or "")
    _check_period(
        changes.get("starts_on", occasion.starts_on), changes.get("ends_on", occasion.ends_on)
    )
    return _apply_update(actor, occasion, changes, OCCASION_FIELDS, "occasion.update")


def do_create_event(
    *, actor: User, org: Organization, kind: str, title: str, starts_at, **fields
) -> Event:
    require_perm(actor, "newsroom.plan", org)
    Event.Kind(kind)
    if set(fields) - set(EVENT_FIELDS):
        raise TypeError("unknown event fields")
    title = fix_display(title or "")
    if not title:
        raise ValidationError({"title": _("An event needs a title.")})
    _check_period(starts_at, fields.get("ends_at"), "ends_at")
    with transaction.atomic():
        event = Event.objects.create(org=org, kind=kind, title=title, starts_at=starts_at, **fields)
        audit.record(
            actor=actor,
            verb="event.create",
            org=org,
            obj=event,
            after=audit.snapshot(event, EVENT_FIELDS),
        )
    return event


def do_update_event(*, actor: User, event: Event, **changes) -> Event:
    require_perm(actor, "newsroom.plan", event.org)
    if set(changes) - set(EVENT_FIELDS):
        raise TypeError("unknown event fields")
    if "title" in changes:
        changes["title"] = fix_display(changes["title"] or "")
    _check_period(
        changes.get("starts_at", event.starts_at), changes.get("ends_at", event.ends_at), "ends_at"
    )
    return _apply_update(actor, event, changes, EVENT_FIELDS, "event.update")


def do_assign_coverage(
    *, actor: User, event: Event, person: User, deliverable: str, deadline, note: str = ""
) -> CoverageAssignment:
    require_perm(actor, "newsroom.plan", event.org)
    Item.Kind(deliverable)
    if not has_perm(person, "newsroom.edit", event.org):
        raise ValidationError(
            {"person": _("This person cannot produce content for this organisation.")}
        )
    with transaction.atomic():
        assignment = CoverageAssignment.objects.create(
            event=event,
            person=person,
            deliverable=deliverable,
            deadline=deadline,
            note=fix_display(note),
        )
        audit.record(
            actor=actor, verb="coverage.assign", org=event.org, obj=event,
            after={"person": person.pk, "deliverable": deliverable, "deadline": deadline},
        )  # fmt: skip
    return assignment


def do_complete_coverage(
    *, actor: User, assignment: CoverageAssignment, item: Item | None = None
) -> CoverageAssignment:
    event = assignment.event
    if actor.pk != assignment.person_id:
        require_perm(actor, "newsroom.plan", event.org)
    else:
        require_perm(actor, "newsroom.edit", event.org)
    if (
        item is not None
        and item.org_id != event.org_id
        and not item.org.path.startswith(event.org.path)
    ):
        raise ValidationError({"item": _("This item belongs to another organisation.")})
    with transaction.atomic():
        assignment.done_at = timezone.now()
        assignment.item = item
        assignment.save(update_fields=["done_at", "item"])
        audit.record(
            actor=actor,
            verb="coverage.complete",
            org=event.org,
            obj=event,
            after={"assignment": assignment.pk, "item": item.pk if item else None},
        )
    return assignment


# --- templates -------------------------------------------------------------------------

TEMPLATE_FIELDS = ["name", "kind", "title", "lead", "body", "tags", "shared_with_province"]


def do_create_template(
    *, actor: User, org: Organization, name: str, kind: str, title: str = "", lead: str = "",
    body: str = "", tags=(), shared_with_province: bool = False,
) -> Template:  # fmt: skip
    require_perm(actor, "newsroom.approve", org)
    Item.Kind(kind)
    name = fix_display(name or "")
    if not name:
        raise ValidationError({"name": _("A template needs a name.")})
    if shared_with_province and org.kind == Organization.Kind.NATIONAL_HQ:
        raise PermissionDenied
    with transaction.atomic():
        template = Template.objects.create(
            org=org, name=name, kind=kind, title=fix_display(title), lead=fix_display(lead),
            body=sanitize(body), tags=_clean_tags(tags),
            shared_with_province=shared_with_province, created_by=actor,
        )  # fmt: skip
        audit.record(
            actor=actor,
            verb="template.create",
            org=org,
            obj=template,
            after=audit.snapshot(template, TEMPLATE_FIELDS),
        )
    return template


def do_update_template(*, actor: User, template: Template, **changes) -> Template:
    require_perm(actor, "newsroom.approve", template.org)
    if set(changes) - set(TEMPLATE_FIELDS):
        raise TypeError("unknown template fields")
    for name in ("name", "title", "lead"):
        if name in changes:
            changes[name] = fix_display(changes[name] or "")
    if "body" in changes:
        changes["body"] = sanitize(changes["body"])
    if "tags" in changes:
        changes["tags"] = _clean_tags(changes["tags"])
    with transaction.atomic():
        before = audit.snapshot(template, TEMPLATE_FIELDS)
        for field, value in changes.items():
            setattr(template, field, value)
        template.save()
        audit.record(
            actor=actor,
            verb="template.update",
            org=template.org,
            obj=template,
            before=before,
            after=audit.snapshot(template, TEMPLATE_FIELDS),
        )
    return template
