"""Funding opportunities' pages: the index, one page per opportunity, the archive and a page for
each value of each filter, so filtering works without JavaScript.

What an opportunity says about itself (status, timeline, documents) is made once, in
derive/opportunity.py; these pages, the feed, the calendars and the downloads all read it there.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..derive.opportunity import OpportunityView, lastmod
from ..load import codes
from ..load.fields import months_before, utc
from ..render.page import Page
from .calendars import CALENDAR_PATH
from .feed import FEED_PATH


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


def filters(site, items: list[OpportunityView]) -> list[dict]:
    """Each way to filter the index, with a page per value that has any opportunities."""
    groups = [
        ("stream", "Funding stream", [(s.code, s.title, s.url) for s in site.streams], lambda o: [o.funding_stream]),
        ("type", "Grant or contract", [(code, text, None) for code, text in codes.AWARD_TYPES.items()], lambda o: [o.award_type]),
        ("priority", "Priority", [(p.code, p.title, p.url) for p in site.priorities], lambda o: o.priorities),
    ]
    result = []
    for key, title, values, codes_of in groups:
        links = []
        for code, text, about_url in values:
            members = [o for o in items if code in codes_of(o)]
            if members:
                links.append({"key": key, "code": code, "text": text, "url": f"opportunities/{key}/{code}/",
                              "about_url": about_url, "members": members,
                              "open": sum(1 for o in members if o.is_open)})
        result.append({"key": key, "title": title, "links": links})
    return result


def pages(site, files) -> list[Page]:
    """The index, the archive, a page for each filter value and one for each opportunity."""
    items = site.opportunities
    groups = Groups.of(items)
    since = months_before(site.now, site.settings.recent_months)
    recent = [o for o in groups.closed if utc(o.closes) >= utc(since)]
    filter_groups = filters(site, items)
    common = {"nav_section": "opportunities", "feed_path": FEED_PATH, "calendar_path": CALENDAR_PATH}
    pages = [
        Page("opportunities/index.html", "opportunities/index", {
            **common, "canonical_path": "opportunities/", "groups": groups, "recent": recent,
            "recent_months": site.settings.recent_months, "filters": filter_groups, "total": len(items),
        }, lastmod=lastmod(items, site.now)),
        Page("opportunities/archive/index.html", "opportunities/archive", {
            **common, "canonical_path": "opportunities/archive/", "opportunities": items,
        }, lastmod=lastmod(items, site.now)),
    ]
    for group in filter_groups:
        for link in group["links"]:
            pages.append(Page(f"{link['url']}index.html", "opportunities/filter", {
                **common, "canonical_path": link["url"], "filter_group": group, "filter": link,
                "groups": Groups.of(link["members"]), "filters": filter_groups,
            }, lastmod=lastmod(link["members"], site.now)))
    for item in items:
        pages.append(Page(f"{item.url}index.html", "opportunities/opportunity", {
            **common, "canonical_path": item.url, "opportunity": item,
        }, lastmod=lastmod([item], site.now)))
    return pages
