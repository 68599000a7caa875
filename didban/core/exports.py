"""Exports built by the worker: XLSX (right-to-left sheet), CSV (UTF-8 with BOM) and GeoJSON.

An app offers a list for export by defining `<app>/exports.py` with `SOURCES = [ExportSource…]`.
A source reads its rows through the same scoped query as its list page, as the person who asked,
so an export holds exactly what that person may see with the filters they chose.

The file is written as the rows are read, in chunks of `CHUNK` rows by primary key (keyset
pagination: every chunk is a short query, nothing holds a cursor open across the run), so the
memory a job needs does not grow with the number of rows. Rows come out in id order.

Cells: text that starts like a formula is defused; numbers stay numbers; every moment becomes
two columns — what a person reads (Jalali with Persian digits in fa, Gregorian in en, Tehran
time) and ISO 8601 for machines.
"""

from __future__ import annotations

import csv
import json
import logging
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from didban.core.models import ExportJob

logger = logging.getLogger("didban.exports")

CHUNK = 2000
EXPORT_CONTENT_TYPES = {
    ExportJob.Format.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ExportJob.Format.CSV: "text/csv; charset=utf-8",
    ExportJob.Format.GEOJSON: "application/geo+json",
}
# Characters that make a spreadsheet read a cell as a formula (and tab/CR, which some tools
# strip before looking).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    """One column of an export. `kind`: text, number, choice (label for people, value in
    GeoJSON), moment (a datetime: display + ISO columns), day (a date: display + ISO)."""

    key: str
    label: str | Promise
    kind: str = "text"
    choices: dict | None = None
    geo: bool = True  # whether GeoJSON properties carry it


@dataclass
class ExportSource:
    """A list that can be exported; see the module docstring."""

    name: str
    label: str | Promise
    permission: str
    # params (a dict of strings, e.g. the list page's query string) → clean filters (JSON-able);
    # raises ValidationError / Http404 for filters the user may not use.
    clean_filters: Callable[[Any, dict], dict]
    # (user, clean filters) → the scoped queryset of the list page.
    queryset: Callable[[Any, dict], QuerySet]
    # user → columns (some columns are only for some roles).
    columns: Callable[[Any], list[Column]]
    # user → a function row → {column key: value}; made once per run, inside the requester's
    # language, so per-run work (labels, the user's rights) is not repeated per row.
    values: Callable[[Any], Callable[[Any], dict]]
    # row → (longitude, latitude) or None.
    point: Callable[[Any], tuple[float, float] | None]
    # The fields read for each row (`values()`; the row is then a dict, much cheaper than model
    # instances at 100,000 rows); empty: model instances.
    fields: tuple[str, ...] = ()
    # Filters the export menu offers itself: () → [(name, label, [(value, text)…])].
    button_filters: Callable[[], list] | None = None
    formats: tuple[str, ...] = field(
        default=(ExportJob.Format.XLSX, ExportJob.Format.CSV, ExportJob.Format.GEOJSON)
    )


_SOURCES: dict[str, ExportSource] | None = None


def sources() -> dict[str, ExportSource]:
    """Every app's export sources, found once (`<app>/exports.py`, INSTALLED_APPS order)."""
    global _SOURCES
    if _SOURCES is None:
        from didban.core.hooks import app_modules

        found: dict[str, ExportSource] = {}
        for module in app_modules("exports"):
            for source in getattr(module, "SOURCES", []):
                found[source.name] = source
        _SOURCES = found
    return _SOURCES


def get_source(name: str) -> ExportSource | None:
    return sources().get(name)


def export_dir() -> Path:
    return Path(settings.EXPORT_DIR)


def file_path(job: ExportJob) -> Path:
    return export_dir() / job.file_name


# Cells


