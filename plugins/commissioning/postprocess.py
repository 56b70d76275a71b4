"""Post-process the written site: sitemap, then minify HTML, then index it for search.

In this order, once every page and file is written:

1. sitemap.xml and robots.txt, from the pages written (sitemap.py);
2. every HTML page minified with minify-html, keeping it valid HTML (COMMISSIONING_MINIFY);
3. the site indexed for search with Pagefind, last, so the index holds the pages as published
   (COMMISSIONING_SEARCH_INDEX). Pagefind writes its bundle into output/pagefind/, which no
   stage touches.

1 and 2 run on Pelican's `finalized` signal (hooks.finish, through `run`). 3 is `index`, which
`cli.build` runs after the process that wrote the pages has ended: Pagefind needs about as much
memory again as the build that wrote the pages, and the two need never be held at once.

A stage that fails raises PostprocessError: a site without its search index is not published.
"""

from __future__ import annotations

import json
import logging
import multiprocessing
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import minify_html

from . import settings as plugin_settings
from . import sitemap
from .workers import cores

log = logging.getLogger(__name__)

SEARCH_DIR = "pagefind"  # Pagefind's bundle, under output/: the search page imports it from here
PAGEFIND = [sys.executable, "-m", "pagefind"]  # from PyPI's pagefind[bin], in requirements.txt

# minify-html drops optional tags (</p>, </li>, <head>) unless told to keep them; we keep them so
# every page parses the same in every HTML parser, including Python's. The doctype stays
# `<!doctype html>` (minify_doctype would write `<!doctypehtml>`, which is not valid), and
# attribute values stay spec-compliant.
MINIFY_OPTIONS = {
    "keep_closing_tags": True,
    "keep_html_and_head_opening_tags": True,
    "minify_css": True,
    "minify_js": False,  # pages hold no inline script (the CSP forbids it)
    "minify_doctype": False,
    "allow_noncompliant_unquoted_attribute_values": False,
    "allow_removing_spaces_between_attributes": False,
    "allow_optimal_entities": False,
    "keep_comments": False,
}


# minify-html drops the whitespace between </dt> and <dd>, which no browser shows; but Pagefind
# joins the text of a term and its definition unless something separates them ("Funding
# streamMinistry of Justice"), so a line break goes back after each.
_TERM_OR_DEFINITION_END = re.compile(r"</(dt|dd)>(?=<)")


class PostprocessError(RuntimeError):
    """A stage after writing failed; the site is incomplete and must not be published."""


@dataclass
class MinifyReport:
    pages: int = 0
    before: int = 0  # bytes
    after: int = 0
    seconds: float = 0.0

    @property
    def saved(self) -> int:
        return self.before - self.after


def run(output_path: str, settings: dict) -> None:
    """The sitemap, then minifying, on the written site in output_path (the search index is `index`)."""
    config = plugin_settings.from_pelican(settings)
    output = Path(output_path)
    skip = _skipped(settings)
    listed = sitemap.write(output, settings.get("SITEURL", ""), skip)
    log.info("sitemap.xml lists %d pages", listed)
    if config.minify:
        report = minify_site(output, skip)
        log.info("minified %d pages from %d to %d bytes (%d saved) in %.2fs",
                 report.pages, report.before, report.after, report.saved, report.seconds)


def index(output_path: str | Path, settings: dict) -> None:
    """The search index of the written site, if the settings ask for one."""
    if plugin_settings.from_pelican(settings).search_index:
        pages = index_site(Path(output_path), _skipped(settings))
        log.info("search index holds %d pages", pages)


def _skipped(settings: dict) -> tuple[str, ...]:
    """Folders under output/ that hold no pages of ours: the search bundle and the theme's files."""
    return (SEARCH_DIR, settings.get("THEME_STATIC_DIR", "theme"))


def minify(html: str) -> str:
    return _TERM_OR_DEFINITION_END.sub(r"</\1>\n", minify_html.minify(html, **MINIFY_OPTIONS))


