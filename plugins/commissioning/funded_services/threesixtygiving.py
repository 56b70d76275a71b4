"""Grants as 360Giving data (standard 1.4): a JSON data package and the same grants as a spreadsheet.

Only grants are published this way: 360Giving covers grants, not contracts (those are in
contracts.csv and ocds.json). Everything comes from the data, nothing from the build clock, so the
same data gives the same bytes.

Besides the core fields, each grant has: its priorities and funding stream as classifications (in
vocabularies named after the funder's org-id); the earlier grant it renews as a related activity;
the amount paid so far (amountDisbursed), where the payment records cover the whole grant; a
dateModified that is its last real change: the award date, or the day of its latest payment; and
where its beneficiaries are (beneficiaryLocation): the areas the award names, or the funder's whole
area when it names none, each with its name, official code and code type, as 360Giving's tools map
them. Where a provider's locality is the name of one of the funder's areas, the recipient has that
area as its location too. Where the site has a public address, dataSource is the grant's own page.
"""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal

from ..load.codes import OPEN_CALL_ROUTES
from ..load.fields import UK
from ..open_data.csv_writer import csv_columns_bytes
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
    (Column("Amount Awarded", "number", "Total for the whole term, in pounds", required=True), ("amountAwarded",)),
    (Column("Amount Disbursed", "number", "Paid so far, in pounds; empty where our payment records start after the grant was made"), ("amountDisbursed",)),
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
    (Column("Last Modified", "datetime", "When this grant's record last changed: the award date, or the day of its latest payment", required=True), ("dateModified",)),
    (Column("Data Source", "string", "Where this data comes from"), ("dataSource",)),
    (Column("Related Activity", "string", "The identifier of the earlier grant that this one renews or extends"), ("relatedActivity",)),
    # The first beneficiary location, as the template's first group of location columns; the JSON has every one.
    (Column("Beneficiary Location:Name", "string", "Where the people it serves are: the first area it names, or the whole of our area"), ("beneficiaryLocation", "name")),
    (Column("Beneficiary Location:Country Code", "string", "The country of that area, as an ISO code: GB"), ("beneficiaryLocation", "countryCode")),
    (Column("Beneficiary Location:Geographic Code", "string", "The area's official code from the Office for National Statistics, e.g. E06000032"), ("beneficiaryLocation", "geoCode")),
    (Column("Beneficiary Location:Geographic Code Type", "string", "The kind of area that code is, from 360Giving's list, e.g. UA (unitary authority) or PFA (police force area)"), ("beneficiaryLocation", "geoCodeType")),
]
# A vocabulary of the funder's own codes is named after its org-id, as 360Giving suggests.
PRIORITIES_VOCABULARY = "{org_id}-priorities"
STREAMS_VOCABULARY = "{org_id}-funding-streams"


def _midnight(day: date) -> str:
    """A day as the full date-time 360Giving asks for: midnight UK time."""
    return datetime.combine(day, time(0), tzinfo=UK).isoformat()


COUNTRY = "GB"  # every area of a police and crime commissioner is in the United Kingdom


def location(area) -> dict:
    """An area as 360Giving's Location: its name, and its official code and the code's type where given."""
    entry = {"name": area.name, "countryCode": COUNTRY}
    if area.geo_code:
        entry["geoCode"] = area.geo_code
    if area.geo_code_type:
        entry["geoCodeType"] = area.geo_code_type
    return entry


def recipient(provider, funder) -> dict:
    organisation = {"id": provider.id, "name": provider.name}
    optional = {"charityNumber": provider.charity_number, "companyNumber": provider.company_number,
                "addressLocality": provider.locality, "url": provider.website}
    organisation.update({key: value for key, value in optional.items() if value})
    based = based_in(provider, funder)
    if based is not None:
        organisation["location"] = [location(based)]
    return organisation


def based_in(provider, funder):
    """The funder's area a provider is based in: its `area`, else the area its locality names (Luton is
    the area Luton), or None: a town within an area (Dunstable) is not matched by name."""
    if provider.area:
        return next((a for a in funder.areas if a.code == provider.area), None)
    locality = " ".join((provider.locality or "").split()).casefold()
    if not locality:
        return None
    return next((a for a in funder.areas if a.geo_code and " ".join(a.name.split()).casefold() == locality), None)


def classifications(award, funder, site_url: str) -> list[dict]:
    """The grant's Police and Crime Plan priorities, then its funding stream, each in the funder's vocabulary."""
    found = []
    for vocabulary, item in [*((PRIORITIES_VOCABULARY, p) for p in award.priority_views),
                             (STREAMS_VOCABULARY, award.stream)]:
        entry = {"vocabulary": vocabulary.format(org_id=funder.org_id), "code": item.code, "title": item.title}
        if site_url:
            entry["url"] = f"{site_url}/{item.url}"
        found.append(entry)
    return found


def locations(award) -> list[dict]:
    """Where the grant's beneficiaries are (360Giving's beneficiaryLocation): the areas it names, or
    the funder's whole area when it names none (award.area_views has done that); none where
    funder.yaml lists no areas."""
    return [location(area) for area in award.area_views]


