"""Exports: search results as CSV or XLSX (right-to-left sheet, Jalali dates in Persian
digits), and the daily report as XLSX."""

from __future__ import annotations

import csv
import io

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


def report_response(report: dict) -> HttpResponse:
    wb = Workbook()
    n = to_persian_digits
    _sheet(wb, _("By tone"), [_("Tone"), _("Confirmed")],
           [[t["label"], n(t["count"])] for t in report["tones"]])  # fmt: skip
    _sheet(
        wb,
        _("By outlet"),
        [_("Outlet"), _("Positive"), _("Neutral"), _("Negative"), _("Untagged"), _("Total")],
        [[_safe(o["name"]), *(n(o[k]) for k in ("positive", "neutral", "negative", "untagged", "total"))]
         for o in report["outlets"]],
    )  # fmt: skip
    _sheet(wb, _("Topics"), [_("Topic"), _("Hits")],
           [[_safe(t["topic__name"]), n(t["n"])] for t in report["topics"]])  # fmt: skip
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
    day = report["day"].isoformat()
    return _xlsx_response(wb, f"monitoring-{day}")
