"""The pages that belong to no one part: home, the data index and the 404 page."""

from __future__ import annotations

from .downloads import Download
from .pages import Page, newest, page_source


@page_source
def core_pages(site) -> list[Page]:
    return [
        # lastmod: the generator sets it to the newest of every other page's.
        Page("index.html", "home", {"canonical_path": "", "nav_section": "home"}),
        Page("404.html", "404", {"nav_section": None}, in_sitemap=False),
    ]


def data_page(site, downloads: list[Download]) -> Page:
    """/data/ lists every download, so it is made after them."""
    return Page("data/index.html", "data", {"downloads": downloads, "canonical_path": "data/", "nav_section": "data"},
                lastmod=newest(d.lastmod for d in downloads))
