"""Spend as open data: every payment of each financial year to the organisations we fund.

The payments over the threshold are in one file, the statutory expenditure-over-500-<year>.csv
(transparency/downloads.py), with our other suppliers': a second file of them, for the funded
organisations only, held the same payments twice.
"""

from __future__ import annotations

from operator import itemgetter

from ..derive.spend_figures import PaymentRow, Spend, YearSpend
from ..derive.transparency import transparency_of
from ..load import codes
from ..open_data.csv_writer import csv_columns_bytes
from ..open_data.files import Column, Download
from ..transparency.downloads import listing_path

PAYMENT_ID = Column("payment_id", "string", (
    "The payment's reference: its financial year and the line of that year's payments file it was "
    "read from, e.g. 2025-26:14"), True)
COLUMNS = [
    PAYMENT_ID,
    Column("date", "date", "The date it was paid", True),
    Column("financial_year", "string", "The financial year it was paid in (1 April to 31 March), e.g. 2025-26", True),
    Column("provider_id", "string", "The identifier (org-id) of the organisation paid, as in providers.csv", True),
    Column("provider_name", "string", "The name of the organisation paid", True),
    Column("organisation_type", "string", "The kind of organisation paid, as a code, e.g. charity or private-company", True),
    Column("organisation_type_label", "string", "The kind of organisation paid, in words, e.g. Charity", True),
    Column("award_id", "string", "The award the payment is for (its id in funding-register.csv); empty for a one-off payment with no award"),
    Column("award_title", "string", "What the award pays for, in a few words"),
    Column("award_type", "string", "The kind of award, as a code: grant or contract"),
    Column("award_type_label", "string", "The kind of award, in words: Grant or Contract"),
    Column("funding_stream", "string", "The funding stream that pays for the award, as a code, e.g. moj-victims"),
    Column("funding_stream_title", "string", "The funding stream that pays for the award, by name"),
    Column("priorities", "string", "The Police and Crime Plan priorities the award serves, as codes separated by ;"),
    Column("priority_titles", "string", "The Police and Crime Plan priorities the award serves, by name, separated by ;"),
    Column("amount", "number", "The amount paid, in pounds; negative for a refund or a correction", True),
    Column("description", "string", "What the payment is for", True),
    Column("invoice_received", "date", "The date the invoice arrived, where it was recorded"),
    Column("days_to_pay", "integer", "The days from the invoice arriving to its payment, where the invoice date was recorded"),
    Column("period", "string", "The month the payment is for, written YYYY-MM, where it was recorded"),
]
# Resources are named after their files (datapackage.resource_name); a key to a file the site did
# not make is left out of datapackage.json.
REFERENCES = [
    {"fields": ["provider_id"], "reference": {"resource": "providers", "fields": ["id"]}},
    {"fields": ["award_id"], "reference": {"resource": "funding-register", "fields": ["id"]}},
]


def csv_path(year: YearSpend) -> str:
    return f"data/spend-{year.label}.csv"


def _columns(payments: list[PaymentRow]) -> dict[str, list]:
    """The values of COLUMNS for these payments, a column at a time.

    A provider's and an award's cells are made once each and shared by their payments' rows, so the
    CSV writer formats each of them once (csv_columns_bytes).
    """
    providers = {view: (view.id, view.name, view.organisation_type, view.type_label)
                 for view in {p.provider for p in payments}}
    awards = {view: (view.id, view.title, view.award_type, codes.AWARD_TYPES[view.award_type], view.stream.code,
                     view.stream.title, [p.code for p in view.priority_views],
                     "; ".join(p.title for p in view.priority_views))
              if view else (None,) * 8 for view in {p.award for p in payments}}
    months = {day: f"{day:%Y-%m}" if day else None for day in {p.period for p in payments}}
    columns = {
        "payment_id": [p.id for p in payments],
        "date": [p.date for p in payments],
        "financial_year": [p.year for p in payments],
        "amount": [p.amount for p in payments],
        "description": [p.description for p in payments],
        "invoice_received": [p.invoice_received for p in payments],
        "days_to_pay": [p.days_to_pay for p in payments],
        "period": [months[p.period] for p in payments],
    }
    for name, cells in zip(("provider_id", "provider_name", "organisation_type", "organisation_type_label"),
                           _unzipped([providers[p.provider] for p in payments], 4)):
        columns[name] = cells
    for name, cells in zip(("award_id", "award_title", "award_type", "award_type_label", "funding_stream",
                            "funding_stream_title", "priorities", "priority_titles"),
                           _unzipped([awards[p.award] for p in payments], 8)):
        columns[name] = cells
    return columns


def _unzipped(rows: list[tuple], width: int) -> list[list]:
    # Not zip(*rows): a call with one argument a row was most of the time of making the columns.
    return [list(map(itemgetter(index), rows)) for index in range(width)]


def files(site, files_so_far) -> list[Download]:
    """Every payment of each year, as CSV."""
    spend: Spend = site.spend
    transparency = transparency_of(site)
    funder = site.funder.name
    out = []
    for year in spend.years:
        everything = csv_path(year)
        table = _columns(year.payments)
        content, rows = csv_columns_bytes(COLUMNS, table), len(year.payments)
        out.append(Download(
            everything, content, year.lastmod, title=f"Spend in {year.label}: every payment",
            description=(f"Every payment {funder} made to the organisations it funds in the financial year "
                         f"{year.label} ({year.dates_text}), with the organisation, award, funding stream and "
                         "priorities named. Refunds and corrections are negative amounts. The payments over "
                         f"{spend.threshold_text}, with those to our other suppliers, are in "
                         f"{listing_path(year, transparency).removeprefix('data/')}."),
            rows=rows, columns=COLUMNS, primary_key=["payment_id"], foreign_keys=REFERENCES, values=table))
    return out
