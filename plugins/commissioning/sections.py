"""The sections of the site, in order: each makes its files, then its pages, from the derived site.

A section is a folder with the same modules for the same jobs: `pages.py` (its pages) and
`downloads.py` (its open-data files), plus whatever else it publishes (a feed, calendars, the
360Giving files), each with a `files(site, files_so_far)` function. Adding a section is a folder and
a line here. Open data comes last: the data page lists, and datapackage.json describes, every file
the sections before it made.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from . import timing
from .funded_services import downloads as funded_services_downloads, pages as funded_services_pages
from .funded_services import threesixtygiving
from .home import pages as home_pages, state as home_state
from .open_data import datapackage, ocds, workbook, pages as open_data_pages
from .forward_plan import downloads as forward_plan_downloads, pages as forward_plan_pages
from .opportunities import alerts, calendars, downloads as opportunities_downloads, feed, pages as opportunities_pages
from .outcomes import downloads as outcomes_downloads, pages as outcomes_pages
from .open_data.files import OutputFile
from .render.page import Page, newest
from .search import pages as search_pages
from .spend import downloads as spend_downloads, pages as spend_pages
from .transparency import downloads as transparency_downloads, pages as transparency_pages

PageMaker = Callable[..., list[Page]]  # (site, files) -> pages
FileMaker = Callable[..., list[OutputFile]]  # (site, files_so_far) -> files


@dataclass(frozen=True)
class Section:
    name: str
    pages: PageMaker
    files: tuple[FileMaker, ...] = ()
    # The record pages it marks for search (data-pagefind-body), as globs under output/: the search
    # index reads only these and the site's top-level pages, not the thousands of listing pages.
    search: tuple[str, ...] = ()
    # (site, files, save_as paths) -> only those records' pages, for the live preview, which writes
    # an edited record's page first; without one it makes all the section's pages and picks.
    record_pages: PageMaker | None = None


# Every section's own top-level page and content/'s pages (/about/): searchable or not, a page Pagefind
# is shown without data-pagefind-body is left out, so a few extra here cost nothing.
TOP_LEVEL_PAGES = ("*/index.html",)


SECTIONS: tuple[Section, ...] = (
    Section("home", home_pages.pages, (home_state.files,)),
    Section("opportunities", opportunities_pages.pages,
            (opportunities_downloads.files, calendars.files, feed.files, alerts.files),
            search=("opportunities/*/index.html",)),
    Section("funded_services", funded_services_pages.pages,
            (funded_services_downloads.files, threesixtygiving.files, ocds.files),
            search=("funded-services/*/index.html", "providers/*/index.html", "funding-streams/*/index.html",
                    "priorities/*/index.html"),
            record_pages=funded_services_pages.record_pages),
    Section("spend", spend_pages.pages, (spend_downloads.files,)),
    Section("outcomes", outcomes_pages.pages, (outcomes_downloads.files,)),
    Section("transparency", transparency_pages.pages, (transparency_downloads.files,)),
    Section("forward_plan", forward_plan_pages.pages, (forward_plan_downloads.files,)),
    Section("search", search_pages.pages),
    Section("open_data", open_data_pages.pages, (workbook.files, datapackage.files)),
)


def search_glob(sections: tuple[Section, ...] = SECTIONS) -> str:
    """The one glob (Pagefind's --glob) of every page that may be marked for search."""
    globs = [*TOP_LEVEL_PAGES, *(glob for section in sections for glob in section.search)]
    return "{" + ",".join(globs) + "}"


def files(site, sections: tuple[Section, ...] = SECTIONS) -> list[OutputFile]:
    """Every section's files, in order; each file maker sees the files made before it."""
    made: list[OutputFile] = []
    for section in sections:
        with timing.stage("files", section.name):
            for maker in section.files:
                made.extend(maker(site, made))
    return made


def pages(site, made: list[OutputFile], sections: tuple[Section, ...] = SECTIONS) -> list[Page]:
    """Every section's pages, in order. The home page changes whenever any other page does."""
    listed: list[Page] = []
    for section in sections:
        with timing.stage("pages", section.name):
            listed.extend(section.pages(site, made))
    home = next(p for p in listed if p.save_as == "index.html")
    home.lastmod = newest(p.lastmod for p in listed if p is not home)
    return listed
