"""The Atom feed of funding opportunities: an entry per opportunity, updated when its status or dates change.

Every date in the feed comes from the data (`derive.opportunity.last_changed`), never from the build clock,
so a feed reader sees an entry as changed only when something a bidder cares about has changed.
"""

from __future__ import annotations

from datetime import datetime, timezone
from urllib.parse import urlsplit

from feedgenerator import Atom1Feed
from markupsafe import escape

from ..derive.opportunity import lastmod, newest_change
from ..load.fields import start_of, utc
from ..open_data.files import OutputFile
from ..render.filters import money

FEED_PATH = "feeds/opportunities.atom.xml"


class OpportunityFeed(Atom1Feed):
    """Atom1Feed whose own `updated` is given, not the clock's now when there are no entries."""

    def __init__(self, *args, updated: datetime, **kwargs):
        super().__init__(*args, **kwargs)
        self.updated = updated

    def latest_post_date(self) -> datetime:
        return self.updated


def tag_uri(host: str, specific: str) -> str:
    """A permanent id (RFC 4151) that survives the site moving to another address."""
    return f"tag:{host},2024:{specific}"


def entry_html(item) -> str:
    """The entry's summary as HTML: where it stands, then the opportunity's own summary, all escaped."""
    return (
        f"<p>{escape(item.dates_line)}</p>"
        f"<p>{escape(item.summary)}</p>"
        f"<p>{escape(item.type_label)} from the {escape(item.stream.title)}; "
        f"funding envelope {escape(money(item.funding_envelope))}.</p>"
    )


def fallback_updated(site) -> datetime:
    """An empty feed still needs an `updated`: the newest award date, else a fixed point."""
    newest = max((a.award_date for a in site.awards), default=None)
    return start_of(newest) if newest else datetime(1970, 1, 1, tzinfo=timezone.utc)


def build_feed(site) -> bytes:
    funder = site.funder
    site_url = site.settings.site_url
    host = urlsplit(funder.website).hostname or "localhost"
    items = sorted(site.opportunities, key=lambda o: (utc(o.updated), o.id), reverse=True)
    newest = newest_change(items, site.now)
    feed = OpportunityFeed(
        title=f"Funding opportunities from {funder.name}",
        link=f"{site_url}/opportunities/",
        description=f"Grants and contracts {funder.display_name} is offering, with their status and closing dates.",
        language="en-GB",
        author_name=funder.name,
        author_link=funder.website,
        feed_url=f"{site_url}/{FEED_PATH}",
        feed_guid=tag_uri(host, "opportunities"),
        feed_copyright=f"Open Government Licence v3.0: {funder.licence}",
        updated=utc(newest or fallback_updated(site)),
    )
    for item in items:
        feed.add_item(
            title=f"{item.title} ({item.status_label})",
            link=f"{site_url}/{item.url}",
            description=entry_html(item),
            unique_id=tag_uri(host, f"opportunity/{item.id}"),
            updateddate=utc(item.updated),
            categories=[item.type_label, item.stream.title, *(p.title for p in item.priority_views)],
        )
    return feed.writeString("utf-8").encode("utf-8")


def files(site, files_so_far) -> list[OutputFile]:
    """The Atom feed of every opportunity."""
    return [OutputFile(FEED_PATH, build_feed(site), lastmod(site.opportunities, site.now))]
