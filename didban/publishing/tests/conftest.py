import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from didban.publishing.tests.fakes import FakeBotApi, FakeEitaa, FakeWebhook, SmtpSink

BOT_TOKEN = "123456:TEST-token-abc"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PUBLISHING_TIMEOUT_SECONDS = 0.6
    settings.SITE_URL = "https://karaj.example.ir"


@pytest.fixture
def bot_api():
    with FakeBotApi(tokens=[BOT_TOKEN]) as server:
        yield server


@pytest.fixture
def eitaa_api():
    with FakeEitaa(tokens=["eitaa-token"]) as server:
        yield server


@pytest.fixture
def webhook_server():
    with FakeWebhook(key="hook-secret") as server:
        yield server


@pytest.fixture
def smtp_sink():
    with SmtpSink() as sink:
        yield sink


@pytest.fixture
def make_channel(world, personas):
    from didban.publishing.actions import do_save_channel

    def make(kind="sandbox", name=None, org=None, **fields):
        fields.setdefault("rate_per_minute", 0)
        return do_save_channel(
            actor=personas.county_admin,
            org=org or world.karaj,
            kind=kind,
            name=name or f"کانال {kind}",
            **fields,
        )

    return make


@pytest.fixture
def bale_channel(make_channel, bot_api):
    return make_channel(
        "bale", name="کانال بله ستاد", target="@karaj_election", base_url=bot_api.url,
        secret=BOT_TOKEN,
    )  # fmt: skip


def jpeg_bytes(color=(30, 90, 200)) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (320, 200), color).save(buffer, "JPEG")
    return buffer.getvalue()


@pytest.fixture
def publish(world, personas, django_capture_on_commit_callbacks):
    """`publish(title=…, photos=0)`: an item drafted, submitted and published by the editor,
    with its on-commit hand-off (signals, worker tasks) run."""
    from didban.newsroom.actions import (
        do_attach_asset,
        do_create_item,
        do_publish_item,
        do_submit_item,
        do_upload_asset,
    )

    def run(title="اطلاعیه شماره ۳ ستاد انتخابات شهرستان کرج", body=None, photos=0, **fields):
        producer, editor = personas.county_producer, personas.county_editor
        item = do_create_item(
            actor=producer, org=world.karaj_info, title=title,
            body=body or "<p>ثبت‌نام داوطلبان از ساعت ۸ صبح آغاز می‌شود &amp; تا ۱۸ ادامه دارد.</p>",
            **fields,
        )  # fmt: skip
        for n in range(photos):
            upload = SimpleUploadedFile(f"photo{n}.jpg", jpeg_bytes((n * 20 % 255, 90, 200)))
            asset, _created = do_upload_asset(actor=producer, org=world.karaj_info, upload=upload)
            do_attach_asset(actor=producer, item=item, asset=asset)
        do_submit_item(actor=producer, item=item)
        with django_capture_on_commit_callbacks(execute=True):
            item = do_publish_item(actor=editor, item=item)
        return item

    return run
