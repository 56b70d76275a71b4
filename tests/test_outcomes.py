"""Outcomes (issue #16): quarterly monitoring of every funded service, published safely.

- The shared measures added up on the site and in the downloads equal sums made here, independently,
  from the raw data/monitoring/*.csv files (the csv module and integers, not the plugin's code).
- No count from 1 to 4 appears anywhere it is shown (pages, charts and their text alternatives, the
  search index, the downloads), and no published total lets one be worked out: each protected figure
  is looked for in its context, and the figures a reader can see are solved here for any figure
  they pin down: by exact rational row reduction and the labels' ranges narrowed equation by
  equation (written here), over every equation at once (the plugin's linear-programme solver,
  given equations made here from the raw files and the downloads), and for small tables by trying
  every possible value.
- The rules: a return for a quarter that has not ended is refused with file, line and fix, and so
  are the other mistakes; a return not yet in is a warning, and the site says so.

Until the section is wired in (sections.py, the Dataset, the Funder's `measures`), the pieces are
built directly: the sample's CSV files read with load/monitoring.py, the rules run by hand, the
figures derived from a derived site, the award/provider/area parts rendered through their macros.
The tests of the built site are skipped until then (WIRED below).
"""

from __future__ import annotations

import csv
import gzip
import io
import itertools
import json
import re
from collections import defaultdict
from datetime import date, datetime, timedelta
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings as hypothesis_settings, strategies as st
from jinja2 import Environment, FileSystemLoader

from conftest import REPO, SAMPLE_NOW, page

from commissioning.derive.outcomes import derive_outcomes
from commissioning.derive.suppression import INFINITY, SECONDARY, SMALL, _bounds, _label_range, _optimum, protect
from commissioning.derive.site import derive
from commissioning.load import models
from commissioning.load.dataset import Dataset, display_name
from commissioning.load.fields import UK
from commissioning.load.loader import load_dataset
from commissioning.load.monitoring import Quarter, SharedMeasure, read_monitoring
from commissioning.load.read import Record, parse_yaml
from commissioning.load.rules.monitoring import RULES as MONITORING_RULES
from commissioning.load.validate import build
from commissioning.outcomes import downloads as outcome_downloads
from commissioning.outcomes.pages import area_variables, award_variables, provider_variables
from commissioning.problems import DataError, group_repeats
from commissioning.render.filters import FILTERS
from commissioning.sections import SECTIONS
from commissioning.settings import from_pelican

WIRED = (any(s.name == "outcomes" for s in SECTIONS) and "measures" in models.Funder.model_fields
         and "monitoring" in Dataset.__dataclass_fields__)
wired_only = pytest.mark.skipif(not WIRED, reason="the outcomes section is not wired in yet (see /tmp/wiring-outcomes.md)")

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UK)
BELOW = 5
FEWER = "fewer than 5"
COUNT_UNITS = {"people", "referrals", "sessions"}

# The funder.yaml `measures:` block of the wiring; read from funder.yaml itself once it is there.
MEASURES_YAML = """\
measures:
  - code: people-supported
    title: People supported
    unit: people
    meaning: >-
      People who began receiving support from the service in the quarter, each
      counted once, in the quarter their support started.
  - code: referrals-received
    title: Referrals received
    unit: referrals
    meaning: >-
      Referrals the service received in the quarter from any source, including
      people who referred themselves.
  - code: closed-safer
    title: Cases closed with improved safety
    unit: people
    meaning: >-
      Cases closed in the quarter where the person's own view, or the service's
      risk assessment, shows they are safer than when support began.
"""


# --- loading, as the build does once wired ---------------------------------------------------------


class WithMeasures:
    """The Funder with the shared measures, before the Funder model has the field."""

    def __init__(self, funder, measures):
        self.__dict__["_funder"] = funder
        self.__dict__["measures"] = measures

    def __getattr__(self, name):
        return getattr(self._funder, name)


def yaml_measures(text: str = MEASURES_YAML) -> list[SharedMeasure]:
    value, lines = parse_yaml(text, "data/funder.yaml")
    problems: list = []
    made = [build(SharedMeasure, Record("data/funder.yaml", lines[("measures", i)], {}, item), problems)
            for i, item in enumerate(value["measures"])]
    assert not problems, problems
    return made


def load(root: Path, now: datetime | None = NOW) -> tuple[Dataset | None, list[str]]:
    """The data set with its monitoring, and every problem (errors and warnings) as staff see it."""
    try:
        dataset = load_dataset(root / "data", root / "content", root, now=now)
    except DataError as error:
        if WIRED:
            return None, [str(p) for p in sorted({*error.problems, *error.warnings})]
        raise
    found = list(dataset.warnings)
    if not WIRED:
        monitoring, read = read_monitoring(root / "data" / "monitoring", lambda p: display_name(p, root))
        dataset.monitoring = monitoring
        dataset.now = now
        dataset.funder = WithMeasures(dataset.funder, yaml_measures())
        found = group_repeats(found + read + [p for rule in MONITORING_RULES for p in rule(dataset)])
    return dataset, [str(p) for p in sorted(set(found))]


def derived(dataset: Dataset, root: Path, **settings):
    config = from_pelican({"COMMISSIONING_ROOT": str(root), "COMMISSIONING_NOW": SAMPLE_NOW,
                           "PATH": str(root / "content"), **settings})
    site = derive(dataset, config)
    if not WIRED:
        site.outcomes = derive_outcomes(site)
    return site


