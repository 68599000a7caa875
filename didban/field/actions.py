"""Every change to designs, sites, windows, placements, check-ins and field tasks."""

from __future__ import annotations

import hashlib
import json
import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from didban.accounts.models import Organization
from didban.core import audit
from didban.core.access import require_perm
from didban.field import files, importer
from didban.field.models import (
    CheckIn,
    Design,
    DesignVersion,
    FieldTask,
    Placement,
    Site,
    SiteImport,
    Window,
    _checkin_upload,
)
from didban.lib.persian import fix_display

DESIGN_FIELDS = ["title", "theme", "occasion", "description", "status", "shared_path"]
SITE_FIELDS = [
    "code", "name", "kind", "place", "latitude", "longitude", "address", "size", "owner_org",
    "owner_text", "is_active",
]  # fmt: skip
WINDOW_FIELDS = ["name", "occasion", "starts_on", "ends_on", "target", "recheck_days", "status"]

# After the window starts: the day installation is due, then verification.
INSTALL_GRACE_DAYS = 1
VERIFY_AFTER_DAYS = 2


class CheckInConflict(Exception):
    """The client id was already used for a different check-in (HTTP 409)."""

    def __init__(self, existing: CheckIn):
        self.existing = existing
        super().__init__(
            _("This submission id was already used for a different check-in; nothing was saved.")
        )


def local_day(moment: datetime) -> date:
    return timezone.localtime(moment).date()


# Designs


def province_path(org: Organization) -> str:
    """The path of the nearest province HQ at or above the organisation (its own root if none)."""
    node = org
    while node is not None:
        if node.kind in (Organization.Kind.PROVINCE_HQ, Organization.Kind.NATIONAL_HQ):
            return node.path
        node = node.parent
    return org.path


