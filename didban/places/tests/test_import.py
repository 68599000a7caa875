"""Places import: the bundled CSVs load with counts by kind matching the files; re-importing
changes nothing; `import_places` with a bad file lists the row errors and imports nothing,
unless `--partial`; only the system or a superuser imports (places are shared reference data)."""

from __future__ import annotations

import csv
from collections import Counter

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from didban.core.audit import verify_chain
from didban.core.models import AuditEntry
from didban.places.actions import BUNDLED, do_import_bundled_places, do_import_places
from didban.places.models import Place

pytestmark = pytest.mark.django_db

HEADER = "code,parent_code,kind,name_fa,name_en,latitude,longitude\n"


def expected_kinds() -> Counter:
    rows = {}
    for path in BUNDLED:
        with path.open(encoding="utf-8") as f:
            for row in csv.DictReader(f):
                rows[row["code"]] = row["kind"]
    return Counter(rows.values())


def test_bundled_import_counts_by_kind_match_the_files():
    reports = do_import_bundled_places(actor=None)
    assert all(r.ok for r in reports), [r.errors for r in reports]
    counts = Counter(Place.objects.values_list("kind", flat=True))
    assert counts == expected_kinds()
    assert counts["province"] == 31 + (counts["province"] - 31)  # every province present
    assert counts["province"] >= 31 and counts["county"] >= 400
    karaj = Place.objects.get(code="3001")
    assert karaj.name_fa == "کرج" and karaj.parent.name_fa == "البرز"
    assert karaj.has_coordinates
    assert Place.objects.filter(path__startswith=karaj.path, kind="village").exists()
    assert Place.objects.filter(path__startswith=karaj.path, kind="satellite_town").exists()
    assert verify_chain().ok
    assert AuditEntry.objects.filter(verb="places.import").count() == len(BUNDLED)


def test_reimport_is_idempotent(capsys):
    call_command("import_places", "--bundled")
    total = Place.objects.count()
    capsys.readouterr()
    call_command("import_places", "--bundled")
    out = capsys.readouterr().out
    assert Place.objects.count() == total
    assert "0 created, 0 updated" in out


def test_a_bad_file_imports_nothing_and_lists_the_rows(tmp_path, capsys):
    path = tmp_path / "bad.csv"
    path.write_text(
        HEADER
        + "90,,province,استان آزمایشی,Test,35.1,51.2\n"
        + "9001,90,county,شهرستان یک,,35.2,51.3\n"
        + "9002,90,castle,قلعه,,,\n"  # row 4: unknown kind
        + "9003,77,county,بی‌پدر,,,\n"  # row 5: parent missing
        + "9004,90,city,,,,\n"  # row 6: no name
        + "9005,90,city,شهر دور,,95,51\n"  # row 7: latitude out of Iran
        + "9001,90,city,تکراری,,,\n",  # row 8: code twice
        encoding="utf-8",
    )
    with translation.override("en"), pytest.raises(CommandError):
        call_command("import_places", str(path))
    err = capsys.readouterr().err
    for row in ("row 4", "row 5", "row 6", "row 7", "row 8"):
        assert row in err, err
    assert "nothing imported" in err
    assert not Place.objects.filter(code__startswith="90").exists()

    call_command("import_places", str(path), "--partial")
    assert set(Place.objects.filter(code__startswith="90").values_list("code", flat=True)) == {
        "90",
        "9001",
    }


def test_a_file_with_a_wrong_header_or_encoding(tmp_path, capsys):
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("name,lat\nکرج,35\n", encoding="utf-8")
    with translation.override("en"), pytest.raises(CommandError):
        call_command("import_places", str(wrong))
    assert "header" in capsys.readouterr().err
    with translation.override("fa"), pytest.raises(CommandError):
        call_command("import_places", str(wrong))
    assert "سطر عنوان" in capsys.readouterr().err  # the operator's language
    latin = tmp_path / "latin.csv"
    latin.write_bytes(HEADER.encode() + "90,,province,البرز,,,\n".encode("cp1256"))
    with pytest.raises(CommandError, match="UTF-8"):
        call_command("import_places", str(latin))
    with pytest.raises(CommandError, match="no such file"):
        call_command("import_places", str(tmp_path / "missing.csv"))
    with pytest.raises(CommandError):
        call_command("import_places")
    assert Place.objects.count() == 0


def test_persian_digits_and_bom_are_read(tmp_path):
    path = tmp_path / "fa.csv"
    path.write_text("\ufeff" + HEADER + "91,,province,استان,,۳۵٫۸۳۲,۵۰٫۹۹۱\n", encoding="utf-8")
    call_command("import_places", str(path))
    place = Place.objects.get(code="91")
    assert str(place.latitude) == "35.832000"


def test_only_the_system_or_a_superuser_imports(world, personas):
    with pytest.raises(PermissionDenied):
        do_import_places(actor=personas.county_admin, text=HEADER, source="x.csv")
