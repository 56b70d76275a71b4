"""The tables of data/ as the staff workbook shows them: a sheet for each CSV file, with each column's
kind (text, a date, an amount, a number) and the list its values come from, read from the data contract."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..load import codes, fields as contract
from ..load import monitoring
from ..load.models import Award, Payment, Provider
from ..load.validate import _plain_parser


@dataclass(frozen=True)
class Table:
    """One CSV file of data/ and its sheet."""

    sheet: str  # e.g. Payments 2025-26
    relative: str  # its path inside data/, e.g. payments/2025-26.csv
    model: type


FIXED = (Table("Providers", "providers.csv", Provider), Table("Awards", "awards.csv", Award))
_PAYMENTS = re.compile(r"Payments (\d{4}-\d{2})")
_MONITORING = re.compile(r"(Returns|Measures) (\d{4}-\d{2})")
_MONITORING_FILE = re.compile(r"(\d{4}-\d{2})-(returns|measures)")


def tables(data_dir: Path) -> list[Table]:
    """Every table data/ holds, in the order of the workbook's sheets."""
    found = [t for t in FIXED if (data_dir / t.relative).exists()]
    for path in sorted((data_dir / "payments").glob("*.csv")):
        found.append(Table(f"Payments {path.stem}", f"payments/{path.name}", Payment))
    for path in sorted((data_dir / "monitoring").glob("*.csv")):
        match = _MONITORING_FILE.fullmatch(path.stem)
        if match:
            kind = match.group(2)
            found.append(Table(f"{kind.capitalize()} {match.group(1)}", f"monitoring/{path.name}", _monitoring_model(kind)))
    return found


def _monitoring_model(kind: str) -> type:
    return monitoring.QuarterReturn if kind == "returns" else monitoring.MeasureReturn


def table_of(sheet: str) -> Table | None:
    """The table a sheet is, by its name; None for a sheet that is no table."""
    for table in FIXED:
        if table.sheet == sheet.strip():
            return table
    match = _PAYMENTS.fullmatch(sheet.strip())
    if match:
        return Table(sheet.strip(), f"payments/{match.group(1)}.csv", Payment)
    match = _MONITORING.fullmatch(sheet.strip())
    if match:
        kind = match.group(1).lower()
        return Table(sheet.strip(), f"monitoring/{match.group(2)}-{kind}.csv", _monitoring_model(kind))
    return None


# What kind of cell each parser's values are.
_KINDS = {
    contract.parse_date: "date", contract.parse_money: "money", contract.parse_signed_money: "money",
    contract.parse_whole_number: "number", monitoring.parse_figure: "number", contract.parse_yes_no: "yes-no",
}


def kind(model: type, name: str) -> str:
    """date, money, number, yes-no or text: how a column's cells are written in the workbook."""
    field = model.model_fields.get(name)
    if field is None:
        return "text"
    return _KINDS.get(_plain_parser(field.metadata, field.annotation), "text")


def choices(model: type, name: str, funder, ids: dict[str, list[str]]) -> tuple[list[str], bool] | None:
    """The values a column's dropdown offers, and whether they are the only ones allowed; None for no dropdown.

    ids: the ids of providers, awards and opportunities in data/.
    """
    fixed = {
        "organisation_type": list(codes.ORGANISATION_TYPES), "award_type": list(codes.AWARD_TYPES),
        "route": list(codes.ROUTES), "recommissioning_route": list(codes.ROUTES),
        "recommissioning": list(codes.RECOMMISSIONING), "supplier_type": list(codes.SUPPLIER_TYPES),
        "rating": [label.lower() for label in monitoring.RATINGS.values()], "unit": list(codes.UNITS),
    }
    if name not in model.model_fields:
        return None
    if kind(model, name) == "yes-no":
        return ["yes", "no"], True
    if name in fixed:
        return fixed[name], True
    if funder is not None:
        if name == "funding_stream":
            return [s.code for s in funder.funding_streams], True
        if name == "priorities":
            return [p.code for p in funder.priorities], False  # several, with ; between: offered, not enforced
        if name == "areas":
            return [a.code for a in getattr(funder, "areas", [])], False
        if name == "measure":
            return [m.code for m in funder.measures], False  # a service may count a measure of its own
    if name == "provider_id":
        return ids.get("providers", []), model is not Payment  # a payment to someone else names a supplier instead
    if name in ("award_id", "extends"):
        return ids.get("awards", []), True
    if name == "opportunity_id":
        return ids.get("opportunities", []), True
    return None