# Pages per batch handed to a minifying worker, and the fewest pages worth starting workers for:
# starting one costs about a third of a second, which a few thousand pages repay.
MINIFY_BATCH = 250
PARALLEL_FROM = 2000


def minify_site(output: Path, skip: tuple[str, ...]) -> MinifyReport:
    """Minify every HTML page in place (not the search bundle or the theme's static files).

    A large site is minified on every core: each page stands alone, and minifying was a fifth of the
    build's time on one core.
    """
    started = time.perf_counter()
    pages = sitemap.html_pages(output, skip)
    batches = [pages[i:i + MINIFY_BATCH] for i in range(0, len(pages), MINIFY_BATCH)]
    processes = min(cores(), len(batches)) if len(pages) >= PARALLEL_FROM else 1
    if processes > 1:
        # Fresh processes (spawn), not forks of this one: this process holds the whole built site.
        with ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("spawn")) as pool:
            done = list(pool.map(minify_files, batches))
    else:
        done = [minify_files(batch) for batch in batches]
    report = MinifyReport(pages=len(pages), before=sum(d[0] for d in done), after=sum(d[1] for d in done))
    report.seconds = time.perf_counter() - started
    return report


def minify_files(paths: list[Path]) -> tuple[int, int]:
    """Minify these pages in place; return their size in bytes before and after."""
    before = after = 0
    for path in paths:
        html = path.read_bytes()
        minified = minify(html.decode("utf-8")).encode("utf-8")
        path.write_bytes(minified)
        before += len(html)
        after += len(minified)
    return before, after


def index_site(output: Path, skip: tuple[str, ...] = (SEARCH_DIR,)) -> int:
    """Index the site with Pagefind into output/pagefind/; return the number of pages indexed.

    Pagefind indexes only pages whose main content carries `data-pagefind-body`, with the filters
    and metadata of macros/search.html. It is shown only those pages, linked into a folder of their
    own: given the whole site it reads and holds every page until the end, listings and spend pages
    too, which cost a third of its time and a fifth of its memory for nothing it keeps.
    """
    shown = Path(tempfile.mkdtemp(prefix=f"{output.name}.search-", dir=output.parent))
    try:
        for page in searchable_pages(output, skip):
            _link(page, shown / page.relative_to(output))
        command = [*PAGEFIND, "--site", str(shown),
                   "--output-path", str(output / SEARCH_DIR)]
        try:
            result = subprocess.run(command, capture_output=True, text=True, timeout=600)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise PostprocessError(f"search index: Pagefind could not run ({exc}); "
                                   f"install it with `pip install -r requirements.txt`") from exc
    finally:
        shutil.rmtree(shown, ignore_errors=True)
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip()
        raise PostprocessError(f"search index: Pagefind failed with exit code {result.returncode}: {detail}")
    entry = output / SEARCH_DIR / "pagefind-entry.json"
    try:
        languages = json.loads(entry.read_text(encoding="utf-8"))["languages"]
        pages = sum(language["page_count"] for language in languages.values())
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise PostprocessError(f"search index: Pagefind ran but {entry} is missing or unreadable ({exc})") from exc
    if pages == 0:
        raise PostprocessError("search index: Pagefind indexed no pages; the templates must mark "
                               "the main content of pages to index with data-pagefind-body")
    return pages


def searchable_pages(output: Path, skip: tuple[str, ...]) -> list[Path]:
    """The pages whose <main> carries data-pagefind-body."""
    found = []
    for path in sitemap.html_pages(output, skip):
        html = path.read_bytes()
        main = html.find(b"<main")
        if main >= 0 and b"data-pagefind-body" in html[main:html.find(b">", main)]:
            found.append(path)
    return found


def _link(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:  # a file system without hard links: a copy does as well, more slowly
        shutil.copyfile(source, target)
