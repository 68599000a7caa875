"""Uploads: what a file really is (from its bytes, never its name), size limits, checksums,
and the image renditions (EXIF-free public copy, thumbnail). The checks common to every app are
in didban.core.uploads; the newsroom accepts images, video, audio and PDF."""

from __future__ import annotations

import io

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from didban.core import uploads
from didban.core.uploads import Sniffed, sniff

__all__ = [
    "Sniffed",
    "image_renditions",
    "max_bytes",
    "read_upload",
    "rendition_extension",
    "sniff",
]

THUMBNAIL_SIZE = (480, 480)
PUBLIC_MAX_SIZE = (2400, 2400)


def max_bytes(kind: str) -> int:
    """The size limit for a kind of upload (settings UPLOAD_MAX_MB, UPLOAD_VIDEO_MAX_MB)."""
    return uploads.mb(settings.UPLOAD_VIDEO_MAX_MB if kind == "video" else settings.UPLOAD_MAX_MB)


def read_upload(upload) -> tuple[bytes, Sniffed, str]:
    """Check an uploaded file; return its bytes, type and SHA-256, or a translated error."""
    name = uploads.upload_name(upload)
    upload.seek(0)
    sniffed = sniff(upload.read(64))
    if sniffed is None:
        raise ValidationError(
            _(
                "«%(name)s» is not an image, video, audio or PDF file that Didban accepts "
                "(JPEG, PNG, GIF, WebP, MP4, WebM, MP3, OGG, WAV, PDF)."
            )
            % {"name": name},
            code="type",
        )
    data = uploads.read_bytes(upload, limit=max_bytes(sniffed.kind), name=name)
    if sniffed.kind == "image":
        uploads.check_image(data, name=name)
    return data, sniffed, uploads.sha256(data)


def image_renditions(data: bytes) -> tuple[bytes, bytes, int, int]:
    """(public JPEG/PNG without metadata, thumbnail, width, height).

    The public copy is re-encoded from pixels only, so EXIF (GPS, camera, owner) never leaves.
    Transparency is kept (PNG), which is why this is not core's photo re-encoding.
    """
    with Image.open(io.BytesIO(data)) as source:
        image = ImageOps.exif_transpose(source)
        has_alpha = image.mode in ("RGBA", "LA") or (
            image.mode == "P" and "transparency" in image.info
        )
        image = image.convert("RGBA" if has_alpha else "RGB")
        width, height = image.size
        public = image.copy()
        public.thumbnail(PUBLIC_MAX_SIZE)
        thumb = image.copy()
        thumb.thumbnail(THUMBNAIL_SIZE)
    return _encode(public, has_alpha), _encode(thumb, has_alpha), width, height


def _encode(image: Image.Image, has_alpha: bool) -> bytes:
    out = io.BytesIO()
    if has_alpha:
        image.save(out, "PNG", optimize=True)
    else:
        image.save(out, "JPEG", quality=85, optimize=True)
    return out.getvalue()


def rendition_extension(data: bytes) -> str:
    return ".png" if data.startswith(b"\x89PNG") else ".jpg"
