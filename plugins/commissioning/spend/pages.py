"""Spend's pages: /spend/, a page per financial year, and the payments over the threshold, a page a month."""

from __future__ import annotations

from ..derive.spend_figures import Spend, YearSpend
from ..render.page import Page, newest
from .charts import month_chart, stream_chart
from .downloads import csv_path, listing_csv_path


def _variables(canonical_path: str, **more) -> dict:
    return {"nav_section": "spend", "canonical_path": canonical_path, **more}


def _pagination(year: YearSpend, index: int) -> dict:
    """Previous and next month (or part of a month) of the year's list, each with its label."""
    pages = year.listing_pages
    link = lambda page: {"href": page.url, "label": page.label}  # noqa: E731
    return {
        "previous": link(pages[index - 1]) if index > 0 else None,
        "next": link(pages[index + 1]) if index + 1 < len(pages) else None,
    }


def pages(site, files) -> list[Page]:
    """/spend/, a page per financial year, and its payments over the threshold month by month."""
    spend: Spend = site.spend
    files = {y.label: {"all": csv_path(y), "listing": listing_csv_path(y, spend)} for y in spend.years}
    fallback = spend.lastmod or newest(a.award_date for a in site.awards if a.award_date <= site.today)
    pages = [Page("spend/index.html", "spend/index", _variables("spend/", spend=spend, chart=stream_chart(spend), files=files),
                  lastmod=fallback)]
    for year in spend.years:
        common = {"spend": spend, "year": year, "files": files[year.label]}
        lastmod = year.lastmod or fallback
        chart = month_chart(year, site.today) if year.count else None
        pages.append(Page(f"{year.url}index.html", "spend/year", _variables(year.url, chart=chart, **common), lastmod=lastmod))
        pages.append(Page(f"{year.listing_url}index.html", "spend/payments", _variables(year.listing_url, **common),
                          lastmod=lastmod))
        for index, listing in enumerate(year.listing_pages):
            pages.append(Page(f"{listing.url}index.html", "spend/payments_month", _variables(
                listing.url, listing=listing, pagination=_pagination(year, index), **common),
                lastmod=min(listing.payments[-1].date, lastmod)))
    return pages
