"""Permission-checked reads of display campaigns."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from didban.core.access import _membership_paths, scope_q
from didban.field.models import CheckIn, Design, FieldTask, Placement, Site, SiteImport, Window


def local_today() -> date:
    return timezone.localdate()


def _prefixes(path: str) -> list[str]:
    """«/1/4/9/» → ["/1/", "/1/4/", "/1/4/9/"]."""
    parts = [p for p in path.strip("/").split("/") if p]
    return ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


def design_library_q(user, permission: str = "field.view") -> Q:
    """The design library rule: a user sees every design of their subtree (any state); and the
    approved designs of the organisations above them and those shared with their province."""
    if getattr(user, "is_superuser", False) and user.is_active:
        return Q()
    own = scope_q(user, permission)
    ancestors: set[str] = set()
    for path in _membership_paths(user, permission):
        ancestors.update(_prefixes(path))
    if not ancestors:
        return own
    inherited = Q(org__path__in=ancestors) | Q(shared_path__in=ancestors)
    return own | (inherited & Q(status=Design.Status.APPROVED))


def list_designs(
    user, *, search: str = "", status: str = "", theme: str = "", occasion_id: int | None = None
) -> QuerySet:
    from didban.lib.persian import normalize

    designs = (
        Design.objects.filter(design_library_q(user))
        .select_related("org", "current_version")
        .order_by("-created_at")
    )
    if search:
        designs = designs.filter(title_norm__contains=normalize(search))
    if status:
        designs = designs.filter(status=status)
    if theme:
        designs = designs.filter(theme=theme)
    if occasion_id:
        designs = designs.filter(linked_occasion_id=occasion_id)
    return designs


def list_design_occasions(user, *, permission: str = "field.view") -> QuerySet:
    """Newsroom occasions a design may be linked to or filtered by: those of the user's
    organisations, of the units below and of the HQs above (the newsroom's own rule)."""
    from didban.newsroom.queries import list_occasions

    return list_occasions(user, permission=permission).order_by("-starts_on", "name")


def access_design(user, design_id: int) -> Design:
    return get_object_or_404(list_designs(user), pk=design_id)


def list_sites(
    user, *, permission: str = "field.view", search: str = "", kind: str = "", area: str = ""
) -> QuerySet:
    from didban.lib.persian import normalize

    sites = Site.objects.filter(scope_q(user, permission)).select_related(
        "place", "org", "owner_org"
    )
    if search:
        needle = normalize(search)
        sites = sites.filter(Q(name_norm__contains=needle) | Q(code=search.strip()))
    if kind:
        sites = sites.filter(kind=kind)
    if area:
        sites = sites.filter(area=area)
    return sites


def access_site(user, site_id: int, *, permission: str = "field.view") -> Site:
    return get_object_or_404(list_sites(user, permission=permission), pk=site_id)


def access_site_import(user, import_id: int) -> SiteImport:
    return get_object_or_404(
        SiteImport.objects.filter(scope_q(user, "field.manage")).select_related("org"), pk=import_id
    )


def list_windows(user, *, permission: str = "field.view") -> QuerySet:
    return Window.objects.filter(scope_q(user, permission)).select_related("org")


def access_window(user, window_id: int, *, permission: str = "field.view") -> Window:
    return get_object_or_404(list_windows(user, permission=permission), pk=window_id)


def list_placements(
    user,
    *,
    permission: str = "field.view",
    window: Window | None = None,
    state: str = "",
    area: str = "",
    place=None,
) -> QuerySet:
    placements = Placement.objects.filter(scope_q(user, permission)).select_related(
        "site", "site__place", "design", "design__current_version", "window"
    )
    if window is not None:
        placements = placements.filter(window=window)
    if state:
        placements = placements.filter(state=state)
    if area:
        placements = placements.filter(site__area=area)
    if place is not None:
        # A place and everything under it (a county's cities, satellite towns and villages).
        placements = placements.filter(site__place__path__startswith=place.path)
    return placements


def access_placement(user, placement_id: int, *, permission: str = "field.view") -> Placement:
    return get_object_or_404(list_placements(user, permission=permission), pk=placement_id)


def access_placement_for_checkin(user, placement_id: int) -> Placement:
    """The placement a check-in moves, if the user may check in there: one lean query (the
    check-in itself reads the site and window again under its lock)."""
    placements = Placement.objects.filter(scope_q(user, "field.checkin")).select_related("org")
    return get_object_or_404(placements, pk=placement_id)


def list_checkins(user, *, placement: Placement | None = None) -> QuerySet:
    checkins = CheckIn.objects.filter(scope_q(user, "field.view")).select_related("agent")
    if placement is not None:
        checkins = checkins.filter(placement=placement)
    return checkins


def access_checkin(user, checkin_id: int) -> CheckIn:
    return get_object_or_404(list_checkins(user), pk=checkin_id)


def list_open_tasks(
    user, *, permission: str = "field.checkin", window: Window | None = None
) -> QuerySet:
    """Open field tasks in the user's area, the most urgent first."""
    tasks = (
        FieldTask.objects.filter(scope_q(user, permission), done_at__isnull=True)
        .select_related(
            "placement",
            "placement__site",
            "placement__site__place",
            "placement__design",
            "placement__design__current_version",
            "placement__window",
        )
        .order_by("due_on", "pk")
    )
    if window is not None:
        tasks = tasks.filter(placement__window=window)
    return tasks


def overdue_tasks(tasks: QuerySet, today: date | None = None) -> QuerySet:
    return tasks.filter(done_at__isnull=True, due_on__lt=today or local_today())


@dataclass
class CoverageRow:
    area: str
    label: str
    sites: int = 0
    planned: int = 0
    installed: int = 0
    verified: int = 0
    overdue: int = 0
    missing: int = 0

    @property
    def on_display(self) -> int:
        return self.installed + self.verified


@dataclass
class Coverage:
    window: Window
    rows: list[CoverageRow] = field(default_factory=list)
    total: CoverageRow | None = None
    target: int = 0

    @property
    def percent(self) -> int:
        if not self.target or self.total is None:
            return 0
        return min(100, round(100 * self.total.on_display / self.target))


def coverage(user, window: Window, *, today: date | None = None) -> Coverage:
    """Per area type: placements planned, installed (on display, not yet verified), verified,
    overdue (an open task past its day) and missing (damaged or removed). Two grouped queries."""
    today = today or local_today()
    placements = list_placements(user, window=window)
    S = Placement.State
    late = FieldTask.objects.filter(
        placement=OuterRef("pk"), done_at__isnull=True, due_on__lt=today
    )
    counts = (
        placements.order_by()
        .values("site__area")
        .annotate(
            planned=Count("pk"),
            installed=Count("pk", filter=Q(state__in=[S.INSTALLED, S.REPLACED])),
            verified=Count("pk", filter=Q(state=S.VERIFIED)),
            missing=Count("pk", filter=Q(state__in=[S.DAMAGED, S.REMOVED])),
            sites=Count("site", distinct=True),
        )
    )
    overdue = dict(
        placements.order_by()
        .filter(Exists(late))
        .values("site__area")
        .annotate(n=Count("pk"))
        .values_list("site__area", "n")
    )
    by_area = {row["site__area"]: row for row in counts}
    result = Coverage(window=window)
    total = CoverageRow(area="", label="")
    for area, label in Site.Area.choices:
        data = by_area.get(area)
        if data is None and area == Site.Area.OTHER:
            continue
        row = CoverageRow(area=area, label=str(label))
        if data:
            for key in ("sites", "planned", "installed", "verified", "missing"):
                setattr(row, key, data[key])
        row.overdue = overdue.get(area, 0)
        for key in ("sites", "planned", "installed", "verified", "missing", "overdue"):
            setattr(total, key, getattr(total, key) + getattr(row, key))
        result.rows.append(row)
    result.total = total
    result.target = window.target or total.planned
    return result


# Reference points drawn under the sites when there are no tiles, largest first.
MAP_PLACE_KINDS = ("city", "satellite_town", "village")


def map_places(area, *, limit: int = 400) -> list[dict]:
    """The named settlements of an area with coordinates (city, satellite towns, villages):
    places are public reference data, so any page that shows the area's map may show them."""
    from didban.places.models import Place

    if area is None:
        return []
    rows = (
        Place.objects.filter(
            path__startswith=area.path,
            kind__in=MAP_PLACE_KINDS,
            latitude__isnull=False,
            longitude__isnull=False,
        )
        .order_by("kind", "name_fa")
        .values_list("name_fa", "name_en", "kind", "latitude", "longitude")[:limit]
    )
    return [
        {"name": fa, "name_en": en, "kind": kind, "lat": float(lat), "lng": float(lng)}
        for fa, en, kind, lat, lng in rows
    ]


def map_points(user, window: Window, *, limit: int = 5000) -> list[dict]:
    """Sites of the window with coordinates and the state of their placements, for the map."""
    rows = (
        list_placements(user, window=window)
        .filter(site__latitude__isnull=False)
        .order_by("site_id")
        .values_list("site_id", "site__name", "site__latitude", "site__longitude", "state")[:limit]
    )
    points: dict[int, dict] = {}
    for site_id, name, lat, lon, state in rows:
        point = points.setdefault(
            site_id,
            {"id": site_id, "name": name, "lat": float(lat), "lng": float(lon), "states": []},
        )
        point["states"].append(state)
    return list(points.values())


# The lists behind the command room's field figures (same filters, same counts).
ON_DISPLAY = (Placement.State.INSTALLED, Placement.State.VERIFIED)
PLACEMENT_SHOWS = ("on_display", "covered", "planned")


def running_placements(user, *, org=None, day: date | None = None, show: str = "") -> QuerySet:
    """Placements of the windows running on `day` in the user's scope (and `org`'s subtree):
    `on_display` — installed or verified; `planned` — all but those replaced; `covered` — one
    placement on display per organisation and site (the «sites covered» figure)."""
    day = day or local_today()
    rows = list_placements(user).filter(window__starts_on__lte=day, window__ends_on__gte=day)
    if org is not None:
        rows = rows.filter(org__path__startswith=org.path)
    if show == "planned":
        rows = rows.exclude(state=Placement.State.REPLACED)
    elif show in ("on_display", "covered"):
        rows = rows.filter(state__in=ON_DISPLAY)
    if show == "covered":
        from django.db.models import Min

        first = rows.order_by().values("org", "site").annotate(first=Min("pk")).values("first")
        rows = list_placements(user).filter(pk__in=first)
    return rows.select_related("org")


def checkins_between(
    user, *, org=None, state: str = "", since: date | None = None, until: date | None = None
) -> QuerySet:
    """Check-ins in the user's scope by the agent's time (Tehran days), as the figures count."""
    from datetime import timedelta

    from didban.lib.jalali import day_start

    rows = list_checkins(user).select_related("placement__site", "placement__design", "org")
    if org is not None:
        rows = rows.filter(org__path__startswith=org.path)
    if state:
        rows = rows.filter(to_state=state)
    if since:
        rows = rows.filter(client_time__gte=day_start(since))
    if until:
        rows = rows.filter(client_time__lt=day_start(until + timedelta(days=1)))
    return rows