def _store_version(*, actor, design: Design, upload, note: str) -> DesignVersion:
    sniffed = files.sniff_artwork(files.read_upload(upload), getattr(upload, "name", ""))
    number = (design.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    version = DesignVersion(
        design=design,
        number=number,
        original_name=(getattr(upload, "name", "") or "")[:200],
        mime=sniffed.mime,
        extension=sniffed.extension,
        size=len(sniffed.data),
        sha256=sniffed.sha256,
        width=sniffed.width,
        height=sniffed.height,
        note=fix_display(note)[:300],
        uploaded_by=actor,
    )
    version.file.save("artwork", ContentFile(sniffed.data), save=False)
    if sniffed.mime.startswith("image/"):
        version.thumbnail.save("thumb", ContentFile(files.thumbnail(sniffed.data)), save=False)
    version.save()
    return version


def do_create_design(
    *,
    actor,
    org: Organization,
    title: str,
    upload,
    theme: str = "",
    occasion: str = "",
    linked_occasion=None,
    description: str = "",
    note: str = "",
) -> Design:
    require_perm(actor, "field.design", org)
    title = fix_display(title)
    if not title:
        raise ValidationError({"title": _("Give the design a title.")})
    _check_occasion(org, linked_occasion)
    with transaction.atomic():
        design = Design.objects.create(
            org=org,
            title=title[:200],
            theme=fix_display(theme)[:120],
            occasion=(linked_occasion.name if linked_occasion else fix_display(occasion))[:120],
            linked_occasion=linked_occasion,
            description=description.strip(),
            created_by=actor,
        )
        version = _store_version(actor=actor, design=design, upload=upload, note=note)
        design.current_version = version
        design.save(update_fields=["current_version"])
        audit.record(
            actor=actor, verb="design.create", org=org, obj=design,
            after={**audit.snapshot(design, DESIGN_FIELDS), "sha256": version.sha256},
        )  # fmt: skip
    return design


def _check_occasion(org: Organization, occasion) -> None:
    """A design's occasion comes from its own branch of the tree: its organisation, an HQ above
    it, or a unit below it; another county's occasion is refused."""
    if occasion is None:
        return
    path, other = org.path, occasion.org.path
    if not (path.startswith(other) or other.startswith(path)):
        raise ValidationError(
            {"linked_occasion": _("This occasion belongs to another organisation's calendar.")}
        )


def do_set_design_occasion(*, actor, design: Design, linked_occasion=None) -> Design:
    """Link a design to a newsroom occasion (or unlink it); the name is copied for display."""
    require_perm(actor, "field.design", design.org)
    _check_occasion(design.org, linked_occasion)
    with transaction.atomic():
        design = Design.objects.select_for_update().get(pk=design.pk)
        before = audit.snapshot(design, [*DESIGN_FIELDS, "linked_occasion"])
        design.linked_occasion = linked_occasion
        if linked_occasion is not None:
            design.occasion = linked_occasion.name[:120]
        design.save(update_fields=["linked_occasion", "occasion"])
        audit.record(
            actor=actor, verb="design.occasion", org=design.org, obj=design, before=before,
            after=audit.snapshot(design, [*DESIGN_FIELDS, "linked_occasion"]),
        )  # fmt: skip
    return design


def do_add_design_version(*, actor, design: Design, upload, note: str = "") -> DesignVersion:
    """A new file for the design; the old versions stay, and it needs approval again."""
    require_perm(actor, "field.design", design.org)
    with transaction.atomic():
        design = Design.objects.select_for_update().get(pk=design.pk)
        before = audit.snapshot(design, DESIGN_FIELDS)
        version = _store_version(actor=actor, design=design, upload=upload, note=note)
        design.current_version = version
        design.status = Design.Status.DRAFT
        design.approved_at = None
        design.approved_by = None
        design.save(update_fields=["current_version", "status", "approved_at", "approved_by"])
        audit.record(
            actor=actor, verb="design.version", org=design.org, obj=design, before=before,
            after={**audit.snapshot(design, DESIGN_FIELDS), "version": version.number,
                   "sha256": version.sha256},
        )  # fmt: skip
    return version


def do_review_design(*, actor, design: Design, approve: bool, note: str = "") -> Design:
    require_perm(actor, "field.approve", design.org)
    if not approve and not note.strip():
        raise ValidationError({"note": _("Say why the design is rejected.")})
    with transaction.atomic():
        before = audit.snapshot(design, DESIGN_FIELDS)
        design.status = Design.Status.APPROVED if approve else Design.Status.REJECTED
        design.approved_by = actor if approve else None
        design.approved_at = timezone.now() if approve else None
        design.review_note = note.strip()[:500]
        design.save(update_fields=["status", "approved_by", "approved_at", "review_note"])
        audit.record(
            actor=actor,
            verb="design.approve" if approve else "design.reject",
            org=design.org,
            obj=design,
            before=before,
            after=audit.snapshot(design, DESIGN_FIELDS),
        )
    return design


def do_share_design(*, actor, design: Design, shared: bool) -> Design:
    """Offer the design to the whole province (its HQ and every county), or take it back."""
    require_perm(actor, "field.approve", design.org)
    if shared and design.status != Design.Status.APPROVED:
        raise ValidationError(_("Only an approved design can be shared with the province."))
    with transaction.atomic():
        before = audit.snapshot(design, DESIGN_FIELDS)
        design.shared_path = province_path(design.org) if shared else ""
        design.save(update_fields=["shared_path"])
        audit.record(
            actor=actor, verb="design.share" if shared else "design.unshare", org=design.org,
            obj=design, before=before, after=audit.snapshot(design, DESIGN_FIELDS),
        )  # fmt: skip
    return design


# Sites


def _clean_site(values: dict) -> dict:
    values = dict(values)
    if "name" in values:
        values["name"] = fix_display(values["name"])[:200]
        if not values["name"]:
            raise ValidationError({"name": _("The name is empty.")})
    if "kind" in values and values["kind"] not in Site.Kind.values:
        raise ValidationError({"kind": _("Unknown kind of site.")})
    for key in ("latitude", "longitude"):
        if values.get(key) not in (None, ""):
            values[key] = Decimal(str(values[key])).quantize(Decimal("0.000001"))
        elif key in values:
            values[key] = None
    return values


def do_create_site(*, actor, org: Organization, **values) -> Site:
    require_perm(actor, "field.manage", org)
    values = _clean_site(values)
    code = values.get("code", "")
    if code and Site.objects.filter(org=org, code=code).exists():
        raise ValidationError({"code": _("A site with this code already exists.")})
    with transaction.atomic():
        site = Site.objects.create(org=org, **values)
        audit.record(
            actor=actor, verb="site.create", org=org, obj=site,
            after=audit.snapshot(site, SITE_FIELDS),
        )  # fmt: skip
    return site


def do_update_site(*, actor, site: Site, **changes) -> Site:
    require_perm(actor, "field.manage", site.org)
    unknown = set(changes) - {*SITE_FIELDS, "photo"}
    if unknown:
        raise TypeError(f"cannot change {sorted(unknown)}")
    changes = _clean_site(changes)
    code = changes.get("code")
    if code and Site.objects.filter(org=site.org, code=code).exclude(pk=site.pk).exists():
        raise ValidationError({"code": _("A site with this code already exists.")})
    with transaction.atomic():
        before = audit.snapshot(site, SITE_FIELDS)
        photo = changes.pop("photo", None)
        for key, value in changes.items():
            setattr(site, key, value)
        if photo is not None:
            data = files.read_photo(files.read_upload(photo)).data
            site.photo.save(f"{uuid.uuid4().hex}.jpg", ContentFile(data), save=False)
            changes["photo"] = True
        site.save(update_fields=list(changes))
        audit.record(
            actor=actor, verb="site.update", org=site.org, obj=site, before=before,
            after=audit.snapshot(site, SITE_FIELDS),
        )  # fmt: skip
    return site


def do_check_site_import(*, actor, org: Organization, upload) -> SiteImport:
    """Read and check every row; nothing is imported yet."""
    require_perm(actor, "field.manage", org)
    data = files.read_upload(upload)
    table = importer.read_table(data, getattr(upload, "name", ""))
    existing = set(Site.objects.filter(org=org).exclude(code="").values_list("code", flat=True))
    rows = importer.check_rows(table, org=org, existing_codes=existing)
    with transaction.atomic():
        site_import = SiteImport.objects.create(
            org=org, file_name=(getattr(upload, "name", "") or "")[:200], rows=rows,
            created_by=actor,
        )  # fmt: skip
        audit.record(
            actor=actor, verb="site.import_check", org=org, obj=site_import,
            after={"rows": len(rows), "bad": len(site_import.bad_rows)},
        )  # fmt: skip
    return site_import


def do_import_sites(*, actor, site_import: SiteImport, good_rows_only: bool = False) -> int:
    """Create the checked rows: all of them only if none has an error, else the good ones if
    the user chose so. Returns how many sites were created."""
    org = site_import.org
    require_perm(actor, "field.manage", org)
    if site_import.status != SiteImport.Status.CHECKED:
        raise ValidationError(_("This file was already imported or discarded."))
    if site_import.bad_rows and not good_rows_only:
        raise ValidationError(
            _(
                "%(n)s rows have errors: fix the file and upload it again, or import the good rows only."
            )
            % {"n": len(site_import.bad_rows)}
        )
    from didban.places.models import Place

    with transaction.atomic():
        existing = set(Site.objects.filter(org=org).exclude(code="").values_list("code", flat=True))
        places = Place.objects.in_bulk({r["values"]["place"] for r in site_import.good_rows})
        owners = Organization.objects.in_bulk(
            {r["values"]["owner_org"] for r in site_import.good_rows if r["values"]["owner_org"]}
        )
        sites = []
        for row in site_import.good_rows:
            values = dict(row["values"])
            if values["code"] and values["code"] in existing:
                raise ValidationError(
                    _("Row %(row)s: a site with the code «%(code)s» was created meanwhile.")
                    % {"row": row["row"], "code": values["code"]}
                )
            values["place"] = places[values["place"]]
            values["owner_org"] = owners.get(values["owner_org"])
            site = Site(org=org, **values)
            site.name_norm = ""
            sites.append(site)
        for site in sites:
            from didban.field.models import area_of
            from didban.lib.persian import normalize

            site.name_norm = normalize(site.name)
            site.area = area_of(site.place)
        Site.objects.bulk_create(sites, batch_size=500)
        site_import.status = SiteImport.Status.IMPORTED
        site_import.imported_count = len(sites)
        site_import.save(update_fields=["status", "imported_count"])
        audit.record(
            actor=actor, verb="site.import", org=org, obj=site_import,
            after={"created": len(sites), "skipped": len(site_import.bad_rows)},
        )  # fmt: skip
    return len(sites)


# Windows and placements


def do_create_window(
    *,
    actor,
    org: Organization,
    name: str,
    starts_on: date,
    ends_on: date,
    occasion: str = "",
    target: int = 0,
    recheck_days: int = 7,
) -> Window:
    require_perm(actor, "field.manage", org)
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("The window ends before it starts.")})
    if recheck_days < 1:
        raise ValidationError({"recheck_days": _("Re-check at least every day.")})
    with transaction.atomic():
        window = Window.objects.create(
            org=org, name=fix_display(name)[:120], occasion=fix_display(occasion)[:120],
            starts_on=starts_on, ends_on=ends_on, target=max(0, target), recheck_days=recheck_days,
        )  # fmt: skip
        audit.record(
            actor=actor, verb="window.create", org=org, obj=window,
            after=audit.snapshot(window, WINDOW_FIELDS),
        )  # fmt: skip
    return window


