"""The Excel workbook beside every CSV download: the same rows, with ids as text (zeros kept), dates
as dates in UK time, amounts as numbers in pounds, a frozen header with a filter, an About sheet
explaining every column, no formula anywhere, and the same bytes for the same data."""

from __future__ import annotations

import csv
import io
import json
import shutil
from datetime import date, datetime, time, timezone
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
import pytest

from commissioning.open_data import guide
from commissioning.open_data.files import Column, Download
from commissioning.open_data.csv_reader import values_from_csv
from commissioning.open_data.workbook import DATA_SHEET, workbook_bytes
from conftest import page
from test_open_data import as_written

UK = ZoneInfo("Europe/London")


def read_csv(path: Path) -> tuple[list[str], list[list[str]]]:
    rows = list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline="")))
    return rows[0], rows[1:]


def schema_of(output: Path) -> dict[str, dict[str, dict]]:
    """Each CSV's fields as datapackage.json describes them (name -> field), by file name."""
    package = json.loads((output / "data" / "datapackage.json").read_bytes())
    return {r["path"]: {f["name"]: f for f in r["schema"]["fields"]} for r in package["resources"]}


def opened(content: bytes | Path):
    return openpyxl.load_workbook(io.BytesIO(content) if isinstance(content, bytes) else content)


def no_formula(book) -> None:
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula: {cell.value!r}"


def is_money(field: dict) -> bool:
    return field["type"] == "number" and "pounds" in field["description"].lower()


def check_cell(cell, text: str, field: dict, where: str) -> None:
    """A workbook cell against the CSV cell it stands for, by the column's type."""
    kind = field["type"]
    if text == "":
        assert cell.value is None, where
    elif kind == "number":
        assert isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool), where
        assert Decimal(str(cell.value)).quantize(Decimal("0.01")) == Decimal(text).quantize(Decimal("0.01")), where
        if is_money(field):
            assert "£" in cell.number_format, where
    elif kind == "integer":
        assert isinstance(cell.value, (int, float)) and cell.value == int(text), where
    elif kind == "date":
        assert isinstance(cell.value, datetime) and cell.value.date() == date.fromisoformat(text), where
        assert "yy" in cell.number_format and "h" not in cell.number_format, where
    elif kind == "datetime":
        local = datetime.fromisoformat(text).astimezone(UK).replace(tzinfo=None)
        assert cell.value == local, where
        assert "yy" in cell.number_format and "hh:mm" in cell.number_format, where
    elif kind == "time":
        assert isinstance(cell.value, time) and cell.value == time.fromisoformat(text), where
    else:  # text, yes and no: the text itself, which the CSV file writes formula-safe
        assert cell.data_type == "s" and isinstance(cell.value, str), where
        assert as_written(cell.value) == text, (where, cell.value, text)


@pytest.fixture(scope="module")
def csv_files(sample_site) -> list[Path]:
    return sorted((sample_site / "data").glob("*.csv"))


def test_every_csv_has_a_workbook_beside_it_and_only_those(sample_site, csv_files):
    books = sorted(p.stem for p in (sample_site / "data").glob("*.xlsx"))
    assert books == [p.stem for p in csv_files]


def test_each_workbook_holds_its_csv_typed_with_a_frozen_header_and_no_formula(sample_site, csv_files):
    schemas = schema_of(sample_site)
    for path in csv_files:
        header, rows = read_csv(path)
        fields = schemas[path.name]
        book = opened(path.with_suffix(".xlsx"))
        assert book.sheetnames == ["About", DATA_SHEET], path.name
        no_formula(book)
        sheet = book[DATA_SHEET]
        assert [c.value for c in sheet[1]] == header, path.name
        assert sheet.freeze_panes == "A2", f"{path.name}: the header row is frozen"
        assert sheet.auto_filter.ref and sheet.auto_filter.ref.startswith("A1:"), f"{path.name}: a filter on the header"
        assert sheet.max_row == max(len(rows) + 1, 1), path.name
        for number, (row, cells) in enumerate(zip(rows, sheet.iter_rows(min_row=2)), start=2):
            for name, text, cell in zip(header, row, cells):
                check_cell(cell, text, fields[name], f"{path.name} row {number} {name}")


def test_identifiers_and_codes_are_text_with_their_zeros(minimal_project):
    result = minimal_project.build(now="2026-11-24T09:00")
    assert result.code == 0, result.err
    book = opened(result.output / "data" / "providers.xlsx")
    sheet = book[DATA_SHEET]
    header = [c.value for c in sheet[1]]
    rows = [dict(zip(header, r)) for r in sheet.iter_rows(min_row=2)]
    safe_steps = next(r for r in rows if r["name"].value == "Safe Steps Ltd")
    assert safe_steps["company_number"].value == "00000002" and safe_steps["company_number"].data_type == "s"
    assert safe_steps["id"].value == "GB-COH-00000002"
    charity = next(r for r in rows if r["charity_number"].value)
    assert charity["charity_number"].data_type == "s" and isinstance(charity["charity_number"].value, str)
    contracts = opened(result.output / "data" / "contracts.xlsx")[DATA_SHEET]
    header = [c.value for c in contracts[1]]
    cell = dict(zip(header, contracts[2]))["supplier_company_number"]
    assert (cell.value, cell.data_type) == ("00000002", "s")


