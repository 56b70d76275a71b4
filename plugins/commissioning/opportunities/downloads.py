"""Funding opportunities as open data: a CSV file and a JSON file of every opportunity.

Each code has its words in the column after it (route, route_label), and when applications open and
close is also given as a UK date and a UK time (opens_date, opens_time), for a spreadsheet; the
columns that were there before keep their names and order. Links are absolute in a production build.
"""

from __future__ import annotations

from ..derive.opportunity import OpportunityView, lastmod
from ..load import codes
from ..load.fields import UK
from ..load.models import Opportunity
from ..open_data.csv_writer import csv_columns_bytes
from ..open_data.files import Column, Download, json_bytes, model_columns

def _fields(names: list[str], descriptions: dict[str, str]) -> list[Column]:
    return model_columns(Opportunity, names, descriptions)


def _listed(labels: dict[str, str]) -> str:
    return ", ".join(f"{code} ({label})" for code, label in labels.items())


COLUMNS = [
    *_fields(["id", "title", "summary"], {
        "id": "Our reference for the opportunity, e.g. OPP-2026-003",
        "title": "What the funding is for, in a few words",
        "summary": "What the funding is for, in a sentence or two",
    }),
    Column("status", "string", "Where it stood when the data was published, as a code: " + _listed(codes.OPPORTUNITY_STATUSES), True),
    Column("status_label", "string", "Where it stood when the data was published, in words, e.g. Closing soon", True),
    *_fields(["funding_stream"], {"funding_stream": "The funding stream that pays for it, as a code, e.g. moj-victims"}),
    Column("funding_stream_title", "string", "The funding stream that pays for it, by name", True),
    *_fields(["priorities"], {"priorities": "The Police and Crime Plan priorities it serves, as codes separated by ;"}),
    Column("priority_titles", "string", "The Police and Crime Plan priorities it serves, by name, separated by ;", True),
    *_fields(["award_type"], {"award_type": "The kind of award it will make, as a code: grant or contract"}),
    Column("award_type_label", "string", "Grant or Contract, in words", True),
    *_fields(["route"], {"route": "How it will be awarded, as a code: " + _listed(codes.ROUTES)}),
    Column("route_label", "string", "How it will be awarded, in words, e.g. Open tender", True),
    *_fields(["funding_envelope", "duration_months", "extension_months", "min_award", "max_award", "opens"], {
        "funding_envelope": "The total available for the whole term, in pounds",
        "duration_months": "The length of the funded term, in months",
        "extension_months": "How many months the term may be extended by, if it may",
        "min_award": "The smallest award it will make, in pounds",
        "max_award": "The largest award it will make, in pounds",
        "opens": "When applications open, as a date and UK time with its offset from UTC (ISO 8601), e.g. 2026-11-03T09:00:00+00:00",
    }),
    Column("opens_date", "date", "The day applications open (UK date)", True),
    Column("opens_time", "time", "The time applications open, UK time (24-hour clock)", True),
    *_fields(["closes"], {"closes": "When applications close, as a date and UK time with its offset from UTC (ISO 8601)"}),
    Column("closes_date", "date", "The day applications close (UK date)", True),
    Column("closes_time", "time", "The time applications close, UK time (24-hour clock)", True),
    *_fields(["clarification_deadline", "decision_by", "service_start", "who_can_apply"], {
        "clarification_deadline": "The last moment to ask questions about it, UK time with its offset from UTC (ISO 8601)",
        "decision_by": "The date by which we expect to decide",
        "service_start": "The date the service is expected to start",
        "who_can_apply": "The kinds of organisation that can apply, as codes separated by ;",
    }),
    Column("who_can_apply_labels", "string", "The kinds of organisation that can apply, in words, separated by ;", True),
    *_fields(["evaluation_criteria", "events", "documents", "apply_url", "apply_email", "contact_email", "withdrawn"], {
        "evaluation_criteria": "How bids are scored: each criterion with its weight in per cent, separated by ;",
        "events": "Events for providers: title, start to end, and place, separated by ;",
        "documents": "Documents to read: each title with its web address in angle brackets, separated by ;",
        "apply_url": "Where to apply online (if bids are not sent by email)",
        "apply_email": "Where to send a bid by email (if there is no online form)",
        "contact_email": "Where to send questions",
        "withdrawn": "Why it was withdrawn, if it was",
    }),
    *_fields(["areas"], {"areas": "The areas it covers, as codes separated by ; (empty: the whole area the funder serves)"}),
    Column("area_names", "string", "The areas it covers, by name, separated by ;", True),
    *_fields(["eligibility", "not_funded", "clarifications", "updates", "panel", "find_a_tender"], {
        "eligibility": "What must be true of an applicant, beyond the kind of organisation, separated by ;",
        "not_funded": "What it will not fund, separated by ;",
        "clarifications": "Questions asked and answered for every bidder: each date, question and answer, separated by ;",
        "updates": "Changes since it was published: each date and what changed, separated by ;",
        "panel": "How bids are scored, and by whom",
        "find_a_tender": "Its notice on Find a Tender, the government's procurement service, e.g. 012345-2025",
    }),
    Column("award_ids", "string", "The awards made from it (their ids in funding-register.csv), separated by ;"),
    Column("url", "string", "The opportunity's page on this site", True),
    Column("specification", "string", "The specification of need, as written on its page (Markdown)"),
]
# In the CSV file and the workbook only: the JSON file has the date-times themselves.
LOCAL_COLUMNS = ("opens_date", "opens_time", "closes_date", "closes_time")
FIELDS = [c.name for c in COLUMNS if c.name in Opportunity.model_fields]