@pytest.fixture(scope="module")
def sample():
    dataset, problems = load(REPO)
    assert dataset is not None, problems
    return derived(dataset, REPO), problems


def quarter(label: str) -> Quarter:
    return Quarter(label[:7], int(label[-1]))


# --- the raw files, read independently ---------------------------------------------------------------


def read_rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


class Raw:
    """data/ read with the csv module: the awards, the shared measures, every measure row and return."""

    def __init__(self, root: Path):
        self.awards = {a["id"]: a for a in read_rows(root / "data" / "awards.csv")}
        funder = (root / "data" / "funder.yaml").read_text(encoding="utf-8")
        block = funder[funder.index("\nmeasures:") + 1:] if "\nmeasures:" in funder else MEASURES_YAML
        import yaml
        self.shared = {m["code"]: m for m in yaml.safe_load(block)["measures"]}
        self.measures = [dict(row, file=path.name, line=number)
                         for path in sorted((root / "data" / "monitoring").glob("*-measures.csv"))
                         for number, row in enumerate(read_rows(path), start=2)]
        self.returns = [row for path in sorted((root / "data" / "monitoring").glob("*-returns.csv")) for row in read_rows(path)]
        received = {(r["award_id"], r["quarter"]) for r in self.returns if r["received"]}
        self.measures = [r for r in self.measures if (r["award_id"], r["quarter"]) in received]

    def unit(self, row) -> str:
        return self.shared[row["measure"]]["unit"] if row["measure"] in self.shared else row["unit"]

    def counts(self) -> list[dict]:
        """Every count (people, referrals, sessions) with its value as a whole number."""
        return [dict(r, value=int(r["actual"])) for r in self.measures if self.unit(r) in COUNT_UNITS]

    def sums(self) -> dict[tuple, int]:
        """Every total of a shared measure: (kind, area, measure, year) -> the sum of its quarters' counts."""
        totals: dict[tuple, int] = defaultdict(int)
        for row in self.counts():
            if row["measure"] not in self.shared:
                continue
            award = self.awards[row["award_id"]]
            year = row["quarter"][:7]
            areas = [("award", award["id"]), ("stream", award["funding_stream"]), ("all", "")]
            areas += [("priority", code) for code in award["priorities"].split(";")]
            for kind, area in areas:
                totals[(kind, area, row["measure"], year)] += row["value"]
        return dict(totals)


# --- what a reader can work out: an independent check ------------------------------------------------


def exactly_determined(unknowns: list, equations: list[dict]) -> set:
    """The unknowns fixed by the equations (each {unknown: coefficient}, = a known number): those
    whose unit vector is a row of the reduced row echelon form, in fractions."""
    index = {u: i for i, u in enumerate(unknowns)}
    matrix = [[Fraction(0)] * len(unknowns) for _ in equations]
    for row, equation in zip(matrix, equations):
        for unknown, coefficient in equation.items():
            row[index[unknown]] = Fraction(coefficient)
    pivot_row = 0
    for column in range(len(unknowns)):
        found = next((r for r in range(pivot_row, len(matrix)) if matrix[r][column] != 0), None)
        if found is None:
            continue
        matrix[pivot_row], matrix[found] = matrix[found], matrix[pivot_row]
        scale = matrix[pivot_row][column]
        matrix[pivot_row] = [v / scale for v in matrix[pivot_row]]
        for r in range(len(matrix)):
            if r != pivot_row and matrix[r][column] != 0:
                factor = matrix[r][column]
                matrix[r] = [a - factor * b for a, b in zip(matrix[r], matrix[pivot_row])]
        pivot_row += 1
    fixed = set()
    for row in matrix[:pivot_row]:
        nonzero = [i for i, v in enumerate(row) if v != 0]
        if len(nonzero) == 1:
            fixed.add(unknowns[nonzero[0]])
    return fixed


def narrowed(ranges: dict, equations: list[tuple[dict, int]]) -> dict:
    """Each unknown's range after every equation has narrowed it as far as it goes."""
    ranges = dict(ranges)
    for _ in range(100):
        before = dict(ranges)
        for equation, known in equations:
            for unknown, coefficient in equation.items():
                rest = [(c * ranges[u][0], c * ranges[u][1]) for u, c in equation.items() if u != unknown]
                low = sum(min(pair) for pair in rest)
                high = sum(max(pair) for pair in rest)
                first, second = sorted(((known - high) / coefficient, (known - low) / coefficient))
                lo, hi = ranges[unknown]
                lo = max(lo, first) if first > float("-inf") else lo
                hi = min(hi, second) if second < float("inf") else hi
                ranges[unknown] = (lo, hi)
        if ranges == before:
            break
    return ranges


