"""Derive spend: every payment summed in whole pence into the figures the spend pages show.

`paid_totals(site)`, called by `derive.linked()`, fills each award's `paid_to_date` and `paid_by_year`
and each provider's `total_paid`; `derive_spend(site, held)`, called by `derive.figured()`, makes the
`Spend` figures. Amounts are summed as integer pence and turned back into Decimal pounds, so every
total matches the files to the penny. Templates only present what is here.

Summed in dictionaries, a pass over a year's payments for each breakdown. This was pandas:
importing pandas and numpy was about a tenth of the sample's build, and at the benchmark's default
size (200,000 payments) the sums take as long either way (bench/findings.md).
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from datetime import date
from decimal import Decimal

from ..load import codes
from ..load.fields import financial_year_bounds
from ..render.filters import money, uk_date
from .spend_figures import (
    LARGEST, NO_AWARD, QUARTERS, Line, ListingPage, PaymentRow, PromptPayment, Series, Spend, YearSpend,
    percent, pounds, split_pence,
)
from .transparency import month_rows

# --- the payments -----------------------------------------------------------------------------


def _rows(site) -> list[PaymentRow]:
    """Every payment with its provider and award, by date, then provider name, then file and line."""
    providers = {p.id: p for p in site.providers}
    awards = {a.id: a for a in site.awards}
    rows = []
    for year, payments in sorted(site.dataset.payments.items()):
        for payment in payments:
            if payment.provider_id is None:
                continue  # a supplier that is not a funded provider: the over-£500 listing has it, not these figures
            rows.append(PaymentRow(
                f"{year}:{payment.origin.line}", year, payment.date, payment.amount, payment.description,
                providers[payment.provider_id], awards.get(payment.award_id) if payment.award_id else None,
                payment.invoice_received, payment.period))
    # One whole number per row, so the sort compares numbers, not tuples of a date and two strings;
    # the sort is stable and rows are made file by file, line by line, which breaks the ties.
    by_name = sorted(providers.values(), key=lambda p: (p.name.lower(), p.id))
    rank = {provider: index for index, provider in enumerate(by_name)}
    size = len(rank)
    rows.sort(key=lambda r: r.date.toordinal() * size + rank[r.provider])
    return rows


def _pence_of(amounts: set[Decimal]) -> dict[Decimal, int]:
    """Each amount in whole pence. A few thousand distinct amounts among hundreds of thousands of
    payments: each is converted once."""
    pence_of = {amount: int(amount * 100) for amount in amounts}
    assert all(Decimal(p) == a * 100 for a, p in pence_of.items()), "an amount has more than two decimal places"
    return pence_of


class _YearPayments:
    """A year's payments as columns: each payment's pence and every key a breakdown groups by,
    looked up once an award, provider and date rather than once a payment."""

    def __init__(self, rows: list[PaymentRow], pence_of: dict[Decimal, int]):
        self.rows = rows
        self.pence = [pence_of[r.amount] for r in rows]
        awards = {a: (a.id, a.funding_stream, a.award_type, a.priorities) if a else ("", "", "", ())
                  for a in {r.award for r in rows}}
        self.award_id = [awards[r.award][0] for r in rows]
        self.stream = [awards[r.award][1] for r in rows]
        self.award_type = [awards[r.award][2] for r in rows]
        self.priorities = [awards[r.award][3] for r in rows]
        providers = {p: (p.id, p.organisation_type) for p in {r.provider for r in rows}}
        self.provider_id = [providers[r.provider][0] for r in rows]
        self.organisation_type = [providers[r.provider][1] for r in rows]
        days = {day: (f"{day:%Y-%m}", (day.month - 4) % 12 // 3) for day in {r.date for r in rows}}
        self.month = [days[r.date][0] for r in rows]
        self.quarter = [days[r.date][1] for r in rows]


def _sums(keys: list, pence: list[int]) -> dict:
    """Pence and payment count for each key (whole pence: exact)."""
    totals: dict = defaultdict(int)
    for key, amount in zip(keys, pence):
        totals[key] += amount
    counts = Counter(keys)
    return {key: (total, counts[key]) for key, total in totals.items()}


def _by_priority(payments: _YearPayments) -> dict:
    """Pence and payment count for each priority, each payment against an award split between its
    priorities to the penny (split_pence, PRIORITY_NOTE)."""
    keys, parts = [], []
    for priorities, pence in zip(payments.priorities, payments.pence):
        if not priorities:
            continue  # no award, or an award that names no priority: in no priority's figures
        keys += priorities
        parts += split_pence(pence, len(priorities))
    return _sums(keys, parts)


def _lines(sums: dict, whole: int, labels: list[tuple[str, str, str | None, str]], keep_empty: bool = False) -> list[Line]:
    """Lines for (key, label, url, detail) in the order given; keys with no payments only if keep_empty."""
    out = []
    for key, label, url, detail in labels:
        total, count = sums.get(key, (0, 0))
        if count or keep_empty:
            out.append(Line(label, pounds(total), count, url, percent(total, whole), key, detail))
    return out


def _largest_first(lines: list[Line]) -> list[Line]:
    return sorted(lines, key=lambda line: (-line.amount, line.label.lower()))


# --- one year ---------------------------------------------------------------------------------


def _months(start: date) -> list[date]:
    return [date(start.year + (start.month + i - 1) // 12, (start.month + i - 1) % 12 + 1, 1) for i in range(12)]


def _prompt(payments: _YearPayments, terms_days: int) -> PromptPayment:
    """Days from invoice to payment, an invoice being a provider, award, invoice date and payment date
    (INVOICE_NOTE); refunds left out."""
    days: dict = {}
    for row, pence, award, provider in zip(payments.rows, payments.pence, payments.award_id, payments.provider_id):
        if row.invoice_received is not None and pence > 0:
            days.setdefault((provider, award, row.invoice_received, row.date), row.days_to_pay)
    result = PromptPayment(terms_days)
    if not days:
        return result
    result.invoices = len(days)
    result.within_terms = sum(1 for each in days.values() if each <= terms_days)
    median = float(statistics.median(days.values()))  # a median of whole days is whole or a half
    result.median_days = Decimal(int(median)) if median.is_integer() else Decimal(str(median))
    return result


def _listing(year: YearSpend, threshold: Decimal, per_page: int) -> None:
    """The payments over the threshold, a page per month (months are stable addresses; page numbers
    would shift as payments are added), in parts of at most per_page payments (0: no limit)."""
    year.listing = [p for p in year.payments if p.amount > threshold]
    year.listing_total = sum((p.amount for p in year.listing), Decimal(0))
    first_of = {day: day.replace(day=1) for day in {p.date for p in year.listing}}
    months: dict[date, list[PaymentRow]] = {}
    for payment in year.listing:
        months.setdefault(first_of[payment.date], []).append(payment)
    for month, payments in months.items():
        size = per_page or len(payments)
        chunks = [payments[i:i + size] for i in range(0, len(payments), size)]
        base = f"{year.listing_url}{month:%Y-%m}/"
        year.listing_pages.extend(ListingPage(month, part, len(chunks), base if part == 1 else f"{base}{part}/", chunk)
                                  for part, chunk in enumerate(chunks, start=1))
        year.listing_months.append(Line(f"{month:%B %Y}", sum((p.amount for p in payments), Decimal(0)), len(payments),
                                        base, key=f"{month:%Y-%m}"))


def _year(label: str, year_rows: list[PaymentRow], pence_of: dict[Decimal, int], site) -> YearSpend:
    start, end = financial_year_bounds(label)
    today = site.today
    year = YearSpend(label, start, end, end < today, year_rows)
    payments = _YearPayments(year_rows, pence_of)
    pence = payments.pence
    spend_settings = site.settings
    _listing(year, Decimal(spend_settings.spend_listing_threshold), spend_settings.payments_per_page)
    # The file of every payment is written in this order (spend/downloads.py), so a long month's page can
    # name the rows that hold it.
    year.month_rows = month_rows([p.date for p in year_rows])
    year.prompt = _prompt(payments, site.funder.payment_terms_days)
    # Months and quarters are listed even when empty: a gap is information.
    months = _sums(payments.month, pence)
    whole = sum(total for total, _ in months.values())
    year.total = pounds(whole)
    year.paid_out = pounds(sum(amount for amount in pence if amount > 0))
    year.refunded = pounds(sum(amount for amount in pence if amount < 0))
    year.refunds = [p for p in year_rows if p.is_refund]
    year.providers_paid = len(set(payments.provider_id))
    year.lastmod = max((p.date for p in year_rows if p.date <= today), default=None)
    year.by_month = _lines(months, whole, [(f"{m:%Y-%m}", f"{m:%B %Y}", None, "") for m in _months(start)], keep_empty=True)
    quarters = _sums(payments.quarter, pence)
    year.by_quarter = _lines(quarters, whole, [
        (q, f"Q{q + 1}: {name} {(start.year if q < 3 else end.year)}", None, "") for q, name in enumerate(QUARTERS)],
        keep_empty=True)
    streams = _sums(payments.stream, pence)
    year.by_stream = _lines(streams, whole, [(s.code, s.title, s.url, "") for s in site.streams] + [("", NO_AWARD, None, "")],
                            keep_empty=True)
    year.by_stream = [line for line in year.by_stream if line.count or line.key]  # "no award" only when there is some
    priorities = _by_priority(payments)
    no_award = streams.get("", (0, 0))
    priorities[""] = no_award
    year.by_priority = _lines(priorities, whole, [(p.code, p.title, p.url, "") for p in site.priorities] + [("", NO_AWARD, None, "")],
                              keep_empty=True)
    year.by_priority = [line for line in year.by_priority if line.count or line.key]
    types = _sums(payments.award_type, pence)
    year.by_award_type = _lines(types, whole, [("grant", "Grants", None, ""), ("contract", "Contracts", None, ""), ("", NO_AWARD, None, "")])
    awards = _sums(payments.award_id, pence)
    year.by_award = _largest_first(_lines(awards, whole, [
        (a.id, a.title, a.url, f"{a.provider.name} ({a.award_type})") for a in site.awards]))
    organisation_types = _sums(payments.organisation_type, pence)
    year.by_organisation_type = _largest_first(_lines(organisation_types, whole, list(
        (code, label, None, "") for code, label in codes.ORGANISATION_TYPES.items())))
    vcse = sum(total for code, (total, _) in organisation_types.items() if code not in codes.NOT_VCSE)
    year.vcse_share = percent(vcse, whole)
    providers = _sums(payments.provider_id, pence)
    year.by_provider = _largest_first(_lines(providers, whole, [(p.id, p.name, p.url, p.type_label) for p in site.providers]))
    year.largest = [line for line in year.by_provider if line.amount > 0][:LARGEST]
    return year


# --- across years -----------------------------------------------------------------------------


def _change(total: Decimal, previous: Decimal) -> str:
    """The change on the year before, as people say it: 'up £295,946.78 (20.9%)'."""
    difference = total - previous
    if previous <= 0:
        return ""
    if difference == 0:
        return "no change"
    direction = "up" if difference > 0 else "down"
    return f"{direction} {money(abs(difference), pence=True)} ({abs(difference) * 100 / previous:.1f}%)"


def _series(years: list[YearSpend], attribute: str) -> list[Series]:
    """A year-on-year row for each stream or priority (the first year's order), amounts per year."""
    rows: dict[str, Series] = {}
    for index, year in enumerate(years):
        for line in getattr(year, attribute):
            row = rows.setdefault(line.key, Series(line.label, [Decimal(0)] * len(years), line.url, line.key))
            row.amounts[index] = line.amount
    return list(rows.values())


def _overview(spend: Spend) -> None:
    previous = None
    for year in spend.years:
        if not year.complete:
            change = f"year in progress: payments to {uk_date(year.last_payment)}" if year.last_payment else "year in progress"
        else:
            change = _change(year.total, previous.total) if previous and previous.complete else ""
        spend.by_year.append(Line(year.label, year.total, year.count, year.url, "", year.label, change))
        previous = year
    spend.by_stream = _series(spend.years, "by_stream")
    spend.by_priority = _series(spend.years, "by_priority")
    spend.year_totals = Series("Total", [y.total for y in spend.years])
    spend.lastmod = max((y.lastmod for y in spend.years if y.lastmod), default=None)
    for year in spend.years:  # an empty year's page changes when the rest of the data does
        year.lastmod = year.lastmod or spend.lastmod


def paid_totals(site) -> None:
    """Each award's paid_to_date and paid_by_year and each provider's total_paid, summed in whole pence
    from the payments as loaded, without the figures: derive.linked() fills them, so the live preview
    can write an edited record's page before derive_spend() runs."""
    awards = {award.id for award in site.awards}
    by_award: dict[tuple[str, str], int] = defaultdict(int)
    by_provider: dict[str, int] = defaultdict(int)
    pence_of = _pence_of({payment.amount for payments in site.dataset.payments.values() for payment in payments})
    for year, payments in site.dataset.payments.items():
        for payment in payments:
            if payment.provider_id is None:
                continue  # a supplier, not a funded provider: as in _rows
            pence = pence_of[payment.amount]
            by_provider[payment.provider_id] += pence
            if payment.award_id in awards:
                by_award[payment.award_id, year] += pence
    paid_by_year: dict[str, list[tuple[str, Decimal]]] = {}
    for (award_id, year), total in sorted(by_award.items()):
        paid_by_year.setdefault(award_id, []).append((year, pounds(total)))
    for award in site.awards:
        award.paid_by_year = paid_by_year.get(award.id, [])
        award.paid_to_date = sum((amount for _, amount in award.paid_by_year), Decimal(0))
    for provider in site.providers:
        provider.total_paid = pounds(by_provider.get(provider.id, 0))


def records_held(site) -> tuple[date | None, date | None]:
    """Where the payment records start (the first day of the first financial year with a payments
    file) and end (the latest of each year's last payment to a provider, among those not after the
    build): what "paid to date" can speak for."""
    labels = [label for label in sorted(site.dataset.payments) if financial_year_bounds(label) is not None]
    if not labels:
        return None, None
    lasts = (max((p.date for p in site.dataset.payments[label] if p.provider_id is not None), default=None)
             for label in labels)
    return financial_year_bounds(labels[0])[0], max((last for last in lasts if last and last <= site.today), default=None)


def derive_spend(site, held: tuple[date | None, date | None]) -> Spend:
    """The spend figures, from the views with their paid totals (paid_totals) filled in; held is
    where the payment records start and end (records_held), worked out once by derive.linked()."""
    settings = site.settings
    rows = _rows(site)
    pence_of = _pence_of({r.amount for r in rows})
    by_year: dict[str, list[PaymentRow]] = {}
    for row in rows:
        by_year.setdefault(row.year, []).append(row)
    years = []
    for label in sorted(site.dataset.payments):
        if financial_year_bounds(label) is None:
            continue  # reported by rules.payment_within_its_financial_year; never reached in a build
        years.append(_year(label, by_year.get(label, []), pence_of, site))
    spend = Spend(years, Decimal(settings.spend_listing_threshold), site.funder.payment_terms_days)
    spend.records_from, spend.records_to = held
    _overview(spend)
    return spend
