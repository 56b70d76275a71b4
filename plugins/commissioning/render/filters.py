"""Jinja filters that format for people: money, dates and times the GOV.UK way; and site_url."""

from __future__ import annotations

import functools
from datetime import date, datetime
from decimal import Decimal

from ..load.fields import UK
from .markdown import sanitise


def money(value, pence: bool | None = None) -> str:
    """£12,500 (pence only where there are any, unless asked): '-£40.00' for a refund."""
    if value is None:
        return ""
    return _money(value, pence)


# Pages of payments show the same few thousand amounts and dates hundreds of thousands of times.
# Equal values format alike (Decimal('5') and Decimal('5.00') are both £5), so equal keys may share.
@functools.lru_cache(maxsize=8192)
def _money(value, pence: bool | None) -> str:
    amount = Decimal(value)
    show_pence = pence if pence is not None else amount != amount.to_integral_value()
    text = f"£{abs(amount):,.2f}" if show_pence else f"£{abs(amount):,.0f}"
    return f"-{text}" if amount < 0 else text


def about_money(value) -> str:
    """An estimate as people say it, without false precision: £1.55 million, £188,000, £4,200, £90."""
    if value is None:
        return ""
    amount = abs(Decimal(value))
    sign = "-" if Decimal(value) < 0 else ""
    if amount >= 1_000_000:
        millions = (amount / 1_000_000).quantize(Decimal("0.01"))
        return f"{sign}£{millions.normalize():f} million"
    step = Decimal(1000) if amount >= 10_000 else Decimal(100) if amount >= 1000 else Decimal(10)
    return f"{sign}£{(amount / step).quantize(Decimal(1)) * step:,.0f}"


def uk_date(value: date | datetime | None) -> str:
    """24 November 2026."""
    if value is None:
        return ""
    return _uk_date(value)


@functools.lru_cache(maxsize=8192)
def _uk_date(value: date | datetime) -> str:
    if isinstance(value, datetime):
        value = value.astimezone(UK)
    return f"{value.day} {value:%B %Y}"


def uk_time(value: datetime) -> str:
    """12pm, 9:30am, 11:59pm: GOV.UK style, in UK time."""
    local = value.astimezone(UK)
    if (local.hour, local.minute) == (12, 0):
        return "12pm (midday)"
    if (local.hour, local.minute) == (0, 0):
        return "12am (midnight)"
    hour = local.hour % 12 or 12
    suffix = "am" if local.hour < 12 else "pm"
    return f"{hour}{suffix}" if local.minute == 0 else f"{hour}:{local.minute:02d}{suffix}"


def uk_datetime(value: datetime | None) -> str:
    """12pm UK time on 3 December 2026."""
    if value is None:
        return ""
    return f"{uk_time(value)} UK time on {uk_date(value)}"


def iso(value) -> str:
    return value.isoformat() if value is not None else ""


def months(value: int | None) -> str:
    if value is None:
        return ""
    if value % 12 == 0:
        years = value // 12
        return f"{years} year{'s' if years != 1 else ''}"
    return f"{value} month{'s' if value != 1 else ''}"


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    return f"{count:,} {singular if count == 1 else (plural_form or singular + 's')}"


def yes_no(value: bool | None) -> str:
    return {True: "Yes", False: "No", None: "Not yet confirmed"}[value]


def site_url(path: str, siteurl: str) -> str:
    """A link to a path of this site ("opportunities/" or "/opportunities/") under SITEURL; a full
    http(s) address passes through. A filter, not a macro: the menu calls it seven times on every
    page, and a macro's call cost about as much as the rest of the menu."""
    return path if path.startswith(("http://", "https://")) else f"{siteurl}/{path.lstrip('/')}"


def and_list(items: list[str]) -> str:
    """a, b and c."""
    return " and ".join(items) if len(items) <= 2 else f"{', '.join(items[:-1])} and {items[-1]}"


def days_text(days: int) -> str:
    """How far off a day is: today, tomorrow, in 9 days."""
    return {0: "today", 1: "tomorrow"}.get(days, f"in {days} days")


FILTERS = {
    "money": money,
    "about_money": about_money,
    "uk_date": uk_date,
    "uk_time": uk_time,
    "uk_datetime": uk_datetime,
    "iso": iso,
    "months": months,
    "plural": plural,
    "yes_no": yes_no,
    "sanitise": sanitise,
    "site_url": site_url,
}
