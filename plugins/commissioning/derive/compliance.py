"""Derive the payments compliance figures the Procurement Act 2023 (section 69) asks for every six
months, 1 April to 30 September and 1 October to 31 March, from the payments that have an invoice date.

The notice is about contracts; grants, and payments to suppliers that are not awards here, are
counted the same way and shown apart. The definitions, stated on the page (DEFINITIONS):
- an invoice is the payments to one payee for one award with the same invoice date and payment date
  (the lines of one invoice are often paid as separate rows); refunds and corrections are left out;
- days to pay are from the invoice date (`invoice_received`) to the payment date;
- the average is the mean over the invoices paid in the period, to one decimal place;
- the shares paid within 30 days, in 31 to 60 days and after 60 days are of the invoices paid in the period;
- an invoice is due in the period when its invoice date plus the agreed terms (funder.yaml
  payment_terms_days) falls in it; the share not paid within the terms is of those, paid late.
Shares and the average are rounded half up to one decimal place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from ..load.duties import half_year, notice_due
from ..render.filters import uk_date

GROUPS = {
    "contracts": "Contracts",
    "grants": "Grants",
    "other": "Other suppliers (payments not for an award)",
}
DEFINITIONS = [
    ("Invoice", "The payments to one organisation or person for one award with the same invoice date and the same "
                "payment date. Refunds and corrections are left out. Payments with no invoice date recorded are not counted."),
    ("Days to pay", "The days from the date we received the invoice to the date we paid it."),
    ("Average days to pay", "The mean of the days to pay of every invoice paid in the period, to one decimal place."),
    ("Paid within 30 days, in 31 to 60 days, after 60 days",
     "The share of the invoices paid in the period whose days to pay were 30 or fewer, 31 to 60, or more than 60."),
    ("Due in the period", "An invoice is due on its invoice date plus our agreed payment terms; it is due in the period "
                          "when that day falls in the period, whenever it was paid."),
    ("Not paid within the agreed terms", "The share of the invoices due in the period that were paid after the day they "
                                         "were due. We record an invoice only when it is paid, so an invoice still unpaid "
                                         "when these figures were made is not counted."),
]
ONE_PLACE = Decimal("0.1")


def share(part: int, whole: int) -> Decimal | None:
    """A percentage to one decimal place, rounded half up; None where there is nothing to share."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(ONE_PLACE, ROUND_HALF_UP)


@dataclass
class Figures:
    """One group's figures for one period."""

    group: str
    paid: int = 0  # invoices paid in the period
    total_days: int = 0
    within_30: int = 0
    from_31_to_60: int = 0
    after_60: int = 0
    due: int = 0  # invoices due in the period
    late: int = 0  # of those, paid after they were due

    @property
    def label(self) -> str:
        return GROUPS[self.group]

    @property
    def average_days(self) -> Decimal | None:
        return (Decimal(self.total_days) / self.paid).quantize(ONE_PLACE, ROUND_HALF_UP) if self.paid else None

    @property
    def within_30_share(self) -> Decimal | None:
        return share(self.within_30, self.paid)

    @property
    def from_31_to_60_share(self) -> Decimal | None:
        return share(self.from_31_to_60, self.paid)

    @property
    def after_60_share(self) -> Decimal | None:
        return share(self.after_60, self.paid)

    @property
    def late_share(self) -> Decimal | None:
        return share(self.late, self.due)


@dataclass
class Period:
    start: date
    end: date
    complete: bool  # over when the site was built
    groups: dict[str, Figures]

    @property
    def key(self) -> str:
        return f"{self.start:%Y-%m}"

    @property
    def label(self) -> str:
        return f"{uk_date(self.start)} to {uk_date(self.end)}"

    @property
    def notice_due(self) -> date:
        return notice_due(self.end)

    @property
    def contracts(self) -> Figures:
        return self.groups["contracts"]

    @property
    def apart(self) -> list[tuple[str, Figures]]:
        """The groups shown apart from the notice's figures, each with its label."""
        return [(label, self.groups[g]) for g, label in GROUPS.items() if g != "contracts"]


@dataclass
class Compliance:
    terms_days: int
    periods: list[Period]  # newest first
    definitions: list[tuple[str, str]] = field(default_factory=lambda: DEFINITIONS)

    @property
    def latest_complete(self) -> Period | None:
        return next((p for p in self.periods if p.complete), None)


def _group(item) -> str:
    if item.award is None:
        return "other"
    return "contracts" if item.award.award_type == "contract" else "grants"


def _invoices(items) -> list[tuple[str, date, date]]:
    """(group, invoice date, payment date) for each invoice with a positive total."""
    totals: dict[tuple, Decimal] = {}
    for item in items:
        if item.invoice_received is None:
            continue
        key = (_group(item), item.payee_key, item.award.id if item.award else "", item.invoice_received, item.date)
        totals[key] = totals.get(key, Decimal(0)) + item.amount
    return [(key[0], key[3], key[4]) for key, total in totals.items() if total > 0]


def derive_compliance(items, terms_days: int, today: date, first: date | None = None) -> Compliance:
    """Each reporting period from the first payment's (or `first`'s) to today's, newest first, with each group's figures."""
    first = first or min((i.date for i in items), default=None)
    if first is None:
        return Compliance(terms_days, [])
    periods: dict[date, Period] = {}
    start, end = half_year(first)
    while start <= today:
        periods[start] = Period(start, end, end < today, {g: Figures(g) for g in GROUPS})
        start, end = half_year(end + timedelta(days=1))
    terms = timedelta(days=terms_days)
    for group, invoiced, paid in _invoices(items):
        days = (paid - invoiced).days
        period = periods.get(half_year(paid)[0])
        if period is not None:
            figures = period.groups[group]
            figures.paid += 1
            figures.total_days += days
            if days <= 30:
                figures.within_30 += 1
            elif days <= 60:
                figures.from_31_to_60 += 1
            else:
                figures.after_60 += 1
        due = invoiced + terms
        period = periods.get(half_year(due)[0])
        if period is not None:
            figures = period.groups[group]
            figures.due += 1
            figures.late += paid > due
    return Compliance(terms_days, sorted(periods.values(), key=lambda p: p.start, reverse=True))
