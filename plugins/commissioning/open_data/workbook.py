"""An Excel workbook beside every CSV download: the same columns and values, typed as Excel reads them.

A CSV file opened in Excel loses what its text cannot say: Excel drops the leading zeros of a company
number, reads 2025-26 as a date and a date as text in another locale, and shows amounts as bare
numbers. The workbook (data/spend-2025-26.xlsx beside data/spend-2025-26.csv) is made from the same
`Column`s and the typed values the section kept (`Download.values`), so:

- text, identifiers and numbers that are codes (charity and company numbers, references) are text
  cells (shared strings, never formulas: sheet_rows writes the Data sheet's rows, xlsxwriter the
  rest with strings_to_formulas, strings_to_urls and strings_to_numbers off): leading zeros are kept;
- dates are date cells; date-times are converted to UK time (Europe/London) and written as Excel's
  naive date-times, with a date-time format; times of day likewise;
- amounts of money (a Table Schema "number" in pounds, guide.is_money) are numbers formatted in
  pounds; other numbers and whole numbers ("integer") are plain numbers;
- the header row is frozen with a filter on every column; columns are as wide as their content;
- a first sheet, About, says what the file is and explains every column, from the Columns'
  descriptions (open_data/guide.py), for a reader.

The same data gives the same bytes: the workbook's created date is the download's lastmod (the zip's
dates are fixed by xlsxwriter), never the clock. A download without kept values is read back from its
CSV by its Columns' types, so any section's CSV gets a workbook.

`files(site, files_so_far)` runs after every other file maker but datapackage.json's, and makes a
workbook for each CSV made before it; a large site's are shared between two processes.
"""

from __future__ import annotations

import gc
import io
import posixpath
import sys
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any, Callable

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name

from .. import workers
from ..load.fields import UK
from . import guide, kept_workbooks, sheet_rows
from .csv_reader import values_from_csv
from .files import Download

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATA_SHEET = "Data"
DATA_SHEET_PART = "xl/worksheets/sheet2.xml"  # the second sheet made, after About
MAX_ROWS = 1_048_575  # Excel's 1,048,576 rows, less the header: a larger table gets no workbook
MAX_TEXT = 32_767  # the most characters an Excel cell holds
CUT = " [cut short: Excel holds no more in a cell; the CSV file has it all]"
WIDEST, NARROWEST = 60, 8  # column widths, in characters
PARALLEL_CELLS = 400_000  # cells across every workbook above which a second process makes some of them
FIRST_DAY = date(2000, 1, 1)  # the created date of a workbook whose download has no lastmod

FORMATS = {
    "header": {"bold": True, "bg_color": "#f3f2f1", "bottom": 1},
    "money": {"num_format": "£#,##0.00;-£#,##0.00"},
    "number": {"num_format": "General"},
    "integer": {"num_format": "0"},
    "date": {"num_format": "d mmm yyyy"}, "datetime": {"num_format": "d mmm yyyy hh:mm"}, "time": {"num_format": "hh:mm"},
    "title": {"bold": True, "font_size": 14}, "wrap": {"text_wrap": True, "valign": "top"}, "top": {"valign": "top"},
    "text": {},  # a run of text in the default font (_text_writer); not written to a workbook unless used
}
# The format each kind of column (guide.kind) is written with; any other kind is text.
TYPE_FORMAT = {kind: kind for kind in ("money", "number", "integer", "date", "datetime", "time")}
WIDTHS = {"date": 12, "datetime": 18, "time": 8}


def workbook_path(save_as: str) -> str:
    """data/spend-2025-26.csv -> data/spend-2025-26.xlsx"""
    return posixpath.splitext(save_as)[0] + ".xlsx"


# --- values as cells ---------------------------------------------------------------------------


