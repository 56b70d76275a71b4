"""sitemap.xml and robots.txt, made from the pages actually written.

The sitemap is written after every generator has finished (see postprocess.py), so it lists every
HTML page the site has, whichever generator wrote it (our data pages and Pelican's Markdown pages),
and only those. Each page says in its own <head> what the sitemap needs:

- `<meta name="dcterms.modified" content="2026-11-01">`: when its data last changed (Page.lastmod;
  a Markdown page's Modified or Date). It is never the build's clock, so an unchanged page keeps
  its lastmod from one build to the next. A page without it is listed without a lastmod.
- `<meta name="robots" content="noindex">`: not for search engines (Page.in_sitemap is false), so
  not listed.

The pages our generator wrote are not read back: what their heads say was in hand as they were
written (Page.lastmod and Page.in_sitemap, given to base.html), and reading 14,000 heads back was two
seconds of a large build. Every other HTML file is read (see `entries`; tests compare the two readings).

The sitemap protocol wants absolute URLs, made with SITEURL (publishconf.py sets it). A local
build has no SITEURL: its sitemap holds root-relative URLs, fine for checking but not for
publishing.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from html import unescape
from pathlib import Path
from urllib.parse import quote
from xml.sax.saxutils import escape

NOT_PAGES = ("404.html",)  # served for any unknown address: not a page of its own


@dataclass(frozen=True)
class Entry:
    path: str  # URL path below the site root: "", "about/", "opportunities/opp-2026-003/"
    lastmod: date | None


def _head_text(path: Path, chunk: int = 8192) -> str:
    """The start of a page up to its </head>: reading whole listing pages back cost more than the data grew."""
    with path.open("rb") as file:
        data = b""
        while True:
            more = file.read(chunk)
            data += more
            if not more or _HEAD_END.search(data):
                return data.decode("utf-8", errors="replace")


_HEAD_END = re.compile(rb"</head>", re.IGNORECASE)
_META_TAG = re.compile(r"""<meta\b((?:[^>"']|"[^"]*"|'[^']*')*)>""", re.IGNORECASE)  # a > may be in quotes
# An attribute as HTML writes it: name="value", name='value', name=value (as the minifier leaves
# it) or a bare name; the same reading as html.parser's, which cost most of the sitemap's time.
_ATTRIBUTE = re.compile(r"""([^\s/>"'=][^\s/>"'=]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""")


def read_head(html: str) -> dict[str, str]:
    """The page's <meta name=... content=...> pairs, names in lower case; the first of a name counts."""
    end = html.lower().find("</head>")
    meta: dict[str, str] = {}
    for attributes in _META_TAG.findall(html if end < 0 else html[:end]):
        values: dict[str, str] = {}
        for name, double, single, bare in _ATTRIBUTE.findall(attributes):
            values.setdefault(name.lower(), unescape(double or single or bare))
        name = values.get("name", "").lower()
        if name and name not in meta:
            meta[name] = values.get("content", "")
    return meta


def url_path(relative: Path) -> str:
    """The URL path of a written file: about/index.html is about/."""
    text = relative.as_posix()
    if text == "index.html":
        return ""
    return text.removesuffix("index.html") if text.endswith("/index.html") else text


def html_pages(output: Path, skip: tuple[str, ...]) -> list[Path]:
    """Every HTML file under output/, except in the folders named in skip (the search index, theme).

    The skipped folders are not walked at all: the search index alone holds a file for each page.
    """
    pages = []
    for folder, folders, names in os.walk(output):
        if folder == str(output):
            folders[:] = [name for name in folders if name not in skip]
        pages.extend(Path(folder, name) for name in names if name.endswith(".html"))
    return sorted(pages)


def entry(output: Path, path: Path) -> Entry | None:
    """The sitemap entry for a written page, or None if the page is not to be listed."""
    relative = path.relative_to(output)
    if relative.as_posix() in NOT_PAGES:
        return None
    meta = read_head(_head_text(path))
    if "noindex" in meta.get("robots", "").lower():
        return None
    modified = meta.get("dcterms.modified", "").strip()
    try:
        lastmod = date.fromisoformat(modified[:10]) if modified else None
    except ValueError:
        raise ValueError(f"{relative}: <meta name=\"dcterms.modified\"> is '{modified}', not a date "
                         f"like 2026-11-01; the template that wrote it must give a date") from None
    return Entry(url_path(relative), lastmod)


def written_entry(save_as: str, lastmod: date | datetime | None, in_sitemap: bool) -> Entry | None:
    """The entry of a page written from a Page: what entry() would read back from the head base.html gives it."""
    if save_as in NOT_PAGES or not in_sitemap:
        return None
    day = lastmod.date() if isinstance(lastmod, datetime) else lastmod
    return Entry(url_path(Path(save_as)), day or None)


def written_entries(pages) -> dict[str, Entry | None]:
    """Each page written from a Page (render/page.py), by its path under output/, with its entry."""
    return {page.save_as: written_entry(page.save_as, page.lastmod, page.in_sitemap) for page in pages}


def entries(output: Path, skip: tuple[str, ...], written: Mapping[str, Entry | None] | None = None) -> list[Entry]:
    """Every page's entry, sorted; written: the entries of pages already known (path under output/ -> entry)."""
    written = written or {}
    found = []
    for path in html_pages(output, skip):
        name = path.relative_to(output).as_posix()
        found.append(written[name] if name in written else entry(output, path))
    return sorted((e for e in found if e is not None), key=lambda e: e.path)


def absolute(siteurl: str, path: str) -> str:
    """A page's URL: SITEURL/path, percent-encoded as the protocol requires."""
    return f"{siteurl.rstrip('/')}/{quote(path, safe='/')}"


def sitemap_xml(found: list[Entry], siteurl: str) -> bytes:
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for item in found:
        lastmod = f"<lastmod>{item.lastmod.isoformat()}</lastmod>" if item.lastmod else ""
        lines.append(f"<url><loc>{escape(absolute(siteurl, item.path))}</loc>{lastmod}</url>")
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def robots_txt(siteurl: str) -> bytes:
    """Every page may be crawled; the Sitemap line needs an absolute URL, so only with SITEURL."""
    lines = ["User-agent: *", "Disallow:"]
    if siteurl.startswith(("http://", "https://")):
        lines.append(f"Sitemap: {absolute(siteurl, 'sitemap.xml')}")
    else:
        lines.append("# No Sitemap line: this build has no SITEURL (set it in publishconf.py).")
    return ("\n".join(lines) + "\n").encode("utf-8")


def write(output: Path, siteurl: str, skip: tuple[str, ...], written: Mapping[str, Entry | None] | None = None) -> int:
    """Write sitemap.xml and robots.txt into output/; return the number of pages listed."""
    found = entries(output, skip, written)
    (output / "sitemap.xml").write_bytes(sitemap_xml(found, siteurl))
    (output / "robots.txt").write_bytes(robots_txt(siteurl))
    return len(found)
