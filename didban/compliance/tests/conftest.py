"""Compliance fixtures: the 1402 parliamentary election of Karaj, with periods and candidates."""

from __future__ import annotations

import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from didban.compliance.models import (
    CampaignPeriod,
    Candidate,
    CandidateList,
    Election,
    Rule,
    RuleCategory,
)

TEHRAN = ZoneInfo("Asia/Tehran")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def jpeg(name="photo.jpg", *, exif_gps=False, size=(64, 48)) -> SimpleUploadedFile:
    image = Image.new("RGB", size, (200, 30, 30))
    out = io.BytesIO()
    if exif_gps:
        exif = Image.Exif()
        exif[0x010F] = "PhoneMaker"  # Make
        exif[0x8825] = {1: "N", 2: (35.0, 49.0, 57.0)}  # GPSInfo
        image.save(out, "JPEG", exif=exif)
    else:
        image.save(out, "JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


@pytest.fixture
def election(world):
    election = Election.objects.create(
        org=world.karaj, name="انتخابات مجلس ۱۴۰۲", slug="majlis-1402",
        constituency="کرج، اشتهارد، فردیس و ساوجبلاغ", election_day=date(2024, 3, 1),
    )  # fmt: skip
    CampaignPeriod.objects.create(
        election=election, kind=CampaignPeriod.Kind.ADVERTISING, name="تبلیغات قانونی",
        starts_at=datetime(2024, 2, 22, 0, 0, tzinfo=TEHRAN),
        ends_at=datetime(2024, 2, 29, 8, 0, tzinfo=TEHRAN),
    )  # fmt: skip
    CampaignPeriod.objects.create(
        election=election, kind=CampaignPeriod.Kind.SILENCE, name="سکوت تبلیغاتی",
        starts_at=datetime(2024, 2, 29, 8, 0, tzinfo=TEHRAN),
        ends_at=datetime(2024, 3, 1, 8, 0, tzinfo=TEHRAN),
    )  # fmt: skip
    Rule.objects.create(
        election=election, article="ماده ۶۴", title="اموال عمومی",
        text="نصب پوستر بر دیوار ساختمان‌های دولتی ممنوع است.",
        category=RuleCategory.PUBLIC_PROPERTY,
    )  # fmt: skip
    return election


@pytest.fixture
def candidates(election):
    lst = CandidateList.objects.create(election=election, name="فهرست امید البرز")
    return [
        Candidate.objects.create(
            election=election, name="علی‌اکبر نیک‌نام", code="1234", candidate_list=lst
        ),
        Candidate.objects.create(election=election, name="فاطمه روشن‌دل", code="5678"),
    ]


@pytest.fixture
def fardis_election(world):
    return Election.objects.create(
        org=world.fardis, name="انتخابات فردیس", slug="fardis-1402", election_day=date(2024, 3, 1)
    )
