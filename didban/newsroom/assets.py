"""Uploads: what a file really is (from its bytes, never its name), size limits, checksums,
and the image renditions (EXIF-free public copy, thumbnail)."""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

THUMBNAIL_SIZE = (480, 480)
PUBLIC_MAX_SIZE = (2400, 2400)
Image.MAX_IMAGE_PIXELS = 80_000_000  # refuse decompression bombs


def max_bytes(kind: str) -> int:
    """The size limit for a kind of upload (settings UPLOAD_MAX_MB, UPLOAD_VIDEO_MAX_MB)."""
    mb = settings.UPLOAD_VIDEO_MAX_MB if kind == "video" else settings.UPLOAD_MAX_MB
    return int(float(mb) * 1024 * 1024)


@dataclass(frozen=True)
class Sniffed:
    kind: str  # image / video / audio / pdf
    mime: str
    extension: str


def sniff(head: bytes) -> Sniffed | None:
    """The type of a file from its first bytes (magic numbers); None if not one we accept."""
    if head.startswith(b"\xff\xd8\xff"):
        return Sniffed("image", "image/jpeg", ".jpg")
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return Sniffed("image", "image/png", ".png")
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return Sniffed("image", "image/gif", ".gif")
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return Sniffed("image", "image/webp", ".webp")
    if head.startswith(b"%PDF-"):
        return Sniffed("pdf", "application/pdf", ".pdf")
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in (b"M4A ", b"M4B "):
            return Sniffed("audio", "audio/mp4", ".m4a")
        if brand == b"qt  ":
            return Sniffed("video", "video/quicktime", ".mov")
        return Sniffed("video", "video/mp4", ".mp4")
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return Sniffed("video", "video/webm", ".webm")
    if head[:4] == b"RIFF" and head[8:12] == b"AVI ":
        return Sniffed("video", "video/x-msvideo", ".avi")
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return Sniffed("audio", "audio/wav", ".wav")
    if head.startswith(b"OggS"):
        return Sniffed("audio", "audio/ogg", ".ogg")
    if head.startswith(b"ID3") or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0):
        return Sniffed("audio", "audio/mpeg", ".mp3")
    return None


def read_upload(upload) -> tuple[bytes, Sniffed, str]:
    """Check an uploaded file; return its bytes, type and SHA-256, or a translated error."""
    name = getattr(upload, "name", "") or "file"
    size = getattr(upload, "size", None)
    upload.seek(0)
    head = upload.read(64)
    sniffed = sniff(head)
    if sniffed is None:
        raise ValidationError(
            _(
                "«%(name)s» is not an image, video, audio or PDF file that Didban accepts "
                "(JPEG, PNG, GIF, WebP, MP4, WebM, MP3, OGG, WAV, PDF)."
            )
            % {"name": name},
            code="type",
        )
    limit = max_bytes(sniffed.kind)
    if size is not None and size > limit:
        raise ValidationError(_too_big(name, limit), code="size")
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise ValidationError(_too_big(name, limit), code="size")
    if not data:
        raise ValidationError(_("«%(name)s» is empty.") % {"name": name}, code="empty")
    if sniffed.kind == "image":
        try:
            with Image.open(io.BytesIO(data)) as image:
                image.verify()
        except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError):
            raise ValidationError(
                _("«%(name)s» looks like an image but cannot be read; it may be damaged.")
                % {"name": name},
                code="damaged",
            ) from None
    return data, sniffed, hashlib.sha256(data).hexdigest()


def _too_big(name: str, limit: int) -> str:
    return _("«%(name)s» is larger than %(mb)s MB, the limit for this kind of file.") % {
        "name": name,
        "mb": limit // (1024 * 1024),
    }


def image_renditions(data: bytes) -> tuple[bytes, bytes, int, int]:
    """(public JPEG/PNG without metadata, thumbnail, width, height).

    The public copy is re-encoded from pixels only, so EXIF (GPS, camera, owner) never leaves.
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