def tasks_for(placement: Placement, window: Window) -> list[FieldTask]:
    """The expected work of a placement: install, verify, then a re-check every N days."""
    install_on = window.starts_on + timedelta(days=INSTALL_GRACE_DAYS)
    verify_on = min(window.ends_on, window.starts_on + timedelta(days=VERIFY_AFTER_DAYS))
    tasks = [
        FieldTask(org=placement.org, placement=placement, kind=FieldTask.Kind.INSTALL, due_on=min(install_on, window.ends_on)),
        FieldTask(org=placement.org, placement=placement, kind=FieldTask.Kind.VERIFY, due_on=verify_on),
    ]  # fmt: skip
    day = verify_on + timedelta(days=window.recheck_days)
    while day <= window.ends_on:
        tasks.append(
            FieldTask(
                org=placement.org, placement=placement, kind=FieldTask.Kind.RECHECK, due_on=day
            )
        )
        day += timedelta(days=window.recheck_days)
    return tasks


def do_plan_window(*, actor, window: Window) -> int:
    """Mark the window planned and create each placement's field tasks. Returns tasks created."""
    require_perm(actor, "field.manage", window.org)
    with transaction.atomic():
        window = Window.objects.select_for_update().get(pk=window.pk)
        before = audit.snapshot(window, WINDOW_FIELDS)
        tasks = []
        for placement in window.placements.select_related("org"):
            tasks.extend(tasks_for(placement, window))
        existing = FieldTask.objects.filter(placement__window=window).count()
        FieldTask.objects.bulk_create(tasks, batch_size=1000, ignore_conflicts=True)
        created = FieldTask.objects.filter(placement__window=window).count() - existing
        window.status = Window.Status.PLANNED
        window.planned_at = window.planned_at or timezone.now()
        window.save(update_fields=["status", "planned_at"])
        audit.record(
            actor=actor, verb="window.plan", org=window.org, obj=window, before=before,
            after={**audit.snapshot(window, WINDOW_FIELDS), "tasks": created},
        )  # fmt: skip
    return created


