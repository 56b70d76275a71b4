"""Opportunities: dates in order, criteria that add up, a way to apply, documents that exist."""

from __future__ import annotations

import re
from typing import Iterator

from ...problems import Problem
from ..dataset import Dataset, display_name
from .common import WARNING, at


def opportunity_closes_after_it_opens(data: Dataset) -> Iterator[Problem]:
    """An opportunity closes after it opens, and any clarification deadline falls between."""
    for opportunity in data.opportunities:
        if opportunity.closes <= opportunity.opens:
            yield at(opportunity, "closes", f"'{opportunity.closes:%Y-%m-%dT%H:%M}' is not after opens {opportunity.opens:%Y-%m-%dT%H:%M}; check both")
        deadline = opportunity.clarification_deadline
        if deadline and not (opportunity.opens <= deadline <= opportunity.closes):
            yield at(opportunity, "clarification_deadline", "is not between opens and closes; check the dates")


def events_end_after_they_start(data: Dataset) -> Iterator[Problem]:
    """An engagement event ends after it starts."""
    for opportunity in data.opportunities:
        for index, event in enumerate(opportunity.events):
            if event.end <= event.start:
                yield at(opportunity, "events", f"ends at {event.end:%Y-%m-%dT%H:%M}, not after it starts at {event.start:%Y-%m-%dT%H:%M}; check both", index, "end")


def evaluation_weights_sum_to_100(data: Dataset) -> Iterator[Problem]:
    """Evaluation criteria weights add up to 100."""
    for opportunity in data.opportunities:
        total = sum(c.weight for c in opportunity.evaluation_criteria)
        if opportunity.evaluation_criteria and total != 100:
            yield at(opportunity, "evaluation_criteria", f"weights add up to {total}; they must add up to 100")
        if not opportunity.evaluation_criteria:
            yield at(opportunity, "evaluation_criteria", "is empty; list each criterion with its weight")


def award_limits_fit_the_envelope(data: Dataset) -> Iterator[Problem]:
    """min_award is not above max_award, and neither is above the funding envelope."""
    for opportunity in data.opportunities:
        low, high, envelope = opportunity.min_award, opportunity.max_award, opportunity.funding_envelope
        if low is not None and high is not None and low > high:
            yield at(opportunity, "min_award", f"{low} is more than max_award {high}; check both")
        for name, value in (("min_award", low), ("max_award", high)):
            if value is not None and value > envelope:
                yield at(opportunity, name, f"{value} is more than the funding_envelope {envelope}; check both")


def opportunity_can_be_applied_for(data: Dataset) -> Iterator[Problem]:
    """An opportunity gives apply_url or apply_email."""
    for opportunity in data.opportunities:
        if not opportunity.apply_url and not opportunity.apply_email:
            yield at(opportunity, "apply_url", "is missing: give apply_url (a web address) or apply_email so bidders know how to apply")


def local_documents_exist(data: Dataset) -> Iterator[Problem]:
    """A document given as a path (not a web address) exists under content/."""
    for opportunity in data.opportunities:
        for index, document in enumerate(opportunity.documents):
            url = document.url
            if re.match(r"https?://", url):
                continue
            if re.match(r"[a-z]+:", url, re.IGNORECASE) or url.startswith("//"):
                yield at(opportunity, "documents", f"'{url}' is not a web address or a file; use https:// or a path under content/", index, "url")
                continue
            path = (data.content_dir / url.lstrip("/")).resolve()
            inside = data.content_dir.resolve() in path.parents
            if not inside or not path.is_file():
                where = display_name(data.content_dir, data.root)
                yield at(opportunity, "documents", f"'{url}' is not a file under {where}/; add the file or correct the path", index, "url")


def decisions_come_after_closing(data: Dataset) -> Iterator[Problem]:
    """decision_by and service_start are not before the opportunity closes."""
    for opportunity in data.opportunities:
        closes = opportunity.closes.date()
        for name in ("decision_by", "service_start"):
            day = getattr(opportunity, name)
            if day is not None and day < closes:
                yield at(opportunity, name, f"'{day}' is before the opportunity closes on {closes}; check both dates")


def _likely_year(wrong: int, near: tuple[int, ...]) -> int | None:
    """A year near `near` that `wrong` is a slip of the keyboard for: two digits swapped, or one changed."""
    for year in near:
        a, b = str(wrong), str(year)
        if len(a) == len(b) and (sorted(a) == sorted(b) or sum(x != y for x, y in zip(a, b)) == 1):
            return year
    return None


def opportunity_window_is_plausible(data: Dataset) -> Iterator[Problem]:
    """A warning when an opportunity closes more than two years after it opens: most often a typo in a year."""
    for opportunity in data.opportunities:
        opens, closes = opportunity.opens, opportunity.closes
        if closes <= opens or (closes - opens).days <= 731:
            continue
        year = _likely_year(closes.year, (opens.year, opens.year + 1))
        hint = f"; did you mean {year}?" if year else "; check the year of each"
        yield at(opportunity, "closes", (
            f"'{closes:%Y-%m-%dT%H:%M}' is more than two years after opens {opens:%Y-%m-%dT%H:%M}{hint} "
            "(if the dates are right, this warning can be ignored)"), severity=WARNING)


def new_opportunity_is_not_already_closed(data: Dataset) -> Iterator[Problem]:
    """A warning when an opportunity file the change adds has already closed: most often a slip in the year."""
    if data.now is None or not data.new_files:
        return
    for opportunity in data.opportunities:
        if opportunity.origin.file not in data.new_files or opportunity.withdrawn or opportunity.closes > data.now:
            continue
        opens, closes = opportunity.opens, opportunity.closes
        # The year that would make the call current or coming, if one slip of the keyboard gives it.
        year = _likely_year(closes.year, (data.now.year, data.now.year + 1))
        hint = f"; did you mean {year}?" if year and closes.replace(year=year) > data.now else "; check the years"
        yield at(opportunity, "closes", (
            f"'{closes:%Y-%m-%dT%H:%M}' is already past (it opens {opens:%Y-%m-%dT%H:%M}), so this new opportunity "
            f"is published as closed{hint} (if it is added for the record, this warning can be ignored)"), severity=WARNING)
