"""Validate: turn records of text into models, translating every failure into a `file:line: field:` problem."""

from __future__ import annotations

from typing import Iterable, TypeVar

from pydantic import ValidationError

from .load import Record, Source, Table
from .models import Model
from .problems import Problem

M = TypeVar("M", bound=Model)


def _shown(value) -> str:
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "..."


def field_name(loc: tuple) -> str:
    """`('evaluation_criteria', 0, 'weight')` as staff would count it: `evaluation_criteria[1].weight`."""
    out = ""
    for part in loc:
        out += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


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


def build_table(model: type[M], table: Table, problems: list[Problem]) -> list[M]:
    """Every row of a CSV table as a model; rows with problems are left out and their problems added."""
    header_problems, missing, unknown = check_header(model, table)
    problems.extend(header_problems)
    out = []
    for record in table.rows:
        for column in unknown:
            record.values.pop(column, None)
        instance = build(model, record, problems, missing)
        if instance is not None:
            out.append(instance)
    return out
