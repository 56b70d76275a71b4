"""The mapping file: what an import cannot find in the file it reads, written out for staff to fill in.

The first run writes it with every value the file holds (each grant programme, each place, each
supplier, each column) and an empty answer where a person must decide; a later run reads the answers,
keeps them, and adds any value it has not seen before. It is YAML, read as the data files are (every
value is text, a mistake is named by line), and written with a comment above each answer saying what
may go there.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..load.read import parse_yaml, read_text
from ..problems import DataError, Problem, field_name

_PLAIN = re.compile(r"[A-Za-z0-9_][A-Za-z0-9 _.,()/+-]*")
_SPECIAL = {"yes", "no", "true", "false", "on", "off", "null", "~", "y", "n"}


@dataclass
class Entry:
    """One line of the file to write: `key: value`, or `key:` and the entries under it; comment lines above."""

    key: str
    value: Any = None  # text, a list of text, or a list of Entry
    comment: str = ""


def scalar(value: Any) -> str:
    """A value written so YAML reads it back as the same text: plain where that is safe, else quoted."""
    if value is None:
        return '""'
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(scalar(v) for v in value) + "]"
    text = str(value)
    if _PLAIN.fullmatch(text) and not text.endswith(" ") and text.lower() not in _SPECIAL:
        return text
    return json.dumps(text, ensure_ascii=False)


def render(entries: list[Entry], header: str = "", indent: int = 0) -> str:
    """The entries as YAML text."""
    out = []
    if header:
        out.extend(f"# {line}".rstrip() for line in header.splitlines())
        out.append("")
    pad = " " * indent
    for entry in entries:
        for line in entry.comment.splitlines():
            out.append(f"{pad}# {line}".rstrip())
        if isinstance(entry.value, list) and entry.value and isinstance(entry.value[0], Entry):
            out.append(f"{pad}{scalar(entry.key)}:")
            out.append(render(entry.value, indent=indent + 2).rstrip("\n"))
        else:
            out.append(f"{pad}{scalar(entry.key)}: {scalar(entry.value)}")
        if indent == 0:
            out.append("")
    return "\n".join(out) + "\n"


@dataclass
class Mapping:
    """A mapping file as read: its values (text, lists and groups of text) and the line of each."""

    name: str
    values: dict = field(default_factory=dict)
    lines: dict = field(default_factory=dict)
    exists: bool = False

    def get(self, *path, default: Any = None) -> Any:
        value: Any = self.values
        for part in path:
            if not isinstance(value, dict) or part not in value:
                return default
            value = value[part]
        return default if value is None else value

    def text(self, *path) -> str:
        """A value as stripped text ('' when absent); a list is joined with ;."""
        value = self.get(*path)
        if isinstance(value, list):
            return ";".join(str(v).strip() for v in value if v is not None and str(v).strip())
        return "" if value is None or isinstance(value, dict) else str(value).strip()

    def group(self, *path) -> dict:
        value = self.get(*path)
        return value if isinstance(value, dict) else {}

    def problem(self, path: tuple, message: str) -> Problem:
        line = 0
        for end in range(len(path), 0, -1):
            if path[:end] in self.lines:
                line = self.lines[path[:end]]
                break
        return Problem(self.name, line, field_name(path), message)


def load(path: Path, name: str) -> Mapping:
    """The mapping file at path (an empty Mapping if there is none yet); a YAML mistake raises DataError."""
    if not path.exists() or not path.read_bytes().strip():  # an empty file is a mapping not yet written
        return Mapping(name)
    value, lines = parse_yaml(read_text(path, name), name)
    if value is None:
        value = {}
    if not isinstance(value, dict):
        raise DataError([Problem(name, 1, "", "must be `name: value` lines at the top level, as the import wrote it")])
    return Mapping(name, value, lines, exists=True)


def as_list(value: Any) -> list[str]:
    """An answer that may be a YAML list or `a; b` text, as a list of text."""
    if value is None:
        return []
    items = value if isinstance(value, list) else str(value).split(";")
    return [str(item).strip() for item in items if item is not None and str(item).strip()]
