"""Awards: their terms, and how they were awarded."""

from __future__ import annotations

from typing import Iterator

from ...problems import Problem
from ..codes import TENDERED_ROUTES, UNCOMPETED_ROUTES
from ..dataset import Dataset
from .common import at


def award_ends_after_it_starts(data: Dataset) -> Iterator[Problem]:
    """An award's end_date is not before its start_date."""
    for award in data.awards:
        if award.end_date < award.start_date:
            yield at(award, "end_date", f"'{award.end_date}' is before start_date {award.start_date}; check both dates")


def large_contracts_are_tendered(data: Dataset) -> Iterator[Problem]:
    """A contract above the funder's tender threshold is tendered (open-tender or competitive-dialogue) or justified."""
    if not data.funder:
        return
    threshold = data.funder.tender_threshold
    for award in data.awards:
        if award.award_type == "contract" and award.amount_awarded > threshold \
                and award.route not in TENDERED_ROUTES and not award.justification:
            yield at(award, "route", (
                f"'{award.route}' for a contract of {award.amount_awarded} (above the tender threshold of {threshold}); "
                "use open-tender or competitive-dialogue, or explain in justification why it was not tendered"))
    for opportunity in data.opportunities:
        if opportunity.award_type == "contract" and opportunity.funding_envelope > threshold \
                and opportunity.route not in TENDERED_ROUTES:
            yield at(opportunity, "route", (
                f"'{opportunity.route}' for a contract of {opportunity.funding_envelope} (above the tender threshold of {threshold}); "
                "use open-tender or competitive-dialogue"))


def uncompeted_awards_are_justified(data: Dataset) -> Iterator[Problem]:
    """A direct-award or single-tender-action says why there was no competition."""
    for award in data.awards:
        if award.route in UNCOMPETED_ROUTES and not award.justification:
            yield at(award, "justification", f"is required for route {award.route}; say why there was no competition")
