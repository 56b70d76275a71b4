"""Index the written site for search with Pagefind (COMMISSIONING_SEARCH_INDEX), last, so the index
holds the pages as published. Pagefind writes its bundle into output/pagefind/, which no stage touches.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from .errors import PostprocessError

SEARCH_DIR = "pagefind"  # Pagefind's bundle, under output/: the search page imports it from here


def _pagefind() -> list[str]:
    """Pagefind's own program, from PyPI's pagefind[bin] (requirements.txt): run directly, not through
    `python -m pagefind`, which starts a second Python only to hand over to it."""
    try:
        from pagefind_bin import get_executable

        return [str(get_executable())]
    except Exception:  # another packaging of Pagefind: its module finds the program itself
        return [sys.executable, "-m", "pagefind"]


PAGEFIND = _pagefind()

# What Pagefind leaves out of every page it indexes, besides what templates mark data-pagefind-ignore.
# A summary list's keys ("Provider", "Funding stream", "How it was awarded") are the same words on
# every record's page: a search for them matches all 10,000 awards, and at the benchmark's default
# size they were an eighth of Pagefind's memory (1,113 MiB before, 976 MiB after). The values beside
# them are still indexed.
EXCLUDE_SELECTORS = (".govuk-summary-list__key",)


def command(output: Path, glob: str) -> list[str]:
    """Pagefind's command line for indexing `output`: one place, so the benchmark runs it the same way."""
    return [*PAGEFIND, "--site", str(output), "--glob", glob, "--exclude-selectors", ",".join(EXCLUDE_SELECTORS),
            "--output-path", str(output / SEARCH_DIR)]


def index_site(output: Path, glob: str = "**/*.html") -> int:
    """Index the site with Pagefind into output/pagefind/; return the number of pages indexed.

    Pagefind indexes only pages whose main content carries `data-pagefind-body`, with the filters
    and metadata of macros/search.html. It is shown only the pages `glob` names (sections.search_glob:
    the record pages and the top-level ones), read where they are written: given the whole site, it
    reads and holds every page until the end, listings and payments too, for nothing it keeps.
    """
    try:
        result = subprocess.run(command(output, glob), capture_output=True, text=True, timeout=600)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise PostprocessError(f"search index: Pagefind could not run ({exc}); "
                               f"install it with `pip install -r requirements.txt`") from exc
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
