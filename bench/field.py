"""Display-campaign figures.

- coverage: server time of the coverage figures (two grouped queries) for one window of 60,000
  placements across 31 provinces (60,000 sites, 150 designs, 3 windows, ~180,000 field tasks),
  against the naive way — one query per site for its placement and one for its late tasks —
  timed on 3,000 sites and scaled to 60,000 (running it in full would take minutes).
- coverage page: the whole page (table, progress bar, map points) through the test client.
- served check-ins: the real server (`python -m didban.cli serve`, a subprocess on a free port,
  this run's database) driven by 50 concurrent clients (each a field agent with its own API
  token) for a fixed time per case, each sending distinct check-ins back to back: without a
  photo, and with a ~300 KB phone-like JPEG. Submissions/second and p50/p99 latency, against the
  same server answering an authenticated `GET /api/v1/me/` to the same 50 clients; after each case
  the database must hold exactly one row per 2xx answer (no lost, no doubled rows).
  `DIDBAN_BENCH_FIELD_SECONDS` (25) sets the time per case, `DIDBAN_BENCH_WEB_WORKERS` (1) the
  server's worker processes. On PostgreSQL when DATABASE_URL says so.
"""

from __future__ import annotations

import asyncio
import io
import logging
import os
import random
import statistics
import time
import uuid
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
from django.db import transaction

from didban.lib.served import Server

SITES = 60_000
DESIGNS = 150
NAIVE_SAMPLE = 1_500
TEHRAN = ZoneInfo("Asia/Tehran")


def _build():
    from didban.accounts.actions import _rebuild_paths
    from didban.accounts.models import Membership, Organization, User
    from didban.core.roles import Role
    from didban.field.models import Design, FieldTask, Placement, Site, Window
    from didban.places.models import Place

    with transaction.atomic():
        national = Organization.objects.create(
            name="ستاد کشور", code="b-national", kind="national_hq"
        )
        _rebuild_paths(national)
        counties, places = [], []
        for p in range(31):
            province = Organization.objects.create(
                name=f"استان {p}", code=f"b-prov-{p}", kind="province_hq", parent=national
            )
            _rebuild_paths(province)
            county = Organization.objects.create(
                name=f"شهرستان {p}", code=f"b-county-{p}", kind="county_hq", parent=province
            )
            _rebuild_paths(county)
            counties.append(county)
            root = Place.objects.create(code=f"B{p:02d}", kind="county", name_fa=f"شهرستان {p}")
            for kind in ("city", "satellite_town", "village"):
                places.append(
                    Place.objects.create(
                        code=f"B{p:02d}{kind[:3]}",
                        kind=kind,
                        name_fa=f"{kind} {p}",
                        parent=root,
                        latitude=35 + p * 0.1,
                        longitude=50 + p * 0.1,
                    )
                )
        user = User.objects.create_user("bench.supervisor", password=None)
        Membership.objects.create(user=user, org=national, role=Role.SUPERVISOR)
        agent = User.objects.create_user("bench.agent", password=None)
        Membership.objects.create(user=agent, org=national, role=Role.FIELD_AGENT)
        designs = Design.objects.bulk_create(
            [
                Design(
                    org=counties[i % 31], title=f"طرح {i}", title_norm=f"طرح {i}", status="approved"
                )
                for i in range(DESIGNS)
            ]
        )
        areas = ["city", "satellite_town", "village"]
        sites = Site.objects.bulk_create(
            [
                Site(
                    org=counties[i % 31],
                    name=f"نقطه {i}",
                    name_norm=f"نقطه {i}",
                    kind="billboard",
                    place=places[(i % 31) * 3 + i % 3],
                    area=areas[i % 3],
                    latitude=35 + (i % 1000) * 0.001,
                    longitude=50 + (i % 997) * 0.001,
                )
                for i in range(SITES)
            ],
            batch_size=5000,
        )
        windows = [
            Window.objects.create(org=national, name=name, starts_on=start, ends_on=start + timedelta(days=29), status="planned")
            for name, start in (("دی", date(2023, 12, 22)), ("بهمن", date(2024, 1, 21)), ("اسفند", date(2024, 2, 20)))
        ]  # fmt: skip
        states = [
            "planned",
            "dispatched",
            "installed",
            "verified",
            "verified",
            "damaged",
            "removed",
            "replaced",
        ]
        for w, window in enumerate(windows):
            count = SITES if w == 1 else SITES // 3
            Placement.objects.bulk_create(
                [
                    Placement(
                        org=sites[i].org,
                        window=window,
                        site=sites[i],
                        design=designs[i % DESIGNS],
                        state=states[(i + w) % len(states)],
                    )
                    for i in range(count)
                ],
                batch_size=5000,
            )
        measured = windows[1]
        tasks = []
        for pid, org_id in Placement.objects.filter(window=measured).values_list("pk", "org_id"):
            for kind, day in (("install", 1), ("verify", 3), ("recheck", 10)):
                tasks.append(
                    FieldTask(
                        org_id=org_id,
                        placement_id=pid,
                        kind=kind,
                        due_on=measured.starts_on + timedelta(days=day),
                        done_at=None if pid % 4 == 0 else datetime(2024, 1, 22, tzinfo=TEHRAN),
                    )
                )
        FieldTask.objects.bulk_create(tasks, batch_size=10000)
    return user, agent, measured


