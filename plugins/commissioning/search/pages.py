"""The search page, /search/: instant results from the Pagefind index, with the site's lists as the
way in without JavaScript.

Pagefind (run by postprocess/search_index.py after every page is written) indexes each page whose main content
carries `data-pagefind-body`; theme/templates/macros/search.html gives each indexed page its kind,
funding streams, status and amount, which the page's filters and results show.
"""

from __future__ import annotations

from ..render.page import Page

# The kinds of page that can be searched for: (the value pages carry, the label of the filter
# option). macros/search.html writes these values; keep the two in step.
KINDS = (
    ("Opportunity", "Funding opportunities"),
    ("Funded service", "Funded services"),
    ("Provider", "Providers"),
    ("Page", "Other pages"),
)

# Without JavaScript there is no search: these lists lead to every page instead.
INDEXES = (
    ("opportunities/", "Funding opportunities", "open, upcoming and past calls for bids and tenders"),
    ("funded-services/", "Funded services", "every grant and contract awarded"),
    ("providers/", "Providers", "the organisations that hold or have held funding"),
    ("data/", "Data", "all of it as open data files to download"),
)


def pages(site, files) -> list[Page]:
    """The search page."""
    variables = {
        "canonical_path": "search/",
        "nav_section": "search",
        "kinds": [{"value": value, "label": label} for value, label in KINDS],
        "streams": [stream.title for stream in site.streams],
        "indexes": [{"href": href, "text": text, "description": about} for href, text, about in INDEXES],
        "search_index": site.settings.search_index,
    }
    # No lastmod: the page itself does not change with the data, and the build clock is not a date
    # the sitemap may use.
    return [Page("search/index.html", "search/search", variables)]
