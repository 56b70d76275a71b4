"""Derive: what the money achieved, from the quarterly monitoring returns, with small numbers protected.

Every figure the site and the downloads show about monitoring is made here, once, as a `Shown`: its
text, and its number only where the number may be published. The sections only lay them out, so
nothing after this module can print a protected number: it is not there to print.

## How numbers are protected

A *count* (a measure counted in people, referrals or sessions) from 1 to 4 (below the setting
`suppress_below`, 5 by default) is never published: it reads "fewer than 5" (primary suppression).
That holds for every quarter's figure and for every total.

Totals are published for the shared measures: for each service in each financial year, and for each
funding stream, priority and the funder as a whole. Each total is an equation that a reader can
solve: total = the sum of its quarters' figures. `protect` withholds further figures ("not shown":
secondary suppression) until no protected figure can be worked out from what is published:

- exactly: no protected figure (a count from 1 to 4, or a total of fewer than 5) follows from the
  published figures by any combination of the totals (exact whole-number row reduction: the
  figure's unit vector is not in the span of the equations over the withheld figures), and
- by its bounds: given that "fewer than 5" is from 1 to 4 and "not shown" is any number but 0 (a 0
  is always shown), no protected figure is left only one possible value, first by narrowing each equation's ranges in
  turn, then by the least and greatest value every equation together allows (two small linear
  programmes a figure).

Where a figure must be withheld, the one chosen is a published figure in the leaking equation that
shares the most totals with the protected one (usually another quarter of the same service, so the
two are always added together), the smallest first; where the equation has none, its total. As a
last resort, where the labels of small totals would give a figure away (a table of nothing but
small numbers), a total of fewer than 5 is marked "not shown" instead, which says nothing of its
size: "not shown" never promises a figure of 5 or more.
Targets are plans, not counts of people, and are published as they are; figures in per cent, pounds
or days are not counts and are published as they are.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Iterable

from ..load.codes import COUNT_UNITS
from ..load.monitoring import (
    RATINGS, MeasureReturn, Monitoring, Quarter, QuarterReturn, due_date, quarters_between,
    return_due_days, shared_measures,
)
from ..render.filters import money
from .kept_suppression import KeptAnswers
from .suppression import SECONDARY, SMALL

NOT_SHOWN = "not shown"
DEFAULT_SUPPRESS_BELOW = 5


# --- a figure as published -----------------------------------------------------------------------


@dataclass(frozen=True)
class Shown:
    """A figure as the site and the downloads show it. `number` is None whenever it is withheld."""

    text: str
    number: Decimal | None
    withheld: str = ""  # "", SMALL or SECONDARY

    @property
    def is_withheld(self) -> bool:
        return bool(self.withheld)

    def __str__(self) -> str:
        return self.text


def fewer_than(below: int) -> str:
    return f"fewer than {below}"


def format_figure(value: Decimal, unit: str) -> str:
    """1,240 (a count), 87.5% , £1,200, 12 days."""
    value = Decimal(value)
    plain = value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()
    if unit == "per cent":
        return f"{plain:,}%"
    if unit == "pounds":
        return money(value)
    if unit == "days":
        return f"{plain:,} day{'s' if plain != 1 else ''}"
    return f"{plain:,}"


def shown(value: Decimal | int | None, unit: str, withheld: str, below: int) -> Shown | None:
    if value is None:
        return None
    if withheld == SMALL:
        return Shown(fewer_than(below), None, SMALL)
    if withheld == SECONDARY:
        return Shown(NOT_SHOWN, None, SECONDARY)
    return Shown(format_figure(Decimal(value), unit), Decimal(value))


# --- the derived figures ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Measure:
    code: str
    title: str
    unit: str
    meaning: str | None = None  # shared measures only
    shared: bool = False

    @property
    def is_count(self) -> bool:
        return self.unit in COUNT_UNITS


@dataclass
class MeasureQuarter:
    measure: Measure
    quarter: Quarter
    actual: Shown
    target: Shown | None
    note: str | None = None


STATE_LABELS = {
    "on-time": "Received on time",
    "late": "Received late",
    "overdue": "Return not yet received",
    "awaited": "Return not yet received",
}


@dataclass
class AwardQuarter:
    """One quarter of one award's monitoring: its return (or that it is not yet received) and its figures."""

    quarter: Quarter
    due: date
    state: str  # on-time, late (received after its due date), overdue (not received, past due), awaited (not yet due)
    received: date | None = None
    rating: str | None = None
    feedback: str | None = None
    figures: dict[str, MeasureQuarter] = field(default_factory=dict)

    @property
    def is_received(self) -> bool:
        return self.received is not None

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def rating_label(self) -> str | None:
        return RATINGS.get(self.rating) if self.rating else None


