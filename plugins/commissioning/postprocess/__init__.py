"""Post-process the written site: sitemap, then minify HTML, then index it for search.

In this order, once every page and file is written:

1. sitemap.xml and robots.txt, from the pages written (sitemap.py);
2. every HTML page minified (minify.py): ours as they are written, the rest (content/'s) here;
3. the site indexed for search (search_index.py).

1 and 2 run on Pelican's `finalized` signal (pelican_side.finish, through `run`). 3 is `index`, which
`cli.build` runs after the process that wrote the pages has ended: Pagefind needs about as much
memory again as the build that wrote the pages, and the two need never be held at once.

A stage that fails raises PostprocessError: a site without its search index is not published.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path

from .. import sections, settings as plugin_settings, timing
from . import sitemap
from .errors import PostprocessError
from .minify import minify_site
from .search_index import SEARCH_DIR, index_site

__all__ = ["PostprocessError", "SEARCH_DIR", "index", "run", "skipped"]

log = logging.getLogger(__name__)


def run(output_path: str, settings: dict, written: Mapping[str, sitemap.Entry | None] | None = None) -> None:
    """The sitemap, then minifying, on the written site in output_path (the search index is `index`).

    written: the sitemap entries of the pages our generator wrote (paths under output/), which are
    not read back; when the settings minify, it wrote them minified, so they are not read again.
    """
    config = plugin_settings.parsed(settings)
    output = Path(output_path)
    skip = skipped(settings)
    with timing.stage("sitemap"):
        listed = sitemap.write(output, settings.get("SITEURL", ""), skip, written)
    log.info("sitemap.xml lists %d pages", listed)
    if config.minify:
        with timing.stage("minify"):
            report = minify_site(output, skip, frozenset(written or ()))
        log.info("minified %d pages from %d to %d bytes (%d saved) in %.2fs",
                 report.pages, report.before, report.after, report.saved, report.seconds)


def index(output_path: str | Path, settings: dict) -> None:
    """The search index of the written site, if the settings ask for one."""
    if plugin_settings.parsed(settings).search_index:
        with timing.stage("search index"):
            pages = index_site(Path(output_path), sections.search_glob())
        log.info("search index holds %d pages", pages)


def skipped(settings: dict) -> tuple[str, ...]:
    """Folders under output/ that hold no pages of ours: the search bundle and the theme's files."""
    return (SEARCH_DIR, settings.get("THEME_STATIC_DIR", "theme"))
