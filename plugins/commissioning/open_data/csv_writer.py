"""The CSV writer every download shares: UTF-8 with a byte-order mark, CRLF line ends, and cells a
spreadsheet cannot run as a formula.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Callable, Iterable

from .files import Column

# OWASP CSV injection: a text cell starting with one of these is read as a formula by spreadsheets.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")


# A text cell needs the full formula check only if it starts with one of these: most cells start with
# a letter or digit, and a spend file has millions of cells.
_FORMULA_FIRST = frozenset(start[0] for start in FORMULA_STARTS) | {" "}


def safe_cell(value: Any) -> Any:
    """A value as a CSV cell: numbers and dates stay plain; text that a spreadsheet would run as a formula gets a leading '."""
    if type(value) is str and (not value or value[0] not in _FORMULA_FIRST):
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Decimal):
        return format(value, "f")  # never 1E+3: a spreadsheet must read plain digits
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        value = ";".join(map(str, value))
    text = str(value)
    if text.lstrip(" ").startswith(FORMULA_STARTS):
        return "'" + text
    return text


_PLAIN_TYPES = {"number", "integer", "date", "datetime"}


def _plain_cell(value: Any) -> Any:
    """A number or date as a cell; anything else (a mistyped column) still goes through safe_cell."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return safe_cell(value)


def csv_bytes(columns: list[Column] | list[str], rows: Iterable[dict]) -> tuple[bytes, int]:
    """A CSV file as Excel reads it well: UTF-8 with a byte-order mark, CRLF line ends, formula-safe cells."""
    rows = rows if isinstance(rows, list) else list(rows)
    names = [c.name if isinstance(c, Column) else c for c in columns]
    return csv_columns_bytes(columns, {name: [row.get(name) for row in rows] for name in names}), len(rows)


def csv_columns_bytes(columns: list[Column] | list[str], values: dict[str, list]) -> bytes:
    """csv_bytes for data held a column at a time: each column's values, all of the same length.

    A spend file repeats the same dates, amounts, providers and awards across hundreds of thousands
    of rows: each distinct value (the same object) is formatted and quoted once, and the rows are
    joined in C. The csv module's writer, which quotes cell by cell, took five times as long.
    """
    names = [c.name if isinstance(c, Column) else c for c in columns]
    # A column declared as a number or a date holds no text to make safe: format it directly.
    cells = [_plain_cell if isinstance(c, Column) and c.type in _PLAIN_TYPES else safe_cell for c in columns]
    lines = [",".join(map(_quoted, names)), *map(",".join, zip(*(
        _formatted(values[name], cell) for name, cell in zip(names, cells))))]
    if len(names) == 1:  # as the csv module writes it: an empty only cell is "", not an empty line
        lines = [line or '""' for line in lines]
    return ("\ufeff" + "".join(line + "\r\n" for line in lines)).encode("utf-8")


def _formatted(values: list, cell: Callable[[Any], str]) -> list[str]:
    """Each value as a quoted cell, formatting each distinct object once.

    By identity, not equality: Decimal('5') and Decimal('5.00') are equal but are written as given.
    """
    keys = list(map(id, values))
    distinct = dict(zip(keys, values))  # holds the objects while their ids are in use
    cell_of = {key: _quoted(cell(value)) for key, value in distinct.items()}
    return list(map(cell_of.__getitem__, keys))


_QUOTE_IF = frozenset(',"\r\n')


def _quoted(text: str) -> str:
    """A cell as the csv module's minimal quoting writes it: in double quotes if it holds a comma,
    a double quote or a line break, with its double quotes doubled."""
    if _QUOTE_IF.isdisjoint(text):
        return text
    return '"' + text.replace('"', '""') + '"'
