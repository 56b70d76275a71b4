"""Derive: statuses, relations and totals, computed once so that templates only present.

Each view wraps a model and reads through to its fields (`award.title`), adding what follows from
the rest of the data (`award.provider`, `award.status`, `opportunity.status`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

from .dataset import Dataset
from .fields import financial_year_of
from .sanitise import render_markdown
from .models import Award, Funder, FundingStream, Opportunity, Provider, Priority
from .settings import Settings

STATUS_LABELS = {
    "upcoming": "Upcoming",
    "open": "Open",
    "closing-soon": "Closing soon",
    "closed": "Closed",
    "awarded": "Awarded",
    "withdrawn": "Withdrawn",
}
AWARD_STATUS_LABELS = {"current": "Current", "previous": "Ended", "future": "Not yet started"}
ORGANISATION_TYPE_LABELS = {
    "charity": "Charity",
    "charitable-incorporated-organisation": "Charitable incorporated organisation",
    "community-interest-company": "Community interest company",
    "social-enterprise": "Social enterprise",
    "community-group": "Community group",
    "public-body": "Public body",
    "private-company": "Private company",
}
ROUTE_LABELS = {
    "open-call": "Open call",
    "invited": "Invited bids",
    "direct-award": "Direct award",
    "single-tender-action": "Single tender action",
    "open-tender": "Open tender",
    "competitive-dialogue": "Competitive dialogue",
}
EXPECTATIONS = {
    "real_living_wage": "Pays the Real Living Wage",
    "pension_scheme": "Pension scheme for all employees",
    "no_zero_hours": "No zero-hours contracts",
    "policies_in_place": "Required policies in place",
}


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
    opportunities: list["OpportunityView"] = field(default_factory=list)

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
        return ORGANISATION_TYPE_LABELS[self.organisation_type]

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
        return [(label, getattr(self.model, name)) for name, label in EXPECTATIONS.items()]

    @property
    def is_vcse(self) -> bool:
        return self.organisation_type not in ("public-body", "private-company")

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
    opportunity: "OpportunityView | None" = None
    extends_award: "AwardView | None" = None
    extended_by: list["AwardView"] = field(default_factory=list)
    paid_to_date: Decimal = Decimal(0)
    paid_by_year: list[tuple[str, Decimal]] = field(default_factory=list)

    @property
    def slug(self) -> str:
        return self.id.lower()

    @property
    def url(self) -> str:
        return f"funded-services/{self.slug}/"

    @property
    def status_label(self) -> str:
        return AWARD_STATUS_LABELS[self.status]

    @property
    def route_label(self) -> str:
        return ROUTE_LABELS[self.route]

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
        return self.route in ("open-call", "open-tender", "competitive-dialogue", "invited")

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


@dataclass(eq=False, repr=False)
class OpportunityView(View):
    model: Opportunity
    status: str
    stream: StreamView
    priority_views: list[PriorityView]
    spec_html: Any
    awards: list[AwardView] = field(default_factory=list)

    @property
    def slug(self) -> str:
        return self.id.lower()

    @property
    def url(self) -> str:
        return f"opportunities/{self.slug}/"

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def is_open(self) -> bool:
        return self.status in ("open", "closing-soon")

    @property
    def annual_value(self) -> Decimal | None:
        """The envelope per year, where the term is a whole number of years or more than one."""
        if self.duration_months < 12:
            return None
        return (self.funding_envelope * 12 / self.duration_months).quantize(Decimal("0.01"))


@dataclass
class Site:
    """Everything derived, as the templates and writers see it."""

    funder: Funder
    now: datetime
    settings: Settings
    opportunities: list[OpportunityView]
    awards: list[AwardView]
    providers: list[ProviderView]
    streams: list[StreamView]
    priorities: list[PriorityView]
    dataset: Dataset
    spend: Any = None  # filled by spend.derive_spend

    @property
    def open_opportunities(self):
        return sorted((o for o in self.opportunities if o.is_open), key=lambda o: o.closes)

    @property
    def upcoming_opportunities(self):
        return sorted((o for o in self.opportunities if o.status == "upcoming"), key=lambda o: o.opens)

    @property
    def current_awards(self):
        return [a for a in self.awards if a.status == "current"]

    @property
    def today(self) -> date:
        return self.now.date()


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


def opportunity_status(opportunity: Opportunity, now: datetime, awarded: bool, closing_soon_days: int) -> str:
    """Status is derived, never typed: withdrawn and awarded win; otherwise it follows the clock."""
    if opportunity.withdrawn:
        return "withdrawn"
    if awarded:
        return "awarded"
    # In UTC: aware datetimes that share a tzinfo compare and subtract by wall clock, which is wrong
    # in the hour the clocks go back and across a clock change.
    now, opens, closes = (t.astimezone(timezone.utc) for t in (now, opportunity.opens, opportunity.closes))
    if now < opens:
        return "upcoming"
    if now >= closes:
        return "closed"
    if closes - now <= timedelta(days=closing_soon_days):
        return "closing-soon"
    return "open"


def award_status(award: Award, today: date) -> str:
    if today < award.start_date:
        return "future"
    return "current" if today <= award.end_date else "previous"


def derive(dataset: Dataset, settings: Settings) -> Site:
    funder = dataset.funder
    now = settings.now
    streams = {s.code: StreamView(s) for s in funder.funding_streams}
    priorities = {p.code: PriorityView(p) for p in funder.priorities}
    providers = {p.id: ProviderView(p) for p in sorted(dataset.providers, key=lambda p: p.name.lower())}

    awards: dict[str, AwardView] = {}
    for award in sorted(dataset.awards, key=lambda a: (a.start_date, a.id), reverse=True):
        view = AwardView(
            award, providers[award.provider_id], streams[award.funding_stream],
            [priorities[c] for c in award.priorities], award_status(award, now.date()),
            f"{funder.grant_id_prefix}-{award.id}",
        )
        awards[award.id] = view
        view.provider.awards.append(view)
        view.stream.awards.append(view)
        for priority in view.priority_views:
            priority.awards.append(view)
    for view in awards.values():
        if view.extends:
            view.extends_award = awards[view.extends]
            awards[view.extends].extended_by.append(view)

    awarded_from: dict[str, list[AwardView]] = defaultdict(list)
    for view in awards.values():
        if view.opportunity_id:
            awarded_from[view.opportunity_id].append(view)
    opportunities = []
    for opportunity in dataset.opportunities:
        won = awarded_from.get(opportunity.id, [])
        view = OpportunityView(
            opportunity,
            opportunity_status(opportunity, now, bool(won), settings.closing_soon_days),
            streams[opportunity.funding_stream],
            [priorities[c] for c in opportunity.priorities],
            render_markdown(opportunity.body),
            won,
        )
        for award in won:
            award.opportunity = view
        view.stream.opportunities.append(view)
        for priority in view.priority_views:
            priority.opportunities.append(view)
        opportunities.append(view)
    opportunities.sort(key=lambda o: (o.closes, o.id), reverse=True)

    return Site(funder, now, settings, opportunities, list(awards.values()), list(providers.values()),
                list(streams.values()), list(priorities.values()), dataset)
