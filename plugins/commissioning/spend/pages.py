"""Spend's pages: /spend/, a page per financial year, and the payments over the threshold, a page a month.

A month with more payments over the threshold than a page holds (COMMISSIONING_PAGE_SIZE) gets a
summary instead of every payment (derive.spend_figures.month_summary, which the statutory listing's
month pages share): its total, the organisations paid the most, the largest payments, and the rows
that hold every payment in the downloads: the year's statutory file of spending over the threshold
and its file of every payment. At scale a month has thousands of payments; the downloads are where
all of them are, and pages of HTML repeating them were most of the size of the site.
"""

from __future__ import annotations

from ..derive.spend_figures import Cut, ListingPage, MonthSummary, Spend, YearSpend, cut, month_summary, provider_of
from ..derive.transparency import transparency_of
from ..open_data.workbook import workbook_path
from ..render.page import Page, newest
from ..transparency.downloads import listing_path
from .charts import month_chart, stream_chart
from .downloads import csv_path


def refunds(year: YearSpend, size: int) -> Cut:
    """The year's refunds in date order; when there are more than a page of them, the largest first."""
    if len(year.refunds) <= size:
        return Cut(year.refunds)
    return cut(sorted(year.refunds, key=lambda p: (p.amount, p.date, p.id)), size)


def _variables(canonical_path: str, **more) -> dict:
    return {"nav_section": "spend", "canonical_path": canonical_path, **more}


def month_pages(year: YearSpend, size: int) -> list[ListingPage | MonthSummary]:
    """The pages of the year's listing: a month's parts as they are, or one summary for a month longer than size."""
    months: dict = {}
    for part in year.listing_pages:
        months.setdefault(part.month, []).append(part)
    shown: list[ListingPage | MonthSummary] = []
    for month, parts in months.items():
        payments = [p for part in parts for p in part.payments]
        if len(payments) > size:
            shown.append(month_summary(month, parts[0].url, payments, size, provider_of))
        else:
            shown += parts
    return shown


def _pagination(shown: list, index: int) -> dict:
    """Previous and next month (or part of a month) of the year's list, each with its label."""
    link = lambda entry: {"href": entry.url, "label": entry.label}  # noqa: E731
    return {
        "previous": link(shown[index - 1]) if index > 0 else None,
        "next": link(shown[index + 1]) if index + 1 < len(shown) else None,
    }


def _files(site, spend: Spend, made: set[str]) -> dict:
    """Each year's file of every payment, and its statutory file of spending over the threshold with its workbook."""
    transparency = transparency_of(site)
    files = {}
    for year in spend.years:
        listing = listing_path(year, transparency)  # named by the year's label, as the statutory listing's years are
        workbook = workbook_path(listing)
        files[year.label] = {"all": csv_path(year), "listing": listing,
                             "listing_workbook": workbook if workbook in made else None}
    return files


def pages(site, files) -> list[Page]:
    """/spend/, a page per financial year, and its payments over the threshold month by month."""
    spend: Spend = site.spend
    size = site.settings.page_size
    files = _files(site, spend, {f.save_as for f in files})
    statutory = {y.label: {m.month: m.rows for m in y.months} for y in transparency_of(site).years}
    fallback = spend.lastmod or newest(a.award_date for a in site.awards if a.award_date <= site.today)
    pages = [Page("spend/index.html", "spend/index", _variables("spend/", spend=spend, chart=stream_chart(spend), files=files),
                  lastmod=fallback)]
    for year in spend.years:
        common = {"spend": spend, "year": year, "files": files[year.label]}
        lastmod = year.lastmod or fallback
        chart = month_chart(year, site.today) if year.count else None
        pages.append(Page(f"{year.url}index.html", "spend/year", _variables(
            year.url, chart=chart, by_award=cut(year.by_award, size), by_provider=cut(year.by_provider, size),
            refunds=refunds(year, size), **common),
            lastmod=lastmod))
        shown = month_pages(year, size)
        pages.append(Page(f"{year.listing_url}index.html", "spend/payments", _variables(
            year.listing_url, summed_up=sum(isinstance(e, MonthSummary) for e in shown), page_size=size, **common),
            lastmod=lastmod))
        for index, entry in enumerate(shown):
            summary = entry if isinstance(entry, MonthSummary) else None
            newest_day = summary.last_payment if summary else entry.payments[-1].date
            rows = {"listing": statutory.get(year.label, {}).get(summary.month), "all": year.month_rows[summary.month]} \
                if summary else None
            pages.append(Page(f"{entry.url}index.html", "spend/payments_month", _variables(
                entry.url, listing=None if summary else entry, summary=summary, rows=rows,
                pagination=_pagination(shown, index), **common), lastmod=min(newest_day, lastmod)))
    return pages
