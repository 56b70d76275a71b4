"""Funded services' pages: the register of every award (current ones first) with a page for each
value of each facet, so filtering works without JavaScript; a page per award, per provider, per
funding stream and per priority.
"""

from __future__ import annotations

from datetime import date

from markupsafe import Markup

from ..load.codes import UNCOMPETED_ROUTES
from ..render.filters import money, plural, uk_date
from ..render.page import Page, newest
from ..render.pagination import chunks
from ..outcomes.pages import area_variables, award_variables, provider_variables
from .changed import Changed
from .facets import Filter, filter_panel, register_filters
from .figures import by_year, key_facts, ordered, sections, total

# The rows of a register page: None means the COMMISSIONING_PAGE_SIZE setting (a test sets a smaller number).
ROWS_PER_PAGE: int | None = None
SECTION = "funded-services"
STATUS_COLOURS = {"current": "green", "future": "blue", "previous": "grey"}
NOTHING_PAID = "None yet"  # the one phrase, on every page, for an award or provider not paid anything so far
# What a listing's "Awarded as" column shows: on a page of one type (or one route) every row would
# repeat it, so the column keeps only the other, as a stream's page drops its stream column.
AWARDED_AS = {"type": ("route",), "route": ("type",)}


def listing_pages(base: str, awards: list, variables: dict, lastmod: date, size: int) -> list[Page]:
    """A register listing, split into pages of size rows: base/, base/page/2/, ..."""
    facts = key_facts(awards)
    dimension = variables["chosen"].dimension if variables["chosen"] else None
    pages = []
    for chunk in chunks(base, awards, ROWS_PER_PAGE or size):
        pages.append(Page(chunk.url + "index.html", "funded_services/index", {
            **variables, "sections": sections(chunk.rows), "facts": facts, "count": len(awards),
            "show_stream": dimension != "stream", "awarded_as": AWARDED_AS.get(dimension, ("type", "route")),
            "pagination": chunk.pagination, "canonical_path": chunk.url, "nav_section": SECTION,
            # Only the first page of the whole register goes in the search index: the rest repeat it.
            "searchable": variables["chosen"] is None and chunk.number == 1,
        }, lastmod=lastmod))
    return pages


def pages(site, files) -> list[Page]:
    """The register and its facet pages, a page per funded service and per provider, streams and priorities."""
    changed = Changed.of(site)
    dimensions = register_filters(site)
    size = site.settings.page_size
    pages = listing_pages(f"{SECTION}/", ordered(site.awards),
                          {"chosen": None, "panel": filter_panel(dimensions, None)}, changed.awards(site.awards), size)
    for _, _, filters in dimensions:
        for chosen in filters:
            pages += listing_pages(chosen.url, chosen.awards, {"chosen": chosen, "panel": filter_panel(dimensions, chosen)},
                                   changed.awards(chosen.awards), size)
    pages += [award_page(award, changed, site.spend, award_variables(site, award)) for award in site.awards]
    pages += provider_pages(site, changed)
    pages += area_pages(site, changed, dimensions)
    return pages


def payments_of(award, spend) -> dict:
    """What the award page can truly say about its payments, given where the payment records start and end."""
    paid = award.paid_to_date
    start = spend.records_from
    return {
        "paid": paid,
        "share": f"{paid * 100 / award.amount_awarded:.0f}%" if award.amount_awarded else None,
        "by_year": award.paid_by_year,
        "any": bool(paid or award.paid_by_year),
        # The award ended before the first payments file: its payments are not here, not "none".
        "before_records": start is not None and award.end_date < start,
        # It started before them: what is here may not be all that was paid.
        "partly_before": start is not None and award.start_date < start,
        "records_from": start,
        "records_to": spend.records_to,
        "over": paid - award.amount_awarded if paid > award.amount_awarded else None,
        "fact": paid_fact(award, spend),
    }


def paid_fact(award, spend) -> dict:
    """The "Paid to date" key fact: never "None yet" for an award whose payments are not held here."""
    paid, start, end = award.paid_to_date, spend.records_from, spend.records_to
    to = f"to {uk_date(end)}" if end else ""
    if not (paid or award.paid_by_year):
        if start is not None and award.end_date < start:
            return {"label": "Paid to date", "value": "Not published here",
                    "note": f"payments before {uk_date(start)} are not published here"}
        return {"label": "Paid to date", "value": NOTHING_PAID, "note": f"payments {to}" if to else None}
    if start is not None and award.start_date < start and end:
        to = f"from {uk_date(start)} to {uk_date(end)}"
    share = f"{paid * 100 / award.amount_awarded:.0f}% of the amount awarded" if award.amount_awarded else ""
    return {"label": "Paid to date", "value": money(paid, pence=False), "note": ", ".join(p for p in (share, to) if p) or None}


