"""Publication dates as people and tools write them -> (local date, full timestamp or None).

Read: ISO dates and datetimes with or without a zone ("2023-05-10", "2023-05-10T08:30:00+02:00",
"...Z"), RSS and e-mail dates ("Mon, 16 Mar 1987 14:00:00 GMT"), Unix timestamps in seconds or
milliseconds, and whatever dateparser reads ("Mar 16, 1987", "7 April 1987", "03/16/1987").
Ambiguous numeric dates ("03/04/1987") follow `date_order` (MDY unless told otherwise).

The local date is the date where the article was published: the day written in the timestamp's
own zone, not converted to UTC. A value with digits that reads as no date ("2021-13-45", "32/01/2020")
is an error; a value without any digit ("unknown", "n/a") is no date at all.
"""

from __future__ import annotations

import datetime
import email.utils
import re

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
COMPACT_DATE = re.compile(r"^\d{4}[/.]\d{1,2}[/.]\d{1,2}$|^\d{8}$")
UNIX = re.compile(r"^\d{9,13}(?:\.\d+)?$")
RFC_2822 = re.compile(r"^(?:[A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{2,4}\s+\d{1,2}:\d{2}")
DATE_ORDERS = ("DMY", "MDY", "YMD")
EARLIEST, LATEST = datetime.date(1800, 1, 1), datetime.date(2200, 1, 1)


def parse_published(value, date_order: str | None = None) -> tuple[str | None, str | None]:
    """(YYYY-MM-DD, ISO timestamp with zone or None); (None, None) for a value that names no date;
    ValueError for one that means a date that cannot be."""
    if isinstance(value, bool):
        raise ValueError(f"unreadable date {value!r}")
    if isinstance(value, (int, float)):
        return _from_unix(float(value), value)
    text = str(value).strip()
    if not text or not any(ch.isdigit() for ch in text):
        return None, None
    if ISO_DATE.match(text) or COMPACT_DATE.match(text):
        return _checked(_strict_date(text), value), None
    if UNIX.match(text):
        return _from_unix(float(text), value)
    moment = _iso_datetime(text) or _rfc_2822(text) or _dateparser(text, date_order)
    if moment is None:
        raise ValueError(f"unreadable date {text!r}: write it as YYYY-MM-DD")
    day = _checked(moment.date(), value)
    has_time = isinstance(moment, datetime.datetime) and (moment.tzinfo is not None or moment.time() != datetime.time())
    return day, moment.isoformat() if has_time else None


def _checked(day: datetime.date, value) -> str:
    if not EARLIEST <= day < LATEST:
        raise ValueError(f"date {value!r} is out of range (years 1800 to 2199)")
    return day.isoformat()


def _strict_date(text: str) -> datetime.date:
    digits = re.split(r"[-/.]", text) if not text.isdigit() else [text[:4], text[4:6], text[6:]]
    try:
        return datetime.date(*(int(d) for d in digits))
    except ValueError:
        raise ValueError(f"impossible date {text!r}") from None


def _from_unix(seconds: float, value) -> tuple[str, str]:
    if seconds > 1e11:  # milliseconds
        seconds /= 1000
    try:
        moment = datetime.datetime.fromtimestamp(seconds, datetime.UTC)
    except (OverflowError, OSError, ValueError):
        raise ValueError(f"unreadable timestamp {value!r}") from None
    return _checked(moment.date(), value), moment.isoformat()


def _iso_datetime(text: str) -> datetime.datetime | None:
    try:
        return datetime.datetime.fromisoformat(text.replace("Z", "+00:00").replace(" ", "T", 1))
    except ValueError:
        return None


def _rfc_2822(text: str) -> datetime.datetime | None:
    if not RFC_2822.match(text):
        return None
    try:
        return email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None


def _dateparser(text: str, date_order: str | None) -> datetime.datetime | None:
    import dateparser  # slow to import: only for dates the fast paths above do not read

    settings = {"DATE_ORDER": date_order or "MDY", "REQUIRE_PARTS": ["day", "month", "year"],
                "PREFER_DAY_OF_MONTH": "first", "RETURN_AS_TIMEZONE_AWARE": False}
    try:
        return dateparser.parse(text, languages=["en"], settings=settings)
    except Exception:  # dateparser raises a zoo of errors on odd input: an unreadable date
        return None
