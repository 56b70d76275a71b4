"""Validate: turn records of text into models, translating every failure into a `file:line: field:` problem."""

from __future__ import annotations

import typing
from types import MappingProxyType
from typing import Any, Callable, Iterable, TypeVar

from pydantic import BaseModel, PlainValidator, ValidationError

from ..problems import Problem, field_name
from .fields import printable
from .models import Model
from .read import Record, Source, Table

M = TypeVar("M", bound=Model)


def _shown(value) -> str:
    # Invisible and direction-changing characters shown as [U+0007]: the message must read as written.
    text = printable(str(value))
    return text if len(text) <= 60 else text[:57] + "..."



def message_for(error: dict, known_fields: Iterable[str] = ()) -> str:
    """One pydantic error as advice a non-developer can act on."""
    kind, value = error["type"], error.get("input")
    if kind == "missing":
        return "is required but missing or empty; fill it in"
    if kind == "extra_forbidden":
        known = ", ".join(sorted(known_fields))
        return f"is not a field we know; check its spelling (known fields: {known})"
    if kind == "literal_error":
        return f"'{_shown(value)}' is not allowed; write one of {error['ctx']['expected']}"
    if kind == "value_error":
        advice = str(error["ctx"]["error"])
        return f"'{_shown(value)}' {advice}" if isinstance(value, str) else advice
    if kind in ("list_type", "model_type", "dict_type", "model_attributes_type"):
        expected = "a list, each item on its own line starting with '- '" if kind == "list_type" \
            else "a group of `name: value` lines"
        return f"must be {expected}"
    return error["msg"]


def build(model: type[M], record: Record, problems: list[Problem], skip_missing: frozenset = frozenset()) -> M | None:
    """One record as a model, or None with its problems added."""
    values = {k: v for k, v in record.values.items() if v is not None}
    try:
        instance = model.model_validate(values)
    except ValidationError as exc:
        for error in exc.errors(include_url=False):
            loc = tuple(error["loc"])
            if error["type"] == "missing" and loc and loc[0] in skip_missing:
                continue
            known = _known_fields(model, loc)
            problems.append(Problem(record.file, record.line_of(*loc), field_name(loc), message_for(error, known)))
        return None
    instance._source = Source(record.file, record.line, record.field_lines)
    return instance


def _known_fields(model: type[Model], loc: tuple) -> list[str]:
    """The fields allowed where an unknown one was found, following nested models along the path."""
    current = model
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        annotation = current.model_fields[part].annotation
        inner = getattr(annotation, "__args__", (annotation,))[0]
        if isinstance(inner, type) and issubclass(inner, Model):
            current = inner
    return list(current.model_fields)


def check_header(model: type[Model], table: Table) -> tuple[list[Problem], frozenset, set]:
    """Problems with a CSV header: unknown columns and missing required columns, one problem each.

    Returns the problems, the required columns that are missing (so rows do not repeat the
    problem), and the unknown columns (so rows ignore them).
    """
    fields = model.model_fields
    problems = []
    unknown = {c for c in table.header if c and c not in fields}
    for column in table.header:
        if column in unknown:
            problems.append(Problem(table.file, 1, column, (
                f"is not a column we know; check the spelling of the heading "
                f"(known columns: {', '.join(fields)})")))
        elif not column:
            problems.append(Problem(table.file, 1, "", "has a column with no heading; give it one or delete it"))
    missing = frozenset(name for name, f in fields.items() if f.is_required() and name not in table.header)
    for name in sorted(missing):
        problems.append(Problem(table.file, 1, name, "is a required column but the header row does not have it; add it"))
    return problems, missing, unknown


class Rows(list):
    """A table's models in row order, and, when every row was made a column at a time, each field's
    values in the same order (field name -> list): the columns the models were made from. A rule
    reading one field of 200,000 payments then reads a list, not 200,000 models spread through
    memory (half a second of checking them, at the benchmark's default size)."""

    columns: dict[str, list] | None = None


def build_table(model: type[M], table: Table, problems: list[Problem]) -> Rows:
    """Every row of a CSV table as a model; rows with problems are left out and their problems added."""
    header_problems, missing, unknown = check_header(model, table)
    problems.extend(header_problems)
    made, columns = _ByColumn(model).build(table, leave_out=unknown)
    out = Rows()
    for index, instance in enumerate(made):
        if instance is None:  # a cell did not parse, or a required one is empty: pydantic says why
            instance = build(model, table.record(index, leave_out=unknown), problems, missing)
        if instance is not None:
            out.append(instance)
    out.columns = columns
    return out