def reader_works_out(values: dict, totals: dict[object, list], withheld: dict, below: int = BELOW) -> set:
    """The protected figures (counts from 1 to 4, withheld) a reader can work out from what is published."""
    unknowns = sorted(withheld, key=repr)
    equations = []
    for total, parts in totals.items():
        equation = {p: 1 for p in parts if p in withheld}
        known = sum(values[p] for p in parts if p not in withheld)
        if total in withheld:
            equation[total] = -1
            rhs = -known
        else:
            rhs = values[total] - known
        if equation:
            equations.append((equation, rhs))
    protected = {k for k in withheld if 0 < values[k] < below}
    exposed = protected & exactly_determined(unknowns, [e for e, _ in equations])
    # "fewer than 5" is 1 to 4; "not shown" is any number but 0 (a 0 is always shown).
    ranges = {k: ((1, below - 1) if why == SMALL else (1, float("inf"))) for k, why in withheld.items()}
    for key, (low, high) in narrowed(ranges, equations).items():
        if key in protected and int(high) - int(-(-low // 1)) < 1:  # at most one whole number left
            exposed.add(key)
    # Every equation at once: the least and greatest value of each protected figure (the plugin's
    # linear-programme solver, given equations made here; the brute-force tests check the method).
    names = sorted(withheld, key=repr)
    bounds = [ranges[k] for k in names]
    indexed = [({names.index(k): c for k, c in e.items()}, rhs) for e, rhs in equations]
    for key in protected - exposed:
        low = _optimum(indexed, bounds, names.index(key), maximise=False)
        high = _optimum(indexed, bounds, names.index(key), maximise=True)
        if low is not None and high is not None and round(high) - round(low) < 1:
            exposed.add(key)
    return exposed


def brute_force_exposed(cells: dict, totals: dict, withheld: dict, below: int = BELOW, most: int = 30) -> set:
    """The protected figures with only one possible value, trying every value of every withheld cell."""
    hidden = sorted((c for c in cells if c in withheld), key=repr)
    domains = [range(1, below) if withheld[c] == SMALL else range(1, most + 1) for c in hidden]
    seen: dict = defaultdict(set)
    for guess in itertools.product(*domains):
        trial = {**cells, **dict(zip(hidden, guess))}
        sums = {t: sum(trial[p] for p in parts) for t, parts in totals.items()}
        consistent = True
        for total, value in sums.items():
            why = withheld.get(total)
            if (why is None and value != sum(cells[p] for p in totals[total])) or \
                    (why == SMALL and not 1 <= value < below) or (why == SECONDARY and value < 1):
                consistent = False
                break
        if consistent:
            for key in withheld:
                true = cells[key] if key in cells else sum(cells[p] for p in totals[key])
                if 0 < true < below:
                    seen[key].add(trial[key] if key in trial else sums[key])
    return {key for key, possible in seen.items() if len(possible) == 1}


# --- protect: the method, on tables small enough to check every possibility ---------------------------


def grid(values: list[list[int]], diagonal: bool = False) -> tuple[dict, dict]:
    """A table of services (rows) by quarters (columns) with row, column and grand totals."""
    cells = {("cell", r, c): v for r, row in enumerate(values) for c, v in enumerate(row)}
    totals = {("row", r): [("cell", r, c) for c in range(len(row))] for r, row in enumerate(values)}
    totals |= {("column", c): [("cell", r, c) for r in range(len(values))] for c in range(len(values[0]))}
    totals[("all",)] = list(cells)
    if diagonal:  # a priority that two services share
        totals[("priority",)] = [("cell", i, i) for i in range(min(len(values), len(values[0])))]
    return cells, totals


def with_totals(cells: dict, totals: dict) -> dict:
    return {**cells, **{t: sum(cells[p] for p in parts) for t, parts in totals.items()}}


def test_a_row_total_with_one_small_cell_has_another_figure_withheld():
    cells = {"q1": 3, "q2": 10, "q3": 12}
    totals = {"year": ["q1", "q2", "q3"]}
    withheld = protect(cells, totals, BELOW)
    assert withheld["q1"] == SMALL
    assert len(withheld) == 2 and set(withheld.values()) == {SMALL, SECONDARY}
    assert withheld.get("q2") == SECONDARY  # the smallest other figure, not the total
    # Primary suppression alone would give it away: the check below can fail.
    assert reader_works_out(with_totals(cells, totals), totals, {"q1": SMALL}) == {"q1"}
    assert not reader_works_out(with_totals(cells, totals), totals, withheld)


def test_not_shown_promises_nothing_of_a_figure_s_size():
    # 1 + 5 = 6: were "not shown" known to be 5 or more, the 1 would be pinned down; it is any number.
    cells, totals = {"q1": 1, "q2": 5}, {"year": ["q1", "q2"]}
    withheld = protect(cells, totals, BELOW)
    assert withheld == {"q1": SMALL, "q2": SECONDARY}
    assert not reader_works_out(with_totals(cells, totals), totals, withheld)
    assert not brute_force_exposed(cells, totals, withheld)


def test_a_table_of_small_numbers_has_a_small_total_not_shown_rather_than_fewer_than_5():
    # Four 1s make a total of 4: four figures of at least 1 that add up to fewer than 5 are all 1.
    cells, totals = grid([[1, 1], [1, 1]])
    labels_only = {k: SMALL for k, v in with_totals(cells, totals).items() if 0 < v < BELOW}
    labels_only |= {k: SECONDARY for k, v in with_totals(cells, totals).items() if v >= BELOW}
    assert brute_force_exposed(cells, totals, labels_only)
    withheld = protect(cells, totals, BELOW)
    assert not brute_force_exposed(cells, totals, withheld)
    assert any(why == SECONDARY and 0 < with_totals(cells, totals)[k] < BELOW for k, why in withheld.items())


def test_two_small_counts_of_4_that_make_a_total_of_8_have_the_total_withheld():
    cells, totals = {"q1": 4, "q2": 4}, {"year": ["q1", "q2"]}
    assert reader_works_out(with_totals(cells, totals), totals, {"q1": SMALL, "q2": SMALL}) == {"q1", "q2"}
    withheld = protect(cells, totals, BELOW)
    assert withheld == {"q1": SMALL, "q2": SMALL, "year": SECONDARY}


def test_a_service_with_one_small_quarter_is_protected_in_every_total_it_is_in():
    # Service a has one quarter (3): its year total is small too. Its stream and priority totals
    # would give it away unless another service's figure, and that service's total, are withheld.
    cells = {"a1": 3, "b1": 20, "b2": 30, "c1": 7, "c2": 9}
    totals = {"a": ["a1"], "b": ["b1", "b2"], "c": ["c1", "c2"], "stream": ["a1", "b1", "b2", "c1", "c2"],
              "priority": ["a1", "c1", "c2"]}
    withheld = protect(cells, totals, BELOW)
    assert withheld["a1"] == SMALL and withheld["a"] == SMALL
    assert not reader_works_out(with_totals(cells, totals), totals, withheld)
    assert not brute_force_exposed(cells, totals, withheld)
    assert "stream" not in withheld, "a figure of another service is withheld, not the stream's total"


@hypothesis_settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.sampled_from([0, 0, 1, 2, 3, 4, 5, 6, 7, 9, 12]), min_size=2, max_size=2), min_size=2, max_size=2),
       st.booleans())
