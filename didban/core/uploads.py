"""Uploaded files, checked the same way in every app: the type from the bytes (never the name or
the browser's word), a size limit from settings, images opened by Pillow before anything keeps
them, and photos re-encoded so nothing but pixels reaches the disk (no EXIF: GPS, device, owner).

The apps keep their own rules on top: what they accept (newsroom: images, video, audio, PDF;
field: artwork images and PDF, check-in photos; compliance: report photos), their limits and what
they store. Errors are ValidationErrors with a translated message naming the file.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

# A 20000×4000 billboard print file still opens; a decompression bomb does not.
Image.MAX_IMAGE_PIXELS = 80_000_000

# Pillow format → (MIME type, extension) of the images Didban accepts anywhere.
IMAGE_FORMATS = {
    "JPEG": ("image/jpeg", ".jpg"),
    "PNG": ("image/png", ".png"),
    "GIF": ("image/gif", ".gif"),
    "WEBP": ("image/webp", ".webp"),
}
# What a phone's camera gives: the formats of photos (check-ins, violation reports).
PHOTO_FORMATS = frozenset({"JPEG", "PNG", "WEBP"})

EXIF_IFD = 0x8769
DATETIME_ORIGINAL = 36867
OFFSET_TIME_ORIGINAL = 36881

# What Pillow raises for bytes that are not (or no longer) a readable image.
IMAGE_ERRORS = (
    UnidentifiedImageError,
    OSError,
    SyntaxError,
    ValueError,
    Image.DecompressionBombError,
)


@dataclass(frozen=True)
class Sniffed:
    kind: str  # image / video / audio / pdf
    mime: str
    extension: str


def sniff(head: bytes) -> Sniffed | None:
    """The type of a file from its first bytes (magic numbers); None if not one Didban accepts."""
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


def mb(value) -> int:
    """Bytes in a number of megabytes from settings (a fraction is allowed: 0.5 MB)."""
    return int(float(value) * 1024 * 1024)


def upload_name(upload, default: str = "file") -> str:
    return (getattr(upload, "name", "") or default)[-200:]


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def too_big(name: str, limit: int) -> ValidationError:
    megabytes = limit / (1024 * 1024)
    shown = f"{megabytes:.0f}" if megabytes >= 1 else f"{megabytes:.2g}"
    return ValidationError(
        _("«%(name)s» is larger than %(mb)s MB, the limit for this kind of file.")
        % {"name": name, "mb": shown},
        code="size",
    )


def read_bytes(upload, *, limit: int, name: str = "") -> bytes:
    """The bytes of an uploaded file, refusing an empty one or one above `limit` bytes without
    reading more than the limit (the declared size is checked first)."""
    name = name or upload_name(upload)
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise too_big(name, limit)
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise too_big(name, limit)
    if not data:
        raise ValidationError(_("«%(name)s» is empty.") % {"name": name}, code="empty")
    return data


@dataclass(frozen=True)
class ImageInfo:
    format: str  # Pillow's: JPEG, PNG, GIF, WEBP
    mime: str
    extension: str
    width: int
    height: int


def not_an_image(name: str, formats=PHOTO_FORMATS) -> ValidationError:
    """`name` may be empty (bytes without a file name, e.g. a check-in photo)."""
    kinds = ", ".join("WebP" if f == "WEBP" else f for f in sorted(formats))
    if not name:
        message = _("The photo is not an image of a kind Didban accepts here (%(kinds)s).")
    else:
        message = _("«%(name)s» is not an image of a kind Didban accepts here (%(kinds)s).")
    return ValidationError(message % {"name": name, "kinds": kinds}, code="type")


def damaged(name: str) -> ValidationError:
    if not name:
        return ValidationError(
            _("The photo looks like an image but cannot be read; it may be damaged."),
            code="damaged",
        )
    return ValidationError(
        _("«%(name)s» looks like an image but cannot be read; it may be damaged.") % {"name": name},
        code="damaged",
    )


def _unreadable(data: bytes, name: str, formats) -> ValidationError:
    """Bytes Pillow cannot read: damaged when they start like an image, else not an image."""
    sniffed = sniff(data[:64])
    return damaged(name) if sniffed and sniffed.kind == "image" else not_an_image(name, formats)


def check_image(data: bytes, *, name: str, formats=frozenset(IMAGE_FORMATS)) -> ImageInfo:
    """Open the bytes with Pillow and verify them: one of `formats`, undamaged, no bomb."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            kind = image.format
            width, height = image.size
            if kind not in formats:
                raise not_an_image(name, formats)
            image.verify()
    except ValidationError:
        raise
    except IMAGE_ERRORS:
        raise _unreadable(data, name, formats) from None
    mime, extension = IMAGE_FORMATS[kind]
    return ImageInfo(kind, mime, extension, width, height)


def capture_time(image: Image.Image) -> datetime | None:
    """EXIF DateTimeOriginal, in its OffsetTimeOriginal or else the display zone."""
    try:
        exif = image.getexif().get_ifd(EXIF_IFD)
    except Exception:  # a broken EXIF block is no capture time, not an error
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


@dataclass(frozen=True)
class Photo:
    """A photo as kept: a fresh JPEG of the pixels only, and what was read before encoding."""

    data: bytes  # the re-encoded JPEG, without metadata
    sha256: str  # of the bytes as uploaded: what a client's submission id stands for
    width: int
    height: int
    taken_at: datetime | None  # EXIF capture time of the original, if any


def reencode_photo(
    raw: bytes,
    *,
    name: str = "",
    max_side: int = 2048,
    quality: int = 85,
    optimize: bool = False,
    verify: bool = False,
    formats=PHOTO_FORMATS,
) -> Photo:
    """Decode a photo, read its capture time, turn it upright, scale it to `max_side` and save
    a new JPEG: the EXIF block (GPS, device, owner) is not carried over.

    `verify` adds Pillow's structural check (CRCs) before decoding; decoding alone already
    refuses truncated files. The image is transformed in place: no copy of a phone photo more
    than needed (it costs milliseconds on every upload).
    """
    if verify:
        check_image(raw, name=name, formats=formats)
    try:
        with Image.open(io.BytesIO(raw)) as image:
            if image.format not in formats:
                raise not_an_image(name, formats)
            image.load()
            taken_at = capture_time(image)
            ImageOps.exif_transpose(image, in_place=True)
            image.thumbnail((max_side, max_side))
            if image.mode != "RGB":
                image = image.convert("RGB")
            out = io.BytesIO()
            image.save(out, "JPEG", quality=quality, optimize=optimize)
            width, height = image.size
    except ValidationError:
        raise
    except IMAGE_ERRORS:
        raise _unreadable(raw, name, formats) from None
    return Photo(out.getvalue(), sha256(raw), width, height, taken_at)
