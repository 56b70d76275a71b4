"""Derive the statutory record: every item of expenditure over £500 (to the organisations we fund and to
anyone else), what the award pages must show by law, and how complete each duty's data is.

The spend figures (spend.py) stay about the services we fund; this listing is the whole of what the
Elected Local Policing Bodies (Specified Information) Order 2011 asks for each payment over £500: who
was paid (a person's name withheld), what for, under which expense area and type, and why it was good
value for money. `transparency_of(site)` derives it once a build and keeps it on the site.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from ..load import codes
from ..load.fields import financial_year_bounds
from ..render.filters import money, uk_date
from . import duties as duty_list
from .compliance import Compliance, derive_compliance

REDACTED = codes.REDACTED_SUPPLIER
PERSONS = codes.PERSONAL_SUPPLIER_TYPES  # supplier types whose names are withheld
NOT_RECORDED = "Not recorded"
FIND_A_TENDER = "https://www.find-tender.service.gov.uk/Notice/"
# How each route reads after "awarded": the value-for-money reason of a payment against an award.
ROUTE_PHRASES = {
    "open-call": "after an open call for bids",
    "invited": "after inviting bids",
    "direct-award": "as a direct award",
    "single-tender-action": "as a single tender action",
    "open-tender": "after an open tender",
    "competitive-dialogue": "after competitive dialogue",
}
PAYEE_TYPES = {
    "provider": "An organisation we fund",
    "organisation": "Another organisation",
    "individual": "An individual (name withheld)",
    "sole-trader": "A sole trader (name withheld)",
}


def route_reason(award) -> str:
    """The value-for-money reason a payment against an award takes from how the award was made."""
    phrase = ROUTE_PHRASES.get(award.route) or f"by {codes.ROUTES[award.route].lower()}"
    return f"Paid under {award.id}, awarded {phrase}"


def find_a_tender_url(notice: str | None) -> str | None:
    """The notice's page on Find a Tender, from either way of writing its id (012345-2025 or 2025/S 000-012345)."""
    if not notice:
        return None
    notice = notice.strip()
    if re.fullmatch(r"\d{6}-\d{4}", notice):
        return FIND_A_TENDER + notice
    older = re.fullmatch(r"(\d{4})/S\s*\d{3}-(\d{6})", notice)
    return f"{FIND_A_TENDER}{older.group(2)}-{older.group(1)}" if older else None


# --- the listing ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rows:
    """A run of rows of a download, numbered as a spreadsheet numbers them: the column headings are row 1."""

    first: int
    last: int

    @property
    def count(self) -> int:
        return self.last - self.first + 1


def month_rows(days: list[date]) -> dict[date, Rows]:
    """The run of rows each month holds in a file whose rows have these dates, in this order.

    A file in date order holds each month in one run; a month found in two places would make the rows
    named on a page wrong, so it is an error here rather than a wrong sentence there. Spend's file of
    every payment is numbered with it too; it is here rather than beside the month summary in
    spend_figures because derive/views.py imports this module, and spend_figures imports views.
    """
    runs: dict[date, Rows] = {}
    start, month = 0, None
    for index, day in enumerate([*days, None]):
        first = day.replace(day=1) if day else None
        if first == month:
            continue
        if month is not None:
            assert month not in runs, f"the rows of {month:%B %Y} are not together: the file is not in date order"
            runs[month] = Rows(start + 2, index + 1)
        start, month = index, first
    return runs


@dataclass(eq=False)
class Item:
    """One payment as the statutory listing publishes it."""

    id: str  # as in the spend files: "2025-26:14"
    year: str
    date: date
    amount: Decimal
    description: str
    payee: str  # the name, or REDACTED
    payee_id: str | None  # org-id or company number; never for a person
    payee_type: str  # a PAYEE_TYPES code
    provider: object | None  # the ProviderView, for a funded organisation
    award: object | None  # the AwardView it pays for
    expense_area: str | None
    expense_type: str | None
    value_for_money: str | None
    reason_from_award: bool  # the reason is the default from the award's route
    vat_not_recoverable: Decimal | None
    invoice_received: date | None
    # Who was paid, for counting invoices: the provider's id, or the supplier's id or name (a person's
    # name too, held in memory only and never written out).
    payee_key: str = field(default="", repr=False)

    @property
    def redacted(self) -> bool:
        return self.payee_type in PERSONS

    @property
    def reason_after_award(self) -> str:
        """The default reason without its leading "Paid under <award id>", for pages that link the id."""
        return self.value_for_money.removeprefix(f"Paid under {self.award.id}") if self.reason_from_award else ""

    @property
    def payee_type_label(self) -> str:
        return PAYEE_TYPES[self.payee_type]

    @property
    def expense(self) -> str:
        return ": ".join(p for p in (self.expense_area, self.expense_type) if p) or NOT_RECORDED


