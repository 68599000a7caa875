"""Photos of violation reports: checked and re-encoded by didban.core.uploads (no EXIF leaves
the server); compliance's own rules are its limits — at most COMPLIANCE_MAX_PHOTOS photos of
COMPLIANCE_MAX_PHOTO_BYTES each — and a long side of at most MAX_SIDE pixels."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from didban.core import uploads

ALLOWED_FORMATS = uploads.PHOTO_FORMATS
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
    name = uploads.upload_name(upload, "photo")
    data = uploads.read_bytes(upload, limit=max_photo_bytes(), name=name)
    # Verified before decoding: a report's photo is evidence, a damaged one is refused.
    photo = uploads.reencode_photo(
        data, name=name, max_side=MAX_SIDE, optimize=True, verify=True, formats=ALLOWED_FORMATS
    )
    stem = name.rsplit(".", 1)[0][:150] or "photo"
    return Photo(
        name=name,
        sha256=photo.sha256,
        content=ContentFile(photo.data, name=f"{stem}.jpg"),
        width=photo.width,
        height=photo.height,
    )


def read_photos(uploads_) -> list[Photo]:
    uploads_ = list(uploads_)
    if len(uploads_) > max_photos():
        raise ValidationError(
            _("Send at most %(count)d photos.") % {"count": max_photos()}, code="too_many"
        )
    return [read_photo(u) for u in uploads_]
