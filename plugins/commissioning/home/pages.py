"""The pages that belong to no section: the home page and the 404 page."""

from __future__ import annotations

from ..render.page import Page


def pages(site, files) -> list[Page]:
    """The home page (its lastmod is the newest of every other page's: see sections.pages) and the 404 page."""
    return [
        Page("index.html", "home/home", {"canonical_path": "", "nav_section": "home"}),
        Page("404.html", "home/404", {"nav_section": None}, in_sitemap=False),
    ]
