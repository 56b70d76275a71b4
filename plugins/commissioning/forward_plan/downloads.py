"""The forward plan as open data: forward-plan.csv (and, made by open_data/workbook.py, its workbook),
an award a row with its recommissioning intention."""

from __future__ import annotations

from ..derive.forward_plan import PlanEntry, forward_plan
from ..open_data.files import Column, Download
from ..open_data.csv_writer import csv_columns_bytes
from ..load import codes

CSV_PATH = "data/forward-plan.csv"


def _listed(labels: dict[str, str]) -> str:
    return ", ".join(f"{code} ({label})" for code, label in labels.items())


COLUMNS = [
    Column("award_id", "string", "The award's id in funding-register.csv", True),
    Column("title", "string", "What the award pays for, in a few words", True),
    Column("provider_id", "string", "The provider's org-id, as in providers.csv", True),
    Column("provider_name", "string", "The provider's name", True),
    Column("funding_stream", "string", "The funding stream that pays for it, as a code", True),
    Column("funding_stream_title", "string", "The funding stream that pays for it, by name", True),
    Column("award_type", "string", "grant or contract", True),
    Column("area_names", "string", "Where the service is delivered, separated by ;"),
    Column("amount_awarded", "number", "The total awarded for the whole term, in pounds", True),
    Column("start_date", "date", "The day the funded service started", True),
    Column("end_date", "date", "The day the award ends", True),
    Column("recommissioning", "string", "What we intend when it ends, as a code: " + _listed(codes.RECOMMISSIONING), True),
    Column("recommissioning_label", "string", "What we intend when it ends, in words (Not yet decided when we have not said)", True),
    Column("recommissioning_route", "string", "How a new award is planned to be made, as a route code: " + _listed(codes.ROUTES)),
    Column("recommissioning_route_label", "string", "How a new award is planned to be made, in words, e.g. Open tender"),
    Column("recommissioning_date", "date", "When the new opportunity is expected to be published"),
    Column("recommissioning_note", "string", "More about the plan, e.g. when market engagement will happen"),
    Column("url", "string", "The award's page on this site", True),
]


def row(entry: PlanEntry, site_url: str) -> dict:
    award = entry.award
    return {
        "award_id": award.id, "title": award.title, "provider_id": award.provider.id,
        "provider_name": award.provider.name, "funding_stream": award.funding_stream,
        "funding_stream_title": award.stream.title, "award_type": award.award_type,
        "area_names": "; ".join(a.name for a in getattr(award, "area_views", None) or []) or None,
        "amount_awarded": award.amount_awarded, "start_date": award.start_date, "end_date": award.end_date,
        "recommissioning": entry.intention, "recommissioning_label": entry.intention_label,
        "recommissioning_route": entry.route, "recommissioning_route_label": entry.route_label,
        "recommissioning_date": entry.expected, "recommissioning_note": entry.note,
        "url": f"{site_url}/{award.url}",
    }


def files(site, files_so_far) -> list[Download]:
    """forward-plan.csv: every award in the plan."""
    plan = forward_plan(site)
    site_url = site.settings.public_url or site.settings.site_url
    rows = [row(e, site_url) for e in plan.entries]
    table = {c.name: [r[c.name] for r in rows] for c in COLUMNS}
    return [Download(
        CSV_PATH, csv_columns_bytes(COLUMNS, table), plan.lastmod, title="Forward plan",
        description=(f"The grants and contracts that end in the {plan.months} months from the day the site was "
                     "built, with what we intend to do when each ends: recommission it (and how, and when the "
                     "new opportunity is expected), extend it, or let it end."),
        rows=len(rows), columns=COLUMNS, primary_key=["award_id"],
        foreign_keys=[{"fields": ["award_id"], "reference": {"resource": "funding-register", "fields": ["id"]}},
                      {"fields": ["provider_id"], "reference": {"resource": "providers", "fields": ["id"]}}],
        values=table)]
