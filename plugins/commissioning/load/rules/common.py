"""What every rule shares: its type, and the problem it reports at a record's field."""

from __future__ import annotations

from typing import Callable, Iterable

from ...problems import ERROR, WARNING, Problem, field_name
from ..dataset import Dataset
from ..models import Model

Rule = Callable[[Dataset], Iterable[Problem]]

__all__ = ["ERROR", "WARNING", "Rule", "at"]


def at(record: Model, field: str, message: str, *path, severity: str = ERROR) -> Problem:
    """A problem at a field of a record (path: where inside it, e.g. the second event's end).

    severity: ERROR (the default: nothing is published) or WARNING (published, and printed).
    """
    source = record.origin
    return Problem(source.file, source.line_of(field, *path), field_name((field, *path)), message, severity)
