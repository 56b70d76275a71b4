"""The funding register: funded services, providers, funding streams and priorities, and its downloads.

/funded-services/ lists every award, current ones first. Filtering works without JavaScript: each
value of each filter (a stream, a priority, grant or contract, a route, an organisation type) has a
page of its own at /funded-services/<filter>/<value>/, built here.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, Callable

from markupsafe import Markup

from .derive import ORGANISATION_TYPE_LABELS, ROUTE_LABELS
from .downloads import Column, Download, csv_bytes, file_source, model_columns
from .filters import money, plural
from .models import UNCOMPETED_ROUTES, Award, Provider
from .pages import Page, newest, page_source

ROWS_PER_PAGE = 500  # a register of thousands of awards is split into pages of this many
SECTIONS = {"current": "Current services", "future": "Not yet started", "previous": "Previous services"}
AWARD_TYPE_LABELS = {"grant": "Grants", "contract": "Contracts"}
SECTION = "funded-services"
STATUS_COLOURS = {"current": "green", "future": "blue", "previous": "grey"}


# --- when things last changed -------------------------------------------------------------------


class Changed:
    """The day each award's and provider's page last changed, from the data: never the build clock."""

    def __init__(self, site):
        self.today = site.today
        self._awards: dict[str, date] = {}
        self.award_paid: dict[str, date] = {}
        self.provider_paid: dict[str, date] = {}
        for payments in site.dataset.payments.values():
            for payment in payments:
                if payment.date > self.today:
                    continue
                if payment.award_id:
                    self.award_paid[payment.award_id] = max(payment.date, self.award_paid.get(payment.award_id, payment.date))
                self.provider_paid[payment.provider_id] = max(payment.date, self.provider_paid.get(payment.provider_id, payment.date))
        self.everything = newest([*(self.award(a) for a in site.awards), *self.provider_paid.values()]) or self.today

    def _past(self, days) -> date | None:
        return newest(d for d in days if d is not None and d <= self.today)

    def award(self, award) -> date:
        if award.id not in self._awards:
            # Its status changes the day it starts and the day after it ends; a renewal adds a line.
            days = [award.award_date, award.start_date, award.end_date + timedelta(days=1), self.award_paid.get(award.id)]
            days += [other.award_date for other in award.extended_by]
            self._awards[award.id] = self._past(days) or min(award.award_date, self.today)
        return self._awards[award.id]

    def awards(self, awards) -> date:
        return newest(self.award(a) for a in awards) or self.everything

    def records(self, awards) -> date:
        """The day a list of award records (not their payments) last changed, status included."""
        days = (self._past([a.award_date, a.start_date, a.end_date + timedelta(days=1)]) for a in awards)
        return newest(days) or self.everything

    def provider(self, provider) -> date:
        return newest([*(self.award(a) for a in provider.awards), self.provider_paid.get(provider.id)]) or self.everything


# --- figures --------------------------------------------------------------------------------------


def ordered(awards: list) -> list:
    """Current services first, then those not yet started, then previous ones; newest first in each."""
    order = list(SECTIONS)
    return sorted(awards, key=lambda a: order.index(a.status))  # stable: keeps derive's newest-first order


def total(awards) -> Decimal:
    return sum((a.amount_awarded for a in awards), Decimal(0))


def by_year(awards) -> list[dict]:
    """Awards made in each financial year: how many and how much, earliest year first."""
    years: dict[str, list] = defaultdict(list)
    for award in awards:
        years[award.financial_year].append(award)
    return [{"year": year, "count": len(made), "amount": total(made)} for year, made in sorted(years.items())]


def key_facts(awards) -> list[dict]:
    current = [a for a in awards if a.status == "current"]
    yearly = sum((a.yearly_equivalent for a in current), Decimal(0))
    return [
        {"label": "Current services", "value": f"{len(current):,}"},
        {"label": "Awarded to current services", "value": money(total(current)), "note": f"about {money(yearly, pence=False)} a year"},
        {"label": "All services", "value": f"{len(awards):,}", "note": f"{money(total(awards))} awarded in all"},
    ]


def sections(awards) -> list[dict]:
    """The awards grouped under the register's headings, in order, leaving out empty groups."""
    groups: dict[str, list] = defaultdict(list)
    for award in awards:
        groups[award.status].append(award)
    return [{"key": key, "heading": heading, "awards": groups[key], "total": total(groups[key])}
            for key, heading in SECTIONS.items() if groups[key]]


