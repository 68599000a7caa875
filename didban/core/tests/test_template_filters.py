"""The date and number filters, table-driven: Jalali with Persian digits in fa, Gregorian with
Latin digits in en; naive datetimes are read as Tehran time; empty values give ""."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.template import Context, Template
from django.utils import translation

from didban.core.templatetags.didban import (
    digits,
    jdate,
    jdatetime,
    jlong,
    jmonth,
    jtime,
    num,
    since,
)

MOMENT = datetime(2024, 2, 26, 20, 55, tzinfo=UTC)  # 00:25 on 8 Esfand 1402 in Tehran
NAIVE = datetime(2024, 2, 26, 20, 55)  # read as Tehran time

CASES = [
    # filter, value, fa, en
    (jdate, MOMENT, "۱۴۰۲/۱۲/۰۸", "27 Feb 2024"),
    (jdate, date(2024, 2, 27), "۱۴۰۲/۱۲/۰۸", "27 Feb 2024"),
    (jdate, date(2025, 3, 20), "۱۴۰۳/۱۲/۳۰", "20 Mar 2025"),  # 1403 is a leap year
    (jdate, date(2025, 3, 21), "۱۴۰۴/۰۱/۰۱", "21 Mar 2025"),  # Nowruz
    (jdatetime, MOMENT, "۱۴۰۲/۱۲/۰۸ ۰۰:۲۵", "27 Feb 2024 00:25"),
    (jdatetime, NAIVE, "۱۴۰۲/۱۲/۰۷ ۲۰:۵۵", "26 Feb 2024 20:55"),
    (jlong, MOMENT, "سه\u200cشنبه ۸ اسفند ۱۴۰۲ ساعت ۰۰:۲۵", "Tuesday 27 February 2024, 00:25"),
    (jtime, MOMENT, "۰۰:۲۵", "00:25"),
    (jmonth, MOMENT, "اسفند ۱۴۰۲", "February 2024"),
    (jdate, None, "", ""),
    (jdate, "", "", ""),
    (jdatetime, None, "", ""),
    (digits, 1234567, "۱۲۳۴۵۶۷", "1234567"),
    (digits, "کد 12-ب", "کد ۱۲-ب", "کد 12-ب"),
    (digits, None, "", ""),
    (digits, Decimal("3.5"), "۳٫۵", "3.5"),
    (num, 1234567, "۱٬۲۳۴٬۵۶۷", "1,234,567"),
    (num, -1200, "-۱٬۲۰۰", "-1,200"),
    (num, 0, "۰", "0"),
    (num, Decimal("12345.5"), "۱۲٬۳۴۵٫۵", "12,345.5"),
    (num, None, "", ""),
]


@pytest.mark.parametrize(("flt", "value", "fa", "en"), CASES)
def test_filter(flt, value, fa, en):
    with translation.override("fa"):
        assert flt(value) == fa
    with translation.override("en"):
        assert flt(value) == en


SINCE = [
    (timedelta(seconds=10), "همین الان", "just now"),
    (timedelta(minutes=5), "۵ دقیقه پیش", "5 minutes ago"),
    (timedelta(hours=2), "۲ ساعت پیش", "2 hours ago"),
    (timedelta(days=3), "۳ روز پیش", "3 days ago"),
]


@pytest.mark.parametrize(("ago", "fa", "en"), SINCE)
def test_since(ago, fa, en):
    with time_machine.travel(MOMENT, tick=False):
        for value in (
            MOMENT - ago,
            (MOMENT - ago).astimezone(UTC).replace(tzinfo=None) + timedelta(hours=3, minutes=30),
        ):
            with translation.override("fa"):
                assert since(value) == fa
            with translation.override("en"):
                assert since(value) == en
    assert since(None) == "" and since("") == ""


def test_filters_in_a_template_follow_the_active_language():
    template = Template("{{ when|jdate }} {{ n|num }} {% localized org %}")

    class Org:
        def display_name(self, language):
            return {"fa": "ستاد کرج", "en": "Karaj HQ"}[language]

    context = {"when": MOMENT, "n": 2500, "org": Org()}
    with translation.override("fa"):
        assert Template.render(template, Context(context)) == "۱۴۰۲/۱۲/۰۸ ۲٬۵۰۰ ستاد کرج"
    with translation.override("en"):
        assert template.render(Context(context)) == "27 Feb 2024 2,500 Karaj HQ"