class Payments:
    """The day of each award's latest payment, of all of them (future-dated ones too, as
    award.paid_to_date counts them), so that the file depends on the data alone; and whether the
    payment records start early enough (`covers`) for paid_to_date to be all an award has been paid."""

    def __init__(self, site):
        self.last: dict[str, date] = {}
        for payments in site.dataset.payments.values():
            for payment in payments:
                if payment.award_id and payment.date > self.last.get(payment.award_id, date.min):
                    self.last[payment.award_id] = payment.date
        spend = site.spend
        self.records_from = spend.records_from if spend is not None else None

    def covers(self, award) -> bool:
        return self.records_from is not None and award.award_date >= self.records_from

    def modified(self, award) -> date:
        """The grant's last real change: the award date, or the day of its latest payment."""
        return max(award.award_date, self.last.get(award.id, award.award_date))


def grant(award, funder, site_url: str, payments: Payments | None = None) -> dict:
    """One grant as the 360Giving schema describes it."""
    stream = award.stream
    programme = {"code": stream.code, "title": stream.title}
    if site_url:
        programme["url"] = f"{site_url}/{stream.url}"
    record = {
        "id": award.grant_id,
        "title": award.title,
        "description": award.description,
        "currency": "GBP",
        "amountAwarded": award.amount_awarded,
        "awardDate": award.award_date.isoformat(),
        "plannedDates": [{"startDate": award.start_date.isoformat(), "endDate": award.end_date.isoformat(),
                          "duration": award.term_months}],
        "recipientOrganization": [recipient(award.provider, funder)],
        "fundingOrganization": [{"id": funder.org_id, "name": funder.name}],
        "grantProgramme": [programme],
        "fromOpenCall": "Yes" if award.route in OPEN_CALL_ROUTES else "No",
        "classifications": classifications(award, funder, site_url),
        # A renewal is a new award, never an edit of this one: it changes with its own payments only.
        "dateModified": _midnight(payments.modified(award) if payments else award.award_date),
        "dataSource": f"{site_url}/{award.url}" if site_url else funder.website,
    }
    if payments is not None and payments.covers(award):
        paid = award.paid_to_date  # in whole pence: 12500.00 is written 12500, as the JSON writes it
        record["amountDisbursed"] = paid.quantize(Decimal(1)) if paid == paid.to_integral_value() else paid
    if award.extends:
        record["relatedActivity"] = [f"{funder.grant_id_prefix}-{award.extends}"]
    where = locations(award)
    if where:
        record["beneficiaryLocation"] = where
    return record


def _flatten(record: dict) -> dict:
    """A grant as one spreadsheet row: the first item of each list, as 360Giving's template has it."""
    row = {}
    for column, path in CSV_COLUMNS:
        value = record.get(path[0])
        if len(path) == 2:
            value = value[0].get(path[1]) if value else None
        row[column.name] = value
    return row


def _typed(columns: list[Column], rows: list[dict]) -> dict[str, list]:
    """The spreadsheet's rows as columns of typed values (the JSON's dates are text), for the CSV and the workbook."""
    parse = {"date": date.fromisoformat, "datetime": datetime.fromisoformat}
    table = {}
    for column in columns:
        cells = [row[column.name] for row in rows]
        if column.type in parse:
            cells = [parse[column.type](v) if isinstance(v, str) else v for v in cells]
        table[column.name] = cells
    return table


def files(site, files_so_far) -> list[Download]:
    """Every grant as a 360Giving data package (JSON) and spreadsheet (CSV)."""
    funder = site.funder
    grants = sorted((a for a in site.awards if a.award_type == "grant"), key=lambda a: a.id)
    if not grants:  # the standard asks for at least one grant in a package
        return []
    site_url = site.settings.public_url
    payments = Payments(site)
    records = [grant(a, funder, site_url, payments) for a in grants]
    modified = newest(payments.modified(a) for a in grants)
    issued = newest(a.award_date for a in grants)
    package = {
        "grants": records,
        "version": SCHEMA_VERSION,
        "title": f"Grants made by {funder.name}",
        "description": "Every grant in the funding register. Contracts are not grants: they are in contracts.csv.",
        "identifier": f"{funder.grant_id_prefix}-grants",
        "issued": issued.isoformat(),
        "modified": _midnight(modified),
        "publisher": {"identifier": funder.org_id, "name": funder.name, "website": funder.website},
        "license": funder.licence,
    }
    if site_url:
        package["downloadURL"] = f"{site_url}/data/360giving.json"
        package["accessURL"] = f"{site_url}/data/"
    columns = [column for column, _ in CSV_COLUMNS]
    table = _typed(columns, [_flatten(r) for r in records])
    content, rows = csv_columns_bytes(columns, table), len(records)
    about = ("in the 360Giving Data Standard, with the areas each serves, so grants can be compared with other "
             "funders' and mapped by area in 360Giving's tools")
    return [
        Download("data/360giving.json", json_bytes(package), modified, title="Grants in 360Giving format (JSON)",
                 description=f"Every grant {about}.", format="JSON", rows=len(records), media_type="application/json"),
        Download("data/360giving.csv", content, modified, title="Grants in 360Giving format (spreadsheet)",
                 description=f"The same grants as a spreadsheet with 360Giving's column titles, {about}.",
                 rows=rows, columns=columns, primary_key=["Identifier"],
                 foreign_keys=[{"fields": ["Recipient Org:Identifier"], "reference": {"resource": "providers", "fields": ["id"]}}],
                 values=table),
    ]
