"""Field types of the data contract: each parses text and says, in plain words, how to fix a bad value.

A parser raises ValueError with the advice only; `validate.py` puts the file, line, field and the
value in front of it, so the message reads `'12,5OO' is not an amount in pounds; write ...`.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from pydantic import PlainValidator

UK = ZoneInfo("Europe/London")

_MONEY = re.compile(r"\d+(?:\.\d{1,2})?")
_SIGNED_MONEY = re.compile(r"-?\d+(?:\.\d{1,2})?")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATETIME = re.compile(r"(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?")
_MONTH = re.compile(r"(\d{4})-(\d{2})")
_WHOLE = re.compile(r"\d+")
_URL = re.compile(r"https?://[^\s/?#.]+(?:\.[^\s/?#.]+)+(?::\d+)?(?:[/?#]\S*)?", re.IGNORECASE)
_EMAIL = re.compile(r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_CODE = re.compile(r"[a-z0-9][a-z0-9-]*")
TITLE_LIMIT = 140


def _text(value: Any) -> str:
    if isinstance(value, (list, dict)):
        raise ValueError("must be a single value, not a list; write it on one line")
    return str(value).strip()


def parse_text(value: Any) -> str:
    text = _text(value)
    if not text:
        raise ValueError("is empty; fill it in")
    return text


def parse_title(value: Any) -> str:
    text = parse_text(value)
    if len(text) >= TITLE_LIMIT:
        raise ValueError(f"is {len(text)} characters long; a title must be under {TITLE_LIMIT} characters, so shorten it")
    return text


def parse_money(value: Any) -> Decimal:
    text = _text(value)
    if not _MONEY.fullmatch(text):
        raise ValueError("is not an amount in pounds; write digits only, for example 12500 or 12500.50 (no £ or commas)")
    return Decimal(text)


def parse_signed_money(value: Any) -> Decimal:
    text = _text(value)
    if not _SIGNED_MONEY.fullmatch(text):
        raise ValueError(
            "is not an amount in pounds; write digits only, for example 1250.00, "
            "with a minus sign for a refund (no £ or commas)"
        )
    return Decimal(text)


def parse_date(value: Any) -> date:
    text = _text(value)
    try:
        if _DATE.fullmatch(text):
            return date.fromisoformat(text)
    except ValueError:
        raise ValueError("is not a real date; check the day and month, written YYYY-MM-DD, for example 2026-03-31")
    raise ValueError("is not a date; write it as YYYY-MM-DD, for example 2026-03-31")


def _uk_datetime(text: str, date_only_time: tuple[int, int] | None) -> datetime:
    match = _DATETIME.fullmatch(text)
    if match:
        day, hour, minute, second = match.groups()
        try:
            naive = datetime.fromisoformat(f"{day}T{hour}:{minute}:{second or '00'}")
        except ValueError:
            raise ValueError("is not a real date and time; write YYYY-MM-DDTHH:MM in UK time, for example 2026-03-31T12:00")
    elif date_only_time and _DATE.fullmatch(text):
        naive = datetime.combine(parse_date(text), datetime.min.time()).replace(
            hour=date_only_time[0], minute=date_only_time[1])
    else:
        raise ValueError("is not a date and time; write YYYY-MM-DDTHH:MM in UK time, for example 2026-03-31T12:00")
    aware = naive.replace(tzinfo=UK)
    # A wall-clock time that the spring clock change skips does not survive a round trip through UTC.
    if aware.astimezone(ZoneInfo("UTC")).astimezone(UK).replace(tzinfo=None) != naive:
        raise ValueError("does not exist in UK time (the clocks go forward that night); choose another time")
    return aware


def parse_datetime(value: Any) -> datetime:
    return _uk_datetime(_text(value), None)


def parse_opening(value: Any) -> datetime:
    """A date alone opens at the start of the day."""
    return _uk_datetime(_text(value), (0, 0))


def parse_closing(value: Any) -> datetime:
    """A date alone closes at 23:59 that day."""
    return _uk_datetime(_text(value), (23, 59))


def parse_month(value: Any) -> date:
    text = _text(value)
    match = _MONTH.fullmatch(text)
    if match and 1 <= int(match.group(2)) <= 12:
        return date(int(match.group(1)), int(match.group(2)), 1)
    raise ValueError("is not a month; write YYYY-MM, for example 2026-03")


def parse_whole_number(value: Any) -> int:
    text = _text(value)
    if not _WHOLE.fullmatch(text):
        raise ValueError("is not a whole number; write digits only, for example 36")
    return int(text)


def parse_url(value: Any) -> str:
    text = _text(value)
    if not _URL.fullmatch(text):
        raise ValueError("is not a web address; write it in full starting https://, for example https://www.example.org/page")
    return text


def parse_email(value: Any) -> str:
    text = _text(value).removeprefix("mailto:")
    if not _EMAIL.fullmatch(text):
        raise ValueError("is not an email address; write it like commissioning@example.org")
    return text


def parse_code(value: Any) -> str:
    text = _text(value)
    if not _CODE.fullmatch(text):
        raise ValueError("is not a code; use lower-case letters, digits and hyphens, for example community-safety")
    return text


def parse_yes_no(value: Any) -> bool | None:
    text = _text(value).lower()
    if text in ("yes", "no"):
        return text == "yes"
    if not text:
        return None
    raise ValueError("must be yes, no, or left empty if not yet confirmed")


def parse_list(value: Any) -> list[str]:
    """A `;`-separated CSV cell, or a YAML list of single values."""
    if isinstance(value, list):
        items = [_text(v) for v in value if v is not None]
    else:
        items = _text(value).split(";")
    return [item.strip() for item in items if item and item.strip()]


def as_list(value: Any) -> list[Any]:
    """A YAML list of mappings; anything else is a clear error rather than a crash."""
    if not isinstance(value, list):
        raise ValueError("must be a list, each item on its own line starting with '- '")
    return value


Text = Annotated[str, PlainValidator(parse_text)]
Title = Annotated[str, PlainValidator(parse_title)]
Money = Annotated[Decimal, PlainValidator(parse_money)]
SignedMoney = Annotated[Decimal, PlainValidator(parse_signed_money)]
IsoDate = Annotated[date, PlainValidator(parse_date)]
UKDateTime = Annotated[datetime, PlainValidator(parse_datetime)]
Opening = Annotated[datetime, PlainValidator(parse_opening)]
Closing = Annotated[datetime, PlainValidator(parse_closing)]
Month = Annotated[date, PlainValidator(parse_month)]
WholeNumber = Annotated[int, PlainValidator(parse_whole_number)]
Url = Annotated[str, PlainValidator(parse_url)]
Email = Annotated[str, PlainValidator(parse_email)]
Code = Annotated[str, PlainValidator(parse_code)]
YesNo = Annotated[bool | None, PlainValidator(parse_yes_no)]
TextList = Annotated[list[str], PlainValidator(parse_list)]


def financial_year_of(day: date) -> str:
    """The UK financial year (1 April to 31 March) a day falls in, written 2025-26."""
    start = day.year if day.month >= 4 else day.year - 1
    return f"{start}-{(start + 1) % 100:02d}"


def financial_year_bounds(label: str) -> tuple[date, date] | None:
    """First and last day of a financial year written 2025-26, or None if it is not one."""
    match = re.fullmatch(r"(\d{4})-(\d{2})", label)
    if not match or (int(match.group(1)) + 1) % 100 != int(match.group(2)):
        return None
    start = int(match.group(1))
    return date(start, 4, 1), date(start + 1, 4, 1) - timedelta(days=1)


def utc(moment: datetime) -> datetime:
    """Compare and subtract in UTC: aware datetimes sharing one tzinfo compare by wall clock, which is
    wrong in the hour the clocks go back."""
    return moment.astimezone(timezone.utc)


def start_of(day: date) -> datetime:
    """Midnight at the start of a day, UK time."""
    return datetime.combine(day, time(), UK)


def months_before(moment: datetime, count: int) -> datetime:
    """The same time `count` calendar months earlier (31 March less one month is 28 or 29 February)."""
    index = moment.year * 12 + moment.month - 1 - count
    year, month = divmod(index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)