@dataclass
class AwardOutcomes:
    """How one funded service is doing: every quarter monitored, its measures, its yearly totals."""

    award: object  # the AwardView
    quarters: list[AwardQuarter]
    measures: list[Measure]
    year_totals: dict[tuple[str, str], Shown]  # (measure code, financial year) -> total, shared measures only

    @property
    def received(self) -> list[AwardQuarter]:
        return [q for q in self.quarters if q.is_received]

    @property
    def latest(self) -> AwardQuarter | None:
        """The latest return received."""
        return self.received[-1] if self.received else None

    @property
    def missing(self) -> list[AwardQuarter]:
        return [q for q in self.quarters if not q.is_received]

    @property
    def years(self) -> list[str]:
        return sorted({q.quarter.year for q in self.quarters})

    def cells(self, measure: Measure) -> list[tuple[AwardQuarter, MeasureQuarter | None]]:
        return [(q, q.figures.get(measure.code)) for q in self.quarters]


@dataclass
class ReturnsSummary:
    """How many returns of a financial year were due, and how many came in on time."""

    year: str
    on_time: int = 0
    late: int = 0
    overdue: int = 0
    awaited: int = 0

    @property
    def due(self) -> int:
        """Returns whose due date has passed, or that are in already."""
        return self.on_time + self.late + self.overdue

    @property
    def share_on_time(self) -> str | None:
        return f"{self.on_time * 100 / self.due:.0f}%" if self.due else None


@dataclass
class Outcomes:
    """Everything the site says about monitoring."""

    measures: list[Measure]  # the shared measures, in funder.yaml's order
    years: list[str]
    complete_years: set[str]
    awards: dict[str, AwardOutcomes]  # by award id
    totals: dict[tuple, Shown]  # (area kind, area code, measure code, year) -> total; kind: all, stream, priority, award
    returns: list[ReturnsSummary]
    suppress_below: int
    first_quarter: Quarter | None
    lastmod: date | None = None
    return_due_days: int = 30

    def total(self, kind: str, code: str, measure: str, year: str) -> Shown | None:
        return self.totals.get((kind, code, measure, year))

    def of_award(self, award) -> AwardOutcomes | None:
        return self.awards.get(award.id)

    @property
    def fewer_than(self) -> str:
        return fewer_than(self.suppress_below)

    @property
    def any(self) -> bool:
        return bool(self.awards)


def _measure_of(row: MeasureReturn, shared: dict[str, Measure]) -> Measure:
    if row.measure in shared:
        return shared[row.measure]
    return Measure(row.measure, row.title or row.measure, row.unit or "people")


