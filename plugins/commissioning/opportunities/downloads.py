"""Funding opportunities as open data: a CSV file and a JSON file of every opportunity."""

from __future__ import annotations

from ..derive.opportunity import OpportunityView, lastmod
from ..load.models import Opportunity
from ..open_data.csv_writer import csv_bytes
from ..open_data.files import Column, Download, json_bytes, model_columns

COLUMNS = [
    *model_columns(Opportunity, ["id", "title", "summary"]),
    Column("status", "string", "derived when the site was built: upcoming, open, closing-soon, closed, awarded or withdrawn", True),
    *model_columns(Opportunity, [
        "funding_stream", "priorities", "award_type", "route", "funding_envelope", "duration_months",
        "extension_months", "min_award", "max_award", "opens", "closes", "clarification_deadline",
        "decision_by", "service_start", "who_can_apply", "evaluation_criteria", "events", "documents",
        "apply_url", "apply_email", "contact_email", "withdrawn",
    ], overrides={
        "priorities": "priority codes, separated by ;",
        "opens": "when applications open, UK time with its offset from UTC",
        "closes": "when applications close, UK time with its offset from UTC",
        "who_can_apply": "organisation types, separated by ;",
        "evaluation_criteria": "criterion (weight per cent), separated by ;",
        "events": "engagement events: title, start to end, location; separated by ;",
        "documents": "document title and address, separated by ;",
    }),
    Column("award_ids", "string", "ids of the awards made from it (awards.csv), separated by ;"),
    Column("url", "string", "the opportunity's page on this site", True),
    Column("specification", "string", "the specification of need, in Markdown"),
]
FIELDS = [c.name for c in COLUMNS if c.name not in ("status", "award_ids", "url", "specification")]


def record(opportunity: OpportunityView, site_url: str) -> dict:
    """Every contract field of an opportunity plus its derived status, as plain values."""
    row = {name: getattr(opportunity.model, name) for name in FIELDS}
    row.update(
        status=opportunity.status,
        evaluation_criteria=[c.model_dump(exclude_none=True) for c in opportunity.evaluation_criteria],
        events=[e.model_dump(exclude_none=True) for e in opportunity.events],
        documents=[d.model_dump() for d in opportunity.documents],
        award_ids=[a.id for a in opportunity.awards],
        url=f"{site_url}/{opportunity.url}",
        specification=opportunity.body.strip(),
    )
    return {name: row[name] for name in (c.name for c in COLUMNS)}


def flat(row: dict) -> dict:
    """A record as CSV cells: nested lists written out as text."""
    return {
        **row,
        "evaluation_criteria": [f"{c['criterion']} ({c['weight']}%)" for c in row["evaluation_criteria"]],
        "events": [f"{e['title']}, {e['start'].isoformat()} to {e['end'].isoformat()}, {e['location']}"
                   for e in row["events"]],
        "documents": [f"{d['title']} <{d['url']}>" for d in row["documents"]],
    }


def files(site, files_so_far) -> list[Download]:
    """Every opportunity as CSV and as JSON."""
    site_url = site.settings.site_url
    views = sorted(site.opportunities, key=lambda o: o.id)
    rows = [record(o, site_url) for o in views]
    changed = lastmod(views, site.now)
    content, count = csv_bytes(COLUMNS, (flat(r) for r in rows))
    description = "Every funding opportunity we have published, with its status when the site was built."
    return [
        Download("data/opportunities.csv", content, changed, title="Funding opportunities", description=description,
                 format="CSV", rows=count, columns=COLUMNS, primary_key=["id"]),
        Download("data/opportunities.json", json_bytes({"opportunities": rows}), changed,
                 title="Funding opportunities (JSON)",
                 description=description + " Events, documents and evaluation criteria are nested objects.",
                 format="JSON", rows=len(rows), media_type="application/json"),
    ]
