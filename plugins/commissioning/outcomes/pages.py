"""Outcomes' pages: /outcomes/, for the whole funder; and what the award, provider, funding stream and
priority pages show of monitoring (`award_variables`, `provider_variables`, `area_variables`, which
funded_services/pages.py calls, and the macros in theme/templates/outcomes/macros.html lay out).

Every figure is a `derive.outcomes.Shown`: these functions choose and order them, and never see a
protected number.
"""

from __future__ import annotations

from ..derive.outcomes import AwardOutcomes, Measure, Outcomes, Shown
from ..load.monitoring import RATINGS
from ..render.page import Page
from .charts import measure_chart, shared_measures_chart
from .downloads import TOTALS_PATH, measures_path, returns_path

URL = "outcomes/"
SECTION = "outcomes"
RATING_COLOURS = {"good": "green", "approaching-target": "yellow", "requires-improvement": "orange", "inadequate": "red"}
STATE_COLOURS = {"on-time": "green", "late": "yellow", "overdue": "red", "awaited": "grey"}


def _outcomes(site) -> Outcomes | None:
    return getattr(site, "outcomes", None)


def sentence(outcomes: Outcomes, measure: Measure, year: str, shown: Shown | None) -> str | None:
    """'1,240 people supported in 2025-26', 'fewer than 5 ... so far', or 'People supported in 2026-27: not shown'."""
    if shown is None:
        return None
    so_far = "" if year in outcomes.complete_years else " so far"
    if shown.withheld == "secondary":
        return f"{measure.title} in {year}{so_far}: not shown, to protect a small number"
    return f"{shown.text} {measure.title[0].lower() + measure.title[1:]} in {year}{so_far}"


def _year_rows(outcomes: Outcomes, kind: str, code: str) -> list[dict]:
    """For each shared measure, its total in each year for one area (kind all, stream, priority or award)."""
    rows = []
    for measure in outcomes.measures:
        cells = [outcomes.total(kind, code, measure.code, year) for year in outcomes.years]
        if any(cell is not None for cell in cells):
            rows.append({"measure": measure, "cells": cells,
                         "sentences": [s for s in (sentence(outcomes, measure, year, cell)
                                                   for year, cell in zip(outcomes.years, cells)) if s]})
    return rows


def _years(outcomes: Outcomes) -> list[dict]:
    return [{"label": year, "complete": year in outcomes.complete_years} for year in outcomes.years]


def award_variables(site, award) -> dict | None:
    """What the award page's "How the service is doing" shows, or None when the award is not monitored here."""
    outcomes = _outcomes(site)
    item: AwardOutcomes | None = outcomes.of_award(award) if outcomes else None
    if item is None:
        return None
    totals = []
    for measure in item.measures:
        if measure.shared:
            cells = [item.year_totals.get((measure.code, year)) for year in item.years]
            if any(cells):
                totals.append({"measure": measure, "cells": cells})
    return {
        "item": item,
        "measures": [{"measure": m, "chart": measure_chart(item, m), "cells": item.cells(m)} for m in item.measures],
        "years": [{"label": y, "complete": y in outcomes.complete_years} for y in item.years],
        "totals": totals,
        "fewer_than": outcomes.fewer_than,
        "rating_colours": RATING_COLOURS,
        "state_colours": STATE_COLOURS,
    }


def provider_variables(site, provider) -> dict | None:
    """Each of the provider's monitored services with its latest rating, current ones first; None if none is monitored."""
    outcomes = _outcomes(site)
    if outcomes is None:
        return None
    rows = []
    for award in sorted(provider.awards, key=lambda a: (a.status != "current", a.title)):
        item = outcomes.of_award(award)
        if item is not None:
            rows.append({"award": award, "latest": item.latest,
                         "overdue": [q for q in item.quarters if q.state == "overdue"]})
    if not rows:
        return None
    return {"rows": rows, "rating_colours": RATING_COLOURS}


def area_variables(site, kind: str, view) -> dict | None:
    """The shared measures added up for a funding stream (kind "stream") or a priority ("priority"); None if none."""
    outcomes = _outcomes(site)
    if outcomes is None:
        return None
    rows = _year_rows(outcomes, kind, view.code)
    if not rows:
        return None
    return {"rows": rows, "years": _years(outcomes), "fewer_than": outcomes.fewer_than}


def overview_variables(site, outcomes: Outcomes) -> dict:
    by_year = _year_rows(outcomes, "all", "")
    facts = []
    latest = next((y for y in reversed(outcomes.years) if y in outcomes.complete_years), outcomes.years[-1])
    for row in by_year:
        shown = outcomes.total("all", "", row["measure"].code, latest)
        if shown is not None:
            facts.append({"label": row["measure"].title, "value": shown.text,
                          "note": f"in {latest}" + ("" if latest in outcomes.complete_years else " so far")})
    summary = next((r for r in outcomes.returns if r.year == latest), None)
    if summary is not None and summary.share_on_time:
        facts.append({"label": "Returns received on time", "value": summary.share_on_time,
                      "note": f"{summary.on_time:,} of {summary.due:,} due in {latest}"})
    areas = {}
    for kind, views in (("priority", site.priorities), ("stream", site.streams)):
        tables = []
        for measure in outcomes.measures:
            lines = []
            for view in views:
                cells = [outcomes.total(kind, view.code, measure.code, year) for year in outcomes.years]
                if any(cell is not None for cell in cells):
                    lines.append({"label": view.title, "url": view.url, "cells": cells})
            if lines:
                tables.append({"measure": measure, "lines": lines})
        areas[kind] = tables
    current = [a for a in site.awards if a.status == "current" and outcomes.of_award(a) is not None]
    services = [{"award": a, "item": outcomes.of_award(a), "latest": outcomes.of_award(a).latest}
                for a in sorted(current, key=lambda a: a.title.lower())]
    ratings = {}
    for service in services:
        if service["latest"] and service["latest"].rating:
            ratings[service["latest"].rating] = ratings.get(service["latest"].rating, 0) + 1
    overdue = [{"award": item.award, "quarter": q} for item in outcomes.awards.values()
               for q in item.quarters if q.state == "overdue"]
    overdue.sort(key=lambda o: (o["quarter"].quarter, o["award"].title.lower()))
    return {
        "outcomes": outcomes,
        "facts": facts,
        "years": _years(outcomes),
        "by_year": by_year,
        "chart": shared_measures_chart(outcomes),
        "by_priority": areas["priority"],
        "by_stream": areas["stream"],
        "returns": outcomes.returns,
        "services": services,
        "ratings": [(code, label, ratings.get(code, 0)) for code, label in RATINGS.items()],
        "overdue": overdue,
        "files": {"totals": TOTALS_PATH,
                  "years": [{"year": y, "measures": measures_path(y), "returns": returns_path(y)} for y in reversed(outcomes.years)]},
        "rating_colours": RATING_COLOURS,
        "canonical_path": URL,
        "nav_section": SECTION,
    }


def pages(site, files) -> list[Page]:
    """/outcomes/: what every funded service achieved, added up, and how the returns came in."""
    outcomes = _outcomes(site)
    if outcomes is None:  # no returns published yet: the page says so (the navigation links to it)
        return [Page(f"{URL}index.html", "outcomes/index", {"outcomes": None, "canonical_path": URL,
                                                            "nav_section": SECTION}, lastmod=None)]
    return [Page(f"{URL}index.html", "outcomes/index", overview_variables(site, outcomes),
                 lastmod=outcomes.lastmod or site.today)]
