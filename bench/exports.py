"""Export figures: 100,000 display sites written by the export job (didban/core/exports.py) in
each format, rows per second, against the naive way of writing the same file — every row as a
model instance (select_related), each date through the template filter, and for XLSX an openpyxl
workbook in normal mode held in memory until saved; for GeoJSON one `json.dump` of the whole
collection. Peak Python memory (tracemalloc) of the XLSX job against the naive workbook, on
20,000 rows (tracemalloc slows everything down, so not on the full run). The naive rates are
timed on the first 20,000 sites (the naive XLSX alone would take minutes at 100,000).

`DIDBAN_BENCH_EXPORT_ROWS` (100000) sets the number of sites.
"""

from __future__ import annotations

import csv
import json
import os
import tempfile
import time
import tracemalloc
from pathlib import Path

from django.db import transaction
from django.test import override_settings
from django.utils import translation

ROWS = int(os.environ.get("DIDBAN_BENCH_EXPORT_ROWS", "100000"))
NAIVE_ROWS = min(ROWS, 20_000)
MEMORY_ROWS = min(ROWS, 20_000)


def _build(n: int):
    from didban.accounts.actions import _rebuild_paths
    from didban.accounts.models import Membership, Organization, User
    from didban.core.roles import Role
    from didban.field.models import Site
    from didban.places.models import Place

    with transaction.atomic():
        org = Organization.objects.create(name="ستاد بنچ خروجی", code="bx-county", kind="county_hq")
        _rebuild_paths(org)
        user = User.objects.create(username="bench.exports", language="fa")
        Membership.objects.create(user=user, org=org, role=Role.EDITOR)
        place = Place.objects.create(code="BX1", kind=Place.Kind.CITY, name_fa="شهر بنچ")
        Site.objects.bulk_create(
            [
                Site(
                    org=org,
                    code=f"BX{i}",
                    name=f"بیلبورد شماره {i}",
                    name_norm=f"بیلبورد شماره {i}",
                    # The first MEMORY_ROWS are banners: the memory figure exports just those.
                    kind=Site.Kind.BANNER if i < MEMORY_ROWS else Site.Kind.BILLBOARD,
                    place=place,
                    area=Site.Area.CITY,
                    latitude=None if i % 10 == 0 else "35.830000",
                    longitude=None if i % 10 == 0 else "50.990000",
                    address=f"خیابان {i % 300}، پلاک {i % 97}",
                )
                for i in range(n)
            ],
            batch_size=5000,
        )
    return user, org


def _ours(user, fmt: str, directory: Path, params: dict | None = None) -> tuple[float, int]:
    from didban.core import exports
    from didban.core.actions import do_request_export

    with override_settings(EXPORT_DIR=directory), translation.override("fa"):
        job = do_request_export(actor=user, source="field.sites", format=fmt, params=params or {})
        started = time.perf_counter()
        # The worker's task body, run here so only the building of the file is timed.
        state = exports.run(job.pk)
        elapsed = time.perf_counter() - started
    job.refresh_from_db()
    assert state == "done", job.error
    return elapsed, job.rows_done


def _naive_rows(user, limit: int | None = None, kind: str = ""):
    from didban.core.templatetags.didban import format_when
    from didban.field.queries import list_sites

    sites = list_sites(user, kind=kind).order_by("pk")
    for site in sites[:limit] if limit else sites:
        yield site, [
            site.pk, site.code, site.name, site.get_kind_display(), site.get_area_display(),
            site.place.name_fa, site.latitude, site.longitude, site.address, site.size,
            site.owner_display, site.is_active, site.org.name, format_when(site.created_at),
            site.created_at.isoformat(),
        ]  # fmt: skip


def _naive(
    user, fmt: str, directory: Path, limit: int | None = None, kind: str = ""
) -> tuple[float, int]:
    from openpyxl import Workbook

    started = time.perf_counter()
    count = 0
    with translation.override("fa"):
        path = directory / f"naive.{fmt}"
        if fmt == "xlsx":
            workbook = Workbook()
            sheet = workbook.active
            sheet.sheet_view.rightToLeft = True
            for _site, row in _naive_rows(user, limit, kind):
                sheet.append([float(v) if hasattr(v, "as_tuple") else v for v in row])
                count += 1
            workbook.save(path)
        elif fmt == "csv":
            with open(path, "w", encoding="utf-8-sig", newline="") as handle:
                writer = csv.writer(handle)
                for _site, row in _naive_rows(user, limit, kind):
                    writer.writerow(row)
                    count += 1
        else:
            features = []
            for site, row in _naive_rows(user, limit, kind):
                if site.latitude is None:
                    continue
                features.append(
                    {
                        "type": "Feature",
                        "geometry": {
                            "type": "Point",
                            "coordinates": [float(site.longitude), float(site.latitude)],
                        },
                        "properties": {
                            "id": site.pk,
                            "name": site.name,
                            "row": [str(v) for v in row],
                        },
                    }
                )
                count += 1
            with open(path, "w", encoding="utf-8") as handle:
                json.dump(
                    {"type": "FeatureCollection", "features": features}, handle, ensure_ascii=False
                )
    return time.perf_counter() - started, count


def _peak_mb(function) -> float:
    tracemalloc.start()
    try:
        function()
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak / 1e6


def run(report) -> None:
    user, _org = _build(ROWS)
    directory = Path(tempfile.mkdtemp(prefix="didban-bench-exports-"))
    for fmt in ("csv", "geojson", "xlsx"):
        ours, ours_rows = _ours(user, fmt, directory)
        # The naive way is slow: timed on the first NAIVE_ROWS sites (a rate does not need more).
        naive, naive_rows = _naive(user, fmt, directory, limit=NAIVE_ROWS)
        report(
            f"{fmt} rows/s ({ROWS:,} sites)", ours_rows / ours, "rows/s",
            baseline=naive_rows / naive,
            baseline_label=f"model instances, date filter per row, timed on {NAIVE_ROWS:,}" + (
                ", normal-mode workbook" if fmt == "xlsx" else
                ", one json.dump of the whole list" if fmt == "geojson" else ""
            ),
        )  # fmt: skip
        print(
            f"   {fmt}: ours {ours:.1f} s for {ours_rows:,} rows; naive {naive:.1f} s for {naive_rows:,}",
            flush=True,
        )

    # Memory: the same job and the same naive workbook over the 20,000 banners.
    ours_peak = _peak_mb(lambda: _ours(user, "xlsx", directory, {"kind": "banner"}))
    naive_peak = _peak_mb(lambda: _naive(user, "xlsx", directory, kind="banner"))
    report(
        f"xlsx peak Python memory ({MEMORY_ROWS:,} sites)", ours_peak, "MB",
        baseline=naive_peak, baseline_label="normal-mode workbook of model instances",
    )  # fmt: skip