def _naive(window, sample: int, today: date) -> float:
    from didban.field.models import FieldTask, Placement, Site

    started = time.perf_counter()
    counts: dict = {}
    for site in Site.objects.filter(placements__window=window).order_by("pk")[:sample]:
        for placement in Placement.objects.filter(window=window, site=site):
            row = counts.setdefault(site.area, {"planned": 0, "overdue": 0})
            row["planned"] += 1
            row[placement.state] = row.get(placement.state, 0) + 1
            if FieldTask.objects.filter(
                placement=placement, done_at__isnull=True, due_on__lt=today
            ).exists():
                row["overdue"] += 1
    return time.perf_counter() - started


def run(report) -> None:
    from django.test import Client
    from django.urls import reverse

    from didban.field import queries

    started = time.perf_counter()
    user, _agent, window = _build()
    print(
        f"   built {SITES:,} sites, {DESIGNS} designs, 3 windows in {time.perf_counter() - started:.1f} s"
    )
    today = date(2024, 2, 10)

    times = []
    for _ in range(3):
        started = time.perf_counter()
        cov = queries.coverage(user, window, today=today)
        times.append(time.perf_counter() - started)
    assert cov.total.planned == SITES
    ours = statistics.median(times)
    naive = _naive(window, NAIVE_SAMPLE, today) * (SITES / NAIVE_SAMPLE)
    report("coverage_60k", ours * 1000, "ms", baseline=naive * 1000,
           baseline_label=f"one query per site, timed on {NAIVE_SAMPLE:,} sites and scaled")  # fmt: skip

    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    url = reverse("field:window_coverage", args=[window.pk])
    client.get(url)
    page_times = []
    for _ in range(3):
        started = time.perf_counter()
        assert client.get(url).status_code == 200
        page_times.append(time.perf_counter() - started)
    report("coverage_page_60k", statistics.median(page_times) * 1000, "ms", baseline=naive * 1000,
           baseline_label="naive figures alone (scaled)")  # fmt: skip

    _served_checkins(report, window)


# Check-ins against the real server (`didban serve`), 50 concurrent clients.

CLIENTS = 50
CASE_SECONDS = float(os.environ.get("DIDBAN_BENCH_FIELD_SECONDS", "25"))
BASELINE_SECONDS = 10.0


