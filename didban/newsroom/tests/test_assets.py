"""Uploads are typed from their bytes, limited in size, stored once per organisation, and
images are made public only as EXIF-free renditions."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from didban.newsroom.actions import do_attach_asset, do_upload_asset
from didban.newsroom.models import Asset

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (640, 480), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "Didban Test Camera"  # Make
    gps = {1: "N", 2: (35.0, 49.0, 58.0), 3: "E", 4: (50.0, 59.0, 29.0)}
    exif[0x8825] = gps
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def upload(name, data):
    return SimpleUploadedFile(name, data)


def test_pdf_named_jpg_is_a_pdf(world, personas):
    asset, created = do_upload_asset(
        actor=personas.county_producer, org=world.karaj_info, upload=upload("photo.jpg", PDF)
    )
    assert created and asset.kind == Asset.Kind.PDF and asset.mime == "application/pdf"
    assert asset.file.name.endswith(".pdf") and not asset.thumbnail


def test_text_named_png_is_rejected_in_persian(world, personas, settings):
    settings.LANGUAGE_CODE = "fa"
    from django.utils import translation

    with translation.override("fa"), pytest.raises(ValidationError) as info:
        do_upload_asset(
            actor=personas.county_producer,
            org=world.karaj_info,
            upload=upload("poster.png", b"hello, not an image"),
        )
    message = info.value.messages[0]
    assert "poster.png" in message
    assert any("\u0600" <= ch <= "\u06ff" for ch in message)
    assert Asset.objects.count() == 0


def test_damaged_image_is_rejected(world, personas):
    with pytest.raises(ValidationError):
        do_upload_asset(
            actor=personas.county_producer,
            org=world.karaj_info,
            upload=upload("x.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 50),
        )


def test_size_limit_from_settings(world, personas, settings):
    settings.UPLOAD_MAX_MB = 0.001  # about 1 KB
    with pytest.raises(ValidationError) as info:
        do_upload_asset(
            actor=personas.county_producer,
            org=world.karaj_info,
            upload=upload("big.pdf", PDF + b"0" * 5000),
        )
    assert "big.pdf" in info.value.messages[0]


def test_same_file_twice_is_stored_once(world, personas):
    data = jpeg_with_gps()
    first, created1 = do_upload_asset(
        actor=personas.county_producer, org=world.karaj_info, upload=upload("a.jpg", data)
    )
    second, created2 = do_upload_asset(
        actor=personas.county_editor, org=world.karaj_info, upload=upload("b.jpg", data)
    )
    assert created1 and not created2 and first.pk == second.pk
    other, created3 = do_upload_asset(
        actor=personas.outsider, org=world.fardis_info, upload=upload("a.jpg", data)
    )
    assert created3 and other.pk != first.pk
    assert Asset.objects.count() == 2


def test_public_rendition_has_no_exif_and_a_thumbnail(world, personas):
    data = jpeg_with_gps()
    assert Image.open(io.BytesIO(data)).getexif().get(0x8825)  # the original has GPS
    asset, _ = do_upload_asset(
        actor=personas.county_producer, org=world.karaj_info, upload=upload("gps.jpg", data)
    )
    assert (asset.width, asset.height) == (640, 480)
    with asset.public_file.open("rb") as handle:
        public = Image.open(io.BytesIO(handle.read()))
        assert len(public.getexif()) == 0
        assert "exif" not in public.info
    with asset.thumbnail.open("rb") as handle:
        thumb = Image.open(io.BytesIO(handle.read()))
        assert max(thumb.size) <= 480
        assert len(thumb.getexif()) == 0
    assert asset.public_url().endswith("-public.jpg")


def test_outsider_cannot_upload_to_county_or_attach(world, personas, make_item):
    with pytest.raises(PermissionDenied):
        do_upload_asset(actor=personas.outsider, org=world.karaj_info, upload=upload("a.pdf", PDF))
    item = make_item()
    asset, _ = do_upload_asset(
        actor=personas.outsider, org=world.fardis_info, upload=upload("a.pdf", PDF)
    )
    with pytest.raises((PermissionDenied, ValidationError)):
        do_attach_asset(actor=personas.county_producer, item=item, asset=asset)


def test_assets_attach_in_order(world, personas, make_item):
    item = make_item()
    one, _ = do_upload_asset(
        actor=personas.county_producer, org=world.karaj_info, upload=upload("1.pdf", PDF)
    )
    two, _ = do_upload_asset(
        actor=personas.county_producer,
        org=world.karaj_info,
        upload=upload("2.jpg", jpeg_with_gps()),
    )
    do_attach_asset(actor=personas.county_producer, item=item, asset=two)
    do_attach_asset(actor=personas.county_producer, item=item, asset=one)
    assert [link.asset_id for link in item.item_assets.all()] == [two.pk, one.pk]