def award_page(award, changed: Changed, spend, outcomes: dict | None = None) -> Page:
    chain = award.chain
    payments = payments_of(award, spend)
    return Page(f"{award.url}index.html", "funded_services/award", {
        "award": award,
        "chain": chain if len(chain) > 1 else [],
        "uncompeted": award.route in UNCOMPETED_ROUTES,
        "status_colour": STATUS_COLOURS[award.status],
        "payments": payments,
        "outcomes": outcomes,
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


def record_pages(site, files, wanted: set[str]) -> list[Page]:
    """Only the pages of the awards and providers written at these paths (save_as), as pages() makes
    them: the live preview writes an edited record's page before the section's other 12,000."""
    changed = Changed.of(site)
    return ([award_page(award, changed, site.spend, award_variables(site, award))
             for award in site.awards if f"{award.url}index.html" in wanted]
            + [provider_page(site, provider, changed) for provider in site.providers if f"{provider.url}index.html" in wanted])


def provider_page(site, provider, changed: Changed) -> Page:
    facts = [
        {"label": "Current services", "value": f"{len(provider.current_awards):,}"},
        {"label": "Total awarded", "value": money(provider.total_awarded, pence=False), "note": plural(len(provider.awards), "award")},
        {"label": "Paid to date", "value": money(provider.total_paid, pence=False) if provider.total_paid else NOTHING_PAID,
         "note": f"to {uk_date(site.spend.records_to)}" if site.spend.records_to else None},
    ]
    return Page(f"{provider.url}index.html", "funded_services/provider", {
        "provider": provider,
        "about": about_rows(provider),
        "sections": sections(ordered(provider.awards)),
        "facts": facts,
        "outcomes": provider_variables(site, provider),
        "canonical_path": provider.url,
        "nav_section": SECTION,
    }, lastmod=changed.provider(provider))


def provider_pages(site, changed: Changed) -> list[Page]:
    pages = [provider_page(site, provider, changed) for provider in site.providers]
    lastmod = newest(changed.provider(p) for p in site.providers) or changed.everything
    for chunk in chunks("providers/", site.providers, ROWS_PER_PAGE or site.settings.page_size):
        pages.append(Page(f"{chunk.url}index.html", "funded_services/providers", {
            "providers": chunk.rows,
            "count": len(site.providers),
            "pagination": chunk.pagination,
            "searchable": chunk.number == 1,
            "canonical_path": chunk.url,
            "nav_section": SECTION,
        }, lastmod=lastmod))
    return pages


def open_opportunities(view) -> list:
    """The stream's or priority's opportunities open for bids now, the one closing first at the top."""
    return sorted((o for o in view.opportunities if o.is_open), key=lambda o: (o.closes, o.title))


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
            size = site.settings.page_size
            pages.append(Page(f"{view.url}index.html", "funded_services/area", {
                "area": view,
                "kind": label,
                "index": index,
                "source": getattr(view.model, "source", None),
                "show_stream": dimension != "stream",
                # The first page's worth of what is funded now; the register's filter page lists them all, in pages.
                "current": current[:size],
                "current_count": len(current),
                "current_total": total(current),
                "facts": key_facts(view.awards),
                "by_year": by_year(view.awards),
                "listing": chosen,
                "open_opportunities": open_opportunities(view),
                "outcomes": area_variables(site, dimension, view),
                "canonical_path": view.url,
                "nav_section": SECTION,
            }, lastmod=changed.awards(view.awards)))
    for template, path, views in (("funded_services/streams", "funding-streams/", site.streams), ("funded_services/priorities", "priorities/", site.priorities)):
        summaries = [{"view": v, "current": len(v.current_awards), "current_total": total(v.current_awards)} for v in views]
        pages.append(Page(f"{path}index.html", template, {
            "areas": summaries,
            "canonical_path": path,
            "nav_section": SECTION,
        }, lastmod=changed.awards([a for v in views for a in v.awards])))
    return pages
