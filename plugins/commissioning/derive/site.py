"""Derive the site: every record as a view linked to the others, statuses from the clock, and the
spend figures, computed once so that the sections only present them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from .. import timing
from ..load.dataset import Dataset
from ..load.models import Funder
from ..render.markdown import render_markdown
from ..settings import Settings
from .opportunity import OpportunityView, opportunity_status
from .outcomes import Outcomes, derive_outcomes
from .spend import derive_spend, paid_totals, records_held
from .spend_figures import Spend
from .views import AwardView, PriorityView, ProviderView, StreamView, award_status


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
    spend: Spend | None = None  # the records' bounds from linked(), the figures from figured()
    outcomes: Outcomes | None = None  # the monitoring figures, protected; None without data/monitoring/

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


def derive(dataset: Dataset, settings: Settings) -> Site:
    """The whole site, linked, with its spend figures: everything the sections show."""
    return figured(linked(dataset, settings))


def linked(dataset: Dataset, settings: Settings) -> Site:
    """Every record as a view linked to the others, with all its own page shows (its status, what
    was paid under it, its monitoring figures) but without the spend figures (figured() adds them):
    the live preview writes an edited record's page from this, seconds before the rest."""
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
        view.area_views = funder.areas_for(award.areas)
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
            now,
            settings.content_dir,
            settings.closing_soon_days,
        )
        view.area_views = funder.areas_for(opportunity.areas)
        for award in won:
            award.opportunity = view
        view.stream.opportunities.append(view)
        for priority in view.priority_views:
            priority.opportunities.append(view)
        opportunities.append(view)
    opportunities.sort(key=lambda o: (o.closes, o.id), reverse=True)

    site = Site(funder, now, settings, opportunities, list(awards.values()), list(providers.values()),
                list(streams.values()), list(priorities.values()), dataset)
    paid_totals(site)
    # Until figured(): where the payment records start and end, which a record's page says, and no years.
    site.spend = Spend([], Decimal(settings.spend_listing_threshold), funder.payment_terms_days)
    site.spend.records_from, site.spend.records_to = records_held(site)
    site.outcomes = derive_outcomes(site)
    return site


def figured(site: Site) -> Site:
    """The linked site with its spend figures: every year, month, stream and priority summed."""
    with timing.stage("spend derive"):
        site.spend = derive_spend(site, (site.spend.records_from, site.spend.records_to))
    return site