def payee_of(item: Item) -> tuple[str, str, str | None, str]:
    """Who a payment is to, for month_summary, exactly as the listing publishes it: a person's payments
    are grouped by kind under the withheld name, never by who they are (payee_key)."""
    return (f"{item.payee_type}:{item.payee_id or item.payee}", item.payee, item.provider.url if item.provider else None,
            item.payee_type_label)


@dataclass
class ListingMonth:
    """A month of a year's listing: its page's address, its payments, and the rows of the year's file that hold them."""

    month: date
    url: str
    items: list[Item]
    rows: Rows

    @property
    def label(self) -> str:
        return f"{self.month:%B %Y}"

    @property
    def count(self) -> int:
        return len(self.items)

    @property
    def amount(self) -> Decimal:
        return sum((i.amount for i in self.items), Decimal(0))


@dataclass
class ListingYear:
    label: str
    start: date
    end: date
    complete: bool
    url: str
    items: list[Item]
    threshold: Decimal = Decimal(500)
    months: list[ListingMonth] = field(default_factory=list)
    lastmod: date | None = None

    @property
    def total(self) -> Decimal:
        return sum((i.amount for i in self.items), Decimal(0))

    @property
    def dates_text(self) -> str:
        return f"{uk_date(self.start)} to {uk_date(self.end)}"

    @property
    def facts(self) -> list[dict]:
        providers = sum(1 for i in self.items if i.payee_type == "provider")
        persons = sum(1 for i in self.items if i.redacted)
        return [
            {"label": f"Payments over {money(self.threshold)}", "value": f"{len(self.items):,}",
             "note": money(self.total, pence=False)},
            {"label": "To organisations we fund", "value": f"{providers:,}"},
            {"label": "To other suppliers", "value": f"{len(self.items) - providers:,}",
             "note": f"{persons:,} to individuals, names withheld" if persons else None},
        ]


@dataclass
class DutyStatus:
    """A duty (duties.Duty) with where the site meets it, how complete its data is, and whether it is up to date."""

    duty: object
    where: list[dict]  # {"text", "href"}: href a path on this site or a full address
    counts: list  # duties.Count: how much of its data is recorded
    last_updated: date | None = None
    next_due: date | None = None
    status: str = ""  # up to date, due, overdue, incomplete, elsewhere

    @property
    def status_colour(self) -> str:
        return {"up to date": "green", "due": "yellow", "overdue": "red", "incomplete": "orange"}.get(self.status, "grey")

    @property
    def status_label(self) -> str:
        return "Published on the commissioner's website" if self.status == "elsewhere" else self.status.capitalize()


@dataclass
class Transparency:
    threshold: Decimal
    url: str
    years: list[ListingYear]
    compliance: Compliance
    duties: list[DutyStatus] = field(default_factory=list)
    lastmod: date | None = None
    records_to: date | None = None  # the last payment, to anyone, not after the build

    @property
    def threshold_text(self) -> str:
        return money(self.threshold)


def _item(year: str, payment, providers: dict, awards: dict, reasons: dict[str, str]) -> Item:
    """reasons: each award's route_reason by its id, made once, so its payments share one string (and
    a download formats it once: csv_writer formats each distinct object once)."""
    award = awards.get(payment.award_id) if payment.award_id else None
    provider = providers.get(payment.provider_id) if payment.provider_id else None
    kind = payment.supplier_type or "organisation"
    if provider is not None:
        kind, name, identifier = "provider", provider.name, provider.id
    elif kind in PERSONS:
        name, identifier = REDACTED, None
    else:
        name, identifier = payment.supplier or NOT_RECORDED, payment.supplier_id
    reason = payment.value_for_money
    default = reason is None and award is not None
    return Item(f"{year}:{payment.origin.line}", year, payment.date, payment.amount, payment.description, name,
                identifier, kind, provider, award, payment.expense_area, payment.expense_type,
                reasons[award.id] if default else reason,
                default, payment.vat_not_recoverable,
                payment.invoice_received,
                payment.provider_id or payment.supplier_id or payment.supplier or "")


