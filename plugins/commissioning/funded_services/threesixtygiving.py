"""Grants as 360Giving data (standard 1.4): a JSON data package and the same grants as a spreadsheet.

Only grants are published this way: 360Giving covers grants, not contracts (those are in
contracts.csv). Everything comes from the data, nothing from the build clock, so the same data
gives the same bytes.
"""

from __future__ import annotations

from datetime import date, datetime, time

from ..load.codes import OPEN_CALL_ROUTES
from ..load.fields import UK
from ..open_data.csv_writer import csv_bytes
from ..open_data.files import Column, Download, json_bytes
from ..render.page import newest

SCHEMA_VERSION = "1.4"

# The spreadsheet's columns, titled as 360Giving's spreadsheet template titles them (the schema's
# field titles joined with ":"), with the path of each in the JSON.
CSV_COLUMNS = [
    (Column("Identifier", "string", "The grant's 360Giving identifier: the funder's prefix and our reference", required=True), ("id",)),
    (Column("Title", "string", "What the grant pays for, in a few words", required=True), ("title",)),
    (Column("Description", "string", "What the grant pays for", required=True), ("description",)),
    (Column("Currency", "string", "GBP", required=True), ("currency",)),
    (Column("Amount Awarded", "number", "Total for the whole term", required=True), ("amountAwarded",)),
    (Column("Award Date", "date", "Date the grant was made", required=True), ("awardDate",)),
    (Column("Recipient Org:Identifier", "string", "The recipient's organisation identifier (org-id)", required=True), ("recipientOrganization", "id")),
    (Column("Recipient Org:Name", "string", "The recipient's name", required=True), ("recipientOrganization", "name")),
    (Column("Recipient Org:Charity Number", "string", "Registered charity number"), ("recipientOrganization", "charityNumber")),
    (Column("Recipient Org:Company Number", "string", "Registered company number"), ("recipientOrganization", "companyNumber")),
    (Column("Recipient Org:City", "string", "Town or area"), ("recipientOrganization", "addressLocality")),
    (Column("Recipient Org:Web Address", "string", "The recipient's website"), ("recipientOrganization", "url")),
    (Column("Funding Org:Identifier", "string", "The funder's organisation identifier (org-id)", required=True), ("fundingOrganization", "id")),
    (Column("Funding Org:Name", "string", "The funder's name", required=True), ("fundingOrganization", "name")),
    (Column("Grant Programme:Code", "string", "Code of the funding stream that pays for it"), ("grantProgramme", "code")),
    (Column("Grant Programme:Title", "string", "The funding stream that pays for it"), ("grantProgramme", "title")),
    (Column("Planned Dates:Start Date", "date", "Date the funded work starts"), ("plannedDates", "startDate")),
    (Column("Planned Dates:End Date", "date", "Date it ends"), ("plannedDates", "endDate")),
    (Column("Planned Dates:Duration (months)", "integer", "Length of the term in whole months"), ("plannedDates", "duration")),
    (Column("From An Open Call?", "string", "Yes if anyone eligible could apply (an open call or open tender); No if invited or awarded directly"), ("fromOpenCall",)),
    (Column("Last Modified", "datetime", "When this grant's record last changed", required=True), ("dateModified",)),
    (Column("Data Source", "string", "Where this data comes from"), ("dataSource",)),
]


def _midnight(day: date) -> str:
    """A day as the full date-time 360Giving asks for: midnight UK time."""
    return datetime.combine(day, time(0), tzinfo=UK).isoformat()


def recipient(provider) -> dict:
    organisation = {"id": provider.id, "name": provider.name}
    optional = {"charityNumber": provider.charity_number, "companyNumber": provider.company_number,
                "addressLocality": provider.locality, "url": provider.website}
    organisation.update({key: value for key, value in optional.items() if value})
    return organisation


def grant(award, funder, site_url: str) -> dict:
    """One grant as the 360Giving schema describes it."""
    stream = award.stream
    programme = {"code": stream.code, "title": stream.title}
    if site_url:
        programme["url"] = f"{site_url}/{stream.url}"
    return {
        "id": award.grant_id,
        "title": award.title,
        "description": award.description,
        "currency": "GBP",
        "amountAwarded": award.amount_awarded,
        "awardDate": award.award_date.isoformat(),
        "plannedDates": [{"startDate": award.start_date.isoformat(), "endDate": award.end_date.isoformat(),
                          "duration": award.term_months}],
        "recipientOrganization": [recipient(award.provider)],
        "fundingOrganization": [{"id": funder.org_id, "name": funder.name}],
        "grantProgramme": [programme],
        "fromOpenCall": "Yes" if award.route in OPEN_CALL_ROUTES else "No",
        # A renewal is a new award, never an edit of this one: the record is as it was on the award date.
        "dateModified": _midnight(award.award_date),
        "dataSource": f"{site_url}/{award.url}" if site_url else funder.website,
    }


def _flatten(record: dict) -> dict:
    """A grant as one spreadsheet row: the first item of each list, as 360Giving's template has it."""
    row = {}
    for column, path in CSV_COLUMNS:
        value = record.get(path[0])
        if len(path) == 2:
            value = value[0].get(path[1]) if value else None
        row[column.name] = value
    return row


def files(site, files_so_far) -> list[Download]:
    """Every grant as a 360Giving data package (JSON) and spreadsheet (CSV)."""
    funder = site.funder
    grants = sorted((a for a in site.awards if a.award_type == "grant"), key=lambda a: a.id)
    if not grants:  # the standard asks for at least one grant in a package
        return []
    site_url = site.settings.public_url
    records = [grant(a, funder, site_url) for a in grants]
    modified = newest(a.award_date for a in grants)
    package = {
        "grants": records,
        "version": SCHEMA_VERSION,
        "title": f"Grants made by {funder.name}",
        "description": "Every grant in the funding register. Contracts are not grants: they are in contracts.csv.",
        "identifier": f"{funder.grant_id_prefix}-grants",
        "issued": modified.isoformat(),
        "modified": _midnight(modified),
        "publisher": {"identifier": funder.org_id, "name": funder.name, "website": funder.website},
        "license": funder.licence,
    }
    if site_url:
        package["downloadURL"] = f"{site_url}/data/360giving.json"
        package["accessURL"] = f"{site_url}/data/"
    columns = [column for column, _ in CSV_COLUMNS]
    content, rows = csv_bytes(columns, (_flatten(r) for r in records))
    about = "in the 360Giving Data Standard, so grants can be compared with other funders' in 360Giving's tools"
    return [
        Download("data/360giving.json", json_bytes(package), modified, title="Grants in 360Giving format (JSON)",
                 description=f"Every grant {about}.", format="JSON", rows=len(records), media_type="application/json"),
        Download("data/360giving.csv", content, modified, title="Grants in 360Giving format (spreadsheet)",
                 description=f"The same grants as a spreadsheet with 360Giving's column titles, {about}.",
                 rows=rows, columns=columns, primary_key=["Identifier"],
                 foreign_keys=[{"fields": ["Recipient Org:Identifier"], "reference": {"resource": "providers", "fields": ["id"]}}]),
    ]