def text(value: Any) -> str | None:
    """A value as the text of a cell, as the CSV file writes it (a list joined with ;, yes and no); None if empty."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple)):
        value = ";".join(map(str, value))
    elif isinstance(value, Decimal):
        value = format(value, "f")
    elif isinstance(value, (date, time)):
        value = value.isoformat()
    value = str(value)
    if not value:
        return None
    return value if len(value) <= MAX_TEXT else value[:MAX_TEXT - len(CUT)] + CUT


def uk_naive(value: datetime) -> datetime:
    """A date-time as Excel holds it: the wall clock in the UK, with no offset."""
    return value.astimezone(UK).replace(tzinfo=None) if value.tzinfo else value


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float, Decimal)):
        return float(value)
    return None


EXCEL_EPOCH = datetime(1899, 12, 30)  # day 0 of Excel's dates, for every date after 28 February 1900


def serial(moment: datetime) -> float:
    """A naive date-time as Excel stores it: days since its epoch, the time of day as a fraction.
    Written as a number with a date format, it is the date cell write_datetime would write, made
    more quickly: a spend file has a date on every one of its rows."""
    delta = moment - EXCEL_EPOCH
    return delta.days + delta.seconds / 86400


def _moment(kind: str, value: Any):
    """A date or date-time as the number Excel stores, a time as write_datetime takes it; None if it is not one."""
    if kind == "date":
        if isinstance(value, datetime):
            value = uk_naive(value).date()
        return float(serial(datetime.combine(value, time(0)))) if isinstance(value, date) else None
    if kind == "datetime":
        if isinstance(value, datetime):
            return serial(uk_naive(value))
        return float(serial(datetime.combine(value, time(0)))) if isinstance(value, date) else None
    if kind == "time":
        if isinstance(value, datetime):
            return uk_naive(value).time()
        return value if isinstance(value, time) else None
    return None


def _width(kind: str, name: str, cells: list) -> int:
    """A column's width in characters: its heading's or its widest value's, within limits."""
    if kind in WIDTHS:
        widest = WIDTHS[kind]
    elif kind == "money":
        amounts = [abs(v) for v in cells if isinstance(v, float)]
        widest = len(f"-£{max(amounts):,.2f}") if amounts else 0
    elif kind in ("number", "integer"):
        widest = max((len(f"{v:g}") for v in cells if isinstance(v, float)), default=0)
    else:
        widest = max((len(v) for v in set(cells) if isinstance(v, str)), default=0)
    return max(NARROWEST, min(max(widest, len(name)) + 2, WIDEST))


# --- the workbook --------------------------------------------------------------------------------


def workbook_bytes(download: Download, values: dict[str, list] | None = None,
                   about: list[tuple[str, Any]] | None = None, author: str = "") -> bytes:
    """An Excel workbook of a download: an About sheet explaining it, then its table on the sheet Data.

    `values` is the table a column at a time (column name -> typed values), as the section made the
    CSV from; by default `download.values`, else the CSV read back by its Columns' types. `about`
    adds lines to the About sheet (who publishes it, its licence, ...), a label and a value each;
    `author` is the workbook's author in its properties.
    """
    if values is None:
        values = download.values if download.values is not None else values_from_csv(download)
    output = io.BytesIO()
    book = xlsxwriter.Workbook(output, {
        "in_memory": True, "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False,
    })
    formats = {name: book.add_format(spec) for name, spec in FORMATS.items()}
    lastmod = download.lastmod or FIRST_DAY
    book.set_properties({
        "title": download.title, "subject": download.description, "comments": f"Made from {download.save_as}",
        "created": datetime.combine(lastmod.date() if isinstance(lastmod, datetime) else lastmod, time(0)),
        **({"author": author} if author else {}),
    })
    _about_sheet(book.add_worksheet("About"), download, about or [], formats)
    table = _data_sheet(book.add_worksheet(DATA_SHEET), download, values, formats)
    book.close()
    if not table:
        return output.getvalue()
    # Only now has xlsxwriter given each format the index its cells name.
    columns = [(cells, style.xf_index if style else None) for cells, style in table]
    return sheet_rows.with_rows(output.getvalue(), DATA_SHEET_PART, columns, len(columns))


