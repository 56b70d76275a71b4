"""Spend's pages: /spend/, a page per financial year, and the payments over the threshold, a page a month.

A month with more payments over the threshold than a page holds (COMMISSIONING_PAGE_SIZE) gets a
summary instead of every payment: its total, the organisations paid the most, the largest payments,
and where every payment is (the statutory listing, a page at a time, and the year's CSV). At scale a
month has thousands of payments; written out in full they made the site hold every payment three
times over, in pages nobody reads to the end.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from ..derive.spend_figures import Line, ListingPage, PaymentRow, Spend, YearSpend, percent
from ..derive.transparency import transparency_of
from ..render.page import Page, newest
from .charts import month_chart, stream_chart
from .downloads import csv_path, listing_csv_path


@dataclass
class Cut:
    """A long table cut to its first rows: how many rows were left out and what they add up to."""

    rows: list
    more: int = 0
    more_amount: Decimal = Decimal(0)


@dataclass
class MonthSummary:
    """What a reader needs of a month too long to list: totals, the largest, and where the rest is."""

    month: date
    url: str  # the month's own address, as when it was listed in full
    last_day: date
    last_payment: date
    count: int
    total: Decimal
    providers: Cut
    largest: list[PaymentRow] = field(default_factory=list)
    every_url: str | None = None  # the statutory listing's page for the month, which lists every payment

    @property
    def label(self) -> str:
        return f"{self.month:%B %Y}"


def cut(rows: list, size: int) -> Cut:
    """The first size rows (Lines or PaymentRows), and how many more there are and what they add up to."""
    rest = rows[size:]
    return Cut(rows[:size], len(rest), sum((row.amount for row in rest), Decimal(0)))


def refunds(year: YearSpend, size: int) -> Cut:
    """The year's refunds in date order; when there are more than a page of them, the largest first."""
    if len(year.refunds) <= size:
        return Cut(year.refunds)
    return cut(sorted(year.refunds, key=lambda p: (p.amount, p.date, p.id)), size)


def _pence(amount: Decimal) -> int:
    return int(amount * 100)


def month_summary(month: date, url: str, payments: list[PaymentRow], size: int, every_url: str | None) -> MonthSummary:
    """The month's total, totals by organisation (largest first) and its largest payments, in whole pence."""
    by_provider: dict[str, list] = {}
    for payment in payments:
        entry = by_provider.setdefault(payment.provider.id, [payment.provider, 0, 0])
        entry[1] += _pence(payment.amount)
        entry[2] += 1
    whole = sum(pence for _, pence, _ in by_provider.values())
    lines = sorted((Line(p.name, Decimal(pence) / 100, count, p.url, percent(pence, whole), p.id, p.type_label)
                    for p, pence, count in by_provider.values()), key=lambda line: (-line.amount, line.label.lower()))
    largest = sorted(payments, key=lambda p: (-p.amount, p.date, p.id))[:size]
    following = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return MonthSummary(month, url, following - timedelta(days=1), max(p.date for p in payments), len(payments),
                        Decimal(whole) / 100, cut(lines, size), largest, every_url)


def _variables(canonical_path: str, **more) -> dict:
    return {"nav_section": "spend", "canonical_path": canonical_path, **more}


def month_pages(year: YearSpend, size: int, every_urls: dict[date, str]) -> list[ListingPage | MonthSummary]:
    """The pages of the year's listing: a month's parts as they are, or one summary for a month longer than size."""
    months: dict[date, list[ListingPage]] = {}
    for part in year.listing_pages:
        months.setdefault(part.month, []).append(part)
    shown: list[ListingPage | MonthSummary] = []
    for month, parts in months.items():
        payments = [p for part in parts for p in part.payments]
        if len(payments) > size:
            shown.append(month_summary(month, parts[0].url, payments, size, every_urls.get(month)))
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


def pages(site, files) -> list[Page]:
    """/spend/, a page per financial year, and its payments over the threshold month by month."""
    spend: Spend = site.spend
    size = site.settings.page_size
    files = {y.label: {"all": csv_path(y), "listing": listing_csv_path(y, spend)} for y in spend.years}
    statutory = {y.label: {m.month: m.url for m in y.pages if m.part == 1} for y in transparency_of(site).years}
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
        shown = month_pages(year, size, statutory.get(year.label, {}))
        pages.append(Page(f"{year.listing_url}index.html", "spend/payments", _variables(
            year.listing_url, summed_up=sum(isinstance(e, MonthSummary) for e in shown), page_size=size, **common),
            lastmod=lastmod))
        for index, entry in enumerate(shown):
            summary = entry if isinstance(entry, MonthSummary) else None
            newest_day = summary.last_payment if summary else entry.payments[-1].date
            pages.append(Page(f"{entry.url}index.html", "spend/payments_month", _variables(
                entry.url, listing=None if summary else entry, summary=summary, pagination=_pagination(shown, index),
                **common), lastmod=min(newest_day, lastmod)))
    return pages
