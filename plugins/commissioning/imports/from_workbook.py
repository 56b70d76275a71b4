"""`import-workbook FILE`: the staff workbook written back to the data CSV files, exactly.

Each cell is compared with the file's own text: a cell that means what the file says (the same date,
the same amount, the same text) keeps the file's text, and a row whose every cell does keeps its line
byte for byte, so a round trip changes nothing. The files are checked as the build checks them before
any is written, and every problem is named by its sheet and cell, `Awards!F14: amount_awarded: ...`.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from pathlib import Path

from ..problems import DataError, Problem
from . import csv_files, tables
from .command import add_data_arguments, content_of, finish, guarded, now
from .source import as_text, cell_name, open_workbook
from .staging import check_and_write
from .workbook import GUIDE, LISTS


def add_arguments(parser) -> None:
    parser.add_argument("file", type=Path, help="the workbook, as `workbook` wrote it and Excel saved it (.xlsx)")
    add_data_arguments(parser)


def _decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text)
    except (InvalidOperation, ValueError):
        return None


def same(text: str, value, kind: str) -> bool:
    """Whether a cell's value means what the file's text says, so the file's text can stay."""
    written = text.strip().replace("\r\n", "\n")
    if value is None or value == "":
        return written == ""
    if kind in ("money", "number") and isinstance(value, (int, float)) and not isinstance(value, bool):
        number = _decimal(written)
        return number is not None and number == Decimal(repr(value))
    return written == cell_text(value, kind, text).strip().replace("\r\n", "\n")


def cell_text(value, kind: str, like: str = "") -> str:
    """A cell's value as the CSV file writes it; `like` is another value of the column, whose style it follows."""
    if isinstance(value, str):
        return value  # as typed: a round trip keeps every character
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return as_text(value)  # empty, yes or no, a date or a date and time: as every reader writes them
    number = Decimal(repr(value))
    if kind == "money":
        pence = number.quantize(Decimal("0.01"))
        if abs(pence - number) < Decimal("0.000001"):
            number = pence
        if number == number.to_integral_value() and "." not in like:
            return str(int(number))
        return f"{number:.2f}" if number == pence else format(number.normalize(), "f")
    return str(int(number)) if number == number.to_integral_value() else format(number.normalize(), "f")


class SheetRows:
    """A table's sheet as read: its header, and each row's values with the row number it is on."""

    def __init__(self, name: str, rows: list[tuple]):
        header = list(rows[0]) if rows else []
        while header and header[-1] in (None, ""):
            header.pop()
        self.name = name
        self.header = ["" if h is None else str(h).strip() for h in header]
        self.rows: list[list] = []
        self.numbers: list[int] = []
        for number, row in enumerate(rows[1:], start=2):
            values = list(row[:len(self.header)]) + [None] * (len(self.header) - len(row))
            if any(v not in (None, "") for v in values):
                self.rows.append(values)
                self.numbers.append(number)


def _written(sheet: SheetRows, table, existing: csv_files.CsvFile | None, problems: list[Problem]) -> tuple[str, dict[int, int]]:
    """The file's new text, and for each line it writes a row on, that row's number in the sheet."""
    header = sheet.header
    kinds = [tables.kind(table.model, name) for name in header]
    same_header = existing is not None and header == existing.header
    by_id: dict[str, int] = {}
    if existing and "id" in existing.header:
        for index in range(len(existing.rows)):
            by_id.setdefault(existing.values(index).get("id", "").lower(), index)
    style: dict[str, str] = {}  # a filled cell of each column, whose way of writing amounts new ones follow
    if existing:
        for name in header:
            if name in existing.header:
                where = existing.header.index(name)
                style[name] = next((r[where] for r in existing.rows if where < len(r) and r[where].strip()), "")
    newline = existing.newline if existing else "\n"
    head = existing.header_raw if same_header else csv_files.row_text(header, newline)
    body, lines, line = [], {}, 1 + head.count("\n")
    for position, values in enumerate(sheet.rows):
        for column, value in enumerate(values):
            if isinstance(value, str) and value.startswith("#") and value.rstrip("!?0/").upper() in ("#REF", "#VALUE", "#N/A", "#NAME", "#DIV", "#NUM", "#NULL"):
                problems.append(Problem(f"{sheet.name}!{cell_name(column, sheet.numbers[position])}", 0, header[column],
                                        f"holds the Excel error {value}; type the value itself"))
        original = None
        if existing:
            if "id" in header:
                original = by_id.get(cell_text(values[header.index("id")], "text").strip().lower())
            elif position < len(existing.rows):
                original = position
        texts = []
        before = existing.values(original) if original is not None else {}
        for column, name in enumerate(header):
            old = before.get(name, "")
            if same(old, values[column], kinds[column]):
                where = existing.header.index(name) if name in existing.header else None
                cells = existing.rows[original] if original is not None else []
                texts.append(cells[where] if where is not None and where < len(cells) else old)
            else:
                texts.append(cell_text(values[column], kinds[column], style.get(name, "")))
        if original is not None and same_header and texts == _padded(existing.rows[original], len(header)):
            row = existing.raw[original]
        else:
            row = csv_files.row_text(texts, newline)
        if not row.endswith("\n"):  # the file's last line had no line ending
            row += newline
        lines[line] = sheet.numbers[position]
        line += row.count("\n")
        body.append(row)
    if existing and existing.raw and not existing.raw[-1].endswith("\n") and body and body[-1] == existing.raw[-1] + newline:
        body[-1] = existing.raw[-1]
    return ("\ufeff" if existing and existing.bom else "") + head + "".join(body), lines


