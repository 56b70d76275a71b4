"""Load: quarterly monitoring, the returns each funded service makes every quarter.

Two CSV files per financial year in `data/monitoring/`, both easy to keep in Excel:

- `<year>-returns.csv`: a row per award and quarter: when the return came in, the overall rating on
  the Procurement Act's KPI scale, and a short summary of what the people using the service said;
- `<year>-measures.csv`: a row per award, quarter and measure: the target and what was achieved.

A measure is either one of the shared measures listed once in funder.yaml (`measures:`, the
`SharedMeasure` model), which add up across services, or a service's own measure, whose title and
unit are given in its rows. The field descriptions below are the data contract.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Callable, Optional

from pydantic import Field, PlainValidator

from .. import timing
from ..problems import DataError, Problem
from .fields import Code, IsoDate, MultilineText, Text, Unit, _text, bounded_decimal, financial_year_bounds
from .models import Model, SharedMeasure
from .read import read_csv

# --- code lists -------------------------------------------------------------------------------

# The Procurement Act 2023's scale for key performance indicators (section 52), best first.
RATINGS = {
    "good": "Good",
    "approaching-target": "Approaching target",
    "requires-improvement": "Requires improvement",
    "inadequate": "Inadequate",
}

RETURN_DUE_DAYS = 30  # a return is due this many days after its quarter ends, unless funder.yaml says otherwise
QUARTER_MONTHS = {1: ("April", "June"), 2: ("July", "September"), 3: ("October", "December"), 4: ("January", "March")}


# --- the quarter ------------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class Quarter:
    """A financial quarter: `2025-26 Q1` is April to June 2025, Q4 is January to March 2026."""

    year: str  # the financial year, 2025-26
    number: int  # 1 to 4

    @property
    def label(self) -> str:
        return f"{self.year} Q{self.number}"

    @property
    def start(self) -> date:
        first = int(self.year[:4])
        month = 3 * self.number + 1
        return date(first + 1, month - 12, 1) if month > 12 else date(first, month, 1)

    @property
    def end(self) -> date:
        following = self.next()
        return following.start - timedelta(days=1)

    def next(self) -> "Quarter":
        if self.number < 4:
            return Quarter(self.year, self.number + 1)
        first = int(self.year[:4]) + 1
        return Quarter(f"{first}-{(first + 1) % 100:02d}", 1)

    @property
    def months_text(self) -> str:
        """April to June 2025."""
        first, last = QUARTER_MONTHS[self.number]
        return f"{first} to {last} {self.end.year}"

    def __str__(self) -> str:
        return self.label


def quarter_of(day: date) -> Quarter:
    start = day.year if day.month >= 4 else day.year - 1
    number = (day.month - 4) % 12 // 3 + 1
    return Quarter(f"{start}-{(start + 1) % 100:02d}", number)


def quarters_between(first: date, last: date) -> list[Quarter]:
    """Every quarter with at least one day from first to last, in order."""
    out, quarter = [], quarter_of(first)
    while quarter.start <= last:
        out.append(quarter)
        quarter = quarter.next()
    return out


# --- field types ------------------------------------------------------------------------------

_QUARTER = re.compile(r"([0-9]{4})-([0-9]{2}) *[Qq]([1-4])")
_FIGURE = re.compile(r"[0-9]+(?:\.[0-9]{1,2})?")


def parse_quarter(value: Any) -> Quarter:
    text = _text(value)
    match = _QUARTER.fullmatch(text)
    if not match or financial_year_bounds(f"{match.group(1)}-{match.group(2)}") is None:
        raise ValueError("is not a financial quarter; write the year and the quarter, for example 2025-26 Q1 "
                         "(Q1 is April to June, Q2 July to September, Q3 October to December, Q4 January to March)")
    return Quarter(f"{match.group(1)}-{match.group(2)}", int(match.group(3)))


def parse_figure(value: Any) -> Decimal:
    return bounded_decimal(value, _FIGURE, "is not a number; write digits only, for example 42 or 87.5 (no commas, %, £ or words)",
                           "is too large: a figure must be under 1000000000; check for extra digits")


def parse_rating(value: Any) -> str:
    text = "-".join(_text(value).lower().replace("_", " ").replace("-", " ").split())
    if text not in RATINGS:
        raise ValueError("is not a rating; write one of good, approaching target, requires improvement or inadequate "
                         "(the Procurement Act's scale for key performance indicators)")
    return text


QuarterField = Annotated[Quarter, PlainValidator(parse_quarter)]
Figure = Annotated[Decimal, PlainValidator(parse_figure)]
Rating = Annotated[str, PlainValidator(parse_rating)]


# --- the models: the data contract ------------------------------------------------------------


class MeasureReturn(Model):
    award_id: Text = Field(description="an `id` in awards.csv")
    quarter: QuarterField = Field(description=(
        "the financial quarter, written `2025-26 Q1`: Q1 is April to June, Q2 July to September, Q3 October to "
        "December, Q4 January to March; in the file's financial year, within the award's term, and over"))
    measure: Code = Field(description=(
        "a `code` from `measures` in funder.yaml (a shared measure, added up across services), or a code of the "
        "service's own, e.g. `group-sessions`, with its title and unit in this row"))
    title: Optional[Text] = Field(None, description=(
        "a service's own measure only: what it counts, e.g. Group sessions delivered; the same in every row of "
        "that measure; empty for a shared measure"))
    unit: Optional[Unit] = Field(None, description=(
        "a service's own measure only: one of people, referrals, sessions, per cent, pounds, days; empty for a "
        "shared measure"))
    target: Optional[Figure] = Field(None, description=(
        "what the service aimed for in the quarter, digits only (87.5 for 87.5 per cent); empty if no target was set; "
        "a count is a whole number"))
    actual: Figure = Field(description=(
        "what the service achieved in the quarter, digits only; a count is a whole number. A count from 1 to 4 is "
        "published as \"fewer than 5\""))
    note: Optional[MultilineText] = Field(None, description=(
        "a short note on the figure, published; never a name or anything that could identify a person"))


class QuarterReturn(Model):
    award_id: Text = Field(description="an `id` in awards.csv")
    quarter: QuarterField = Field(description="the financial quarter, written `2025-26 Q1`, as in the measures file")
    received: Optional[IsoDate] = Field(None, description=(
        "the date the return came in; empty while it has not (the site then says the return is not yet received)"))
    rating: Optional[Rating] = Field(None, description=(
        "the overall rating on the Procurement Act's scale: good, approaching target, requires improvement or "
        "inadequate; required once the return is received"))
    feedback: Optional[MultilineText] = Field(None, description=(
        "a short summary, in your words, of what people using the service said, published; never a name, a quote "
        "that could identify someone, or a number of people under 5"))


# --- the data as read ----------------------------------------------------------------------------


@dataclass
class Monitoring:
    """Every valid row of data/monitoring/, by financial year as the files are named."""

    measures: dict[str, list[MeasureReturn]] = field(default_factory=dict)
    returns: dict[str, list[QuarterReturn]] = field(default_factory=dict)
    folder: str = "data/monitoring"  # as staff see it, for messages

    @property
    def years(self) -> list[str]:
        return sorted({*self.measures, *self.returns})

    @property
    def first_quarter(self) -> Quarter | None:
        """The first quarter returns are published for: Q1 of the earliest year with a returns file."""
        return Quarter(min(self.returns), 1) if self.returns else None

    @property
    def all_measures(self) -> list[MeasureReturn]:
        return [row for year in sorted(self.measures) for row in self.measures[year]]

    @property
    def all_returns(self) -> list[QuarterReturn]:
        return [row for year in sorted(self.returns) for row in self.returns[year]]

    def file_of(self, year: str, kind: str) -> str:
        return f"{self.folder}/{year}-{kind}.csv"


_FILE_NAME = re.compile(r"([0-9]{4}-[0-9]{2})-(measures|returns)")


def read_monitoring(folder: Path, name: Callable[[Path], str]) -> tuple[Monitoring, list[Problem]]:
    """Every monitoring file of the folder as models, and every problem found reading them.

    A missing folder is no problem: monitoring is then not published. name(path) is the path as staff see it.
    """
    # Imported here: validate imports models, and models may import this module for SharedMeasure.
    from .validate import build_table

    monitoring = Monitoring(folder=name(folder))
    problems: list[Problem] = []
    if not folder.is_dir():
        return monitoring, problems
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or (path.suffix == ".md" and path.is_file()):
            continue  # hidden files, and notes (such as README.md)
        match = _FILE_NAME.fullmatch(path.stem) if path.suffix == ".csv" else None
        if not match or financial_year_bounds(match.group(1)) is None:
            problems.append(Problem(name(path), 0, "", (
                "is not a monitoring file name; name each year's files <year>-returns.csv and <year>-measures.csv, "
                "for example 2025-26-returns.csv")))
            continue
        year, kind = match.groups()
        model = MeasureReturn if kind == "measures" else QuarterReturn
        try:
            with timing.stage("read", "monitoring"):
                table = read_csv(path, name(path))
        except DataError as error:
            problems.extend(error.problems)
            table = getattr(error, "table", None)
        with timing.stage("model", model.__name__):
            rows = build_table(model, table, problems) if table else []
        (monitoring.measures if kind == "measures" else monitoring.returns)[year] = rows
    for year in sorted(set(monitoring.measures) - set(monitoring.returns)):
        problems.append(Problem(monitoring.file_of(year, "measures"), 0, "", (
            f"has no returns file beside it; add {monitoring.file_of(year, 'returns')} with a row for each award "
            "and quarter (award_id, quarter, received, rating, feedback)")))
    return monitoring, problems


def shared_measures(funder) -> list[SharedMeasure]:
    """The funder's shared measures (funder.yaml `measures:`), or none."""
    return list(getattr(funder, "measures", None) or [])


def return_due_days(funder) -> int:
    """Days after a quarter ends by which its return is due (funder.yaml `return_due_days`, else 30)."""
    days = getattr(funder, "return_due_days", None)
    return RETURN_DUE_DAYS if days is None else days


def due_date(quarter: Quarter, funder) -> date:
    return quarter.end + timedelta(days=return_due_days(funder))
