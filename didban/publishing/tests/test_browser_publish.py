"""In Debian's chromium: an editor publishes an item to the website and a (fake) Bale
channel, the worker runs once, and the item page shows both deliveries sent."""

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_editor_publishes_to_website_and_bale(
    page, live_server, world, personas, login, screenshot_dir, make_channel, bot_api, settings
):
    from didban.newsroom.actions import do_create_item, do_submit_item
    from didban.publishing.tests.conftest import BOT_TOKEN

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.PUBLISHING_TIMEOUT_SECONDS = 5
    make_channel("website", name="وب‌سایت فرمانداری")
    make_channel(
        "bale", name="کانال بله ستاد انتخابات کرج", target="@karaj_entekhabat",
        base_url=bot_api.url, secret=BOT_TOKEN,
    )  # fmt: skip
    item = do_create_item(
        actor=personas.county_producer, org=world.karaj_info,
        title="آغاز ثبت‌نام داوطلبان انتخابات مجلس در کرج",
        body="<p>ثبت‌نام از ساعت ۸ صبح در فرمانداری آغاز می‌شود.</p>",
    )  # fmt: skip
    do_submit_item(actor=personas.county_producer, item=item)

    login(page, live_server, personas.county_editor)
    page.goto(live_server.url + item.get_absolute_url())
    page.get_by_role("button", name="انتشار فوری").or_(
        page.locator("button[value=publish]")
    ).first.click()
    page.wait_for_load_state()
    panel = page.get_by_test_id("item-deliveries")
    statuses = panel.get_by_test_id("delivery-status")
    assert sorted(s.get_attribute("data-status") for s in statuses.all()) == ["queued", "queued"]

    call_command("worker", "--once")

    page.reload()
    statuses = page.get_by_test_id("item-deliveries").get_by_test_id("delivery-status")
    assert sorted(s.get_attribute("data-status") for s in statuses.all()) == ["sent", "sent"]
    page.get_by_test_id("item-deliveries").screenshot(
        path=screenshot_dir / "publishing-item-deliveries.png"
    )
    page.screenshot(path=screenshot_dir / "publishing-item-page.png", full_page=True)
    # The fake Bale server received the post, with the news code and the page link.
    item.refresh_from_db()
    (post,) = bot_api.requests
    assert post["method"] == "sendMessage" and item.news_code in post["text"]
    assert item.public_path() in post["text"]

    page.goto(live_server.url + "/publishing/")
    page.screenshot(path=screenshot_dir / "publishing-queue.png", full_page=True)
