"""The Data sheet's rows, written straight as SpreadsheetML (open_data/sheet_rows.py), read back the
same as the same table written a cell at a time by xlsxwriter: every value, type and number format,
and the sheet's dimension, whatever the text holds (control characters, Excel's own _xHHHH_ escapes,
markup, spaces at the ends)."""

from __future__ import annotations

import io
import re
import zipfile
from xml.etree import ElementTree
from datetime import date, datetime, time

import openpyxl
import xlsxwriter
from hypothesis import HealthCheck, given, settings, strategies as st

from commissioning.open_data import sheet_rows
from commissioning.open_data.files import Column, Download
from commissioning.open_data.workbook import DATA_SHEET, DATA_SHEET_PART, FORMATS, workbook_bytes

def rich_to_xlsxwriter(text: str) -> bool:
    """xlsxwriter writes text that starts <r> and ends </r> into the XML as it is, as rich text (so
    "<r>&</r>" from a data file made a workbook Excel could not open); sheet_rows keeps it as text."""
    return text.startswith("<r>") and text.endswith("</r>")


texts = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["_x0041_", "_x005F_x0041_", "a & b", " padded ", "line\r\nbreak", "\x07bell", "\ufffe", "=1+1", ""]),
).filter(lambda text: not rich_to_xlsxwriter(text))
cells = {
    "string": st.one_of(st.none(), texts),
    "number": st.one_of(st.none(), st.floats(allow_nan=False, allow_infinity=False, width=64)),
    "time": st.one_of(st.none(), st.times()),
}
KIND_FORMAT = {"string": None, "number": "money", "time": "time"}


@st.composite
def tables(draw):
    kinds = draw(st.lists(st.sampled_from(sorted(cells)), min_size=1, max_size=5))
    height = draw(st.integers(0, 6))
    return kinds, [[draw(cells[kind]) for _ in range(height)] for kind in kinds]


def frame(kinds):
    """A workbook as workbook_bytes starts one: an About sheet, then the Data sheet's header, each
    column given its kind's format. Returns the book, where it is written, the sheet and the formats."""
    output = io.BytesIO()
    book = xlsxwriter.Workbook(output, {"in_memory": True, "strings_to_formulas": False,
                                        "strings_to_urls": False, "strings_to_numbers": False})
    # A fixed date, as workbook_bytes gives (the download's last change): without one xlsxwriter
    # writes the clock's time into docProps/core.xml, and two workbooks a second apart differ.
    book.set_properties({"created": datetime(2026, 11, 24)})
    formats = {name: book.add_format(spec) for name, spec in FORMATS.items()}
    book.add_worksheet("About").write_string(0, 0, "About")
    sheet = book.add_worksheet(DATA_SHEET)
    styles = [formats[KIND_FORMAT[kind]] if KIND_FORMAT[kind] else None for kind in kinds]
    for index, style in enumerate(styles):
        sheet.write_string(0, index, f"c{index}", formats["header"])
        sheet.set_column(index, index, 10, style)
    return book, output, sheet, styles


def by_xlsxwriter(kinds, columns) -> bytes:
    """The table as the workbook wrote it before: a call of xlsxwriter for every cell."""
    book, output, sheet, styles = frame(kinds)
    for index, (style, column) in enumerate(zip(styles, columns)):
        for row, cell in enumerate(column, start=1):
            if cell is None:
                continue
            if isinstance(cell, str):
                sheet.write_string(row, index, cell)
            elif isinstance(cell, float):
                sheet.write_number(row, index, cell, style)
            else:
                sheet.write_datetime(row, index, cell, style)
    book.close()
    return output.getvalue()


def by_sheet_rows(kinds, columns) -> bytes:
    book, output, _, styles = frame(kinds)
    book.close()
    table = [(column, style.xf_index if style else None) for column, style in zip(columns, styles)]
    return sheet_rows.with_rows(output.getvalue(), DATA_SHEET_PART, table, len(kinds))


def read(content: bytes):
    sheet = openpyxl.load_workbook(io.BytesIO(content))[DATA_SHEET]
    return sheet.dimensions, [[(c.value, c.data_type, c.number_format) for c in row] for row in sheet.iter_rows()]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables())
def test_rows_read_back_as_xlsxwriter_wrote_them(table):
    kinds, columns = table
    ours, theirs = by_sheet_rows(kinds, columns), by_xlsxwriter(kinds, columns)
    assert read(ours) == read(theirs)
    # openpyxl reads Excel's _xHHHH_ escapes as they are written, so compare the strings' XML too
    # (in order of first use: row by row for xlsxwriter, column by column here).
    assert sorted(shared_strings(ours)) == sorted(shared_strings(theirs))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables(), st.integers(1, 7))
def test_rows_written_a_few_at_a_time_make_the_workbook_written_whole(table, chunk):
    """A large sheet's rows are written into the workbook as they are made (ROWS_AT_A_TIME): every
    part must be what the whole text, written at once, gave, and the same rows the same bytes.
    (zlib-ng's deflated bytes depend on how its input is divided, so only the parts are compared.)"""
    kinds, columns = table
    whole = by_sheet_rows(kinds, columns)
    original = sheet_rows.ROWS_AT_A_TIME
    sheet_rows.ROWS_AT_A_TIME = chunk
    try:
        pieces = by_sheet_rows(kinds, columns)
        assert by_sheet_rows(kinds, columns) == pieces
    finally:
        sheet_rows.ROWS_AT_A_TIME = original
    assert parts(pieces) == parts(whole)
    rows = zipfile.ZipFile(io.BytesIO(whole)).read(DATA_SHEET_PART).decode().count("<row ")
    assert rows == 1 + sum(any(column[n] is not None for column in columns) for n in range(len(columns[0])))


