"""Photos of violation reports: sniffed by content, size-limited, re-encoded without EXIF."""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP"}
# A photo larger than this on its long side is scaled down: the desk needs evidence, not prints.
MAX_SIDE = 2560


def max_photo_bytes() -> int:
    return getattr(settings, "COMPLIANCE_MAX_PHOTO_BYTES", 10 * 1024 * 1024)


def max_photos() -> int:
    return getattr(settings, "COMPLIANCE_MAX_PHOTOS", 5)


@dataclass(frozen=True)
class Photo:
    name: str
    sha256: str  # of the bytes as uploaded: a retry sends the same bytes
    content: ContentFile  # the re-encoded JPEG
    width: int
    height: int


def read_photo(upload) -> Photo:
    """Check one uploaded file and return its clean re-encoding; ValidationError if unfit."""
    name = (getattr(upload, "name", "") or "photo")[-200:]
    size = getattr(upload, "size", None)
    if size is not None and size > max_photo_bytes():
        raise ValidationError(
            _("The file «%(name)s» is larger than %(limit)d MB.")
            % {"name": name, "limit": max_photo_bytes() // (1024 * 1024)},
            code="too_large",
        )
    data = upload.read()
    if len(data) > max_photo_bytes():
        raise ValidationError(
            _("The file «%(name)s» is larger than %(limit)d MB.")
            % {"name": name, "limit": max_photo_bytes() // (1024 * 1024)},
            code="too_large",
        )
    not_image = ValidationError(
        _("The file «%(name)s» is not a JPEG, PNG or WebP photo.") % {"name": name},
        code="not_image",
    )
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format not in ALLOWED_FORMATS:
                raise not_image
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            # Decompression bombs raise here too (Pillow's own pixel limit).
            image.load()
            image = ImageOps.exif_transpose(image)
            if image.mode not in ("RGB", "L"):
                image = image.convert("RGB")
            image.thumbnail((MAX_SIDE, MAX_SIDE))
            out = io.BytesIO()
            # A fresh JPEG carries no EXIF: no GPS, no device, no owner.
            image.save(out, "JPEG", quality=85, optimize=True)
            width, height = image.size
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        raise not_image from None
    stem = name.rsplit(".", 1)[0][:150] or "photo"
    return Photo(
        name=name,
        sha256=hashlib.sha256(data).hexdigest(),
        content=ContentFile(out.getvalue(), name=f"{stem}.jpg"),
        width=width,
        height=height,
    )


def read_photos(uploads) -> list[Photo]:
    uploads = list(uploads)
    if len(uploads) > max_photos():
        raise ValidationError(
            _("Send at most %(count)d photos.") % {"count": max_photos()}, code="too_many"
        )
    return [read_photo(u) for u in uploads]
