"""The staff workbook: every data CSV file as a sheet of typed cells with dropdown lists, written back
to the files exactly (a round trip changes no byte), with every problem named by sheet and cell."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from commissioning.imports import from_workbook, workbook
from imports_helpers import dataset, run_command, snapshot


def make_workbook(project):
    output = project.root / "data.xlsx"
    ran = run_command(workbook, "--data", project.root / "data", "--output", output)
    assert ran.code == 0, ran.err
    return output


def test_the_commands_run_by_name(sample_project, capsys, monkeypatch):
    from commissioning.imports import commands

    monkeypatch.chdir(sample_project.root)
    assert commands.main("workbook", []) == 0
    assert (sample_project.root / "data.xlsx").exists()
    assert commands.main("import-workbook", ["data.xlsx"]) == 0
    assert "Nothing to change" in capsys.readouterr().out
    assert commands.main("workbook", ["--output", "data/data.xlsx"]) == 1
    assert "is inside the data folder" in capsys.readouterr().err


def test_a_round_trip_changes_no_byte(sample_project):
    before = snapshot(sample_project.root / "data")
    output = make_workbook(sample_project)
    ran = run_command(from_workbook, output, "--data", sample_project.root / "data")
    assert ran.code == 0, ran.err
    assert "Nothing to change" in ran.out
    assert snapshot(sample_project.root / "data") == before


def test_the_workbook_has_typed_cells_dropdowns_and_the_guide(sample_project):
    book = openpyxl.load_workbook(make_workbook(sample_project))
    assert book.sheetnames[:4] == ["Guide", "Lists", "Providers", "Awards"]
    assert "Payments 2025-26" in book.sheetnames and "Returns 2025-26" in book.sheetnames
    assert book["Lists"].sheet_state == "hidden"
    awards = book["Awards"]
    header = [c.value for c in awards[1]]
    row = [c for c in awards[2]]
    assert row[header.index("award_date")].is_date
    assert isinstance(row[header.index("amount_awarded")].value, (int, float))
    assert row[header.index("provider_id")].data_type == "s"
    lists = book["Lists"]
    offered = {}
    for validation in awards.data_validations.dataValidation:
        column = str(validation.sqref).split(":")[0].rstrip("0123456789")
        sheet_range = validation.formula1.split("!")[1].replace("$", "")
        offered[header[openpyxl.utils.column_index_from_string(column) - 1]] = [
            c.value for row_ in lists[sheet_range] for c in row_]
    assert offered["funding_stream"] == ["moj-victims", "home-office", "community-safety-fund"]
    assert "GB-CHC-1299101" in offered["provider_id"]
    assert "open-tender" in offered["route"] and offered["award_type"] == ["grant", "contract"]
    guide = [[c.value for c in r] for r in book["Guide"].iter_rows()]
    assert ["Awards", "amount_awarded", "Yes", "Amount in pounds"] in [r[:4] for r in guide]


def _cell(book, sheet: str, heading: str, row: int):
    header = [c.value for c in book[sheet][1]]
    return book[sheet].cell(row=row, column=header.index(heading) + 1)


def test_an_edited_cell_changes_its_line_only(sample_project):
    output = make_workbook(sample_project)
    book = openpyxl.load_workbook(output)
    _cell(book, "Awards", "title", 3).value = "Independent domestic violence advocacy, county-wide"
    _cell(book, "Payments 2025-26", "amount", 5).value = 3033.5
    book.save(output)
    awards = (sample_project.root / "data" / "awards.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    payments = (sample_project.root / "data" / "payments" / "2025-26.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    ran = run_command(from_workbook, output, "--data", sample_project.root / "data")
    assert ran.code == 0, ran.err
    after = (sample_project.root / "data" / "awards.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    assert [i for i, (a, b) in enumerate(zip(awards, after)) if a != b] == [2] and len(after) == len(awards)
    assert "Independent domestic violence advocacy, county-wide" in after[2]
    paid = (sample_project.root / "data" / "payments" / "2025-26.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    assert [i for i, (a, b) in enumerate(zip(payments, paid)) if a != b] == [4]
    assert ",3033.50," in paid[4]  # in pounds and pence, as the file writes its amounts
    assert dataset(sample_project.root).awards[1].title.endswith("county-wide")


def test_a_row_added_in_excel_is_written_as_the_file_writes_its_rows(sample_project):
    from datetime import datetime

    output = make_workbook(sample_project)
    book = openpyxl.load_workbook(output)
    sheet = book["Payments 2026-27"]
    header = [c.value for c in sheet[1]]
    row = sheet.max_row + 1
    for name, value in (("date", datetime(2026, 11, 20)), ("provider_id", "GB-CHC-1299109"), ("award_id", "BPCC-2025-010"),
                        ("amount", 250), ("description", "Grant payment for October 2026: running costs")):
        sheet.cell(row=row, column=header.index(name) + 1).value = value
    book.save(output)
    path = sample_project.root / "data" / "payments" / "2026-27.csv"
    before = path.read_text(encoding="utf-8")
    ran = run_command(from_workbook, output, "--data", sample_project.root / "data")
    assert ran.code == 0, ran.err
    after = path.read_text(encoding="utf-8")
    assert after.startswith(before)
    assert after[len(before):] == "2026-11-20,GB-CHC-1299109,BPCC-2025-010,250.00,Grant payment for October 2026: running costs" \
        + "," * (len(header) - 5) + "\n"


def test_a_bad_cell_is_named_by_sheet_and_cell(sample_project):
    before = snapshot(sample_project.root / "data")
    output = make_workbook(sample_project)
    book = openpyxl.load_workbook(output)
    _cell(book, "Awards", "amount_awarded", 14).value = "12,5OO"
    _cell(book, "Awards", "end_date", 6).value = "11/04/2022"
    book.save(output)
    ran = run_command(from_workbook, output, "--data", sample_project.root / "data")
    assert ran.code == 1 and "Traceback" not in ran.err
    assert "Awards!I14: amount_awarded: '12,5OO' is not an amount in pounds" in ran.err
    assert "Awards!L6: end_date: '11/04/2022' is not a date" in ran.err
    assert snapshot(sample_project.root / "data") == before


def test_a_sheet_that_is_no_table_is_named(sample_project):
    output = make_workbook(sample_project)
    book = openpyxl.load_workbook(output)
    book.create_sheet("Sheet1")["A1"] = "notes"
    book.save(output)
    ran = run_command(from_workbook, output, "--data", sample_project.root / "data")
    assert ran.code == 1 and "Sheet1: is not a sheet of the workbook's tables" in ran.err


def test_a_file_that_is_not_a_workbook_is_a_message(sample_project):
    bad = sample_project.root / "data.xlsx"
    bad.write_bytes(b"not a workbook")
    ran = run_command(from_workbook, bad, "--data", sample_project.root / "data")
    assert ran.code == 1 and "cannot be read as an Excel workbook" in ran.err and "Traceback" not in ran.err


# --- the round trip, for any values a cell can hold ---------------------------------------------

texts = st.text(st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\u2028\u2029\x85"), max_size=40) \
    | st.sampled_from(["01234567", "007", "2025-26", "=1+1", "  padded  ", "a,b", 'say "hi"', "line one\nline two",
                       "TRUE", "1e5", "0.10", "-5", "yes"])
amounts = st.decimals(min_value=-99999, max_value=999999, places=2).map(lambda d: f"{d:.2f}") \
    | st.sampled_from(["172000", "649.99", "1250.5", "0.00", "12,5OO", "£1", ""])
dates = st.dates().map(lambda d: d.isoformat()) | st.sampled_from(["11/04/2022", "2026-02-30", "", "2025-04"])


@pytest.fixture(scope="module")
def small_data(tmp_path_factory):
    """A data folder of two tables only, so that each example is quick: funder.yaml is not needed to write one."""
    data = tmp_path_factory.mktemp("workbook") / "data"
    (data / "payments").mkdir(parents=True)
    return data


def _write(path, header, rows):
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8", newline="")


@given(st.lists(st.tuples(texts, amounts, dates, texts), min_size=1, max_size=6),
       st.lists(st.tuples(texts, texts, texts), min_size=1, max_size=4))
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_cells_round_trip_exactly(small_data, payments, providers):
    """Whatever staff typed in a CSV file (valid or not), making the workbook and reading it back writes it again.

    Rows of empty cells are left out: the build skips them, and so does the workbook."""
    payments = [row for row in payments if "".join(row).strip()] or [("x", "1", "", "")]
    providers = [row for row in providers if "".join(row).strip()] or [("x", "", "")]
    _write(small_data / "payments" / "2030-31.csv", ["description", "amount", "date", "supplier"], payments)
    _write(small_data / "providers.csv", ["id", "name", "company_number"], providers)
    output = small_data.parent / "round.xlsx"
    workbook.write_workbook(small_data, output)
    changes, _, problems, _ = from_workbook.read_workbook(output, "round.xlsx", small_data)
    assert not problems
    assert changes == {}, changes
