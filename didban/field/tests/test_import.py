"""Bulk import of sites from CSV/XLSX: a row-by-row report, all-or-nothing unless the user
chooses the good rows only; places matched by normalised Persian name or code."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from openpyxl import Workbook

from didban.field import actions
from didban.field.models import Site, SiteImport
from didban.places.models import Place
from didban.testing import PlaceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """The report's messages are asserted in English (msgids); fa is tested in the views."""
    with translation.override("en"):
        yield


@pytest.fixture
def places(world):
    karaj = PlaceFactory(
        code="3001011590", kind=Place.Kind.CITY, name_fa="کرج", parent=world.karaj_place
    )
    mahdasht = PlaceFactory(
        code="3001012118",
        kind=Place.Kind.SATELLITE_TOWN,
        name_fa="ماهدشت",
        parent=world.karaj_place,
    )
    village = PlaceFactory(
        code="3001010001261656",
        kind=Place.Kind.VILLAGE,
        name_fa="باغ پیر",
        parent=world.karaj_place,
    )
    kalak = PlaceFactory(
        code="3001019999", kind=Place.Kind.VILLAGE, name_fa="کلاک", parent=world.karaj_place
    )
    # A same-named place in Fardis must not be matched by Karaj's import.
    PlaceFactory(
        code="3006019999", kind=Place.Kind.VILLAGE, name_fa="کلاک بالا", parent=world.fardis_place
    )
    return {"karaj": karaj, "mahdasht": mahdasht, "village": village, "kalak": kalak}


def csv_file(text: str, name="sites.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8-sig"), content_type="text/csv")


def xlsx_file(rows: list[list]) -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("sites.xlsx", out.getvalue())


GOOD_CSV = (
    "کد,نام,نوع,مکان,عرض جغرافیایی,طول جغرافیایی,نشانی,اندازه,مالک\n"
    "B-1,بیلبورد میدان آزادی,بیلبورد,كرج,۳۵٫۸۳۲۶,۵۰٫۹۹۱۵,میدان آزادی,۳×۶,شهرداری کرج\n"
    "B-2,بنر ورودی ماهدشت,banner,ماهدشت,35.7282,50.8134,,,\n"
    "B-3,دیوار مسجد,دیوار,3001010001261656,,,,,دهیاری باغ پیر\n"
)


def test_good_csv_imports_every_row(personas, world, places):
    editor = personas.county_editor
    report = actions.do_check_site_import(
        actor=editor, org=world.karaj_info, upload=csv_file(GOOD_CSV)
    )
    assert [r["errors"] for r in report.rows] == [[], [], []]
    assert Site.objects.count() == 0  # checking imports nothing
    assert actions.do_import_sites(actor=editor, site_import=report) == 3
    b1 = Site.objects.get(code="B-1")
    assert b1.place == places["karaj"] and b1.area == "city"
    assert str(b1.latitude) == "35.832600" and b1.owner_org == world.karaj_municipality
    assert Site.objects.get(code="B-2").area == "satellite_town"
    b3 = Site.objects.get(code="B-3")
    assert b3.area == "village" and b3.owner_text == "دهیاری باغ پیر" and b3.latitude is None
    with pytest.raises(ValidationError):
        actions.do_import_sites(actor=editor, site_import=report)  # not twice


BAD_CSV = (
    "name,kind,place,latitude,longitude,code\n"
    "خوب ۱,billboard,کرج,35.8,50.9,A\n"
    ",billboard,کرج,35.8,50.9,B\n"
    "نوع بد,rocket,کرج,,,C\n"
    "جای ناشناس,wall,تهران,,,D\n"
    "عدد بد,wall,کرج,۹۹۹,50,E\n"
    "کد تکراری,wall,کرج,,,A\n"
    "خوب ۲,screen,ماهدشت,,,F\n"
)


def test_bad_rows_are_reported_and_nothing_is_imported(personas, world, places):
    editor = personas.county_editor
    report = actions.do_check_site_import(
        actor=editor, org=world.karaj_info, upload=csv_file(BAD_CSV)
    )
    errors = {r["row"]: r["errors"] for r in report.rows}
    assert errors[2] == [] and errors[8] == []
    assert "name is empty" in errors[3][0]
    assert "Unknown kind" in errors[4][0]
    assert "No place named «تهران»" in errors[5][0]
    assert "between -90 and 90" in errors[6][0]
    assert "repeated (first on row 2)" in errors[7][0]
    with pytest.raises(ValidationError):
        actions.do_import_sites(actor=editor, site_import=report)
    assert Site.objects.count() == 0


def test_good_rows_only_when_the_user_chooses(personas, world, places):
    editor = personas.county_editor
    report = actions.do_check_site_import(
        actor=editor, org=world.karaj_info, upload=csv_file(BAD_CSV)
    )
    assert actions.do_import_sites(actor=editor, site_import=report, good_rows_only=True) == 2
    assert set(Site.objects.values_list("name", flat=True)) == {"خوب ۱", "خوب ۲"}
    assert SiteImport.objects.get().status == "imported"


def test_xlsx_with_arabic_letters_and_persian_digits(personas, world, places):
    rows = [
        ["نام", "نوع", "مکان", "عرض", "طول", "فعال"],
        ["تابلو كلاك", "بيلبورد", "كلاك", "۳۵.۸۱", "٥٠.٨٢", "بله"],
        ["صفحه شهری", "تلویزیون شهری", "3001011590", 35.84, 50.97, "خیر"],
    ]
    report = actions.do_check_site_import(
        actor=personas.county_editor, org=world.karaj_info, upload=xlsx_file(rows)
    )
    assert [r["errors"] for r in report.rows] == [[], []]
    actions.do_import_sites(actor=personas.county_editor, site_import=report)
    kalak = Site.objects.get(place=places["kalak"])
    assert kalak.kind == "billboard" and str(kalak.longitude) == "50.820000" and kalak.is_active
    screen = Site.objects.get(kind="screen")
    assert screen.place == places["karaj"] and not screen.is_active


def test_broken_files_get_a_clear_error(personas, world, places):
    editor = personas.county_editor
    for upload in (
        SimpleUploadedFile("x.xlsx", b"PK\x03\x04garbage"),
        csv_file("foo,bar\n1,2\n"),
        csv_file("name,kind,place\n"),
        SimpleUploadedFile("x.csv", b"\x00\x01\x02\xff\xfe"),
    ):
        with pytest.raises(ValidationError):
            actions.do_check_site_import(actor=editor, org=world.karaj_info, upload=upload)
    assert SiteImport.objects.count() == 0


def test_outsider_cannot_import_into_karaj(personas, world, places):
    with pytest.raises(PermissionDenied):
        actions.do_check_site_import(
            actor=personas.outsider, org=world.karaj_info, upload=csv_file(GOOD_CSV)
        )
