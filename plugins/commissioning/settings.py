"""Settings of the plugin: every one with its default, in one place.

Set any of them in pelicanconf.py; paths are relative to the folder of the settings file.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields
from datetime import datetime
from pathlib import Path

from .load.fields import UK, parse_datetime

DEFAULTS = {
    "COMMISSIONING_ROOT": ".",  # the project folder: data and content paths, and file names in messages, are relative to it
    "COMMISSIONING_DATA_DIR": "data",
    "COMMISSIONING_CLOSING_SOON_DAYS": 14,
    "COMMISSIONING_RECENT_MONTHS": 12,  # closed opportunities listed on the index for this long
    "COMMISSIONING_SPEND_LISTING_THRESHOLD": 500,  # the Specified Information Order's £500
    "COMMISSIONING_PAYMENTS_PER_PAGE": 250,
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
        raise SettingsError(f"SITE_NOW: '{text}' {exc}")


def from_pelican(settings: dict) -> Settings:
    """Our settings out of Pelican's, with defaults filled in and unknown COMMISSIONING_ keys refused."""
    unknown = sorted(k for k in settings if k.startswith("COMMISSIONING_") and k not in DEFAULTS)
    if unknown:
        raise SettingsError(f"unknown setting {', '.join(unknown)}; known settings are {', '.join(DEFAULTS)}")
    value = {k: settings.get(k, default) for k, default in DEFAULTS.items()}
    root = Path(value["COMMISSIONING_ROOT"]).resolve()
    for key in ("COMMISSIONING_CLOSING_SOON_DAYS", "COMMISSIONING_RECENT_MONTHS",
                "COMMISSIONING_SPEND_LISTING_THRESHOLD", "COMMISSIONING_PAYMENTS_PER_PAGE"):
        if not isinstance(value[key], int) or value[key] < 0:
            raise SettingsError(f"{key}: {value[key]!r} must be a whole number, 0 or more")
    return Settings(
        root=root,
        data_dir=root / value["COMMISSIONING_DATA_DIR"],
        content_dir=Path(settings.get("PATH", root / "content")),
        closing_soon_days=value["COMMISSIONING_CLOSING_SOON_DAYS"],
        recent_months=value["COMMISSIONING_RECENT_MONTHS"],
        spend_listing_threshold=value["COMMISSIONING_SPEND_LISTING_THRESHOLD"],
        payments_per_page=value["COMMISSIONING_PAYMENTS_PER_PAGE"],
        now=build_time(value["COMMISSIONING_NOW"]),
        minify=bool(value["COMMISSIONING_MINIFY"]),
        search_index=bool(value["COMMISSIONING_SEARCH_INDEX"]),
        site_url=str(settings.get("SITEURL") or "").rstrip("/"),
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
