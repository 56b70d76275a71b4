"""The statutory record's pages: spending over £500 (a page a year, a page a month), paying suppliers on
time (the payments compliance figures) and what we must publish by law.

A month's spending is listed in full, every payment once, in pages of COMMISSIONING_PAGE_SIZE: the
month's own address, then <month>/page/2/ and on. This is the one listing of every payment over the
threshold in HTML; the spend section's month pages sum up a long month and link here.
"""

from __future__ import annotations

from ..derive.transparency import ListingYear, Transparency, transparency_of
from ..open_data.workbook import workbook_path
from ..render.page import Page
from ..render.pagination import chunks
from .downloads import COMPLIANCE_PATH, DUTIES_PATH, listing_path


def _files(csv: str, made: set[str]) -> dict:
    """A CSV and, where one was made, the workbook beside it."""
    workbook = workbook_path(csv)
    return {"csv": csv, "workbook": workbook if workbook in made else None}


def _months(year: ListingYear) -> list[tuple[str, str, list]]:
    """(label, address, items) for each month of the year, its parts put back together at the first part's address."""
    months: dict = {}
    for part in year.pages:
        months.setdefault(part.month, (f"{part.month:%B %Y}", part.url, []))[2].extend(part.items)
    return list(months.values())


def _other_months(months: list, index: int) -> dict:
    """The first page of the month before and of the month after, each with its label."""
    link = lambda month: {"href": month[1], "label": month[0]}  # noqa: E731
    return {"previous": link(months[index - 1]) if index > 0 else None,
            "next": link(months[index + 1]) if index + 1 < len(months) else None}


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
        months = _months(year)
        for index, (label, base, items) in enumerate(months):
            for chunk in chunks(base, items, site.settings.page_size):
                newest_day = chunk.rows[-1].date
                out.append(Page(f"{chunk.url}index.html", "transparency/month", {
                    **variables, "label": label, "items": chunk.rows, "count": len(items), "pages": chunk.pagination,
                    "pagination": _other_months(months, index), "canonical_path": chunk.url},
                    lastmod=min(newest_day, year.lastmod or newest_day)))
    out.append(Page("payments-compliance/index.html", "transparency/compliance", {
        **common, "compliance": transparency.compliance, "files": _files(COMPLIANCE_PATH, made),
        "canonical_path": "payments-compliance/"}, lastmod=lastmod))
    out.append(Page("duties/index.html", "transparency/duties", {
        **common, "nav_section": "data", "duties": transparency.duties, "files": _files(DUTIES_PATH, made),
        "canonical_path": "duties/"}, lastmod=lastmod))
    return out
