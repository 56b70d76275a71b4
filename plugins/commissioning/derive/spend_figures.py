"""The spend figures: what derive/spend.py computes from the payments and the spend pages show, and the
summary of a month too long to list, which the spend pages and the statutory listing share.

Amounts are exact Decimal pounds made from whole pence, so every figure matches the files to the penny.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Callable

from ..render.filters import money, plural, uk_date
from .transparency import Rows
from .views import AwardView, ProviderView

NO_AWARD = "No award (one-off payments)"
QUARTERS = ("April to June", "July to September", "October to December", "January to March")
LARGEST = 5  # largest recipients named at the top of a year's page
PRIORITY_NOTE = (
    "Some awards serve more than one priority. We split each payment for such an award equally "
    "between its priorities (to the penny, any odd pennies going to the priorities listed first), "
    "so the figures by priority add up to the total paid."
)
INVOICE_NOTE = (
    "Payments to the same organisation for the same award, with the same invoice date and the same "
    "payment date, count as one invoice. Refunds are left out."
)


def pounds(pence: int) -> Decimal:
    """Whole pence as exact Decimal pounds with two places: 123456 is Decimal('1234.56')."""
    return Decimal(int(pence)).scaleb(-2)


def percent(part: int, whole: int) -> str:
    """A share as people read it, '23.4%'; empty where the whole is nothing or negative."""
    if whole <= 0:
        return ""
    share = Decimal(int(part)) * 100 / Decimal(int(whole))
    return "less than 0.1%" if 0 < share < Decimal("0.05") else f"{share:.1f}%"


def split_pence(pence: int, parts: int) -> list[int]:
    """Pence split into near-equal whole parts that add up exactly, the odd pennies to the first parts."""
    base, odd = divmod(pence, parts)
    return [base + (1 if index < odd else 0) for index in range(parts)]


@dataclass
class Line:
    """One row of a breakdown: what (linked where it has a page), how much and in how many payments."""

    label: str
    amount: Decimal
    count: int
    url: str | None = None
    share: str = ""  # of the year's total
    key: str = ""  # a stable code: stream code, month as YYYY-MM, award id ...
    detail: str = ""  # a second line under the label


@dataclass
class Series:
    """One row of a year-on-year table: an amount for each financial year in `Spend.years`."""

    label: str
    amounts: list[Decimal]
    url: str | None = None
    key: str = ""

    @property
    def total(self) -> Decimal:
        return sum(self.amounts, Decimal(0))


@dataclass(eq=False, slots=True)
class PaymentRow:
    """One payment with its provider and award resolved."""

    id: str  # the financial year and the line of its file: "2025-26:14"
    year: str
    date: date
    amount: Decimal
    description: str
    provider: ProviderView
    award: AwardView | None
    invoice_received: date | None
    period: date | None

    @property
    def is_refund(self) -> bool:
        return self.amount < 0

    @property
    def days_to_pay(self) -> int | None:
        return (self.date - self.invoice_received).days if self.invoice_received else None


def provider_of(payment: PaymentRow) -> tuple[str, str, str | None, str]:
    """Who a payment is to, for month_summary: the organisation paid."""
    provider = payment.provider
    return provider.id, provider.name, provider.url, provider.type_label


@dataclass
class PromptPayment:
    """How quickly invoices were paid: counts and the median, where invoice dates were recorded."""

    terms_days: int
    invoices: int = 0
    within_terms: int = 0
    median_days: Decimal | None = None

    @property
    def share(self) -> str:
        return percent(self.within_terms, self.invoices)


@dataclass
class ListingPage:
    """One month of a year's payments over the threshold; a month longer than a page is split into parts."""

    month: date
    part: int
    parts: int
    url: str
    payments: list[PaymentRow]

    @property
    def label(self) -> str:
        return f"{self.month:%B %Y}" + (f", part {self.part} of {self.parts}" if self.parts > 1 else "")


@dataclass
class Cut:
    """A long table cut to its first rows: how many rows were left out and what they add up to."""

    rows: list
    more: int = 0
    more_amount: Decimal = Decimal(0)


def cut(rows: list, size: int) -> Cut:
    """The first size rows (Lines or payments), and how many more there are and what they add up to."""
    rest = rows[size:]
    return Cut(rows[:size], len(rest), sum((row.amount for row in rest), Decimal(0)))


@dataclass
class MonthSummary:
    """What a reader needs of a month with too many payments to list: totals, the largest, and the count."""

    month: date
    url: str  # the month's own address, as when it was listed in full
    count: int
    total: Decimal
    last_payment: date
    payees: Cut  # Lines, the largest total first
    largest: list = field(default_factory=list)  # the payments, the largest first

    @property
    def label(self) -> str:
        return f"{self.month:%B %Y}"


# Who a payment is to, as a month's table of totals shows it: (what to group by, label, page, a second line).
Payee = Callable[[object], tuple[str, str, "str | None", str]]


