"""The CSV writer every download shares: UTF-8 with a byte-order mark, CRLF line ends, every text cell
in double quotes, and no cell a spreadsheet could run as a formula.

Quoting every text cell (RFC 4180) keeps a reading at `,` from splitting one; Excel in a locale whose
list separator is `;` reads `NHS;=cmd|...` written bare as two cells, the second a formula. Because a
reading at `;` may still split a cell there, or at a line break where it misreads the quotes, each
part of a text cell after a `;` or a line break is made as safe as the start of a cell (safe_cell).
Numbers and dates are written bare, so that a spreadsheet still reads them as numbers and dates.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Callable, Iterable

from .files import Column

# OWASP CSV injection: a text cell starting with one of these is read as a formula by spreadsheets;
# with the full-width and small forms of = + - @ and the minus sign, which some spreadsheets (and
# some conversions to ASCII on the way) read as the same.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠", "﹦", "﹢", "﹣", "﹫", "\u2212")
_CELL_STARTS = frozenset(FORMULA_STARTS)
_PART_STARTS = _CELL_STARTS - {"\t", "\r", "\n"}  # after a `;` or a line break, only = + - @ and their look-alikes
# Where a spreadsheet that reads the file wrongly may start a new cell inside a text cell: after a `;`
# (Excel where the list separator is `;`) and after a line break (the same, outside the quotes).
_PART = re.compile(r"(?<=[;\n])|(?<=\r)(?!\n)")


def _runs_as_formula(text: str, starts: frozenset = _CELL_STARTS) -> bool:
    """Whether a spreadsheet could run text as a formula: it starts, after any spaces and invisible
    characters (a zero-width space, a byte-order mark, any other format character), with one of starts."""
    for char in text:
        if char in starts:
            return True
        if not (char.isspace() or unicodedata.category(char) == "Cf"):
            return False
    return False


def _made_safe(text: str) -> str:
    if ";" not in text and "\n" not in text and "\r" not in text:
        return "'" + text if _runs_as_formula(text) else text
    first, *rest = _PART.split(text)
    return "".join(["'" + first if _runs_as_formula(first) else first,
                    *("'" + part if _runs_as_formula(part, _PART_STARTS) else part for part in rest)])


def safe_cell(value: Any) -> Any:
    """A value as a CSV cell: numbers and dates stay plain (a Decimal in full, never 1E+3), True and
    False are yes and no, None is empty and a list is joined with `;`.

    Text that a spreadsheet would run as a formula gets a leading ': `=1` is written `'=1`, and so are
    ` =1`, `\u200b=1` (a zero-width space first), `＝1`, `﹦1` and `−1` (a minus sign). So does each part
    of it after a `;` or a line break, where a spreadsheet that splits cells at `;`, or misreads the
    quotes, would start a new cell: `NHS;=cmd` is written `NHS;'=cmd`, `["=x", "y"]` is `'=x;y`, and
    `Aims:\n=1` is `Aims:\n'=1`.
    """
    if type(value) is str and value[:1].isalnum() and ";" not in value and "\n" not in value and "\r" not in value:
        return value  # most cells, and a spend file has millions: a letter or digit first is never a formula
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
    return _made_safe(str(value))


_BARE_TYPES = (bool, int, float, Decimal, date)  # datetime is a date


def _cell(value: Any) -> str:
    """A value as the file holds it: text formula-safe and in double quotes, its own double quotes
    doubled; a number, a date, yes or no, or an empty cell bare."""
    if value is None or isinstance(value, _BARE_TYPES):
        return safe_cell(value)
    return _quoted(safe_cell(value))


_PLAIN_TYPES = {"number", "integer", "date", "datetime"}


def _plain_cell(value: Any) -> str:
    """A number or date as a cell; anything else (a mistyped column) is still made safe and quoted."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return _cell(value)


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
    cells = [_plain_cell if isinstance(c, Column) and c.type in _PLAIN_TYPES else _cell for c in columns]
    lines = [",".join(map(_quoted, names)), *map(",".join, zip(*(
        _formatted(values[name], cell) for name, cell in zip(names, cells))))]
    if len(names) == 1:  # as the csv module writes it: an empty only cell is "", not an empty line
        lines = [line or '""' for line in lines]
    return ("\ufeff" + "".join(line + "\r\n" for line in lines)).encode("utf-8")


def _formatted(values: list, cell: Callable[[Any], str]) -> list[str]:
    """Each value as the file holds it, formatting each distinct object once.

    By identity, not equality: Decimal('5') and Decimal('5.00') are equal but are written as given.
    """
    keys = list(map(id, values))
    distinct = dict(zip(keys, values))  # holds the objects while their ids are in use
    cell_of = {key: cell(value) for key, value in distinct.items()}
    return list(map(cell_of.__getitem__, keys))


def _quoted(text: str) -> str:
    """A text cell in double quotes, with its double quotes doubled (RFC 4180), as the csv module's
    writer writes every cell with QUOTE_ALL."""
    return '"' + text.replace('"', '""') + '"'
