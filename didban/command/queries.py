"""Permission-checked reads of the command room: figures summed up the tree, the feed, targets."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Max, Sum
from django.shortcuts import get_object_or_404
from django.utils import timezone

from didban.accounts.models import Organization
from didban.command.feed import FEED_VERBS
from didban.command.models import AudienceSample, HourlyFigure, Report, ReportSchedule, Target
from didban.core.access import has_any, scope_q, scoped_orgs
from didban.core.models import AuditEntry

HOUR = HourlyFigure.Resolution.HOUR


def local_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def require_view(user) -> None:
    if not has_any(user, "command.view"):
        raise PermissionDenied


def command_orgs(user):
    return scoped_orgs(user, "command.view").filter(is_active=True)


def access_org(user, org_id, permission: str = "command.view") -> Organization:
    return get_object_or_404(scoped_orgs(user, permission), pk=org_id)


def default_org(user, membership=None) -> Organization | None:
    """The acting membership's organisation if it is in scope, else the widest one in scope."""
    orgs = command_orgs(user)
    if membership is not None and orgs.filter(pk=membership.org_id).exists():
        return membership.org
    return orgs.order_by("depth", "path").first()


def children_of(org: Organization):
    """The organisations shown side by side: HQs below, else every direct child."""
    below = Organization.objects.filter(parent=org, is_active=True)
    hqs = below.filter(kind__in=[Organization.Kind.PROVINCE_HQ, Organization.Kind.COUNTY_HQ])
    return list((hqs if hqs.exists() else below).order_by("name"))


# --- periods -------------------------------------------------------------------------------


def day_start(now: datetime | None = None) -> datetime:
    """Midnight of today in the display zone, as UTC."""
    local = timezone.localtime(now or timezone.now(), local_zone())
    return datetime.combine(local.date(), time.min, local_zone()).astimezone(UTC)


def week_start(now: datetime | None = None) -> datetime:
    """Saturday midnight (the Iranian week) of this week, as UTC."""
    local = timezone.localtime(now or timezone.now(), local_zone())
    days_back = (local.weekday() - 5) % 7  # Monday=0 … Saturday=5
    first = local.date() - timedelta(days=days_back)
    return datetime.combine(first, time.min, local_zone()).astimezone(UTC)


def date_start(day: date) -> datetime:
    return datetime.combine(day, time.min, local_zone()).astimezone(UTC)


# --- figures ---------------------------------------------------------------------------------


def subtree_ids(org: Organization) -> list[int] | None:
    """The ids of the organisation's subtree, or None when it is every organisation (the
    nation): figures are filtered by `org_id IN (…)`, which reads only these organisations'
    rows through the (org, resolution, bucket_start, metric) unique index, instead of every
    organisation's rows of the period joined to their paths."""
    ids = list(Organization.objects.filter(path__startswith=org.path).values_list("pk", flat=True))
    if org.parent_id is None and len(ids) == Organization.objects.count():
        return None
    return ids


def _subtree(org: Organization, ids: list[int] | None = ...):
    ids = subtree_ids(org) if ids is ... else ids
    if ids is None:
        return HourlyFigure.objects.all()
    return HourlyFigure.objects.filter(org_id__in=ids)


def totals(org: Organization, start: datetime, end: datetime, resolution: int = HOUR) -> dict:
    """Counters summed over the organisation's subtree and the period: {metric: n}."""
    rows = (
        _subtree(org)
        .filter(resolution=resolution, bucket_start__gte=start, bucket_start__lt=end)
        .exclude(metric__startswith="now.")
        .values("metric")
        .annotate(n=Sum("value"))
        .order_by()
    )
    return {row["metric"]: row["n"] for row in rows}


def latest_gauge_bucket(before: datetime | None = None) -> datetime | None:
    """The newest bucket holding sampled levels in the two days before `before` (now): the
    bucket index read backwards over that range only. The worker samples every 5 minutes; a
    level older than two days is not the level at that moment, and looking further back read
    the whole table when there was none (4.5 s for a national daily report)."""
    end = before or timezone.now() + timedelta(hours=1)
    qs = HourlyFigure.objects.filter(
        resolution=HOUR,
        metric__startswith="now.",
        bucket_start__lt=end,
        bucket_start__gte=end - timedelta(hours=49),
    )
    return qs.order_by("-bucket_start").values_list("bucket_start", flat=True).first()