class _ByColumn:
    """Rows of a flat model made a column at a time, each distinct cell parsed once.

    A payments file repeats its dates, ids, amounts and descriptions across hundreds of thousands of
    rows, and a pydantic model validated per row cost most of the time of checking them. Every field
    of such a model is a `fields.py` parser (a PlainValidator) that depends only on the cell, so a
    column's distinct cells are parsed once, and a row whose every cell parses is the model pydantic
    would make. Rows that do not parse cleanly are left to pydantic (None here), so the messages are
    pydantic's and exactly the same either way. A model with a field of another kind (a Literal, a
    nested model) or a default other than None is always left to pydantic.
    """

    def __init__(self, model: type[Model]):
        self.model = model
        fields = model.model_fields
        self.names = list(fields)
        self.parsers = {name: _plain_parser(field.metadata, field.annotation) for name, field in fields.items()}
        self.required = [name for name, field in fields.items() if field.is_required()]
        # Pydantic copies a mutable default for each instance; a shared one here would not be.
        self.usable = all(self.parsers.values()) and all(
            field.default is None for field in fields.values() if not field.is_required())
        self.private = {name: attr.get_default() for name, attr in model.__private_attributes__.items()}
        self.frozen = bool(model.model_config.get("frozen"))
        self.new = model.__new__

    def build(self, table: Table, leave_out: frozenset | set = frozenset()) -> tuple[list[Model | None], dict | None]:
        """Each row's model, or None for a row pydantic must judge, and each field's parsed values
        in row order (None unless every row's model was made here); the columns in leave_out are ignored."""
        rows = len(table)
        if not self.usable:
            return [None] * rows, None
        failed: set[int] = set()
        for column, cells in table.columns.items():
            if column not in self.parsers and column not in leave_out:  # a column with no heading
                failed.update(index for index, cell in enumerate(cells) if cell is not None)
        empty = [0] * rows  # a bit for each field whose cell is empty
        absent = 0  # the bits of the fields with no column: empty in every row
        columns = []
        for bit, name in enumerate(self.names):
            cells = table.columns.get(name)
            if cells is None:
                # Not a cell to look at: most of a payments file's optional columns are not in it.
                if name in self.required:
                    failed.update(range(rows))
                absent |= 1 << bit
                columns.append([None] * rows)
                continue
            parsed = self._parse(name, cells)
            columns.append(list(map(parsed.get, cells)))
            if None in parsed:
                flag = 1 << bit
                empty = [mask | flag if cell is None else mask for mask, cell in zip(empty, cells)]
                if name in self.required:
                    failed.update(index for index, cell in enumerate(cells) if cell is None)
            bad = {cell for cell, value in parsed.items() if value is _FAILED}
            if bad:
                failed.update(index for index, cell in enumerate(cells) if cell in bad)
        made = self._made(columns, self._fields_set(empty, absent), table.lines, table.file)
        for index in failed:
            made[index] = None
        return made, None if failed else dict(zip(self.names, columns))

    def _fields_set(self, empty: list[int], absent: int) -> list[set]:
        """Pydantic's fields_set for each row: the fields whose cells are not empty (bits of `empty`),
        and that have a column (not a bit of `absent`).

        A frozen model cannot change its fields, so rows alike share one set: a set of seven names
        is 728 bytes, more than the rest of a payment.
        """
        sets = {mask: {name for bit, name in enumerate(self.names) if not (mask | absent) & (1 << bit)}
                for mask in set(empty)}
        if self.frozen:
            return list(map(sets.__getitem__, empty))
        return [sets[mask].copy() for mask in empty]

    def _parse(self, name: str, cells: list) -> dict:
        """Each distinct cell of a column and what it parses to (None stays None; a failure is _FAILED)."""
        parse = self.parsers[name]
        parsed: dict = {}
        for cell in set(cells):
            if cell is None:
                parsed[cell] = None
                continue
            try:
                parsed[cell] = parse(cell)
            except ValueError:
                parsed[cell] = _FAILED
        return parsed

    def _made(self, columns: list[list], given: list[set], lines: list[int], file: str) -> list[Model]:
        """The model of each row, from each field's values in row order.

        What `model_construct` does, without its general handling (aliases, defaults made by
        factories, extra fields), which cost as much as validating: these are BaseModel's documented
        instance attributes. A payments file has hundreds of thousands of rows, so they are made in
        one loop, and the three attributes that are slots are set through their descriptors, as
        object.__setattr__ would after looking each name up on the class.
        """
        new, model, names, private = self.new, self.model, self.names, self.private
        set_fields_set, set_extra, set_private = _SET_SLOT
        made = []
        for values, fields_set, line in zip(zip(*columns), given, lines):
            instance = new(model)
            instance.__dict__.update(zip(names, values))
            set_fields_set(instance, fields_set)
            set_extra(instance, None)
            set_private(instance, {**private, "_source": Source(file, line, _NO_FIELD_LINES)})
            made.append(instance)
        return made


# A CSV row's fields are all on its first line; rows share this, and nothing writes to it.
_NO_FIELD_LINES: typing.Mapping = MappingProxyType({})
_FAILED = object()
_SET_SLOT = tuple(BaseModel.__dict__[name].__set__
                  for name in ("__pydantic_fields_set__", "__pydantic_extra__", "__pydantic_private__"))


def _plain_parser(metadata: list, annotation) -> Callable[[Any], Any] | None:
    """The `fields.py` parser of a field, looking inside Optional[...]; None if it has none."""
    for item in metadata:
        if isinstance(item, PlainValidator):
            return item.func
    for argument in typing.get_args(annotation):
        found = _plain_parser(getattr(argument, "__metadata__", ()), None)
        if found:
            return found
    return None
