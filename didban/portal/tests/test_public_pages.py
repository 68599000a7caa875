"""The public website: anyone reads published items; drafts are 404; a retraction shows its
notice instead of the text; images are the EXIF-free renditions; RSS lists what is public."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from didban.newsroom import actions


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def published(world, personas):
    item = actions.do_create_item(
        actor=personas.county_producer, org=world.karaj_info, title="آغاز ثبت‌نام داوطلبان",
        lead="ثبت‌نام از امروز آغاز شد", body="<p>متن کامل خبر</p>",
    )  # fmt: skip
    image = Image.new("RGB", (50, 40), "blue")
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (35.0, 49.0, 58.0)}
    data = io.BytesIO()
    image.save(data, "JPEG", exif=exif)
    asset, _ = actions.do_upload_asset(
        actor=personas.county_producer,
        org=world.karaj_info,
        upload=SimpleUploadedFile("p.jpg", data.getvalue()),
    )
    actions.do_attach_asset(actor=personas.county_producer, item=item, asset=asset)
    actions.do_submit_item(actor=personas.county_producer, item=item)
    return actions.do_publish_item(actor=personas.county_editor, item=item)


def test_anonymous_reads_published_item(client, published):
    response = client.get(f"/news/karaj-info/{published.news_code}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "آغاز ثبت‌نام داوطلبان" in page and "متن کامل خبر" in page
    from didban.lib.persian import to_persian_digits

    assert to_persian_digits(published.news_code) in page
    assert "-public.jpg" in page  # the EXIF-free rendition, never the original
    assert published.public_url().endswith(f"/news/karaj-info/{published.news_code}/")


def test_list_print_and_rss(client, published):
    assert "آغاز ثبت‌نام داوطلبان" in client.get("/news/karaj-info/").content.decode()
    assert "آغاز ثبت‌نام داوطلبان" in client.get("/news/karaj/").content.decode()  # subtree
    printed = client.get(f"/news/karaj-info/{published.news_code}/print/")
    assert printed.status_code == 200 and "print.js" in printed.content.decode()
    rss = client.get("/news/karaj-info/rss/")
    assert rss.status_code == 200 and rss["Content-Type"].startswith("application/rss+xml")
    assert published.public_url() in rss.content.decode()


def test_unpublished_is_404(client, world, personas):
    item = actions.do_create_item(
        actor=personas.county_producer, org=world.karaj_info, title="پیش‌نویس"
    )
    assert client.get(f"/news/karaj-info/{item.news_code}/").status_code == 404
    assert "پیش‌نویس" not in client.get("/news/karaj-info/").content.decode()
    assert client.get("/news/no-such-org/").status_code == 404


def test_retracted_shows_notice_not_body(client, published, personas):
    actions.do_retract_item(
        actor=personas.county_editor, item=published, reason="اطلاعات نادرست بود"
    )
    page = client.get(f"/news/karaj-info/{published.news_code}/").content.decode()
    assert "retraction-notice" in page and "اطلاعات نادرست بود" in page
    assert "متن کامل خبر" not in page
    assert "آغاز ثبت‌نام داوطلبان" not in client.get("/news/karaj-info/").content.decode()
