"""In Debian's chromium: a producer drafts an item with a photo, an editor approves and
publishes it, and the public page shows it with its news code and Jalali date.

(Delivery to a fake Bale channel is covered by the publishing app's browser test.)
"""

import re

import pytest
from PIL import Image

from didban.lib.persian import to_persian_digits
from didban.newsroom.models import Item

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

JALALI_DAY = re.compile(
    "[۰-۹]+ (فروردین|اردیبهشت|خرداد|تیر|مرداد|شهریور|مهر|آبان|آذر|دی|بهمن|اسفند) ۱۴[۰-۹]{2}"
)


def test_producer_drafts_editor_publishes_public_page(
    page, live_server, world, personas, login, screenshot_dir, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DEBUG = True  # serve the uploaded photo from MEDIA_ROOT in the live server
    photo = tmp_path / "photo.jpg"
    Image.new("RGB", (800, 500), (20, 90, 160)).save(photo, "JPEG")

    login(page, live_server, personas.county_producer)
    page.goto(f"{live_server.url}/newsroom/items/new/")
    page.fill("#id_title", "آغاز ثبت‌نام داوطلبان انتخابات مجلس در کرج")
    page.fill("#id_lead", "ثبت‌نام داوطلبان از امروز در فرمانداری کرج آغاز شد.")
    page.fill("#id_body", "<p>به گزارش ستاد انتخابات شهرستان کرج، ثبت‌نام تا ۲۵ مهر ادامه دارد.</p>")
    page.click("button[type=submit]")
    page.wait_for_load_state()
    item = Item.objects.get()
    assert page.url.endswith(f"/newsroom/items/{item.pk}/")
    page.set_input_files("input[name=file]", str(photo))
    page.fill("input[name=caption]", "ساختمان فرمانداری")
    page.get_by_role("button", name="بارگذاری").click()
    page.wait_for_load_state()
    assert page.locator("#assets img").count() == 1
    assert page.locator("button[value=publish]").count() == 0
    page.locator("button[value=submit]").click()
    page.wait_for_load_state()
    page.screenshot(path=screenshot_dir / "newsroom-submitted.png", full_page=True)
    page.context.clear_cookies()

    login(page, live_server, personas.county_editor)
    page.goto(f"{live_server.url}/newsroom/items/{item.pk}/")
    page.locator("button[value=approve]").click()
    page.wait_for_load_state()
    page.locator("button[value=publish]").click()
    page.wait_for_load_state()
    item.refresh_from_db()
    assert item.status == Item.Status.PUBLISHED
    page.screenshot(path=screenshot_dir / "newsroom-published.png", full_page=True)
    page.context.clear_cookies()

    page.goto(f"{live_server.url}/news/karaj-info/{item.news_code}/")
    text = page.locator("article").inner_text()
    assert to_persian_digits(item.news_code) in text
    assert JALALI_DAY.search(text), text
    assert "آغاز ثبت‌نام داوطلبان" in text
    assert page.locator("article img").count() == 1
    src = page.locator("article img").get_attribute("src")
    assert src.endswith("-public.jpg")
    page.screenshot(path=screenshot_dir / "portal-item.png", full_page=True)
