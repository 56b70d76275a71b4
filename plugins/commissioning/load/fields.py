"""Field types of the data contract: each parses text and says, in plain words, how to fix a bad value.

A parser raises ValueError with the advice only; `validate.py` puts the file, line, field and the
value in front of it, so the message reads `'12,5OO' is not an amount in pounds; write ...`.

Every parser reads its value through `_text`, the one text-cleaning step: a control character (other
than a tab or a line break), a Unicode noncharacter or a bidirectional control is refused, naming the
character, and so is a line break in any field but a `MultilineText` one. Amounts are under £1 billion,
whole numbers under a million, and dates between 2000 and 2100, so that no value, however it was
mistyped, can break a later stage.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from pydantic import PlainValidator

from . import codes

UK = ZoneInfo("Europe/London")

# ASCII digits only: `\d` would also take Arabic-Indic and other digits, which Decimal and int accept.
_MONEY = re.compile(r"[0-9]+(?:\.[0-9]{1,2})?")
_SIGNED_MONEY = re.compile(r"-?[0-9]+(?:\.[0-9]{1,2})?")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_DATETIME = re.compile(r"([0-9]{4}-[0-9]{2}-[0-9]{2})[T ]([0-9]{2}):([0-9]{2})(?::([0-9]{2}))?")
_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")
_WHOLE = re.compile(r"[0-9]+")
_URL = re.compile(r"https?://[^\s/?#.]+(?:\.[^\s/?#.]+)+(?::\d+)?(?:[/?#]\S*)?", re.IGNORECASE)
_EMAIL = re.compile(r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_CODE = re.compile(r"[a-z0-9][a-z0-9-]*")
TITLE_LIMIT = 140
MONEY_LIMIT = Decimal(1_000_000_000)  # every amount, and every refund, is under £1 billion
WHOLE_NUMBER_LIMIT = 1_000_000
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2100, 12, 31)  # every date and date-time falls between them


# --- the one text-cleaning step ---------------------------------------------------------------

# Control characters have no name in unicodedata: these are the names the Unicode standard gives them.
_CONTROL_NAMES = dict(enumerate((
    "NULL", "START OF HEADING", "START OF TEXT", "END OF TEXT", "END OF TRANSMISSION", "ENQUIRY",
    "ACKNOWLEDGE", "BELL", "BACKSPACE", "CHARACTER TABULATION", "LINE FEED", "LINE TABULATION",
    "FORM FEED", "CARRIAGE RETURN", "SHIFT OUT", "SHIFT IN", "DATA LINK ESCAPE", "DEVICE CONTROL ONE",
    "DEVICE CONTROL TWO", "DEVICE CONTROL THREE", "DEVICE CONTROL FOUR", "NEGATIVE ACKNOWLEDGE",
    "SYNCHRONOUS IDLE", "END OF TRANSMISSION BLOCK", "CANCEL", "END OF MEDIUM", "SUBSTITUTE", "ESCAPE",
    "INFORMATION SEPARATOR FOUR", "INFORMATION SEPARATOR THREE", "INFORMATION SEPARATOR TWO",
    "INFORMATION SEPARATOR ONE"))) | {0x7F: "DELETE"} | dict(enumerate((
    "PADDING CHARACTER", "HIGH OCTET PRESET", "BREAK PERMITTED HERE", "NO BREAK HERE", "INDEX",
    "NEXT LINE", "START OF SELECTED AREA", "END OF SELECTED AREA", "CHARACTER TABULATION SET",
    "CHARACTER TABULATION WITH JUSTIFICATION", "LINE TABULATION SET", "PARTIAL LINE FORWARD",
    "PARTIAL LINE BACKWARD", "REVERSE LINE FEED", "SINGLE SHIFT TWO", "SINGLE SHIFT THREE",
    "DEVICE CONTROL STRING", "PRIVATE USE ONE", "PRIVATE USE TWO", "SET TRANSMIT STATE",
    "CANCEL CHARACTER", "MESSAGE WAITING", "START OF GUARDED AREA", "END OF GUARDED AREA",
    "START OF STRING", "SINGLE GRAPHIC CHARACTER INTRODUCER", "SINGLE CHARACTER INTRODUCER",
    "CONTROL SEQUENCE INTRODUCER", "STRING TERMINATOR", "OPERATING SYSTEM COMMAND", "PRIVACY MESSAGE",
    "APPLICATION PROGRAM COMMAND"), start=0x80))
# The bidirectional controls: invisible, they change the order in which the text around them is shown.
_BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_LINE_BREAKS = frozenset("\n\r\u2028\u2029")
# Refused in any text: control characters but tab, line feed and carriage return (C0, DELETE, C1);
# the bidirectional controls; the noncharacters (U+FDD0 to U+FDEF, and the last two code points of
# every plane); surrogates, which are halves of a pair, not characters.
_ANYWHERE = (r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
             r"\ufdd0-\ufdef\ud800-\udfff" + "".join(rf"\U{plane:04X}FFFE\U{plane:04X}FFFF" for plane in range(17)))
_REFUSED_IN_LINES = re.compile(f"[{_ANYWHERE}]")
_REFUSED_IN_A_LINE = re.compile(f"[{_ANYWHERE}\\n\\r\\u2028\\u2029]")


def character_name(char: str) -> str:
    """A character as the messages name it: `U+0007 (BELL)`, or `U+FFFE` for one with no name."""
    code = f"U+{ord(char):04X}"
    name = _CONTROL_NAMES.get(ord(char)) or unicodedata.name(char, "")
    return f"{code} ({name})" if name else code


def printable(text: str) -> str:
    """Text with every character `_text` refuses (line breaks too) written as [U+0007]: what a message
    can show of a bad value without a terminal beeping, breaking the line or turning the text round."""
    return _REFUSED_IN_A_LINE.sub(lambda found: f"[U+{ord(found.group()):04X}]", text)


def _refuse(char: str) -> None:
    """Raise the advice for a character that no field may hold (or, in a one-line field, a line break)."""
    if char in _LINE_BREAKS:
        raise ValueError("contains a line break; write it all on one line")
    name = character_name(char)
    if char in _BIDI_CONTROLS:
        raise ValueError(
            f"contains the direction control {name}, which can make text show in a different order "
            "from the order it reads in; delete it (it is invisible: retype the text around it)")
    if ord(char) in _CONTROL_NAMES:
        raise ValueError(f"contains the control character {name}; delete it (it is invisible: retype the text around it)")
    raise ValueError(f"contains {name}, which is not a character at all; delete it (it is invisible: retype the text around it)")


def _text(value: Any, multiline: bool = False) -> str:
    """The one text-cleaning step every parser starts with: a single value, stripped, with no
    character that no field may hold, and no line break unless the field is `multiline`."""
    if isinstance(value, (list, dict)):
        raise ValueError("must be a single value, not a list; write it on one line")
    text = str(value).strip()
    found = (_REFUSED_IN_LINES if multiline else _REFUSED_IN_A_LINE).search(text)
    if found:
        _refuse(found.group())
    return text


def parse_text(value: Any) -> str:
    """Text on one line: a name, an id, a title."""
    text = _text(value)
    if not text:
        raise ValueError("is empty; fill it in")
    return text


def parse_multiline_text(value: Any) -> str:
    """Text that may run over several lines and hold tabs: a description, a summary. Line ends are
    written \\n, however the file ended them."""
    text = _text(value, multiline=True)
    if not text:
        raise ValueError("is empty; fill it in")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _check_day(day: date) -> None:
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ValueError("is outside the years 2000 to 2100; check the year")


def parse_title(value: Any) -> str:
    text = parse_text(value)
    if len(text) >= TITLE_LIMIT:
        raise ValueError(f"is {len(text)} characters long; a title must be under {TITLE_LIMIT} characters, so shorten it")
    return text


def bounded_decimal(value: Any, pattern: re.Pattern, not_a_number: str, too_large: str) -> Decimal:
    """A decimal written as `pattern` allows, under a billion either way: amounts and monitoring figures."""
    text = _text(value)
    if not pattern.fullmatch(text):
        raise ValueError(not_a_number)
    number = Decimal(text)
    if abs(number) >= MONEY_LIMIT:
        raise ValueError(too_large)
    return number


def parse_money(value: Any) -> Decimal:
    return bounded_decimal(value, _MONEY, (
        "is not an amount in pounds; write digits only, for example 12500 or 12500.50 (no £ or commas)"),
        "is too large: an amount must be under £1 billion (1000000000); check for extra digits")


def parse_signed_money(value: Any) -> Decimal:
    return bounded_decimal(value, _SIGNED_MONEY, (
        "is not an amount in pounds; write digits only, for example 1250.00, "
        "with a minus sign for a refund (no £ or commas)"),
        "is too large: an amount must be under £1 billion (1000000000); check for extra digits")


def parse_date(value: Any) -> date:
    text = _text(value)
    if not _DATE.fullmatch(text):
        raise ValueError("is not a date; write it as YYYY-MM-DD, for example 2026-03-31")
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise ValueError("is not a real date; check the day and month, written YYYY-MM-DD, for example 2026-03-31")
    _check_day(day)
    return day


def _uk_datetime(text: str, date_only_time: tuple[int, int] | None) -> datetime:
    match = _DATETIME.fullmatch(text)
    if match:
        day, hour, minute, second = match.groups()
        try:
            naive = datetime.fromisoformat(f"{day}T{hour}:{minute}:{second or '00'}")
        except ValueError:
            raise ValueError("is not a real date and time; write YYYY-MM-DDTHH:MM in UK time, for example 2026-03-31T12:00")
        _check_day(naive.date())  # before any arithmetic: 9999-12-31T23:59 in UK time has no UTC
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
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise ValueError("is not a month; write YYYY-MM, for example 2026-03")
    month = date(int(match.group(1)), int(match.group(2)), 1)
    _check_day(month)
    return month


def parse_whole_number(value: Any) -> int:
    text = _text(value)
    if not _WHOLE.fullmatch(text):
        raise ValueError("is not a whole number; write digits only, for example 36")
    digits = text.lstrip("0") or "0"
    # Compared by length first: int() refuses a number of more than 4,300 digits with its own message.
    if len(digits) > len(str(WHOLE_NUMBER_LIMIT)) or int(digits) >= WHOLE_NUMBER_LIMIT:
        raise ValueError("is too large: a whole number here must be under 1000000; check for extra digits")
    return int(digits)


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
MultilineText = Annotated[str, PlainValidator(parse_multiline_text)]
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


def parse_unit(value: Any) -> str:
    text = " ".join(_text(value).lower().split())
    if text not in codes.UNIT_SPELLINGS:
        raise ValueError(f"is not a unit we know; write one of {', '.join(codes.UNITS)}")
    return codes.UNIT_SPELLINGS[text]


Unit = Annotated[str, PlainValidator(parse_unit)]


# Find a Tender notice ids: the current form (012345-2025) and the one before 2024 (2021/S 000-012345).
FIND_A_TENDER_ID = re.compile(r"\d{6}-\d{4}|\d{4}/S \d{3}-\d{6}")


def parse_find_a_tender(value: Any) -> str:
    text = _text(value)
    if not FIND_A_TENDER_ID.fullmatch(text):
        raise ValueError("is not a Find a Tender notice id; copy it from the notice page, for example 012345-2025")
    return text


FindATenderId = Annotated[str, PlainValidator(parse_find_a_tender)]


def parse_supplier_type(value: Any) -> str:
    # A parser, not a Literal, so that payments keep their fast path (validate.py needs a parser for every column).
    text = _text(value).lower()
    if text not in codes.SUPPLIER_TYPES:
        raise ValueError(f"is not a supplier type; use {', '.join(codes.SUPPLIER_TYPES)} (a person is individual or sole-trader)")
    return text


SupplierType = Annotated[str, PlainValidator(parse_supplier_type)]