def _padded(cells: list[str], width: int) -> list[str]:
    return cells[:width] + [""] * (width - len(cells))


def read_workbook(path: Path, name: str, data_dir: Path) -> tuple[dict[str, str], dict[str, tuple], list[Problem], list[str]]:
    """Each table's new file text by its path in data/; where each line came from; problems; what was left alone."""
    book = open_workbook(path, name)
    changes, places, problems, left = {}, {}, [], []
    try:
        seen = set()
        for sheet_name in book.sheetnames:
            if sheet_name in (GUIDE, LISTS):
                continue
            table = tables.table_of(sheet_name)
            if table is None:
                problems.append(Problem(f"{sheet_name}", 0, "", (
                    "is not a sheet of the workbook's tables; give it the name of one (Payments 2027-28 for a new year's "
                    "payments) or delete it")))
                continue
            seen.add(table.relative)
            sheet = SheetRows(sheet_name, list(book[sheet_name].iter_rows(values_only=True)))
            existing = csv_files.read(data_dir / table.relative, f"{data_dir.name}/{table.relative}")
            text, lines = _written(sheet, table, existing, problems)
            shown = f"{data_dir.name}/{table.relative}"
            places[shown] = (sheet_name, sheet.header, lines)
            if existing is None or (data_dir / table.relative).read_bytes() != text.encode("utf-8"):
                changes[table.relative] = text
        for table in tables.tables(data_dir):
            if table.relative not in seen:
                left.append(f"{data_dir.name}/{table.relative} (its sheet {table.sheet} is not in the workbook)")
    finally:
        book.close()
    return changes, places, problems, left


_AT_LINE = re.compile(r"(\b[\w./-]+\.csv):(\d+)")
_FOUND_ON = re.compile(r"\(found on lines ([^)]*)\)")


def in_cells(problem: Problem, places: dict[str, tuple]) -> Problem:
    """A problem in a CSV file the workbook wrote, named by sheet and cell: Awards!F14."""
    if problem.file not in places:
        return problem
    sheet, header, lines = places[problem.file]
    message = _AT_LINE.sub(lambda m: _place(m.group(1), int(m.group(2)), places) or m.group(0), problem.message)
    message = _FOUND_ON.sub(lambda m: "(found on rows " + re.sub(r"\d+", lambda n: str(lines.get(int(n.group()), n.group())), m.group(1)) + ")", message)
    if not problem.line:
        return Problem(sheet, 0, problem.field, message, problem.severity)
    row = 1 if problem.line == 1 else lines.get(problem.line)
    if row is None:
        return Problem(problem.file, problem.line, problem.field, message, problem.severity)
    column = header.index(problem.field) if problem.field in header else None
    where = f"{sheet}!{cell_name(column, row)}" if column is not None else f"{sheet}!{row}:{row}"
    return Problem(where, 0, problem.field, message, problem.severity)


def _place(file: str, line: int, places: dict) -> str | None:
    for shown, (sheet, _, lines) in places.items():
        if shown.endswith(file) and line in lines:
            return f"{sheet}!{lines[line]}:{lines[line]}"
    return None


@guarded
def run(args) -> int:
    data_dir = Path(args.data)
    changes, places, problems, left = read_workbook(Path(args.file), str(args.file), data_dir)
    if problems:
        raise DataError(problems)
    checked = check_and_write(data_dir, content_of(data_dir), changes, now())
    checked.errors = [in_cells(p, places) for p in checked.errors]
    checked.warnings = [in_cells(p, places) for p in checked.warnings]
    for note in left:
        print(f"Left as it is: {note}.")
    return finish(checked, "Check the changes (git diff), then commit them.")
