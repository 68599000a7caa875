"""Changes to places: the CSV import (bundled data and operators' own files)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from didban.core import audit
from didban.lib.persian import fix_display, to_ascii_digits
from didban.places.models import Place

COLUMNS = ["code", "parent_code", "kind", "name_fa", "name_en", "latitude", "longitude"]
BUNDLED = [
    Path(__file__).parent / "data" / "iran.csv",
    Path(__file__).parent / "data" / "alborz.csv",
]


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _coordinate(value: str, low: float, high: float, row: int, name: str) -> Decimal | None:
    value = to_ascii_digits(value.strip()).replace("٫", ".")
    if not value:
        return None
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise ValueError(
            _("row %(row)d: %(name)s %(value)r is not a number")
            % {"row": row, "name": name, "value": value}
        ) from None
    if not (low <= number <= high):
        raise ValueError(
            _("row %(row)d: %(name)s %(value)s is out of range")
            % {"row": row, "name": name, "value": value}
        )
    return number.quantize(Decimal("0.000001"))


def parse_rows(text: str) -> tuple[list[dict], list[str]]:
    """Read and check every row; return the clean rows and the errors, by row number."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [
        c for c in ("code", "parent_code", "kind", "name_fa") if c not in (reader.fieldnames or [])
    ]
    if missing:
        return [], [
            _("the header must have the columns: %(columns)s") % {"columns": ", ".join(COLUMNS)}
        ]
    rows, errors, seen = [], [], set()
    kinds = set(Place.Kind.values)
    for number, raw in enumerate(reader, start=2):
        try:
            code = (raw.get("code") or "").strip()
            name = fix_display(raw.get("name_fa") or "")
            kind = (raw.get("kind") or "").strip()
            if not code:
                raise ValueError(_("row %(row)d: the code is empty") % {"row": number})
            if code in seen:
                raise ValueError(
                    _("row %(row)d: the code %(code)s appears twice")
                    % {"row": number, "code": code}
                )
            if kind not in kinds:
                raise ValueError(
                    _("row %(row)d: unknown kind %(kind)r") % {"row": number, "kind": kind}
                )
            if not name:
                raise ValueError(_("row %(row)d: the Persian name is empty") % {"row": number})
            seen.add(code)
            rows.append(
                {
                    "row": number,
                    "code": code,
                    "parent_code": (raw.get("parent_code") or "").strip(),
                    "kind": kind,
                    "name_fa": name[:150],
                    "name_en": (raw.get("name_en") or "").strip()[:150],
                    "latitude": _coordinate(
                        raw.get("latitude") or "", 24, 41, number, _("latitude")
                    ),
                    "longitude": _coordinate(
                        raw.get("longitude") or "", 43, 64, number, _("longitude")
                    ),
                }
            )
        except ValueError as exc:
            errors.append(str(exc))
    return rows, errors


def do_import_places(*, actor, text: str, source: str, partial: bool = False) -> ImportReport:
    """Create or update places by code. With errors nothing is written, unless `partial`."""
    if actor is not None and not actor.is_superuser:
        # Places are shared reference data of the whole installation.
        raise PermissionDenied
    rows, errors = parse_rows(text)
    report = ImportReport(errors=list(errors))
    existing = {p.code: p for p in Place.objects.all()}
    codes_in_file = {r["code"] for r in rows}
    bad_rows = set()
    for r in rows:
        parent = r["parent_code"]
        if parent and parent not in existing and parent not in codes_in_file:
            bad_rows.add(r["row"])
            report.errors.append(
                _("row %(row)d: parent %(code)s does not exist") % {"row": r["row"], "code": parent}
            )
    if report.errors and not partial:
        return report
    with transaction.atomic():
        for r in rows:
            if r["row"] in bad_rows:
                continue
            parent = existing.get(r["parent_code"]) if r["parent_code"] else None
            if r["parent_code"] and parent is None:
                report.errors.append(
                    _("row %(row)d: parent %(code)s must come before its children")
                    % {"row": r["row"], "code": r["parent_code"]}
                )
                if not partial:
                    transaction.set_rollback(True)
                    return report
                continue
            values = {k: r[k] for k in ("kind", "name_fa", "name_en", "latitude", "longitude")}
            place = existing.get(r["code"])
            if place is None:
                place = Place(code=r["code"], parent=parent, **values)
                place.save()
                existing[place.code] = place
                report.created += 1
                continue
            changed = place.parent_id != (parent.pk if parent else None) or any(
                getattr(place, k) != v for k, v in values.items()
            )
            if not changed:
                report.unchanged += 1
                continue
            place.parent = parent
            for k, v in values.items():
                setattr(place, k, v)
            place.save()
            report.updated += 1
        audit.record(
            actor=actor or "system",
            verb="places.import",
            object_repr=source[:300],
            after={
                "created": report.created,
                "updated": report.updated,
                "unchanged": report.unchanged,
                "errors": len(report.errors),
            },
        )
    return report


def do_import_bundled_places(*, actor) -> list[ImportReport]:
    return [
        do_import_places(actor=actor, text=path.read_text(encoding="utf-8"), source=path.name)
        for path in BUNDLED
    ]