# --- filters ------------------------------------------------------------------------------------


@dataclass(eq=False)
class Filter:
    """One value of one way to filter the register, with the awards it keeps."""

    dimension: str  # in the address: "stream"
    label: str  # "Funding stream"
    value: str  # "moj-victims"
    text: str  # "Ministry of Justice victims funding"
    awards: list
    phrase: str  # completes "Showing 12 services ...": "funded from Ministry of Justice victims funding"
    about: Any = None  # the stream or priority whose own page says more

    @property
    def url(self) -> str:
        return f"{SECTION}/{self.dimension}/{self.value}/"


def register_filters(site) -> list[tuple[str, str, list[Filter]]]:
    """Every filter that keeps at least one award, by dimension, in the order the filter panel shows them."""
    labelled = lambda labels: [(value, text, None) for value, text in labels.items()]  # noqa: E731
    dimensions: list[tuple[str, str, str, list, Callable]] = [
        ("stream", "Funding stream", "funded from {}", [(s.code, s.title, s) for s in site.streams],
         lambda a: [a.funding_stream]),
        ("priority", "Priority", "that serve the priority {}", [(p.code, p.title, p) for p in site.priorities],
         lambda a: a.priorities),
        ("type", "Grant or contract", "awarded as {}", labelled(AWARD_TYPE_LABELS), lambda a: [a.award_type]),
        ("route", "How it was awarded", "awarded by {}", labelled(ROUTE_LABELS), lambda a: [a.route]),
        ("organisation-type", "Organisation type", "whose provider is of the type {}", labelled(ORGANISATION_TYPE_LABELS),
         lambda a: [a.provider.organisation_type]),
    ]
    result = []
    for dimension, label, phrase, values, keys_of in dimensions:
        kept: dict[str, list] = defaultdict(list)
        for award in site.awards:
            for key in dict.fromkeys(keys_of(award)):
                kept[key].append(award)
        filters = [Filter(dimension, label, value, text, ordered(kept[value]),
                          phrase.format(text if about else text.lower()), about)
                   for value, text, about in values if kept[value]]
        result.append((dimension, label, filters))
    return result


def filter_panel(dimensions, chosen: Filter | None) -> list[dict]:
    """The filter links, with the chosen one marked and its group open."""
    return [{
        "label": label,
        "open": chosen is not None and chosen.dimension == dimension,
        "options": [{"text": f.text, "url": f.url, "count": len(f.awards), "current": f is chosen} for f in filters],
    } for dimension, label, filters in dimensions]


def listing_pages(base: str, awards: list, variables: dict, lastmod: date) -> list[Page]:
    """A register listing, split into pages of ROWS_PER_PAGE: base/, base/page/2/, ..."""
    chunks = [awards[i:i + ROWS_PER_PAGE] for i in range(0, len(awards), ROWS_PER_PAGE)] or [[]]
    urls = [base if n == 1 else f"{base}page/{n}/" for n in range(1, len(chunks) + 1)]
    facts = key_facts(awards)
    pages = []
    for index, chunk in enumerate(chunks):
        pagination = None
        if len(chunks) > 1:
            pagination = {
                "previous": urls[index - 1] if index > 0 else None,
                "next": urls[index + 1] if index + 1 < len(urls) else None,
                "pages": [{"number": n + 1, "url": url, "current": n == index} for n, url in enumerate(urls)],
                "label": f"page {index + 1} of {len(chunks)}",
            }
        pages.append(Page(urls[index] + "index.html", "funded_services", {
            **variables, "sections": sections(chunk), "facts": facts, "count": len(awards),
            "show_stream": variables["chosen"] is None or variables["chosen"].dimension != "stream",
            "pagination": pagination, "canonical_path": urls[index], "nav_section": SECTION,
            "searchable": variables["chosen"] is None and index == 0,
        }, lastmod=lastmod))
    return pages


