"""Open-data files: what a section makes besides pages (an `OutputFile`), and a `Download`, the
kind that is listed on /data/ and described in datapackage.json, with its columns.
"""

from __future__ import annotations

import json
import types
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Union, get_args, get_origin


@dataclass
class Column:
    """A column of a CSV download: its name, Table Schema type and meaning."""

    name: str
    type: str  # Table Schema: string, number, integer, date, datetime, boolean
    description: str
    required: bool = False


_TABLE_SCHEMA_TYPES = {Decimal: "number", int: "integer", bool: "boolean", date: "date", datetime: "datetime"}
_UNIONS = (Union, types.UnionType)


def table_schema_type(annotation: Any) -> str:
    """A field's Table Schema type, seen through Optional[...], X | None and Annotated[...].

    Pydantic strips Annotated from a field's own annotation (Money is Decimal) but not from inside
    Optional: Optional[Money] is Optional[Annotated[Decimal, ...]], whose arguments are no type in
    the table, and was read as text. Anything else (text, lists, code lists) is a string.
    """
    todo = [annotation]
    while todo:
        current = todo.pop(0)
        if current in _TABLE_SCHEMA_TYPES:
            return _TABLE_SCHEMA_TYPES[current]
        origin = get_origin(current)
        if origin is Annotated:
            todo.append(get_args(current)[0])
        elif origin in _UNIONS:
            todo.extend(a for a in get_args(current) if a is not type(None))
    return "string"


def model_columns(model, names: list[str] | None = None, overrides: dict[str, str] | None = None) -> list[Column]:
    """Columns for a model's fields, typed and described as the data contract describes them.

    `overrides` gives another description where the download writes the field differently.
    """
    columns = []
    for name in names or list(model.model_fields):
        field = model.model_fields[name]
        description = (overrides or {}).get(name) or field.description or ""
        columns.append(Column(name, table_schema_type(field.annotation), description.replace("`", ""), field.is_required()))
    return columns


@dataclass
class OutputFile:
    save_as: str
    content: bytes | None  # None once written and let go
    lastmod: date | None = None

    @property
    def size(self) -> int:
        return len(self.content) if self.content is not None else self._size

    def let_go(self) -> None:
        """Once written: the bytes freed, the size kept for the pages that state it. A large site's
        files are a fifth of what the build holds when it forks its page-writing copies."""
        self._size, self.content = len(self.content), None


@dataclass
class Download(OutputFile):
    """An open-data file: listed on /data/ and in datapackage.json."""

    title: str = ""
    description: str = ""
    format: str = "CSV"
    rows: int = 0
    columns: list[Column] = field(default_factory=list)
    primary_key: list[str] = field(default_factory=list)
    foreign_keys: list[dict] = field(default_factory=list)
    media_type: str = "text/csv"
    # The typed values the file was made from, a column at a time (name -> values), for writers that
    # need more than text: the Excel workbook beside a CSV keeps dates as dates and ids as text.
    values: dict[str, list] | None = None


def json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value) if value != value.to_integral_value() else int(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def json_bytes(data: Any) -> bytes:
    """Compact JSON: no standard we publish to (360Giving, OCDS, Frictionless) asks for indentation,
    and at scale it was a third of ocds.json. Anyone reading by eye can pretty-print it."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=json_default).encode("utf-8")
