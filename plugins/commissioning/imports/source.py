"""Reading the file an import starts from: a CSV file or an Excel workbook, as a header and rows, each
value with the place staff would find it (a CSV line, or a workbook's sheet and cell)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from ..problems import DataError, Problem

EXCEL_SUFFIXES = (".xlsx", ".xlsm")


@dataclass
class Rows:
    """A table as read: its headings and its rows of values, with where each row is."""

    name: str  # the file as the command was given it
    header: list[str]
    rows: list[list[Any]] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)  # a CSV file's line, or a sheet's row number
    sheet: str | None = None  # the sheet read, for a workbook
    encoding: str = "utf-8"

    def record(self, index: int) -> dict[str, Any]:
        row = self.rows[index]
        return {column: (row[i] if i < len(row) else None) for i, column in enumerate(self.header) if column}

    def problem(self, index: int, column: str, message: str) -> Problem:
        """A problem at a row's cell: `file:14: column: message`, or `file Sheet!F14: column: message`."""
        if self.sheet is None:
            return Problem(self.name, self.lines[index], column, message)
        return Problem(f"{self.name} {self.sheet}!{cell_name(self.header.index(column) if column in self.header else 0, self.lines[index])}",
                       0, column, message)


def cell_name(column: int, row: int) -> str:
    """Column 0, row 14 -> A14."""
    letters = ""
    column += 1
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return f"{letters}{row}"


def decoded(raw: bytes) -> tuple[str, str]:
    """A file's text and its encoding: UTF-8 (with or without a byte-order mark), else Windows-1252,
    which finance systems still export."""
    try:
        return raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace"), "windows-1252"


def read_rows(path: Path, name: str, sheet: str | None = None, header_row: int = 1) -> Rows:
    """The table in a CSV file or a workbook's sheet (the first, unless named), its headings on header_row."""
    if not path.is_file():
        raise DataError([Problem(name, 0, "", "is not there; check the file's name and folder")])
    if path.suffix.lower() in EXCEL_SUFFIXES:
        return _workbook_rows(path, name, sheet, header_row)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DataError([Problem(name, 0, "", f"cannot be read ({exc.strerror})")])
    if raw[:4] == b"PK\x03\x04":
        raise DataError([Problem(name, 0, "", "is an Excel workbook, not a CSV file; give it a name ending .xlsx")])
    text, encoding = decoded(raw)
    reader = csv.reader(io.StringIO(text, newline=""))
    found = Rows(name, [], encoding=encoding)
    try:
        for number, row in enumerate(reader, start=1):
            if number < header_row:
                continue
            if number == header_row:
                found.header = [cell.strip() for cell in row]
                continue
            if len(row) > len(found.header) and "".join(row[len(found.header):]).strip():
                raise DataError([Problem(name, reader.line_num, "", (
                    f"has {len(row)} cells but the header has {len(found.header)} columns; "
                    "a comma inside a value needs the whole value in double quotes"))])
            if "".join(row).strip():
                found.rows.append(row)
                found.lines.append(reader.line_num)
    except csv.Error as exc:
        raise DataError([Problem(name, reader.line_num, "", f"cannot be read as CSV ({exc}); check for a stray double quote")])
    if not found.header:
        raise DataError([Problem(name, header_row, "", "has no header row; the first line names the columns")])
    return found


def _workbook_rows(path: Path, name: str, sheet: str | None, header_row: int) -> Rows:
    book = open_workbook(path, name)
    try:
        names = book.sheetnames
        chosen = sheet or names[0]
        if chosen not in names:
            raise DataError([Problem(name, 0, "sheet", f"has no sheet named '{chosen}'; its sheets are {', '.join(names)}")])
        found = Rows(name, [], sheet=chosen)
        for number, row in enumerate(book[chosen].iter_rows(values_only=True), start=1):
            if number < header_row:
                continue
            if number == header_row:
                found.header = [str(cell).strip() if cell is not None else "" for cell in row]
                continue
            if any(cell not in (None, "") for cell in row):
                found.rows.append(list(row))
                found.lines.append(number)
    finally:
        book.close()
    return found


def open_workbook(path: Path, name: str, read_only: bool = True):
    """An Excel workbook opened for reading its values; a file that is not one is a problem, not a traceback."""
    try:
        import openpyxl
    except ImportError:  # pragma: no cover - installed with requirements.txt
        raise DataError([Problem(name, 0, "", "cannot be read: reading Excel files needs openpyxl; run make setup")])
    try:
        return openpyxl.load_workbook(path, read_only=read_only, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise DataError([Problem(name, 0, "", (
            f"cannot be read as an Excel workbook ({type(exc).__name__}); save it from Excel as .xlsx and try again"))])


def as_text(value: Any) -> str:
    """A cell's value as text: dates as YYYY-MM-DD, whole numbers without .0, None as ''."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value).strip()
