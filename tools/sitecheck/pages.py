"""Which pages stand for each template type of a built site.

The accessibility check loads one page of every template type. A type is given as
a name and a path relative to the site folder; ``*`` matches one folder name, and
the first match in sorted order is taken. A type with no page is itself a finding:
the build has lost a template.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable, NamedTuple

from .core import Finding

CHECK = "pages"


class PageType(NamedTuple):
    name: str  # used in messages and screenshot file names: home-375.png
    pattern: str  # relative to the site folder; "*" matches one folder name


class Page(NamedTuple):
    type: str
    path: str  # relative to the site folder, "/" separators: "opportunities/opp-1/index.html"

    @property
    def url_path(self) -> str:
        """The URL path the page is served at: "/opportunities/opp-1/" or "/404.html"."""
        if self.path == "index.html":
            return "/"
        if self.path.endswith("/index.html"):
            return "/" + self.path[: -len("index.html")]
        return "/" + self.path


#: One page of every template the site has.
TEMPLATE_PAGES: tuple[PageType, ...] = (
    PageType("home", "index.html"),
    PageType("opportunity-index", "opportunities/index.html"),
    PageType("opportunity-archive", "opportunities/archive/index.html"),
    PageType("opportunity-filter", "opportunities/who/*/index.html"),  # with the pairs it narrows to
    PageType("opportunity-pair", "opportunities/*/*/*/*/index.html"),
    PageType("opportunity-alerts", "opportunities/alerts/index.html"),
    PageType("opportunity", "opportunities/*/index.html"),
    PageType("register", "funded-services/index.html"),
    PageType("award", "funded-services/*/index.html"),
    PageType("provider", "providers/*/index.html"),
    PageType("stream", "funding-streams/*/index.html"),
    PageType("priority", "priorities/*/index.html"),
    PageType("spend", "spend/index.html"),
    PageType("spend-year", "spend/*/index.html"),
    PageType("spend-payments", "spend/*/payments/index.html"),
    PageType("spend-month", "spend/*/payments/*/index.html"),
    PageType("forward-plan", "forward-plan/index.html"),
    PageType("spend-over-500", "spend-over-500/index.html"),
    PageType("spend-over-500-year", "spend-over-500/*/index.html"),
    PageType("spend-over-500-month", "spend-over-500/*/*/index.html"),
    PageType("payments-compliance", "payments-compliance/index.html"),
    PageType("duties", "duties/index.html"),
    PageType("data", "data/index.html"),
    PageType("search", "search/index.html"),
    PageType("content", "about/index.html"),
    PageType("404", "404.html"),
)


def select_pages(
    site: Path, types: Iterable[PageType | tuple[str, str]] = TEMPLATE_PAGES
) -> tuple[list[Page], list[Finding]]:
    """The page of each type in ``site``, and a finding for each type with no page."""
    site = Path(site)
    pages: list[Page] = []
    findings: list[Finding] = []
    types = list(types)
    # A page named by a type of its own is not also the example of a wider pattern.
    named = {pattern for _, pattern in types if "*" not in pattern}
    for name, pattern in types:
        if "*" in pattern:
            matches = sorted(p for p in site.glob(pattern)
                             if p.is_file() and p.relative_to(site).as_posix() not in named)
            match = matches[0].relative_to(site).as_posix() if matches else None
        else:
            match = pattern if (site / pattern).is_file() else None
        if match is None:
            findings.append(
                Finding(
                    page=pattern,
                    line=None,
                    check=CHECK,
                    what=f"no page of template type '{name}': nothing matches {pattern}",
                )
            )
        else:
            pages.append(Page(name, match))
    return pages, findings
