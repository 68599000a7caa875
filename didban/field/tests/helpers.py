"""Builders for field tests: real JPEGs (with EXIF capture time), designs, sites, windows."""

from __future__ import annotations

import io
from datetime import date, datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from didban.field import actions
from didban.field.models import Site
from didban.places.models import Place
from didban.testing import PlaceFactory


def jpeg_bytes(*, taken: datetime | None = None, color=(200, 30, 30), size=(64, 48)) -> bytes:
    img = Image.new("RGB", size, color)
    out = io.BytesIO()
    exif = Image.Exif()
    if taken is not None:
        exif.get_ifd(0x8769)[36867] = taken.strftime("%Y:%m:%d %H:%M:%S")
        if taken.tzinfo is not None:
            offset = taken.strftime("%z")
            exif.get_ifd(0x8769)[36881] = f"{offset[:3]}:{offset[3:]}"
    img.save(out, "JPEG", exif=exif)
    return out.getvalue()


def jpeg(name="photo.jpg", **kwargs) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, jpeg_bytes(**kwargs), content_type="image/jpeg")


def pdf(name="art.pdf") -> SimpleUploadedFile:
    body = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def approved_design(actor, org, title="طرح مشارکت حداکثری", approver=None):
    design = actions.do_create_design(actor=actor, org=org, title=title, upload=jpeg())
    return actions.do_review_design(actor=approver or actor, design=design, approve=True)


def city(world, name="کرج", code="3001011590", lat="35.832660", lon="50.991550"):
    return Place.objects.filter(code=code).first() or PlaceFactory(
        code=code, kind=Place.Kind.CITY, name_fa=name, parent=world.karaj_place,
        latitude=lat, longitude=lon,
    )  # fmt: skip


def site(
    actor, world, name="بیلبورد میدان آزادی", place=None, lat="35.832660", lon="50.991550", org=None
):
    return actions.do_create_site(
        actor=actor, org=org or world.karaj_info, name=name, kind=Site.Kind.BILLBOARD,
        place=place or city(world), latitude=lat, longitude=lon,
    )  # fmt: skip


def window(
    actor, world, name="بهمن ۱۴۰۲", starts=date(2024, 1, 21), ends=date(2024, 2, 19), org=None, **kw
):
    return actions.do_create_window(
        actor=actor, org=org or world.karaj_info, name=name, starts_on=starts, ends_on=ends, **kw
    )