def _about_sheet(sheet, download: Download, about: list[tuple[str, Any]], formats: dict) -> None:
    put = _text_writer(sheet, formats)
    write = _writer(sheet, formats)
    sheet.set_column(0, 0, 20, formats["top"])
    sheet.set_column(1, 1, 32, formats["top"])
    sheet.set_column(2, 2, 24, formats["top"])
    sheet.set_column(3, 3, 90, formats["wrap"])
    sheet.set_column(4, 4, 16, formats["top"])
    put(0, 0, download.title, formats["title"])
    row = 1
    if download.description:
        put(row, 0, download.description)
        row += 1
    row += 1
    for label, value in [*about, ("Rows", download.rows)]:
        put(row, 0, label, formats["header"])
        write(row, 1, value)
        row += 1
    row += 1
    for line in (
        f"The data is on the sheet named {DATA_SHEET}, a row for each record, with its column headings frozen "
        "at the top and a filter on each.",
        "References and numbers that are codes (org-ids, charity and company numbers, ids) are text, so "
        "that leading zeros are kept. Amounts are numbers in pounds. Dates are dates, and times are UK time.",
        "Nothing in this workbook is a formula. The CSV file of the same name holds the same data, for programs.",
    ):
        put(row, 0, line)
        row += 1
    row += 1
    put(row, 0, "What each column means", formats["title"])
    row += 1
    for column, heading in enumerate(("Column", "Heading", "Type", "What it means", "Always filled in")):
        put(row, column, heading, formats["header"])
    for index, explained in enumerate(guide.columns(download)):
        row += 1
        put(row, 0, xl_col_to_name(index))
        put(row, 1, explained.name)
        put(row, 2, explained.kind)
        if explained.meaning:
            put(row, 3, explained.meaning, formats["wrap"])
        put(row, 4, "Yes" if explained.always else "No")


def _text_writer(sheet, formats: dict) -> Callable[..., None]:
    """Writes text into a cell as text, whatever it says.

    xlsxwriter copies text that starts <r> and ends </r> into the XML as it is, taking it for
    rich-text markup it made, so a funder's name or title shaped so would make a workbook Excel cannot
    open. Such text is written as a rich string of two plain runs instead, which xlsxwriter escapes.
    (The Data sheet's rows never reach xlsxwriter: sheet_rows writes them.)
    """
    def put(row: int, column: int, value: str, style=None) -> None:
        if value.startswith("<r>") and value.endswith("</r>"):
            sheet.write_rich_string(row, column, value[:1], style or formats["text"], value[1:], *[style] * bool(style))
        else:
            sheet.write_string(row, column, value, style)
    return put


def _writer(sheet, formats: dict) -> Callable[[int, int, Any], None]:
    """Writes one value of the About sheet by its type: text, a number, a date."""
    put = _text_writer(sheet, formats)

    def write(row: int, column: int, value: Any) -> None:
        if isinstance(value, datetime):
            sheet.write_datetime(row, column, uk_naive(value), formats["datetime"])
        elif isinstance(value, date):
            sheet.write_datetime(row, column, value, formats["date"])
        elif isinstance(value, int) and not isinstance(value, bool):
            sheet.write_number(row, column, value, formats["integer"])
        elif text(value) is not None:
            put(row, column, text(value))
    return write


def _cells(kind: str, column: list) -> list:
    """A column's values as cells: text, a float (an amount, a number, a date as Excel stores it) or a
    time of day; None for an empty cell. Each distinct object is converted once (a spend file repeats
    the same provider and date on many rows)."""
    if kind in ("money", "number", "integer"):
        convert = _number
    elif kind in WIDTHS:
        def convert(value, kind=kind):
            return _moment(kind, value)
    else:
        convert = text
    keys = list(map(id, column))
    distinct = dict(zip(keys, column))  # holds the objects while their ids are in use
    cell_of = {key: convert(value) for key, value in distinct.items()}
    cells = list(map(cell_of.__getitem__, keys))
    if kind != "string":  # a value not of its column's type (a mistyped column) is still written, as text
        for index, (cell, value) in enumerate(zip(cells, column)):
            if cell is None and value is not None:
                cells[index] = text(value)
    return cells


