"""Awards: their terms, how they were awarded, and when."""

from __future__ import annotations

from typing import Iterator

from ...problems import Problem
from ..codes import TENDERED_ROUTES, UNCOMPETED_ROUTES
from ..dataset import Dataset
from .common import WARNING, at


def award_ends_after_it_starts(data: Dataset) -> Iterator[Problem]:
    """An award's end_date is not before its start_date."""
    for award in data.awards:
        if award.end_date < award.start_date:
            yield at(award, "end_date", f"'{award.end_date}' is before start_date {award.start_date}; check both dates")


def tender_thresholds_are_given(data: Dataset) -> Iterator[Problem]:
    """funder.yaml gives tender_thresholds, each `from` date once (the old single tender_threshold is read, with a warning)."""
    funder = data.funder
    if not funder:
        return
    if not funder.tender_thresholds and not funder.tender_threshold_written:
        yield at(funder, "tender_thresholds", (
            "is required but missing; list the thresholds with the date each applies from, for example "
            "`- from: 2026-01-01`, `standard: 207720`, `light_touch: 663540`"))
    elif funder.tender_threshold_written:
        yield at(funder, "tender_threshold", (
            "is replaced by tender_thresholds, a list with the date each threshold applies from; move it there "
            "(`tender_thresholds:`, then `- from: <date>`, `standard: <amount>`, `light_touch: <amount>`) and delete this line"),
            severity=WARNING)
    seen = {}
    for index, entry in enumerate(funder.tender_thresholds):
        if entry.starts in seen:
            yield at(funder, "tender_thresholds", f"gives from {entry.starts} twice; keep one", index, "from")
        seen[entry.starts] = index


def large_contracts_are_tendered(data: Dataset) -> Iterator[Problem]:
    """A contract above the tender threshold in force on its award date (an opportunity: on its opening date; a light-touch award: the light-touch threshold) is tendered or justified."""
    funder = data.funder
    if not funder:
        return
    for award in data.awards:
        if award.award_type != "contract":
            continue
        threshold = funder.threshold_on(award.award_date, bool(award.light_touch))
        kind = "light-touch tender threshold" if award.light_touch else "tender threshold"
        if threshold is not None and award.amount_awarded > threshold \
                and award.route not in TENDERED_ROUTES and not award.justification:
            yield at(award, "route", (
                f"'{award.route}' for a contract of {award.amount_awarded} (above the {kind} of {threshold}); "
                "use open-tender or competitive-dialogue, or explain in justification why it was not tendered"))
    for opportunity in data.opportunities:
        if opportunity.award_type != "contract":
            continue
        threshold = funder.threshold_on(opportunity.opens.date())
        if threshold is not None and opportunity.funding_envelope > threshold \
                and opportunity.route not in TENDERED_ROUTES:
            yield at(opportunity, "route", (
                f"'{opportunity.route}' for a contract of {opportunity.funding_envelope} (above the tender threshold of {threshold}); "
                "use open-tender or competitive-dialogue"))


def uncompeted_awards_are_justified(data: Dataset) -> Iterator[Problem]:
    """A direct-award or single-tender-action says why there was no competition."""
    for award in data.awards:
        if award.route in UNCOMPETED_ROUTES and not award.justification:
            yield at(award, "justification", f"is required for route {award.route}; say why there was no competition")


def awards_follow_their_opportunity(data: Dataset) -> Iterator[Problem]:
    """An award that names an opportunity is made after it closes: not while it is open or upcoming, nor dated before it closed."""
    opportunities = {o.id: o for o in data.opportunities}
    for award in data.awards:
        opportunity = opportunities.get(award.opportunity_id)
        if opportunity is None:
            continue  # no opportunity, or one that does not exist: references_resolve says so
        closes = opportunity.closes
        if data.now is not None and closes > data.now and not opportunity.withdrawn:
            state = "open" if opportunity.opens <= data.now else "not yet open"
            yield at(award, "opportunity_id", (
                f"'{opportunity.id}' is still {state} (it closes {closes:%Y-%m-%dT%H:%M}); an award is made after its "
                "opportunity closes: check opportunity_id, or add the award once the opportunity has closed"))
        elif award.award_date < closes.date():
            yield at(award, "award_date", (
                f"'{award.award_date}' is before opportunity {opportunity.id} closed on {closes:%Y-%m-%d}; "
                "check award_date and opportunity_id"))


def award_date_not_in_the_future(data: Dataset) -> Iterator[Problem]:
    """An award_date is not after the day the site is built: an award is published once it is made."""
    if data.now is None:
        return
    today = data.now.date()
    for award in data.awards:
        if award.award_date > today:
            yield at(award, "award_date", (
                f"'{award.award_date}' is in the future (the site is built on {today}); check the date, "
                "or add the award once it has been made"))
