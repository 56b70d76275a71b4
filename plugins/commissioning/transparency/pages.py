"""The statutory record's pages: spending over £500 (a page a year, a page a month), paying suppliers on
time (the payments compliance figures) and what we must publish by law.

A month's page lists every payment of the month when there are no more than a page of them
(COMMISSIONING_PAGE_SIZE). A longer month is summed up on its one page instead: its total, the totals
by payee, the largest payments, and the rows of the year's file (CSV and workbook) that hold every
payment of the month. That file is the one full record of the payments over the threshold: at scale a
month has thousands, and written out as pages of HTML they were most of the size of the site.
"""

from __future__ import annotations

from ..derive.spend_figures import month_summary
from ..derive.transparency import ListingMonth, ListingYear, Transparency, payee_of, transparency_of
from ..open_data.workbook import workbook_path
from ..render.page import Page
from .downloads import COMPLIANCE_PATH, DUTIES_PATH, listing_path


def _files(csv: str, made: set[str]) -> dict:
    """A CSV and, where one was made, the workbook beside it."""
    workbook = workbook_path(csv)
    return {"csv": csv, "workbook": workbook if workbook in made else None}


def _other_months(months: list[ListingMonth], index: int) -> dict:
    """The month before and the month after, each with its label."""
    link = lambda month: {"href": month.url, "label": month.label}  # noqa: E731
    return {"previous": link(months[index - 1]) if index > 0 else None,
            "next": link(months[index + 1]) if index + 1 < len(months) else None}


def month_pages(year: ListingYear, variables: dict, size: int) -> list[Page]:
    """A page a month: every payment of a short month, or the summary of a long one."""
    out = []
    for index, month in enumerate(year.months):
        summary = month_summary(month.month, month.url, month.items, size, payee_of) if month.count > size else None
        newest_day = month.items[-1].date  # items are in date order
        out.append(Page(f"{month.url}index.html", "transparency/month", {
            **variables, "month": month, "summary": summary, "pagination": _other_months(year.months, index),
            "canonical_path": month.url}, lastmod=min(newest_day, year.lastmod or newest_day)))
    return out


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
        variables = {**common, "year": year, "files": listing[year.label], "page_size": site.settings.page_size}
        out.append(Page(f"{year.url}index.html", "transparency/year", {**variables, "canonical_path": year.url},
                        lastmod=year.lastmod))
        out += month_pages(year, variables, site.settings.page_size)
    out.append(Page("payments-compliance/index.html", "transparency/compliance", {
        **common, "compliance": transparency.compliance, "files": _files(COMPLIANCE_PATH, made),
        "canonical_path": "payments-compliance/"}, lastmod=lastmod))
    out.append(Page("duties/index.html", "transparency/duties", {
        **common, "nav_section": "data", "duties": transparency.duties, "files": _files(DUTIES_PATH, made),
        "canonical_path": "duties/"}, lastmod=lastmod))
    return out
