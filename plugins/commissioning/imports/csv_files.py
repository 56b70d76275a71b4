"""The data CSV files as the commands update them: rows kept as written, new ones added, a stable header.

A file is read with the exact text of each row, so a row that does not change is written back byte for
byte (a round trip changes nothing), and the header is the file's own with any new columns after it.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..load.read import read_text
from ..problems import DataError, Problem


@dataclass
class CsvFile:
    """A CSV file as written: its header, each row's cells and its exact text, and its line ending."""

    name: str
    header: list[str]
    rows: list[list[str]] = field(default_factory=list)
    raw: list[str] = field(default_factory=list)  # each row's text, its line ending included
    lines: list[int] = field(default_factory=list)  # the line each row starts on
    newline: str = "\n"
    bom: bool = False
    header_raw: str = ""

    def values(self, index: int) -> dict[str, str]:
        """Row `index` by column, each cell stripped, as the loader reads it."""
        row = self.rows[index]
        return {column: (row[i].strip() if i < len(row) else "") for i, column in enumerate(self.header)}


def _lines(text: str):
    """The text's lines with their endings, split at line feeds only: the csv module reads the rest itself."""
    start = 0
    while start < len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end + 1
        yield text[start:end]
        start = end


def parse(text: str, name: str) -> CsvFile:
    """A CSV file's text as a CsvFile; the caller has checked it reads (load.read.read_csv)."""
    bom = text.startswith("\ufeff")
    text = text.removeprefix("\ufeff")
    consumed: list[str] = []

    def feed():
        for line in _lines(text):
            consumed.append(line)
            yield line

    reader = csv.reader(feed(), strict=True)
    header = next(reader, [])
    found = CsvFile(name, [h.strip() for h in header], bom=bom, header_raw="".join(consumed))
    found.newline = "\r\n" if found.header_raw.endswith("\r\n") else "\n"
    consumed.clear()
    line = 2
    try:
        for row in reader:
            raw = "".join(consumed)
            consumed.clear()
            if "".join(row).strip():
                found.rows.append(row)
                found.raw.append(raw)
                found.lines.append(line)
            line += raw.count("\n")
    except csv.Error as exc:
        raise DataError([Problem(name, line, "", f"cannot be read as CSV ({exc}); check for a stray double quote")])
    return found


def read(path: Path, name: str) -> CsvFile | None:
    """The file at path, or None if there is none yet. Unreadable text raises load's DataError."""
    if not path.exists():
        return None
    return parse(read_text(path, name), name)


def row_text(cells: list[str], newline: str = "\n") -> str:
    """One row as the data files write it: quoted only where it must be."""
    out = io.StringIO()
    # Written with \r\n so that a cell holding either character is quoted (the csv module quotes only the
    # characters of its line ending), then ended as the file ends its lines.
    csv.writer(out, lineterminator="\r\n").writerow(cells)
    return out.getvalue()[:-2] + newline


def header_for(existing: CsvFile | None, fields: list[str], rows: list[dict[str, str]], always: tuple = ()) -> list[str]:
    """The file's own header, then (in the contract's order) each field a new row fills that it lacks.

    A new file has the fields in `always` (the required ones) and those the rows fill.
    """
    header = list(existing.header) if existing else []
    filled = {name for row in rows for name, value in row.items() if value}
    for name in fields:
        if name not in header and (name in filled or (existing is None and name in always)):
            header.append(name)
    return header


@dataclass
class Merged:
    """What a merge wrote: the file's new text and what happened to its rows."""

    text: str
    added: int = 0
    replaced: int = 0
    unchanged: int = 0
    kept: list[str] = field(default_factory=list)  # keys of rows that differ from the import, kept as staff left them
    changed: bool = False


def _render(existing: CsvFile | None, header: list[str], body: list[str]) -> str:
    newline = existing.newline if existing else "\n"
    if existing and header == existing.header:
        head = existing.header_raw
    else:
        head = row_text(header, newline)
    return ("\ufeff" if existing and existing.bom else "") + head + "".join(body)


def _padded(existing: CsvFile, index: int, header: list[str]) -> str:
    """An existing row as it was, with an empty cell for each new column."""
    if header == existing.header:
        return existing.raw[index]
    row = existing.rows[index]
    return row_text(row + [""] * (len(header) - len(row)), existing.newline)


def merge_keyed(existing: CsvFile | None, rows: list[dict[str, str]], fields: list[str], always: tuple = (),
                key: str = "id", replace: bool = False) -> Merged:
    """Rows with ids into a file: a row whose id is new is added; one already there is left as it is
    unless `replace`, when the import's values take the place of its own (its other columns are kept).

    Ids are compared ignoring case, as the site does.
    """
    header = header_for(existing, fields, rows, always)
    incoming = {row[key].lower(): row for row in rows}
    body: list[str] = []
    result = Merged("")
    seen: set[str] = set()
    if existing:
        for index in range(len(existing.rows)):
            values = existing.values(index)
            wanted = incoming.get(values.get(key, "").lower())
            if wanted is None:
                body.append(_padded(existing, index, header))
                continue
            seen.add(values[key].lower())
            same = all(values.get(name, "") == (wanted.get(name) or "") for name in wanted)
            if same:
                result.unchanged += 1
                body.append(_padded(existing, index, header))
            elif replace:
                result.replaced += 1
                body.append(row_text([wanted[c] if c in wanted else values.get(c, "") for c in header], existing.newline))
            else:
                result.kept.append(values[key])
                body.append(_padded(existing, index, header))
    newline = existing.newline if existing else "\n"
    for row in rows:
        if row[key].lower() not in seen:
            seen.add(row[key].lower())
            result.added += 1
            body.append(row_text([row.get(c) or "" for c in header], newline))
    result.text = _render(existing, header, body)
    result.changed = existing is None or result.added > 0 or result.replaced > 0 or header != existing.header
    return result


def merge_unkeyed(existing: CsvFile | None, rows: list[dict[str, str]], fields: list[str], always: tuple = (),
                  replace=None) -> Merged:
    """Rows without ids (payments) into a file: a row the file already holds (the same values in every column
    the import fills) is not added again, so importing the same export twice adds nothing.

    replace: None, or a test of an existing row's values: the rows it passes are removed first (--replace:
    the payments between the export's first and last dates give way to the export's).
    """
    header = header_for(existing, fields, rows, always)
    names = [c for c in fields if any(row.get(c) for row in rows)]
    result = Merged("")
    body: list[str] = []
    have: Counter = Counter()
    if existing:
        for index in range(len(existing.rows)):
            values = existing.values(index)
            if replace is not None and replace(values):
                result.replaced += 1
                continue
            have[tuple(values.get(c, "") for c in names)] += 1
            body.append(_padded(existing, index, header))
    newline = existing.newline if existing else "\n"
    for row in rows:
        signature = tuple(row.get(c) or "" for c in names)
        if have[signature]:
            have[signature] -= 1
            result.unchanged += 1
            continue
        result.added += 1
        body.append(row_text([row.get(c) or "" for c in header], newline))
    result.text = _render(existing, header, body)
    result.changed = existing is None or result.added > 0 or result.replaced > 0 or header != existing.header
    return result
