"""The spend mapping: which column of a finance system's export holds each field of a payment, how it
writes dates, and what a person has confirmed about suppliers. The first run writes one with its best
guess at each column, from the export's headings, for staff to check."""

from __future__ import annotations

from . import mapping as mapping_file
from .source import Rows, as_text
from .values import DATE_FORMATS, date_pattern

# Each field a payment can take from the export, what it is, and the headings that usually hold it.
COLUMNS = {
    "date": ("the date paid (required)", ("payment date", "date paid", "paid date", "transaction date", "date")),
    "amount": ("the amount paid, net of VAT (required)", ("net amount", "amount", "net", "value", "amount excluding vat", "total")),
    "supplier": ("the payee's name (required)", ("supplier name", "supplier", "vendor name", "vendor", "payee", "beneficiary", "merchant name")),
    "supplier_id": ("the payee's org-id or company number (not the finance system's own supplier code)", ("org id", "organisation id", "supplier org id")),
    "company_number": ("the payee's Companies House number", ("company number", "companies house number", "company registration number", "company reg no")),
    "charity_number": ("the payee's charity number", ("charity number", "charity no", "registered charity number")),
    "supplier_type": ("whether the payee is an organisation, an individual or a sole trader", ("supplier type", "payee type", "vendor type")),
    "description": ("what the payment was for", ("description", "purpose", "narrative", "details", "purpose of expenditure")),
    "expense_area": ("the Transparency Code's expense area", ("expense area", "service area", "service", "directorate", "department")),
    "expense_type": ("the Transparency Code's expense type", ("expense type", "expenditure category", "category", "account description")),
    "award_id": ("the award it pays for: its id in awards.csv, or a reference listed under award_references", ("award id", "contract reference", "contract ref", "grant reference", "award reference")),
    "invoice_received": ("the date the invoice was received", ("invoice date", "invoice received", "date invoice received")),
    "vat_not_recoverable": ("VAT that cannot be recovered", ("irrecoverable vat", "vat not recoverable", "non recoverable vat")),
    "value_for_money": ("why good value was obtained", ("value for money",)),
}
REQUIRED = ("date", "amount", "supplier")


def guess(header: list[str], field: str) -> str:
    """The heading that most likely holds a field, or ''."""
    by_text = {h.strip().lower(): h for h in header if h}
    for heading in COLUMNS[field][1]:
        if heading in by_text:
            return by_text[heading]
    return ""


def guess_date_format(rows: Rows, column: str) -> str:
    """The first format every date of a column fits (DD/MM/YYYY when none does)."""
    values = [as_text(rows.record(i).get(column)) for i in range(min(len(rows.rows), 200))]
    values = [v for v in values if v]
    for candidate in DATE_FORMATS:
        pattern = date_pattern(candidate)
        if values and all(pattern.fullmatch(v) for v in values):
            return candidate
    return "DD/MM/YYYY"


def starter(rows: Rows, file_name: str) -> str:
    """A first mapping for an export: each field with the heading guessed for it."""
    Entry = mapping_file.Entry
    columns = []
    for field, (meaning, _) in COLUMNS.items():
        columns.append(Entry(field, guess(rows.header, field), meaning))
    date_column = guess(rows.header, "date")
    entries = [
        Entry("columns", columns, "Which of the export's columns holds each field; leave it empty where none does.\n"
              f"The export's columns: {', '.join(h for h in rows.header if h)}"),
        Entry("date_format", guess_date_format(rows, date_column) if date_column else "DD/MM/YYYY",
              f"How the export writes a date: one of {', '.join(DATE_FORMATS)} (a day or month may have one digit)"),
        Entry("header_row", "1", "The row of the export that holds the column headings"),
        Entry("sheet", rows.sheet or "", "For an Excel export: the sheet to read (empty: the first)"),
        Entry("description", "", "When no column holds a description: the text every payment gets (empty: its expense type)"),
        Entry("supplier_types", [Entry("Individual", "individual"), Entry("Sole Trader", "sole-trader")],
              "The values of the supplier_type column and what each is: organisation, individual or sole-trader"),
        Entry("award_references", [Entry("REFERENCE", "")],
              "A value of the award_id column and the award id it means in data/awards.csv, where they differ"),
        Entry("suppliers", [Entry("SUPPLIER NAME AS IN THE EXPORT", [
            Entry("provider_id", "", "its id in providers.csv, to confirm a match; none: it is not a provider"),
            Entry("supplier_type", "", "organisation, individual or sole-trader"),
            Entry("award_id", "", "the award every payment to it is for, where it has only one")])],
            "What a person has confirmed about a supplier, by its name as the export writes it"),
    ]
    header = (f"How to read {file_name}, a finance system's spend export, into data/payments/.\n"
              "Written by `python -m commissioning import-spend`: check each answer, then run it again.")
    return mapping_file.render(entries, header)
