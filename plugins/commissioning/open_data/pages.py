"""/data/: the index of every download, made after every section has made its files."""

from __future__ import annotations

from ..render.page import Page, newest
from .files import Download


def pages(site, files) -> list[Page]:
    """The data page, listing every download in the order the sections made them."""
    downloads = [f for f in files if isinstance(f, Download)]
    return [Page("data/index.html", "open_data/data",
                 {"downloads": downloads, "canonical_path": "data/", "nav_section": "data"},
                 lastmod=newest(d.lastmod for d in downloads))]
