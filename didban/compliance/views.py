from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from didban.accounts.forms import apply_errors
from didban.compliance import actions, captcha
from didban.compliance.forms import (
    CandidateForm,
    CandidateListForm,
    CitizenReportForm,
    ElectionForm,
    FieldReportForm,
    PeriodForm,
    RuleForm,
    TransitionForm,
    jalali_example,
)
from didban.compliance.models import RuleCategory, Violation
from didban.compliance.queries import (
    ViolationFilter,
    access_election,
    access_public_election,
    access_public_status,
    access_violation,
    can_see_identity,
    group_duplicates,
    list_elections,
    list_violations,
    public_elections,
    reporter_identity,
    violation_filter_from,
)
from didban.compliance.uploads import read_photo, read_photos
from didban.core.access import has_any, has_perm, scoped_orgs
from didban.core.throttle import throttle


def _require_any(request: HttpRequest, permission: str) -> None:
    if not has_any(request.user, permission):
        raise PermissionDenied


# Public pages: no login.


def rules_index(request: HttpRequest) -> HttpResponse:
    return render(request, "compliance/rules_index.html", {"elections": public_elections()[:50]})


def rules_public(request: HttpRequest, slug: str) -> HttpResponse:
    election = access_public_election(slug)
    rules = list(election.rules.all())
    by_category = {}
    for rule in rules:
        by_category.setdefault(rule.get_category_display(), []).append(rule)
    return render(
        request,
        "compliance/rules_public.html",
        {"election": election, "periods": election.periods.all(), "by_category": by_category},
    )


def _public_limit() -> tuple[int, int]:
    return (
        getattr(settings, "COMPLIANCE_PUBLIC_REPORTS_PER_WINDOW", 5),
        getattr(settings, "COMPLIANCE_PUBLIC_WINDOW_SECONDS", 600),
    )