def _data_sheet(sheet, download: Download, values: dict[str, list], formats: dict) -> list[tuple[list, Any]]:
    """The header, widths, frozen row and filter; returns each column's cells and format, for
    sheet_rows to write below the header once xlsxwriter has given every format its index."""
    columns = download.columns
    height = len(values[columns[0].name]) if columns else 0
    header = formats["header"]
    put = _text_writer(sheet, formats)
    table = []
    for index, column in enumerate(columns):
        put(0, index, column.name, header)
        kind = guide.kind(column)
        kind = kind if kind in TYPE_FORMAT else "string"  # yes and no are text, as in the CSV file
        cells = _cells(kind, values[column.name])
        style = formats[TYPE_FORMAT[kind]] if kind in TYPE_FORMAT else None
        # The column's format, so that xlsxwriter gives it an index: its cells are written with it.
        sheet.set_column(index, index, _width(kind, column.name, cells), style)
        table.append((cells, style))
    sheet.freeze_panes(1, 0)
    if columns:
        sheet.autofilter(0, 0, max(height, 1), len(columns) - 1)
        # Text that looks like a number (a charity number) is text on purpose: no green warning triangles.
        sheet.ignore_errors({"number_stored_as_text": f"A1:{xl_col_to_name(len(columns) - 1)}{height + 1}"})
    return table


# --- the file maker --------------------------------------------------------------------------------


def about(site, download: Download) -> list[tuple[str, Any]]:
    """The About sheet's lines on where the data comes from."""
    funder = site.funder
    base = site.settings.public_url
    source = f"{base}/{download.save_as}" if base else posixpath.basename(download.save_as)
    lines = [("Published by", funder.name), ("Licence", funder.licence),
             ("The same data as CSV", source)]
    if download.lastmod:
        lines.append(("Last updated", download.lastmod))
    return lines


# The live preview's workbooks (a kept_workbooks.Memory it holds), while it rebuilds: its rebuilds
# make again only the workbooks whose CSV changed. None in a build, which keeps them between builds
# on disk instead.
KEPT: kept_workbooks.Memory | None = None


def _make(jobs: list[tuple[Download, list, str]]) -> list[bytes]:
    return [workbook_bytes(download, None, lines, author) for download, lines, author in jobs]


def _made(jobs: list[tuple[Download, list, str]]) -> list[bytes]:
    """Every job's workbook, in order; a large site's shared with a forked copy of this process."""
    sizes = [max(d.rows, 1) * max(len(d.columns), 1) for d, _, _ in jobs]
    if sum(sizes) < PARALLEL_CELLS or workers.cores() < 2 or not sys.platform.startswith("linux"):
        return _make(jobs)
    # Largest first, each to the lighter of the two shares.
    here, there, loads = [], [], [0, 0]
    for index in sorted(range(len(jobs)), key=lambda i: -sizes[i]):
        share = 0 if loads[0] <= loads[1] else 1
        (here if share == 0 else there).append(index)
        loads[share] += sizes[index]
    gc.freeze()  # as workers.share does: the copy shares this process's memory until it writes to it
    try:
        copy = workers.forked(_make, [jobs[i] for i in there])
        try:
            made = dict(zip(here, _make([jobs[i] for i in here])))
        except BaseException:
            copy.stop()
            raise
        made.update(zip(there, copy.result()))
    finally:
        gc.unfreeze()
    return [made[index] for index in range(len(jobs))]


def files(site, files_so_far) -> list[Download]:
    """An Excel workbook beside every CSV download made before it (data/x.csv -> data/x.xlsx)."""
    tables = [f for f in files_so_far if isinstance(f, Download) and f.media_type == "text/csv"
              and f.save_as.endswith(".csv") and f.columns and f.rows <= MAX_ROWS]
    jobs = [(table, about(site, table), site.funder.name) for table in tables]
    store = KEPT if KEPT is not None else kept_workbooks.Folder(site.settings.root, site.settings.site_url)
    made = kept_workbooks.made(jobs, kept_workbooks.key, _made, store)
    out = []
    for table, content in zip(tables, made):
        name = posixpath.basename(table.save_as)
        out.append(Download(
            workbook_path(table.save_as), content, table.lastmod, title=f"{table.title} (Excel workbook)",
            description=(f"The same data as {name}, as an Excel workbook: dates are dates, amounts are in pounds, "
                         "references keep their leading zeros, and a first sheet explains every column."),
            format="Excel", rows=table.rows, columns=table.columns, primary_key=table.primary_key,
            media_type=MEDIA_TYPE))
    return out
