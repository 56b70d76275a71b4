"""Funding opportunities' pages: the index (the finder), one page per opportunity, the archive, a page
for each value of each filter, so filtering works without JavaScript, and the page on getting alerts.

What an opportunity says about itself (status, timeline, documents) is made once, in
derive/opportunity.py; what the finder adds (its facets, each list item's facts) in finder.py.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..derive.opportunity import OpportunityView, lastmod
from ..load.fields import months_before, utc
from ..render.page import Page
from ..render.pagination import chunks
from . import finder
from .alerts import alert_feeds, grouped
from .calendars import CALENDAR_PATH
from .feed import FEED_PATH

ALERTS_PATH = "opportunities/alerts/"


@dataclass
class Groups:
    """Opportunities by where they stand: open (soonest closing first), upcoming, then closed."""

    open: list[OpportunityView]
    upcoming: list[OpportunityView]
    closed: list[OpportunityView]

    @classmethod
    def of(cls, items: list[OpportunityView]) -> "Groups":
        return cls(
            sorted((o for o in items if o.is_open), key=lambda o: (utc(o.closes), o.id)),
            sorted((o for o in items if o.status == "upcoming"), key=lambda o: (utc(o.opens), o.id)),
            sorted((o for o in items if not o.is_open and o.status != "upcoming"),
                   key=lambda o: (utc(o.closes), o.id), reverse=True),
        )


def pages(site, files) -> list[Page]:
    """The index, the archive, the alerts page, a page for each filter value and one for each opportunity."""
    items = site.opportunities
    groups = Groups.of(items)
    since = months_before(site.now, site.settings.recent_months)
    recent = [o for o in groups.closed if utc(o.closes) >= utc(since)]
    facets = finder.facets(site, items)
    feeds = alert_feeds(site)
    feed_of = {(f.key, f.code): f for f in feeds}
    common = {"nav_section": "opportunities", "feed_path": FEED_PATH, "calendar_path": CALENDAR_PATH,
              "alerts_path": ALERTS_PATH, "cards": finder.cards(site, items)}
    changed = lastmod(items, site.now)
    pages = [
        Page("opportunities/index.html", "opportunities/index", {
            # The latest page-size of the recently closed: the archive has every one.
            **common, "canonical_path": "opportunities/", "groups": groups, "recent": recent[:site.settings.page_size],
            "recent_more": max(len(recent) - site.settings.page_size, 0),
            "recent_months": site.settings.recent_months, "filters": facets, "total": len(items),
            "sorts": finder.SORTS,
        }, lastmod=changed),
        *(Page(f"{chunk.url}index.html", "opportunities/archive", {
            **common, "canonical_path": chunk.url, "opportunities": chunk.rows, "total": len(items),
            "pagination": chunk.pagination,
        }, lastmod=changed) for chunk in chunks("opportunities/archive/", items, site.settings.page_size)),  # latest closing first (derive)
        Page(f"{ALERTS_PATH}index.html", "opportunities/alerts", {
            **common, "canonical_path": ALERTS_PATH, "feed_groups": grouped(feeds),
            "signup_url": getattr(site.funder, "alerts_signup_url", None),
        }, lastmod=changed),
    ]
    pairs = finder.pairs(facets)
    for facet in facets:
        for link in facet.links:
            pages.append(_filter_page(site, common, facets, facet.title, link, feed_of.get((link.key, link.code)),
                                      narrower=finder.narrower(link, pairs, facets)))
    for pair in (p for p in pairs if p.own):
        pages.append(_filter_page(site, common, facets, pair.title, pair, None, wider=pair.wider))
    for item in items:
        pages.append(Page(f"{item.url}index.html", "opportunities/opportunity", {
            **common, "canonical_path": item.url, "opportunity": item,
        }, lastmod=lastmod([item], site.now)))
    return pages


def _filter_page(site, common: dict, facets: list, title: str, chosen, alert_feed, narrower=(), wider=()) -> Page:
    """The page of one value (or of a pair of values): its open and upcoming calls in full, and of the
    closed the latest page-size, then the archive; with the pairs it narrows to, or the values it widens to."""
    groups = Groups.of(chosen.members)
    return Page(f"{chosen.url}index.html", "opportunities/filter", {
        **common, "canonical_path": chosen.url, "filter_title": title, "filter": chosen,
        "groups": groups, "closed_shown": groups.closed[:site.settings.page_size], "filters": facets,
        "alert_feed": alert_feed, "narrower": narrower, "wider": wider,
    }, lastmod=lastmod(chosen.members, site.now))
