"""Load: read YAML and front matter into plain records of text, and CSV into columns of text, each
value with its file and line.

Nothing here knows the data contract: values stay text (or lists and mappings of text) so that the
models, not YAML's implicit typing, decide what `no` or `2024-13-01` means.
"""

from __future__ import annotations

import csv
import io
import itertools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..problems import DataError, Problem, field_name

try:  # The C loader is about five times faster; fall back where libyaml is missing.
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _Loader = yaml.SafeLoader

_NULL_TAG = "tag:yaml.org,2002:null"


@dataclass(slots=True)
class Source:
    """Where a record was read: the file, its first line, and the line of each field.

    Slotted: a payments file makes one per row, and a Source with a __dict__ took five times the memory.
    """

    file: str
    line: int
    field_lines: dict[tuple, int] = field(default_factory=dict)

    def line_of(self, *path) -> int:
        """The line of a field (or of the nearest enclosing field we know), else the record's."""
        for end in range(len(path), 0, -1):
            if path[:end] in self.field_lines:
                return self.field_lines[path[:end]]
        return self.line


@dataclass(slots=True)
class Record(Source):
    """One record as read: where it is, and its values as text."""

    values: dict[str, Any] = field(default_factory=dict)


@dataclass
class Table:
    """A CSV file as read: its header, and its cells a column at a time with the line each row starts on.

    Columns rather than a record per row: a payments file has hundreds of thousands of rows, and
    their models are made a column at a time (validate.py). `record(i)` gives one row as a Record.
    """

    file: str
    header: list[str]
    lines: list[int]  # the physical line each row starts on
    columns: dict[str, list]  # heading -> each row's cell, stripped, or None where empty
    unreadable: list[Record] = field(default_factory=list)  # rows with a problem of shape; kept for their ids

    @classmethod
    def of_records(cls, file: str, header: list[str], records: list[Record]) -> "Table":
        return cls(file, header, [r.line for r in records],
                   {column: [r.values.get(column) for r in records] for column in header})

    def __len__(self) -> int:
        return len(self.lines)

    def record(self, index: int, leave_out: frozenset | set = frozenset()) -> Record:
        """Row `index` as a Record, without the columns in leave_out."""
        return Record(self.file, self.lines[index], values={
            column: cells[index] for column, cells in self.columns.items() if column not in leave_out})

    @property
    def rows(self) -> list[Record]:
        return [self.record(index) for index in range(len(self))]

    def ids(self) -> set:
        ids = set(self.columns["id"]) if "id" in self.columns else ({None} if self.lines else set())
        return ids | {r.values.get("id") for r in self.unreadable}


def read_text(path: Path, name: str) -> str:
    """Read a file as UTF-8 text (a byte-order mark is allowed), or raise a DataError saying why not."""
    if not path.exists():
        raise DataError([Problem(name, 0, "", "is missing; add it (docs/data-contract.md says what it holds)")])
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DataError([Problem(name, 0, "", f"cannot be read ({exc.strerror}); check the file exists")])
    if not raw.strip():
        raise DataError([Problem(name, 0, "", "is empty; it needs at least a header row or some fields")])
    if b"\x00" in raw:
        raise DataError([Problem(name, 0, "", "is a binary file, not text; save it as UTF-8 text (in Excel: Save As, CSV UTF-8)")])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DataError([Problem(
            name, line, "",
            f"is not UTF-8 text (byte 0x{raw[exc.start]:02x}); save it as UTF-8 (in Excel: Save As, CSV UTF-8)",
        )])
    return text


# --- YAML -------------------------------------------------------------------------------------


def parse_yaml(text: str, name: str, first_line: int = 1) -> tuple[Any, dict[tuple, int]]:
    """Parse YAML safely into text values and a map from field path to line.

    Anchors and aliases are refused (they can make a tiny file expand without limit, and staff never
    need them); a key given twice is an error rather than silently keeping the last.
    """
    offset = first_line - 1
    try:
        for event in yaml.parse(io.StringIO(text), Loader=_Loader):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                raise DataError([Problem(
                    name, event.start_mark.line + 1 + offset, "",
                    "uses a YAML anchor or alias (& or *); write the value out in full",
                )])
        node = yaml.compose(io.StringIO(text), Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 + offset if mark else first_line
        what = (exc.problem or exc.context or "unreadable").strip()
        raise DataError([Problem(
            name, line, "",
            f"is not valid YAML ({what}); check indentation, and put quotes around text containing ': ' or '#'",
        )])
    except yaml.YAMLError as exc:
        raise DataError([Problem(name, first_line, "", f"is not valid YAML ({exc}); check the file")])
    lines: dict[tuple, int] = {}
    problems: list[Problem] = []
    value = _plain(node, (), lines, problems, name, offset) if node is not None else None
    if problems:
        raise DataError(problems)
    return value, lines


def _plain(node, path, lines, problems, name, offset):
    lines[path] = node.start_mark.line + 1 + offset
    if isinstance(node, yaml.ScalarNode):
        # The C loader gives plain scalars the style '' and the pure-Python one None.
        if node.tag == _NULL_TAG and not node.style:
            return None
        return node.value
    if isinstance(node, yaml.SequenceNode):
        return [_plain(item, path + (i,), lines, problems, name, offset) for i, item in enumerate(node.value)]
    result: dict[str, Any] = {}
    for key_node, value_node in node.value:
        line = key_node.start_mark.line + 1 + offset
        if not isinstance(key_node, yaml.ScalarNode):
            problems.append(Problem(name, line, "", "has a key that is not plain text; write `name: value`"))
            continue
        key = key_node.value
        if key in result:
            problems.append(Problem(name, line, field_name(path + (key,)), "is given twice; keep one"))
            continue
        result[key] = _plain(value_node, path + (key,), lines, problems, name, offset)
        lines[path + (key,)] = line
    return result



def read_yaml_mapping(path: Path, name: str) -> Record:
    """Read a YAML file whose top level is a mapping of fields."""
    value, lines = parse_yaml(read_text(path, name), name)
    if not isinstance(value, dict):
        raise DataError([Problem(name, 1, "", "must be a list of `field: value` lines at the top level")])
    return Record(name, 1, lines, value)


def read_front_matter(path: Path, name: str) -> tuple[Record, str, int]:
    """Read a Markdown file with YAML front matter between `---` lines; return it, the body and the body's first line."""
    text = read_text(path, name).replace("\r\n", "\n")
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        raise DataError([Problem(name, 1, "", "must start with a line of three dashes (---), then the fields, then another ---")])
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() in ("---", "..."))
    except StopIteration:
        raise DataError([Problem(name, 1, "", "has no closing --- line after its fields; add one before the text")])
    value, field_lines = parse_yaml("\n".join(lines[1:end]), name, first_line=2)
    if not isinstance(value, dict):
        raise DataError([Problem(name, 2, "", "must have `field: value` lines between the --- lines")])
    body = "\n".join(lines[end + 1:])
    return Record(name, 1, field_lines, value), body, end + 2


