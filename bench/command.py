"""Command room: server time of the screen and of a daily report, from rollups vs raw rows.

What is generated (bulk-inserted; actions' audit cost is measured elsewhere):
- the national tree: 1 national HQ, 31 province HQs, 450 county HQs (BENCH_COUNTIES);
- rollup tables at national scale: 7 months (BENCH_DAYS=212) of hourly figures for every
  county, sparse like real activity: ~500,000 items published (production.<kind>) and
  ~1,000,000 channel deliveries (delivery.sent.telegram, 2 per item) spread over the hours, plus
  the levels (designs on display, open violations) of the last 48 hours;
- a raw sample: one province's 15 counties with the same density in the newsroom's Item table
  (~17,000 items over 7 months).
Figures:
- screen (rollups, national): the real /command/ view as a national supervisor, p50 and p95;
  baseline: the same figures computed from the raw Item table for the sample province, scaled
  linearly to the national row count (500,000 / sample items) — a lower bound of the raw cost.
- screen (rollups vs raw, same province): both measured, no scaling.
- daily report (rollups, national): collect + PDF render; baseline: the same figures from raw.
"""

from __future__ import annotations

import os
import random
import statistics
import time
import uuid
from collections import Counter
from datetime import timedelta

COUNTIES = int(os.environ.get("BENCH_COUNTIES", "450"))
DAYS = int(os.environ.get("BENCH_DAYS", "212"))
ITEMS = int(os.environ.get("BENCH_ITEMS", "500000"))
ROUNDS = 7
KINDS = ["news", "video", "infographic", "poster", "news_report"]


def _p(times):
    times = sorted(times)
    return statistics.median(times) * 1000, times[max(int(len(times) * 0.95) - 1, 0)] * 1000