def test_the_about_sheet_explains_every_column(sample_site, csv_files):
    schemas = schema_of(sample_site)
    for path in csv_files:
        about = opened(path.with_suffix(".xlsx"))["About"]
        rows = [[c.value for c in r] for r in about.iter_rows()]
        start = next(i for i, r in enumerate(rows) if r[:4] == ["Column", "Heading", "Type", "What it means"])
        explained = {r[1]: r for r in rows[start + 1:] if r[1]}
        assert list(explained) == list(schemas[path.name]), path.name
        for name, field in schemas[path.name].items():
            letter, _, kind, meaning, always = explained[name][:5]
            assert meaning and meaning.rstrip(".").lower().startswith(field["description"][:20].rstrip(".").lower()), (path.name, name)
            expected = guide.TYPE_WORDS["money" if is_money(field) else field["type"]]
            assert kind == expected, (path.name, name)
            assert always == ("Yes" if field.get("constraints", {}).get("required") else "No")
        assert rows[0][0], "a title first"
        assert any(r[0] == "Licence" for r in rows)


def test_no_text_becomes_a_formula_or_a_link():
    columns = [Column("id", "string", "an id"), Column("note", "string", "text")]
    values = {"id": ["=1+1", "+44 1234", "0012"], "note": ['=HYPERLINK("https://evil.example","x")', "https://x.example", "@SUM(A1)"]}
    download = Download("data/x.csv", b"", date(2026, 1, 1), title="X", columns=columns, rows=3)
    book = opened(workbook_bytes(download, values))
    no_formula(book)
    sheet = book[DATA_SHEET]
    assert [[c.value for c in r] for r in sheet.iter_rows(min_row=2)] == [list(pair) for pair in zip(values["id"], values["note"])]
    assert all(c.data_type == "s" for r in sheet.iter_rows(min_row=2) for c in r)
    assert not sheet._hyperlinks


def test_date_times_are_uk_wall_clock_times_and_amounts_are_pounds():
    columns = [Column("at", "datetime", "when"), Column("day", "date", "day"), Column("paid", "number", "in pounds"),
               Column("count", "number", "how many"), Column("months", "integer", "months")]
    values = {"at": [datetime(2026, 7, 1, 8, 0, tzinfo=timezone.utc), datetime(2026, 12, 1, 12, 0, tzinfo=UK)],
              "day": [date(2026, 3, 31), None], "paid": [Decimal("1234.50"), Decimal("-40.00")],
              "count": [Decimal("3"), None], "months": [12, 36]}
    download = Download("data/x.csv", b"", date(2026, 1, 1), title="X", columns=columns, rows=2)
    sheet = opened(workbook_bytes(download, values))[DATA_SHEET]
    first, second = list(sheet.iter_rows(min_row=2))
    assert first[0].value == datetime(2026, 7, 1, 9, 0), "08:00 UTC is 09:00 in a British summer"
    assert second[0].value == datetime(2026, 12, 1, 12, 0)
    assert first[1].value == datetime(2026, 3, 31) and second[1].value is None
    assert (first[2].value, second[2].value) == (1234.5, -40) and "£" in first[2].number_format
    assert first[3].value == 3 and "£" not in first[3].number_format, "a number that is not money has no £"
    assert (first[4].value, second[4].value) == (12, 36)


def test_a_download_that_kept_no_values_is_read_back_from_its_csv():
    columns = [Column("id", "string", "an id"), Column("on", "date", "a day"), Column("amount", "number", "in pounds"),
               Column("ok", "boolean", "yes or no")]
    content = '\ufeff"id","on","amount","ok"\r\n"007",2026-04-01,12.50,yes\r\n"008",,-3,no\r\n'.encode("utf-8")
    download = Download("data/x.csv", content, None, title="X", columns=columns, rows=2)
    assert values_from_csv(download) == {"id": ["007", "008"], "on": [date(2026, 4, 1), None],
                                         "amount": [Decimal("12.50"), Decimal("-3")], "ok": [True, False]}
    sheet = opened(workbook_bytes(download))[DATA_SHEET]
    assert [[c.value for c in r] for r in sheet.iter_rows(min_row=2)] == [
        ["007", datetime(2026, 4, 1), 12.5, "yes"], ["008", None, -3, "no"]]