def derive_outcomes(site, monitoring: Monitoring | None = None, measures: Iterable | None = None) -> Outcomes | None:
    """The monitoring figures of the whole site, protected; None when data/monitoring/ holds no files.

    monitoring and measures default to the dataset's (`dataset.monitoring`) and the funder's
    (`funder.measures`).
    """
    monitoring = monitoring if monitoring is not None else getattr(site.dataset, "monitoring", None)
    if monitoring is None or not monitoring.years:
        return None
    below = getattr(site.settings, "suppress_below", DEFAULT_SUPPRESS_BELOW)
    today = site.today
    funder = site.funder
    shared = {m.code: Measure(m.code, m.title, m.unit, m.meaning, True)
              for m in (measures if measures is not None else shared_measures(funder))}
    views = {a.id: a for a in site.awards}
    returns: dict[tuple[str, Quarter], QuarterReturn] = {}
    for row in monitoring.all_returns:
        returns.setdefault((row.award_id, row.quarter), row)
    rows_of: dict[tuple[str, Quarter], list[MeasureReturn]] = defaultdict(list)
    for row in monitoring.all_measures:
        rows_of[(row.award_id, row.quarter)].append(row)

    # Which quarters each award is monitored for: those of its term from the first published, over by today.
    first = monitoring.first_quarter or Quarter(monitoring.years[0], 1)
    quarters_of: dict[str, list[Quarter]] = {}
    for award in site.awards:
        expected = [q for q in quarters_between(award.start_date, award.end_date) if q >= first and q.end < today]
        given = {q for (award_id, q) in [*returns, *rows_of] if award_id == award.id}
        quarters = sorted(set(expected) | given)
        if quarters:
            quarters_of[award.id] = quarters

    # The raw values of every count, and the equations its totals make: one system per shared measure and year.
    counts: dict[tuple[str, str, str], int] = {}  # (award, quarter label, measure) -> value
    for (award_id, quarter), rows in rows_of.items():
        for row in rows:
            if award_id in views and _measure_of(row, shared).is_count:
                counts[(award_id, quarter.label, row.measure)] = int(row.actual)
    withheld: dict[tuple, str] = {}
    totals_raw: dict[tuple, int] = {}
    systems: dict[tuple[str, str], tuple[dict, dict]] = defaultdict(lambda: ({}, defaultdict(list)))
    for (award_id, label, code), value in counts.items():
        year = label[:7]
        if code not in shared:  # a service's own count: never added up, protected on its own
            if 0 < value < below:
                withheld[("cell", award_id, label, code)] = SMALL
            continue
        cells, totals = systems[(code, year)]
        cell = ("cell", award_id, label, code)
        cells[cell] = value
        award = views[award_id]
        areas = [("award", award_id), ("stream", award.stream.code), ("all", "")]
        areas += [("priority", p.code) for p in award.priority_views]
        for kind, area in areas:
            totals[(kind, area, code, year)].append(cell)
    kept = KeptAnswers(getattr(site.settings, "root", None))
    for (code, year), (cells, totals) in sorted(systems.items()):
        withheld.update(kept.protect(cells, dict(totals), below))
        for key, parts in totals.items():
            totals_raw[key] = sum(cells[p] for p in parts)
    kept.save()

    award_outcomes: dict[str, AwardOutcomes] = {}
    summaries: dict[str, ReturnsSummary] = {}
    lastmod = None
    for award_id, quarters in quarters_of.items():
        view = views[award_id]
        seen_measures: dict[str, Measure] = {}
        items = []
        for quarter in quarters:
            row = returns.get((award_id, quarter))
            due = due_date(quarter, funder)
            received = row.received if row else None
            if received is not None:
                state = "on-time" if received <= due else "late"
                lastmod = max(lastmod, received) if lastmod else received
            else:
                state = "overdue" if due < today else "awaited"
            summary = summaries.setdefault(quarter.year, ReturnsSummary(quarter.year))
            setattr(summary, state.replace("-", "_"), getattr(summary, state.replace("-", "_")) + 1)
            item = AwardQuarter(quarter, due, state, received, row.rating if row else None,
                                row.feedback if row and received else None)
            for measure_row in rows_of.get((award_id, quarter), []) if received else []:
                measure = _measure_of(measure_row, shared)
                seen_measures.setdefault(measure.code, measure)
                why = withheld.get(("cell", award_id, quarter.label, measure.code), "") if measure.is_count else ""
                item.figures[measure.code] = MeasureQuarter(
                    measure, quarter, shown(measure_row.actual, measure.unit, why, below),
                    shown(measure_row.target, measure.unit, "", below), measure_row.note)
            items.append(item)
        ordered_measures = [m for m in shared.values() if m.code in seen_measures] + \
            [m for code, m in seen_measures.items() if code not in shared]
        year_totals = {}
        for (kind, area, code, year), value in totals_raw.items():
            if kind == "award" and area == award_id:
                year_totals[(code, year)] = shown(value, shared[code].unit, withheld.get((kind, area, code, year), ""), below)
        award_outcomes[award_id] = AwardOutcomes(view, items, ordered_measures, year_totals)

    totals = {key: shown(value, shared[key[2]].unit, withheld.get(key, ""), below) for key, value in totals_raw.items()}
    years = sorted({q.year for quarters in quarters_of.values() for q in quarters} | set(monitoring.years))
    complete = {year for year in years if Quarter(year, 4).end < today}
    return Outcomes(list(shared.values()), years, complete, award_outcomes, totals,
                    [summaries[y] for y in sorted(summaries)], below, monitoring.first_quarter, lastmod,
                    return_due_days(funder))
