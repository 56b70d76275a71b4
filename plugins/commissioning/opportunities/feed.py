"""The Atom feeds of funding opportunities: an entry per opportunity, updated when its status changes
or staff record an update (its `updates`), so a subscriber sees an edit such as a moved closing date.

Every date in a feed comes from the data (`OpportunityView.stamp`), never after the build: an entry
changes only when something a bidder cares about has changed. The one feed writer, `feed_for`,
writes the feed of every opportunity and the alert feeds of a stream, an area or a type of applicant.
"""

from __future__ import annotations

from datetime import datetime, timezone
from urllib.parse import urlsplit

from feedgenerator import Atom1Feed
from markupsafe import escape

from ..derive.opportunity import lastmod, newest_stamp
from ..load.fields import start_of, utc
from ..open_data.files import OutputFile
from ..render.filters import money, uk_datetime

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
    """The entry's summary as HTML: where it stands, what changed, then the opportunity's own summary, all escaped."""
    changes = "".join(f"<li>{escape(uk_datetime(u.date))}: {escape(u.change)}</li>" for u in item.updates_so_far)
    return (
        f"<p>{escape(item.dates_line)}</p>"
        + (f"<p>What has changed, newest first:</p><ul>{changes}</ul>" if changes else "")
        + f"<p>{escape(item.summary)}</p>"
        f"<p>{escape(item.type_label)} from the {escape(item.stream.title)}; "
        f"funding envelope {escape(money(item.funding_envelope))}.</p>"
    )


def fallback_updated(site) -> datetime:
    """An empty feed still needs an `updated`: the newest award date up to the build, else a fixed point."""
    newest = max((a.award_date for a in site.awards if a.award_date <= site.now.date()), default=None)
    return start_of(newest) if newest else datetime(1970, 1, 1, tzinfo=timezone.utc)


def build_feed(site) -> bytes:
    return feed_for(site, site.opportunities, f"Funding opportunities from {site.funder.name}", FEED_PATH)


def feed_for(site, opportunities, title: str, path: str) -> bytes:
    """An Atom feed of some opportunities (all of them, or one stream's, area's ...), published at `path`."""
    funder = site.funder
    site_url = site.settings.site_url
    host = urlsplit(funder.website).hostname or "localhost"
    items = sorted(opportunities, key=lambda o: (utc(o.stamp), o.id), reverse=True)
    newest = newest_stamp(items)
    feed = OpportunityFeed(
        title=title,
        link=f"{site_url}/opportunities/",
        description=f"Grants and contracts {funder.display_name} is offering, with their status and closing dates.",
        language="en-GB",
        author_name=funder.name,
        author_link=funder.website,
        feed_url=f"{site_url}/{path}",
        # feeds/opportunities.atom.xml keeps the id it always had: "opportunities".
        feed_guid=tag_uri(host, path.removeprefix("feeds/").removesuffix(".atom.xml")),
        feed_copyright=f"Open Government Licence v3.0: {funder.licence}",
        updated=utc(newest or fallback_updated(site)),
    )
    for item in items:
        feed.add_item(
            title=f"{item.title} ({item.status_label})",
            link=f"{site_url}/{item.url}",
            description=entry_html(item),
            unique_id=tag_uri(host, f"opportunity/{item.id}"),
            pubdate=utc(min(item.published, item.stamp, key=utc)),
            updateddate=utc(item.stamp),
            categories=[item.type_label, item.stream.title, *(p.title for p in item.priority_views)],
        )
    return feed.writeString("utf-8").encode("utf-8")


def files(site, files_so_far) -> list[OutputFile]:
    """The Atom feed of every opportunity."""
    return [OutputFile(FEED_PATH, build_feed(site), lastmod(site.opportunities, site.now))]
