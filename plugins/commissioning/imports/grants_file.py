"""Reading a 360Giving file: the JSON data package, or the CSV or Excel spreadsheet in 360Giving's
column titles (Identifier, Recipient Org:Identifier, Beneficiary Location:Geographic Code ...), as
grants in the JSON's shape, each with the place a problem with it is reported at."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..problems import DataError, Problem, field_name
from .source import EXCEL_SUFFIXES, as_text, cell_name, decoded, read_rows

# The objects of a grant as the spreadsheet titles them, and their fields.
OBJECTS = {
    "Planned Dates": "plannedDates", "Actual Dates": "actualDates", "Recipient Org": "recipientOrganization",
    "Recipient Ind": "recipientIndividual", "Beneficiary Location": "beneficiaryLocation",
    "Funding Org": "fundingOrganization", "Grant Programme": "grantProgramme", "Classifications": "classifications",
}
FIELDS = {
    "Identifier": "id", "Name": "name", "Title": "title", "Code": "code", "URL": "url", "Description": "description",
    "Start Date": "startDate", "End Date": "endDate", "Duration (months)": "duration",
    "Charity Number": "charityNumber", "Company Number": "companyNumber", "Street Address": "streetAddress",
    "City": "addressLocality", "County": "addressRegion", "Country": "addressCountry", "Postal Code": "postalCode",
    "Web Address": "url", "Organisation Type": "organisationType", "Legal Form": "organisationType",
    "Geographic Code": "geoCode", "Geographic Code Type": "geoCodeType", "Country Code": "countryCode",
    "Latitude": "latitude", "Longitude": "longitude", "Department": "department", "Vocabulary": "vocabulary",
}
TOP = {
    "Identifier": "id", "Title": "title", "Description": "description", "Currency": "currency",
    "Amount Applied For": "amountAppliedFor", "Amount Awarded": "amountAwarded", "Amount Disbursed": "amountDisbursed",
    "Award Date": "awardDate", "URL": "url", "From an open call?": "fromOpenCall", "Related Activity": "relatedActivity",
    "Last modified": "dateModified", "Data Source": "dataSource",
}
_NUMBERED = re.compile(r"(\d+)")


@dataclass
class Grant:
    """One grant as 360Giving's JSON has it, and where it came from."""

    data: dict
    index: int  # its place in the file, from 0
    file: str
    line: int = 0  # a spreadsheet's line (or row); 0 for JSON
    titles: dict = field(default_factory=dict)  # path -> the spreadsheet's column title
    sheet: str | None = None
    header: list = field(default_factory=list)  # a workbook's column titles, for naming a cell

    @property
    def id(self) -> str:
        return str(self.data.get("id") or f"(grant {self.index + 1})")

    def first(self, key: str) -> dict:
        """The first item of a list of objects (recipientOrganization, plannedDates ...), or {}."""
        value = self.data.get(key)
        if isinstance(value, list):
            value = value[0] if value else {}
        return value if isinstance(value, dict) else {}

    def all(self, key: str) -> list[dict]:
        value = self.data.get(key)
        if isinstance(value, dict):
            value = [value]
        return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []

    def problem(self, path: tuple, message: str) -> Problem:
        """A problem at one of the grant's fields: by line and column title, or by its path in the JSON."""
        if self.line:
            title = self.titles.get(path) or self.titles.get(tuple(p for p in path if not isinstance(p, int))) \
                or field_name(path)
            if self.sheet:
                column = self.header.index(title) if title in self.header else 0
                return Problem(f"{self.file} {self.sheet}!{cell_name(column, self.line)}", 0, title, f"grant {self.id}: {message}")
            return Problem(self.file, self.line, title, f"grant {self.id}: {message}")
        return Problem(self.file, 0, field_name(("grants", self.index, *path)), f"grant {self.id}: {message}")


def read_grants(path: Path, name: str) -> tuple[list[Grant], list[str]]:
    """Every grant in the file, and the spreadsheet's columns that are not 360Giving titles we read."""
    suffix = path.suffix.lower()
    if suffix == ".json":
        return _json_grants(path, name), []
    if suffix in EXCEL_SUFFIXES or suffix == ".csv":
        return _sheet_grants(path, name)
    raise DataError([Problem(name, 0, "", "is not a 360Giving file we can read; give a .json, .csv or .xlsx file")])


def _json_grants(path: Path, name: str) -> list[Grant]:
    if not path.is_file():
        raise DataError([Problem(name, 0, "", "is not there; check the file's name and folder")])
    text, _ = decoded(path.read_bytes())
    try:
        # Amounts as Decimal: 3056.37 stays 3056.37, never 3056.3699999.
        value = json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise DataError([Problem(name, exc.lineno, "", f"is not valid JSON ({exc.msg}); check the file is 360Giving JSON")])
    grants = value.get("grants") if isinstance(value, dict) else value
    if not isinstance(grants, list):
        raise DataError([Problem(name, 1, "grants", "is missing: a 360Giving JSON file holds a list of grants under \"grants\"")])
    return [Grant(g, i, name) for i, g in enumerate(grants) if isinstance(g, dict)]


def column_path(title: str) -> tuple | None:
    """A 360Giving column title as the path of its field: 'Beneficiary Location:1:Name' -> ('beneficiaryLocation', 1, 'name')."""
    parts = [part.strip() for part in title.split(":")]
    if len(parts) == 1:
        return (TOP[parts[0]],) if parts[0] in TOP else None
    if parts[0] not in OBJECTS:
        return None
    index = 0
    if len(parts) == 3 and _NUMBERED.fullmatch(parts[1]):
        index, parts = int(parts[1]), [parts[0], parts[2]]
    if len(parts) != 2 or parts[1] not in FIELDS:
        return None
    return (OBJECTS[parts[0]], index, FIELDS[parts[1]])


def _sheet_grants(path: Path, name: str) -> tuple[list[Grant], list[str]]:
    rows = read_rows(path, name)
    paths = {title: column_path(title) for title in rows.header if title}
    if "id" not in {p[0] for p in paths.values() if p}:
        raise DataError([Problem(name, rows.lines[0] - 1 if rows.lines else 1, "Identifier", (
            "is not a column of this file; a 360Giving spreadsheet has 360Giving's column titles "
            "(Identifier, Title, Amount Awarded, Recipient Org:Identifier ...)"))])
    titles = {p: t for t, p in paths.items() if p}
    grants = []
    for index in range(len(rows.rows)):
        data: dict[str, Any] = {}
        for title, value in rows.record(index).items():
            target = paths.get(title)
            text = as_text(value)
            if not target or not text:
                continue
            if len(target) == 1:
                data[target[0]] = [text] if target[0] == "relatedActivity" else text
                continue
            items = data.setdefault(target[0], [])
            while len(items) <= target[1]:
                items.append({})
            items[target[1]][target[2]] = text
        for key in OBJECTS.values():  # an object with no values given is no object
            if key in data:
                data[key] = [item for item in data[key] if item]
        grants.append(Grant(data, index, name, rows.lines[index], titles, rows.sheet, rows.header))
    unknown = [t for t, p in paths.items() if t and p is None]
    return grants, unknown