def gauges(org: Organization, before: datetime | None = None) -> dict:
    """The latest sampled levels summed over the subtree: {metric: n}."""
    bucket = latest_gauge_bucket(before)
    if bucket is None:
        return {}
    rows = (
        _subtree(org)
        .filter(resolution=HOUR, bucket_start=bucket, metric__startswith="now.")
        .values("metric")
        .annotate(n=Sum("value"))
        .order_by()
    )
    return {row["metric"]: row["n"] for row in rows}


def by_child(org: Organization, start: datetime, end: datetime) -> list[tuple[Organization, dict]]:
    """Each child's counters and latest levels, summed over its own subtree (two queries)."""
    kids = children_of(org)
    if not kids:
        return []
    bucket = latest_gauge_bucket()
    owner: dict[int, int] = {}
    for pk, path in Organization.objects.filter(path__startswith=org.path).values_list(
        "pk", "path"
    ):
        for kid in kids:
            if path.startswith(kid.path):
                owner[pk] = kid.pk
                break
    ids = subtree_ids(org)
    counters = (
        _subtree(org, ids)
        .filter(resolution=HOUR, bucket_start__gte=start, bucket_start__lt=end)
        .exclude(metric__startswith="now.")
        .values("org_id", "metric")
        .annotate(n=Sum("value"))
        .order_by()
    )
    levels = (
        _subtree(org, ids)
        .filter(resolution=HOUR, bucket_start=bucket, metric__startswith="now.")
        .values("org_id", "metric")
        .annotate(n=Sum("value"))
        .order_by()
        if bucket
        else []
    )
    sums: dict[int, dict] = {kid.pk: defaultdict(int) for kid in kids}
    for row in [*counters, *levels]:
        kid_pk = owner.get(row["org_id"])
        if kid_pk is not None:
            sums[kid_pk][row["metric"]] += row["n"]
    return [(kid, dict(sums[kid.pk])) for kid in kids]


def series(
    org: Organization, start: datetime, end: datetime, resolution: int = HOUR
) -> dict[datetime, dict[str, int]]:
    """{bucket_start: {metric: n}} of the subtree, counters and levels."""
    rows = (
        _subtree(org)
        .filter(resolution=resolution, bucket_start__gte=start, bucket_start__lt=end)
        .values("bucket_start", "metric")
        .annotate(n=Sum("value"))
        .order_by("bucket_start")
    )
    result: dict[datetime, dict[str, int]] = defaultdict(dict)
    for row in rows:
        result[row["bucket_start"]][row["metric"]] = row["n"]
    return dict(result)


def group(figures: dict, prefix: str) -> dict[str, int]:
    """The figures under a prefix, keyed by the rest of the metric: production.news → news."""
    return {k[len(prefix) :]: v for k, v in figures.items() if k.startswith(prefix) and v}


# --- audiences -------------------------------------------------------------------------------


def list_audience_samples(user, org: Organization | None = None):
    """Samples in the user's scope; `user=None` is the worker writing a report (unscoped)."""
    qs = AudienceSample.objects.all()
    if user is not None:
        qs = qs.filter(scope_q(user, "command.view"))
    if org is not None:
        qs = qs.filter(org__path__startswith=org.path)
    return qs


MANUAL_CHANNEL_BASE = 1_000_000_000


def manual_channel_id(name: str, kind: str) -> int:
    """A stable id above every publishing channel's for a channel typed by hand (Rubika …),
    so its samples form one series."""
    import zlib

    from didban.lib.persian import normalize

    return MANUAL_CHANNEL_BASE + zlib.crc32(f"{kind}|{normalize(name)}".encode()) % 1_000_000_000


def audience_channels_of(org: Organization) -> list:
    """The organisation's messenger channels (its subtree's), for typing members by hand."""
    from didban.command.metrics.base import model_or_none

    Channel = model_or_none("publishing.Channel")
    if Channel is None:
        return []
    kinds = [k for k in ("eitaa", "bale", "telegram") if k in Channel.Kind.values]
    channels = Channel.objects.filter(org__path__startswith=org.path, kind__in=kinds)
    # Platforms without a member-count API first: those are the ones typed by hand.
    return sorted(channels.select_related("org"), key=lambda c: (kinds.index(c.kind), c.name))


