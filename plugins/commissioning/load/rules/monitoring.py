"""Monitoring: each quarterly return names a real award and measure, for a quarter of the award's term
that is over, with figures that are numbers, and no personal data in what is published.

The rules read `data.monitoring` (load/monitoring.py), and the build's clock `data.now` for those that
depend on the date (None skips them).
"""

from __future__ import annotations

from typing import Iterator

from ...problems import Problem
from ..dataset import Dataset
from ..codes import COUNT_UNITS
from ..monitoring import RATINGS, Monitoring, Quarter, due_date, quarters_between, shared_measures
from .common import WARNING, at
from .personal_data import find_personal_data


def _monitoring(data: Dataset) -> Monitoring | None:
    return getattr(data, "monitoring", None)


def _rows(monitoring: Monitoring, kind: str):
    """(year of the file, row) for every row of the measures or the returns files."""
    files = monitoring.measures if kind == "measures" else monitoring.returns
    for year in sorted(files):
        for row in files[year]:
            yield year, row


def _today(data: Dataset):
    now = getattr(data, "now", None)
    return now.date() if now is not None else None


def _in_term(award, quarter: Quarter) -> bool:
    return quarter.end >= award.start_date and quarter.start <= award.end_date


def shared_measures_are_counts(data: Dataset) -> Iterator[Problem]:
    """The shared `measures` of funder.yaml each have their own code and count people, referrals or sessions, so they add up."""
    seen: set[str] = set()
    for index, measure in enumerate(shared_measures(data.funder)):
        if measure.code in seen:
            yield at(data.funder, "measures", f"gives the code '{measure.code}' twice; keep one", index, "code")
        seen.add(measure.code)
        if measure.unit not in COUNT_UNITS:
            yield at(data.funder, "measures", (
                f"'{measure.unit}' cannot be added up across services; a shared measure counts people, referrals "
                "or sessions (make it a service's own measure in the measures file instead)"), index, "unit")


def monitoring_names_awards_and_measures(data: Dataset) -> Iterator[Problem]:
    """Every return names an award in awards.csv; every measure is a shared measure in funder.yaml, or the service's own with its title and unit."""
    monitoring = _monitoring(data)
    if monitoring is None:
        return
    known = {a.id for a in data.awards} | data.seen_ids.get("awards", set())
    check_awards = "awards" not in data.unread
    for kind in ("returns", "measures"):
        for _, row in _rows(monitoring, kind):
            if check_awards and row.award_id not in known:
                yield at(row, "award_id", f"'{row.award_id}' is not an award in awards.csv; check the id (it is the award's id column)")
    shared = {m.code: m for m in shared_measures(data.funder)}
    own: dict[tuple[str, str], object] = {}  # (award, own measure) -> its first row
    for _, row in _rows(monitoring, "measures"):
        if row.measure in shared:
            if row.title is not None or row.unit is not None:
                measure = shared[row.measure]
                yield at(row, "title" if row.title is not None else "unit", (
                    f"is for the shared measure '{row.measure}' ({measure.title}, counted in {measure.unit}), which "
                    "funder.yaml defines; leave title and unit empty"))
            continue
        if row.title is None or row.unit is None:
            codes = ", ".join(shared) or "none yet"
            yield at(row, "measure", (
                f"'{row.measure}' is not a shared measure in funder.yaml (those are: {codes}); check the spelling, "
                "or give this service's own measure its title and unit in this row"))
            continue
        first = own.setdefault((row.award_id, row.measure), row)
        for name in ("title", "unit"):
            if getattr(row, name) != getattr(first, name):
                yield at(row, name, (
                    f"'{getattr(row, name)}' differs from the {name} '{getattr(first, name)}' given for measure "
                    f"'{row.measure}' of {row.award_id} on line {first.origin.line} of {first.origin.file}; "
                    "use the same in every row"))


def monitoring_quarters_fit(data: Dataset) -> Iterator[Problem]:
    """A return's quarter is in its file's financial year, within the award's term, and over: no return is made for a quarter that has not ended."""
    monitoring = _monitoring(data)
    if monitoring is None:
        return
    awards = {a.id: a for a in data.awards}
    today = _today(data)
    for kind in ("returns", "measures"):
        for year, row in _rows(monitoring, kind):
            quarter = row.quarter
            if quarter.year != year:
                yield at(row, "quarter", (
                    f"'{quarter}' is not in {year}, the year of this file; move the row to "
                    f"{monitoring.file_of(quarter.year, kind)}, or check the year"))
                continue
            award = awards.get(row.award_id)
            if award is not None and not _in_term(award, quarter):
                yield at(row, "quarter", (
                    f"'{quarter}' ({quarter.months_text}) is outside the term of award {award.id}, "
                    f"{award.start_date} to {award.end_date}; check the quarter and the award_id"))
            elif today is not None and quarter.end >= today:
                yield at(row, "quarter", (
                    f"'{quarter}' has not ended (it ends on {quarter.end}); a return is added once its quarter is "
                    f"over: check the quarter, or add this row after {quarter.end}"))


