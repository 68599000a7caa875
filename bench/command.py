"""Command room: server time of the screen and of a daily report, from rollups vs raw tables.

A national-scale dataset is generated as raw rows of the apps' own tables (raw SQL
`executemany` of prepared rows: model instances for millions of rows take too long):
- 1 national HQ, 31 provinces, 450 counties (BENCH_COUNTIES);
- 500,000 published newsroom items (BENCH_ITEMS) over 212 days (BENCH_DAYS) and the 14 days
  after the generation (so a cached dataset still has "today" for two weeks);
- 1,000,000 deliveries (a Telegram and a Bale channel per county, about 2 % failed);
- 3,000,000 monitored articles (BENCH_ARTICLES), 10 % of them topic hits, 1 % pickups;
- 60,000 display sites (BENCH_SITES) with a placement each in a running window, a check-in
  for each installed one; 20,000 violations.
The rollups are then made by the real rollup code (`recompute`) from those rows, and the
figures the two ways must agree (checked before measuring).

The generated SQLite database is cached in var/bench/cache/ (keyed by the sizes, the
migrations and the rollup code) and reused while it is complete and less than 13 days old, so a repeated run
takes a minute or two; the first run generates it (several minutes).

Figures (p50/p95 over ROUNDS requests, through Django's test client, the real view):
- the `/command/` page for the nation and for one province, from the rollups; baseline: the
  same view with the figure reads (`queries.totals/gauges/by_child/series`) answered by SQL
  aggregates over the raw tables (`raw_*` below) — the page computed without rollups;
- the daily report (collect + PDF) the same two ways.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import statistics
import time
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

COUNTIES = int(os.environ.get("BENCH_COUNTIES", "450"))
DAYS = int(os.environ.get("BENCH_DAYS", "212"))
AHEAD = 14
ITEMS = int(os.environ.get("BENCH_ITEMS", "500000"))
ARTICLES = int(os.environ.get("BENCH_ARTICLES", "3000000"))
SITES = int(os.environ.get("BENCH_SITES", "60000"))
VIOLATIONS = int(os.environ.get("BENCH_VIOLATIONS", "20000"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "7"))
VERSION = 2  # of the generator: a change makes a new cache
KINDS = ["news", "video", "infographic", "poster", "news_report"]
CACHE_DIR = Path(__file__).resolve().parent.parent / "var" / "bench" / "cache"


def _p(times):
    times = sorted(times)
    return statistics.median(times) * 1000, times[max(int(len(times) * 0.95 + 0.5) - 1, 0)] * 1000


# --- fast raw inserts ----------------------------------------------------------------------


class Rows:
    """INSERTs of one model's rows: every column at its default, `vary` columns per row."""

    def __init__(self, model, vary: list[str], **fixed):
        from django.db import connection

        self.connection = connection
        obj = model(**fixed)
        fields = [f for f in model._meta.concrete_fields if not f.primary_key or "id" in vary]
        self.columns = [f.column for f in fields]
        self.base = [
            None if f.primary_key else f.get_db_prep_save(f.pre_save(obj, add=True), connection)
            for f in fields
        ]
        by_name = {f.attname: n for n, f in enumerate(fields)}
        self.slots = [by_name[name] for name in vary]
        kinds = {f.attname: f.get_internal_type() for f in fields}
        ops = connection.ops
        self.adapt = [
            ops.adapt_datetimefield_value
            if kinds[name] == "DateTimeField"
            else ops.adapt_datefield_value
            if kinds[name] == "DateField"
            else None
            for name in vary
        ]
        cols = ", ".join(connection.ops.quote_name(c) for c in self.columns)
        marks = ", ".join(["%s"] * len(self.columns))
        self.sql = f"INSERT INTO {model._meta.db_table} ({cols}) VALUES ({marks})"  # noqa: S608

    def insert(self, values, batch: int = 20000) -> int:
        pending, total = [], 0
        with self.connection.cursor() as cursor:
            for row_values in values:
                row = list(self.base)
                for slot, adapt, value in zip(self.slots, self.adapt, row_values, strict=True):
                    row[slot] = adapt(value) if adapt and value is not None else value
                pending.append(row)
                if len(pending) >= batch:
                    cursor.executemany(self.sql, pending)
                    total += len(pending)
                    pending = []
            if pending:
                cursor.executemany(self.sql, pending)
                total += len(pending)
        return total