def _months(year: ListingYear) -> None:
    """A page a month, at a stable address, and the run of rows each month holds in the year's file.

    The file (transparency/downloads.py) is year.items in this order, by date, so each month is one run.
    """
    rows = month_rows([item.date for item in year.items])
    months: dict[date, list[Item]] = {}
    for item in year.items:
        months.setdefault(item.date.replace(day=1), []).append(item)
    year.months = [ListingMonth(month, f"{year.url}{month:%Y-%m}/", items, rows[month]) for month, items in months.items()]


def derive_transparency(site) -> Transparency:
    """The listing over the threshold, year by year, the compliance figures and the duties' statuses."""
    threshold = Decimal(site.settings.spend_listing_threshold)
    url = f"spend-over-{threshold:.0f}/"
    providers = {p.id: p for p in site.providers}
    awards = {a.id: a for a in site.awards}
    every: list[Item] = []
    years = []
    reasons = {a.id: route_reason(a) for a in site.awards}
    for label, payments in sorted(site.dataset.payments.items()):
        bounds = financial_year_bounds(label)
        if bounds is None:
            continue  # refused by the rules; never reached in a build
        # Only what is listed or counted for compliance becomes an Item: most payments of a large
        # funder are small and have no invoice date.
        items = [_item(label, p, providers, awards, reasons) for p in payments
                 if p.amount > threshold or p.invoice_received is not None]
        every += items
        # Refunds are not expenditure; a payment of exactly the threshold is not over it.
        listed = sorted((i for i in items if i.amount > threshold), key=lambda i: (i.date, i.payee.lower(), i.id))
        year = ListingYear(label, *bounds, bounds[1] < site.today, f"{url}{label}/", listed, threshold)
        year.lastmod = max((p.date for p in payments if p.date <= site.today), default=None)
        _months(year)
        years.append(year)
    # The periods start where the payment records do: the first day of the first year with a file.
    compliance = derive_compliance(every, site.funder.payment_terms_days, site.today, years[0].start if years else None)
    transparency = Transparency(threshold, url, years, compliance)
    transparency.lastmod = transparency.records_to = max((y.lastmod for y in years if y.lastmod), default=None)
    for year in years:
        year.lastmod = year.lastmod or transparency.lastmod
    transparency.duties = statuses(site, transparency)
    return transparency


def statuses(site, transparency: Transparency) -> list[DutyStatus]:
    """Each duty of duties.DUTIES with where it is met, how complete its data is and whether it is up to date."""
    out = []
    for duty in duty_list.DUTIES:
        counts, last, next_due, status = duty_list.MEASURES[duty.measure](site, transparency, duty)
        if status is None:
            status = "incomplete" if any(not c.complete for c in counts) else "up to date"
        # A duty met on the funder's website links to where data/duties.yaml says it is.
        entry = next((e for e in site.dataset.published_elsewhere if e.duty == duty.key), None)
        places = {"funder": entry.url if entry else site.funder.website, "listing": transparency.url}
        where = [{"text": text, "href": places.get(path, path)} for text, path in duty.where]
        out.append(DutyStatus(duty, where, counts, last, next_due, status))
    return out


def transparency_of(site) -> Transparency:
    """The site's statutory record, derived on first use (by the section's files) and kept for its pages."""
    found = getattr(site, "transparency", None)
    if found is None:
        found = derive_transparency(site)
        site.transparency = found
    return found


# --- the award page ---------------------------------------------------------------------------


def statutory_rows(award) -> list[dict]:
    """The award page's rows of what the law asks: conditions, reasons, the decision record, the notice.

    Each row is {"key", "text", "href"}: a link when href is set. A grant without its conditions,
    reasons or record (one made before funder.yaml's statutory_from) says "Not recorded".
    """
    grant = award.award_type == "grant"
    rows = []
    conditions = award.conditions
    if conditions or grant:
        if conditions and conditions.startswith("https://"):
            rows.append({"key": "Conditions of the grant" if grant else "Conditions",
                         "text": "Read the conditions of this grant" if grant else "Read the conditions", "href": conditions})
        else:
            rows.append({"key": "Conditions of the grant" if grant else "Conditions", "text": conditions or NOT_RECORDED})
    reasons = award.reasons
    if reasons or grant:
        rows.append({"key": "Why we expect it to reduce crime and disorder", "text": reasons or NOT_RECORDED})
    record, record_url = award.decision_record, award.decision_record_url
    rows.append({"key": "Decision record", "text": record or ("Read the decision record" if record_url else NOT_RECORDED),
                 "href": record_url})
    notice = award.find_a_tender
    if notice or not grant:
        rows.append({"key": "Find a Tender notice", "text": notice or NOT_RECORDED, "href": find_a_tender_url(notice)})
    return rows