# --- CSV --------------------------------------------------------------------------------------


def read_csv(path: Path, name: str) -> Table:
    """Read a CSV file with a header row; each row remembers the physical line it starts on.

    Cells are stripped; an empty cell is absent (None). Wholly empty rows are skipped.
    """
    text = read_text(path, name)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    problems: list[Problem] = []
    try:
        header = [h.strip() for h in next(reader)]
    except (StopIteration, csv.Error) as exc:
        raise DataError([Problem(name, 1, "", f"has no readable header row ({exc}); the first line names the columns")])
    seen: set[str] = set()
    for column in header:
        if column in seen:
            problems.append(Problem(name, 1, column, "is a column heading given twice; keep one"))
        seen.add(column)
    unreadable: list[Record] = []
    regular = _regular_columns(reader, len(header))
    if regular is not None:
        columns, count = regular
        lines = list(range(2, count + 2))
    else:
        rows, lines = _rows_one_by_one(text, name, header, problems, unreadable)
        columns = [_stripped(column, {}) for column in zip(*rows)] if rows else [[] for _ in header]
    table = Table(name, header, lines, dict(zip(header, columns)), unreadable)
    if problems:
        error = DataError(problems)
        error.table = table
        raise error
    return table


# Rows taken at a time from the C reader: few enough that their cells are still in the processor's
# cache when they are stripped. A spend file read whole and then stripped a column at a time took
# twice as long at 40,000 rows, and grew faster than its rows (bench/findings.md).
_ROWS_AT_A_TIME = 500


def _regular_columns(reader, width: int) -> tuple[list[list[str | None]], int] | None:
    """The columns of a file in which every row is one line of `width` cells, none wholly empty, and
    the number of rows; else None.

    Nearly every file is like this, and then the C reader can read it in runs of rows: the Python
    loop over lines cost about a fifth of reading 200,000 payments. Each distinct cell of a column is
    stripped once in the whole file.
    """
    if not width:
        return None
    columns: list[list[str | None]] = [[] for _ in range(width)]
    known: list[dict[str, str | None]] = [{} for _ in range(width)]
    count = 0
    try:
        while rows := list(itertools.islice(reader, _ROWS_AT_A_TIME)):
            count += len(rows)
            if reader.line_num != count + 1 or set(map(len, rows)) != {width}:
                return None  # a cell over several lines, a blank line or a row of the wrong width
            if any(not "".join(row).strip() for row in rows if not row[0].strip()):
                return None  # a row of empty cells (Excel leaves them where rows were cleared)
            for column, stripped, cells in zip(columns, known, zip(*rows)):
                column.extend(_stripped(cells, stripped))
    except csv.Error:
        return None
    return columns, count


def _rows_one_by_one(text: str, name: str, header: list[str], problems: list[Problem],
                     unreadable: list[Record]) -> tuple[list[list[str]], list[int]]:
    """Every row of a file that is not regular, with the line it starts on; problems of shape are added."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    next(reader)
    rows: list[list[str]] = []
    lines: list[int] = []
    width = len(header)
    line = reader.line_num + 1
    try:
        for cells in reader:
            start, line = line, reader.line_num + 1
            if not "".join(cells).strip():
                continue
            if len(cells) != width:
                if len(cells) > width:
                    problems.append(Problem(
                        name, start, "",
                        f"has {len(cells)} cells but the header has {width} columns; "
                        "a comma inside text needs the whole cell in double quotes",
                    ))
                    unreadable.append(Record(name, start, values=dict(zip(header, (c.strip() for c in cells)))))
                    continue
                cells = cells + [""] * (width - len(cells))
            rows.append(cells)
            lines.append(start)
    except csv.Error as exc:
        problems.append(Problem(name, line, "", f"cannot be read as CSV ({exc}); check for a stray double quote"))
    return rows, lines


def _stripped(cells: tuple[str, ...], known: dict[str, str | None]) -> list[str | None]:
    """Cells of a column stripped, None where empty; each distinct cell is stripped once, and kept in
    known (cell -> stripped), which a file read in runs of rows shares between its runs."""
    for cell in set(cells):
        if cell not in known:
            known[cell] = cell.strip() or None
    return list(map(known.__getitem__, cells))
