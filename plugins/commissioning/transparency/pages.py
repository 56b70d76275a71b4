"""The statutory record's pages: spending over £500 (a page a year, a page a month), paying suppliers on
time (the payments compliance figures) and what we must publish by law.
"""

from __future__ import annotations

from ..derive.transparency import ListingYear, Transparency, transparency_of
from ..open_data.workbook import workbook_path
from ..render.page import Page
from .downloads import COMPLIANCE_PATH, DUTIES_PATH, listing_path


def _files(csv: str, made: set[str]) -> dict:
    """A CSV and, where one was made, the workbook beside it."""
    workbook = workbook_path(csv)
    return {"csv": csv, "workbook": workbook if workbook in made else None}


def _pagination(year: ListingYear, index: int) -> dict:
    pages = year.pages
    link = lambda page: {"href": page.url, "label": page.label}  # noqa: E731
    return {"previous": link(pages[index - 1]) if index > 0 else None,
            "next": link(pages[index + 1]) if index + 1 < len(pages) else None}


def pages(site, files) -> list[Page]:
    """/spend-over-500/ and its years and months, /payments-compliance/ and /duties/."""
    transparency: Transparency = transparency_of(site)
    made = {f.save_as for f in files}
    listing = {y.label: _files(listing_path(y, transparency), made) for y in transparency.years}
    common = {"transparency": transparency, "nav_section": "spend"}
    lastmod = transparency.lastmod
    out = [Page(f"{transparency.url}index.html", "transparency/index",
                {**common, "files": listing, "canonical_path": transparency.url}, lastmod=lastmod)]
    for year in transparency.years:
        variables = {**common, "year": year, "files": listing[year.label]}
        out.append(Page(f"{year.url}index.html", "transparency/year", {**variables, "canonical_path": year.url},
                        lastmod=year.lastmod))
        for index, part in enumerate(year.pages):
            out.append(Page(f"{part.url}index.html", "transparency/month", {
                **variables, "listing": part, "pagination": _pagination(year, index), "canonical_path": part.url},
                lastmod=min(part.items[-1].date, year.lastmod or part.items[-1].date)))
    out.append(Page("payments-compliance/index.html", "transparency/compliance", {
        **common, "compliance": transparency.compliance, "files": _files(COMPLIANCE_PATH, made),
        "canonical_path": "payments-compliance/"}, lastmod=lastmod))
    out.append(Page("duties/index.html", "transparency/duties", {
        **common, "nav_section": "data", "duties": transparency.duties, "files": _files(DUTIES_PATH, made),
        "canonical_path": "duties/"}, lastmod=lastmod))
    return out
