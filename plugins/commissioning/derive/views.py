"""Derive: views of the records, linked to each other, with what follows from the rest of the data.

Each view wraps a model and reads through to its fields (`award.title`), adding what follows from
the rest of the data (`award.provider`, `award.status`). Opportunities have a module of their own
(opportunity.py); the site as a whole is site.py.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from ..load import codes
from ..load.fields import financial_year_of
from ..load.models import Award, FundingStream, Priority, Provider
from .transparency import statutory_rows


class View:
    """Reads through to the wrapped model's fields."""

    model: Any

    def __post_init__(self):
        # Copied in once: templates, downloads and spend read model fields millions of times at
        # scale, and __getattr__ plus pydantic's lookup for each read was a measurable cost.
        for name, value in self.model.__dict__.items():
            self.__dict__.setdefault(name, value)

    def __getattr__(self, name: str):
        if name == "model":  # not set yet: avoid recursing while unpickling or copying
            raise AttributeError(name)
        return getattr(self.model, name)


@dataclass(eq=False, repr=False)
class StreamView(View):
    model: FundingStream
    awards: list["AwardView"] = field(default_factory=list)
    opportunities: list = field(default_factory=list)  # OpportunityViews

    @property
    def url(self) -> str:
        return f"funding-streams/{self.code}/"

    @property
    def current_awards(self):
        return [a for a in self.awards if a.status == "current"]

    @property
    def total_awarded(self) -> Decimal:
        return sum((a.amount_awarded for a in self.awards), Decimal(0))

    @property
    def awarded_by_year(self) -> list[tuple[str, Decimal]]:
        return _by_year(self.awards)


@dataclass(eq=False, repr=False)
class PriorityView(StreamView):
    model: Priority

    @property
    def url(self) -> str:
        return f"priorities/{self.code}/"


@dataclass(eq=False, repr=False)
class ProviderView(View):
    model: Provider
    awards: list["AwardView"] = field(default_factory=list)
    total_paid: Decimal = Decimal(0)

    @property
    def slug(self) -> str:
        return self.id.lower()

    @property
    def url(self) -> str:
        return f"providers/{self.slug}/"

    @property
    def type_label(self) -> str:
        return codes.ORGANISATION_TYPES[self.organisation_type]

    @property
    def current_awards(self):
        return [a for a in self.awards if a.status == "current"]

    @property
    def previous_awards(self):
        return [a for a in self.awards if a.status != "current"]

    @property
    def total_awarded(self) -> Decimal:
        return sum((a.amount_awarded for a in self.awards), Decimal(0))

    @property
    def expectations(self) -> list[tuple[str, bool | None]]:
        """Each fairer-funding expectation and whether it is confirmed (None: not yet)."""
        return [(label, getattr(self.model, name)) for name, label in codes.EXPECTATIONS.items()]

    @property
    def is_vcse(self) -> bool:
        return self.organisation_type not in codes.NOT_VCSE

    @property
    def charity_register_url(self) -> str | None:
        number = self.charity_number or (self.id[7:] if self.id.startswith("GB-CHC-") else None)
        return f"https://register-of-charities.charitycommission.gov.uk/charity-search/-/charity-details/{number}" if number else None

    @property
    def company_register_url(self) -> str | None:
        number = self.company_number or (self.id[7:] if self.id.startswith("GB-COH-") else None)
        return f"https://find-and-update.company-information.service.gov.uk/company/{number}" if number else None


@dataclass(eq=False, repr=False)
class AwardView(View):
    model: Award
    provider: ProviderView
    stream: StreamView
    priority_views: list[PriorityView]
    status: str
    grant_id: str
    opportunity: Any = None  # the OpportunityView it was awarded from
    extends_award: "AwardView | None" = None
    extended_by: list["AwardView"] = field(default_factory=list)
    paid_to_date: Decimal = Decimal(0)
    paid_by_year: list[tuple[str, Decimal]] = field(default_factory=list)
    area_views: list = field(default_factory=list)  # the funder's Areas it names (the whole area if none)

    @property
    def slug(self) -> str:
        return self.id.lower()

    @property
    def url(self) -> str:
        return f"funded-services/{self.slug}/"

    @property
    def status_label(self) -> str:
        return codes.AWARD_STATUSES[self.status]

    @property
    def route_label(self) -> str:
        return codes.ROUTES[self.route]

    @property
    def recommissioning_label(self) -> str:
        return codes.RECOMMISSIONING[self.recommissioning or "undecided"]

    @property
    def recommissioning_route_label(self) -> str | None:
        return codes.ROUTES[self.recommissioning_route] if self.recommissioning_route else None

    @property
    def statutory(self) -> list[dict]:
        """What the Specified Information Order asks to be published of it: conditions, reasons, decision, notice."""
        return statutory_rows(self)

    @property
    def financial_year(self) -> str:
        return financial_year_of(self.award_date)

    @property
    def term_months(self) -> int:
        return _months_between(self.start_date, self.end_date)

    @property
    def yearly_equivalent(self) -> Decimal:
        """The amount spread over a year of the term: what the award is worth per year."""
        months = max(self.term_months, 1)
        return (self.amount_awarded * 12 / months).quantize(Decimal("0.01"))

    @property
    def competed(self) -> bool:
        return self.route in codes.COMPETED_ROUTES

    @property
    def chain(self) -> list["AwardView"]:
        """Every award in this award's line of renewals, earliest first (including itself)."""
        first = self
        while first.extends_award is not None and first.extends_award is not self:
            first = first.extends_award
        chain, todo = [], [first]
        while todo:
            current = todo.pop(0)
            if current in chain:
                break
            chain.append(current)
            todo.extend(sorted(current.extended_by, key=lambda a: a.start_date))
        return chain


def _months_between(start: date, end: date) -> int:
    """Whole months in a term from start to end inclusive (1 April to 31 March is 12)."""
    after_end = end + timedelta(days=1)
    months = (after_end.year - start.year) * 12 + (after_end.month - start.month)
    return max(months + (1 if after_end.day > start.day else 0), 1)


def _by_year(awards: list[AwardView]) -> list[tuple[str, Decimal]]:
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for award in awards:
        totals[award.financial_year] += award.amount_awarded
    return sorted(totals.items())


def award_status(award: Award, today: date) -> str:
    if today < award.start_date:
        return "future"
    return "current" if today <= award.end_date else "previous"
