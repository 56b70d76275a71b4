"""Amounts and dates as finance systems write them: £1,250.00, (1,250.00) or 1,250.00- for a refund, and
31/03/2026 or 31-Mar-26 for a day. Each parser takes the format the mapping names and raises
ValueError with advice, as the data contract's parsers do."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from ..load.fields import FIRST_DAY, LAST_DAY, MONEY_LIMIT

MONTHS = {name: number for number, names in enumerate((
    ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",), ("jun", "june"),
    ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
    ("dec", "december")), start=1) for name in names}
DATE_FORMATS = ("DD/MM/YYYY", "DD/MM/YY", "DD-MM-YYYY", "DD.MM.YYYY", "DD-MMM-YYYY", "DD-MMM-YY", "DD MMM YYYY",
                "YYYY-MM-DD", "MM/DD/YYYY")
_TOKENS = re.compile(r"YYYY|YY|MMM|MM|M|DD|D")
_PIECES = {"YYYY": r"(?P<year>\d{4})", "YY": r"(?P<yy>\d{2})", "MMM": r"(?P<name>[A-Za-z]{3,9})",
           "MM": r"(?P<month>\d{1,2})", "M": r"(?P<month>\d{1,2})", "DD": r"(?P<day>\d{1,2})", "D": r"(?P<day>\d{1,2})"}
_TIME = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"  # a time of midnight after the day, as some exports add


def date_pattern(date_format: str) -> re.Pattern:
    """A mapping's date_format (DD/MM/YYYY, DD-MMM-YY ...) as a pattern; a day or month may have one digit."""
    tokens = _TOKENS.findall(date_format)
    if sorted(t[0] for t in tokens) != ["D", "M", "Y"]:
        raise ValueError(f"'{date_format}' is not a date format; write it with DD, MM (or MMM) and YYYY, for example DD/MM/YYYY")
    parts, last = [], 0
    for found in _TOKENS.finditer(date_format):
        parts.append(re.escape(date_format[last:found.start()]))
        parts.append(_PIECES[found.group()])
        last = found.end()
    parts.append(re.escape(date_format[last:]))
    return re.compile("".join(parts) + _TIME)


def parse_day(value, date_format: str = "DD/MM/YYYY") -> date:
    """A payment date as the export writes it (or a date cell of a workbook)."""
    if isinstance(value, datetime):
        day = value.date()
    elif isinstance(value, date):
        day = value
    else:
        text = str(value or "").strip()
        found = date_pattern(date_format).fullmatch(text)
        if not found:
            raise ValueError(f"is not a date written {date_format}; check the mapping's date_format")
        parts = found.groupdict()
        year = int(parts["year"]) if parts.get("year") else 2000 + int(parts["yy"])
        month = MONTHS.get(parts["name"].lower()) if parts.get("name") else int(parts["month"])
        if month is None:
            raise ValueError("has a month name we do not know; write it as Jan, Feb ... or January, February ...")
        try:
            day = date(year, month, int(parts["day"]))
        except ValueError:
            raise ValueError(f"is not a real date (written {date_format}); check the day and the month")
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ValueError("is outside the years 2000 to 2100; check the year")
    return day


# Pence have two digits at most: 12.500 is refused, not read as £12.50 (a European export's 12,500).
_AMOUNT = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]{1,2})?|[0-9]+(?:\.[0-9]{1,2})?|\.[0-9]{1,2}")


def parse_amount(value) -> Decimal:
    """An amount in pounds as exports write it: 1250, 1,250.00, £1,250.00; a refund as -1,250.00,
    (1,250.00), 1,250.00- or 1,250.00 CR. Whole pence only; under £1 billion."""
    if isinstance(value, bool):
        raise ValueError("is not an amount in pounds")
    if isinstance(value, (int, float, Decimal)):
        amount = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        pence = amount.quantize(Decimal("0.01"))
        if abs(amount - pence) > Decimal("0.000001"):
            raise ValueError("has fractions of a penny; amounts are in pounds and pence")
        return _checked(pence)
    text = str(value or "").replace("\u00a0", " ").strip()
    negative = False
    for suffix in ("CR", "cr", "-"):  # 1,250.00- and 1,250.00 CR: the ledger's way of writing a credit
        if text.endswith(suffix):
            negative, text = True, text[:-len(suffix)].strip()
    while True:  # a minus, brackets and a pound sign, in whichever order the export puts them
        if text.startswith("(") and text.endswith(")"):
            negative, text = True, text[1:-1].strip()
        elif text.startswith("-"):
            negative, text = True, text[1:].strip()
        elif text.startswith(("£", "GBP")):
            text = text.removeprefix("£").removeprefix("GBP").strip()
        else:
            break
    if not _AMOUNT.fullmatch(text):
        raise ValueError("is not an amount in pounds; the import reads 1250.00, 1,250.00, £1,250.00, "
                         "and a refund as -1,250.00 or (1,250.00)")
    try:
        amount = Decimal(text.replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the pattern has checked it
        raise ValueError("is not an amount in pounds")
    if amount != amount.quantize(Decimal("0.01")):
        raise ValueError("has fractions of a penny; amounts are in pounds and pence")
    return _checked(-amount if negative else amount)


def _checked(amount: Decimal) -> Decimal:
    if abs(amount) >= MONEY_LIMIT:
        raise ValueError("is too large: an amount must be under £1 billion; check for extra digits")
    return amount + 0  # -0 is 0


def amount_text(amount: Decimal) -> str:
    """An amount as the payments files write it, in pounds and pence: 1250.00, -75.25 for a refund."""
    return f"{amount + 0:.2f}"