@never_cache
def report_public(request: HttpRequest) -> HttpResponse:
    elections = public_elections()
    if request.method == "POST":
        limit, window = _public_limit()
        if throttle(request, "compliance-public-report", limit=limit, window=window):
            return render(
                request, "compliance/throttled.html", {"minutes": max(1, window // 60)}, status=429
            )
        form = CitizenReportForm(request.POST, request.FILES, elections=elections)
        if form.is_valid():
            if not captcha.check(request, form.cleaned_data["captcha"]):
                form.add_error("captcha", _("The answer to the security question is not right."))
            else:
                data = form.cleaned_data
                try:
                    photos = read_photos(data["photos"])
                    violation = actions.do_submit_citizen_violation(
                        election=data["election"], description=data["description"],
                        rule_category=data["rule_category"], candidate=data["candidate"],
                        address=data["address"], observed_at=data["observed_at"],
                        citizen_name=data["citizen_name"], citizen_phone=data["citizen_phone"],
                        photos=photos,
                    )  # fmt: skip
                except ValidationError as exc:
                    if not hasattr(exc, "error_dict"):
                        exc = ValidationError({"photos": exc.messages})
                    apply_errors(form, exc)
                else:
                    request.session["compliance_last_code"] = violation.tracking_code
                    return redirect("compliance:report_public_done")
        # A wrong or used answer gets a new question; what was typed stays in the form.
        captcha.new_challenge(request)
    else:
        form = CitizenReportForm(elections=elections)
        if elections.count() == 1:
            form.fields["election"].initial = elections.first()
        captcha.new_challenge(request)
    return render(request, "compliance/report_public.html", {"form": form})


@never_cache
def report_public_done(request: HttpRequest) -> HttpResponse:
    code = request.session.get("compliance_last_code")
    if not code:
        return redirect("compliance:report_public")
    return render(request, "compliance/report_public_done.html", {"code": code})


@never_cache
def captcha_image(request: HttpRequest) -> HttpResponse:
    challenge = captcha.current_challenge(request)
    response = HttpResponse(captcha.render_png(challenge["question"]), content_type="image/png")
    response["Cache-Control"] = "no-store"
    return response


def status_lookup(request: HttpRequest) -> HttpResponse:
    code = request.GET.get("code", "").strip()[:20]
    if code:
        if throttle(request, "compliance-status", limit=30, window=60):
            return render(request, "compliance/throttled.html", {"minutes": 1}, status=429)
        return redirect("compliance:status_detail", code=code)
    return render(request, "compliance/status.html", {"violation": None})


def status_detail(request: HttpRequest, code: str) -> HttpResponse:
    violation = access_public_status(code)
    return render(request, "compliance/status.html", {"violation": violation, "code": code})


# The desk.


def _filters(request: HttpRequest) -> ViolationFilter:
    return violation_filter_from(request.GET, request.user)


@login_required
def desk(request: HttpRequest) -> HttpResponse:
    _require_any(request, "compliance.view")
    filters = _filters(request)
    if request.method == "POST":
        return _bulk(request)
    rows = list_violations(request.user, filters).order_by("-created_at", "-pk")
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    items = list(page.object_list)
    groups = group_duplicates(request.user, items)
    for item in items:
        item.likely_duplicates = groups.get(item.pk, [])
    context = {
        "page": page,
        "items": items,
        "filters": filters,
        "status_param": request.GET.get("status", "open"),
        "statuses": Violation.Status.choices,
        "categories": RuleCategory.choices,
        "sources": Violation.Source.choices,
        "boards": Violation.Board.choices,
        "can_triage": has_any(request.user, "compliance.triage"),
        "deadline_example": jalali_example(),
        "query": request.GET.urlencode(),
        "raw": request.GET,
    }
    template = "compliance/desk.html"
    if request.headers.get("HX-Request"):
        template += "#results"
    return render(request, template, context)


def _bulk(request: HttpRequest) -> HttpResponse:
    _require_any(request, "compliance.triage")
    ids = [int(i) for i in request.POST.getlist("ids") if i.isdigit()][:500]
    back = reverse("compliance:desk") + (
        "?" + request.POST.get("query", "") if request.POST.get("query") else ""
    )
    form = TransitionForm(request.POST)
    if not ids:
        messages.error(request, _("Choose at least one report."))
        return redirect(back)
    if not form.is_valid():
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
        return redirect(back)
    data = form.cleaned_data
    chosen = list(list_violations(request.user, permission="compliance.triage").filter(pk__in=ids))
    params = {"reason": data["reason"], "category": data["category"], "board": data["board"],
              "deadline": data["deadline"]}  # fmt: skip
    if data["duplicate_of"]:
        params["duplicate_of"] = get_object_or_404(
            list_violations(request.user), pk=data["duplicate_of"]
        )
        chosen = [v for v in chosen if v.pk != data["duplicate_of"]]
        if not params["reason"]:
            params["reason"] = _("Duplicate of report #%(id)d") % {"id": data["duplicate_of"]}
    result = actions.do_bulk_transition(
        actor=request.user, violations=chosen, action=data["action"], **params
    )
    if result.done:
        messages.success(request, _("%(count)d reports updated.") % {"count": len(result.done)})
    for pk, reason in result.skipped[:20]:
        messages.warning(
            request, _("Report #%(id)d skipped: %(reason)s") % {"id": pk, "reason": reason}
        )
    return redirect(back)


def _detail_context(request: HttpRequest, violation: Violation, form=None) -> dict:
    user = request.user
    duplicates = group_duplicates(user, [violation]).get(violation.pk, [])
    may_triage = has_perm(user, "compliance.triage", violation.org)
    return {
        "v": violation,
        "identity": reporter_identity(user, violation),
        "show_identity": can_see_identity(user, violation),
        "events": violation.events.select_related("actor"),
        "photos": violation.photos.all(),
        "duplicates": list_violations(user).filter(pk__in=duplicates),
        "allowed": actions.allowed_actions(violation) if may_triage else [],
        "may_triage": may_triage,
        "may_supervise": has_perm(user, "compliance.supervise", violation.org),
        "held_by_other": violation.handler_id not in (None, user.pk) and violation.is_locked,
        "form": form
        or TransitionForm(
            initial={"category": violation.rule_category or violation.suggested_category}
        ),
        "categories": RuleCategory.choices,
        "boards": Violation.Board.choices,
    }


@login_required
def violation_detail(request: HttpRequest, violation_id: int) -> HttpResponse:
    _require_any(request, "compliance.view")
    violation = access_violation(request.user, violation_id)
    return render(request, "compliance/violation_detail.html", _detail_context(request, violation))


@login_required
@require_POST
def violation_act(request: HttpRequest, violation_id: int) -> HttpResponse:
    """Take, release, take over, or move the case along; htmx gets the case panel back."""
    _require_any(request, "compliance.triage")
    violation = access_violation(request.user, violation_id, permission="compliance.triage")
    action = request.POST.get("action", "")
    form = None
    try:
        if action in ("take", "takeover"):
            violation = actions.do_take_violation(
                actor=request.user, violation=violation, takeover=action == "takeover"
            )
        elif action == "release":
            violation = actions.do_release_violation(actor=request.user, violation=violation)
        else:
            form = TransitionForm(request.POST)
            if form.is_valid():
                d = form.cleaned_data
                duplicate_of = None
                if d["duplicate_of"]:
                    duplicate_of = get_object_or_404(
                        list_violations(request.user), pk=d["duplicate_of"]
                    )
                violation = actions.do_transition_violation(
                    actor=request.user, violation=violation, action=d["action"],
                    reason=d["reason"], category=d["category"], board=d["board"],
                    deadline=d["deadline"], duplicate_of=duplicate_of,
                )  # fmt: skip
                form = None
    except ValidationError as exc:
        form = form or TransitionForm(request.POST)
        form.is_valid()
        apply_errors(form, exc)
    violation = access_violation(request.user, violation.pk)
    context = _detail_context(request, violation, form)
    template = "compliance/violation_detail.html"
    status = 400 if form is not None and form.errors else 200
    if request.headers.get("HX-Request"):
        # The case panel, and the history refreshed out of band.
        response = render(request, template + "#case", context, status=status)
        history = render_to_string(template + "#history", {**context, "oob": True}, request)
        response.content += history.encode()
        return response
    if status == 200:
        return redirect("compliance:violation_detail", violation_id=violation.pk)
    return render(request, template, context, status=status)


# The field agent's form (the field app may queue it in its outbox).


@login_required
def field_report(request: HttpRequest) -> HttpResponse:
    _require_any(request, "compliance.report")
    elections = list_elections(request.user, permission="compliance.report")
    if request.method == "POST":
        form = FieldReportForm(request.POST, request.FILES, elections=elections)
        if form.is_valid():
            d = form.cleaned_data
            try:
                photos = read_photos(d["photos"])
                violation, created = actions.do_submit_field_violation(
                    actor=request.user, election=d["election"], client_uuid=d["client_uuid"],
                    description=d["description"], rule_category=d["rule_category"],
                    candidate=d["candidate"], place=d["place"], address=d["address"],
                    latitude=d["latitude"], longitude=d["longitude"], accuracy_m=d["accuracy_m"],
                    observed_at=d["observed_at"], photos=photos,
                )  # fmt: skip
            except actions.IdempotencyConflict:
                form.add_error(
                    None,
                    _(
                        "This form was already sent with other content. Reload the page to file a new report."
                    ),
                )
            except ValidationError as exc:
                if not hasattr(exc, "error_dict"):
                    exc = ValidationError({"photos": exc.messages})
                apply_errors(form, exc)
            else:
                if created:
                    messages.success(
                        request,
                        _("Report #%(id)d received. Tracking code: %(code)s")
                        % {"id": violation.pk, "code": violation.tracking_code},
                    )
                return redirect("compliance:field_report")
    else:
        form = FieldReportForm(elections=elections, initial={"client_uuid": uuid.uuid4(),
                                                             "election": elections.order_by("-election_day").first()})  # fmt: skip
    return render(request, "compliance/field_report.html", {"form": form})


# Elections, periods, rules, candidates.


@login_required
def election_list(request: HttpRequest) -> HttpResponse:
    _require_any(request, "compliance.view")
    orgs = scoped_orgs(request.user, "compliance.manage").filter(
        kind__in=["national_hq", "province_hq", "county_hq"]
    )
    form = None
    if has_any(request.user, "compliance.manage"):
        form = ElectionForm(request.POST or None, orgs=orgs)
        if request.method == "POST" and form.is_valid():
            d = form.cleaned_data
            try:
                election = actions.do_create_election(
                    actor=request.user, org=d["org"], name=d["name"], slug=d["slug"],
                    election_day=d["election_day"], constituency=d["constituency"],
                    is_public=d["is_public"],
                )  # fmt: skip
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                return redirect("compliance:election_detail", election_id=election.pk)
    elif request.method == "POST":
        raise PermissionDenied
    return render(
        request, "compliance/election_list.html",
        {"elections": list_elections(request.user), "form": form},
    )  # fmt: skip


@login_required
def election_detail(request: HttpRequest, election_id: int) -> HttpResponse:
    _require_any(request, "compliance.view")
    election = access_election(request.user, election_id)
    may_manage = has_perm(request.user, "compliance.manage", election.org)
    forms_ = {
        "period": PeriodForm(prefix="period"),
        "rule": RuleForm(prefix="rule"),
        "candidate": CandidateForm(prefix="candidate", election=election),
        "list": CandidateListForm(prefix="list"),
    }
    if request.method == "POST":
        if not may_manage:
            raise PermissionDenied
        which = request.POST.get("form", "")
        try:
            if which == "period":
                form = forms_["period"] = PeriodForm(request.POST, prefix="period")
                if form.is_valid():
                    actions.do_add_period(
                        actor=request.user, election=election, **form.cleaned_data
                    )
                    return redirect(request.path)
            elif which == "rule":
                form = forms_["rule"] = RuleForm(request.POST, prefix="rule")
                if form.is_valid():
                    actions.do_save_rule(actor=request.user, election=election, **form.cleaned_data)
                    return redirect(request.path)
            elif which == "list":
                form = forms_["list"] = CandidateListForm(request.POST, prefix="list")
                if form.is_valid():
                    actions.do_add_candidate_list(
                        actor=request.user, election=election, name=form.cleaned_data["name"]
                    )
                    return redirect(request.path)
            elif which == "candidate":
                form = forms_["candidate"] = CandidateForm(
                    request.POST, request.FILES, prefix="candidate", election=election
                )
                if form.is_valid():
                    d = form.cleaned_data
                    photo = read_photo(d["photo"]) if d["photo"] else None
                    actions.do_add_candidate(
                        actor=request.user, election=election, name=d["name"], code=d["code"],
                        candidate_list=d["candidate_list"], photo=photo,
                    )  # fmt: skip
                    return redirect(request.path)
            elif which in ("delete_rule", "delete_period", "delete_candidate"):
                pk = request.POST.get("id", "")
                pk = int(pk) if pk.isdigit() else 0
                if which == "delete_rule":
                    actions.do_delete_rule(
                        actor=request.user, rule=get_object_or_404(election.rules, pk=pk)
                    )
                elif which == "delete_period":
                    actions.do_delete_period(
                        actor=request.user, period=get_object_or_404(election.periods, pk=pk)
                    )
                else:
                    actions.do_delete_candidate(
                        actor=request.user, candidate=get_object_or_404(election.candidates, pk=pk)
                    )
                return redirect(request.path)
        except ValidationError as exc:
            target = forms_.get(which)
            if target is not None:
                if not hasattr(exc, "error_dict"):
                    exc = ValidationError({"photo": exc.messages}) if which == "candidate" else exc
                apply_errors(target, exc)
            else:
                messages.error(request, " ".join(exc.messages))
    return render(
        request,
        "compliance/election_detail.html",
        {
            "election": election,
            "may_manage": may_manage,
            "periods": election.periods.all(),
            "rules": election.rules.all(),
            "candidates": election.candidates.select_related("candidate_list"),
            "lists": election.lists.all(),
            "forms": forms_,
        },
    )