def audience_chart(channels: list[dict], limit: int = 6) -> list[dict]:
    """The growth chart's data: each channel's daily series as [[iso day, members] …]."""
    return [
        {"name": c["name"], "points": [[d.isoformat(), n] for d, n in c["points"].items()]}
        for c in channels[:limit]
    ]


def audiences(user, org: Organization, since: datetime) -> list[dict]:
    """Each channel of the subtree: latest members, members at `since`, and its daily series."""
    samples = list_audience_samples(user, org).filter(at__gte=since).order_by("channel_id", "at")
    channels: dict[int, dict] = {}
    for s in samples.values("channel_id", "channel_name", "channel_kind", "at", "members"):
        ch = channels.setdefault(
            s["channel_id"],
            {"id": s["channel_id"], "name": s["channel_name"], "kind": s["channel_kind"],
             "points": {}},
        )  # fmt: skip
        day = timezone.localtime(s["at"], local_zone()).date()
        ch["points"][day] = s["members"]  # the last sample of each day
        ch["latest"] = s["members"]
    from didban.command.metrics.base import model_or_none

    Channel = model_or_none("publishing.Channel")
    kinds = dict(Channel.Kind.choices) if Channel is not None else {}
    for ch in channels.values():
        ch["kind_label"] = kinds.get(ch["kind"], ch["kind"])
        values = list(ch["points"].values())
        ch["first"] = values[0]
        ch["growth"] = values[-1] - values[0]
    return sorted(channels.values(), key=lambda c: -c.get("latest", 0))


# --- the feed --------------------------------------------------------------------------------


def feed_entries(user, *, after: int = 0, org: Organization | None = None, limit: int = 50):
    """Wall-worthy audit entries in the user's scope, newer than `after` (oldest first)."""
    qs = AuditEntry.objects.filter(scope_q(user, "command.view"), verb__in=list(FEED_VERBS))
    if org is not None:
        qs = qs.filter(org__path__startswith=org.path)
    if after:
        return list(qs.filter(seq__gt=after).select_related("org").order_by("seq")[:limit])
    return list(reversed(qs.select_related("org").order_by("-seq")[:limit]))


def last_seq() -> int:
    return AuditEntry.objects.aggregate(m=Max("seq"))["m"] or 0


# --- targets and reports -----------------------------------------------------------------------


def list_targets(user, org: Organization | None = None, *, on: date | None = None):
    qs = Target.objects.filter(scope_q(user, "command.view")).select_related("org")
    if org is not None:
        qs = qs.filter(org=org)
    if on is not None:
        qs = qs.filter(starts_on__lte=on, ends_on__gte=on)
    return qs


def access_target(user, target_id) -> Target:
    return get_object_or_404(Target.objects.filter(scope_q(user, "command.targets")), pk=target_id)


def list_reports(user, org: Organization | None = None):
    qs = Report.objects.filter(scope_q(user, "command.reports")).select_related("org")
    if org is not None:
        qs = qs.filter(org__path__startswith=org.path)
    return qs


def access_report(user, report_id) -> Report:
    return get_object_or_404(list_reports(user), pk=report_id)


def list_schedules(user, org: Organization | None = None):
    qs = ReportSchedule.objects.filter(scope_q(user, "command.reports")).select_related("org")
    if org is not None:
        qs = qs.filter(org__path__startswith=org.path)
    return qs


def access_schedule(user, schedule_id) -> ReportSchedule:
    return get_object_or_404(list_schedules(user), pk=schedule_id)


def report_chats(org: Organization) -> list:
    """Telegram and Bale channels that may receive the organisation's reports: its own, those
    of organisations below it and of those above it (the province's channel)."""
    from django.db.models import Q

    from didban.command.metrics.base import model_or_none

    Channel = model_or_none("publishing.Channel")
    if Channel is None:
        return []
    return list(
        Channel.objects.filter(
            Q(org__path__startswith=org.path) | Q(org_id__in=org.ancestor_ids()),
            kind__in=("telegram", "bale"),
        )
        .select_related("org")
        .order_by("name")
    )
