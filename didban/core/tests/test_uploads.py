"""One upload check for every app: the type from the bytes, limits from settings, Pillow's
verdict, photos re-encoded without EXIF, translated errors that name the file."""

from __future__ import annotations

import io
from datetime import datetime, timedelta, timezone

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from didban.core import uploads


def jpeg(*, taken: datetime | None = None, gps: bool = False, size=(80, 40), mode="RGB") -> bytes:
    image = Image.new(mode, size, 120)
    exif = Image.Exif()
    if taken is not None:
        exif.get_ifd(0x8769)[36867] = taken.strftime("%Y:%m:%d %H:%M:%S")
        exif.get_ifd(0x8769)[36881] = "+03:30"
    if gps:
        exif[0x8825] = {1: "N", 2: (35.0, 49.0, 57.0)}
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def png(mode="RGBA") -> bytes:
    out = io.BytesIO()
    Image.new(mode, (30, 20)).save(out, "PNG")
    return out.getvalue()


def test_the_type_comes_from_the_bytes_not_the_name():
    assert uploads.sniff(jpeg()[:64]).mime == "image/jpeg"
    assert uploads.sniff(png()[:64]).extension == ".png"
    assert uploads.sniff(b"%PDF-1.7\n").kind == "pdf"
    assert uploads.sniff(b"<html>photo.jpg</html>") is None


def test_read_bytes_refuses_empty_and_too_large_files_by_name():
    limit = 1000
    with pytest.raises(ValidationError) as info:
        uploads.read_bytes(SimpleUploadedFile("big.jpg", b"x" * 1001), limit=limit)
    assert "big.jpg" in info.value.messages[0] and info.value.code == "size"
    with pytest.raises(ValidationError) as info:
        uploads.read_bytes(SimpleUploadedFile("none.jpg", b""), limit=limit)
    assert info.value.code == "empty"
    # A lying declared size does not let more than the limit through.
    lying = SimpleUploadedFile("lie.jpg", b"x" * 5000)
    lying.size = 10
    with pytest.raises(ValidationError):
        uploads.read_bytes(lying, limit=limit)
    assert uploads.read_bytes(SimpleUploadedFile("ok.jpg", b"abc"), limit=limit) == b"abc"


def test_limits_in_megabytes_may_be_fractions():
    assert uploads.mb(25) == 25 * 1024 * 1024
    assert uploads.mb("0.5") == 512 * 1024


def test_check_image_tells_damaged_from_not_an_image_in_persian():
    with translation.override("fa"), pytest.raises(ValidationError) as info:
        uploads.check_image(b"\x89PNG\r\n\x1a\n" + b"\0" * 50, name="x.png")
    assert info.value.code == "damaged" and "x.png" in info.value.messages[0]
    assert any("\u0600" <= ch <= "\u06ff" for ch in info.value.messages[0])
    with pytest.raises(ValidationError) as info:
        uploads.check_image(b"plain text", name="note.jpg")
    assert info.value.code == "type"
    gif = io.BytesIO()
    Image.new("RGB", (4, 4)).save(gif, "GIF")
    with pytest.raises(ValidationError) as info:
        uploads.check_image(gif.getvalue(), name="a.gif", formats=uploads.PHOTO_FORMATS)
    assert info.value.code == "type" and "WebP" in info.value.messages[0]
    info_ = uploads.check_image(png(), name="ok.png")
    assert (info_.mime, info_.width, info_.height) == ("image/png", 30, 20)


def test_a_photo_is_reencoded_without_exif_and_keeps_its_capture_time():
    taken = datetime(2024, 2, 1, 10, 30)
    raw = jpeg(taken=taken, gps=True)
    photo = uploads.reencode_photo(raw, max_side=50)
    assert photo.taken_at == datetime(2024, 2, 1, 10, 30, tzinfo=timezone(timedelta(hours=3.5)))
    assert photo.sha256 == uploads.sha256(raw)  # of what the client sent
    assert (photo.width, photo.height) == (50, 25)
    with Image.open(io.BytesIO(photo.data)) as again:
        assert again.format == "JPEG" and not again.getexif()
    # A transparent PNG becomes an RGB JPEG.
    assert uploads.reencode_photo(png()).data.startswith(b"\xff\xd8")


def test_a_photo_that_is_no_image_is_refused_without_a_name_too():
    with translation.override("en"), pytest.raises(ValidationError) as info:
        uploads.reencode_photo(b"GIF89a not really")
    assert info.value.messages[0].startswith("The photo")
    with pytest.raises(ValidationError) as info:
        uploads.reencode_photo(b"\xff\xd8\xff" + b"\0" * 40, name="cut.jpg", verify=True)
    assert info.value.code == "damaged" and "cut.jpg" in info.value.messages[0]


def test_a_decompression_bomb_is_refused():
    out = io.BytesIO()
    Image.new("1", (13000, 13000)).save(out, "PNG")  # 169 megapixels (over twice the limit)
    with pytest.raises(ValidationError):
        uploads.check_image(out.getvalue(), name="bomb.png")
    with pytest.raises(ValidationError):
        uploads.reencode_photo(out.getvalue(), name="bomb.png")
