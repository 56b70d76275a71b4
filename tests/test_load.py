"""The loaders take any text: they return records or raise our DataError, never anything else; and
rows modelled a column at a time are exactly what pydantic makes of them."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings, strategies as st
from pydantic import ValidationError

from commissioning.load import read as load, validate
from commissioning.load.dataset import Dataset
from commissioning.load.models import Payment
from commissioning.problems import DataError

text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300)
yaml_ish = st.lists(st.sampled_from(["a: 1", "- x", "  b: [1, 2", "&a x", "*a", "'q", "key: no", "---", ": :", "\t",
                                     "date: 2024-13-01", "? x", "!!python/object:os.system x", "{a: b}", "a: b: c"]),
                    max_size=8).map("\n".join)
SLOW = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _write(tmp_path: Path, name: str, content: str) -> Path:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return path


@SLOW
@given(content=st.one_of(text, yaml_ish))
def test_yaml_loader_raises_only_data_errors(tmp_path, content):
    path = _write(tmp_path, "funder.yaml", content)
    try:
        record = load.read_yaml_mapping(path, "data/funder.yaml")
    except DataError as exc:
        assert all(p.file == "data/funder.yaml" for p in exc.problems)
    else:
        assert isinstance(record.values, dict)
        assert all(isinstance(k, str) for k in record.values)


@SLOW
@given(content=st.one_of(text, yaml_ish.map(lambda y: f"---\n{y}\n---\nbody")))
def test_front_matter_loader_raises_only_data_errors(tmp_path, content):
    path = _write(tmp_path, "OPP-1.md", content)
    try:
        record, body, body_line = load.read_front_matter(path, "data/opportunities/OPP-1.md")
    except DataError:
        pass
    else:
        assert body_line >= 3
        assert isinstance(body, str)


@SLOW
@given(content=text)
def test_csv_loader_raises_only_data_errors(tmp_path, content):
    path = _write(tmp_path, "awards.csv", content)
    try:
        table = load.read_csv(path, "data/awards.csv")
    except DataError:
        pass
    else:
        assert all(r.line >= 2 for r in table.rows)


cell = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\r"), max_size=40)


@SLOW
@given(rows=st.lists(st.lists(cell, min_size=3, max_size=3), min_size=1, max_size=12))
def test_csv_rows_keep_their_values_and_physical_lines(tmp_path, rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["a", "b", "c"])
    expected_lines, line = [], 2
    for row in rows:
        start = line
        writer.writerow(row)
        line = buffer.getvalue().count("\n") + 1
        if any(c.strip() for c in row):
            expected_lines.append((start, [c.strip() or None for c in row]))
    path = tmp_path / "t.csv"
    path.write_bytes(buffer.getvalue().encode("utf-8"))
    if not buffer.getvalue().strip():
        return
    table = load.read_csv(path, "t.csv")
    assert [(r.line, [r.values[k] for k in "abc"]) for r in table.rows] == expected_lines


# Lines of a CSV file as staff make them: ragged rows, blank lines, rows of empty cells, quoted
# cells over several lines, a stray quote.
csv_line = st.lists(st.sampled_from(["x", " y ", "", "1,5", '"a,b"', '"two\nlines"', '"', "  "]), max_size=4).map(",".join)


@SLOW
@given(lines=st.lists(csv_line, max_size=10), ending=st.sampled_from(["\n", "\r\n"]),
       at_a_time=st.sampled_from([1, 2, 3, load._ROWS_AT_A_TIME]))
def test_csv_read_whole_is_what_reading_line_by_line_makes(tmp_path, lines, ending, at_a_time):
    """A regular file is read by the C reader in runs of rows; any other goes line by line. Either way
    the table and the problems are the same as reading every file line by line, wherever a run ends
    (a blank line or a cell over two lines in a later run sends the whole file line by line)."""
    text = ending.join(["a,b,c", *lines]) + ending
    path = tmp_path / "t.csv"
    path.write_bytes(text.encode("utf-8"))
    kept, load._ROWS_AT_A_TIME = load._ROWS_AT_A_TIME, at_a_time
    try:
        table, problems = load.read_csv(path, "t.csv"), []
    except DataError as exc:
        table, problems = exc.table, exc.problems
    finally:
        load._ROWS_AT_A_TIME = kept
    slow_problems, unreadable = [], []
    rows, row_lines = load._rows_one_by_one(text, "t.csv", ["a", "b", "c"], slow_problems, unreadable)
    assert problems == slow_problems
    assert table.lines == row_lines
    assert [[table.columns[k][i] for k in "abc"] for i in range(len(table))] == \
           [[c.strip() or None for c in row] for row in rows]
    assert table.unreadable == unreadable


def test_a_yaml_alias_bomb_is_refused_quickly(tmp_path):
    bomb = "a: &a [x, x]\nb: &b [*a, *a]\nc: &c [*b, *b]\nd: [*c, *c]\n"
    path = _write(tmp_path, "funder.yaml", bomb)
    try:
        load.read_yaml_mapping(path, "data/funder.yaml")
    except DataError as exc:
        assert exc.problems[0].line == 1
        assert "anchor or alias" in exc.problems[0].message
    else:
        raise AssertionError("an alias was accepted")


# Cells a payments file might hold, right and wrong, repeated as real files repeat them.
payment_cell = st.one_of(
    st.none(),
    st.sampled_from(["2025-04-01", "2025-02-30", "01/04/2025", "2025-04", "2025-13", "1250.00", "-40.5",
                     "12,5OO", "£10", "0", "GB-CHC-1234567", "Monthly grant", " padded ", "[a, b]"]),
    cell,
)
# Mostly right, so that whole rows pass as often as they fail: each cell is a right value five times
# in six. The payment's columns, and two more: one whose heading is misspelt, one with no heading.
RIGHT = {"date": ["2025-04-01", "2026-03-31"], "provider_id": ["GB-CHC-1234567"], "award_id": [None, "A-1"],
         "amount": ["1250.00", "-40.5", "0"], "description": ["Monthly grant"],
         "invoice_received": [None, "2025-03-30"], "period": [None, "2025-04"], "amuont": [None, "12"], "": [None],
         "supplier": [None, "Example Lettings Ltd"], "supplier_id": [None, "GB-COH-19000901"],
         "supplier_type": [None, "organisation", "individual", "person"], "expense_area": [None, "Commissioning"],
         "expense_type": [None, "Rent"], "value_for_money": [None, "Three quotes"], "vat_not_recoverable": [None, "12.50", "x"]}
payment_row = st.fixed_dictionaries({name: st.one_of(*[st.sampled_from(RIGHT[name])] * 5, payment_cell)
                                     for name in [*Payment.model_fields, "amuont", ""]})


@SLOW
@given(rows=st.lists(payment_row, min_size=1, max_size=12),
       absent=st.sets(st.sampled_from(list(Payment.model_fields)), max_size=len(Payment.model_fields)))
# A whole row right, in a file without most optional columns (as most payments files are written),
# then the same without a required one: the cases the random rows reach least often.
@example(rows=[{name: RIGHT[name][-1] for name in [*Payment.model_fields, "amuont", ""]}] * 2,
         absent={"supplier", "supplier_type", "expense_type", "vat_not_recoverable"})
@example(rows=[{name: RIGHT[name][-1] for name in [*Payment.model_fields, "amuont", ""]}],
         absent={"description", "period"})
def test_rows_made_a_column_at_a_time_are_what_pydantic_makes(rows, absent):
    """The payments fast path (each distinct cell parsed once) makes the same models and the same
    problems as validating each row with pydantic, whichever columns the file leaves out (a required
    one too)."""
    header = [name for name in [*Payment.model_fields, "amuont", ""] if name not in absent]
    records = [load.Record("data/payments/2025-26.csv", line, values={k: v.strip() or None if v else None
                                                                      for k, v in row.items() if k in header})
               for line, row in enumerate(rows, start=2)]
    table = load.Table.of_records("data/payments/2025-26.csv", header, records)
    fast_problems: list = []
    fast = validate.build_table(Payment, table, fast_problems)
    # Row by row as before: the header's problems once, unknown columns dropped from every row.
    slow_problems, missing, unknown = validate.check_header(Payment, table)
    for record in records:
        for column in unknown:
            record.values.pop(column, None)
    slow = [m for m in (validate.build(Payment, r, slow_problems, missing) for r in records) if m is not None]
    assert fast_problems == slow_problems
    assert [(m.__dict__, m.model_fields_set, m.origin) for m in fast] == \
           [(m.__dict__, m.model_fields_set, m.origin) for m in slow]
    assert all(list(m.__dict__) == list(Payment.model_fields) for m in fast)
    # The columns the models were made from are kept only when every row was made from them.
    if fast.columns is not None:
        assert {name: [getattr(m, name) for m in fast] for name in Payment.model_fields} == fast.columns
    else:
        assert len(fast) < len(rows) or fast_problems


payment_day = st.dates(min_value=date(2025, 4, 1), max_value=date(2025, 4, 6))


@SLOW
@given(files=st.lists(st.lists(st.tuples(payment_day, st.sampled_from(["A-1", "A-2", None])), max_size=8),
                      min_size=1, max_size=3))
def test_payments_read_from_their_files_columns_are_what_reading_each_payment_gives(files):
    """The rules' views of the payments (by date; one field of each, in that order) taken from the
    columns the files were made from are what sorting and reading the models gives, ties included."""
    payments = {}
    for number, rows in enumerate(files):
        records = [load.Record(f"data/payments/202{number}.csv", line,
                               values={"date": day.isoformat(), "provider_id": "GB-CHC-1234567", "amount": "10",
                                       "description": f"Grant {line}", "award_id": award})
                   for line, (day, award) in enumerate(rows, start=2)]
        table = load.Table.of_records(f"data/payments/202{number}.csv", list(Payment.model_fields), records)
        payments[f"202{number}"] = validate.build_table(Payment, table, [])
        assert payments[f"202{number}"].columns is not None
    fast = Dataset(None, [], [], [], payments, Path("."))
    plain = Dataset(None, [], [], [], {year: list(rows) for year, rows in payments.items()}, Path("."))
    assert fast.payments_by_date == plain.payments_by_date
    assert [p.origin for p in fast.payments_by_date] == [p.origin for p in plain.payments_by_date]
    for name in ("date", "award_id", "description", "amount", "period"):
        assert fast.payment_values(name) == plain.payment_values(name)
    assert fast.payments_by_award == plain.payments_by_award


def test_rows_alike_share_their_fields_set_because_models_cannot_change():
    """Payments made a column at a time share one fields_set per pattern of empty cells, which is
    safe only while a validated record cannot be changed."""
    values = [{"date": "2025-04-01", "provider_id": "GB-CHC-1", "amount": "10", "description": "Grant"},
              {"date": "2025-04-02", "provider_id": "GB-CHC-2", "amount": "20", "description": "Grant"},
              {"date": "2025-04-03", "provider_id": "GB-CHC-3", "amount": "30", "description": "Grant", "period": "2025-04"}]
    records = [load.Record("data/payments/2025-26.csv", line, values=row) for line, row in enumerate(values, start=2)]
    table = load.Table.of_records("data/payments/2025-26.csv", list(Payment.model_fields), records)
    first, second, third = validate.build_table(Payment, table, [])
    assert first.model_fields_set is second.model_fields_set
    assert third.model_fields_set == first.model_fields_set | {"period"}
    with pytest.raises(ValidationError):
        first.amount = 0
    assert second.model_fields_set == {"date", "provider_id", "amount", "description"}