def design_usable_by(design: Design, org: Organization) -> bool:
    """The design library rule (docs/field.md): own subtree, inherited from above, or shared."""
    if org.path.startswith(design.org.path) or design.org.path.startswith(org.path):
        return True
    return bool(design.shared_path) and org.path.startswith(design.shared_path)


def do_create_placement(*, actor, window: Window, site: Site, design: Design) -> Placement:
    require_perm(actor, "field.manage", site.org)
    require_perm(actor, "field.manage", window.org)
    if not site.org.path.startswith(window.org.path):
        raise ValidationError({"site": _("The site is not in the window's organisation.")})
    if design.status != Design.Status.APPROVED:
        raise ValidationError({"design": _("Only an approved design can be placed.")})
    if not design_usable_by(design, site.org):
        raise PermissionDenied
    if not site.is_active:
        raise ValidationError({"site": _("The site is inactive.")})
    if Placement.objects.filter(window=window, site=site, design=design).exists():
        raise ValidationError(_("This design is already planned at this site in this window."))
    with transaction.atomic():
        window = Window.objects.select_for_update().get(pk=window.pk)
        placement = Placement.objects.create(org=site.org, window=window, site=site, design=design)
        if window.status == Window.Status.PLANNED:
            FieldTask.objects.bulk_create(tasks_for(placement, window), ignore_conflicts=True)
        audit.record(
            actor=actor, verb="placement.create", org=site.org, obj=placement,
            after={"window": window.pk, "site": site.pk, "design": design.pk},
        )  # fmt: skip
    return placement


