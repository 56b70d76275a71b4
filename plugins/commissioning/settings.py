"""Settings of the plugin: every one with its default, in one place.

Set any of them in pelicanconf.py; paths are relative to the folder of the settings file.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, fields
from datetime import datetime
from pathlib import Path

from .load.fields import UK, parse_datetime, printable

DEFAULTS = {
    "COMMISSIONING_ROOT": ".",  # the project folder: data and content paths, and file names in messages, are relative to it
    "COMMISSIONING_DATA_DIR": "data",
    "COMMISSIONING_CLOSING_SOON_DAYS": 14,
    "COMMISSIONING_RECENT_MONTHS": 12,  # closed opportunities listed on the index for this long
    "COMMISSIONING_SPEND_LISTING_THRESHOLD": 500,  # the Specified Information Order's £500
    "COMMISSIONING_PAYMENTS_PER_PAGE": 250,
    "COMMISSIONING_PAGE_SIZE": 100,  # rows a listing page shows before it is paginated, and a long table before it is cut short
    "COMMISSIONING_SUPPRESS_BELOW": 5,  # monitoring counts from 1 to this less one are published as "fewer than 5"
    "COMMISSIONING_NOW": None,  # build time; None means the SITE_NOW environment variable, else now
    "COMMISSIONING_MINIFY": True,
    "COMMISSIONING_SEARCH_INDEX": True,
}


@dataclass(frozen=True)
class Settings:
    root: Path
    data_dir: Path
    content_dir: Path
    closing_soon_days: int
    recent_months: int
    spend_listing_threshold: int
    payments_per_page: int
    now: datetime
    minify: bool
    search_index: bool
    page_size: int = 100  # rows of a listing page; longer tables are cut to it and link to the full list
    suppress_below: int = 5  # monitoring counts below it are published as "fewer than <it>"
    site_url: str = ""  # Pelican's SITEURL: feeds, calendars and open data need absolute addresses

    @property
    def public_url(self) -> str:
        """The site's address if it is absolute ('' for a local build): what open data may link to."""
        return self.site_url if self.site_url.startswith(("https://", "http://")) else ""


class SettingsError(ValueError):
    pass


def build_time(value: str | None) -> datetime:
    """The build's clock: pinned by COMMISSIONING_NOW or SITE_NOW (UK local time) so builds are reproducible."""
    text = value or os.environ.get("SITE_NOW")
    if not text:
        return datetime.now(UK).replace(second=0, microsecond=0)
    try:
        return parse_datetime(text)
    except ValueError as exc:
        raise SettingsError(f"SITE_NOW: '{printable(str(text))}' {exc}")


# The whole-number settings and the values each may take (a range, or 0 and a range).
_WHOLE_NUMBERS = {
    "COMMISSIONING_CLOSING_SOON_DAYS": (0, 365),
    "COMMISSIONING_RECENT_MONTHS": (0, 120),
    "COMMISSIONING_SPEND_LISTING_THRESHOLD": (0, 1_000_000),
    "COMMISSIONING_PAYMENTS_PER_PAGE": (10, 100_000),  # or 0: every payment of a month on one page
    "COMMISSIONING_SUPPRESS_BELOW": (2, 100),
    "COMMISSIONING_PAGE_SIZE": (10, 10_000),
}
_YES_NO = ("COMMISSIONING_MINIFY", "COMMISSIONING_SEARCH_INDEX")
_PATHS = ("COMMISSIONING_ROOT", "COMMISSIONING_DATA_DIR")
# An absolute address on the web: http(s), a host (a name, or an IP address, with a port if need be)
# and a path of the characters a URL path may hold, other characters percent-encoded; no space, quote,
# angle bracket or backslash, which could end the attribute, string or element it is written into.
_SITE_URL = re.compile(r"https?://(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?"
                       r"(?:/[A-Za-z0-9._~!$&()*+,;=:@%/-]*)?")


def shown(value) -> str:
    """A setting's value as written in Python, cut short: a number of 5,000 digits has no repr to show."""
    try:
        text = repr(value)
    except ValueError:
        return "a number far too large"
    return text if len(text) <= 60 else text[:57] + "..."