def test_no_small_count_can_be_worked_out_from_what_protect_publishes(values, diagonal):
    cells, totals = grid(values, diagonal)
    withheld = protect(cells, totals, BELOW)
    everything = with_totals(cells, totals)
    small = {k for k, v in everything.items() if 0 < v < BELOW}
    assert small <= set(withheld) and {k for k, why in withheld.items() if why == SMALL} <= small
    assert all(everything[k] >= BELOW for k, why in withheld.items() if why == SECONDARY and k in cells)
    assert all(withheld[k] == SMALL for k in small if k in cells), "a small quarter always reads fewer than 5"
    assert not reader_works_out(everything, totals, withheld), (values, withheld)
    assert not brute_force_exposed(cells, totals, withheld), (values, withheld)


@hypothesis_settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(st.sampled_from([0, 1, 2, 3, 4, 6, 8, 15, 40]), min_size=4, max_size=4), min_size=2, max_size=4))
def test_larger_tables_are_protected_too(values):
    cells, totals = grid(values, diagonal=True)
    withheld = protect(cells, totals, BELOW)
    assert not reader_works_out(with_totals(cells, totals), totals, withheld), (values, withheld)



def bounds_added_up_afresh(rows, withheld, below):
    """What _bounds works out, by its definition: for each figure of each equation, the other
    figures' ends added up again from the start."""
    import math
    bounds = {key: _label_range(why, below) for key, why in withheld.items()}
    for _ in range(50):
        changed = False
        for _, coefficients, rhs in rows:
            for key, c in coefficients.items():
                low = high = 0.0
                for other, d in coefficients.items():
                    if other != key:
                        a, b = d * bounds[other][0], d * bounds[other][1]
                        low, high = low + min(a, b), high + max(a, b)
                ends = sorted(((rhs - high) / c, (rhs - low) / c))
                lo, hi = bounds[key]
                new = (max(lo, math.ceil(ends[0])) if ends[0] != -INFINITY else lo,
                       min(hi, math.floor(ends[1])) if ends[1] != INFINITY else hi)
                if new != (lo, hi) and new[0] <= new[1]:
                    bounds[key], changed = new, True
        if not changed:
            return bounds
    return bounds


@given(st.lists(st.tuples(st.dictionaries(st.integers(0, 7), st.sampled_from([1, -1]), min_size=1, max_size=6),
                          st.integers(-12, 60)), min_size=1, max_size=8),
       st.lists(st.booleans(), min_size=8, max_size=8))
def test_each_figures_bounds_are_what_adding_up_the_others_afresh_gives(equations, small):
    """_bounds takes each figure's share off an equation's sum rather than adding up the others
    again; the ends must be the same, the unbounded ones ("not shown" has no upper end) included."""
    withheld = {k: SMALL if small[k] else SECONDARY for k in range(8)}
    rows = [(("total", i), coefficients, rhs) for i, (coefficients, rhs) in enumerate(equations)]
    assert _bounds(rows, withheld, BELOW) == bounds_added_up_afresh(rows, withheld, BELOW)

# --- the sample: loading and the rules ---------------------------------------------------------------


def test_the_sample_loads_with_one_warning_a_return_not_yet_received(sample):
    site, problems = sample
    assert problems == [
        "data/monitoring/2026-27-returns.csv:48: warning: received: no return from award BPCC-2026-007 for 2026-27 Q2 "
        "(July to September 2026), due on 2026-10-30; the site says it is not yet received: chase it, and add the date it came in"]
    item = site.outcomes.awards["BPCC-2026-007"]
    missing = [q for q in item.quarters if not q.is_received]
    assert [(q.quarter.label, q.state_label) for q in missing] == [("2026-27 Q2", "Return not yet received")]