# Check-ins


def checkin_hash(
    *,
    placement_id: int,
    to_state: str,
    latitude: Decimal | None,
    longitude: Decimal | None,
    accuracy_m: float | None,
    client_time: datetime,
    note: str,
    photo_sha256: str,
) -> str:
    def dec(v):
        return None if v is None else str(Decimal(str(v)).quantize(Decimal("0.000001")))

    body = [
        placement_id,
        to_state,
        dec(latitude),
        dec(longitude),
        None if accuracy_m is None else round(float(accuracy_m), 2),
        client_time.astimezone(UTC).isoformat(timespec="seconds"),
        note.strip(),
        photo_sha256,
    ]
    return hashlib.sha256(json.dumps(body, ensure_ascii=False).encode()).hexdigest()


def _flags(
    *, placement: Placement, lat, lon, client_time: datetime, taken_at
) -> tuple[list, float | None]:
    flags = []
    distance = None
    site = placement.site
    if lat is not None and lon is not None and site.has_coordinates:
        distance = files.haversine_m(
            float(lat), float(lon), float(site.latitude), float(site.longitude)
        )
        if distance > settings.FIELD_CHECKIN_RADIUS_M:
            flags.append(CheckIn.Flag.DISTANCE.value)
    if not placement.window.contains(local_day(client_time)):
        flags.append(CheckIn.Flag.WINDOW.value)
    if taken_at is not None:
        skew = abs((client_time - taken_at).total_seconds()) / 60
        if skew > settings.FIELD_PHOTO_MAX_SKEW_MINUTES:
            flags.append(CheckIn.Flag.PHOTO_TIME.value)
    return flags, distance


def _complete_tasks(placement: Placement, checkin: CheckIn, day: date) -> None:
    open_tasks = placement.tasks.filter(done_at__isnull=True).order_by("due_on")
    now = timezone.now()
    to = checkin.to_state
    target = None
    if to in (Placement.State.INSTALLED, Placement.State.REPLACED):
        target = open_tasks.filter(kind=FieldTask.Kind.INSTALL).first()
    elif to == Placement.State.VERIFIED:
        target = open_tasks.filter(kind=FieldTask.Kind.VERIFY).first()
        if target is None:
            horizon = day + timedelta(days=placement.window.recheck_days)
            target = open_tasks.filter(kind=FieldTask.Kind.RECHECK, due_on__lte=horizon).first()
    elif (
        to in (Placement.State.DAMAGED, Placement.State.REMOVED)
        and placement.window.status == Window.Status.PLANNED
    ):
        # The display is down: a replacement is expected within the grace days.
        due = max(min(day + timedelta(days=INSTALL_GRACE_DAYS), placement.window.ends_on), day)
        replacement = FieldTask(
            org=placement.org, placement=placement, kind=FieldTask.Kind.INSTALL, due_on=due
        )
        FieldTask.objects.bulk_create([replacement], ignore_conflicts=True)
    if target is not None:
        target.done_at = now
        target.done_by = checkin
        target.save(update_fields=["done_at", "done_by"])