class IndexesLater:
    """On SQLite, drop the tables' indexes while their rows are loaded and build them after
    (one sorted build instead of millions of B-tree inserts)."""

    def __init__(self, *models):
        self.tables = [m._meta.db_table for m in models]

    def __enter__(self):
        from django.db import connection

        self.saved = []
        if connection.vendor != "sqlite":
            return self
        with connection.cursor() as cursor:
            cursor.execute("SELECT name, sql, tbl_name FROM sqlite_master WHERE type = 'index'")
            self.saved = [
                (name, sql) for name, sql, table in cursor.fetchall()
                if sql and table in self.tables
            ]  # fmt: skip
            for name, _sql in self.saved:
                cursor.execute(f'DROP INDEX "{name}"')
        return self

    def __exit__(self, *exc):
        from django.db import connection

        with connection.cursor() as cursor:
            for _name, sql in self.saved:
                cursor.execute(sql)


def _next_id(model) -> int:
    from django.db.models import Max

    return (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1


# --- the dataset -------------------------------------------------------------------------------


def generate(anchor: datetime) -> dict:
    """Raw rows of every app at national scale, then the rollups made from them."""
    from django.db import transaction

    from didban.accounts.models import Membership, Organization, User
    from didban.command.rollup import QUARTER, floor, recompute, sample_gauges
    from didban.compliance.models import Election, Violation
    from didban.field.models import CheckIn, Design, Placement, Site, Window
    from didban.monitoring.models import Article, Outlet, Pickup, Source, Topic, TopicHit
    from didban.newsroom.models import Item
    from didban.publishing.models import Channel, Delivery

    rng = random.Random(11)
    t0 = time.perf_counter()
    first = anchor - timedelta(days=DAYS)
    span = (DAYS + AHEAD) * 86400

    def moment():
        return first + timedelta(seconds=rng.randrange(span))

    K = Organization.Kind
    with transaction.atomic():
        national = Organization.objects.create(name="ستاد کشور", code="bench-n", kind=K.NATIONAL_HQ)
        national.path = f"/{national.pk}/"
        national.save(update_fields=["path"])
        provinces = Organization.objects.bulk_create(
            Organization(name=f"استان {i}", code=f"bench-p{i}", kind=K.PROVINCE_HQ,
                         parent=national, depth=1)
            for i in range(31)
        )  # fmt: skip
        for p in provinces:
            p.path = f"{national.path}{p.pk}/"
        Organization.objects.bulk_update(provinces, ["path"])
        counties = Organization.objects.bulk_create(
            Organization(name=f"شهرستان {i}", code=f"bench-c{i}", kind=K.COUNTY_HQ,
                         parent=provinces[min(i * 31 // COUNTIES, 30)], depth=2)
            for i in range(COUNTIES)
        )  # fmt: skip
        for c in counties:
            c.path = f"{c.parent.path}{c.pk}/"
        Organization.objects.bulk_update(counties, ["path"])
        user = User.objects.create_user("bench-national", password=None)
        Membership.objects.create(user=user, org=national, role="supervisor")
        county_ids = [c.pk for c in counties]
        province_of = {c.pk: c.parent_id for c in counties}

        with IndexesLater(Item, Delivery, Article, TopicHit, Pickup):
            # Newsroom: published items.
            first_item = _next_id(Item)
            items = []  # (id, org, published_at)
            for n in range(ITEMS):
                items.append((first_item + n, rng.choice(county_ids), moment()))
            Rows(Item, ["id", "org_id", "news_code", "kind", "status", "published_at", "title"],
                 author_id=user.pk).insert(
                (pk, org, f"B{pk}", KINDS[pk % 5], "published", at, "خبر")
                for pk, org, at in items
            )  # fmt: skip
            # Publishing: a Telegram and a Bale channel per county, two deliveries per item.
            channels = {}
            for org in county_ids:
                for kind in ("telegram", "bale"):
                    channels[(org, kind)] = Channel.objects.create(
                        org_id=org, kind=kind, name=f"{kind} {org}", target=f"@c{org}"
                    ).pk
            deliveries = Rows(Delivery, ["org_id", "item_id", "channel_id", "status", "sent_at",
                                         "updated_at", "queued_at"])  # fmt: skip

            def delivery_rows():
                for pk, org, at in items:
                    for kind in ("telegram", "bale"):
                        if rng.random() < 0.02:
                            yield org, pk, channels[(org, kind)], "failed", None, at, at
                        else:
                            sent = at + timedelta(seconds=rng.randrange(5, 120))
                            yield org, pk, channels[(org, kind)], "sent", sent, sent, at

            deliveries.insert(delivery_rows())
            print(f"  … items and deliveries {time.perf_counter() - t0:.0f} s", flush=True)
            # Monitoring: articles of each province's outlets; hits and pickups.
            sources = {}
            for p in provinces:
                outlet = Outlet.objects.create(
                    org=p, name=f"خبرگزاری {p.pk}", website="https://x.ir"
                )
                sources[p.pk] = (outlet.pk, Source.objects.create(
                    org=p, outlet=outlet, name="rss", url="https://x.ir/rss").pk)  # fmt: skip
            topics = {org: Topic.objects.create(org_id=org, name="انتخابات", rule="انتخابات").pk
                      for org in county_ids}  # fmt: skip
            first_article = _next_id(Article)
            hits, pickups = [], []

            def article_rows():
                for n in range(ARTICLES):
                    pk = first_article + n
                    county = rng.choice(county_ids)
                    at = moment()
                    outlet, source = sources[province_of[county]]
                    roll = rng.random()
                    if roll < 0.10:
                        hits.append((county, topics[county], pk, floor(at, 60), at))
                    elif roll < 0.11:
                        item = items[rng.randrange(len(items))]
                        pickups.append((item[1], item[0], item[2], pk, at))
                    yield pk, province_of[county], source, outlet, f"u{pk}", f"u{pk}", at

            Rows(Article, ["id", "org_id", "source_id", "outlet_id", "url", "url_key",
                           "published_at"], title="خبر", text="").insert(article_rows())  # fmt: skip
            Rows(TopicHit, ["org_id", "topic_id", "article_id", "hour", "created_at"]).insert(hits)
            Rows(Pickup, ["org_id", "item_id", "item_published_at", "article_id", "created_at"],
                 delay_seconds=600, similarity=0.9).insert(pickups)  # fmt: skip
        print(f"  … articles, hits, pickups, indexes {time.perf_counter() - t0:.0f} s", flush=True)
        # Field: a running window per county, a site and a placement each, check-ins.
        today = anchor.date()
        design = Design.objects.create(org=national, title="طرح ملی", status="approved")
        windows = {org: Window.objects.create(
            org_id=org, name="اکران", starts_on=today - timedelta(days=30),
            ends_on=today + timedelta(days=AHEAD + 30)).pk for org in county_ids}  # fmt: skip
        first_site = _next_id(Site)
        sites = [(first_site + n, rng.choice(county_ids)) for n in range(SITES)]
        from didban.places.models import Place

        place = Place.objects.create(code="bench-place", kind=Place.Kind.choices[0][0],
                                     name_fa="ایران")  # fmt: skip
        Rows(Site, ["id", "org_id", "code", "name"], place_id=place.pk,
             kind=Site._meta.get_field("kind").choices[0][0]).insert(
            (pk, org, f"S{pk}", "تابلو") for pk, org in sites)  # fmt: skip
        first_placement = _next_id(Placement)
        states = ["installed"] * 5 + ["verified"] * 2 + ["planned"] * 2 + ["damaged"]
        placements = [(first_placement + n, org, pk, rng.choice(states))
                      for n, (pk, org) in enumerate(sites)]  # fmt: skip
        Rows(Placement, ["id", "org_id", "window_id", "site_id", "design_id", "state"]).insert(
            (pk, org, windows[org], site, design.pk, state) for pk, org, site, state in placements
        )
        Rows(CheckIn, ["client_uuid", "placement_id", "org_id", "agent_id", "from_state",
                       "to_state", "client_time", "received_at"]).insert(
            (f"00000000-0000-4000-8000-{pk:012d}", pk, org, user.pk, "planned", state, at, at)
            for pk, org, _site, state in placements
            if state != "planned"
            for at in [anchor - timedelta(seconds=rng.randrange(30 * 86400))]
        )  # fmt: skip
        # Compliance: violations over the last 60 days, half still open.
        election = Election.objects.create(
            org=national, name="انتخابات", slug="bench", election_day=today + timedelta(days=10)
        )
        statuses = ["received", "categorised", "referred", "resolved", "dismissed"]
        Rows(Violation, ["org_id", "election_id", "tracking_code", "status", "observed_at",
                         "referral_deadline", "source"]).insert(
            (rng.choice(county_ids), election.pk, f"T{n}", statuses[n % 5],
             at, at + timedelta(days=3) if statuses[n % 5] == "referred" else None, "field")
            for n in range(VIOLATIONS)
            for at in [anchor - timedelta(seconds=rng.randrange(60 * 86400))]
        )  # fmt: skip
    raw_seconds = time.perf_counter() - t0

    # The rollups, by the real code, a month at a time (hourly for the whole range, quarter
    # hours for the last two days).
    t1 = time.perf_counter()
    start = floor(first, 60)
    end = floor(anchor + timedelta(days=AHEAD), 60) + timedelta(hours=1)
    while start < end:
        stop = min(start + timedelta(days=30), end)
        recompute(start, stop, resolutions=(60,))
        start = stop
        print(f"  … rollups to {start:%Y-%m-%d} {time.perf_counter() - t1:.0f} s", flush=True)
    recompute(floor(anchor, 60) - timedelta(hours=48), floor(anchor, 60) + timedelta(hours=1),
              resolutions=(QUARTER,))  # fmt: skip
    sample_gauges(anchor)
    return {
        "anchor": anchor.isoformat(),
        "national": national.pk,
        "province": provinces[0].pk,
        "user": user.pk,
        "raw_seconds": round(raw_seconds),
        "rollup_seconds": round(time.perf_counter() - t1),
    }


# --- the same figures from the raw tables --------------------------------------------------------


def _ids(org):
    from didban.command.queries import subtree_ids

    return subtree_ids(org)


def _in(qs, ids, field="org_id"):
    return qs if ids is None else qs.filter(**{f"{field}__in": ids})


def raw_counts(org, start, end, group: str | None = None) -> dict:
    """Counters over the raw rows of the subtree: {metric: n} or {(group value, metric): n}."""
    from django.db.models import Count

    from didban.compliance.models import Violation
    from didban.field.models import CheckIn
    from didban.monitoring.models import Pickup, TopicHit
    from didban.newsroom.models import Item
    from didban.publishing.models import Delivery

    ids = _ids(org)
    extra = [group] if group else []
    result: dict = defaultdict(int)

    def add(qs, metric_of):
        for row in qs.values(*extra, *metric_of[0]).annotate(n=Count("pk")).order_by():
            key = metric_of[1](row)
            result[(row[group], key) if group else key] += row["n"]

    add(_in(Item.objects.filter(published_at__gte=start, published_at__lt=end), ids),
        (["kind"], lambda r: f"production.{r['kind']}"))  # fmt: skip
    add(_in(Delivery.objects.filter(sent_at__gte=start, sent_at__lt=end), ids),
        (["channel__kind"], lambda r: f"delivery.sent.{r['channel__kind']}"))  # fmt: skip
    add(_in(Delivery.objects.filter(status="failed", updated_at__gte=start, updated_at__lt=end),
            ids), (["channel__kind"], lambda r: f"delivery.failed.{r['channel__kind']}"))  # fmt: skip
    add(_in(TopicHit.objects.filter(created_at__gte=start, created_at__lt=end), ids),
        ([], lambda r: "monitoring.hits"))  # fmt: skip
    add(_in(Pickup.objects.filter(created_at__gte=start, created_at__lt=end), ids),
        ([], lambda r: "monitoring.pickups"))  # fmt: skip
    add(_in(CheckIn.objects.filter(client_time__gte=start, client_time__lt=end,
                                   to_state__in=("installed", "verified", "damaged", "removed")),
            ids), (["to_state"], lambda r: f"field.{r['to_state']}"))  # fmt: skip
    add(_in(Violation.objects.filter(observed_at__gte=start, observed_at__lt=end,
                                     duplicate_of__isnull=True), ids),
        ([], lambda r: "violations.reported"))  # fmt: skip
    return dict(result)


def raw_levels(org, group: str | None = None, now=None) -> dict:
    from django.db.models import Count, Q
    from django.utils import timezone

    from didban.compliance.models import Violation
    from didban.field.models import Placement

    now = now or timezone.now()
    today = timezone.localdate(now)
    ids = _ids(org)
    extra = [group] if group else []
    result: dict = defaultdict(int)

    def put(key, metric, n):
        if n:
            result[(key, metric) if group else metric] += n

    current = _in(Placement.objects.filter(window__starts_on__lte=today,
                                           window__ends_on__gte=today), ids)  # fmt: skip
    for row in current.values(*extra).annotate(
        planned=Count("pk", filter=~Q(state="replaced")),
        shown=Count("pk", filter=Q(state__in=("installed", "verified"))),
        sites=Count("site_id", distinct=True, filter=Q(state__in=("installed", "verified"))),
    ).order_by():  # fmt: skip
        key = row.get(group)
        put(key, "now.field.planned", row["planned"])
        put(key, "now.field.on_display", row["shown"])
        put(key, "now.field.sites_covered", row["sites"])
    violations = _in(Violation.objects.exclude(status__in=("resolved", "dismissed")).filter(
        duplicate_of__isnull=True), ids)  # fmt: skip
    for row in (
        violations.values(*extra)
        .annotate(
            open=Count("pk"),
            overdue=Count("pk", filter=Q(status="referred", referral_deadline__lt=now)),
        )
        .order_by()
    ):
        key = row.get(group)
        put(key, "now.violations.open", row["open"])
        put(key, "now.violations.overdue", row["overdue"])
    return dict(result)


def raw_by_child(org, start, end, at=None):
    from didban.accounts.models import Organization
    from didban.command.queries import children_of

    kids = children_of(org)
    owner = {}
    for pk, path in Organization.objects.filter(path__startswith=org.path).values_list(
        "pk", "path"
    ):
        owner[pk] = next((k.pk for k in kids if path.startswith(k.path)), None)
    sums = {k.pk: defaultdict(int) for k in kids}
    rows = [*raw_counts(org, start, end, group="org_id").items(),
            *raw_levels(org, group="org_id", now=at).items()]  # fmt: skip
    for (org_id, metric), n in rows:
        if owner.get(org_id) is not None:
            sums[owner[org_id]][metric] += n
    return [(k, dict(sums[k.pk])) for k in kids]


def raw_series(org, start, end, resolution=60):
    from django.db.models import Count
    from django.db.models.functions import TruncHour

    from didban.newsroom.models import Item

    rows = (
        _in(Item.objects.filter(published_at__gte=start, published_at__lt=end), _ids(org))
        .annotate(bucket=TruncHour("published_at", tzinfo=UTC))
        .values("bucket", "kind")
        .annotate(n=Count("pk"))
        .order_by()
    )
    result: dict = defaultdict(dict)
    for row in rows:
        result[row["bucket"]][f"production.{row['kind']}"] = row["n"]
    return dict(result)


class RawReads:
    """Within `with RawReads(at):` the command room reads every figure from the raw tables;
    levels (open violations, overdue ones) as of `at`, the moment the rollup sampled them."""

    def __init__(self, at):
        self.at = at

    def __enter__(self):
        from didban.command import queries

        self.saved = {n: getattr(queries, n) for n in ("totals", "gauges", "by_child", "series")}
        queries.totals = lambda org, start, end, resolution=60: raw_counts(org, start, end)
        queries.gauges = lambda org, before=None: raw_levels(org, now=before or self.at)
        queries.by_child = lambda org, start, end: raw_by_child(org, start, end, at=self.at)
        queries.series = raw_series
        return self

    def __exit__(self, *exc):
        from didban.command import queries

        for name, fn in self.saved.items():
            setattr(queries, name, fn)


# --- the cache ----------------------------------------------------------------------------------


def _migrations_key() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        applied = cursor.fetchall()
    sizes = [COUNTIES, DAYS, ITEMS, ARTICLES, SITES, VIOLATIONS, VERSION]
    # The rollups are stored in the cache: a change of the rollup code makes a new one.
    command = Path(__file__).resolve().parent.parent / "didban" / "command"
    code = [p.read_text() for p in sorted([command / "rollup.py", *command.glob("metrics/*.py")])]
    return hashlib.sha256(json.dumps([sizes, applied, code]).encode()).hexdigest()[:16]


def _use(path: Path) -> None:
    from django.db import connection

    connection.close()
    connection.settings_dict["NAME"] = str(path)


def dataset(now: datetime) -> tuple[dict, str]:
    """The generated dataset: reused from the cache when complete and fresh, else made."""
    import sqlite3

    from django.db import connection

    if connection.vendor != "sqlite":
        return generate(now), "generated (no cache on this database)"
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    key = _migrations_key()
    db, meta_path = CACHE_DIR / f"command-{key}.sqlite3", CACHE_DIR / f"command-{key}.json"
    if db.exists() and meta_path.exists():
        meta = json.loads(meta_path.read_text())
        if now < datetime.fromisoformat(meta["anchor"]) + timedelta(days=AHEAD - 1):
            _use(db)
            return meta, f"cached {db.name}"
    for old in CACHE_DIR.glob("command-*"):
        old.unlink()
    partial = CACHE_DIR / f"command-{key}.partial.sqlite3"
    fresh = sqlite3.connect(connection.settings_dict["NAME"])
    target = sqlite3.connect(partial)
    fresh.backup(target)  # the migrated, empty database
    fresh.close()
    target.close()
    _use(partial)
    with connection.cursor() as cursor:  # a scratch file until it is complete: no journal
        cursor.execute("PRAGMA journal_mode=OFF")
        cursor.execute("PRAGMA synchronous=OFF")
        cursor.execute("PRAGMA cache_size=-400000")
    meta = generate(now)
    _use(db)  # closes the partial one
    for suffix in ("-wal", "-shm"):
        Path(f"{partial}{suffix}").unlink(missing_ok=True)
    partial.rename(db)
    meta_path.write_text(json.dumps(meta))
    return meta, f"generated into {db.name}"


# --- the measurements ----------------------------------------------------------------------------


def run(report) -> None:
    from django.conf import settings
    from django.db import connection
    from django.test import Client, RequestFactory
    from django.utils import timezone

    from didban.accounts.models import Organization, User
    from didban.command import queries, reports, views
    from didban.command.rollup import sample_gauges

    saved_name = connection.settings_dict["NAME"]
    now = timezone.now()
    t0 = time.perf_counter()
    try:
        meta, how = dataset(now)
        sampled = timezone.now()
        sample_gauges(sampled)  # this hour's levels, as the worker's last run leaves them
        # and those the worker sampled just before midnight (the daily report's end levels)
        sample_gauges(queries.day_start(now) - timedelta(minutes=1))
        print(f"  dataset {how} in {time.perf_counter() - t0:.0f} s "
              f"(raw rows {meta['raw_seconds']} s, rollups {meta['rollup_seconds']} s when made); "
              f"{COUNTIES} counties, {ITEMS:,} items, {2 * ITEMS:,} deliveries, "
              f"{ARTICLES:,} articles, {SITES:,} sites")  # fmt: skip
        national = Organization.objects.get(pk=meta["national"])
        province = Organization.objects.get(pk=meta["province"])
        user = User.objects.get(pk=meta["user"])
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "127.0.0.1"]
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user)

        # The two ways must show the same figures.
        request = RequestFactory().get("/command/")
        request.user = user
        keys = ("production_day", "production_week")
        for org in (national, province):
            rolled = views.screen_data(request, org)
            with RawReads(sampled):
                raw = views.screen_data(request, org)
            pairs = [(rolled[k], raw[k]) for k in keys]
            pairs += [({k: c["value"] for k, c in rolled["levels"].items()},
                       {k: c["value"] for k, c in raw["levels"].items()})]  # fmt: skip
            pairs += [([(c["kind"], c["value"], c["failed"]) for c in rolled["deliveries"]],
                       [(c["kind"], c["value"], c["failed"]) for c in raw["deliveries"]])]  # fmt: skip
            pairs += [([(c["org"].pk, c["production"], c["on_display"]) for c in rolled["children"]],
                       [(c["org"].pk, c["production"], c["on_display"]) for c in raw["children"]])]  # fmt: skip
            bad = [p for p in pairs if p[0] != p[1]]
            assert not bad, f"rollups and raw rows disagree for {org.name}: {bad}"
        print(f"  the screen's figures from rollups equal those from raw rows "
              f"(today {rolled['production_day']:,} items in the province)")  # fmt: skip

        def screen(org):
            t = time.perf_counter()
            response = client.get(f"/command/?org={org.pk}")
            assert response.status_code == 200, response.status_code
            return time.perf_counter() - t

        def measure(fn, *args, rounds=ROUNDS):
            fn(*args)  # warm
            return [fn(*args) for _ in range(rounds)]

        for label, org in (("national", national), ("one province", province)):
            rolled = measure(screen, org)
            with RawReads(sampled):
                raw = measure(screen, org)
            r50, r95 = _p(rolled)
            b50, b95 = _p(raw)
            report(f"command screen, {label} (rollups) p50", round(r50, 1), "ms",
                   baseline=round(b50, 1), baseline_label="the same page from raw tables p50")  # fmt: skip
            report(f"command screen, {label} (rollups) p95", round(r95, 1), "ms",
                   baseline=round(b95, 1), baseline_label="the same page from raw tables p95")  # fmt: skip

        day_end = queries.day_start(now)
        day_start = day_end - timedelta(days=1)

        def daily():
            t = time.perf_counter()
            data = reports.collect(national, "daily", day_start, day_end)
            reports.render_pdf(data)
            return time.perf_counter() - t

        rolled = measure(daily, rounds=3)
        with RawReads(sampled):
            raw = measure(daily, rounds=3)
        r50, r95 = _p(rolled)
        b50, b95 = _p(raw)
        report("daily report PDF, national (rollups) p50", round(r50, 1), "ms",
               baseline=round(b50, 1), baseline_label="the same report from raw tables p50")  # fmt: skip
        report("daily report PDF, national (rollups) p95", round(r95, 1), "ms",
               baseline=round(b95, 1), baseline_label="the same report from raw tables p95")  # fmt: skip
    finally:
        _use(Path(saved_name))