# --- pages --------------------------------------------------------------------------------------


@page_source
def register_pages(site) -> list[Page]:
    changed = Changed(site)
    dimensions = register_filters(site)
    pages = listing_pages(f"{SECTION}/", ordered(site.awards),
                          {"chosen": None, "panel": filter_panel(dimensions, None)}, changed.awards(site.awards))
    for _, _, filters in dimensions:
        for chosen in filters:
            pages += listing_pages(chosen.url, chosen.awards,
                                   {"chosen": chosen, "panel": filter_panel(dimensions, chosen)}, changed.awards(chosen.awards))
    pages += [award_page(award, changed) for award in site.awards]
    pages += provider_pages(site, changed)
    pages += area_pages(site, changed, dimensions)
    return pages


def award_page(award, changed: Changed) -> Page:
    chain = award.chain
    paid = award.paid_to_date
    payments = {
        "paid": paid,
        "share": f"{paid * 100 / award.amount_awarded:.0f}%" if award.amount_awarded else None,
        "by_year": award.paid_by_year,
        "any": bool(paid or award.paid_by_year),
    }
    return Page(f"{award.url}index.html", "award", {
        "award": award,
        "chain": chain if len(chain) > 1 else [],
        "uncompeted": award.route in UNCOMPETED_ROUTES,
        "status_colour": STATUS_COLOURS[award.status],
        "payments": payments,
        "canonical_path": award.url,
        "nav_section": SECTION,
    }, lastmod=changed.award(award))


def about_rows(provider) -> list[dict]:
    """The provider's type, identifiers (each linked to the register that issued it), place and website."""
    rows = [{"key": "Organisation type", "value": provider.type_label},
            {"key": "Organisation identifier", "value": provider.id}]
    if provider.charity_register_url:
        number = provider.charity_number or provider.id.removeprefix("GB-CHC-")
        rows.append({"key": "Registered charity number", "href": provider.charity_register_url,
                     "value": Markup('{}<span class="govuk-visually-hidden"> on the Charity Commission register</span>').format(number)})
    if provider.company_register_url:
        number = provider.company_number or provider.id.removeprefix("GB-COH-")
        rows.append({"key": "Company number", "href": provider.company_register_url,
                     "value": Markup('{}<span class="govuk-visually-hidden"> at Companies House</span>').format(number)})
    if provider.locality:
        rows.append({"key": "Based in", "value": provider.locality})
    if provider.website:
        rows.append({"key": "Website", "value": provider.website, "href": provider.website})
    return rows


def provider_pages(site, changed: Changed) -> list[Page]:
    pages = []
    for provider in site.providers:
        facts = [
            {"label": "Current services", "value": f"{len(provider.current_awards):,}"},
            {"label": "Total awarded", "value": money(provider.total_awarded), "note": plural(len(provider.awards), "award")},
            {"label": "Paid to date", "value": money(provider.total_paid)},
        ]
        pages.append(Page(f"{provider.url}index.html", "provider", {
            "provider": provider,
            "about": about_rows(provider),
            "sections": sections(ordered(provider.awards)),
            "facts": facts,
            "canonical_path": provider.url,
            "nav_section": SECTION,
        }, lastmod=changed.provider(provider)))
    pages.append(Page("providers/index.html", "providers", {
        "providers": site.providers,
        "canonical_path": "providers/",
        "nav_section": SECTION,
    }, lastmod=newest(changed.provider(p) for p in site.providers) or changed.everything))
    return pages


