"""Reading a CSV/XLSX of display sites and checking every row before anything is imported.

Headers may be English or Persian; place is matched by code or by its normalised Persian name
inside the organisation's own area; numbers may use Persian or Arabic digits.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from didban.field.models import Site
from didban.lib.persian import fix_display, normalize, to_ascii_digits
from didban.places.models import Place

MAX_ROWS = 20_000

HEADERS = {
    "code": ["code", "کد", "شناسه"],
    "name": ["name", "نام", "عنوان", "نام نقطه"],
    "kind": ["kind", "type", "نوع"],
    "place": ["place", "place_code", "مکان", "محل", "شهر", "روستا"],
    "latitude": ["latitude", "lat", "عرض", "عرض جغرافیایی"],
    "longitude": ["longitude", "lon", "lng", "طول", "طول جغرافیایی"],
    "address": ["address", "نشانی", "آدرس"],
    "size": ["size", "اندازه", "ابعاد"],
    "owner": ["owner", "مالک"],
    "active": ["active", "فعال"],
}
_HEADER_LOOKUP = {normalize(alias): key for key, aliases in HEADERS.items() for alias in aliases}

KIND_NAMES = {
    "billboard": Site.Kind.BILLBOARD, "بیلبورد": Site.Kind.BILLBOARD, "تابلو": Site.Kind.BILLBOARD,
    "screen": Site.Kind.SCREEN, "تلویزیون شهری": Site.Kind.SCREEN, "صفحه نمایش": Site.Kind.SCREEN,
    "banner": Site.Kind.BANNER, "بنر": Site.Kind.BANNER, "پلاکارد": Site.Kind.BANNER,
    "bus_shelter": Site.Kind.BUS_SHELTER, "ایستگاه اتوبوس": Site.Kind.BUS_SHELTER,
    "wall": Site.Kind.WALL, "دیوار": Site.Kind.WALL, "دیوارنگاره": Site.Kind.WALL,
    "other": Site.Kind.OTHER, "سایر": Site.Kind.OTHER, "دیگر": Site.Kind.OTHER,
}  # fmt: skip
_KIND_LOOKUP = {normalize(k): v for k, v in KIND_NAMES.items()}
for _value, _label in Site.Kind.choices:
    _KIND_LOOKUP[normalize(str(_label))] = _value

TRUE = {"1", "true", "yes", "بله", "آری", "فعال", ""}
FALSE = {"0", "false", "no", "خیر", "نه", "غیرفعال"}


def read_table(data: bytes, file_name: str) -> list[list[str]]:
    """The rows of the first sheet of an XLSX, or of a CSV (UTF-8 or Windows-1256)."""
    if data[:4] == b"PK\x03\x04":
        from openpyxl import load_workbook

        try:
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception:
            raise ValidationError(_("The spreadsheet could not be read.")) from None
        sheet = book.worksheets[0]
        rows = []
        for row in sheet.iter_rows(values_only=True):
            rows.append(["" if v is None else _cell(v) for v in row])
            if len(rows) > MAX_ROWS + 1:
                break
        book.close()
        return rows
    for encoding in ("utf-8-sig", "cp1256"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ValidationError(_("The file is neither a CSV (UTF-8) nor an XLSX spreadsheet."))
    if "\x00" in text:
        raise ValidationError(_("The file is neither a CSV (UTF-8) nor an XLSX spreadsheet."))
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return list(csv.reader(io.StringIO(text), dialect))


def _cell(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _decimal(text: str, low: int, high: int) -> Decimal | None:
    text = to_ascii_digits(text).replace("/", ".").strip()
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError from None
    if not (low <= value <= high):
        raise ValueError
    return value.quantize(Decimal("0.000001"))


def check_rows(table: list[list[str]], *, org, existing_codes: set[str]) -> list[dict]:
    """Each data row with its cleaned values and its errors (translated, one per problem)."""
    if not table or not any(cell.strip() for cell in table[0]):
        raise ValidationError(_("The file has no header row."))
    columns = [_HEADER_LOOKUP.get(normalize(h)) for h in table[0]]
    missing = [k for k in ("name", "kind", "place") if k not in columns]
    if missing:
        raise ValidationError(
            _("Required columns are missing: %(columns)s.") % {"columns": ", ".join(missing)}
        )
    body = table[1:]
    if len(body) > MAX_ROWS:
        raise ValidationError(_("At most %(n)s rows can be imported at once.") % {"n": MAX_ROWS})
    places = _place_index(org)
    owners = _owner_index(org)
    seen_codes: dict[str, int] = {}
    results = []
    for number, raw in enumerate(body, start=2):
        cells = {
            key: (raw[i].strip() if i < len(raw) else "") for i, key in enumerate(columns) if key
        }
        if not any(cells.values()):
            continue
        errors: list[str] = []
        values: dict = {}
        name = fix_display(cells.get("name", ""))
        if not name:
            errors.append(_("The name is empty."))
        elif len(name) > 200:
            errors.append(_("The name is longer than 200 characters."))
        values["name"] = name[:200]
        kind = _KIND_LOOKUP.get(normalize(cells.get("kind", "")))
        if kind is None:
            errors.append(
                _("Unknown kind «%(kind)s» (billboard, screen, banner, bus_shelter, wall, other).")
                % {"kind": cells.get("kind", "")}
            )
        values["kind"] = kind
        place_text = cells.get("place", "")
        place_id, place_error = _match_place(place_text, places)
        if place_error:
            errors.append(place_error)
        values["place"] = place_id
        for key, low, high in (("latitude", -90, 90), ("longitude", -180, 180)):
            try:
                value = _decimal(cells.get(key, ""), low, high)
            except ValueError:
                errors.append(
                    _("The %(field)s «%(value)s» is not a number between %(low)s and %(high)s.")
                    % {
                        "field": _("latitude") if key == "latitude" else _("longitude"),
                        "value": cells.get(key, ""),
                        "low": low,
                        "high": high,
                    }
                )
                value = None
            values[key] = str(value) if value is not None else None
        if (values["latitude"] is None) != (values["longitude"] is None):
            errors.append(_("Give both latitude and longitude, or neither."))
        code = to_ascii_digits(cells.get("code", "")).strip()[:40]
        if code:
            if code in existing_codes:
                errors.append(_("A site with the code «%(code)s» already exists.") % {"code": code})
            elif code in seen_codes:
                errors.append(
                    _("The code «%(code)s» is repeated (first on row %(row)s).")
                    % {"code": code, "row": seen_codes[code]}
                )
            else:
                seen_codes[code] = number
        values["code"] = code
        values["address"] = fix_display(cells.get("address", ""))[:300]
        values["size"] = to_ascii_digits(cells.get("size", "")).strip()[:60]
        owner = fix_display(cells.get("owner", ""))
        values["owner_org"] = owners.get(normalize(owner)) if owner else None
        values["owner_text"] = "" if values["owner_org"] else owner[:200]
        active = normalize(cells.get("active", ""))
        if active in TRUE:
            values["is_active"] = True
        elif active in FALSE:
            values["is_active"] = False
        else:
            errors.append(_("«%(value)s» is not yes or no.") % {"value": cells.get("active", "")})
        results.append(
            {"row": number, "values": values, "errors": errors, "place_text": place_text}
        )
    if not results:
        raise ValidationError(_("The file has no data rows."))
    return results


def _area_root(org):
    node = org
    while node is not None:
        if node.place_id:
            return node.place
        node = node.parent
    return None


KIND_RANK = {
    Place.Kind.CITY: 0, Place.Kind.SATELLITE_TOWN: 0, Place.Kind.VILLAGE: 0,
    Place.Kind.DISTRICT: 1, Place.Kind.COUNTY: 2, Place.Kind.PROVINCE: 3,
}  # fmt: skip


def _place_index(org) -> dict:
    root = _area_root(org)
    qs = Place.objects.all()
    if root is not None:
        qs = qs.filter(path__startswith=root.path)
    by_code: dict[str, int] = {}
    by_name: dict[str, list[tuple[int, str]]] = {}
    for pk, code, name_norm, kind in qs.values_list("pk", "code", "name_norm", "kind"):
        by_code[code] = pk
        by_name.setdefault(name_norm, []).append((pk, code, KIND_RANK.get(kind, 9)))
    return {"code": by_code, "name": by_name}


def _match_place(text: str, index: dict) -> tuple[int | None, str]:
    if not text:
        return None, _("The place is empty.")
    ascii_text = to_ascii_digits(text).strip()
    if ascii_text in index["code"]:
        return index["code"][ascii_text], ""
    matches = index["name"].get(normalize(text), [])
    if matches:
        # «کرج» is a county and a city: a site stands in the settlement, so the settlement wins.
        best = min(rank for _pk, _code, rank in matches)
        matches = [m for m in matches if m[2] == best]
    if len(matches) == 1:
        return matches[0][0], ""
    if len(matches) > 1:
        codes = "، ".join(code for _pk, code, _rank in matches[:5])
        return None, _("«%(place)s» is ambiguous; write its code instead (one of %(codes)s).") % {
            "place": text,
            "codes": codes,
        }
    return None, _("No place named «%(place)s» in this organisation's area.") % {"place": text}


def _owner_index(org) -> dict:
    from didban.accounts.models import Organization

    top = org
    while top.parent_id and top.kind not in (
        Organization.Kind.COUNTY_HQ,
        Organization.Kind.PROVINCE_HQ,
        Organization.Kind.NATIONAL_HQ,
    ):
        top = top.parent
    rows = Organization.objects.filter(path__startswith=top.path).values_list("pk", "name")
    return {normalize(name): pk for pk, name in rows}