def test_the_sample_covers_six_quarters_of_every_current_service(sample):
    site, _ = sample
    raw = Raw(REPO)
    window = [Quarter("2025-26", n) for n in (1, 2, 3, 4)] + [Quarter("2026-27", 1), Quarter("2026-27", 2)]
    returned = {(r["award_id"], r["quarter"]) for r in raw.returns}
    for award in site.current_awards:
        due = [q for q in window if q.end >= award.start_date and q.start <= award.end_date]
        assert all((award.id, q.label) in returned for q in due), award.id
    assert len({r["award_id"] for r in raw.returns if r["rating"] == "requires improvement"}) == 1
    late = [r for r in raw.returns if r["received"]
            and date.fromisoformat(r["received"]) > quarter(r["quarter"]).end + timedelta(days=30)]
    assert [(r["award_id"], r["quarter"]) for r in late] == [("BPCC-2024-007", "2025-26 Q3")]
    assert any(0 < row["value"] < BELOW for row in raw.counts()), "the sample has counts to protect"


# --- the figures: added up from the raw files, and protected -------------------------------------------


def test_the_added_up_measures_are_the_sums_of_the_raw_files(sample):
    site, _ = sample
    outcomes = site.outcomes
    raw_sums = Raw(REPO).sums()
    assert set(outcomes.totals) == set(raw_sums)
    published = 0
    for key, value in raw_sums.items():
        shown = outcomes.totals[key]
        if shown.is_withheld:
            assert shown.number is None and shown.text in (FEWER, "not shown")
            assert shown.withheld != SMALL or 0 < value < BELOW, key
        else:
            assert not 0 < value < BELOW, key
            assert shown.number == value, key
            assert shown.text == f"{value:,}"
            published += 1
    assert published > len(raw_sums) * 0.8, "most totals are published"
    # The headline: every service's people supported in 2025-26, to the person.
    people = sum(r["value"] for r in Raw(REPO).counts() if r["measure"] == "people-supported" and r["quarter"].startswith("2025-26"))
    assert outcomes.total("all", "", "people-supported", "2025-26").text == f"{people:,}"


def test_every_count_from_1_to_4_is_fewer_than_5_and_no_total_gives_one_away(sample):
    site, _ = sample
    outcomes = site.outcomes
    raw = Raw(REPO)
    small = 0
    for row in raw.counts():
        item = outcomes.awards[row["award_id"]]
        quarter = next(q for q in item.quarters if q.quarter.label == row["quarter"])
        shown = quarter.figures[row["measure"]].actual
        if 0 < row["value"] < BELOW:
            small += 1
            assert (shown.text, shown.number, shown.withheld) == (FEWER, None, SMALL), row
        elif shown.is_withheld:
            assert shown.withheld == SECONDARY and row["value"] >= BELOW and row["measure"] in raw.shared
        else:
            assert shown.number == row["value"]
    assert small >= 20
    # What a reader sees, solved: the cells and totals of each shared measure and year.
    for (code, year), (cells, totals, withheld) in reader_view(outcomes, raw).items():
        assert not reader_works_out(with_totals(cells, totals), totals, withheld), (code, year)


def reader_view(outcomes, raw: Raw) -> dict:
    """For each shared measure and year: every count (as cells), every total, and what is withheld, as published."""
    systems: dict = defaultdict(lambda: ({}, defaultdict(list), {}))
    for row in raw.counts():
        if row["measure"] not in raw.shared:
            continue
        year = row["quarter"][:7]
        cells, totals, withheld = systems[(row["measure"], year)]
        key = ("cell", row["award_id"], row["quarter"])
        cells[key] = row["value"]
        shown = outcomes.awards[row["award_id"]].quarters
        figure = next(q for q in shown if q.quarter.label == row["quarter"]).figures[row["measure"]].actual
        if figure.is_withheld:
            withheld[key] = figure.withheld
        award = raw.awards[row["award_id"]]
        areas = [("award", award["id"]), ("stream", award["funding_stream"]), ("all", "")]
        areas += [("priority", p) for p in award["priorities"].split(";")]
        for kind, area in areas:
            total = (kind, area, row["measure"], year)
            totals[total].append(key)
            if outcomes.totals[total].is_withheld:
                withheld[total] = outcomes.totals[total].withheld
    return {key: (cells, dict(totals), withheld) for key, (cells, totals, withheld) in systems.items()}


def test_the_check_of_the_sample_can_fail(sample):
    """Withholding only the counts from 1 to 4 lets a reader work some out: the check above sees it."""
    site, _ = sample
    exposed = 0
    for (code, year), (cells, totals, withheld) in reader_view(site.outcomes, Raw(REPO)).items():
        primary_only = {k: why for k, why in withheld.items() if why == SMALL}
        exposed += len(reader_works_out(with_totals(cells, totals), totals, primary_only))
    assert exposed > 0


def test_the_threshold_is_a_setting(sample, monkeypatch):
    site, _ = sample
    original = site.settings

    class Stricter:
        suppress_below = 10

        def __getattr__(self, name):
            return getattr(original, name)

    monkeypatch.setattr(site, "settings", Stricter())
    outcomes = derive_outcomes(site)
    raw = Raw(REPO)
    for row in raw.counts():
        quarter = next(q for q in outcomes.awards[row["award_id"]].quarters if q.quarter.label == row["quarter"])
        shown = quarter.figures[row["measure"]].actual
        if 0 < row["value"] < 10:
            assert shown.text == "fewer than 10"
    assert outcomes.fewer_than == "fewer than 10"


