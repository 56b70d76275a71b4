"""Minify HTML with minify-html, keeping it valid HTML (COMMISSIONING_MINIFY).

Our pages are minified as they are rendered, in the processes that write them (MinifiedTemplate), so
no page is written twice; minify_site then does the few that Pelican wrote itself (content/'s pages).
"""

from __future__ import annotations

import multiprocessing
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import minify_html

from ..workers import cores
from .sitemap import html_pages

# minify-html drops optional tags (</p>, </li>, <head>) unless told to keep them; we keep them so
# every page parses the same in every HTML parser, including Python's. The doctype stays
# `<!doctype html>` (minify_doctype would write `<!doctypehtml>`, which is not valid), and
# attribute values stay spec-compliant. No page holds CSS to minify (the Content-Security-Policy
# forbids inline styles, and tests/test_postprocess.py checks there are none), and looking for it
# was a quarter of minifying a page.
MINIFY_OPTIONS = {
    "keep_closing_tags": True,
    "keep_html_and_head_opening_tags": True,
    "minify_css": False,
    "minify_js": False,  # pages hold no inline script (the CSP forbids it)
    "minify_doctype": False,
    "allow_noncompliant_unquoted_attribute_values": False,
    "allow_removing_spaces_between_attributes": False,
    "allow_optimal_entities": False,
    "keep_comments": False,
}


@dataclass
class MinifyReport:
    pages: int = 0
    before: int = 0  # bytes
    after: int = 0
    seconds: float = 0.0

    @property
    def saved(self) -> int:
        return self.before - self.after


def minify(html: str) -> str:
    # minify-html drops the whitespace between </dt> and <dd>, which no browser shows; but Pagefind
    # joins the text of a term and its definition unless something separates them ("Funding
    # streamMinistry of Justice"), so a line break goes back after each where a tag follows. With
    # str.replace: a regular expression's replacement was expanded in Python at every match.
    return minify_html.minify(html, **MINIFY_OPTIONS).replace("</dt><", "</dt>\n<").replace("</dd><", "</dd>\n<")


class MinifiedTemplate:
    """A template whose pages come out minified: what Pelican's writer renders is what it writes."""

    def __init__(self, template):
        self.template = template

    def render(self, *args, **kwargs) -> str:
        return minify(self.template.render(*args, **kwargs))


# Pages per batch handed to a minifying worker, and the fewest pages worth starting workers for:
# starting one costs about a third of a second, which a few thousand pages repay.
MINIFY_BATCH = 250
PARALLEL_FROM = 2000


def minify_site(output: Path, skip: tuple[str, ...], minified: frozenset[str] = frozenset()) -> MinifyReport:
    """Minify every HTML page in place (not the search bundle or the theme's static files), but those
    written minified already (`minified`: their paths under output/, as `funded-services/index.html`).

    Many pages are minified on every core: each page stands alone, and minifying was a fifth of the
    build's time on one core.
    """
    started = time.perf_counter()
    pages = [p for p in html_pages(output, skip) if p.relative_to(output).as_posix() not in minified]
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