def _whole_number(key: str, value) -> int:
    low, high = _WHOLE_NUMBERS[key]
    if isinstance(value, bool) or not isinstance(value, int):
        raise SettingsError(f"{key}: {shown(value)} must be a whole number, written without quotes, for example {DEFAULTS[key]}")
    if key == "COMMISSIONING_PAYMENTS_PER_PAGE":
        if value != 0 and not low <= value <= high:
            raise SettingsError(f"{key}: {shown(value)} must be 0 (a month's payments on one page) or from {low} to {high}")
    elif not low <= value <= high:
        raise SettingsError(f"{key}: {shown(value)} must be a whole number from {low} to {high}")
    return value


def _yes_no(key: str, value) -> bool:
    if not isinstance(value, bool):
        raise SettingsError(f"{key}: {shown(value)} must be True or False, written without quotes")
    return value


def _path(key: str, value) -> str | os.PathLike:
    if not isinstance(value, (str, os.PathLike)) or not str(value).strip() or "\x00" in str(value):
        raise SettingsError(f"{key}: {shown(value)} must be the path of a folder, written in quotes, for example 'data'")
    return value


def _site_url(value) -> str:
    """Pelican's SITEURL: empty for a local build, else the site's address starting https:// or http://."""
    if value is None or value == "":
        return ""
    if not isinstance(value, str) or not _SITE_URL.fullmatch(value):
        raise SettingsError(
            f"SITEURL: {shown(value)} must be empty or the site's address starting https:// (or http://), with no "
            "spaces, quotes or angle brackets, for example 'https://funding.example.org'")
    return value.rstrip("/")


def from_pelican(settings: dict) -> Settings:
    """Our settings out of Pelican's, with defaults filled in, each checked for its type and range, and
    unknown COMMISSIONING_ keys refused: a SettingsError names the setting and says what it takes."""
    unknown = sorted(k for k in settings if k.startswith("COMMISSIONING_") and k not in DEFAULTS)
    if unknown:
        raise SettingsError(f"unknown setting {', '.join(unknown)}; known settings are {', '.join(DEFAULTS)}")
    value = {k: settings.get(k, default) for k, default in DEFAULTS.items()}
    for key in _WHOLE_NUMBERS:
        _whole_number(key, value[key])
    for key in _YES_NO:
        _yes_no(key, value[key])
    for key in _PATHS:
        _path(key, value[key])
    if value["COMMISSIONING_NOW"] is not None and not isinstance(value["COMMISSIONING_NOW"], str):
        raise SettingsError(f"COMMISSIONING_NOW: {shown(value['COMMISSIONING_NOW'])} must be None or a date and time "
                            "in quotes, for example '2026-11-24T09:00'")
    site_url = _site_url(settings.get("SITEURL"))
    root = Path(value["COMMISSIONING_ROOT"]).resolve()
    return Settings(
        root=root,
        data_dir=root / value["COMMISSIONING_DATA_DIR"],
        content_dir=Path(settings.get("PATH", root / "content")),
        closing_soon_days=value["COMMISSIONING_CLOSING_SOON_DAYS"],
        recent_months=value["COMMISSIONING_RECENT_MONTHS"],
        spend_listing_threshold=value["COMMISSIONING_SPEND_LISTING_THRESHOLD"],
        payments_per_page=value["COMMISSIONING_PAYMENTS_PER_PAGE"],
        now=build_time(value["COMMISSIONING_NOW"]),
        minify=value["COMMISSIONING_MINIFY"],
        search_index=value["COMMISSIONING_SEARCH_INDEX"],
        suppress_below=value["COMMISSIONING_SUPPRESS_BELOW"],
        page_size=value["COMMISSIONING_PAGE_SIZE"],
        site_url=site_url,
    )


_PARSED = "_COMMISSIONING_PARSED"  # where parsed() keeps its result in Pelican's settings dict


def parsed(settings: dict) -> Settings:
    """Our settings for this build, parsed once: the generator and the post-processing share them.

    Pelican hands the same settings dict to every generator and signal of a build, so the result is
    kept in it; a new build reads new settings into a new dict.
    """
    if _PARSED not in settings:
        settings[_PARSED] = from_pelican(settings)
    return settings[_PARSED]