# --- what is shown: the award, provider and area parts, and the downloads --------------------------------


def macros():
    env = Environment(loader=FileSystemLoader(str(REPO / "theme" / "templates")), autoescape=True)
    env.filters.update(FILTERS)
    env.globals["SITEURL"] = ""
    return env.get_template("outcomes/macros.html").make_module({"SITEURL": ""})


def small_cells(raw: Raw) -> list[dict]:
    return [row for row in raw.counts() if 0 < row["value"] < BELOW]


def text_of(html: str) -> str:
    from bs4 import BeautifulSoup

    return " ".join(BeautifulSoup(html, "html.parser").get_text(" ").split())


def assert_no_small_cell_shows(html_by_award: dict[str, str], raw: Raw) -> int:
    """In each award's part, every count from 1 to 4 reads 'fewer than 5' in its table row and its chart's
    text alternative, and its number is not there, in its context, in any form."""
    from bs4 import BeautifulSoup

    checked = 0
    titles = {code: m["title"] for code, m in raw.shared.items()}
    for row in small_cells(raw):
        html = html_by_award[row["award_id"]]
        soup = BeautifulSoup(html, "html.parser")
        title = titles.get(row["measure"]) or row["title"]
        table = next(t for t in soup.find_all("table") if t.caption and t.caption.get_text().strip().startswith(f"{title} by quarter"))
        line = next(tr for tr in table.find_all("tr") if tr.th and tr.th.get_text().strip() == row["quarter"])
        cells = [td.get_text(" ").strip() for td in line.find_all("td")]
        assert cells[1] == FEWER, (row, cells)
        assert str(row["value"]) not in cells[1]
        chart = next(svg for svg in soup.find_all("svg") if svg.title and svg.title.get_text().startswith(f"{title},"))
        described = chart.desc.get_text()
        assert f"{row['quarter']}: {FEWER}" in described
        assert not re.search(rf"{re.escape(row['quarter'])}: {row['value']}\b", described), described
        # No bar for it: the chart's figures are the published ones only.
        values = [t.get_text() for t in chart.find_all("text") if "app-chart__value" in t.get("class", [])]
        assert FEWER in values
        page_text = text_of(html)
        target = row["target"] or "–"
        assert not re.search(rf"{re.escape(row['quarter'])} {re.escape(target)}(?: none)? {row['value']}\b", page_text)
        checked += 1
    return checked


def test_the_award_parts_never_show_a_count_from_1_to_4(sample):
    site, _ = sample
    raw = Raw(REPO)
    module = macros()
    html = {award.id: str(module.award_outcomes(award_variables(site, award))) for award in site.awards
            if award.id in site.outcomes.awards}
    assert assert_no_small_cell_shows(html, raw) == len(small_cells(raw))
    shown = html["BPCC-2026-007"]
    assert "Return not yet received for 2026-27 Q2" in text_of(shown)
    assert "Requires improvement" in text_of(html["BPCC-2026-001"])


def test_the_provider_and_area_parts_show_ratings_and_protected_totals(sample):
    site, _ = sample
    module = macros()
    provider = next(p for p in site.providers if p.id == "GB-COH-19000105")
    text = text_of(str(module.provider_ratings(provider_variables(site, provider))))
    assert "Serious youth violence prevention" in text and "Requires improvement" in text
    raw_sums = Raw(REPO).sums()
    for kind, views in (("stream", site.streams), ("priority", site.priorities)):
        for view in views:
            text = text_of(str(module.area_measures(area_variables(site, kind, view))))
            for (k, area, code, year), value in raw_sums.items():
                if k == kind and area == view.code:
                    shown = site.outcomes.totals[(k, area, code, year)]
                    title = Raw(REPO).shared[code]["title"]
                    if shown.is_withheld:
                        assert f"{value:,} {title.lower()} in {year}" not in text
                    else:
                        assert f"{value:,} {title.lower()} in {year}" in text
    stream = next(s for s in site.streams if s.code == "community-safety-fund")
    assert "people supported in 2025-26" in text_of(str(module.area_measures(area_variables(site, "stream", stream))))


