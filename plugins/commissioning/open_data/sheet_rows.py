"""The rows of a workbook's Data sheet, written as SpreadsheetML into the workbook xlsxwriter made.

xlsxwriter spends about 5.7 microseconds on a cell: a named tuple for each cell when it is written,
then an XML element for each through general attribute writers. A year of payments at the
benchmark's default size is 950,000 cells, 5.4 s of CPU, and the workbooks were the largest single
cost of a build. So xlsxwriter still makes everything but the rows below the header (the About
sheet, the styles, the column widths, the frozen header row, the filter, the properties), and this
writes those rows as xlsxwriter would: the same escapes, numbers as %.16G, each cell styled with its
column's format, text in the shared strings. A cell costs about a quarter as much.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import time
from typing import Iterator, Sequence

from xlsxwriter.utility import xl_col_to_name
from zlib_ng import zlib_ng

# The escapes xlsxwriter's XML writer makes (xmlwriter._escape_control_characters, _escape_data):
# Excel's _xHHHH_ for a control character, its leading underscore escaped where the text has one.
_LITERAL_ESCAPE = re.compile("(_x[0-9a-fA-F]{4}_)")
_CONTROL = re.compile(r"([\x00-\x08\x0b-\x1f])")
_NEEDS_WORK = re.compile(r"[\x00-\x08\x0b-\x1f&<>\ufffe\uffff]|_x[0-9a-fA-F]{4}_")
_SPACE_AT_AN_END = re.compile(r"^\s|\s$")


def si_element(text: str) -> str:
    """Text as an element of the shared strings, as xlsxwriter writes it (sharedstrings._write_si):
    control characters escaped, spaces at either end marked to be kept, markup escaped."""
    if _NEEDS_WORK.search(text):  # most text needs none of it: one search instead of five passes
        text = _LITERAL_ESCAPE.sub(r"_x005F\1", text)
        text = _CONTROL.sub(lambda match: f"_x{ord(match.group(1)):04X}_", text)
        text = text.replace("\ufffe", "_xFFFE_").replace("\uffff", "_xFFFF_")
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    # After the escapes, as xlsxwriter looks: a control character at an end is no longer a space there.
    space = ' xml:space="preserve"' if _SPACE_AT_AN_END.search(text) else ""
    return f"<si><t{space}>{text}</t></si>"


def day_fraction(moment: time) -> float:
    """A time of day as Excel stores it, as xlsxwriter's write_datetime works it out."""
    return (float(moment.hour * 3600 + moment.minute * 60 + moment.second) + float(moment.microsecond) / 1e6) / 86400


class SharedStrings:
    """The workbook's table of shared strings: xlsxwriter's (the About sheet, the header) and then
    the Data sheet's. A cell names its string's place in the table, so a payee or a date repeated on
    thousands of rows is stored once; inline strings made a year of payments' workbook 37 % larger."""

    def __init__(self, sst: str):
        self.head, self.body = _split_sst(sst)
        self.index = {element: n for n, element in enumerate(_SI.findall(self.body))}
        self.known = len(self.index)
        self.added: list[str] = []
        self.references = int(_COUNT.search(self.head).group(1))

    def place(self, text: str) -> int:
        element = si_element(text)
        n = self.index.get(element)
        if n is None:
            n = self.index[element] = self.known + len(self.added)
            self.added.append(element)
        return n

    def xml(self) -> str:
        head = _COUNT.sub(f'count="{self.references}"', self.head, count=1)
        head = _UNIQUE.sub(f'uniqueCount="{self.known + len(self.added)}"', head, count=1)
        return f"{head}{self.body}{''.join(self.added)}</sst>"


_SI = re.compile(r"<si>.*?</si>", re.DOTALL)
_COUNT = re.compile(r'\bcount="(\d+)"')
_UNIQUE = re.compile(r'\buniqueCount="(\d+)"')


def _split_sst(sst: str) -> tuple[str, str]:
    """The <sst ...> start tag with what comes before it, and the strings up to </sst>."""
    opening = sst.index(">", sst.index("<sst")) + 1
    return sst[:opening], sst[opening:sst.rindex("</sst>")]


def _tail(cell, style: int | None, strings: SharedStrings) -> str | None:
    """A cell's element after its reference: its style, type and value; None for an empty cell."""
    if cell is None:
        return None
    if isinstance(cell, str):
        return f' t="s"><v>{strings.place(cell)}</v></c>'
    number = day_fraction(cell) if isinstance(cell, time) else cell
    styled = f' s="{style}"' if style else ""
    return f"{styled}><v>{number:.16G}</v></c>"