def test_the_same_data_gives_the_same_bytes(minimal_project):
    columns = [Column("id", "string", "an id"), Column("on", "date", "a day")]
    download = Download("data/x.csv", b"", date(2026, 5, 1), title="X", columns=columns, rows=1)
    values = {"id": ["a"], "on": [date(2026, 4, 1)]}
    assert workbook_bytes(download, values) == workbook_bytes(download, values)
    first = minimal_project.build(now="2026-11-24T09:00")
    assert first.code == 0, first.err
    before = {p.name: p.read_bytes() for p in (first.output / "data").glob("*.xlsx")}
    assert before
    shutil.rmtree(minimal_project.root / "cache")  # made again, not read back (test_kept_workbooks.py)
    second = minimal_project.build(now="2026-11-24T09:00")
    assert second.code == 0, second.err
    assert {p.name: p.read_bytes() for p in (second.output / "data").glob("*.xlsx")} == before
    created = opened(before["funding-register.xlsx"]).properties.created
    assert created.time() == time(0) and created.date() <= date(2026, 11, 24), "the day the data changed, not the clock"


def test_the_data_page_offers_each_workbook_beside_its_csv(sample_site, csv_files):
    soup = page(sample_site, "data/")
    for path in csv_files:
        item = next(a for a in soup.select("main h2 a") if a["href"].endswith("/" + path.name)).find_parent("li")
        book = [a for a in item.select("a") if a["href"].endswith("/" + path.with_suffix(".xlsx").name)]
        assert book, f"{path.name}: its workbook is listed beside it"
        assert book[0]["type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        assert "Excel" in book[0].get_text()
    headings = [a["href"].rsplit("/", 1)[-1] for a in soup.select("main h2 a")]
    assert not [name for name in headings if name.endswith(".xlsx")], "a workbook is listed with its CSV, not on its own"
    text = soup.select_one("main").get_text(" ", strip=True)
    assert "Excel workbook" in text and "for programs" in text


def test_the_data_page_says_what_each_column_means(sample_site):
    soup = page(sample_site, "data/")
    package = json.loads((sample_site / "data" / "datapackage.json").read_bytes())
    for resource in package["resources"]:
        item = next(a for a in soup.select("main h2 a") if a["href"].endswith("/" + resource["path"])).find_parent("li")
        details = item.select_one("details.govuk-details")
        assert details and "What each column means" in details.select_one("summary").get_text()
        rows = details.select(".govuk-summary-list__row")
        assert [r.select_one("dt code").get_text() for r in rows] == [f["name"] for f in resource["schema"]["fields"]]
        for row, field in zip(rows, resource["schema"]["fields"]):
            kind = row.select_one(".app-downloads__column-type").get_text(" ", strip=True)
            meaning = row.select_one(".app-downloads__column-meaning").get_text(" ", strip=True)
            assert kind.startswith(guide.TYPE_WORDS["money" if is_money(field) else field["type"]]), (resource["path"], field["name"])
            assert meaning.lower().startswith(field["description"][:20].lower()), (resource["path"], field["name"])


def test_the_data_page_lists_the_feed_and_the_calendar(sample_site):
    soup = page(sample_site, "data/")
    section = soup.find(id="feeds-and-calendars")
    assert section and section.get_text(strip=True) == "Feeds and calendars"
    links = {a["href"].lstrip("/"): a for a in soup.select("main h3 a")}
    assert links["feeds/opportunities.atom.xml"]["type"] == "application/atom+xml"
    assert links["opportunities/calendar.ics"]["type"] == "text/calendar"
    for link in links.values():
        assert link.find_parent("li").select_one("p.govuk-body").get_text(strip=True), "a sentence each"


def test_workbooks_made_in_two_processes_are_the_same_bytes(minimal_project, monkeypatch):
    from commissioning import sections
    from commissioning.derive.site import derive
    from commissioning.load.loader import load_dataset
    from commissioning.open_data import workbook
    from commissioning.settings import from_pelican

    config = from_pelican({"COMMISSIONING_ROOT": str(minimal_project.root), "PATH": str(minimal_project.root / "content"),
                           "COMMISSIONING_NOW": "2026-11-24T09:00"})
    site = derive(load_dataset(config.data_dir, config.content_dir, config.root), config)
    made = [f for f in sections.files(site) if not f.save_as.endswith(".xlsx")]
    alone = {f.save_as: f.content for f in workbook.files(site, made)}
    shutil.rmtree(minimal_project.root / "cache")  # made again, not read back
    monkeypatch.setattr(workbook, "PARALLEL_CELLS", 0)
    monkeypatch.setattr(workbook.workers, "cores", lambda: 2)
    shared = {f.save_as: f.content for f in workbook.files(site, made)}
    assert shared == alone and len(alone) >= 4