def csv_of(content: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def test_the_downloads_leave_every_protected_figure_empty_and_say_why(sample):
    site, _ = sample
    made = {d.save_as: d for d in outcome_downloads.files(site, [])}
    assert set(made) == {"data/outcomes-measures-2025-26.csv", "data/outcomes-measures-2026-27.csv",
                         "data/outcomes-returns-2025-26.csv", "data/outcomes-returns-2026-27.csv", "data/outcomes-totals.csv"}
    check_downloads({path.removeprefix("data/"): csv_of(d.content) for path, d in made.items()}, Raw(REPO))
    for download in made.values():
        assert all(c.description for c in download.columns) and download.primary_key


def check_downloads(files: dict[str, list[dict]], raw: Raw) -> None:
    """The downloads: each count from 1 to 4 empty and 'fewer than 5'; published figures as in the raw
    files; and what they publish, solved, gives no protected figure away."""
    rows = {(r["award_id"], r["quarter"], r["measure"]): r for name, content in files.items()
            if name.startswith("outcomes-measures-") for r in content}
    assert len(rows) == len(raw.measures)
    for row in raw.counts():
        written = rows[(row["award_id"], row["quarter"], row["measure"])]
        if 0 < row["value"] < BELOW:
            assert (written["actual"], written["withheld"]) == ("", FEWER), written
        elif written["withheld"]:
            assert written["actual"] == "" and written["withheld"] == "not shown"
        else:
            assert int(written["actual"]) == row["value"]
    totals = {(r["area_type"], r["area"], r["measure"], r["financial_year"]): r for r in files["outcomes-totals.csv"]}
    kinds = {"all": "all", "stream": "funding-stream", "priority": "priority", "award": "award"}
    published = {}
    for (kind, area, code, year), value in raw.sums().items():
        written = totals[(kinds[kind], area or "all", code, year)]
        if written["withheld"]:
            assert written["total"] == "" and (written["withheld"] != FEWER or 0 < value < BELOW)
        else:
            assert not 0 < value < BELOW and int(written["total"]) == value
        published[(kind, area, code, year)] = written
    # Solve what the files publish, as a reader would.
    systems: dict = defaultdict(lambda: ({}, defaultdict(list), {}))
    for row in raw.counts():
        if row["measure"] not in raw.shared:
            continue
        year = row["quarter"][:7]
        cells, equations, withheld = systems[(row["measure"], year)]
        key = ("cell", row["award_id"], row["quarter"])
        cells[key] = row["value"]
        written = rows[(row["award_id"], row["quarter"], row["measure"])]
        if written["withheld"]:
            withheld[key] = SMALL if written["withheld"] == FEWER else SECONDARY
        award = raw.awards[row["award_id"]]
        for kind, area in [("award", award["id"]), ("stream", award["funding_stream"]), ("all", "")] + \
                [("priority", p) for p in award["priorities"].split(";")]:
            total = (kind, area, row["measure"], year)
            equations[total].append(key)
            if published[total]["withheld"]:
                withheld[total] = SMALL if published[total]["withheld"] == FEWER else SECONDARY
    for name, (cells, equations, withheld) in systems.items():
        assert not reader_works_out(with_totals(cells, dict(equations)), dict(equations), withheld), name


# --- the rules -----------------------------------------------------------------------------------------


def append(project, relative: str, line: str) -> int:
    """Add a row to a CSV file; return its line number."""
    text = project.read(relative)
    project.write(relative, text.rstrip("\n") + "\n" + line + "\n")
    return text.rstrip("\n").count("\n") + 2


def test_a_return_for_a_quarter_that_has_not_ended_is_refused_with_file_line_and_fix(sample_project):
    returns = "data/monitoring/2026-27-returns.csv"
    measures = "data/monitoring/2026-27-measures.csv"
    line = append(sample_project, returns, "BPCC-2025-001,2026-27 Q3,2026-11-20,good,People valued the support.")
    measure_line = append(sample_project, measures, "BPCC-2025-001,2026-27 Q3,people-supported,,,90,88,")
    _, problems = load(sample_project.root)
    fix = ("'2026-27 Q3' has not ended (it ends on 2026-12-31); a return is added once its quarter is over: "
           "check the quarter, or add this row after 2026-12-31")
    assert f"{returns}:{line}: quarter: {fix}" in problems
    assert f"{measures}:{measure_line}: quarter: {fix}" in problems
    assert f"{returns}:{line}: received: '2026-11-20' is before 2026-27 Q3 ended on 2026-12-31; a return comes in after its quarter: check the date and the quarter" in problems
    # The same rows a quarter earlier are accepted: the refusal is the clock's.
    _, later = load(sample_project.root, now=datetime(2027, 1, 10, 9, 0, tzinfo=UK))
    assert not any(f"{returns}:{line}: quarter" in p for p in later)


BAD_ROWS = [
    ("quarter outside the award's term", "data/monitoring/2025-26-measures.csv",
     "BPCC-2026-001,2025-26 Q4,people-supported,,,90,80,", "quarter",
     "'2025-26 Q4' (January to March 2026) is outside the term of award BPCC-2026-001, 2026-04-01 to 2027-03-31; check the quarter and the award_id"),
    ("unknown award", "data/monitoring/2025-26-returns.csv", "BPCC-2025-099,2025-26 Q1,2025-07-10,good,", "award_id",
     "'BPCC-2025-099' is not an award in awards.csv; check the id (it is the award's id column)"),
    ("unknown measure", "data/monitoring/2025-26-measures.csv", "BPCC-2025-001,2025-26 Q1,people-suported,,,90,88,", "measure",
     "'people-suported' is not a shared measure in funder.yaml (those are: people-supported, referrals-received, closed-safer); "
     "check the spelling, or give this service's own measure its title and unit in this row"),
    ("actual not a number", "data/monitoring/2025-26-measures.csv", "BPCC-2025-001,2025-26 Q1,people-supported,,,90,about 80,", "actual",
     "'about 80' is not a number; write digits only, for example 42 or 87.5 (no commas, %, £ or words)"),
    ("target not a number", "data/monitoring/2025-26-measures.csv", "BPCC-2025-001,2025-26 Q1,people-supported,,,90%,88,", "target",
     "'90%' is not a number; write digits only, for example 42 or 87.5 (no commas, %, £ or words)"),
    ("count not whole", "data/monitoring/2025-26-measures.csv", "BPCC-2025-001,2025-26 Q1,people-supported,,,90,88.5,", "actual",
     "'88.5' is not a whole number, and measure 'people-supported' counts people; write a whole number, for example 12"),
    ("quarter written another way", "data/monitoring/2025-26-returns.csv", "BPCC-2025-001,Q1 2025,2025-07-10,good,", "quarter",
     "'Q1 2025' is not a financial quarter; write the year and the quarter, for example 2025-26 Q1 (Q1 is April to June, "
     "Q2 July to September, Q3 October to December, Q4 January to March)"),
    ("rating not on the scale", "data/monitoring/2025-26-returns.csv", "BPCC-2025-001,2025-26 Q1,2025-07-10,excellent,", "rating",
     "'excellent' is not a rating; write one of good, approaching target, requires improvement or inadequate "
     "(the Procurement Act's scale for key performance indicators)"),
    ("phone number in feedback", "data/monitoring/2025-26-returns.csv",
     "BPCC-2025-001,2025-26 Q1,2025-07-10,good,A user asked us to call her on 07700 900123.", "feedback",
     "'07700 900123' looks like a phone number; remove it: publish no phone numbers"),
]


@pytest.mark.parametrize("case, file, row, field, message", BAD_ROWS, ids=[c[0] for c in BAD_ROWS])
def test_a_bad_row_is_refused_with_file_line_and_fix(sample_project, case, file, row, field, message):
    line = append(sample_project, file, row)
    _, problems = load(sample_project.root)
    assert f"{file}:{line}: {field}: {message}" in problems, problems


def test_a_missing_return_row_is_a_warning_naming_the_file(sample_project):
    returns = "data/monitoring/2026-27-returns.csv"
    text = sample_project.read(returns)
    sample_project.write(returns, "".join(line for line in text.splitlines(True) if not line.startswith("BPCC-2025-001,2026-27 Q2,")))
    measures = "data/monitoring/2026-27-measures.csv"
    text = sample_project.read(measures)
    sample_project.write(measures, "".join(line for line in text.splitlines(True) if not line.startswith("BPCC-2025-001,2026-27 Q2,")))
    dataset, problems = load(sample_project.root)
    assert (f"{returns}: warning: no return from award BPCC-2025-001 for 2026-27 Q2 (July to September 2026), due on "
            "2026-10-30; the site says it is not yet received: chase it, and add the date it came in") in problems
    assert dataset is not None, "a warning does not stop the build"


# --- the built site, once the section is wired in ----------------------------------------------------------


def search_records(output: Path) -> dict[str, str]:
    records = {}
    for path in (output / "pagefind" / "fragment").glob("*.pf_fragment"):
        data = gzip.decompress(path.read_bytes())
        record = json.loads(data[len(b"pagefind_dcd"):])
        records[record["url"]] = record["content"]
    return records


@wired_only
def test_the_built_site_never_shows_a_count_from_1_to_4(sample_site):
    raw = Raw(REPO)
    html = {award_id: (sample_site / "funded-services" / award_id.lower() / "index.html").read_text(encoding="utf-8")
            for award_id in {r["award_id"] for r in raw.measures}}
    assert assert_no_small_cell_shows(html, raw) == len(small_cells(raw))
    # The search index holds the same protected text, and never a small count in its row.
    records = search_records(sample_site)
    for row in small_cells(raw):
        content = records[f"/funded-services/{row['award_id'].lower()}/"]
        target = row["target"] or "–"
        assert not re.search(rf"{re.escape(row['quarter'])} {re.escape(target)}(?: none)? {row['value']}\b", content)
        assert not re.search(rf"{re.escape(row['quarter'])}: {row['value']}\b", content)
    assert FEWER in records["/outcomes/"] or "fewer than" in (sample_site / "outcomes" / "index.html").read_text(encoding="utf-8")
    # The downloads as published.
    files = {p.name: csv_of(p.read_bytes()) for p in (sample_site / "data").glob("outcomes-*.csv")}
    check_downloads(files, raw)


@wired_only
def test_the_built_pages_show_the_totals_the_downloads_publish(sample_site):
    totals = csv_of((sample_site / "data" / "outcomes-totals.csv").read_bytes())
    overview = page(sample_site, "outcomes/")
    table = overview.find(id="shared-measures")
    shown = {tr.th.contents[0].strip(): [td.get_text(" ").strip() for td in tr.find_all("td")]
             for tr in table.tbody.find_all("tr")}
    for row in totals:
        if row["area_type"] == "all":
            years = sorted({r["financial_year"] for r in totals})
            text = shown[row["measure_title"]][years.index(row["financial_year"])]
            assert text == (row["withheld"] or f"{int(row['total']):,}")
    for row in totals:
        if row["area_type"] in ("funding-stream", "priority"):
            folder = "funding-streams" if row["area_type"] == "funding-stream" else "priorities"
            text = " ".join(page(sample_site, f"{folder}/{row['area']}/").get_text(" ").split())
            so_far = "" if row["year_complete"] == "yes" else " so far"
            title = row["measure_title"][0].lower() + row["measure_title"][1:]
            if row["withheld"] != "not shown":
                figure = row["withheld"] or f"{int(row['total']):,}"
                assert f"{figure} {title} in {row['financial_year']}{so_far}" in text, row
    text = " ".join(overview.get_text(" ").split())
    assert "How we protect people’s privacy" in text and "Returns received on time" in text
    assert "Night-time economy volunteer patrols: welfare point for summer events" in text  # its return is not yet in
