"""Uploaded files of display campaigns: artwork (images or PDF) and check-in photos. The checks
common to every app (type from the bytes, size limit, Pillow verification, re-encoding without
metadata, EXIF capture time) are in didban.core.uploads; this module keeps the field's rules:
its size limit, PDF artwork, thumbnails, and the distance of a check-in from its site."""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from didban.core import uploads
from didban.core.uploads import (  # noqa: F401 - the names this module always offered
    DATETIME_ORIGINAL,
    EXIF_IFD,
    OFFSET_TIME_ORIGINAL,
    capture_time,
)

# Artwork and photos: JPEG, PNG or WebP (no GIF).
IMAGE_TYPES = {k: v for k, v in uploads.IMAGE_FORMATS.items() if k in uploads.PHOTO_FORMATS}


@dataclass
class Sniffed:
    data: bytes
    mime: str
    extension: str
    sha256: str
    width: int | None = None
    height: int | None = None


def max_bytes() -> int:
    return uploads.mb(settings.FIELD_UPLOAD_MAX_MB)


def read_upload(upload) -> bytes:
    """The bytes of an uploaded file, refusing an empty one or one above the size limit."""
    return uploads.read_bytes(upload, limit=max_bytes())


def sniff_artwork(data: bytes, name: str = "") -> Sniffed:
    """A design file: a JPEG, PNG or WebP image, or a PDF."""
    digest = uploads.sha256(data)
    sniffed = uploads.sniff(data[:64])
    if sniffed is not None and sniffed.kind == "pdf":
        if b"%%EOF" not in data[-2048:]:
            raise ValidationError(_("This PDF file is damaged or incomplete."))
        return Sniffed(data, "application/pdf", ".pdf", digest)
    if sniffed is None or sniffed.kind != "image":
        raise ValidationError(_("The file is not an image (JPEG, PNG, WebP) or a PDF."))
    info = uploads.check_image(data, name=name or _("the file"), formats=uploads.PHOTO_FORMATS)
    return Sniffed(data, info.mime, info.extension, digest, info.width, info.height)


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
    photo = uploads.reencode_photo(raw, max_side=2048, quality=85)
    return Photo(photo.data, photo.sha256, photo.taken_at)


EARTH_RADIUS_M = 6_371_008.8


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp = p2 - p1
    dl = math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))
