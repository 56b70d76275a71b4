"""Derive the forward plan: the awards that end in the next months (funder.yaml `forward_plan_months`,
18 by default) with what we intend to do when each ends, and the calls still to open.

The plan is for providers and bidders to prepare: an incumbent learns whether its service is to be
recommissioned, a would-be bidder when to expect the call. The window runs from the build's day;
which awards are in it, and so the plan's date of last change, follows from their end dates alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from ..load import codes
from ..load.fields import UK, months_before, start_of
from ..render.filters import uk_date
from .views import AwardView

UNDECIDED = "undecided"


def months_after(day: date, count: int) -> date:
    """The same day `count` calendar months later (31 August plus 18 months is 28 or 29 February)."""
    return months_before(start_of(day), -count).date()


@dataclass
class PlanEntry:
    """An award that ends within the plan, with its recommissioning intention."""

    award: AwardView

    @property
    def intention(self) -> str:
        return getattr(self.award.model, "recommissioning", None) or UNDECIDED

    @property
    def intention_label(self) -> str:
        return codes.RECOMMISSIONING.get(self.intention, "Not yet decided")

    @property
    def route(self) -> str | None:
        return getattr(self.award.model, "recommissioning_route", None)

    @property
    def route_label(self) -> str | None:
        return codes.ROUTES.get(self.route) if self.route else None

    @property
    def expected(self) -> date | None:
        return getattr(self.award.model, "recommissioning_date", None)

    @property
    def note(self) -> str | None:
        return getattr(self.award.model, "recommissioning_note", None)

    @property
    def plan_text(self) -> str:
        """The intention in one or two sentences: what, how, and when the new call is expected."""
        if self.intention == "recommission":
            words = "To be recommissioned" + (f" by {self.route_label.lower()}" if self.route_label else "")
            if self.expected:
                words += f"; the new opportunity is expected to be published by {uk_date(self.expected)}"
            text = words + "."
        elif self.intention == "extend":
            text = "To be extended with the same provider."
        elif self.intention == "end":
            text = "Not to be recommissioned: the funding ends."
        else:
            text = "Not yet decided."
        return f"{text} {self.note}" if self.note else text


@dataclass
class ForwardPlan:
    months: int
    start: date  # the build's day, UK time
    until: date  # the last day an award may end and be in the plan
    entries: list[PlanEntry]  # soonest ending first
    upcoming: list  # OpportunityViews still to open, soonest first
    lastmod: date | None

    def count(self, intention: str) -> int:
        return sum(1 for e in self.entries if e.intention == intention)

    @property
    def counts(self) -> list[tuple[str, str, int]]:
        """(code, words, how many) for each intention with any."""
        return [(code, label, self.count(code)) for code, label in codes.RECOMMISSIONING.items() if self.count(code)]


def renewed(award: AwardView) -> bool:
    """An award already renewed by a later one: the service goes on, and the renewal is the one to plan for."""
    return any(later.start_date > award.start_date for later in award.extended_by)


def in_plan_between(award: AwardView, months: int) -> tuple[date, date]:
    """The first and last day an award is in a plan looking `months` ahead: from that long before it ends until it ends."""
    first = months_before(start_of(award.end_date), months).date()
    return first, award.end_date


def forward_plan(site) -> ForwardPlan:
    """The plan as of the build's day."""
    months = getattr(site.funder, "forward_plan_months", None) or 18
    today = site.now.astimezone(UK).date()
    until = months_after(today, months)
    candidates = [a for a in site.awards if not renewed(a)]
    entries = [PlanEntry(a) for a in sorted(candidates, key=lambda a: (a.end_date, a.id))
               if today <= a.end_date <= until]
    # The plan changes when an award is made, enters the window or leaves it: never with the clock alone.
    moments = []
    for award in candidates:
        first, last = in_plan_between(award, months)
        moments += [award.award_date, first, last + timedelta(days=1)]
    past = [m for m in moments if m <= today]
    return ForwardPlan(months, today, until, entries, site.upcoming_opportunities, max(past, default=None))
