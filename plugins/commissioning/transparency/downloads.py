"""The statutory record as open data: spending over £500 each year (every payee), the payments
compliance figures for each half-year, and the list of duties with their status.
"""

from __future__ import annotations

from ..derive.compliance import GROUPS
from ..funded_services.downloads import page_url
from ..derive.transparency import PAYEE_TYPES, ListingYear, Transparency, transparency_of
from ..open_data.csv_writer import csv_columns_bytes
from ..open_data.files import Column, Download

LISTING_COLUMNS = [
    Column("payment_id", "string", (
        "The payment's reference: its financial year and the line of that year's payments file, e.g. 2025-26:14; "
        "the same as in the file of every payment"), True),
    Column("date", "date", "The date it was paid", True),
    Column("financial_year", "string", "The financial year it was paid in (1 April to 31 March), e.g. 2025-26", True),
    Column("payee", "string", "Who was paid: the organisation's name, or 'Redacted: payment to an individual' for a "
                              "person (an individual or a sole trader), whose name we do not publish", True),
    Column("payee_id", "string", "The organisation's identifier (org-id, or company or charity number) where we have "
                                 "one; empty for a person"),
    Column("payee_type", "string", "Who was paid, as a code: " + ", ".join(f"{k} ({v})" for k, v in PAYEE_TYPES.items()),
           True),
    Column("payee_type_label", "string", "Who was paid, in words, e.g. An organisation we fund", True),
    Column("expense_area", "string", "The area of our work the spending is for, as the Local Government Transparency "
                                     "Code names it, e.g. Commissioning"),
    Column("expense_type", "string", "The kind of spending, as the Local Government Transparency Code names it, e.g. Rent"),
    Column("description", "string", "What the payment is for", True),
    Column("award_id", "string", "The award it pays for (its id in funding-register.csv); empty when it is not for an award"),
    Column("award_type", "string", "The kind of award, as a code: grant or contract; empty when it is not for an award"),
    Column("amount", "number", "The amount paid, in pounds", True),
    Column("vat_not_recoverable", "number", "VAT in the amount that we cannot recover, in pounds, where recorded"),
    Column("value_for_money", "string", "Why we considered it good value for money; for a payment under an award, "
                                        "unless another reason is recorded, how the award was made"),
    Column("value_for_money_from_award", "boolean", "yes when the reason is how the award was made, not a reason "
                                                    "recorded for the payment itself"),
]
COMPLIANCE_COLUMNS = [
    Column("period_start", "date", "The first day of the six-month reporting period (1 April or 1 October)", True),
    Column("period_end", "date", "The last day of the period (30 September or 31 March)", True),
    Column("period_complete", "boolean", "yes when the period was over when these figures were made", True),
    Column("payments", "string", "Which payments the row counts, as a code: " + ", ".join(
        f"{k} ({v})" for k, v in GROUPS.items()) + "; the payments compliance notice is the contracts row", True),
    Column("invoices_paid", "integer", "Invoices paid in the period that have an invoice date", True),
    Column("average_days_to_pay", "number", "The mean number of days from invoice to payment, to one decimal place"),
    Column("paid_within_30_days", "integer", "Invoices paid within 30 days", True),
    Column("paid_within_30_days_percent", "number", "The share paid within 30 days, in per cent"),
    Column("paid_in_31_to_60_days", "integer", "Invoices paid in 31 to 60 days", True),
    Column("paid_in_31_to_60_days_percent", "number", "The share paid in 31 to 60 days, in per cent"),
    Column("paid_after_60_days", "integer", "Invoices paid after more than 60 days", True),
    Column("paid_after_60_days_percent", "number", "The share paid after 60 days, in per cent"),
    Column("invoices_due", "integer", "Invoices due in the period: their invoice date plus our payment terms falls in it", True),
    Column("not_paid_within_terms", "integer", "Of those, the invoices paid after the day they were due", True),
    Column("not_paid_within_terms_percent", "number", "The share of the invoices due in the period not paid within "
                                                      "the terms, in per cent"),
    Column("payment_terms_days", "integer", "Our agreed payment terms, in days", True),
]
DUTY_COLUMNS = [
    Column("duty", "string", "A short code for the duty, e.g. spend", True),
    Column("title", "string", "The duty, in a few words", True),
    Column("law", "string", "The law that sets it", True),
    Column("provision", "string", "Where in that law, e.g. Schedule, paragraph 3(g)", True),
    Column("requires", "string", "What it asks us to publish, in our own words", True),
    Column("how_often", "string", "How often", True),
    Column("where", "string", "Where it is published: web addresses separated by ;", True),
    Column("status", "string", "up to date, due, overdue, incomplete (some records lack what it asks), or elsewhere "
                               "(published on the commissioner's own website)", True),
    Column("last_updated", "date", "The last date its data covers, where the site can tell"),
    Column("next_due", "date", "When it is next due, for a duty published on a timetable"),
    Column("completeness", "string", "How much of its data is recorded, e.g. 12 of 14 grants made since 1 April 2025 "
                                     "have their conditions recorded; sentences separated by ;"),
]


def listing_path(year: ListingYear, transparency: Transparency) -> str:
    return f"data/expenditure-over-{transparency.threshold:.0f}-{year.label}.csv"


COMPLIANCE_PATH = "data/payments-compliance.csv"
DUTIES_PATH = "data/statutory-duties.csv"