def month_summary(month: date, url: str, payments: list, size: int, payee: Payee) -> MonthSummary:
    """The month's total, totals by payee (largest first) and its largest payments, summed in whole pence.

    payee says who each payment is to as the listing publishes it, so a summary groups no more finely
    than its listing shows: payments to people, whose names are withheld, are one line of each kind.
    """
    by_payee: dict = {}
    for payment in payments:
        key, label, page, detail = payee(payment)
        entry = by_payee.setdefault(key, [label, page, detail, 0, 0])
        entry[3] += int(payment.amount * 100)
        entry[4] += 1
    whole = sum(entry[3] for entry in by_payee.values())
    # Only the first size payees and payments are shown, of thousands at the benchmark's size: the
    # rest are counted and summed, not each made a Line and sorted.
    top = heapq.nsmallest(size, by_payee.items(), key=lambda item: (-item[1][3], item[1][0].lower(), item[0]))
    lines = [Line(label, pounds(pence), count, page, percent(pence, whole), key, detail)
             for key, (label, page, detail, pence, count) in top]
    more = len(by_payee) - len(lines)
    payees = Cut(lines, more, pounds(whole - sum(entry[3] for _, entry in top)) if more else Decimal(0))
    largest = heapq.nsmallest(size, payments, key=lambda p: (-p.amount, p.date, p.id))
    return MonthSummary(month, url, len(payments), pounds(whole), max(p.date for p in payments), payees, largest)


@dataclass
class YearSpend:
    """Everything paid in one financial year (1 April to 31 March), written 2025-26."""

    label: str
    start: date
    end: date
    complete: bool  # the year was over at build time
    payments: list[PaymentRow]
    total: Decimal = Decimal(0)
    paid_out: Decimal = Decimal(0)  # before refunds
    refunded: Decimal = Decimal(0)  # the refunds and corrections, a negative amount
    refunds: list[PaymentRow] = field(default_factory=list)
    providers_paid: int = 0
    vcse_share: str = ""
    by_month: list[Line] = field(default_factory=list)
    by_quarter: list[Line] = field(default_factory=list)
    by_stream: list[Line] = field(default_factory=list)
    by_priority: list[Line] = field(default_factory=list)
    by_award_type: list[Line] = field(default_factory=list)
    by_award: list[Line] = field(default_factory=list)
    by_organisation_type: list[Line] = field(default_factory=list)
    by_provider: list[Line] = field(default_factory=list)
    largest: list[Line] = field(default_factory=list)
    prompt: PromptPayment | None = None
    listing: list[PaymentRow] = field(default_factory=list)
    listing_total: Decimal = Decimal(0)
    listing_pages: list[ListingPage] = field(default_factory=list)
    listing_months: list[Line] = field(default_factory=list)  # a line per month with a payment over the threshold
    month_rows: dict[date, Rows] = field(default_factory=dict)  # where each month is in the file of every payment
    lastmod: date | None = None

    @property
    def url(self) -> str:
        return f"spend/{self.label}/"

    @property
    def listing_url(self) -> str:
        return f"{self.url}payments/"

    @property
    def count(self) -> int:
        return len(self.payments)

    @property
    def total_line(self) -> Line:
        return Line("Total", self.total, self.count)

    @property
    def dates_text(self) -> str:
        return f"{uk_date(self.start)} to {uk_date(self.end)}"

    @property
    def facts(self) -> list[dict]:
        """Headline figures for the year."""
        facts = [
            {"label": "Paid" + ("" if self.complete else " so far"), "value": money(self.total, pence=False),
             "note": "after refunds"},
            {"label": "Payments", "value": f"{self.count:,}"},
            {"label": "Organisations paid", "value": f"{self.providers_paid:,}"},
        ]
        if self.prompt and self.prompt.invoices:
            facts.append({"label": f"Invoices paid within {self.prompt.terms_days} days", "value": self.prompt.share,
                          "note": f"{self.prompt.within_terms:,} of {plural(self.prompt.invoices, 'invoice')}"})
        return facts

    @property
    def last_payment(self) -> date | None:
        return max((p.date for p in self.payments), default=None)


@dataclass
class Spend:
    """Spend across every financial year that has a payments file, oldest year first."""

    years: list[YearSpend]
    threshold: Decimal
    terms_days: int
    by_year: list[Line] = field(default_factory=list)
    by_stream: list[Series] = field(default_factory=list)
    by_priority: list[Series] = field(default_factory=list)
    year_totals: Series | None = None
    lastmod: date | None = None
    priority_note: str = PRIORITY_NOTE
    invoice_note: str = INVOICE_NOTE
    # Where the payment records start (the first day of the first year with a payments file) and end
    # (the last payment not after the build): what "paid to date" can speak for.
    records_from: date | None = None
    records_to: date | None = None

    @property
    def coverage_text(self) -> str:
        """One sentence on which payments the site holds."""
        if self.records_from is None:
            return "No payments are published here yet."
        if self.records_to is None:
            return f"Payments are published here from {uk_date(self.records_from)}; none has been made yet."
        return f"Payments are published here from {uk_date(self.records_from)} to {uk_date(self.records_to)}."

    @property
    def total(self) -> Decimal:
        return sum((y.total for y in self.years), Decimal(0))

    @property
    def threshold_text(self) -> str:
        return money(self.threshold)

    @property
    def facts(self) -> list[dict]:
        """Headline figures: the latest three years, newest first."""
        return [{"label": f"Paid in {y.label}" + ("" if y.complete else " so far"), "value": money(y.total, pence=False),
                 "note": plural(y.count, "payment")} for y in reversed(self.years[-3:])]
