"""`workbook [--output data.xlsx]`: the data CSV files as one Excel workbook for staff to edit.

A sheet for each file (Providers, Awards, Payments 2025-26, Returns 2025-26 ...), each with its
headings frozen, dates as date cells, amounts as numbers, ids and numbers that are codes as text (so
Excel keeps their leading zeros), and a dropdown list on every column of codes or ids, from funder.yaml
and the providers, awards and opportunities in data/. The first sheet, Guide, says how to use it and
what each column holds. `import-workbook` (from_workbook.py) writes it back to the CSV files.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name

from ..load.fields import FIRST_DAY, LAST_DAY
from ..problems import DataError, Problem
from . import csv_files, tables
from .command import add_data_arguments, funder_of, guarded

GUIDE, LISTS = "Guide", "Lists"
ROWS_WITH_LISTS = 20_000  # rows below the data that still get each column's dropdown and format
DATE_FORMAT = "yyyy-mm-dd"  # as the CSV files write dates, so what staff see is what is written
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")
_AMOUNT = re.compile(r"-?\d+(?:\.\d{1,2})?")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def add_arguments(parser) -> None:
    add_data_arguments(parser)
    parser.add_argument("--output", type=Path, default=Path("data.xlsx"), help="the workbook to write (default data.xlsx)")


def _ids(data_dir: Path) -> dict[str, list[str]]:
    ids = {}
    for kind in ("providers", "awards"):
        found = csv_files.read(data_dir / f"{kind}.csv", f"{data_dir.name}/{kind}.csv")
        ids[kind] = [found.values(i).get("id", "") for i in range(len(found.rows))] if found else []
    ids["opportunities"] = sorted(p.stem for p in (data_dir / "opportunities").glob("*.md"))
    return ids


def cell_value(kind: str, text: str):
    """What a CSV cell is written as: a date, a number, or (when it is not one, or is text) the text itself."""
    if kind == "date" and _ISO.fullmatch(text):
        try:
            day = date.fromisoformat(text)
        except ValueError:
            return text
        return day if FIRST_DAY <= day <= LAST_DAY else text  # Excel has no dates before 1900; the contract none before 2000
    if (kind == "money" and _AMOUNT.fullmatch(text)) or (kind == "number" and _NUMBER.fullmatch(text)):
        return float(text)
    return text


def write_workbook(data_dir: Path, output: Path) -> list[str]:
    """Write the workbook; return the sheets it has."""
    try:
        funder = funder_of(data_dir)
    except DataError:
        funder = None  # the dropdowns of funder.yaml's codes are left out; import-workbook will name the problem
    ids = _ids(data_dir)
    book = xlsxwriter.Workbook(str(output), {
        "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False,
    })
    formats = {
        "head": book.add_format({"bold": True, "bg_color": "#f3f2f1", "bottom": 1, "num_format": "@"}),
        "text": book.add_format({"num_format": "@", "valign": "top"}),
        "date": book.add_format({"num_format": DATE_FORMAT, "valign": "top"}),
        "money": book.add_format({"num_format": "0.00", "valign": "top"}),
        "number": book.add_format({"num_format": "General", "valign": "top"}),
        "title": book.add_format({"bold": True, "font_size": 14}),
        "wrap": book.add_format({"text_wrap": True, "valign": "top"}),
    }
    found = tables.tables(data_dir)
    guide = book.add_worksheet(GUIDE)
    lists = book.add_worksheet(LISTS)
    list_ranges: dict[tuple, str] = {}
    for table in found:
        existing = csv_files.read(data_dir / table.relative, f"{data_dir.name}/{table.relative}")
        sheet = book.add_worksheet(table.sheet)
        _table_sheet(sheet, table, existing, funder, ids, formats, lists, list_ranges)
    _guide_sheet(guide, found, data_dir, formats)
    lists.hide()
    book.close()
    return [GUIDE] + [t.sheet for t in found]


def _list_range(lists, list_ranges: dict, values: list[str]) -> str:
    """A range of the hidden Lists sheet holding these values (written once for each distinct list)."""
    key = tuple(values)
    if key not in list_ranges:
        column = len(list_ranges)
        for row, value in enumerate(values):
            lists.write_string(row, column, value)
        letter = xl_col_to_name(column)
        list_ranges[key] = f"={LISTS}!${letter}$1:${letter}${max(len(values), 1)}"
    return list_ranges[key]


def _table_sheet(sheet, table, existing, funder, ids, formats, lists, list_ranges) -> None:
    header = existing.header if existing else [n for n, f in table.model.model_fields.items() if f.is_required()]
    last_row = (len(existing.rows) if existing else 0) + ROWS_WITH_LISTS
    for column, name in enumerate(header):
        kind = tables.kind(table.model, name)
        sheet.write_string(0, column, name, formats["head"])
        width = 12 if kind in ("date", "money", "number", "yes-no") else min(max(len(name) + 2, 14), 50)
        sheet.set_column(column, column, width, formats.get(kind, formats["text"]))
        offered = tables.choices(table.model, name, funder, ids)
        if offered and offered[0]:
            values, only = offered
            sheet.data_validation(1, column, last_row, column, {
                "validate": "list", "source": _list_range(lists, list_ranges, values),
                "error_type": "stop" if only else "information", "ignore_blank": True,
                "error_title": name, "error_message": ("Choose one from the list." if only else
                                                       "Not in the list: check it (several codes go with ; between)."),
            })
    if existing:
        kinds = [tables.kind(table.model, name) for name in header]
        for row in range(len(existing.rows)):
            cells = existing.rows[row]
            for column, text in enumerate(cells[:len(header)]):
                if text == "":
                    continue
                value = cell_value(kinds[column], text)
                if isinstance(value, date):
                    sheet.write_datetime(row + 1, column, datetime.combine(value, datetime.min.time()), formats["date"])
                elif isinstance(value, float):
                    sheet.write_number(row + 1, column, value, formats[kinds[column]])
                else:
                    sheet.write_string(row + 1, column, text, formats["text"])
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(len(existing.rows) if existing else 0, 1), max(len(header) - 1, 0))


def _guide_sheet(sheet, found, data_dir: Path, formats) -> None:
    sheet.set_column(0, 0, 22)
    sheet.set_column(1, 1, 26)
    sheet.set_column(2, 2, 12)
    sheet.set_column(3, 3, 14)
    sheet.set_column(4, 4, 100, formats["wrap"])
    sheet.write_string(0, 0, "The data of the site, to edit in Excel", formats["title"])
    lines = (
        "Each sheet is one file of the data folder: Providers is providers.csv, Awards is awards.csv, Payments 2025-26 "
        "is payments/2025-26.csv, and so on. A row is a record; the first row names the columns.",
        "Change, add or delete rows, then save the workbook as it is (Excel Workbook, .xlsx) and run "
        "make import-workbook FILE=data.xlsx: it checks everything as the build does and writes the files back. "
        "Rows you did not change are written exactly as they were.",
        "Dates are date cells, shown yyyy-mm-dd. Amounts are numbers in pounds. Ids, charity and company numbers are "
        "text, so their leading zeros stay. Columns of codes and ids have a dropdown list.",
        "For a new year's payments, copy a Payments sheet and rename it, for example Payments 2027-28. "
        "Do not rename the other sheets, and do not type formulas: a cell's value is what is written.",
    )
    for row, line in enumerate(lines, start=2):
        sheet.write_string(row, 0, line)
    row = len(lines) + 3
    sheet.write_string(row, 0, "What each column holds", formats["title"])
    row += 1
    for column, heading in enumerate(("Sheet", "Column", "Required", "Type", "What it holds")):
        sheet.write_string(row, column, heading, formats["head"])
    words = {"date": "Date", "money": "Amount in pounds", "number": "Number", "yes-no": "yes or no", "text": "Text"}
    for table in found:
        for name, field in table.model.model_fields.items():
            row += 1
            sheet.write_string(row, 0, table.sheet)
            sheet.write_string(row, 1, name)
            sheet.write_string(row, 2, "Yes" if field.is_required() else "No")
            sheet.write_string(row, 3, words[tables.kind(table.model, name)])
            sheet.write_string(row, 4, " ".join((field.description or "").split()), formats["wrap"])


@guarded
def run(args) -> int:
    data_dir = Path(args.data)
    if not data_dir.is_dir():
        raise DataError([Problem(str(data_dir), 0, "", "folder is missing; run this from the project folder")])
    if Path(args.output).resolve().is_relative_to(data_dir.resolve()):
        raise DataError([Problem(str(args.output), 0, "", (
            "is inside the data folder, where the build refuses any file it does not read; write it beside it, "
            "for example --output data.xlsx"))])
    sheets = write_workbook(data_dir, Path(args.output))
    print(f"Wrote {args.output} with the sheets {', '.join(sheets)}. Edit it in Excel, save it as .xlsx, then run "
          f"make import-workbook FILE={args.output}")
    return 0
