"""The forward plan's page: /forward-plan/, the awards ending in the next months with their
recommissioning intentions, and the calls still to open."""

from __future__ import annotations

from ..derive.forward_plan import forward_plan
from ..derive.opportunity import lastmod
from ..render.page import Page, newest
from .downloads import CSV_PATH

PATH = "forward-plan/"


def pages(site, files) -> list[Page]:
    """/forward-plan/."""
    plan = forward_plan(site)
    workbook = CSV_PATH.removesuffix(".csv") + ".xlsx"
    return [Page(f"{PATH}index.html", "forward_plan/index", {
        "nav_section": "opportunities", "canonical_path": PATH, "plan": plan, "csv_path": CSV_PATH,
        # The soonest page-size services; at scale the rest are in the CSV, not in one long page.
        "entries_shown": plan.entries[:site.settings.page_size],
        "workbook_path": workbook if any(f.save_as == workbook for f in files) else None,
    }, lastmod=newest([plan.lastmod, lastmod(plan.upcoming, site.now)]))]