def _phone_photo(target: int = 300 * 1024) -> bytes:
    """A photo like a phone's: 1600×1200, smooth scene plus sensor noise, with EXIF capture time,
    JPEG quality chosen to weigh about `target` bytes."""
    from PIL import Image

    rng = random.Random(7)
    small = Image.frombytes("RGB", (40, 30), bytes(rng.randrange(256) for _ in range(40 * 30 * 3)))
    scene = small.resize((1600, 1200), Image.Resampling.BICUBIC)
    noise = Image.effect_noise((1600, 1200), 18).convert("RGB")
    img = Image.blend(scene, noise, 0.12)
    exif = Image.Exif()
    exif.get_ifd(0x8769)[36867] = "2024:01:25 10:00:00"
    exif.get_ifd(0x8769)[36881] = "+03:30"
    sizes = {}
    for quality in range(96, 20, -2):
        out = io.BytesIO()
        img.save(out, "JPEG", quality=quality, exif=exif)
        sizes[quality] = out.getvalue()
        if len(sizes[quality]) < target:
            break
    return min(sizes.values(), key=lambda data: abs(len(data) - target))


def _agents(count: int):
    """Field agents of the national HQ, each with an API token (one device per client)."""
    from didban.accounts.models import Membership, Organization, User
    from didban.api.actions import do_issue_api_token
    from didban.core.roles import Role

    national = Organization.objects.get(code="b-national")
    keys = []
    for i in range(count):
        user = User.objects.create_user(f"bench.field.{i}", password=None)
        Membership.objects.create(user=user, org=national, role=Role.FIELD_AGENT)
        keys.append(do_issue_api_token(actor=user, name="bench phone")[1])
    return keys


async def _drive(url, keys, seconds, make_request):
    """`len(keys)` clients, each sending requests back to back until the time is up.
    Returns (latencies of 2xx answers, status counts, client ids answered 2xx, elapsed)."""
    latencies, statuses, accepted = [], {}, []
    limits = httpx.Limits(max_connections=len(keys), max_keepalive_connections=len(keys))
    async with httpx.AsyncClient(base_url=url, timeout=120, limits=limits) as http:
        started = time.perf_counter()
        deadline = started + seconds

        async def client(i, key):
            headers = {"Authorization": f"Bearer {key}"}
            while time.perf_counter() < deadline:
                request = make_request(i)
                if request is None:
                    return
                method, path, kwargs, client_uuid = request
                t0 = time.perf_counter()
                response = await http.request(method, path, headers=headers, **kwargs)
                elapsed = time.perf_counter() - t0
                statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
                if response.is_success:
                    latencies.append(elapsed)
                    if client_uuid:
                        accepted.append(client_uuid)

        await asyncio.gather(*(client(i, key) for i, key in enumerate(keys)))
        return latencies, statuses, accepted, time.perf_counter() - started


def _pct(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] if ordered else 0


def _rows_for(uuids) -> int:
    from didban.field.models import CheckIn

    uuids = list(uuids)
    return sum(
        CheckIn.objects.filter(client_uuid__in=uuids[i : i + 500]).count()
        for i in range(0, len(uuids), 500)
    )


