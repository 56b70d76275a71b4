"""Problems found in the data, reported to staff as `file:line: field: message`.

A problem is an error (nothing is published until it is fixed) or a warning (the site is published,
and the warning is printed so someone looks at it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in one place, with what to do about it."""

    file: str
    line: int = 0
    field: str = ""
    message: str = ""
    severity: str = ERROR  # "error" stops the build; "warning" is printed and the site is published

    @property
    def is_warning(self) -> bool:
        return self.severity == WARNING

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        if self.is_warning:
            where += ": warning"
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"

    def github_annotation(self) -> str:
        """The same problem as a GitHub Actions annotation on the file and line (::error or ::warning)."""
        text = f"{self.field}: {self.message}" if self.field else self.message
        text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        line = f",line={self.line}" if self.line else ""
        kind = "warning" if self.is_warning else "error"
        return f"::{kind} file={self.file}{line}::{text}"


def field_name(path: tuple) -> str:
    """`('evaluation_criteria', 0, 'weight')` as staff would count it: `evaluation_criteria[1].weight`."""
    out = ""
    for part in path:
        out += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def errors(problems) -> list[Problem]:
    return [p for p in problems if not p.is_warning]


def warnings(problems) -> list[Problem]:
    return [p for p in problems if p.is_warning]


# --- one root cause, one message -----------------------------------------------------------------

_QUOTED = re.compile(r"'[^']*'")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
SHOWN_LINES = 3  # a grouped problem names this many lines, then says how many more


def template_of(message: str) -> str:
    """A message without what changes from place to place (quoted values, numbers): its template."""
    return _NUMBER.sub("#", _QUOTED.sub("'…'", message))


def lines_text(lines: list[int]) -> str:
    """`3 and 4`, `3, 4 and 9`, `3, 4, 9 and 57 more`."""
    shown = [str(n) for n in lines[:SHOWN_LINES]]
    rest = len(lines) - len(shown)
    if rest:
        return f"{', '.join(shown)} and {rest} more"
    return f"{', '.join(shown[:-1])} and {shown[-1]}"


def group_repeats(problems: list[Problem]) -> list[Problem]:
    """Problems of the same template in one file and field, as one problem listing their lines.

    The group keeps its first problem's line and message (so its first value), and ends with the
    lines it was found on: `... (found on lines 3, 4, 9 and 57 more)`. A problem with no line is left alone.
    """
    groups: dict[tuple, list[Problem]] = {}
    for problem in sorted(set(problems)):
        key = (problem.file, problem.field, problem.severity, template_of(problem.message)) if problem.line \
            else (problem,)
        groups.setdefault(key, []).append(problem)
    out = []
    for members in groups.values():
        first = members[0]
        if len(members) == 1:
            out.append(first)
            continue
        lines = sorted({p.line for p in members})
        if len(lines) == 1:  # on one line, such as two unknown codes in one cell: each is its own
            out.extend(members)
        else:
            out.append(Problem(first.file, first.line, first.field,
                               f"{first.message} (found on lines {lines_text(lines)})", first.severity))
    return sorted(out)


class DataError(Exception):
    """Raised once a stage has found errors; carries every one of them, and any warnings found too."""

    def __init__(self, problems: list[Problem], warnings: list[Problem] = ()):
        found = set(problems)
        self.problems = sorted(p for p in found if not p.is_warning)
        self.warnings = sorted({*warnings, *(p for p in found if p.is_warning)})
        super().__init__(f"{len(self.problems)} problem(s) in the data")

    def report(self) -> str:
        lines = [str(p) for p in self.problems]
        count = len(self.problems)
        lines.append(f"{count} problem{'s' if count != 1 else ''} found: nothing was published.")
        return "\n".join(lines)


def warnings_report(found: list[Problem]) -> str:
    """The warnings, one a line, with a count: printed by check and build; the site is still published."""
    if not found:
        return ""
    lines = [str(p) for p in sorted(found)]
    count = len(found)
    lines.append(f"{count} warning{'s' if count != 1 else ''}: the site is published as it is; check {'them' if count != 1 else 'it'}.")
    return "\n".join(lines)
