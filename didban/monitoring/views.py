from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Q, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from didban.accounts.forms import apply_errors
from didban.core.access import has_any, has_perm, scoped_orgs
from didban.core.templatetags.didban import digits
from didban.monitoring import actions, export, queries
from didban.monitoring.forms import (
    AlertRuleForm,
    ArticleSearchForm,
    ReportHourForm,
    SourceEditForm,
    SourceForm,
    TopicForm,
)
from didban.monitoring.models import Alert, Outlet, TopicHit
from didban.monitoring.rules import RuleError, parse_rule
from didban.monitoring.search import (
    COUNT_CAP,
    RECENT_DAYS,
    Found,
    Results,
    find_articles,
    highlight,
    search,
)


def _require(request, permission: str) -> None:
    if not has_any(request.user, permission):
        raise PermissionDenied


def acting_org(request, permission: str):
    """The organisation new rows belong to: the acting membership's, if it holds the right."""
    membership = getattr(request, "membership", None)
    if membership is not None and has_perm(request.user, permission, membership.org):
        return membership.org
    org = scoped_orgs(request.user, permission).order_by("path").first()
    if org is None:
        raise PermissionDenied
    return org


def _template(request, name: str, partial: str) -> str:
    return f"{name}#{partial}" if request.headers.get("HX-Request") else name


# --- overview --------------------------------------------------------------------------------


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    _require(request, "monitoring.view")
    user = request.user
    sources = queries.list_sources(user)
    day_ago = timezone.now() - timedelta(days=1)
    context = {
        "unhealthy": list(sources.filter(queries.PROBLEMS).order_by("name")[:20]),
        "source_count": sources.count(),
        "articles_today": queries.list_articles(user).filter(fetched_at__gte=day_ago).count(),
        "new_hits": queries.list_hits(user).filter(state=TopicHit.State.NEW).count(),
        "stories": queries.list_stories(user).order_by("-last_seen_at")[:10],
        "pickups": queries.list_pickups(user).order_by("-created_at")[:10],
        "can_filter": has_any(user, "monitoring.filter"),
        "can_manage": has_any(user, "monitoring.manage"),
    }
    return render(request, "monitoring/overview.html", context)


# --- sources ----------------------------------------------------------------------------------


@login_required
def source_list(request: HttpRequest) -> HttpResponse:
    _require(request, "monitoring.view")
    sources = queries.list_sources(request.user).order_by("name")
    problems = request.GET.get("problems") == "1"
    if problems:
        sources = sources.filter(queries.PROBLEMS)
    form = None
    if has_any(request.user, "monitoring.manage"):
        form = SourceForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            org = acting_org(request, "monitoring.manage")
            try:
                outlet = actions.do_create_outlet(
                    actor=request.user, org=org, name=data["outlet_name"], kind=data["outlet_kind"]
                )
                actions.do_create_source(
                    actor=request.user, org=org, outlet=outlet, name=data["name"],
                    kind=data["kind"], url=data["url"], poll_minutes=data["poll_minutes"],
                )  # fmt: skip
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("The source was added; it is fetched within a minute."))
                return redirect("monitoring:source_list")
    elif request.method == "POST":
        raise PermissionDenied
    context = {"sources": sources, "form": form, "problems": problems}
    return render(request, "monitoring/source_list.html", context)