def _served_checkins(report, window) -> None:
    from django.db import connection

    from didban.field.models import CheckIn, Placement

    vendor = connection.vendor
    logging.getLogger("httpx").setLevel(logging.WARNING)
    workers = int(os.environ.get("DIDBAN_BENCH_WEB_WORKERS", "1"))
    keys = _agents(CLIENTS)
    photo = _phone_photo()
    when = datetime(2024, 1, 25, 10, 0, tzinfo=TEHRAN).isoformat()
    api = "/api/v1/field/checkins/"

    def queues(state):
        ids = list(
            Placement.objects.filter(window=window, state=state)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        return [ids[i::CLIENTS] for i in range(CLIENTS)]  # each client its own placements

    def checkin_request(pools, to_state, with_photo):
        def make(i):
            if not pools[i]:
                return None
            key = str(uuid.uuid4())
            data = {"placement": str(pools[i].pop()), "to_state": to_state, "client_uuid": key,
                    "client_time": when, "latitude": "35.1", "longitude": "50.1", "accuracy_m": "8"}  # fmt: skip
            kwargs = {"data": data}
            if with_photo:
                kwargs["files"] = {"photo": ("photo.jpg", photo, "image/jpeg")}
            return "POST", api, kwargs, key

        return make

    load = os.getloadavg()
    print(f"   served check-ins: {vendor}, didban serve --workers {workers}, {CLIENTS} clients, "
          f"{CASE_SECONDS:.0f} s per case, photo {len(photo) // 1024} KB, "
          f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}", flush=True)  # fmt: skip
    server = Server(workers=workers)
    try:
        # Warm up every worker process (imports, first connections).
        asyncio.run(_drive(server.url, keys, 2, lambda i: ("GET", "/api/v1/me/", {}, None)))
        lat, statuses, _, elapsed = asyncio.run(
            _drive(server.url, keys, BASELINE_SECONDS, lambda i: ("GET", "/api/v1/me/", {}, None))
        )
        base_rate = len(lat) / elapsed
        base_p50, base_p99 = _pct(lat, 50) * 1000, _pct(lat, 99) * 1000
        print(f"   GET /api/v1/me/: {base_rate:.1f}/s, p50 {base_p50:.0f} ms, p99 {base_p99:.0f} ms, "
              f"answers {statuses}", flush=True)  # fmt: skip

        results = {}
        for label, state, to_state, with_photo in (
            ("no_photo", "planned", "dispatched", False),
            ("300kb_photo", "dispatched", "installed", True),
        ):
            before = CheckIn.objects.count()
            lat, statuses, accepted, elapsed = asyncio.run(
                _drive(server.url, keys, CASE_SECONDS, checkin_request(queues(state), to_state, with_photo))
            )  # fmt: skip
            rows = _rows_for(accepted)
            added = CheckIn.objects.count() - before
            rate = len(accepted) / elapsed
            results[label] = (rate, _pct(lat, 50) * 1000, _pct(lat, 99) * 1000)
            print(f"   {label}: {rate:.1f} submissions/s, p50 {results[label][1]:.0f} ms, "
                  f"p99 {results[label][2]:.0f} ms, answers {statuses}; database: {rows} rows for "
                  f"{len(accepted)} accepted ids, {added} new rows in all", flush=True)  # fmt: skip
            if rows != len(accepted) or added != len(accepted):
                raise AssertionError(f"{label}: {len(accepted)} accepted but {rows}/{added} rows")
            if any(code >= 500 for code in statuses):
                raise AssertionError(f"{label}: server errors {statuses}")
    finally:
        server.stop()

    load = os.getloadavg()
    print(f"   load average after: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}", flush=True)
    rate, p50, p99 = results["no_photo"]
    report(f"checkins_served_no_photo_{vendor}", rate, "submissions/s", baseline=base_rate,
           baseline_label=f"GET /api/v1/me/ on the same server, {CLIENTS} clients")  # fmt: skip
    report(f"checkins_served_no_photo_{vendor}_p50", p50, "ms", baseline=base_p50,
           baseline_label="p50 of GET /api/v1/me/")  # fmt: skip
    report(f"checkins_served_no_photo_{vendor}_p99", p99, "ms", baseline=base_p99,
           baseline_label="p99 of GET /api/v1/me/")  # fmt: skip
    prate, pp50, pp99 = results["300kb_photo"]
    report(f"checkins_served_300kb_photo_{vendor}", prate, "submissions/s", baseline=rate,
           baseline_label="the same without a photo")  # fmt: skip
    report(f"checkins_served_300kb_photo_{vendor}_p50", pp50, "ms", baseline=p50,
           baseline_label="p50 without a photo")  # fmt: skip
    report(f"checkins_served_300kb_photo_{vendor}_p99", pp99, "ms", baseline=p99,
           baseline_label="p99 without a photo")  # fmt: skip