def _listing(year: ListingYear) -> dict[str, list]:
    items = year.items
    return {
        "payment_id": [i.id for i in items],
        "date": [i.date for i in items],
        "financial_year": [i.year for i in items],
        "payee": [i.payee for i in items],
        "payee_id": [i.payee_id for i in items],
        "payee_type": [i.payee_type for i in items],
        "payee_type_label": [i.payee_type_label for i in items],
        "expense_area": [i.expense_area for i in items],
        "expense_type": [i.expense_type for i in items],
        "description": [i.description for i in items],
        "award_id": [i.award.id if i.award else None for i in items],
        "award_type": [i.award.award_type if i.award else None for i in items],
        "amount": [i.amount for i in items],
        "vat_not_recoverable": [i.vat_not_recoverable for i in items],
        "value_for_money": [i.value_for_money for i in items],
        "value_for_money_from_award": [i.reason_from_award for i in items],
    }


def _compliance(transparency: Transparency) -> dict[str, list]:
    rows = [(period, figures) for period in transparency.compliance.periods for figures in period.groups.values()]
    return {
        "period_start": [p.start for p, _ in rows],
        "period_end": [p.end for p, _ in rows],
        "period_complete": [p.complete for p, _ in rows],
        "payments": [f.group for _, f in rows],
        "invoices_paid": [f.paid for _, f in rows],
        "average_days_to_pay": [f.average_days for _, f in rows],
        "paid_within_30_days": [f.within_30 for _, f in rows],
        "paid_within_30_days_percent": [f.within_30_share for _, f in rows],
        "paid_in_31_to_60_days": [f.from_31_to_60 for _, f in rows],
        "paid_in_31_to_60_days_percent": [f.from_31_to_60_share for _, f in rows],
        "paid_after_60_days": [f.after_60 for _, f in rows],
        "paid_after_60_days_percent": [f.after_60_share for _, f in rows],
        "invoices_due": [f.due for _, f in rows],
        "not_paid_within_terms": [f.late for _, f in rows],
        "not_paid_within_terms_percent": [f.late_share for _, f in rows],
        "payment_terms_days": [transparency.compliance.terms_days for _ in rows],
    }


def _duties(site, transparency: Transparency) -> dict[str, list]:
    statuses = transparency.duties

    def address(href: str) -> str:
        return href if href.startswith(("http://", "https://")) else page_url(site, href)

    return {
        "duty": [s.duty.key for s in statuses],
        "title": [s.duty.title for s in statuses],
        "law": [s.duty.law for s in statuses],
        "provision": [s.duty.provision for s in statuses],
        "requires": [s.duty.requires for s in statuses],
        "how_often": [s.duty.how_often for s in statuses],
        "where": [list(dict.fromkeys(address(w["href"]) for w in s.where)) for s in statuses],
        "status": [s.status for s in statuses],
        "last_updated": [s.last_updated for s in statuses],
        "next_due": [s.next_due for s in statuses],
        "completeness": [[c.text for c in s.counts] for s in statuses],
    }


def files(site, files_so_far) -> list[Download]:
    """Spending over the threshold each year, the compliance figures and the duties, as CSV."""
    transparency = transparency_of(site)
    funder = site.funder.name
    out = []
    for year in transparency.years:
        values = _listing(year)
        out.append(Download(
            listing_path(year, transparency), csv_columns_bytes(LISTING_COLUMNS, values), year.lastmod,
            title=f"Spending over {transparency.threshold_text} in {year.label}: everyone paid",
            description=(f"Every payment over {transparency.threshold_text} that {funder} made in {year.label} "
                         f"({year.dates_text}), to the organisations it funds and to its other suppliers, with the "
                         "expense area and type and why it was good value for money, as the Elected Local Policing "
                         "Bodies (Specified Information) Order 2011 asks. Payments to individuals are published "
                         "without their names. Refunds are not spending and are left out."),
            rows=len(year.items), columns=LISTING_COLUMNS, primary_key=["payment_id"],
            foreign_keys=[{"fields": ["award_id"], "reference": {"resource": "funding-register", "fields": ["id"]}}],
            values=values))
    values = _compliance(transparency)
    out.append(Download(
        COMPLIANCE_PATH, csv_columns_bytes(COMPLIANCE_COLUMNS, values), transparency.lastmod,
        title="Paying suppliers on time: payments compliance figures",
        description=(f"For each six-month period (1 April to 30 September, 1 October to 31 March), how quickly {funder} "
                     "paid invoices: the average days to pay, the shares paid within 30 days, in 31 to 60 days and "
                     "after 60 days, and the share not paid within the agreed terms, as the Procurement Act 2023 asks "
                     "for contracts. Grants and other suppliers are counted the same way in rows of their own."),
        rows=len(values["payments"]), columns=COMPLIANCE_COLUMNS, primary_key=["period_start", "payments"],
        values=values))
    values = _duties(site, transparency)
    out.append(Download(
        DUTIES_PATH, csv_columns_bytes(DUTY_COLUMNS, values), transparency.lastmod,
        title="What we must publish: each duty and its status",
        description=(f"Each duty of the Specified Information Order and the Procurement Act 2023 that concerns {funder}'s "
                     "funding, commissioning and spending: what it asks, how often, where it is published and whether "
                     "it is up to date."),
        rows=len(values["duty"]), columns=DUTY_COLUMNS, primary_key=["duty"], values=values))
    return out