@login_required
def source_edit(request: HttpRequest, source_id: int) -> HttpResponse:
    source = queries.access_source(request.user, source_id)
    if not has_perm(request.user, "monitoring.manage", source.org):
        raise PermissionDenied
    initial = {
        "outlet": source.outlet_id, "name": source.name, "kind": source.kind, "url": source.url,
        "place": source.place_id, "poll_minutes": source.poll_minutes,
        "silent_hours": source.silent_hours, "fetch_full_text": source.fetch_full_text,
        "is_active": source.is_active,
    }  # fmt: skip
    outlets = Outlet.objects.filter(org=source.org).order_by("name")
    form = SourceEditForm(request.POST or None, initial=initial, outlets=outlets)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_update_source(actor=request.user, source=source, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The source was saved."))
            return redirect("monitoring:source_list")
    return render(request, "monitoring/source_form.html", {"form": form, "source": source})


@login_required
@require_POST
def source_fetch(request: HttpRequest, source_id: int) -> HttpResponse:
    source = queries.access_source(request.user, source_id)
    report = actions.do_fetch_source(actor=request.user, source_id=source.pk)
    source.refresh_from_db()
    if source.last_error_code:
        messages.error(request, source.error_text)
    else:
        messages.success(request, _("%(count)d new articles.") % {"count": report.new})
    return redirect("monitoring:source_list")


@login_required
@require_POST
def source_toggle(request: HttpRequest, source_id: int) -> HttpResponse:
    source = queries.access_source(request.user, source_id)
    actions.do_set_source_active(actor=request.user, source=source, active=not source.is_active)
    return redirect("monitoring:source_list")


# --- articles and search ----------------------------------------------------------------------


def _filtered_articles(request):
    """The scoped articles matching the search form: (Found, form)."""
    user = request.user
    form = ArticleSearchForm(
        request.GET,
        sources=queries.list_sources(user).order_by("name"),
        topics=queries.list_topics(user).order_by("name"),
    )
    if not form.is_valid():
        return Found(Results(queries.list_articles(request.user).none())), form
    return find_articles(request.user, form.cleaned_data), form


@login_required
def article_list(request: HttpRequest) -> HttpResponse:
    _require(request, "monitoring.view")
    found, form = _filtered_articles(request)
    fmt = request.GET.get("export")
    if fmt in ("csv", "xlsx"):
        rows = list(found.articles[: export.MAX_ROWS])
        return export.articles_response(rows, fmt)
    page = Paginator(found.articles, 25).get_page(request.GET.get("page"))
    rows = [{"article": a, "snippet": highlight(a.text, found.node)} for a in page]
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("export", None)
    widen = query.copy()
    widen["all_dates"] = "on"
    no_story, no_place = query.copy(), query.copy()
    no_story.pop("story", None)
    no_place.pop("place", None)
    story = None
    if form.is_valid() and form.cleaned_data.get("story"):
        story = queries.list_stories(request.user).filter(pk=form.cleaned_data["story"]).first()
    context = {
        "form": form, "page": page, "rows": rows, "error": found.error, "query": query.urlencode(),
        "recent_since": found.recent_since, "recent_days": RECENT_DAYS,
        "capped": found.articles.capped, "count_cap": COUNT_CAP,
        "widen_query": widen.urlencode(), "story": story, "no_story_query": no_story.urlencode(),
        "no_place_query": no_place.urlencode(),
    }  # fmt: skip
    return render(request, _template(request, "monitoring/article_list.html", "results"), context)


@login_required
def article_detail(request: HttpRequest, article_id: int) -> HttpResponse:
    article = queries.access_article(request.user, article_id)
    hits = queries.list_hits(request.user).filter(article=article)
    pickups = queries.list_pickups(request.user).filter(article=article)
    siblings = []
    if article.story_id:
        siblings = queries.list_articles(request.user).filter(story_id=article.story_id)
        siblings = siblings.exclude(pk=article.pk).order_by("published_at")[:30]
    return render(
        request,
        "monitoring/article_detail.html",
        {"article": article, "hits": hits, "pickups": pickups, "siblings": siblings},
    )


@login_required
def story_list(request: HttpRequest) -> HttpResponse:
    _require(request, "monitoring.view")
    stories = queries.list_stories(request.user).filter(article_count__gt=1)
    page = Paginator(stories.order_by("-last_seen_at"), 30).get_page(request.GET.get("page"))
    return render(request, "monitoring/story_list.html", {"page": page})


@login_required
def story_detail(request: HttpRequest, story_id: int) -> HttpResponse:
    story = queries.access_story(request.user, story_id)
    articles = queries.list_articles(request.user).filter(story=story).order_by("published_at")
    spread = []
    for a in articles:
        spread.append({"article": a, "after": a.published_at - story.first_seen_at})
    return render(request, "monitoring/story_detail.html", {"story": story, "spread": spread})


# --- topics -----------------------------------------------------------------------------------


@login_required
def topic_list(request: HttpRequest) -> HttpResponse:
    _require(request, "monitoring.view")
    day_ago = timezone.now() - timedelta(days=1)
    topics = queries.list_topics(request.user).annotate(
        hits_total=Count("hits"),
        hits_new=Count("hits", filter=Q(hits__state=TopicHit.State.NEW)),
        hits_day=Count("hits", filter=Q(hits__created_at__gte=day_ago)),
    )
    return render(
        request,
        "monitoring/topic_list.html",
        {
            "topics": topics.order_by("name"),
            "can_manage": has_any(request.user, "monitoring.manage"),
        },
    )


@login_required
def topic_edit(request: HttpRequest, topic_id: int | None = None) -> HttpResponse:
    _require(request, "monitoring.manage")
    topic = queries.access_topic(request.user, topic_id) if topic_id else None
    initial = (
        {"name": topic.name, "rule": topic.rule, "is_active": topic.is_active} if topic else None
    )
    form = TopicForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            topic = actions.do_save_topic(
                actor=request.user, org=acting_org(request, "monitoring.manage"), topic=topic,
                name=data["name"], rule=data["rule"], is_active=data["is_active"],
            )  # fmt: skip
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            days = settings.MONITORING_BACKFILL_DAYS
            text = _("The topic was saved; new articles are matched from now on.")
            if days:
                text = ngettext(
                    "The topic was saved; new articles are matched from now on, and the "
                    "articles of the last day are checked in the background.",
                    "The topic was saved; new articles are matched from now on, and the "
                    "articles of the last %(days)s days are checked in the background.",
                    days,
                ) % {"days": digits(days)}
            messages.success(request, text)
            return redirect("monitoring:topic_list")
    return render(request, "monitoring/topic_form.html", {"form": form, "topic": topic})


@login_required
def topic_validate(request: HttpRequest) -> HttpResponse:
    """Live validation of a rule while it is typed (htmx): the error and its column, or OK."""
    _require(request, "monitoring.view")
    rule = request.GET.get("rule", request.POST.get("rule", ""))[:3000]
    error, column, preview = "", 0, []
    if rule.strip():
        try:
            node = parse_rule(rule)
        except RuleError as exc:
            error, column = exc.message, exc.column
        else:
            found, _node = search(queries.list_articles(request.user), rule, order="newest")
            preview = [
                {"article": a, "snippet": highlight(a.text, node, width=160)} for a in found[:5]
            ]
    at = column - 1
    context = {
        "rule": rule, "error": error, "column": column, "preview": preview,
        "before": rule[:at], "at": rule[at : at + 1].strip(), "after": rule[at + 1 :],
    }  # fmt: skip
    return render(request, "monitoring/topic_validate.html", context)


# --- the filtering queue ----------------------------------------------------------------------


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    _require(request, "monitoring.filter")
    state = request.GET.get("state", TopicHit.State.NEW)
    if state not in (*TopicHit.State.values, "all"):
        state = TopicHit.State.NEW
    hits = queries.list_hits(request.user, permission="monitoring.filter")
    if state != "all":
        hits = hits.filter(state=state)
    topic = request.GET.get("topic", "")
    if topic.isdigit():
        hits = hits.filter(topic_id=int(topic))
    # Narrowed like the command room's «topic hits» figure that links here: an organisation's
    # subtree and the Tehran days the hits were found on (any state).
    narrow = queries.narrowing(request.user, request.GET, permission="monitoring.filter")
    hits = narrow.apply(hits)
    query = request.GET.copy()
    query.pop("page", None)
    page = Paginator(hits.order_by("-article__published_at", "-pk"), 30).get_page(
        request.GET.get("page")
    )
    context = {
        "page": page,
        "state": state,
        "states": TopicHit.State.choices,
        "tones": TopicHit.Tone.choices,
        "importances": TopicHit.Importance.choices,
        "topics": queries.list_topics(request.user).order_by("name"),
        "topic": topic,
        "org_filter": narrow.org,
        "since": narrow.since,
        "until": narrow.until,
        "query": query.urlencode(),
        "raw": request.GET,
    }
    return render(request, "monitoring/queue.html", context)


@login_required
@require_POST
def hit_review(request: HttpRequest, hit_id: int) -> HttpResponse:
    hit = queries.access_hit(request.user, hit_id)
    error = ""
    try:
        hit = actions.do_review_hit(
            actor=request.user,
            hit=hit,
            state=request.POST.get("state") or None,
            tone=request.POST.get("tone") if "tone" in request.POST else None,
            importance=request.POST.get("importance") or None,
            note=request.POST.get("note") if "note" in request.POST else None,
        )
    except ValidationError as exc:
        error = " ".join(exc.messages)
    context = {
        "hit": hit,
        "error": error,
        "tones": TopicHit.Tone.choices,
        "importances": TopicHit.Importance.choices,
    }
    if request.headers.get("HX-Request"):
        return render(request, "monitoring/queue.html#hit", context)
    if error:
        messages.error(request, error)
    return redirect(request.POST.get("next") or "monitoring:queue")


@login_required
@require_POST
def hits_bulk(request: HttpRequest) -> HttpResponse:
    ids = [int(x) for x in request.POST.getlist("hit") if x.isdigit()][:500]
    hits = queries.list_hits(request.user, permission="monitoring.filter").filter(pk__in=ids)
    action = request.POST.get("action", "")
    state = {"confirm": "confirmed", "dismiss": "dismissed"}.get(action)
    tone = action.removeprefix("tone:") if action.startswith("tone:") else None
    try:
        count = actions.do_bulk_review_hits(actor=request.user, hits=hits, state=state, tone=tone)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(count)d items updated.") % {"count": count})
    return redirect(request.POST.get("next") or "monitoring:queue")


# --- alerts and pickups ------------------------------------------------------------------------


@login_required
def alert_list(request: HttpRequest) -> HttpResponse:
    _require(request, "monitoring.view")
    form = None
    if has_any(request.user, "monitoring.manage"):
        from didban.accounts.models import User

        org = acting_org(request, "monitoring.manage")
        people = User.objects.filter(
            is_active=True, memberships__org__path__startswith=org.path
        ).distinct()
        topics = queries.list_topics(request.user)
        form = AlertRuleForm(request.POST or None, topics=topics, people=people)
        if request.method == "POST" and form.is_valid():
            try:
                actions.do_save_alert_rule(actor=request.user, org=org, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("The alert was saved."))
                return redirect("monitoring:alert_list")
    elif request.method == "POST":
        raise PermissionDenied
    inbox = queries.my_alerts(request.user)[:50]
    day_ago = timezone.now() - timedelta(days=1)
    last_error = Alert.objects.filter(rule=OuterRef("pk"), status=Alert.Status.FAILED)
    rules = queries.list_alert_rules(request.user).annotate(
        sent_day=Count(
            "alerts", filter=Q(alerts__status=Alert.Status.SENT, alerts__created_at__gte=day_ago)
        ),
        failed_day=Count(
            "alerts", filter=Q(alerts__status=Alert.Status.FAILED, alerts__created_at__gte=day_ago)
        ),
        last_error=Subquery(last_error.order_by("-created_at").values("error")[:1]),
    )
    context = {
        "rules": rules.order_by("name"),
        "inbox": inbox,
        "form": form,
    }
    return render(request, "monitoring/alert_list.html", context)


@login_required
@require_POST
def alerts_read(request: HttpRequest) -> HttpResponse:
    actions.do_mark_alerts_read(actor=request.user)
    return redirect("monitoring:alert_list")


@login_required
@require_POST
def alert_open(request: HttpRequest, alert_id: int) -> HttpResponse:
    """Open one of one's notifications: it is marked read (audited) and its page shown."""
    alert = queries.access_my_alert(request.user, alert_id)
    actions.do_mark_alerts_read(actor=request.user, alert_ids=[alert.pk])
    target = alert.link
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("monitoring:alert_list")
    return redirect(target or "monitoring:alert_list")


@login_required
def pickup_list(request: HttpRequest) -> HttpResponse:
    _require(request, "monitoring.view")
    pickups = queries.list_pickups(request.user).order_by("-created_at")
    # Narrowed like the command room's figure that links here: an organisation's subtree and
    # the Tehran days the pickups were found on.
    narrow = queries.narrowing(request.user, request.GET, permission="monitoring.view")
    pickups = narrow.apply(pickups)
    page = Paginator(pickups, 30).get_page(request.GET.get("page"))
    items = _item_titles([p.item_id for p in page])
    rows = [{"pickup": p, "item": items.get(p.item_id)} for p in page]
    query = request.GET.copy()
    query.pop("page", None)
    context = {"page": page, "rows": rows, "org_filter": narrow.org, "since": narrow.since,
               "until": narrow.until, "query": query.urlencode()}  # fmt: skip
    return render(request, "monitoring/pickup_list.html", context)


def _item_titles(ids: list[int]) -> dict:
    try:
        from didban.newsroom.models import Item
    except ImportError:
        return {}
    return {i.pk: i for i in Item.objects.filter(pk__in=ids)}


def item_pickups_panel(request: HttpRequest, item) -> str:
    """HTML of «picked up by N outlets» for a newsroom item's page (embedded by the newsroom)."""
    pickups = list(queries.pickups_of_item(request.user, item).select_related("article__outlet"))
    outlets = {p.article.outlet_id for p in pickups}
    first = min((p.delay_seconds for p in pickups), default=None)
    return render_to_string(
        "monitoring/item_pickups_panel.html",
        {
            "pickups": pickups,
            "outlet_count": len(outlets),
            "first_delay": timedelta(seconds=first) if first is not None else None,
            "item": item,
        },
        request=request,
    )


# --- the digests (daily and hourly) -----------------------------------------------------------


def _report_response(request: HttpRequest, data: dict, form=None) -> HttpResponse:
    """The digest as a page, or as a file with ?export=xlsx / ?export=pdf."""
    fmt = request.GET.get("export")
    if fmt == "xlsx":
        return export.report_response(data)
    if fmt == "pdf":
        return export.report_pdf_response(data)
    return render(request, "monitoring/report.html", {"report": data, "form": form})


@login_required
def report(request: HttpRequest) -> HttpResponse:
    from didban.monitoring.reports import daily_report

    _require(request, "monitoring.view")
    return _report_response(request, daily_report(request.user, request.GET.get("day", "")))


@login_required
def report_hourly(request: HttpRequest) -> HttpResponse:
    """One hour's digest: a Jalali day and an hour; by default the last full hour."""
    from didban.monitoring.reports import hourly_report, last_full_hour

    _require(request, "monitoring.view")
    fields = {k: v for k, v in request.GET.items() if k in ("day", "hour") and v}
    default = last_full_hour()
    form = ReportHourForm(fields or None, initial={"day": default.date(), "hour": default.hour})
    day = hour = None
    if fields and form.is_valid():
        day, hour = form.cleaned_data["day"], form.cleaned_data["hour"]
    return _report_response(request, hourly_report(request.user, day, hour), form)