def download_response(job: ExportJob):
    """The finished file of a job as an attachment (page and API); 404 while it is being
    built or once its file is gone. The caller has checked the job is the user's."""
    from django.http import FileResponse, Http404

    if job.state != ExportJob.State.DONE or not job.file_name:
        raise Http404
    try:
        handle = open(file_path(job), "rb")  # noqa: SIM115 - FileResponse closes it
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=job.download_name)
    response["Content-Type"] = EXPORT_CONTENT_TYPES[job.format]
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def safe_text(value: Any) -> str:
    """Text as a cell: a leading =, +, -, @ is quoted so a spreadsheet never runs it."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


class Moments:
    """Moments as people read them, as `format_when` writes them (Jalali with Persian digits in
    fa, Gregorian in en, Tehran time), with the day part computed once per day: an export has
    many rows and few distinct days."""

    PERSIAN = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")

    def __init__(self):
        from didban.core.templatetags.didban import _is_fa

        self.zone = timezone.get_default_timezone()
        self.fa = _is_fa()
        self.days: dict[date, str] = {}

    def day(self, value: date) -> str:
        text = self.days.get(value)
        if text is None:
            from didban.lib.jalali import format_gregorian, format_jalali

            if self.fa:
                text = format_jalali(value, "date", persian_digits=True, tz=self.zone)
            else:
                text = format_gregorian(value, "date", tz=self.zone)
            self.days[value] = text
        return text

    def display(self, value) -> str:
        if value is None:
            return ""
        if not isinstance(value, datetime):
            return self.day(value)
        local = value.astimezone(self.zone)
        clock = f"{local.hour:02d}:{local.minute:02d}"
        if self.fa:
            clock = clock.translate(self.PERSIAN)
        return f"{self.day(local.date())} {clock}"

    def iso(self, value) -> str:
        if value is None:
            return ""
        if isinstance(value, datetime):
            return value.astimezone(self.zone).isoformat(timespec="seconds")
        return value.isoformat()


def _number(value):
    if value is None:
        return None
    if isinstance(value, Decimal):
        return float(value)
    return value


def headers(columns: list[Column]) -> list[str]:
    out = []
    for column in columns:
        label = str(column.label)
        out.append(label)
        if column.kind in ("moment", "day"):
            out.append(_("%(column)s (ISO 8601)") % {"column": label})
    return out


def row_maker(columns: list[Column], *, spreadsheet: bool) -> Callable[[dict], list]:
    """values → one row for XLSX (`spreadsheet`: numbers stay numeric cells) or CSV. Labels and
    words are translated once here, not once per row."""
    moments = Moments()
    yes, no = _("Yes"), _("No")
    plan = [
        (
            column.key,
            column.kind,
            {k: str(v) for k, v in column.choices.items()} if column.choices else None,
        )
        for column in columns
    ]

    def make(values: dict) -> list:
        row: list = []
        for key, kind, choices in plan:
            value = values.get(key)
            if kind == "text":
                row.append(safe_text(value))
            elif kind in ("moment", "day"):
                row.append(moments.display(value))
                row.append(moments.iso(value))
            elif kind == "number":
                number = _number(value)
                row.append(number if spreadsheet or number is not None else "")
            elif kind == "choice":
                row.append(choices.get(value, value or "") if choices else value)
            elif kind == "bool":
                row.append(yes if value else no)
            else:
                row.append(safe_text(value))
        return row

    return make


def properties_maker(columns: list[Column]) -> Callable[[dict], dict]:
    """values → GeoJSON properties: machine values (ISO times, choice values) and choice labels."""
    moments = Moments()
    plan = [
        (
            column.key,
            column.kind,
            {k: str(v) for k, v in column.choices.items()} if column.choices else None,
        )
        for column in columns
        if column.geo
    ]

    def make(values: dict) -> dict:
        props: dict = {}
        for key, kind, choices in plan:
            value = values.get(key)
            if kind in ("moment", "day"):
                props[key] = moments.iso(value) or None
            elif kind == "number":
                props[key] = _number(value)
            elif kind == "choice":
                props[key] = value or None
                if choices:
                    props[key + "_label"] = choices.get(value) or None
            elif kind == "bool":
                props[key] = bool(value)
            else:
                props[key] = "" if value is None else str(value)
        return props

    return make


# Reading in chunks


def chunks(queryset: QuerySet, size: int = CHUNK, fields: tuple[str, ...] = ()) -> Iterator[list]:
    """The rows in id order, `size` at a time, each chunk one query after the last id seen.
    With `fields`, rows are dicts of those fields (and "pk"): no model instances to build."""
    queryset = queryset.order_by("pk")
    if fields:
        queryset = queryset.values("pk", *fields)
    last = None
    while True:
        page = queryset if last is None else queryset.filter(pk__gt=last)
        batch = list(page[:size])
        if not batch:
            return
        yield batch
        last = batch[-1]["pk"] if fields else batch[-1].pk


# Writers: each takes the columns and an iterator of (values, point) chunks and writes the file.


class _Progress:
    def __init__(self, job: ExportJob):
        self.job = job

    def __call__(self, done: int, skipped: int) -> None:
        ExportJob.objects.filter(pk=self.job.pk).update(rows_done=done, rows_skipped=skipped)


def write_csv(path: Path, columns, batches, progress) -> tuple[int, int]:
    done = 0
    # utf-8-sig: the BOM that makes spreadsheet programs read the file as UTF-8.
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(headers(columns))
        make = row_maker(columns, spreadsheet=False)
        for batch in batches:
            writer.writerows(make(values) for values, _p in batch)
            done += len(batch)
            progress(done, 0)
    return done, 0


def write_xlsx(path: Path, columns, batches, progress, *, title: str) -> tuple[int, int]:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    # write_only: rows go to a temporary file as they are appended; memory stays flat.
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_sheet_title(title))
    sheet.sheet_view.rightToLeft = True
    names = headers(columns)
    widths = _widths(columns)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    bold, right = Font(bold=True), Alignment(horizontal="right")
    header = []
    for name in names:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font, cell.alignment = bold, right
        header.append(cell)
    sheet.append(header)
    done = 0
    make = row_maker(columns, spreadsheet=True)
    for batch in batches:
        for values, _p in batch:
            sheet.append(make(values))
        done += len(batch)
        progress(done, 0)
    workbook.save(path)
    return done, 0


def write_geojson(path: Path, columns, batches, progress) -> tuple[int, int]:
    done = skipped = 0
    make = properties_maker(columns)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write('{"type": "FeatureCollection", "features": [\n')
        first = True
        for batch in batches:
            for values, point in batch:
                if point is None:
                    skipped += 1
                    continue
                feature = {
                    "type": "Feature",
                    "id": values.get("id"),
                    "geometry": {"type": "Point", "coordinates": [point[0], point[1]]},
                    "properties": make(values),
                }
                if not first:
                    handle.write(",\n")
                handle.write(json.dumps(feature, ensure_ascii=False, separators=(",", ":")))
                first = False
                done += 1
            progress(done, skipped)
        handle.write("\n]}\n")
    return done, skipped


def _sheet_title(title: str) -> str:
    for bad in "[]:*?/\\":
        title = title.replace(bad, " ")
    return title[:31] or "Sheet"


def _widths(columns: list[Column]) -> list[int]:
    widths = []
    for column in columns:
        base = {"number": 12, "choice": 18, "bool": 8}.get(column.kind, 24)
        if column.kind in ("moment", "day"):
            widths += [18, 26]
        else:
            widths.append(base)
    return widths


# Running a job


def run(job_id: int) -> str:
    """Build the file of a queued job; safe to run twice (only a queued job is taken)."""
    claimed = ExportJob.objects.filter(pk=job_id, state=ExportJob.State.QUEUED).update(
        state=ExportJob.State.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return "skipped"
    job = ExportJob.objects.select_related("requested_by").get(pk=job_id)
    with translation.override(job.language):
        try:
            _build(job)
        except OSError as exc:
            logger.warning("export %s: cannot write the file: %s", job.pk, exc)
            _fail(
                job,
                _(
                    "The export file could not be written on the server (disk full or not writable). Tell an administrator, then try again."
                ),
            )
        except Exception:
            logger.exception("export %s failed", job.pk)
            _fail(
                job,
                _(
                    "The export failed because of an error on the server. Try again; if it fails again, tell an administrator."
                ),
            )
    return ExportJob.objects.values_list("state", flat=True).get(pk=job_id)


def _fail(job: ExportJob, reason: str) -> None:
    if job.file_name:
        for candidate in (file_path(job), file_path(job).with_name(job.file_name + ".part")):
            candidate.unlink(missing_ok=True)
    ExportJob.objects.filter(pk=job.pk).update(
        state=ExportJob.State.FAILED, error=reason, finished_at=timezone.now(), file_name=""
    )


def _build(job: ExportJob) -> None:
    source = get_source(job.source)
    user = job.requested_by
    if source is None or not user.is_active:
        _fail(job, _("This export is no longer available."))
        return
    queryset = source.queryset(user, job.filters)
    columns = source.columns(user)
    total = queryset.count()
    ExportJob.objects.filter(pk=job.pk).update(rows_total=total)
    directory = export_dir()
    directory.mkdir(parents=True, exist_ok=True)
    job.file_name = f"{job.pk}-{os.urandom(8).hex()}.{job.format}"
    ExportJob.objects.filter(pk=job.pk).update(file_name=job.file_name)
    final = file_path(job)
    partial = final.with_name(final.name + ".part")
    values, point = source.values(user), source.point
    batches = (
        [(values(row), point(row)) for row in batch]
        for batch in chunks(queryset, fields=source.fields)
    )
    progress = _Progress(job)
    if job.format == ExportJob.Format.CSV:
        done, skipped = write_csv(partial, columns, batches, progress)
    elif job.format == ExportJob.Format.XLSX:
        done, skipped = write_xlsx(partial, columns, batches, progress, title=str(source.label))
    else:
        done, skipped = write_geojson(partial, columns, batches, progress)
    os.replace(partial, final)
    ExportJob.objects.filter(pk=job.pk).update(
        state=ExportJob.State.DONE,
        rows_done=done,
        rows_skipped=skipped,
        file_size=final.stat().st_size,
        finished_at=timezone.now(),
    )


def purge_expired(now: datetime | None = None) -> int:
    """Delete expired exports with their files; fail jobs a dead worker left running."""
    now = now or timezone.now()
    stale = now - timedelta(hours=6)
    for job in ExportJob.objects.filter(state=ExportJob.State.RUNNING, started_at__lt=stale):
        with translation.override(job.language):
            _fail(job, _("The export was interrupted. Request it again."))
    expired = list(ExportJob.objects.filter(expires_at__lte=now))
    for job in expired:
        if job.file_name:
            file_path(job).unlink(missing_ok=True)
    ExportJob.objects.filter(pk__in=[j.pk for j in expired]).delete()
    return len(expired)


def expiry(now: datetime | None = None) -> datetime:
    return (now or timezone.now()) + timedelta(days=settings.EXPORT_KEEP_DAYS)