def do_record_checkin(
    *,
    actor,
    placement: Placement,
    client_uuid: uuid.UUID | str,
    to_state: str,
    client_time: datetime,
    latitude: Decimal | float | None = None,
    longitude: Decimal | float | None = None,
    accuracy_m: float | None = None,
    note: str = "",
    photo=None,
) -> tuple[CheckIn, bool]:
    """Record a state change with its proof. Idempotent by the client's id: the same submission
    again returns the first check-in (created False); other content under that id raises
    CheckInConflict."""
    try:
        client_uuid = uuid.UUID(str(client_uuid))
    except ValueError:
        raise ValidationError({"client_uuid": _("The submission id is not a UUID.")}) from None
    if timezone.is_naive(client_time):
        raise ValidationError({"client_time": _("The device time needs a time zone.")})
    require_perm(actor, "field.checkin", placement.org)
    note = (note or "").strip()[:500]
    photo_obj = None
    if photo is not None:
        photo_obj = files.read_photo(files.read_upload(photo))
    if (latitude is None) != (longitude is None):
        raise ValidationError({"latitude": _("Give both latitude and longitude, or neither.")})
    if to_state not in Placement.State.values:
        raise ValidationError({"to_state": _("Unknown state.")})
    digest = checkin_hash(
        placement_id=placement.pk, to_state=to_state, latitude=latitude, longitude=longitude,
        accuracy_m=accuracy_m, client_time=client_time, note=note,
        photo_sha256=photo_obj.sha256 if photo_obj else "",
    )  # fmt: skip

    def existing_result():
        found = CheckIn.objects.filter(client_uuid=client_uuid).first()
        if found is None:
            return None
        if found.content_hash != digest:
            raise CheckInConflict(found)
        return found, False

    if (result := existing_result()) is not None:
        return result
    needs_photo = to_state != Placement.State.DISPATCHED
    if needs_photo and photo_obj is None:
        raise ValidationError({"photo": _("Take a photo of the display now.")})
    photo_name = ""
    if photo_obj is not None:
        # Written before the transaction, so no lock (SQLite's one writer, the placement row) is
        # held during the disk write; removed again below when no new check-in takes it.
        photo_name = _photo_storage().save(
            _checkin_upload(CheckIn(client_uuid=client_uuid), "photo.jpg"),
            ContentFile(photo_obj.data),
        )
    try:
        result = _save_checkin(
            actor=actor, placement=placement, client_uuid=client_uuid, digest=digest,
            to_state=to_state, client_time=client_time, latitude=latitude, longitude=longitude,
            accuracy_m=accuracy_m, note=note, photo_obj=photo_obj, photo_name=photo_name,
            existing_result=existing_result,
        )  # fmt: skip
    except BaseException:
        if photo_name:
            _photo_storage().delete(photo_name)
        raise
    if photo_name and not result[1]:
        _photo_storage().delete(photo_name)
    return result


def _photo_storage():
    return CheckIn._meta.get_field("photo").storage


def _save_checkin(
    *, actor, placement, client_uuid, digest, to_state, client_time, latitude, longitude,
    accuracy_m, note, photo_obj, photo_name, existing_result,
) -> tuple[CheckIn, bool]:  # fmt: skip
    with transaction.atomic():
        # Lock the placement row only (`of`): on PostgreSQL a plain FOR UPDATE over the join
        # would also lock its window and site, making every check-in of a window wait in line.
        locked = (
            Placement.objects.select_for_update(of=("self",))
            .select_related("site", "window", "design", "org")
            .get(pk=placement.pk)
        )
        if (result := existing_result()) is not None:
            return result
        if not locked.can_move_to(to_state):
            raise ValidationError(
                {"to_state": _("A placement that is “%(state)s” cannot become “%(to)s”.")
                 % {"state": locked.get_state_display(), "to": Placement.State(to_state).label}}
            )  # fmt: skip
        flags, distance = _flags(
            placement=locked, lat=latitude, lon=longitude, client_time=client_time,
            taken_at=photo_obj.taken_at if photo_obj else None,
        )  # fmt: skip
        checkin = CheckIn(
            client_uuid=client_uuid, content_hash=digest, placement=locked, org=locked.org,
            agent=actor, from_state=locked.state, to_state=to_state,
            photo_sha256=photo_obj.sha256 if photo_obj else "",
            photo_taken_at=photo_obj.taken_at if photo_obj else None,
            latitude=None if latitude is None else Decimal(str(latitude)).quantize(Decimal("0.000001")),
            longitude=None if longitude is None else Decimal(str(longitude)).quantize(Decimal("0.000001")),
            accuracy_m=accuracy_m, distance_m=distance, client_time=client_time, note=note,
            flags=flags,
        )  # fmt: skip
        checkin.photo.name = photo_name
        try:
            with transaction.atomic():
                checkin.save()
        except IntegrityError:
            # A parallel upload of the same submission won the race.
            if (result := existing_result()) is not None:
                return result
            raise
        locked.state = to_state
        locked.state_changed_at = timezone.now()
        locked.save(update_fields=["state", "state_changed_at"])
        _complete_tasks(locked, checkin, local_day(client_time))
        audit.record(
            actor=actor, verb="placement.checkin", org=locked.org, obj=locked,
            before={"state": checkin.from_state},
            after={"state": to_state, "checkin": str(client_uuid), "flags": flags},
        )  # fmt: skip
    return checkin, True