def monitoring_figures_are_numbers(data: Dataset) -> Iterator[Problem]:
    """A target or actual that counts people, referrals or sessions is a whole number; a per cent is at most 100."""
    monitoring = _monitoring(data)
    if monitoring is None:
        return
    units = {m.code: m.unit for m in shared_measures(data.funder)}
    for _, row in _rows(monitoring, "measures"):
        unit = units.get(row.measure) or row.unit
        for name in ("target", "actual"):
            value = getattr(row, name)
            if value is None:
                continue
            if unit in COUNT_UNITS and value != value.to_integral_value():
                yield at(row, name, (
                    f"'{value}' is not a whole number, and measure '{row.measure}' counts {unit}; write a whole number, "
                    "for example 12"))
            elif unit == "per cent" and value > 100:
                yield at(row, name, f"'{value}' is more than 100 per cent; check the figure (write 87.5 for 87.5%)")


def monitoring_rows_are_given_once(data: Dataset) -> Iterator[Problem]:
    """Each award has one return a quarter, and one row for each of its measures in that quarter."""
    monitoring = _monitoring(data)
    if monitoring is None:
        return
    for kind, key in (("returns", lambda r: (r.award_id, r.quarter)),
                      ("measures", lambda r: (r.award_id, r.quarter, r.measure))):
        first: dict[tuple, object] = {}
        for _, row in _rows(monitoring, kind):
            earlier = first.setdefault(key(row), row)
            if earlier is not row:
                what = f"measure '{row.measure}' of " if kind == "measures" else ""
                yield at(row, "award_id", (
                    f"gives {what}award {row.award_id} for {row.quarter} again (first on line {earlier.origin.line}); "
                    "keep one row"))


def returns_are_complete(data: Dataset) -> Iterator[Problem]:
    """A received return has a rating, was received after its quarter ended and not after today, and figures are given only for a received return."""
    monitoring = _monitoring(data)
    if monitoring is None:
        return
    today = _today(data)
    received = {}
    for _, row in _rows(monitoring, "returns"):
        received.setdefault((row.award_id, row.quarter), row)
        if row.received is None:
            if row.rating is not None or row.feedback is not None:
                yield at(row, "received", (
                    "is empty, but the return has a rating or feedback; give the date it was received, "
                    "or leave rating and feedback empty until it is"))
            continue
        if row.rating is None:
            yield at(row, "rating", (
                f"is required once a return is received; write one of {', '.join(r.replace('-', ' ') for r in RATINGS)}"))
        if row.received <= row.quarter.end:
            yield at(row, "received", (
                f"'{row.received}' is before {row.quarter} ended on {row.quarter.end}; a return comes in after its "
                "quarter: check the date and the quarter"))
        elif today is not None and row.received > today:
            yield at(row, "received", (
                f"'{row.received}' is in the future (the site is built on {today}); write the date the return came in"))
    reported = set()
    for _, row in _rows(monitoring, "measures"):
        key = (row.award_id, row.quarter)
        if key in reported:
            continue
        reported.add(key)
        quarter_return = received.get(key)
        if quarter_return is None or quarter_return.received is None:
            file = monitoring.file_of(row.quarter.year, "returns")
            yield at(row, "quarter", (
                f"has figures for award {row.award_id} in {row.quarter}, but {file} does not say that return was "
                "received; add its row there with the date received and the rating"))


def returns_are_in_on_time(data: Dataset) -> Iterator[Problem]:
    """A current award's return for each quarter that is over is received by its due date (a warning: the site says the return is not yet received)."""
    monitoring = _monitoring(data)
    today = _today(data)
    if monitoring is None or today is None or monitoring.first_quarter is None:
        return
    rows = {(r.award_id, r.quarter): r for r in monitoring.all_returns}
    first = monitoring.first_quarter
    for award in data.awards:
        if not award.start_date <= today <= award.end_date:
            continue
        for quarter in quarters_between(award.start_date, min(award.end_date, today)):
            due = due_date(quarter, data.funder)
            if quarter < first or due >= today:
                continue
            row = rows.get((award.id, quarter))
            if row is not None and row.received is not None:
                continue
            message = (f"no return from award {award.id} for {quarter} ({quarter.months_text}), due on {due}; "
                       "the site says it is not yet received: chase it, and add the date it came in")
            if row is not None:
                yield at(row, "received", message, severity=WARNING)
            else:
                yield Problem(monitoring.file_of(quarter.year, "returns"), 0, "", message, WARNING)


def monitoring_text_has_no_personal_data(data: Dataset) -> Iterator[Problem]:
    """No note or feedback holds an email address, phone number, postcode, street address, National Insurance number or date of birth."""
    monitoring = _monitoring(data)
    if monitoring is None:
        return
    for kind, name in (("measures", "note"), ("returns", "feedback")):
        for _, row in _rows(monitoring, kind):
            text = getattr(row, name)
            for found, what, advice in find_personal_data(text) if text else ():
                yield at(row, name, f"'{found}' looks like {what}; {advice}")


RULES = (
    shared_measures_are_counts,
    monitoring_names_awards_and_measures,
    monitoring_rows_are_given_once,
    monitoring_quarters_fit,
    monitoring_figures_are_numbers,
    returns_are_complete,
    returns_are_in_on_time,
    monitoring_text_has_no_personal_data,
)
