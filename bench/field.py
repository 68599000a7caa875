"""Display-campaign figures.

- coverage: server time of the coverage figures (two grouped queries) for one window of 60,000
  placements across 31 provinces (60,000 sites, 150 designs, 3 windows, ~180,000 field tasks),
  against the naive way — one query per site for its placement and one for its late tasks —
  timed on 3,000 sites and scaled to 60,000 (running it in full would take minutes).
- coverage page: the whole page (table, progress bar, map points) through the test client.
- check-ins: submissions/second through the API (multipart, idempotency, flags, audit), without
  a photo and with a 300 KB photo, against a plain ORM insert of the same rows.
"""

from __future__ import annotations

import io
import statistics
import time
import uuid
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction

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


def _jpeg(size_bytes: int) -> bytes:
    import os

    from PIL import Image

    side = 480
    while True:
        img = Image.frombytes("RGB", (side, side), os.urandom(side * side * 3))
        out = io.BytesIO()
        img.save(out, "JPEG", quality=70)
        if out.tell() >= size_bytes:
            return out.getvalue()
        side += 80


def run(report) -> None:
    from django.test import Client
    from django.urls import reverse

    from didban.field import queries
    from didban.field.models import CheckIn, Placement

    started = time.perf_counter()
    user, agent, window = _build()
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

    # Check-ins through the API.
    agent_client = Client(HTTP_HOST="localhost")
    agent_client.force_login(agent)
    api = reverse("api:field_checkin_create")
    when = datetime(2024, 1, 25, 10, 0, tzinfo=TEHRAN)
    planned = list(
        Placement.objects.filter(window=window, state="planned").values_list("pk", flat=True)[:600]
    )
    n = 200
    started = time.perf_counter()
    for pid in planned[:n]:
        response = agent_client.post(api, {
            "placement": pid, "to_state": "dispatched", "client_uuid": str(uuid.uuid4()),
            "client_time": when.isoformat(), "latitude": "35.1", "longitude": "50.1",
        })  # fmt: skip
        assert response.status_code == 201, response.content
    no_photo = n / (time.perf_counter() - started)

    photo = _jpeg(300 * 1024)
    m = 60
    started = time.perf_counter()
    for pid in planned[n : n + m]:
        response = agent_client.post(api, {
            "placement": pid, "to_state": "installed", "client_uuid": str(uuid.uuid4()),
            "client_time": when.isoformat(), "latitude": "35.1", "longitude": "50.1",
            "photo": io.BytesIO(photo),
        })  # fmt: skip
        assert response.status_code == 201, response.content
    with_photo = m / (time.perf_counter() - started)

    placement = Placement.objects.filter(window=window).first()
    started = time.perf_counter()
    for _ in range(n):
        with transaction.atomic():
            CheckIn.objects.create(
                client_uuid=uuid.uuid4(), content_hash="x", placement=placement, org_id=placement.org_id,
                agent=agent, from_state="planned", to_state="dispatched", client_time=when,
            )  # fmt: skip
    plain = n / (time.perf_counter() - started)
    report("checkins_api_no_photo", no_photo, "submissions/s", baseline=plain,
           baseline_label="plain ORM insert, no checks")  # fmt: skip
    report("checkins_api_300kb_photo", with_photo, "submissions/s", baseline=no_photo,
           baseline_label="the same without a photo")  # fmt: skip
