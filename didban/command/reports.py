"""The supervisor's report of a period: collected from the rollups, rendered as PDF and XLSX.

PDF: WeasyPrint (HarfBuzz shapes Persian correctly) with the vendored Vazirmatn, charts as
inline SVG drawn here, page numbers in Persian digits (`counter(page, persian)`).
XLSX: openpyxl, right-to-left sheets, Jalali dates with Persian digits as text.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from didban.command import metrics, queries
from didban.command.feed import FEED_VERBS, describe
from didban.command.models import HourlyFigure, Target
from didban.core.models import AuditEntry
from didban.lib.jalali import format_jalali
from didban.lib.persian import to_persian_digits

FONT_DIR = Path(settings.BASE_DIR) / "static" / "vendor" / "vazirmatn" / "fonts" / "ttf"

SECTIONS = [
    ("production.", gettext_lazy("Production (items published)")),
    ("delivery.sent.", gettext_lazy("Deliveries by channel")),
    ("delivery.failed.", gettext_lazy("Failed deliveries")),
    ("monitoring.", gettext_lazy("Media monitoring")),
    ("field.", gettext_lazy("Display campaign (field)")),
    ("violations.", gettext_lazy("Campaign violations")),
]


@dataclass
class ReportData:
    org: object
    period: str
    start: datetime
    end: datetime
    sections: list[dict] = field(default_factory=list)
    levels: list[tuple[str, int]] = field(default_factory=list)
    children: list[dict] = field(default_factory=list)
    targets: list = field(default_factory=list)
    series: list[tuple[datetime, int]] = field(default_factory=list)
    events: list[dict] = field(default_factory=list)
    created_at: datetime | None = None


def fa(value) -> str:
    return to_persian_digits(value, group=True)


def jal(value: datetime, fmt: str = "datetime") -> str:
    return format_jalali(value, fmt, persian_digits=True, tz=settings.TIME_ZONE)


def collect(org, period: str, start: datetime, end: datetime) -> ReportData:
    """Everything the report shows, from the stored figures (never the raw tables)."""
    from django.utils import timezone

    from didban.command.targets import progress

    with translation.override("fa"):
        labels = {k: str(v) for k, v in metrics.labels().items()}
        figures = queries.totals(org, start, end)
        data = ReportData(org=org, period=period, start=start, end=end)
        data.created_at = timezone.now()
        for prefix, title in SECTIONS:
            rows = [
                (labels.get(k, k), v)
                for k, v in sorted(figures.items())
                if k.startswith(prefix) and v
            ]
            if rows or prefix in ("production.", "delivery.sent."):
                data.sections.append(
                    {"title": str(title), "rows": rows, "total": sum(v for _l, v in rows)}
                )
        data.levels = [
            (labels.get(k, k), v) for k, v in sorted(queries.gauges(org, before=end).items())
        ]
        for kid, sums in queries.by_child(org, start, end):
            data.children.append(
                {
                    "name": kid.name,
                    "production": sum(v for k, v in sums.items() if k.startswith("production.")),
                    "delivered": sum(v for k, v in sums.items() if k.startswith("delivery.sent.")),
                    "on_display": sums.get("now.field.on_display", 0),
                    "violations": sums.get("now.violations.open", 0),
                }
            )
        today = timezone.localtime(end, queries.local_zone()).date()
        for target in Target.objects.filter(org=org, starts_on__lte=today, ends_on__gte=today):
            data.targets.append(progress(target, None, now=end))
        resolution = HourlyFigure.Resolution.HOUR
        step = timedelta(hours=1) if period != "weekly" else timedelta(days=1)
        buckets = queries.series(org, start, end, resolution)
        cursor = start
        while cursor < end:
            n = 0
            for bucket, values in buckets.items():
                if cursor <= bucket < cursor + step:
                    n += sum(v for k, v in values.items() if k.startswith("production."))
            data.series.append((cursor, n))
            cursor += step
        entries = (
            AuditEntry.objects.filter(
                org__path__startswith=org.path,
                verb__in=list(FEED_VERBS),
                created_at__gte=start,
                created_at__lt=end,
            )
            .select_related("org")
            .order_by("-seq")[:30]
        )
        for entry in entries:
            meta = describe(entry)
            data.events.append(
                {
                    "time": jal(entry.created_at, "time" if period == "hourly" else "datetime"),
                    "label": str(meta.label),
                    "object": entry.object_repr,
                    "org": entry.org.name if entry.org else "",
                }
            )
    return data


def title(data: ReportData) -> str:
    with translation.override("fa"):
        kind = {
            "hourly": _("Hourly report"),
            "daily": _("Daily report"),
            "weekly": _("Weekly report"),
        }
        return f"{kind[data.period]} — {data.org.name}"


def file_name(data: ReportData, fmt: str) -> str:
    return f"didban-{data.org.code}-{data.period}-{data.start:%Y%m%d-%H%M}.{fmt}"


def bar_chart_svg(series: list[tuple[datetime, int]], period: str) -> str:
    """A small bar chart as inline SVG; bars run right to left like the text."""
    width, height, pad = 680, 180, 24
    n = max(len(series), 1)
    top = max([v for _t, v in series] + [1])
    slot = (width - 2 * pad) / n
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height + 30}" '
        f'viewBox="0 0 {width} {height + 30}" font-family="Vazirmatn" font-size="10">',
        f'<line x1="{pad}" y1="{height}" x2="{width - pad}" y2="{height}" stroke="#888"/>',
    ]
    every = max(n // 12, 1)
    for i, (when, value) in enumerate(series):
        x = width - pad - (i + 1) * slot  # the first bucket at the right
        h = (height - pad) * value / top
        parts.append(
            f'<rect x="{x + slot * 0.15:.1f}" y="{height - h:.1f}" width="{slot * 0.7:.1f}" '
            f'height="{h:.1f}" fill="#0d6efd"/>'
        )
        if value:
            parts.append(
                f'<text x="{x + slot / 2:.1f}" y="{height - h - 3:.1f}" text-anchor="middle">'
                f"{escape(fa(value))}</text>"
            )
        if i % every == 0:
            label = jal(when, "time" if period != "weekly" else "date")
            parts.append(
                f'<text x="{x + slot / 2:.1f}" y="{height + 16}" text-anchor="middle">'
                f"{escape(label)}</text>"
            )
    parts.append("</svg>")
    return "".join(parts)


def render_html(data: ReportData) -> str:
    with translation.override("fa"):
        return render_to_string(
            "command/report_pdf.html",
            {
                "data": data,
                "title": title(data),
                "start": jal(data.start),
                "end": jal(data.end),
                "created": jal(data.created_at) if data.created_at else "",
                "chart": bar_chart_svg(data.series, data.period),
                "font_dir": FONT_DIR.as_uri(),
            },
        )


def render_pdf(data: ReportData) -> bytes:
    from weasyprint import HTML

    return HTML(string=render_html(data), base_url=str(settings.BASE_DIR)).write_pdf()


def render_xlsx(data: ReportData) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    bold = Font(bold=True, name="Vazirmatn")
    right = Alignment(horizontal="right")
    with translation.override("fa"):
        book = Workbook()
        sheet = book.active
        sheet.title = _("Summary")
        sheet.sheet_view.rightToLeft = True
        sheet.append([title(data)])
        sheet["A1"].font = Font(bold=True, size=14, name="Vazirmatn")
        sheet.append([_("From"), jal(data.start)])
        sheet.append([_("To"), jal(data.end)])
        sheet.append([])
        for section in data.sections:
            sheet.append([section["title"], fa(section["total"])])
            sheet.cell(sheet.max_row, 1).font = bold
            for label, value in section["rows"]:
                sheet.append([label, value])
            sheet.append([])
        if data.levels:
            sheet.append([_("Levels at the end of the period")])
            sheet.cell(sheet.max_row, 1).font = bold
            for label, value in data.levels:
                sheet.append([label, value])
            sheet.append([])
        if data.targets:
            sheet.append(
                [_("Target"), _("Goal"), _("Done"), _("Remaining"), _("Pace needed per day")]
            )
            for cell in sheet[sheet.max_row]:
                cell.font = bold
            for p in data.targets:
                pace = round(p.pace_needed, 1) if p.pace_needed is not None else "—"
                sheet.append([p.label, p.target.value, p.current, p.remaining, pace])
        for row in sheet.iter_rows():
            for cell in row:
                cell.alignment = right
        sheet.column_dimensions["A"].width = 40
        sheet.column_dimensions["B"].width = 24

        if data.children:
            kids = book.create_sheet(_("Organisations"))
            kids.sheet_view.rightToLeft = True
            kids.append([_("Organisation"), _("Published"), _("Delivered"), _("On display"),
                         _("Open violations")])  # fmt: skip
            for child in data.children:
                kids.append([child["name"], child["production"], child["delivered"],
                             child["on_display"], child["violations"]])  # fmt: skip
            kids.column_dimensions["A"].width = 40

        hours = book.create_sheet(_("By hour") if data.period != "weekly" else _("By day"))
        hours.sheet_view.rightToLeft = True
        hours.append([_("Time"), _("Published")])
        for when, value in data.series:
            hours.append([jal(when, "datetime" if data.period != "weekly" else "date"), value])
        hours.column_dimensions["A"].width = 24

        events = book.create_sheet(_("Notable events"))
        events.sheet_view.rightToLeft = True
        events.append([_("Time"), _("Event"), _("Subject"), _("Organisation")])
        for event in data.events:
            events.append([event["time"], event["label"], event["object"], event["org"]])
        events.column_dimensions["C"].width = 50
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()