def cell_tails(columns: Sequence[tuple[list, int | None]], strings: SharedStrings) -> list[list[str | None]]:
    """Each column's cells as the ends of their elements (see _tail), their text placed in `strings`.

    `columns` are the sheet's columns in order, each its cells (text, a float, a time of day or
    None) and the xf index of its format. A text cell is unstyled, as write_string left it.
    """
    tails = []
    for cells, style in columns:
        # A spend file repeats the same provider and date on many rows: each distinct cell once.
        seen: dict = {}
        tails.append([seen[cell] if cell in seen else seen.setdefault(cell, _tail(cell, style, strings))
                      for cell in cells])
        strings.references += sum(map({str}.__contains__, map(type, cells)))  # a loop in C, not Python
    return tails


def last_row(tails: list[list[str | None]]) -> int:
    """The index of the last row below the header with a cell written (0 if none)."""
    for number in range(len(tails[0]) if tails else 0, 0, -1):
        if any(column[number - 1] is not None for column in tails):
            return number
    return 0


ROWS_AT_A_TIME = 5_000  # read when a workbook is made, so a test can write a few at a time


def rows_xml(tails: list[list[str | None]], chunk: int) -> Iterator[str]:
    """The <row> elements below the header, `chunk` rows at a time: a year of payments' rows are tens
    of megabytes of text, and were held whole, and then copied, in each process making workbooks."""
    letters = [xl_col_to_name(index) for index in range(len(tails))]
    rows = list(zip(*tails))
    for first in range(0, len(rows), chunk):
        parts = []
        for number, row in enumerate(rows[first:first + chunk], start=first + 2):
            cells = [f'<c r="{letter}{number}"{tail}' for letter, tail in zip(letters, row) if tail is not None]
            if cells:
                parts.append(f'<row r="{number}">{"".join(cells)}</row>')
        yield "".join(parts)


SHARED_STRINGS_PART = "xl/sharedStrings.xml"
# Deflating was a third of making the workbooks at the benchmark's default size. Its 18 Data sheets
# (247 MB of XML), in one process: zlib at its default level 6, 29.81 MB in 4.98 s; zlib-ng at level
# 5, 30.13 MB (1.1 % more) in 1.95 s; zlib at 5, 30.32 MB in 2.79 s; zlib-ng at 7, 28.58 MB in 4.03 s.
DATA_LEVEL = 5


def deflated_faster(stream) -> None:
    """A part opened for writing in a zip file, deflated by zlib-ng rather than zlib.

    zipfile takes its compressor from zlib as it opens a part, and cannot be handed another; so the
    one it took, before anything is written, is swapped for zlib-ng's of the same kind (a raw deflate
    stream, window bits -15, as zipfile asks zlib for). Any zip reader reads it: deflate is deflate.
    Were a later Python to keep its compressor elsewhere, the part is written by zlib, as before.
    The same rows give the same bytes on one kind of machine; like zlib, zlib-ng does not promise the
    same bytes across its versions or across processors, and nothing compares workbooks' bytes
    between machines (the hourly build compares build-state.json's digest of the inputs)."""
    if getattr(stream, "_compressor", None) is not None:
        stream._compressor = zlib_ng.compressobj(DATA_LEVEL, zlib_ng.DEFLATED, -15)


def with_rows(book: bytes, sheet: str, columns: Sequence[tuple[list, int | None]], width: int) -> bytes:
    """The workbook with `columns`' rows below the header of `sheet`, its dimension set to cover
    them, and their text in the shared strings.

    Every other part is copied as it was, with its name, date and compression, so the same data
    still gives the same bytes.
    """
    with zipfile.ZipFile(io.BytesIO(book)) as source:
        parts = [(info, source.read(info)) for info in source.infolist()]
        strings = SharedStrings(source.read(SHARED_STRINGS_PART).decode("utf-8"))
    tails = cell_tails(columns, strings)
    corner = f"{xl_col_to_name(width - 1)}{last_row(tails) + 1}"
    dimension = "A1" if corner == "A1" else f"A1:{corner}"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info, content in parts:
            if info.filename == sheet:
                xml = content.decode("utf-8")
                xml = re.sub(r'<dimension ref="[^"]*"/>', f'<dimension ref="{dimension}"/>', xml, count=1)
                head, found, end = xml.partition("</sheetData>")
                if found:
                    # Written as made, ROWS_AT_A_TIME rows at a time: zlib-ng's bytes depend on how
                    # its input is divided, and the division is fixed, so the same rows give the same bytes.
                    info.file_size = 0
                    with target.open(info, "w") as stream:
                        deflated_faster(stream)
                        stream.write(head.encode("utf-8"))
                        for rows in rows_xml(tails, ROWS_AT_A_TIME):
                            stream.write(rows.encode("utf-8"))
                        stream.write((found + end).encode("utf-8"))
                    continue
            elif info.filename == SHARED_STRINGS_PART:
                content = strings.xml().encode("utf-8")
            target.writestr(info, content)
    return out.getvalue()
