"""A CSV download read back as its table, each cell parsed by its Column's type: for a download that
kept no typed values, so that any section's CSV still gets a workbook."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any, Callable

from .files import Download


def _parsed(kind: str) -> Callable[[str], Any]:
    parsers = {"number": Decimal, "integer": int, "date": date.fromisoformat, "datetime": datetime.fromisoformat,
               "time": time.fromisoformat, "boolean": {"yes": True, "no": False}.__getitem__}
    parse = parsers.get(kind)

    def cell(raw: str) -> Any:
        if raw == "":
            return None
        if parse is None:
            return raw
        try:
            return parse(raw)
        except (ValueError, KeyError, InvalidOperation):
            return raw
    return cell


def values_from_csv(download: Download) -> dict[str, list]:
    """A CSV download's table, a column at a time, each cell parsed by its Column's type."""
    reader = csv.reader(io.StringIO(download.content.decode("utf-8-sig"), newline=""))
    header = next(reader, [])
    rows = list(reader)
    table = {}
    for index, column in enumerate(download.columns):
        position = header.index(column.name) if column.name in header else index
        parse = _parsed(column.type)
        table[column.name] = [parse(row[position]) if position < len(row) else None for row in rows]
    return table