def link(site_url: str, path: str) -> str:
    """A document's or page's address: as given if absolute, else under the site's address."""
    return path if path.startswith(("https://", "http://")) else f"{site_url}/{path.lstrip('/')}"


def record(opportunity: OpportunityView, site_url: str, funder) -> dict:
    """Every contract field of an opportunity plus its derived status and the words for its codes, as plain values."""
    row = {name: getattr(opportunity.model, name) for name in FIELDS}
    row.update(
        status=opportunity.status,
        status_label=opportunity.status_label,
        funding_stream_title=opportunity.stream.title,
        priority_titles="; ".join(p.title for p in opportunity.priority_views),
        award_type_label=opportunity.type_label,
        route_label=opportunity.route_label,
        who_can_apply_labels=opportunity.who_can_apply_labels,
        evaluation_criteria=[c.model_dump(exclude_none=True) for c in opportunity.evaluation_criteria],
        events=[e.model_dump(exclude_none=True) for e in opportunity.events],
        documents=[{**d.model_dump(), "url": link(site_url, d.url)} for d in opportunity.documents],
        area_names="; ".join(a.name for a in opportunity.area_views),
        clarifications=[c.model_dump() for c in opportunity.clarifications],
        updates=[u.model_dump() for u in opportunity.updates],
        panel=opportunity.panel or funder.panel_text,
        award_ids=[a.id for a in opportunity.awards],
        url=link(site_url, opportunity.url),
        specification=opportunity.body.strip(),
    )
    return {name: row[name] for name in (c.name for c in COLUMNS) if name not in LOCAL_COLUMNS}


def flat(row: dict) -> dict:
    """A record as CSV cells: nested lists written out as text, and the UK date and time of opening and closing."""
    opens, closes = row["opens"].astimezone(UK), row["closes"].astimezone(UK)
    return {
        **row,
        "evaluation_criteria": [f"{c['criterion']} ({c['weight']}%)" for c in row["evaluation_criteria"]],
        "events": [f"{e['title']}, {e['start'].isoformat()} to {e['end'].isoformat()}, {e['location']}"
                   for e in row["events"]],
        "documents": [f"{d['title']} <{d['url']}>" for d in row["documents"]],
        "clarifications": [f"{c['published'].isoformat()}: {c['question']} {c['answer']}" for c in row["clarifications"]],
        "updates": [f"{u['date'].isoformat()}: {u['change']}" for u in row["updates"]],
        "opens_date": opens.date(), "opens_time": opens.time().replace(tzinfo=None),
        "closes_date": closes.date(), "closes_time": closes.time().replace(tzinfo=None),
    }


def files(site, files_so_far) -> list[Download]:
    """Every opportunity as CSV and as JSON."""
    site_url = site.settings.public_url or site.settings.site_url
    views = sorted(site.opportunities, key=lambda o: o.id)
    rows = [record(o, site_url, site.funder) for o in views]
    changed = lastmod(views, site.now)
    cells = [flat(r) for r in rows]
    table = {column.name: [row[column.name] for row in cells] for column in COLUMNS}
    description = "Every funding opportunity we have published, with its status when the site was built."
    return [
        Download("data/opportunities.csv", csv_columns_bytes(COLUMNS, table), changed, title="Funding opportunities",
                 description=description, format="CSV", rows=len(rows), columns=COLUMNS, primary_key=["id"], values=table),
        Download("data/opportunities.json", json_bytes({"opportunities": rows}), changed,
                 title="Funding opportunities (JSON)",
                 description=description + " Events, documents and evaluation criteria are nested objects.",
                 format="JSON", rows=len(rows), media_type="application/json"),
    ]
