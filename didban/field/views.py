"""Pages of display campaigns: designs, sites (with import), windows, the placements board,
coverage, the field agent's tasks and the offline field app."""

from __future__ import annotations

import hashlib
import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import select_template
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from didban.accounts.forms import apply_errors
from didban.accounts.queries import list_organizations
from didban.core.access import has_any, has_perm
from didban.field import actions, queries
from didban.field.forms import (
    DesignForm,
    DesignOccasionForm,
    ImportForm,
    PlacementForm,
    ReviewForm,
    SiteForm,
    VersionForm,
    WindowForm,
)
from didban.field.models import Design, Placement, Site


def _need(request: HttpRequest, permission: str = "field.view") -> None:
    if not has_any(request.user, permission):
        raise PermissionDenied


def _orgs(request: HttpRequest, permission: str):
    orgs = list_organizations(request.user, permission=permission).exclude(kind="pr_unit")
    if not orgs.exists():
        raise PermissionDenied
    return orgs


def _file(field_file, *, download_name: str = "") -> FileResponse:
    if not field_file:
        raise Http404
    try:
        handle = field_file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, filename=download_name or None)
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# Designs


@login_required
def design_list(request: HttpRequest) -> HttpResponse:
    _need(request)
    search = request.GET.get("q", "").strip()[:100]
    status = request.GET.get("status", "")
    if status not in Design.Status.values:
        status = ""
    occasions = queries.list_design_occasions(request.user)
    occasion = request.GET.get("occasion", "")
    occasion_id = int(occasion) if occasion.isdigit() else None
    if occasion_id and not occasions.filter(pk=occasion_id).exists():
        occasion_id = None
    designs = queries.list_designs(
        request.user, search=search, status=status, occasion_id=occasion_id
    )
    page = Paginator(designs, 48).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "search": search,
        "status": status,
        "statuses": Design.Status.choices,
        "occasions": occasions[:200],
        "occasion_id": occasion_id,
        "can_create": has_any(request.user, "field.design"),
    }
    template = "field/design_list.html"
    if request.headers.get("HX-Request"):
        template += "#results"
    return render(request, template, context)