def parts(content: bytes) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(content)) as zipped:
        return [(info.filename, zipped.read(info)) for info in zipped.infolist()]


def shared_strings(content: bytes) -> list[str]:
    sst = zipfile.ZipFile(io.BytesIO(content)).read("xl/sharedStrings.xml").decode()
    return re.findall(r"<si>.*?</si>", sst, re.DOTALL)


def test_a_repeated_text_is_stored_once_and_counted_each_time():
    columns = [(["Acme Trust", "Acme Trust", "Acme Trust", None], None), ([1.5, 2.0, None, 3.0], None)]
    book = by_sheet_rows(["string", "number"], [column for column, _ in columns])
    sst = zipfile.ZipFile(io.BytesIO(book)).read("xl/sharedStrings.xml").decode()
    assert sst.count("<t>Acme Trust</t>") == 1
    # the About sheet's one string and two headings, then the three uses of Acme Trust
    assert 'count="6"' in sst and 'uniqueCount="4"' in sst


def test_a_workbook_of_the_same_table_is_the_same_bytes_and_a_valid_zip():
    columns = [Column("id", "string", "an id"), Column("on", "date", "a day"), Column("paid", "number", "in pounds")]
    values = {"id": ["007", "x & y", None], "on": [date(2026, 4, 1), None, date(2026, 5, 2)],
              "paid": [None, 12.5, -3]}
    download = Download("data/x.csv", b"", date(2026, 5, 1), title="X", columns=columns, rows=3)
    first, second = workbook_bytes(download, values), workbook_bytes(download, values)
    assert first == second
    assert zipfile.ZipFile(io.BytesIO(first)).testzip() is None
    sheet = openpyxl.load_workbook(io.BytesIO(first))[DATA_SHEET]
    assert sheet.dimensions == "A1:C4"
    assert [[c.value for c in row] for row in sheet.iter_rows(min_row=2)] == [
        ["007", openpyxl.utils.datetime.from_excel(46113), None], ["x & y", None, 12.5],
        [None, openpyxl.utils.datetime.from_excel(46144), -3]]


def test_text_that_looks_like_rich_text_markup_stays_text():
    book = by_sheet_rows(["string"], [["<r>&</r>", "<r><t>x</t></r>"]])
    assert read(book)[1][1:] == [[("<r>&</r>", "s", "General")], [("<r><t>x</t></r>", "s", "General")]]


def test_a_time_of_day_is_the_fraction_xlsxwriter_makes():
    assert sheet_rows.day_fraction(time(12, 0)) == 0.5
    assert sheet_rows.day_fraction(time(0, 0, 0, 500000)) == 0.5 / 86400


def test_a_title_or_about_line_that_looks_like_rich_text_markup_stays_text():
    """The About sheet and the header are written by xlsxwriter, which copies <r>…</r> text into the
    XML as markup: a funder named so made a workbook that was not valid XML."""
    columns = [Column("<r>id</r>", "string", "an id")]
    download = Download("data/x.csv", b"", date(2026, 5, 1), title="<r>&</r>", description="<r>< plain</r>",
                        columns=columns, rows=1)
    book = workbook_bytes(download, {"<r>id</r>": ["a"]}, about=[("<r>Published by</r>", "<r>A & B</r>")])
    parts = zipfile.ZipFile(io.BytesIO(book))
    for name in parts.namelist():
        if name.endswith(".xml"):
            ElementTree.fromstring(parts.read(name))  # raises on the markup xlsxwriter copied in
    workbook = openpyxl.load_workbook(io.BytesIO(book))
    about = [[c.value for c in row] for row in workbook["About"].iter_rows(max_row=4, max_col=2)]
    assert about == [["<r>&</r>", None], ["<r>< plain</r>", None], [None, None],
                     ["<r>Published by</r>", "<r>A & B</r>"]]
    assert workbook[DATA_SHEET]["A1"].value == "<r>id</r>"
    assert workbook["About"]["A1"].font.b and workbook["About"]["A1"].font.sz == 14  # still the title's format


def test_the_data_sheet_is_deflated_by_zlib_ng():
    """zlib-ng deflates the large sheet at sheet_rows.DATA_LEVEL: within 1.1 % of zlib's size, in 39 % of the time."""
    import zlib

    from zlib_ng import zlib_ng

    column = [f"Payment {n} to the {n % 97}th provider" for n in range(3000)]
    book = by_sheet_rows(["string", "number"], [column, [n * 1.25 for n in range(3000)]])
    with zipfile.ZipFile(io.BytesIO(book)) as zipped:
        assert zipped.testzip() is None
        info, xml = zipped.getinfo(DATA_SHEET_PART), zipped.read(DATA_SHEET_PART)

    def deflated(module, level):
        packer = module.compressobj(level, module.DEFLATED, -15)
        return len(packer.compress(xml) + packer.flush())

    assert deflated(zlib_ng, sheet_rows.DATA_LEVEL) != deflated(zlib, 6)  # so the sizes tell them apart
    assert info.compress_size == deflated(zlib_ng, sheet_rows.DATA_LEVEL)
