"""Outcomes as open data: each year's measures and returns, and the shared measures added up.

Every figure is written as the site shows it (derive/outcomes.py): a protected figure has an empty
number and says why in the column beside it, so the files give away nothing the pages do not.
"""

from __future__ import annotations

from ..derive.outcomes import Outcomes, Shown
from ..open_data.csv_writer import csv_bytes
from ..open_data.files import Column, Download

AWARD_KEY = {"fields": ["award_id"], "reference": {"resource": "funding-register", "fields": ["id"]}}
WITHHELD = Column("withheld", "string", (
    "empty when the figure is published; otherwise why it is not: `fewer than 5` (a count from 1 to 4, never "
    "published) or `not shown` (withheld so that a count of fewer than 5 cannot be worked out; of any size but 0)"))

# Which return a row is of: the award, its provider and the quarter; the measures and returns files both start so.
RETURN_KEY = [
    Column("award_id", "string", "the award's id in the funding register", True),
    Column("award_title", "string", "title of the award", True),
    Column("provider_id", "string", "org-id of the organisation that provides the service", True),
    Column("provider_name", "string", "name of that organisation", True),
    Column("financial_year", "string", "financial year (1 April to 31 March), e.g. 2025-26", True),
    Column("quarter", "string", "financial quarter, e.g. 2025-26 Q1 (Q1 is April to June)", True),
]
MEASURE_COLUMNS = [
    *RETURN_KEY,
    Column("quarter_start", "date", "first day of the quarter", True),
    Column("quarter_end", "date", "last day of the quarter", True),
    Column("measure", "string", "the measure's code: a shared measure defined once by the funder, or the service's own", True),
    Column("measure_title", "string", "what the measure counts", True),
    Column("unit", "string", "people, referrals, sessions, per cent, pounds or days", True),
    Column("shared", "boolean", "yes for a shared measure, which adds up across services", True),
    Column("target", "number", "what the service aimed for in the quarter; empty if no target was set"),
    Column("actual", "number", "what the service achieved in the quarter; empty when it is withheld (see withheld)"),
    WITHHELD,
    Column("note", "string", "the service's note on the figure"),
]
RETURN_COLUMNS = [
    *RETURN_KEY,
    Column("due", "date", "the date the return was due", True),
    Column("received", "date", "the date the return was received; empty if it has not been"),
    Column("status", "string", "received on time, received late, or return not yet received", True),
    Column("rating", "string", "overall rating on the Procurement Act's scale: good, approaching target, requires "
                               "improvement or inadequate; empty until the return is received"),
    Column("feedback", "string", "a summary of what people using the service said"),
]
TOTAL_COLUMNS = [
    Column("measure", "string", "the shared measure's code", True),
    Column("measure_title", "string", "what it counts", True),
    Column("unit", "string", "people, referrals or sessions", True),
    Column("financial_year", "string", "financial year (1 April to 31 March), e.g. 2025-26", True),
    Column("year_complete", "boolean", "no while the year is not over: the total is so far", True),
    Column("area_type", "string", "what is added up: all (every service), funding-stream, priority or award", True),
    Column("area", "string", "the funding stream's or priority's code, the award's id, or all", True),
    Column("area_title", "string", "its name", True),
    Column("total", "number", "the measure added up over the area's services and the year's quarters; empty when withheld"),
    WITHHELD,
]


def measures_path(year: str) -> str:
    return f"data/outcomes-measures-{year}.csv"


def returns_path(year: str) -> str:
    return f"data/outcomes-returns-{year}.csv"


TOTALS_PATH = "data/outcomes-totals.csv"


def _figure(shown: Shown | None) -> tuple:
    if shown is None:
        return None, ""
    return shown.number, shown.text if shown.is_withheld else ""


def _year_returns(outcomes: Outcomes, year: str):
    """Each award's quarters in a year, by award id, with the RETURN_KEY cells of its rows."""
    for award_id in sorted(outcomes.awards):
        item = outcomes.awards[award_id]
        award = item.award
        for quarter in item.quarters:
            if quarter.quarter.year == year:
                yield item, quarter, {
                    "award_id": award.id, "award_title": award.title, "provider_id": award.provider.id,
                    "provider_name": award.provider.name, "financial_year": year, "quarter": quarter.quarter.label,
                }


