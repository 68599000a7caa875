"""Uploaded files: type sniffed from the bytes (never the name), size-limited, checksummed;
photos re-encoded so nothing but pixels reaches the disk, after their capture time is read."""

from __future__ import annotations

import hashlib
import io
import math
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

Image.MAX_IMAGE_PIXELS = 80_000_000  # a 20000×4000 billboard print file, no decompression bombs

IMAGE_TYPES = {"JPEG": ("image/jpeg", ".jpg"), "PNG": ("image/png", ".png"), "WEBP": ("image/webp", ".webp")}  # fmt: skip
EXIF_IFD = 0x8769
DATETIME_ORIGINAL = 36867
OFFSET_TIME_ORIGINAL = 36881


@dataclass
class Sniffed:
    data: bytes
    mime: str
    extension: str
    sha256: str
    width: int | None = None
    height: int | None = None


def max_bytes() -> int:
    return settings.FIELD_UPLOAD_MAX_MB * 1024 * 1024


def read_upload(upload) -> bytes:
    """The bytes of an uploaded file, refusing one above the size limit."""
    limit = max_bytes()
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            _("The file is too large (the limit is %(mb)s MB).")
            % {"mb": settings.FIELD_UPLOAD_MAX_MB}
        )
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise ValidationError(
            _("The file is too large (the limit is %(mb)s MB).")
            % {"mb": settings.FIELD_UPLOAD_MAX_MB}
        )
    if not data:
        raise ValidationError(_("The file is empty."))
    return data


def sniff_artwork(data: bytes) -> Sniffed:
    """A design file: a JPEG, PNG or WebP image, or a PDF."""
    digest = hashlib.sha256(data).hexdigest()
    if data.startswith(b"%PDF-"):
        if b"%%EOF" not in data[-2048:]:
            raise ValidationError(_("This PDF file is damaged or incomplete."))
        return Sniffed(data, "application/pdf", ".pdf", digest)
    try:
        with Image.open(io.BytesIO(data)) as img:
            kind = img.format
            img.verify()
        with Image.open(io.BytesIO(data)) as img:
            width, height = img.size
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError):
        raise ValidationError(_("The file is not an image (JPEG, PNG, WebP) or a PDF.")) from None
    if kind not in IMAGE_TYPES:
        raise ValidationError(_("The file is not an image (JPEG, PNG, WebP) or a PDF."))
    mime, extension = IMAGE_TYPES[kind]
    return Sniffed(data, mime, extension, digest, width, height)


def thumbnail(data: bytes, size: int = 360) -> bytes:
    with Image.open(io.BytesIO(data)) as img:
        img = ImageOps.exif_transpose(img)
        img.thumbnail((size, size))
        if img.mode not in ("RGB", "L"):
            background = Image.new("RGB", img.size, "white")
            background.paste(img, mask=img.convert("RGBA").split()[-1])
            img = background
        out = io.BytesIO()
        img.convert("RGB").save(out, "JPEG", quality=82)
        return out.getvalue()


@dataclass
class Photo:
    data: bytes  # re-encoded JPEG, without metadata
    sha256: str  # of the bytes the client sent: the content the client's id stands for
    taken_at: datetime | None


def read_photo(raw: bytes) -> Photo:
    """A field photo: its capture time from EXIF DateTimeOriginal, then re-encoded."""
    digest = hashlib.sha256(raw).hexdigest()
    try:
        with Image.open(io.BytesIO(raw)) as img:
            img.load()
            if img.format not in IMAGE_TYPES:
                raise ValidationError(_("The photo must be a JPEG, PNG or WebP image."))
            taken_at = capture_time(img)
            # In place, and no RGB copy of an RGB image: each copy of a phone photo costs
            # milliseconds on every upload.
            ImageOps.exif_transpose(img, in_place=True)
            img.thumbnail((2048, 2048))
            out = io.BytesIO()
            (img if img.mode == "RGB" else img.convert("RGB")).save(out, "JPEG", quality=85)
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError):
        raise ValidationError(_("The photo must be a JPEG, PNG or WebP image.")) from None
    return Photo(out.getvalue(), digest, taken_at)


def capture_time(img: Image.Image) -> datetime | None:
    """EXIF DateTimeOriginal, in its OffsetTimeOriginal or else the display zone."""
    try:
        exif = img.getexif().get_ifd(EXIF_IFD)
    except Exception:
        return None
    text = exif.get(DATETIME_ORIGINAL)
    if not isinstance(text, str):
        return None
    try:
        naive = datetime.strptime(text.strip("\x00 ").strip(), "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None
    offset = exif.get(OFFSET_TIME_ORIGINAL)
    if isinstance(offset, str):
        try:
            return datetime.strptime(
                f"{naive:%Y-%m-%d %H:%M:%S}{offset.strip()}", "%Y-%m-%d %H:%M:%S%z"
            )
        except ValueError:
            pass
    return naive.replace(tzinfo=ZoneInfo(settings.TIME_ZONE))


EARTH_RADIUS_M = 6_371_008.8


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp = p2 - p1
    dl = math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))
