"""In Debian's chromium: the sites list's Export menu → XLSX; "My exports" shows the job ready
(the worker runs it, here through the immediate backend), and the downloaded file is a
right-to-left sheet with Persian headers and the filtered rows."""

import io

import pytest
from openpyxl import load_workbook

from didban.field.models import Site
from didban.field.tests.helpers import city, site

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_export_sites_from_the_list_and_download(
    page, live_server, login, personas, world, settings, tmp_path, screenshot_dir
):
    settings.EXPORT_DIR = tmp_path / "exports"
    editor = personas.county_editor
    place = city(world)
    site(editor, world, name="بیلبورد میدان آزادی", place=place)
    site(editor, world, name="بنر بلوار جمهوری", place=place, lat="35.821000", lon="50.975000")
    Site.objects.filter(name="بنر بلوار جمهوری").update(kind=Site.Kind.BANNER)

    login(page, live_server, editor)
    page.goto(f"{live_server.url}/field/sites/?kind=banner")
    page.get_by_test_id("export-field.sites").get_by_role("button", name="خروجی").click()
    page.get_by_role("button", name="اکسل (XLSX)").click()
    page.wait_for_url("**/core/exports/")
    job = page.get_by_test_id("export-job").first
    job.get_by_test_id("export-download").wait_for()
    assert job.get_attribute("data-state") == "done"
    page.screenshot(path=str(screenshot_dir / "field-exports.png"), full_page=True)
    with page.expect_download() as info:
        job.get_by_test_id("export-download").click()
    download = info.value
    assert download.suggested_filename.endswith(".xlsx")
    with open(download.path(), "rb") as handle:  # no extension: openpyxl wants a file object
        sheet = load_workbook(io.BytesIO(handle.read())).active
    assert sheet.sheet_view.rightToLeft is True
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][2] == "نام"
    assert [r[2] for r in rows[1:]] == ["بنر بلوار جمهوری"]
