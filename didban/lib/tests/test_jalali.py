"""Table-driven tests for didban.lib.jalali (no Django needed)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import jdatetime
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from didban.lib.jalali import (
    MONTH_NAMES,
    WEEKDAY_NAMES,
    day_start,
    format_for_lang,
    format_gregorian,
    format_jalali,
    format_relative,
    jalali_month_range,
    jalali_week_start,
    parse_day,
    parse_jalali,
    parse_jalali_date,
    to_jalali,
)

TEHRAN = ZoneInfo("Asia/Tehran")
# The seed example: Tuesday 8 Esfand 1402, 00:25 in Tehran.
SEED = datetime(2024, 2, 26, 20, 55, tzinfo=UTC)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


# --- facts the rest relies on -------------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "offset_hours"),
    [
        (utc(2024, 2, 26, 20, 55), 3.5),
        (utc(2023, 6, 1), 3.5),  # no DST since 2022
        (utc(2024, 7, 1), 3.5),
        (utc(2021, 6, 1), 4.5),  # DST still existed in 2021
        (utc(2021, 1, 1), 3.5),
    ],
)
def test_tehran_offset(moment: datetime, offset_hours: float) -> None:
    assert moment.astimezone(TEHRAN).utcoffset() == timedelta(hours=offset_hours)


@pytest.mark.parametrize(
    ("year", "leap"),
    [
        (1395, True),
        (1399, True),
        (1400, False),
        (1401, False),
        (1402, False),
        (1403, True),
        (1404, False),
        (1407, False),
        (1408, True),
    ],
)
def test_leap_years_follow_jdatetime(year: int, leap: bool) -> None:
    assert jdatetime.date(year, 1, 1).isleap() is leap


def test_names() -> None:
    assert len(MONTH_NAMES) == 12
    assert MONTH_NAMES[0] == "فروردین"
    assert MONTH_NAMES[-1] == "اسفند"
    assert WEEKDAY_NAMES[0] == "شنبه"
    assert WEEKDAY_NAMES[-1] == "جمعه"


# --- to_jalali --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (SEED, (1402, 12, 8, 0, 25)),
        (utc(2024, 3, 19, 20, 30), (1403, 1, 1, 0, 0)),  # Nowruz midnight in Tehran
        (utc(2024, 3, 19, 20, 29), (1402, 12, 29, 23, 59)),
        (utc(2025, 3, 20, 12, 0), (1403, 12, 30, 15, 30)),  # 30 Esfand of a leap year
        (utc(2021, 6, 1, 0, 0), (1400, 3, 11, 4, 30)),  # DST era
        (datetime(2024, 2, 27, 0, 25, tzinfo=TEHRAN), (1402, 12, 8, 0, 25)),
    ],
)
def test_to_jalali_datetime(value: datetime, expected: tuple[int, ...]) -> None:
    j = to_jalali(value)
    assert isinstance(j, jdatetime.datetime)
    assert (j.year, j.month, j.day, j.hour, j.minute) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (date(2024, 2, 27), (1402, 12, 8)),
        (date(2024, 3, 20), (1403, 1, 1)),
        (date(2025, 3, 20), (1403, 12, 30)),
        (date(2025, 3, 21), (1404, 1, 1)),
        (date(1979, 2, 11), (1357, 11, 22)),
    ],
)
def test_to_jalali_date_is_not_shifted(value: date, expected: tuple[int, int, int]) -> None:
    j = to_jalali(value)
    assert not isinstance(j, jdatetime.datetime)
    assert (j.year, j.month, j.day) == expected


def test_to_jalali_other_zone() -> None:
    j = to_jalali(SEED, tz="UTC")
    assert (j.year, j.month, j.day, j.hour) == (1402, 12, 7, 20)


def test_to_jalali_accepts_jdatetime() -> None:
    assert to_jalali(jdatetime.date(1402, 12, 8)) == jdatetime.date(1402, 12, 8)


@pytest.mark.parametrize("value", [datetime(2024, 2, 27, 0, 25), "1402/12/08", 1709000000])
def test_to_jalali_rejects(value: object) -> None:
    with pytest.raises((ValueError, TypeError)):
        to_jalali(value)  # type: ignore[arg-type]


# --- format_jalali ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "fmt", "expected"),
    [
        (SEED, "date", "۱۴۰۲/۱۲/۰۸"),
        (SEED, "datetime", "۱۴۰۲/۱۲/۰۸ ۰۰:۲۵"),
        (SEED, "time", "۰۰:۲۵"),
        (SEED, "long", "سه\u200cشنبه ۸ اسفند ۱۴۰۲ ساعت ۰۰:۲۵"),
        (SEED, "day", "۸ اسفند ۱۴۰۲"),
        (SEED, "month", "اسفند ۱۴۰۲"),
        (utc(2024, 3, 19, 20, 30), "datetime", "۱۴۰۳/۰۱/۰۱ ۰۰:۰۰"),
        (utc(2024, 3, 19, 20, 30), "long", "چهارشنبه ۱ فروردین ۱۴۰۳ ساعت ۰۰:۰۰"),
        (utc(2024, 10, 22, 9, 35), "long", "سه\u200cشنبه ۱ آبان ۱۴۰۳ ساعت ۱۳:۰۵"),
        (utc(2021, 6, 1, 0, 0), "datetime", "۱۴۰۰/۰۳/۱۱ ۰۴:۳۰"),
        (date(2024, 2, 27), "date", "۱۴۰۲/۱۲/۰۸"),
        (date(2024, 2, 27), "long", "سه\u200cشنبه ۸ اسفند ۱۴۰۲"),
        (date(2024, 2, 27), "day", "۸ اسفند ۱۴۰۲"),
        (date(2024, 2, 27), "month", "اسفند ۱۴۰۲"),
        (date(2024, 12, 21), "month", "دی ۱۴۰۳"),
        (date(2024, 5, 1), "day", "۱۲ اردیبهشت ۱۴۰۳"),
        (jdatetime.date(1402, 12, 8), "date", "۱۴۰۲/۱۲/۰۸"),
    ],
)
def test_format_jalali(value: date, fmt: str, expected: str) -> None:
    assert format_jalali(value, fmt) == expected


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        ("date", "1402/12/08"),
        ("datetime", "1402/12/08 00:25"),
        ("long", "سه\u200cشنبه 8 اسفند 1402 ساعت 00:25"),
    ],
)
def test_format_jalali_ascii_digits(fmt: str, expected: str) -> None:
    assert format_jalali(SEED, fmt, persian_digits=False) == expected


@pytest.mark.parametrize(
    ("day", "weekday"),
    [
        (date(2024, 2, 24), "شنبه"),
        (date(2024, 2, 25), "یک\u200cشنبه"),
        (date(2024, 2, 26), "دوشنبه"),
        (date(2024, 2, 27), "سه\u200cشنبه"),
        (date(2024, 2, 28), "چهارشنبه"),
        (date(2024, 2, 29), "پنج\u200cشنبه"),
        (date(2024, 3, 1), "جمعه"),
    ],
)
def test_weekday_names(day: date, weekday: str) -> None:
    assert format_jalali(day, "long").split(" ")[0] == weekday


def test_format_jalali_other_zone() -> None:
    assert format_jalali(SEED, "datetime", tz="UTC") == "۱۴۰۲/۱۲/۰۷ ۲۰:۵۵"


@pytest.mark.parametrize(
    ("value", "fmt"),
    [
        (datetime(2024, 2, 27, 0, 25), "date"),  # naive
        (date(2024, 2, 27), "time"),  # a date has no time
        (date(2024, 2, 27), "datetime"),
        (SEED, "weekday"),  # unknown format
    ],
)
def test_format_jalali_rejects(value: date, fmt: str) -> None:
    with pytest.raises(ValueError):
        format_jalali(value, fmt)


# --- format_gregorian / format_for_lang ---------------------------------------------------


@pytest.mark.parametrize(
    ("value", "fmt", "expected"),
    [
        (SEED, "date", "27 Feb 2024"),
        (SEED, "datetime", "27 Feb 2024 00:25"),
        (SEED, "time", "00:25"),
        (SEED, "day", "27 February 2024"),
        (SEED, "month", "February 2024"),
        (SEED, "long", "Tuesday 27 February 2024, 00:25"),
        (date(2024, 2, 27), "long", "Tuesday 27 February 2024"),
        (date(2024, 9, 1), "date", "1 Sep 2024"),
        (utc(2024, 12, 31, 21, 0), "datetime", "1 Jan 2025 00:30"),
    ],
)
def test_format_gregorian(value: date, fmt: str, expected: str) -> None:
    assert format_gregorian(value, fmt) == expected


def test_format_gregorian_zone_and_errors() -> None:
    assert format_gregorian(SEED, "datetime", tz="UTC") == "26 Feb 2024 20:55"
    with pytest.raises(ValueError):
        format_gregorian(datetime(2024, 2, 27), "date")
    with pytest.raises(ValueError):
        format_gregorian(date(2024, 2, 27), "time")


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("fa", "۱۴۰۲/۱۲/۰۸ ۰۰:۲۵"),
        ("fa-ir", "۱۴۰۲/۱۲/۰۸ ۰۰:۲۵"),
        ("fa_IR", "۱۴۰۲/۱۲/۰۸ ۰۰:۲۵"),
        ("en", "27 Feb 2024 00:25"),
        ("en-us", "27 Feb 2024 00:25"),
    ],
)
def test_format_for_lang(lang: str, expected: str) -> None:
    assert format_for_lang(SEED, "datetime", lang=lang) == expected


def test_format_for_lang_unknown() -> None:
    with pytest.raises(ValueError):
        format_for_lang(SEED, lang="fr")


# --- parse_jalali ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the seed example, in many spellings
        ("سه شنبه ۸ اسفند ۱۴۰۲ ساعت ۰۰:۲۵", SEED),
        ("سه\u200cشنبه ۸ اسفند ۱۴۰۲ ساعت ۰۰:۲۵", SEED),
        ("سهشنبه ۸ اسفند ۱۴۰۲ ساعت ۰۰:۲۵", SEED),
        ("سه\u00acشنبه ۸ اسفند ۱۴۰۲ ساعت ۰۰:۲۵", SEED),
        ("سه شنبه، ۸ اسفند ۱۴۰۲، ساعت ۰۰:۲۵", SEED),
        ("سه شنبه ٨ اسفند ١٤٠٢ ساعت ٠٠:٢٥", SEED),  # Arabic-Indic digits
        ("سه شنبه 8 اسفند 1402 ساعت 00:25", SEED),
        ("  سه   شنبه ۸  اسفند ۱۴۰۲\nساعت ۰۰:۲۵  ", SEED),
        ("۸ اسفند ۱۴۰۲ ساعت ۰۰:۲۵", SEED),
        ("۸ اسفند ۱۴۰۲ - ۰۰:۲۵", SEED),
        ("۰۸ اسفند ۱۴۰۲ ۰۰:۲۵", SEED),
        ("۰۰:۲۵ - ۱۴۰۲/۱۲/۰۸", SEED),
        ("۱۴۰۲/۱۲/۰۸ ۰۰:۲۵", SEED),
        ("۱۴۰۲/۱۲/۸ ۰۰:۲۵", SEED),
        ("1402-12-08 00:25", SEED),
        ("1402-12-08T00:25", SEED),
        ("1402.12.08 00:25:00", SEED),
        ("۱۴۰۲/۱۲/۰۸ - ۰۰:۲۵", SEED),
        ("۱۴۰۲/۱۲/۰۸ | ۰۰:۲۵", SEED),
        ("۱۲:۲۵ ق.ظ ۱۴۰۲/۱۲/۰۸", SEED),  # 12 AM is midnight
        # date only: midnight in Tehran
        ("۱۴۰۲/۱۲/۰۸", utc(2024, 2, 26, 20, 30)),
        ("1402-12-08", utc(2024, 2, 26, 20, 30)),
        ("1402/12/8", utc(2024, 2, 26, 20, 30)),
        ("۱۴۰۲ / ۱۲ / ۰۸", utc(2024, 2, 26, 20, 30)),
        ("۸ اسفند ۱۴۰۲", utc(2024, 2, 26, 20, 30)),
        ("سه‌شنبه ۸ اسفند ۱۴۰۲", utc(2024, 2, 26, 20, 30)),
        # times of day
        ("۱۴۰۲/۱۲/۸ ۱۳:۰۵", utc(2024, 2, 27, 9, 35)),
        ("۸ اسفند ۱۴۰۲ - ۱۳:۰۵", utc(2024, 2, 27, 9, 35)),
        ("۸ اسفند ۱۴۰۲ - ۰۱:۰۵ ب.ظ", utc(2024, 2, 27, 9, 35)),
        ("۸ اسفند ۱۴۰۲ ۱:۰۵ بظ", utc(2024, 2, 27, 9, 35)),
        ("1402/12/08 1:05 PM", utc(2024, 2, 27, 9, 35)),
        ("1402/12/08 11:05 am", utc(2024, 2, 27, 7, 35)),
        ("1402/12/08 13:05:30", utc(2024, 2, 27, 9, 35, 30)),
        # month names, with Arabic letters and spelling variants
        ("۱ فروردین ۱۴۰۳", utc(2024, 3, 19, 20, 30)),
        ("۱۲ اردیبهشت ۱۴۰۳", utc(2024, 4, 30, 20, 30)),
        ("۱۲ ارديبهشت ۱۴۰۳", utc(2024, 4, 30, 20, 30)),
        ("۱ آبان ۱۴۰۳", utc(2024, 10, 21, 20, 30)),
        ("۱ ابان ۱۴۰۳", utc(2024, 10, 21, 20, 30)),
        ("۱ آذر ۱۴۰۳", utc(2024, 11, 20, 20, 30)),
        ("۱ دی ۱۴۰۳", utc(2024, 12, 20, 20, 30)),
        ("۱ دي ۱۴۰۳", utc(2024, 12, 20, 20, 30)),
        ("۱ امرداد ۱۴۰۳", utc(2024, 7, 21, 20, 30)),
        ("پنجشنبه ۱ شهریور ۱۴۰۳", utc(2024, 8, 21, 20, 30)),
        ("يكشنبه ۱ مهر ۱۴۰۳", utc(2024, 9, 21, 20, 30)),  # Arabic yeh and kaf
        # leap day
        ("۱۴۰۳/۱۲/۳۰", utc(2025, 3, 19, 20, 30)),
        # DST era: Tehran was UTC+4:30 in summer 1400
        ("۱۴۰۰/۰۳/۱۱ ۰۴:۳۰", utc(2021, 6, 1, 0, 0)),
    ],
)
def test_parse_jalali(text: str, expected: datetime) -> None:
    parsed = parse_jalali(text)
    assert parsed == expected
    assert parsed.tzinfo is UTC


def test_parse_jalali_other_zone() -> None:
    assert parse_jalali("1402/12/08 00:25", tz="UTC") == utc(2024, 2, 27, 0, 25)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1402/13/01", "month"),
        ("1402/00/10", "month"),
        ("1402/12/30", "not a leap year"),
        ("1403/12/31", "out of range"),
        ("1402/07/31", "out of range"),  # Mehr has 30 days
        ("1402/01/32", "out of range"),
        ("1402/01/00", "out of range"),
        ("2024-02-27", "Gregorian"),
        ("0999/01/01", "outside"),
        ("دوشنبه ۸ اسفند ۱۴۰۲", "not دوشنبه"),  # wrong weekday
        ("1402/12/08 24:00", "invalid time"),
        ("1402/12/08 12:60", "invalid time"),
        ("1402/12/08 13:05 ب.ظ", "not valid"),
        ("", "empty"),
        ("   \u200c ", "empty"),
        ("hello", "not a Jalali date"),
        ("13:05", "not a Jalali date"),
        ("۸ اسفندیار ۱۴۰۲", "not a Jalali date"),
        ("1402/12", "not a Jalali date"),
        ("02/12/08", "not a Jalali date"),
        ("1402/12-08", "not a Jalali date"),  # mixed separators
        ("۸ اسفند ۱۳:۰۵ ۱۴۰۲", "inside"),
    ],
)
def test_parse_jalali_errors(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_jalali(text)


def test_parse_jalali_rejects_non_text() -> None:
    with pytest.raises(TypeError):
        parse_jalali(14021208)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("۱۴۰۲/۱۲/۰۸", date(2024, 2, 27)),
        ("سه شنبه ۸ اسفند ۱۴۰۲ ساعت ۰۰:۲۵", date(2024, 2, 27)),  # time ignored, no shift
        ("1402-12-08 23:59", date(2024, 2, 27)),
        ("۱ فروردین ۱۴۰۳", date(2024, 3, 20)),
        ("۱۴۰۳/۱۲/۳۰", date(2025, 3, 20)),
        ("1357/11/22", date(1979, 2, 11)),
    ],
)
def test_parse_jalali_date(text: str, expected: date) -> None:
    assert parse_jalali_date(text) == expected


def test_parse_jalali_date_errors() -> None:
    with pytest.raises(ValueError, match="not a leap year"):
        parse_jalali_date("1402/12/30")


# --- round trips ------------------------------------------------------------------------------

# After Iran dropped DST (Sept 2022) every Tehran wall-clock time is unambiguous.
post_dst_moments = st.datetimes(
    min_value=datetime(2022, 10, 1),
    max_value=datetime(2200, 12, 31),
    timezones=st.just(UTC),
).map(lambda d: d.replace(second=0, microsecond=0))


@settings(max_examples=300)
@given(post_dst_moments, st.sampled_from(["datetime", "long"]), st.booleans())
def test_format_parse_round_trip(moment: datetime, fmt: str, persian: bool) -> None:
    text = format_jalali(moment, fmt, persian_digits=persian)
    assert parse_jalali(text) == moment


@settings(max_examples=300)
@given(
    st.dates(min_value=date(1822, 1, 1), max_value=date(2220, 12, 31)),
    st.sampled_from(["date", "long", "day"]),
)
def test_date_round_trip(day: date, fmt: str) -> None:
    assert parse_jalali_date(format_jalali(day, fmt)) == day


@settings(max_examples=200)
@given(st.dates(min_value=date(1822, 1, 1), max_value=date(2220, 12, 31)))
def test_month_range_contains_day(day: date) -> None:
    j = to_jalali(day)
    first, last = jalali_month_range(j.year, j.month)
    assert first <= day <= last
    assert to_jalali(first).day == 1
    assert to_jalali(last + timedelta(days=1)).day == 1
    assert 29 <= (last - first).days + 1 <= 31


@settings(max_examples=200)
@given(st.dates(min_value=date(1822, 1, 1), max_value=date(2220, 12, 31)))
def test_week_start_is_saturday_within_a_week(day: date) -> None:
    start = jalali_week_start(day)
    assert start.weekday() == 5
    assert 0 <= (day - start).days < 7


# --- calendars --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "month", "first", "last"),
    [
        (1403, 1, date(2024, 3, 20), date(2024, 4, 19)),  # 31 days
        (1403, 6, date(2024, 8, 22), date(2024, 9, 21)),  # 31 days
        (1403, 7, date(2024, 9, 22), date(2024, 10, 21)),  # 30 days
        (1403, 11, date(2025, 1, 20), date(2025, 2, 18)),  # 30 days
        (1402, 12, date(2024, 2, 20), date(2024, 3, 19)),  # 29 days, common year
        (1403, 12, date(2025, 2, 19), date(2025, 3, 20)),  # 30 days, leap year
    ],
)
def test_jalali_month_range(year: int, month: int, first: date, last: date) -> None:
    assert jalali_month_range(year, month) == (first, last)


@pytest.mark.parametrize(("year", "month"), [(1403, 0), (1403, 13), (2024, 2)])
def test_jalali_month_range_errors(year: int, month: int) -> None:
    with pytest.raises(ValueError):
        jalali_month_range(year, month)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (date(2024, 2, 24), date(2024, 2, 24)),  # Saturday itself
        (date(2024, 2, 27), date(2024, 2, 24)),
        (date(2024, 3, 1), date(2024, 2, 24)),  # Friday ends the week
        (date(2024, 3, 2), date(2024, 3, 2)),
        (utc(2024, 2, 23, 21, 0), date(2024, 2, 24)),  # Friday in UTC, Saturday in Tehran
    ],
)
def test_jalali_week_start(value: date, expected: date) -> None:
    assert jalali_week_start(value) == expected


def test_jalali_week_start_zone() -> None:
    assert jalali_week_start(utc(2024, 2, 23, 21, 0), tz="UTC") == date(2024, 2, 17)
    with pytest.raises(ValueError):
        jalali_week_start(datetime(2024, 2, 23, 21, 0))


# --- format_relative --------------------------------------------------------------------------

NOW = utc(2024, 2, 27, 9, 0)  # 12:30 in Tehran


@pytest.mark.parametrize(
    ("delta", "fa", "en"),
    [
        (timedelta(seconds=0), "همین الان", "just now"),
        (timedelta(seconds=30), "همین الان", "just now"),
        (timedelta(seconds=59), "همین الان", "just now"),
        (timedelta(seconds=-30), "همین الان", "just now"),  # small clock skew
        (timedelta(minutes=1), "۱ دقیقه پیش", "1 minute ago"),
        (timedelta(minutes=5), "۵ دقیقه پیش", "5 minutes ago"),
        (timedelta(minutes=59, seconds=59), "۵۹ دقیقه پیش", "59 minutes ago"),
        (timedelta(hours=1), "۱ ساعت پیش", "1 hour ago"),
        (timedelta(hours=2), "۲ ساعت پیش", "2 hours ago"),
        (timedelta(hours=23), "۲۳ ساعت پیش", "23 hours ago"),
        (timedelta(hours=25), "دیروز", "yesterday"),
        (timedelta(hours=36), "دیروز", "yesterday"),  # 00:30 yesterday in Tehran
        (timedelta(hours=37), "۲ روز پیش", "2 days ago"),  # 23:30 two days ago
        (timedelta(days=10), "۱۰ روز پیش", "10 days ago"),
        (timedelta(days=29), "۲۹ روز پیش", "29 days ago"),
        (timedelta(days=45), "۱ ماه پیش", "1 month ago"),
        (timedelta(days=200), "۶ ماه پیش", "6 months ago"),
        (timedelta(days=400), "۱ سال پیش", "1 year ago"),
        (timedelta(days=800), "۲ سال پیش", "2 years ago"),
        (timedelta(minutes=-5), "۵ دقیقه دیگر", "in 5 minutes"),
        (timedelta(hours=-3), "۳ ساعت دیگر", "in 3 hours"),
        (timedelta(hours=-25), "فردا", "tomorrow"),
        (timedelta(days=-3), "۳ روز دیگر", "in 3 days"),
    ],
)
def test_format_relative_datetime(delta: timedelta, fa: str, en: str) -> None:
    assert format_relative(NOW - delta, NOW) == fa
    assert format_relative(NOW - delta, NOW, lang="en") == en


@pytest.mark.parametrize(
    ("delta", "fa", "en"),
    [
        (timedelta(seconds=10), "همین الان", "just now"),
        (timedelta(minutes=5), "۵ دقیقه پیش", "5 minutes ago"),
        (timedelta(hours=2), "۲ ساعت پیش", "2 hours ago"),
        (timedelta(hours=30), "دیروز", "yesterday"),
        (timedelta(hours=47), "دیروز", "yesterday"),
        (timedelta(hours=48), "۲ روز پیش", "2 days ago"),
        (timedelta(days=-1), "فردا", "tomorrow"),
    ],
)
def test_format_relative_timedelta(delta: timedelta, fa: str, en: str) -> None:
    assert format_relative(delta) == fa
    assert format_relative(delta, lang="en") == en


def test_format_relative_counts_hours_across_midnight() -> None:
    now = utc(2024, 2, 26, 21, 30)  # 01:00 on 8 Esfand in Tehran
    assert format_relative(utc(2024, 2, 26, 19, 30), now) == "۲ ساعت پیش"  # 23:00 the day before


def test_format_relative_default_now() -> None:
    assert format_relative(datetime.now(UTC) - timedelta(minutes=5)) == "۵ دقیقه پیش"


@pytest.mark.parametrize(
    ("value", "now", "lang", "error"),
    [
        (datetime(2024, 2, 27), NOW, "fa", ValueError),  # naive value
        (NOW, datetime(2024, 2, 27), "fa", ValueError),  # naive now
        (NOW, NOW, "fr", ValueError),
        (date(2024, 2, 27), NOW, "fa", TypeError),
        ("5 minutes", NOW, "fa", TypeError),
    ],
)
def test_format_relative_errors(value: object, now: datetime, lang: str, error: type) -> None:
    with pytest.raises(error):
        format_relative(value, now, lang=lang)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("۱۴۰۲/۱۲/۰۱", date(2024, 2, 20)),
        ("1402/12/01", date(2024, 2, 20)),
        ("2024-02-20", date(2024, 2, 20)),
        ("۲۰۲۴-۰۲-۲۰", date(2024, 2, 20)),
        ("", None),
        (None, None),
        ("فردا", None),
        ("1402/13/01", None),
    ],
)
def test_parse_day_reads_jalali_and_iso_days_and_ignores_the_rest(typed, expected):
    assert parse_day(typed) == expected


def test_day_start_is_tehran_midnight():
    start = day_start(date(2024, 2, 20))
    assert start.utcoffset() == timedelta(hours=3, minutes=30)
    assert start.astimezone(UTC) == datetime(2024, 2, 19, 20, 30, tzinfo=UTC)