def measure_rows(outcomes: Outcomes, year: str) -> list[dict]:
    rows = []
    for item, quarter, key in _year_returns(outcomes, year):
        for measure in item.measures:
            cell = quarter.figures.get(measure.code)
            if cell is None:
                continue
            actual, withheld = _figure(cell.actual)
            rows.append({
                **key, "quarter_start": quarter.quarter.start, "quarter_end": quarter.quarter.end,
                "measure": measure.code, "measure_title": measure.title, "unit": measure.unit, "shared": measure.shared,
                "target": cell.target.number if cell.target else None, "actual": actual, "withheld": withheld,
                "note": cell.note,
            })
    return rows


def return_rows(outcomes: Outcomes, year: str) -> list[dict]:
    return [{
        **key, "due": quarter.due, "received": quarter.received, "status": quarter.state_label.lower(),
        "rating": (quarter.rating_label or "").lower() or None, "feedback": quarter.feedback,
    } for _, quarter, key in _year_returns(outcomes, year)]


def total_rows(site, outcomes: Outcomes) -> list[dict]:
    titles = {"all": {"": "Every funded service"},
              "stream": {s.code: s.title for s in site.streams},
              "priority": {p.code: p.title for p in site.priorities},
              "award": {a.id: a.title for a in site.awards}}
    kinds = {"all": "all", "stream": "funding-stream", "priority": "priority", "award": "award"}
    measures = {m.code: m for m in outcomes.measures}
    order = {kind: index for index, kind in enumerate(kinds)}
    rows = []
    for (kind, area, code, year), shown in sorted(outcomes.totals.items(), key=lambda item: (
            list(measures).index(item[0][2]), item[0][3], order[item[0][0]], item[0][1])):
        total, withheld = _figure(shown)
        measure = measures[code]
        rows.append({
            "measure": code, "measure_title": measure.title, "unit": measure.unit, "financial_year": year,
            "year_complete": year in outcomes.complete_years, "area_type": kinds[kind], "area": area or "all",
            "area_title": titles[kind].get(area, area), "total": total, "withheld": withheld,
        })
    return rows


def files(site, files_so_far) -> list[Download]:
    """Each year's measures and returns, and the shared measures added up, as CSV."""
    outcomes: Outcomes | None = getattr(site, "outcomes", None)
    if outcomes is None:
        return []
    funder = site.funder.name
    protection = (f"Counts from 1 to {outcomes.suppress_below - 1} are never published, and nor is any figure from "
                  "which one could be worked out: such a figure is empty, and the withheld column says why.")
    out = []
    for year in outcomes.years:
        content, count = csv_bytes(MEASURE_COLUMNS, measure_rows(outcomes, year))
        out.append(Download(
            measures_path(year), content, outcomes.lastmod, title=f"Outcomes in {year}: every measure, quarter by quarter",
            description=(f"What each service {funder} funds reported in each quarter of {year}: each measure's target "
                         f"and what was achieved. {protection}"),
            rows=count, columns=MEASURE_COLUMNS, primary_key=["award_id", "quarter", "measure"], foreign_keys=[AWARD_KEY]))
        content, count = csv_bytes(RETURN_COLUMNS, return_rows(outcomes, year))
        out.append(Download(
            returns_path(year), content, outcomes.lastmod, title=f"Monitoring returns in {year}",
            description=(f"Each service's quarterly monitoring return in {year}: when it was due and received, its overall "
                         "rating on the Procurement Act's scale, and what people using the service said."),
            rows=count, columns=RETURN_COLUMNS, primary_key=["award_id", "quarter"], foreign_keys=[AWARD_KEY]))
    content, count = csv_bytes(TOTAL_COLUMNS, total_rows(site, outcomes))
    out.append(Download(
        TOTALS_PATH, content, outcomes.lastmod, title="Outcomes added up: the shared measures",
        description=("The measures every service counts the same way, added up for each financial year across every "
                     f"service, each funding stream, each priority and each service. {protection}"),
        rows=count, columns=TOTAL_COLUMNS, primary_key=["measure", "financial_year", "area_type", "area"]))
    return out