@login_required
def design_create(request: HttpRequest) -> HttpResponse:
    orgs = _orgs(request, "field.design")
    form = DesignForm(
        request.POST or None, request.FILES or None, orgs=orgs,
        occasions=queries.list_design_occasions(request.user, permission="field.design"),
    )  # fmt: skip
    if request.method == "POST" and form.is_valid():
        try:
            design = actions.do_create_design(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Design uploaded; it awaits approval."))
            return redirect("field:design_detail", design.pk)
    return render(
        request, "field/form.html", {"form": form, "title": _("New design"), "multipart": True}
    )


@login_required
def design_detail(request: HttpRequest, design_id: int) -> HttpResponse:
    design = queries.access_design(request.user, design_id)
    own = has_perm(request.user, "field.view", design.org)
    context = {
        "design": design,
        "versions": design.versions.select_related("uploaded_by"),
        "own": own,
        "can_version": has_perm(request.user, "field.design", design.org),
        "can_review": has_perm(request.user, "field.approve", design.org),
        "version_form": VersionForm(),
        "occasion_form": DesignOccasionForm(
            initial={"linked_occasion": design.linked_occasion_id},
            occasions=queries.list_design_occasions(request.user, permission="field.design"),
        ),
        "review_form": ReviewForm(),
        "placements": queries.list_placements(request.user).filter(design=design)[:50],
    }
    return render(request, "field/design_detail.html", context)


@login_required
@require_POST
def design_version(request: HttpRequest, design_id: int) -> HttpResponse:
    design = queries.access_design(request.user, design_id)
    form = VersionForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            actions.do_add_design_version(actor=request.user, design=design, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("New version uploaded; it awaits approval."))
    else:
        messages.error(request, _("Choose a file."))
    return redirect("field:design_detail", design.pk)


@login_required
@require_POST
def design_review(request: HttpRequest, design_id: int) -> HttpResponse:
    design = queries.access_design(request.user, design_id)
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            actions.do_review_design(
                actor=request.user,
                design=design,
                approve=form.cleaned_data["decision"] == "approve",
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Saved."))
    return redirect("field:design_detail", design.pk)


@login_required
@require_POST
def design_occasion(request: HttpRequest, design_id: int) -> HttpResponse:
    design = queries.access_design(request.user, design_id)
    form = DesignOccasionForm(
        request.POST,
        occasions=queries.list_design_occasions(request.user, permission="field.design"),
    )
    if not form.is_valid():
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
        return redirect("field:design_detail", design.pk)
    try:
        actions.do_set_design_occasion(
            actor=request.user, design=design,
            linked_occasion=form.cleaned_data["linked_occasion"],
        )  # fmt: skip
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Saved."))
    return redirect("field:design_detail", design.pk)


@login_required
@require_POST
def design_share(request: HttpRequest, design_id: int) -> HttpResponse:
    design = queries.access_design(request.user, design_id)
    try:
        actions.do_share_design(
            actor=request.user, design=design, shared=request.POST.get("shared") == "1"
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Saved."))
    return redirect("field:design_detail", design.pk)


@login_required
def design_file(
    request: HttpRequest, design_id: int, number: int, kind: str = "file"
) -> FileResponse:
    design = queries.access_design(request.user, design_id)
    version = get_object_or_404(design.versions, number=number)
    if kind == "thumb":
        return _file(version.thumbnail)
    return _file(version.file, download_name=f"design-{design.pk}-v{number}{version.extension}")


# Sites


@login_required
def site_list(request: HttpRequest) -> HttpResponse:
    _need(request)
    search = request.GET.get("q", "").strip()[:100]
    kind = request.GET.get("kind", "")
    area = request.GET.get("area", "")
    kind = kind if kind in Site.Kind.values else ""
    area = area if area in Site.Area.values else ""
    sites = queries.list_sites(request.user, search=search, kind=kind, area=area).order_by("name")
    page = Paginator(sites, 100).get_page(request.GET.get("page"))
    points = [
        {
            "id": s.pk,
            "name": s.name,
            "lat": float(s.latitude),
            "lng": float(s.longitude),
            "states": [],
        }
        for s in sites.filter(latitude__isnull=False)[:3000]
    ]
    context = {
        "page": page, "search": search, "kind": kind, "area": area,
        "kinds": Site.Kind.choices, "areas": Site.Area.choices, "points": points,
        "can_manage": has_any(request.user, "field.manage"),
        "map_tiles_url": settings.MAP_TILES_URL,
    }  # fmt: skip
    template = "field/site_list.html"
    if request.headers.get("HX-Request"):
        template += "#results"
    return render(request, template, context)


def _site_form(request, *, site: Site | None):
    orgs = _orgs(request, "field.manage")
    owners = list_organizations(request.user)
    initial = {}
    if site is not None:
        initial = {f: getattr(site, f) for f in actions.SITE_FIELDS}
        initial["org"] = site.org
    return SiteForm(
        request.POST or None, request.FILES or None, orgs=orgs, owners=owners, initial=initial
    )


@login_required
def site_create(request: HttpRequest) -> HttpResponse:
    form = _site_form(request, site=None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        photo = data.pop("photo", None)
        try:
            site = actions.do_create_site(actor=request.user, **data)
            if photo:
                actions.do_update_site(actor=request.user, site=site, photo=photo)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Site saved."))
            return redirect("field:site_detail", site.pk)
    return render(
        request, "field/form.html", {"form": form, "title": _("New site"), "multipart": True}
    )


@login_required
def site_edit(request: HttpRequest, site_id: int) -> HttpResponse:
    site = queries.access_site(request.user, site_id, permission="field.manage")
    form = _site_form(request, site=site)
    form.fields.pop("org")
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if not data.get("photo"):
            data.pop("photo", None)
        changes = {k: v for k, v in data.items() if k == "photo" or v != getattr(site, k)}
        try:
            if changes:
                actions.do_update_site(actor=request.user, site=site, **changes)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("field:site_detail", site.pk)
    return render(request, "field/form.html", {"form": form, "title": site.name, "multipart": True})


@login_required
def site_detail(request: HttpRequest, site_id: int) -> HttpResponse:
    site = queries.access_site(request.user, site_id)
    placements = (
        queries.list_placements(request.user).filter(site=site).order_by("-window__starts_on")
    )
    return render(
        request,
        "field/site_detail.html",
        {
            "site": site,
            "placements": placements,
            "can_manage": has_perm(request.user, "field.manage", site.org),
            "map_tiles_url": settings.MAP_TILES_URL,
        },
    )


@login_required
def site_photo(request: HttpRequest, site_id: int) -> FileResponse:
    return _file(queries.access_site(request.user, site_id).photo)


@login_required
def site_import(request: HttpRequest) -> HttpResponse:
    orgs = _orgs(request, "field.manage")
    form = ImportForm(request.POST or None, request.FILES or None, orgs=orgs)
    if request.method == "POST" and form.is_valid():
        try:
            report = actions.do_check_site_import(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
            if not form.errors:
                form.add_error("upload", " ".join(exc.messages))
        else:
            return redirect("field:site_import_report", report.pk)
    return render(
        request, "field/form.html",
        {"form": form, "title": _("Import sites"), "multipart": True, "help_template": "field/import_help.html"},
    )  # fmt: skip


@login_required
def site_import_report(request: HttpRequest, import_id: int) -> HttpResponse:
    report = queries.access_site_import(request.user, import_id)
    if request.method == "POST":
        try:
            count = actions.do_import_sites(
                actor=request.user,
                site_import=report,
                good_rows_only=request.POST.get("mode") == "good",
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("%(n)s sites imported.") % {"n": count})
            return redirect("field:site_list")
    return render(request, "field/import_report.html", {"report": report})


# Windows, placements, coverage


@login_required
def window_list(request: HttpRequest) -> HttpResponse:
    _need(request)
    windows = list(queries.list_windows(request.user))
    summaries = [(w, queries.coverage(request.user, w)) for w in windows[:12]]
    return render(
        request,
        "field/window_list.html",
        {"summaries": summaries, "can_manage": has_any(request.user, "field.manage")},
    )


@login_required
def window_create(request: HttpRequest) -> HttpResponse:
    orgs = _orgs(request, "field.manage")
    form = WindowForm(request.POST or None, orgs=orgs)
    if request.method == "POST" and form.is_valid():
        try:
            window = actions.do_create_window(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Window created."))
            return redirect("field:window_board", window.pk)
    return render(request, "field/form.html", {"form": form, "title": _("New window")})


@login_required
def window_board(request: HttpRequest, window_id: int) -> HttpResponse:
    window = queries.access_window(request.user, window_id)
    placements = queries.list_placements(request.user, window=window).order_by("site__name")
    columns = []
    for state, label in Placement.State.choices:
        columns.append(
            {"state": state, "label": label, "items": [p for p in placements if p.state == state]}
        )
    can_manage = has_perm(request.user, "field.manage", window.org)
    form = None
    if can_manage:
        form = PlacementForm(
            designs=queries.list_designs(request.user, status=Design.Status.APPROVED),
            sites=queries.list_sites(request.user, permission="field.manage")
            .filter(is_active=True, org__path__startswith=window.org.path)
            .order_by("name"),
        )
    return render(
        request,
        "field/window_board.html",
        {
            "window": window,
            "columns": columns,
            "form": form,
            "can_manage": can_manage,
            "total": len(placements),
        },
    )


@login_required
@require_POST
def window_place(request: HttpRequest, window_id: int) -> HttpResponse:
    window = queries.access_window(request.user, window_id, permission="field.manage")
    form = PlacementForm(
        request.POST,
        designs=queries.list_designs(request.user, status=Design.Status.APPROVED),
        sites=queries.list_sites(request.user, permission="field.manage"),
    )
    if not form.is_valid():
        messages.error(request, _("Choose a design and at least one site."))
        return redirect("field:window_board", window.pk)
    created, problems = 0, []
    for site in form.cleaned_data["sites"]:
        try:
            actions.do_create_placement(
                actor=request.user, window=window, site=site, design=form.cleaned_data["design"]
            )
            created += 1
        except (ValidationError, PermissionDenied) as exc:
            detail = (
                " ".join(exc.messages) if isinstance(exc, ValidationError) else _("not allowed")
            )
            problems.append(f"{site.name}: {detail}")
    if created:
        messages.success(request, _("%(n)s placements added.") % {"n": created})
    for problem in problems[:10]:
        messages.warning(request, problem)
    return redirect("field:window_board", window.pk)


@login_required
@require_POST
def window_plan(request: HttpRequest, window_id: int) -> HttpResponse:
    window = queries.access_window(request.user, window_id, permission="field.manage")
    count = actions.do_plan_window(actor=request.user, window=window)
    messages.success(request, _("Window planned: %(n)s field tasks created.") % {"n": count})
    return redirect("field:window_board", window.pk)


@login_required
def window_coverage(request: HttpRequest, window_id: int) -> HttpResponse:
    window = queries.access_window(request.user, window_id)
    cov = queries.coverage(request.user, window)
    outline = []
    if window.org.place_id is None and window.org.parent_id:
        place = window.org.parent.place
    else:
        place = window.org.place
    if place is not None and place.has_coordinates:
        outline = [float(place.latitude), float(place.longitude)]
    return render(
        request,
        "field/coverage.html",
        {
            "window": window,
            "coverage": cov,
            "points": queries.map_points(request.user, window),
            "places": queries.map_places(place),
            "center": outline,
            "legend": Placement.State.choices,
            "map_tiles_url": settings.MAP_TILES_URL,
        },
    )


def _org_filter(request: HttpRequest):
    """`?org=` as one of the reader's organisations (its subtree), else None."""
    from didban.core.access import org_from_param

    return org_from_param(request.user, "field.view", request.GET.get("org"))


@login_required
def placement_list(request: HttpRequest) -> HttpResponse:
    """Placements of the windows running on a day (today by default), by organisation and
    state: the list behind the command room's «designs on display», «sites covered» and
    «planned»."""
    from didban.lib.jalali import parse_day

    _need(request)
    show = request.GET.get("show", "")
    show = show if show in queries.PLACEMENT_SHOWS else ""
    day = parse_day(request.GET.get("on")) or queries.local_today()
    org = _org_filter(request)
    rows = queries.running_placements(request.user, org=org, day=day, show=show)
    page = Paginator(rows.order_by("site__name", "pk"), 100).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    labels = {"on_display": _("Designs on display"), "covered": _("Sites covered"),
              "planned": _("Placements planned")}  # fmt: skip
    context = {"page": page, "show": show, "show_label": labels.get(show, ""), "day": day,
               "org_filter": org, "raw": request.GET, "query": query.urlencode()}  # fmt: skip
    return render(request, "field/placement_list.html", context)


@login_required
def checkin_list(request: HttpRequest) -> HttpResponse:
    """Check-ins by the agent's time and the state they moved to: the list behind the command
    room's «installed / verified / reported damaged / reported removed» today."""
    from didban.lib.jalali import parse_day

    _need(request)
    state = request.GET.get("state", "")
    state = state if state in Placement.State.values else ""
    since, until = parse_day(request.GET.get("since")), parse_day(request.GET.get("until"))
    org = _org_filter(request)
    rows = queries.checkins_between(request.user, org=org, state=state, since=since, until=until)
    page = Paginator(rows.order_by("-client_time", "-pk"), 100).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"page": page, "state": state, "state_label": Placement.State(state).label
               if state else "", "since": since, "until": until, "org_filter": org,
               "raw": request.GET, "query": query.urlencode()}  # fmt: skip
    return render(request, "field/checkin_list.html", context)


@login_required
def placement_detail(request: HttpRequest, placement_id: int) -> HttpResponse:
    placement = queries.access_placement(request.user, placement_id)
    return render(
        request,
        "field/placement_detail.html",
        {
            "placement": placement,
            "checkins": queries.list_checkins(request.user, placement=placement),
            "tasks": placement.tasks.all(),
            "today": queries.local_today(),
        },
    )


@login_required
def checkin_photo(request: HttpRequest, checkin_id: int) -> FileResponse:
    return _file(queries.access_checkin(request.user, checkin_id).photo)


@login_required
def task_list(request: HttpRequest) -> HttpResponse:
    _need(request, "field.checkin")
    tasks = queries.list_open_tasks(request.user)
    show = request.GET.get("show", "")
    today = queries.local_today()
    if show == "overdue":
        tasks = queries.overdue_tasks(tasks, today)
    page = Paginator(tasks, 100).get_page(request.GET.get("page"))
    return render(request, "field/task_list.html", {"page": page, "today": today, "show": show})


# The offline field app


def field_app_forms() -> list[str]:
    """Form fragments other apps offer to the field app (e.g. compliance's violation report)."""
    names = []
    for candidate in ("compliance/field_form.html",):
        try:
            select_template([candidate])
        except Exception:  # noqa: S112 - an app that offers no fragment
            continue
        names.append(candidate)
    return names


@login_required
@never_cache
def field_app(request: HttpRequest) -> HttpResponse:
    _need(request, "field.checkin")
    return render(
        request,
        "field/app.html",
        {
            "extra_forms": field_app_forms(),
            "transitions": json.dumps({k: sorted(v) for k, v in Placement.TRANSITIONS.items()}),
            "i18n": app_strings(),
        },
    )


def app_strings() -> dict:
    """The field app's words, translated here so the plain JS needs no catalogue of its own."""
    from didban.field.models import FieldTask

    return {
        "states": dict(Placement.State.choices),
        "tasks": dict(FieldTask.Kind.choices),
        "outbox": {
            "draft": _("draft"),
            "queued": _("queued"),
            "sending": _("sending"),
            "sent": _("sent"),
            "failed": _("failed"),
        },
        "online": _("online"),
        "offline": _("offline"),
        "overdue": _("overdue"),
        "due": _("due"),
        "check_in": _("Check in"),
        "no_tasks": _("No open task. Well done."),
        "loaded": _("Tasks updated"),
        "from_device": _("Offline copy from"),
        "no_copy": _("No offline copy yet: connect once to load your tasks."),
        "queue": _("Send"),
        "retry": _("Retry now"),
        "delete": _("Delete"),
        "retry_at": _("next try"),
        "attempts": _("attempts"),
        "server_id": _("server id"),
        "photo_needed": _("Take a photo of the display now."),
        "state_needed": _("Choose the new state."),
        "gps_wait": _("finding location…"),
        "gps_none": _("location unavailable"),
        "accuracy": _("accuracy"),
        "metres": _("m"),
        "queued_note": _("Recorded; waiting in the outbox."),
        "empty_outbox": _("The outbox is empty."),
        "pending": _("waiting to send"),
        "relogin": _("Log in again, then it will be sent."),
        "saved_draft": _("Saved as a draft in the outbox."),
    }


@login_required
@never_cache
def app_csrf(request: HttpRequest) -> HttpResponse:
    """A fresh CSRF token for the outbox before it sends (the cached shell's may be stale)."""
    from django.http import JsonResponse
    from django.middleware.csrf import get_token

    return JsonResponse({"token": get_token(request)})


SHELL_ASSETS = [
    "vendor/vazirmatn/Vazirmatn-font-face.css",
    "vendor/vazirmatn/fonts/webfonts/Vazirmatn-Variable.woff2",
    "vendor/bootstrap/css/bootstrap.rtl.min.css",
    "vendor/bootstrap-icons/bootstrap-icons.min.css",
    "vendor/bootstrap-icons/fonts/bootstrap-icons.woff2",
    "field/outbox.js",
    "field/app.js",
    "field/app.css",
    "field/icon.svg",
    # Scripts of the fragments other apps offer (absent when the app is not installed).
    "compliance/field_form.js",
]


def _shell_urls() -> list[str]:
    urls = [reverse("field:app"), reverse("field:app_manifest")]
    for asset in SHELL_ASSETS:
        try:
            urls.append(static(asset))
        except ValueError:  # not in the manifest (an optional file)
            continue
    return urls


@never_cache
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker, at the app's URL so its scope covers /field/ (the header allows it)."""
    urls = _shell_urls()
    digest = hashlib.sha256("\n".join(urls).encode())
    # Unhashed static names (no manifest storage): the app's own files decide the version too.
    from django.contrib.staticfiles import finders

    for asset in ("field/outbox.js", "field/app.js", "field/app.css", "compliance/field_form.js"):
        found = finders.find(asset)
        if found:
            with open(found, "rb") as handle:
                digest.update(handle.read())
    version = digest.hexdigest()[:12]
    body = render(
        request,
        "field/sw.js",
        {
            "shell": json.dumps(urls),
            "version": version,
            "app_url": json.dumps(reverse("field:app")),
        },
        content_type="application/javascript",
    )
    body["Service-Worker-Allowed"] = "/field/"
    return body


def manifest(request: HttpRequest) -> HttpResponse:
    data = {
        "name": _("Didban field app"),
        "short_name": _("Didban field"),
        "start_url": reverse("field:app"),
        "scope": "/field/",
        "display": "standalone",
        "dir": "rtl",
        "lang": "fa",
        "background_color": "#ffffff",
        "theme_color": "#0d6efd",
        "icons": [{"src": static("field/icon.svg"), "sizes": "any", "type": "image/svg+xml"}],
    }
    return HttpResponse(
        json.dumps(data, ensure_ascii=False), content_type="application/manifest+json"
    )