def run(report) -> None:
    from django.db import connection, transaction
    from django.db.models import Count
    from django.test import Client
    from django.utils import timezone

    from didban.accounts.models import Membership, Organization, User
    from didban.command import queries, reports
    from didban.command.models import HourlyFigure
    from didban.command.rollup import floor
    from didban.newsroom.models import Item

    rng = random.Random(11)
    tag = uuid.uuid4().hex[:6]
    K = Organization.Kind
    national = Organization.objects.create(name="ستاد کشور", code=f"n-{tag}", kind=K.NATIONAL_HQ)
    national.path = f"/{national.pk}/"
    national.save(update_fields=["path"])
    provinces = Organization.objects.bulk_create(
        Organization(
            name=f"استان {i}", code=f"p{i}-{tag}", kind=K.PROVINCE_HQ, parent=national, depth=1
        )
        for i in range(31)
    )
    for p in provinces:
        p.path = f"{national.path}{p.pk}/"
    Organization.objects.bulk_update(provinces, ["path"])
    counties = Organization.objects.bulk_create(
        Organization(
            name=f"شهرستان {i}",
            code=f"c{i}-{tag}",
            kind=K.COUNTY_HQ,
            parent=provinces[min(i * 31 // COUNTIES, 30)],
            depth=2,
        )
        for i in range(COUNTIES)
    )
    for c in counties:
        c.path = f"{provinces[min(counties.index(c) * 31 // COUNTIES, 30)].path}{c.pk}/"
    Organization.objects.bulk_update(counties, ["path"])
    user = User.objects.create_user(f"bench-nat-{tag}", password=None)
    Membership.objects.create(user=user, org=national, role="supervisor")
    sample_province = provinces[0]
    sample_counties = [c for c in counties if c.path.startswith(sample_province.path)]

    now = timezone.now()
    first_hour = floor(now - timedelta(days=DAYS), 60)
    hours = DAYS * 24
    per_county = ITEMS / COUNTIES
    t0 = time.perf_counter()
    # Raw SQL inserts of plain tuples: model instances for a million rows take minutes.
    table = HourlyFigure._meta.db_table
    insert = f"INSERT INTO {table} (org_id, resolution, bucket_start, metric, value) VALUES (%s, 60, %s, %s, %s)"  # noqa: S608 - the table name is the model's
    rows: list[tuple] = []
    raw_items = []
    current = floor(now, 60)
    with transaction.atomic(), connection.cursor() as cursor:
        for county in counties:
            produced: Counter = Counter()
            sent: Counter = Counter()
            for _ in range(int(per_county)):
                h = first_hour + timedelta(hours=rng.randrange(hours), minutes=rng.randrange(60))
                kind = rng.choice(KINDS)
                bucket = floor(h, 60)
                produced[(bucket, f"production.{kind}")] += 1
                sent[(bucket, "delivery.sent.telegram")] += 2
                if county in sample_counties:
                    raw_items.append((county, kind, h))
            for (bucket, metric), value in [*produced.items(), *sent.items()]:
                rows.append((county.pk, bucket, metric, value))
            for back in range(48):
                bucket = current - timedelta(hours=back)
                rows.append((county.pk, bucket, "now.field.on_display", rng.randint(50, 200)))
                rows.append((county.pk, bucket, "now.violations.open", rng.randint(0, 30)))
            if len(rows) > 50000:
                cursor.executemany(insert, rows)
                rows = []
        cursor.executemany(insert, rows)
    figures = HourlyFigure.objects.filter(org__path__startswith=national.path).count()
    author = user
    Item.objects.bulk_create(
        (
            Item(
                org=c,
                author=author,
                kind=k,
                title="خبر",
                news_code=f"B{n}",
                status="published",
                published_at=h,
            )
            for n, (c, k, h) in enumerate(raw_items)
        ),
        batch_size=5000,
    )
    print(f"  generated {figures:,} hourly figures for {COUNTIES} counties × {DAYS} days and "
          f"{len(raw_items):,} raw items in {len(sample_counties)} counties "
          f"in {time.perf_counter() - t0:.0f} s")  # fmt: skip

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)

    def screen(org):
        t = time.perf_counter()
        response = client.get(f"/command/?org={org.pk}")
        assert response.status_code == 200, response.status_code
        return time.perf_counter() - t

    def raw_screen(org):
        """The screen's figures straight from Item: today, this week, by kind, by child."""
        t = time.perf_counter()
        today, week = queries.day_start(now), queries.week_start(now)
        base = Item.objects.filter(org__path__startswith=org.path, published_at__isnull=False)
        list(base.filter(published_at__gte=today).values("kind").annotate(n=Count("id")))
        list(base.filter(published_at__gte=week).values("kind").annotate(n=Count("id")))
        list(base.filter(published_at__gte=today).values("org__path").annotate(n=Count("id")))
        # the 7-month growth the report and charts need
        list(base.values("kind").annotate(n=Count("id")))
        return time.perf_counter() - t

    def rollup_figures(org):
        """The screen's figures from the rollups: today, this week, by child, levels."""
        t = time.perf_counter()
        today, week = queries.day_start(now), queries.week_start(now)
        end = now + timedelta(hours=1)
        queries.totals(org, today, end)
        queries.totals(org, week, end)
        queries.by_child(org, today, end)
        queries.gauges(org)
        return time.perf_counter() - t

    for org in (national, sample_province):
        screen(org)
        rollup_figures(org)
    fig_nat = [rollup_figures(national) for _ in range(ROUNDS)]
    fig_prov = [rollup_figures(sample_province) for _ in range(ROUNDS)]
    national_times = [screen(national) for _ in range(ROUNDS)]
    province_times = [screen(sample_province) for _ in range(ROUNDS)]
    raw_screen(sample_province)
    raw_times = [raw_screen(sample_province) for _ in range(ROUNDS)]
    nat50, nat95 = _p(national_times)
    prov50, _ = _p(province_times)
    raw50, raw95 = _p(raw_times)
    scale = ITEMS / max(len(raw_items), 1)
    report("command screen, national (rollups) p50", round(nat50, 1), "ms",
           baseline=round(raw50 * scale, 1),
           baseline_label=f"raw Item aggregates, one province scaled ×{scale:.0f}")  # fmt: skip
    report("command screen, national (rollups) p95", round(nat95, 1), "ms",
           baseline=round(raw95 * scale, 1),
           baseline_label=f"raw Item aggregates, one province scaled ×{scale:.0f}")  # fmt: skip
    report("command screen, one province (rollups) p50", round(prov50, 1), "ms",
           baseline=round(raw50, 1),
           baseline_label="the same province's figures from raw Item rows (measured)")  # fmt: skip
    fn50, fn95 = _p(fig_nat)
    fp50, _ = _p(fig_prov)
    report("screen figures only, national (rollups) p50", round(fn50, 1), "ms",
           baseline=round(raw50 * scale, 1),
           baseline_label=f"same figures from raw Item rows, one province scaled ×{scale:.0f}")  # fmt: skip
    report("screen figures only, national (rollups) p95", round(fn95, 1), "ms",
           baseline=round(raw95 * scale, 1),
           baseline_label=f"same figures from raw Item rows, one province scaled ×{scale:.0f}")  # fmt: skip
    report("screen figures only, one province (rollups) p50", round(fp50, 1), "ms",
           baseline=round(raw50, 1),
           baseline_label="same figures from raw Item rows of that province (measured)")  # fmt: skip

    day_end = queries.day_start(now)
    day_start = day_end - timedelta(days=1)

    def daily_report():
        t = time.perf_counter()
        data = reports.collect(national, "daily", day_start, day_end)
        collected = time.perf_counter() - t
        reports.render_pdf(data)
        return collected, time.perf_counter() - t

    def raw_daily():
        t = time.perf_counter()
        base = Item.objects.filter(
            org__path__startswith=sample_province.path,
            published_at__gte=day_start,
            published_at__lt=day_end,
        )
        list(base.values("kind").annotate(n=Count("id")))
        list(base.values("org__path").annotate(n=Count("id")))
        list(base.values_list("published_at", flat=True))
        return time.perf_counter() - t

    daily_report()
    rep = [daily_report() for _ in range(3)]
    raw_daily()
    rawd = [raw_daily() for _ in range(ROUNDS)]
    col50, _col95 = _p([c for c, _t in rep])
    rep50, rep95 = _p([t for _c, t in rep])
    rawd50, rawd95 = _p(rawd)
    render = rep50 - col50
    report("daily report figures, national (rollups) p50", round(col50, 1), "ms",
           baseline=round(rawd50 * scale, 1),
           baseline_label=f"same figures from raw Item rows, one province scaled ×{scale:.0f}")  # fmt: skip
    report("daily report PDF, national (rollups) p50", round(rep50, 1), "ms",
           baseline=round(rawd50 * scale + render, 1),
           baseline_label="raw figures (scaled) + the same PDF render")  # fmt: skip
    report("daily report PDF, national (rollups) p95", round(rep95, 1), "ms",
           baseline=round(rawd95 * scale + render, 1),
           baseline_label="raw figures (scaled) + the same PDF render")  # fmt: skip
