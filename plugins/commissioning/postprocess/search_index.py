"""Index the written site for search with Pagefind (COMMISSIONING_SEARCH_INDEX), last, so the index
holds the pages as published. Pagefind writes its bundle into output/pagefind/, which no stage touches.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from .errors import PostprocessError
from .sitemap import html_pages

SEARCH_DIR = "pagefind"  # Pagefind's bundle, under output/: the search page imports it from here
PAGEFIND = [sys.executable, "-m", "pagefind"]  # from PyPI's pagefind[bin], in requirements.txt


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
    for path in html_pages(output, skip):
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
