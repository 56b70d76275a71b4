"""Render: which page is written where, with which template and variables.

Each part of the site contributes its pages through a function registered in PAGE_SOURCES, so the
generator writes them all the same way and the sitemap lists them all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Callable, Iterable


@dataclass
class Page:
    save_as: str  # path under output/, e.g. "opportunities/opp-2026-003/index.html"
    template: str  # template name without .html
    variables: dict = field(default_factory=dict)
    lastmod: date | None = None  # when its data last changed, for the sitemap; None: not listed
    in_sitemap: bool = True


PAGE_SOURCES: list[Callable] = []


def page_source(function: Callable) -> Callable:
    PAGE_SOURCES.append(function)
    return function


def all_pages(site) -> list[Page]:
    from . import site_pages  # noqa: F401  (each module registers its page sources on import)

    pages: list[Page] = []
    for source in PAGE_SOURCES:
        pages.extend(source(site))
    return pages


def newest(dates: Iterable[date | None]) -> date | None:
    found = [d for d in dates if d is not None]
    return max(found) if found else None
