"""Exports: search results as CSV or XLSX (right-to-left sheet, Jalali dates in Persian
digits), and the daily or hourly digest as XLSX and PDF."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from didban.lib.jalali import format_jalali
from didban.lib.persian import to_persian_digits

MAX_ROWS = 10000
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _jalali(value) -> str:
    return format_jalali(value, "datetime") if value else ""


def _safe(value: str) -> str:
    """Cells starting like a formula are prefixed, so a spreadsheet never runs them."""
    text = str(value or "")
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def _columns():
    return [_("Published"), _("Outlet"), _("Title"), _("Author"), _("Address"), _("Summary")]


def _row(article) -> list[str]:
    return [
        _jalali(article.published_at),
        _safe(article.outlet.name),
        _safe(article.title),
        _safe(article.author),
        article.url,
        _safe((article.summary or article.text)[:500]),
    ]


def _sheet(wb: Workbook, title: str, header: list[str], rows: list[list]) -> None:
    ws = wb.active if wb.active.max_row == 1 and wb.active.title == "Sheet" else wb.create_sheet()
    ws.title = title[:31]
    ws.sheet_view.rightToLeft = True
    ws.append([str(h) for h in header])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append(["" if v is None else str(v) for v in row])
    for column in ws.columns:
        width = min(60, max(10, *(len(str(c.value or "")) for c in column[:50])))
        ws.column_dimensions[column[0].column_letter].width = width
        for c in column:
            c.alignment = Alignment(horizontal="right", vertical="top", wrap_text=width >= 60)


def _xlsx_response(wb: Workbook, name: str) -> HttpResponse:
    buffer = io.BytesIO()
    wb.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


def articles_response(articles, fmt: str) -> HttpResponse:
    if fmt == "csv":
        out = io.StringIO()
        out.write("\ufeff")  # Excel opens UTF-8 CSV as UTF-8 only with a BOM
        writer = csv.writer(out)
        writer.writerow(_columns())
        for article in articles:
            writer.writerow(_row(article))
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="articles.csv"'
        return response
    wb = Workbook()
    _sheet(wb, _("Articles"), _columns(), [_row(a) for a in articles])
    return _xlsx_response(wb, "articles")


def report_title(report: dict) -> str:
    """«Daily monitoring report · ۱۴۰۲/۱۲/۰۸» or «Hourly … · ۱۴۰۲/۱۲/۰۸ ۱۴:۰۰ تا ۱۵:۰۰»."""
    if report.get("period") == "hour":
        return _("Hourly monitoring digest · %(start)s to %(end)s") % {
            "start": format_jalali(report["start"], "datetime"),
            "end": format_jalali(report["end"], "time"),
        }
    return _("Daily monitoring report · %(day)s") % {"day": format_jalali(report["start"], "date")}


def report_file_name(report: dict) -> str:
    """monitoring-1402-12-08 or monitoring-1402-12-08-14h (Jalali, ASCII for the file system)."""
    name = "monitoring-" + format_jalali(report["start"], "date", persian_digits=False).replace(
        "/", "-"
    )
    if report.get("period") == "hour":
        name += "-" + format_jalali(report["start"], "time", persian_digits=False)[:2] + "h"
    return name


def report_response(report: dict) -> HttpResponse:
    """The digest (daily or hourly) as a workbook of right-to-left sheets."""
    wb = Workbook()
    n = to_persian_digits
    _sheet(wb, _("Summary"), [_("Period"), _("From"), _("To"), _("Articles"), _("Topic hits")],
           [[report_title(report), _jalali(report["start"]), _jalali(report["end"]),
             n(report["articles_total"]), n(report["hits_total"])]])  # fmt: skip
    _sheet(wb, _("By tone"), [_("Tone"), _("Confirmed")],
           [[t["label"], n(t["count"])] for t in report["tones"]])  # fmt: skip
    _sheet(
        wb,
        _("By outlet"),
        [_("Outlet"), _("Positive"), _("Neutral"), _("Negative"), _("Untagged"), _("Total")],
        [[_safe(o["name"]), *(n(o[k]) for k in ("positive", "neutral", "negative", "untagged", "total"))]
         for o in report["outlets"]],
    )  # fmt: skip
    _sheet(wb, _("Articles by outlet"), [_("Outlet"), _("Articles")],
           [[_safe(o["outlet__name"]), n(o["n"])] for o in report["articles_by_outlet"]])  # fmt: skip
    _sheet(wb, _("Topics"), [_("Topic"), _("Hits")],
           [[_safe(t["topic__name"]), n(t["n"])] for t in report["topics"]])  # fmt: skip
    _sheet(wb, _("Top stories"), [_("Story"), _("Outlets"), _("Articles"), _("First seen")],
           [[_safe(s.title), n(s.outlet_count), n(s.article_count), _jalali(s.first_seen_at)]
            for s in report["stories"]])  # fmt: skip
    _sheet(
        wb,
        _("Confirmed items"),
        [_("Published"), _("Topic"), _("Outlet"), _("Title"), _("Tone"), _("Importance"), _("Note"), _("Address")],
        [[_jalali(h.article.published_at), _safe(h.topic.name), _safe(h.article.outlet.name),
          _safe(h.article.title), str(h.get_tone_display() if h.tone else ""),
          str(h.get_importance_display()), _safe(h.note), h.article.url]
         for h in report["confirmed"]],
    )  # fmt: skip
    _sheet(
        wb,
        _("Pickups"),
        [_("Item"), _("Outlet"), _("Title"), _("Delay (minutes)"), _("Similarity"), _("Address")],
        [[n(p.item_id), _safe(p.article.outlet.name), _safe(p.article.title),
          n(p.delay_seconds // 60), n(round(p.similarity * 100)) + "٪", p.article.url]
         for p in report["pickups"]],
    )  # fmt: skip
    return _xlsx_response(wb, report_file_name(report))


def report_pdf_response(report: dict) -> HttpResponse:
    """The digest as an A4 PDF: WeasyPrint with the vendored Vazirmatn, as the command room's
    period reports (didban/command/reports.py) are made; right-to-left, Jalali, Persian digits."""
    from django.conf import settings
    from django.template.loader import render_to_string
    from weasyprint import HTML

    font_dir = Path(settings.BASE_DIR) / "static" / "vendor" / "vazirmatn" / "fonts" / "ttf"
    html = render_to_string(
        "monitoring/report_pdf.html",
        {"report": report, "title": report_title(report), "font_dir": font_dir.as_uri()},
    )
    pdf = HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{report_file_name(report)}.pdf"'
    return response
