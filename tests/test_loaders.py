"""The loaders take any text: they return records or raise our DataError, never anything else."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from hypothesis import HealthCheck, given, settings, strategies as st

from commissioning import load
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
