"""Jalali (Solar Hijri) dates for display and for parsing user and page input.

Conventions:

* Aware datetimes are shown in ``tz`` (default Asia/Tehran, UTC+03:30 since Iran dropped
  DST in 2022); a naive datetime raises ``ValueError`` because guessing its zone silently
  shifts times by hours. ``date`` objects are calendar days and are never shifted.
* Parsers return aware UTC datetimes, ready for the database.
* Leap years follow jdatetime (1399, 1403 and 1408 are leap; Esfand has 30 days then,
  29 otherwise).
* Weekdays start on Saturday (index 0), as in Iran and jdatetime.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

import jdatetime

from didban.lib.persian import normalize, to_ascii_digits, to_persian_digits

__all__ = [
    "EN_MONTH_NAMES",
    "EN_WEEKDAY_NAMES",
    "MAX_YEAR",
    "MIN_YEAR",
    "MONTH_NAMES",
    "TEHRAN",
    "WEEKDAY_NAMES",
    "format_for_lang",
    "format_gregorian",
    "format_jalali",
    "format_relative",
    "jalali_month_range",
    "jalali_week_start",
    "parse_jalali",
    "parse_jalali_date",
    "to_jalali",
]

TEHRAN = "Asia/Tehran"

MONTH_NAMES: tuple[str, ...] = (
    "فروردین",
    "اردیبهشت",
    "خرداد",
    "تیر",
    "مرداد",
    "شهریور",
    "مهر",
    "آبان",
    "آذر",
    "دی",
    "بهمن",
    "اسفند",
)

# Saturday first, matching jdatetime's weekday() numbering.
WEEKDAY_NAMES: tuple[str, ...] = (
    "شنبه",
    "یک\u200cشنبه",
    "دوشنبه",
    "سه\u200cشنبه",
    "چهارشنبه",
    "پنج\u200cشنبه",
    "جمعه",
)

# Fixed English names: strftime("%b") depends on the process locale.
EN_MONTH_NAMES: tuple[str, ...] = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
# Monday first, matching datetime.weekday().
EN_WEEKDAY_NAMES: tuple[str, ...] = (
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
)

# Plausible Jalali years (Gregorian 1821-2222). Outside this a "Jalali" input is far more
# likely a Gregorian date typed into the wrong field than a real date.
MIN_YEAR = 1200
MAX_YEAR = 1600

FORMATS = ("date", "datetime", "time", "long", "day", "month")

TzArg = str | tzinfo


def _zone(tz: TzArg) -> tzinfo:
    return ZoneInfo(tz) if isinstance(tz, str) else tz


def _require_aware(value: datetime, name: str = "datetime") -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware; got naive {value.isoformat()}")


def _localize(value: date, tz: TzArg) -> date:
    """Aware datetimes move to ``tz``; plain dates stay as they are."""
    if isinstance(value, datetime):
        _require_aware(value)
        return value.astimezone(_zone(tz))
    return value


def to_jalali(value: date, *, tz: TzArg = TEHRAN) -> jdatetime.date:
    """Convert a Gregorian ``date``/aware ``datetime`` to jdatetime, in ``tz`` for datetimes.

    Returns ``jdatetime.datetime`` for datetimes, ``jdatetime.date`` for dates; jdatetime
    values are accepted too (converted through Gregorian, so zones still apply).
    """
    if isinstance(value, jdatetime.date | jdatetime.datetime):
        value = value.togregorian()
    if isinstance(value, datetime):
        return jdatetime.datetime.fromgregorian(datetime=_localize(value, tz))
    if isinstance(value, date):
        return jdatetime.date.fromgregorian(date=value)
    raise TypeError(f"expected date or datetime, not {type(value).__name__}")


def _check_fmt(fmt: str, value: date) -> None:
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    if fmt in ("datetime", "time") and not isinstance(value, datetime):
        raise ValueError(f"format {fmt!r} needs a datetime, got a date")


def format_jalali(
    value: date,
    fmt: str = "date",
    *,
    persian_digits: bool = True,
    tz: TzArg = TEHRAN,
) -> str:
    """Format as Jalali, e.g. for 2024-02-26T20:55Z:

    date «۱۴۰۲/۱۲/۰۸», datetime «۱۴۰۲/۱۲/۰۸ ۰۰:۲۵», time «۰۰:۲۵», day «۸ اسفند ۱۴۰۲»,
    long «سه‌شنبه ۸ اسفند ۱۴۰۲ ساعت ۰۰:۲۵» (no time part for a date), month «اسفند ۱۴۰۲».
    """
    if isinstance(value, jdatetime.date | jdatetime.datetime):
        value = value.togregorian()
    _check_fmt(fmt, value)
    j = to_jalali(value, tz=tz)
    has_time = isinstance(j, jdatetime.datetime)
    clock = f"{j.hour:02d}:{j.minute:02d}" if has_time else ""
    numeric = f"{j.year:04d}/{j.month:02d}/{j.day:02d}"
    day = f"{j.day} {MONTH_NAMES[j.month - 1]} {j.year}"
    if fmt == "date":
        text = numeric
    elif fmt == "datetime":
        text = f"{numeric} {clock}"
    elif fmt == "time":
        text = clock
    elif fmt == "day":
        text = day
    elif fmt == "month":
        text = f"{MONTH_NAMES[j.month - 1]} {j.year}"
    else:  # long
        text = f"{WEEKDAY_NAMES[j.weekday()]} {day}"
        if has_time:
            text += f" ساعت {clock}"
    return to_persian_digits(text) if persian_digits else text


def format_gregorian(value: date, fmt: str = "date", *, tz: TzArg = TEHRAN) -> str:
    """English-locale counterpart of ``format_jalali``: date «27 Feb 2024»,
    datetime «27 Feb 2024 00:25», time «00:25», day «27 February 2024»,
    long «Tuesday 27 February 2024, 00:25», month «February 2024».
    """
    _check_fmt(fmt, value)
    local = _localize(value, tz)
    has_time = isinstance(local, datetime)
    clock = f"{local.hour:02d}:{local.minute:02d}" if isinstance(local, datetime) else ""
    month = EN_MONTH_NAMES[local.month - 1]
    short = f"{local.day} {month[:3]} {local.year}"
    day = f"{local.day} {month} {local.year}"
    if fmt == "date":
        return short
    if fmt == "datetime":
        return f"{short} {clock}"
    if fmt == "time":
        return clock
    if fmt == "day":
        return day
    if fmt == "month":
        return f"{month} {local.year}"
    text = f"{EN_WEEKDAY_NAMES[local.weekday()]} {day}"
    return f"{text}, {clock}" if has_time else text


def _lang(lang: str) -> str:
    # Accept Django-style codes such as "fa-ir" or "en-us".
    base = lang.lower().replace("_", "-").split("-")[0]
    if base not in ("fa", "en"):
        raise ValueError(f"unsupported language {lang!r}; use 'fa' or 'en'")
    return base


def format_for_lang(value: date, fmt: str = "date", *, lang: str = "fa", tz: TzArg = TEHRAN) -> str:
    """Jalali with Persian digits for ``fa``, Gregorian for ``en``."""
    if _lang(lang) == "fa":
        return format_jalali(value, fmt, tz=tz)
    return format_gregorian(value, fmt, tz=tz)


# --- parsing ------------------------------------------------------------------------

# Month names as ``normalize`` leaves them, plus common spellings without madda.
_MONTH_LOOKUP: dict[str, int] = {normalize(name): i + 1 for i, name in enumerate(MONTH_NAMES)}
_MONTH_LOOKUP.update({"امرداد": 5, "ابان": 8, "اذر": 9})
# normalize() turns ZWNJ into a space; people also write these days with no gap at all.
_WEEKDAY_LOOKUP: dict[str, int] = {
    normalize(name).replace(" ", ""): i for i, name in enumerate(WEEKDAY_NAMES)
}


def _alternation(words: list[str]) -> str:
    # Longest first so a name is never cut short by a shorter prefix.
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_TIME_RE = re.compile(
    r"(?:ساعت\s*)?(?<![\d:])(?P<h>\d{1,2}):(?P<mi>\d{2})(?::(?P<s>\d{2}))?(?![\d:])"
    r"(?:\s*(?P<ampm>ق\.?\s?ظ|ب\.?\s?ظ|am|pm|a\.m\.|p\.m\.))?"
)
_NUMERIC_DATE_RE = re.compile(
    r"(?P<y>\d{4})\s*(?P<sep>[/\-.])\s*(?P<m>\d{1,2})\s*(?P=sep)\s*(?P<d>\d{1,2})"
)
_TEXT_DATE_RE = re.compile(
    rf"(?:(?P<wd>(?:(?:یک|دو|سه|چهار|پنج)\s?)?شنبه|جمعه)\s*[,،]?\s*)?"
    rf"(?P<d>\d{{1,2}})\s*(?P<mn>{_alternation(list(_MONTH_LOOKUP))})\s*[,،]?\s*(?P<y>\d{{4}})"
)
# What may sit between a date and its time: spaces, dashes, commas, bars, ISO "T".
_TAIL_CONNECTOR_RE = re.compile(r"(?:[\s\-–—,،|]|(?<=\d)t)+$")
_HEAD_CONNECTOR_RE = re.compile(r"^[\s\-–—,،|]+")


def _split_time(text: str) -> tuple[str, time | None]:
    match = _TIME_RE.search(text)
    if match is None:
        return text, None
    before = _TAIL_CONNECTOR_RE.sub("", text[: match.start()])
    after = _HEAD_CONNECTOR_RE.sub("", text[match.end() :])
    if before and after:
        raise ValueError("the time must come before or after the whole date, not inside it")
    hour, minute = int(match["h"]), int(match["mi"])
    second = int(match["s"] or 0)
    if ampm := match["ampm"]:
        if not 1 <= hour <= 12:
            raise ValueError(f"hour {hour} is not valid with {ampm!r}")
        pm = ampm.startswith(("ب", "p"))
        hour = hour % 12 + (12 if pm else 0)
    if hour > 23 or minute > 59 or second > 59:
        raise ValueError(f"invalid time {match['h']}:{match['mi']}")
    return before or after, time(hour, minute, second)


def _jalali_day(year: int, month: int, day: int) -> jdatetime.date:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError(f"year {year} is outside {MIN_YEAR}-{MAX_YEAR}; is this a Gregorian date?")
    try:
        return jdatetime.date(year, month, day)
    except ValueError as exc:
        hint = ""
        if month == 12 and day == 30:
            hint = f" ({year} is not a leap year; Esfand has 29 days)"
        raise ValueError(
            f"invalid Jalali date {year:04d}/{month:02d}/{day:02d}: {exc}{hint}"
        ) from exc


def _parse(text: str) -> tuple[jdatetime.date, time | None]:
    if not isinstance(text, str):
        raise TypeError(f"expected str, not {type(text).__name__}")
    cleaned = normalize(text)
    if not cleaned:
        raise ValueError("empty date")
    date_text, clock = _split_time(cleaned)
    if match := _NUMERIC_DATE_RE.fullmatch(date_text):
        return _jalali_day(int(match["y"]), int(match["m"]), int(match["d"])), clock
    if match := _TEXT_DATE_RE.fullmatch(date_text):
        day = _jalali_day(int(match["y"]), _MONTH_LOOKUP[match["mn"]], int(match["d"]))
        if match["wd"]:
            expected = _WEEKDAY_LOOKUP[match["wd"].replace(" ", "")]
            if expected != day.weekday():
                raise ValueError(
                    f"{text.strip()!r}: {day.strftime('%Y/%m/%d')} is a "
                    f"{WEEKDAY_NAMES[day.weekday()]}, not {WEEKDAY_NAMES[expected]}"
                )
        return day, clock
    raise ValueError(f"not a Jalali date: {text.strip()!r}")


def parse_jalali(text: str, *, tz: TzArg = TEHRAN) -> datetime:
    """Parse a Jalali date (and optional time) written in ``tz``; return an aware UTC datetime.

    Accepts «۱۴۰۲/۱۲/۰۸», «1402-12-08», «1402.12.08», «۱۴۰۲/۱۲/۸ ۱۳:۰۵», «13:05 - 1402/12/08»,
    «سه شنبه ۸ اسفند ۱۴۰۲ ساعت ۰۰:۲۵», «۸ اسفند ۱۴۰۲ - ۱۳:۰۵», «۰۱:۳۰ ب.ظ» style times;
    any digits, with or without ZWNJ, Arabic ي/ك. No time means 00:00 local.
    Raises ``ValueError`` for anything else, impossible dates and a weekday that does not
    match the date.
    """
    day, clock = _parse(text)
    local = datetime.combine(day.togregorian(), clock or time(0), tzinfo=_zone(tz))
    return local.astimezone(UTC)


def parse_jalali_date(text: str) -> date:
    """Parse a Jalali calendar day (any time part is ignored); return the Gregorian date."""
    day, _clock = _parse(text)
    return day.togregorian()


def parse_day(text: str | None) -> date | None:
    """A day as people type it in a list filter: Jalali («۱۴۰۲/۱۲/۰۱») or ISO («2024-02-20»),
    in Persian or Latin digits; None when empty or not a day (a filter ignores it)."""
    text = (text or "").strip()[:40]
    if not text:
        return None
    try:
        return date.fromisoformat(to_ascii_digits(text))
    except ValueError:
        pass
    try:
        return parse_jalali_date(text)
    except ValueError:
        return None


def day_start(day: date, *, tz: TzArg = TEHRAN) -> datetime:
    """The moment a calendar day begins in `tz` (Tehran midnight by default), aware."""
    return datetime.combine(day, time.min, tzinfo=_zone(tz))


# --- calendars ----------------------------------------------------------------------


def jalali_month_range(year: int, month: int) -> tuple[date, date]:
    """First and last Gregorian day (inclusive) of Jalali ``year``/``month``."""
    if not 1 <= month <= 12:
        raise ValueError(f"month must be in 1..12, not {month}")
    first = _jalali_day(year, month, 1)
    following = (
        jdatetime.date(year + 1, 1, 1) if month == 12 else jdatetime.date(year, month + 1, 1)
    )
    return first.togregorian(), following.togregorian() - timedelta(days=1)


def jalali_week_start(value: date, *, tz: TzArg = TEHRAN) -> date:
    """The Saturday on or before ``value`` (an aware datetime is taken in ``tz``)."""
    local = _localize(value, tz)
    day = local.date() if isinstance(local, datetime) else local
    # Python counts Monday as 0, so Saturday is 5.
    return day - timedelta(days=(day.weekday() - 5) % 7)


# --- relative times -----------------------------------------------------------------

_UNITS = {
    "minute": ("دقیقه", "minute"),
    "hour": ("ساعت", "hour"),
    "day": ("روز", "day"),
    "month": ("ماه", "month"),
    "year": ("سال", "year"),
}


def _relative_phrase(count: int, unit: str, *, future: bool, lang: str) -> str:
    fa_unit, en_unit = _UNITS[unit]
    if lang == "fa":
        return f"{to_persian_digits(count)} {fa_unit} {'دیگر' if future else 'پیش'}"
    words = f"{count} {en_unit}{'' if count == 1 else 's'}"
    return f"in {words}" if future else f"{words} ago"


def format_relative(
    value: datetime | timedelta,
    now: datetime | None = None,
    *,
    lang: str = "fa",
    tz: TzArg = TEHRAN,
) -> str:
    """Say how long ago ``value`` was: «همین الان», «۵ دقیقه پیش», «۲ ساعت پیش», «دیروز»,
    «۳ روز پیش», «۲ ماه پیش», «۱ سال پیش»; future values use «دیگر» / «فردا».
    ``lang="en"`` gives «just now», «5 minutes ago», «yesterday», «in 2 hours».

    ``value`` is an aware datetime (compared with ``now``, default the current time) or a
    timedelta meaning "this long ago". Past 24 hours, a datetime counts calendar days in
    ``tz``, so 23:00 last night seen at 01:00 is still «۲ ساعت پیش» but 30 hours ago is
    «دیروز».
    """
    lang = _lang(lang)
    calendar_days: int | None = None
    if isinstance(value, timedelta):
        delta = value
    elif isinstance(value, datetime):
        _require_aware(value)
        now = now or datetime.now(UTC)
        _require_aware(now, "now")
        delta = now - value
        zone = _zone(tz)
        calendar_days = abs((now.astimezone(zone).date() - value.astimezone(zone).date()).days)
    else:
        raise TypeError(f"expected datetime or timedelta, not {type(value).__name__}")

    seconds = delta.total_seconds()
    future = seconds < 0
    seconds = abs(seconds)
    if seconds < 60:
        return "همین الان" if lang == "fa" else "just now"
    if seconds < 3600:
        return _relative_phrase(int(seconds // 60), "minute", future=future, lang=lang)
    if seconds < 86400:
        return _relative_phrase(int(seconds // 3600), "hour", future=future, lang=lang)
    # A DST fall-back day is 25 hours long, so never report fewer than one day here.
    days = max(1, calendar_days if calendar_days is not None else int(seconds // 86400))
    if days == 1:
        if lang == "fa":
            return "فردا" if future else "دیروز"
        return "tomorrow" if future else "yesterday"
    if days < 30:
        return _relative_phrase(days, "day", future=future, lang=lang)
    if days < 365:
        return _relative_phrase(days // 30, "month", future=future, lang=lang)
    return _relative_phrase(days // 365, "year", future=future, lang=lang)
