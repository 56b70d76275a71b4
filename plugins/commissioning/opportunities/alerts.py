"""Alerts: an Atom feed for each funding stream, each area and each type of organisation that can apply.

A static site cannot send email, but a feed reader (or the funder's own email bulletin, which can read
a feed) tells a subscriber when a call they could bid for opens, changes or closes. Every feed is
written by the one feed writer (feed.feed_for), so they carry edits exactly as the main feed does.
A feed exists for every value, even one with nothing in it yet: subscribing is for what is to come.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..derive.opportunity import OpportunityView, lastmod
from ..load import codes
from ..open_data.files import OutputFile
from .feed import feed_for
from .finder import item_values, part_areas


@dataclass
class AlertFeed:
    key: str  # stream, area or who, as in the finder
    code: str
    text: str  # what it is about, e.g. "Charity" or "Luton"
    title: str  # the feed's own title
    members: list[OpportunityView]

    @property
    def path(self) -> str:
        return f"feeds/opportunities/{self.key}/{self.code}.atom.xml"


GROUPS = (("stream", "By funding stream"), ("area", "By area"), ("who", "By who can apply"))


def alert_feeds(site) -> list[AlertFeed]:
    """Every alert feed: each stream's, each area's, each organisation type's."""
    name = site.funder.display_name
    of = {o.id: item_values(site, o) for o in site.opportunities}

    def members(key: str, code: str) -> list[OpportunityView]:
        return [o for o in site.opportunities if code in of[o.id][key]]

    feeds = [AlertFeed("stream", s.code, s.title, f"{s.title}: funding opportunities from {name}",
                       members("stream", s.code)) for s in site.streams]
    feeds += [AlertFeed("area", a.code, a.name, f"Funding opportunities in {a.name} from {name}",
                        members("area", a.code)) for a in part_areas(site)]
    feeds += [AlertFeed("who", code, text, f"Funding opportunities open to a {text.lower()} from {name}",
                        members("who", code)) for code, text in codes.ORGANISATION_TYPES.items()]
    return feeds


def grouped(feeds: list[AlertFeed]) -> list[dict]:
    """The feeds as the alerts page lists them, a heading for each kind."""
    return [{"key": key, "title": title, "feeds": [f for f in feeds if f.key == key]}
            for key, title in GROUPS if any(f.key == key for f in feeds)]


def files(site, files_so_far) -> list[OutputFile]:
    """Every alert feed."""
    return [OutputFile(f.path, feed_for(site, f.members, f.title, f.path), lastmod(f.members, site.now))
            for f in alert_feeds(site)]
