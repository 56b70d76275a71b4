"""A page to write: where, with which template and variables, and when its data last changed.

Each section's pages.py makes a list of these; the Pelican side writes them all the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Iterable


@dataclass
class Page:
    save_as: str  # path under output/, e.g. "opportunities/opp-2026-003/index.html"
    template: str  # template name without .html
    variables: dict = field(default_factory=dict)
    lastmod: date | None = None  # when its data last changed, for the sitemap; None: not listed
    in_sitemap: bool = True



def newest(dates: Iterable[date | None]) -> date | None:
    found = [d for d in dates if d is not None]
    return max(found) if found else None