def area_pages(site, changed: Changed, dimensions) -> list[Page]:
    """A page for each funding stream and each priority, and an index of each."""
    filter_of = {(f.dimension, f.value): f for _, _, filters in dimensions for f in filters}
    pages = []
    kinds = (
        ("stream", "Funding stream", {"text": "Funding streams", "path": "funding-streams/"}, site.streams),
        ("priority", "Priority", {"text": "Priorities", "path": "priorities/"}, site.priorities),
    )
    for dimension, label, index, views in kinds:
        for view in views:
            current = ordered(view.current_awards)
            chosen = filter_of.get((dimension, view.code))
            pages.append(Page(f"{view.url}index.html", "area", {
                "area": view,
                "kind": label,
                "index": index,
                "source": getattr(view.model, "source", None),
                "show_stream": dimension != "stream",
                "current": current,
                "current_total": total(current),
                "facts": key_facts(view.awards),
                "by_year": by_year(view.awards),
                "listing": chosen,
                "canonical_path": view.url,
                "nav_section": SECTION,
            }, lastmod=changed.awards(view.awards)))
    for template, path, views in (("streams", "funding-streams/", site.streams), ("priorities", "priorities/", site.priorities)):
        summaries = [{"view": v, "current": len(v.current_awards), "current_total": total(v.current_awards)} for v in views]
        pages.append(Page(f"{path}index.html", template, {
            "areas": summaries,
            "canonical_path": path,
            "nav_section": SECTION,
        }, lastmod=changed.awards([a for v in views for a in v.awards])))
    return pages


# --- downloads ----------------------------------------------------------------------------------

REGISTER_COLUMNS = [
    *model_columns(Award, ["id", "title", "description", "provider_id"]),
    Column("provider_name", "string", "The provider's name", required=True),
    Column("organisation_type", "string", "The provider's type: " + ", ".join(ORGANISATION_TYPE_LABELS), required=True),
    *model_columns(Award, [
        "funding_stream", "priorities", "award_type", "route", "amount_awarded", "award_date", "start_date",
        "end_date", "opportunity_id", "co_commissioners", "justification", "contract_document", "extends",
    ], overrides={
        "priorities": "priority codes from funder.yaml, separated by ;",
        "co_commissioners": "partner names, separated by ;",
    }),
    Column("status", "string", "current (in its term on the day the data was published), previous (ended) or future (not yet started)", required=True),
    Column("grant_id", "string", "For a grant, its identifier in 360giving.json; empty for a contract"),
]
PROVIDER_COLUMNS = model_columns(Provider)
# The Local Government Transparency Code 2015's contract fields (part 2, "contracts").
CONTRACT_COLUMNS = [
    Column("reference", "string", "Our reference for the contract: the id in funding-register.csv", required=True),
    Column("title", "string", "Title of the agreement", required=True),
    Column("description", "string", "Description of the services provided", required=True),
    Column("buyer", "string", "Who let the contract", required=True),
    Column("supplier_name", "string", "The supplier's name", required=True),
    Column("supplier_id", "string", "The supplier's organisation identifier (org-id): the id in providers.csv", required=True),
    Column("supplier_company_number", "string", "The supplier's number at Companies House"),
    Column("supplier_charity_number", "string", "The supplier's number with the Charity Commission"),
    Column("supplier_organisation_type", "string", "One of: " + ", ".join(ORGANISATION_TYPE_LABELS), required=True),
    Column("vcse", "boolean", "yes if the supplier is a voluntary, community or social enterprise organisation", required=True),
    Column("value", "number", "Sum to be paid over the length of the contract, in pounds", required=True),
    Column("annual_value", "number", "The value spread over a year of the contract, in pounds", required=True),
    Column("award_date", "date", "Date the contract was awarded", required=True),
    Column("start_date", "date", "Start date", required=True),
    Column("end_date", "date", "End date", required=True),
    Column("route", "string", "How it was awarded: " + ", ".join(ROUTE_LABELS), required=True),
    Column("invitation_to_tender", "boolean", "yes if it followed a published invitation to tender or an invitation to quote; no for a direct award or single tender action", required=True),
    Column("justification", "string", "Why there was no competition, where there was none"),
    Column("co_commissioners", "string", "Partners who commission it with us, separated by ;"),
    Column("contract_document", "string", "Web address of the published contract"),
]
PROVIDER_KEY = {"fields": ["provider_id"], "reference": {"resource": "providers", "fields": ["id"]}}


def register_row(award) -> dict:
    provider = award.provider
    row = {column.name: getattr(award.model, column.name, None) for column in REGISTER_COLUMNS}
    row.update(provider_name=provider.name, organisation_type=provider.organisation_type, status=award.status,
               grant_id=award.grant_id if award.award_type == "grant" else None)
    return row


def contract_row(award, funder) -> dict:
    supplier = award.provider
    return {
        "reference": award.id, "title": award.title, "description": award.description, "buyer": funder.name,
        "supplier_name": supplier.name, "supplier_id": supplier.id,
        "supplier_company_number": supplier.company_number, "supplier_charity_number": supplier.charity_number,
        "supplier_organisation_type": supplier.organisation_type, "vcse": supplier.is_vcse,
        "value": award.amount_awarded, "annual_value": award.yearly_equivalent, "award_date": award.award_date,
        "start_date": award.start_date, "end_date": award.end_date, "route": award.route,
        "invitation_to_tender": award.competed, "justification": award.justification,
        "co_commissioners": award.co_commissioners, "contract_document": award.contract_document,
    }


@file_source
def register_downloads(site, files_so_far) -> list[Download]:
    changed = Changed(site)
    awards = sorted(site.awards, key=lambda a: a.id)
    contracts = [a for a in awards if a.award_type == "contract"]
    register, count = csv_bytes(REGISTER_COLUMNS, (register_row(a) for a in awards))
    providers, provider_count = csv_bytes(PROVIDER_COLUMNS, (p.model.model_dump() for p in site.providers))
    contract_file, contract_count = csv_bytes(CONTRACT_COLUMNS, (contract_row(a, site.funder) for a in contracts))
    return [
        Download("data/funding-register.csv", register, changed.records(awards), title="Funding register",
                 description="Every grant and contract awarded: what it pays for, the provider, the funding stream, "
                             "how it was awarded, the amount and the term, with its status today.",
                 rows=count, columns=REGISTER_COLUMNS, primary_key=["id"],
                 foreign_keys=[PROVIDER_KEY,
                               {"fields": ["extends"], "reference": {"resource": "", "fields": ["id"]}},
                               {"fields": ["opportunity_id"], "reference": {"resource": "opportunities", "fields": ["id"]}}]),
        Download("data/providers.csv", providers, changed.records(awards),
                 title="Providers",
                 description="Every organisation that holds or has held funding, with its charity and company "
                             "numbers and which provider expectations it has confirmed.",
                 rows=provider_count, columns=PROVIDER_COLUMNS, primary_key=["id"]),
        Download("data/contracts.csv", contract_file, changed.records(contracts), title="Contracts",
                 description="Every contract (not grants), in the shape the Local Government Transparency Code "
                             "asks for: supplier, value, dates, and whether it followed an invitation to tender.",
                 rows=contract_count, columns=CONTRACT_COLUMNS, primary_key=["reference"],
                 foreign_keys=[{"fields": ["reference"], "reference": {"resource": "funding-register", "fields": ["id"]}},
                               {"fields": ["supplier_id"], "reference": {"resource": "providers", "fields": ["id"]}}]),
    ]
