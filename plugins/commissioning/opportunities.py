"""Funding opportunities: the index, one page per opportunity, the archive, filter pages and downloads.

Status comes from derive (`opportunity.status`); this module adds what the pages show about an
opportunity (its timeline, documents, call to action) and when it last changed in a way that matters,
which the pages, the feed and the calendars all take from `last_changed` rather than the build clock.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from urllib.parse import quote

from markupsafe import Markup

from .derive import ORGANISATION_TYPE_LABELS, ROUTE_LABELS, OpportunityView, View
from .downloads import Column, Download, csv_bytes, file_source, json_bytes, model_columns
from .models import Opportunity
from .fields import UK
from .filters import money, months, uk_date, uk_datetime, uk_time
from .pages import Page, page_source

TYPE_LABELS = {"grant": "Grant", "contract": "Contract"}
FILE_TYPES = {
    ".pdf": "PDF", ".doc": "Word document", ".docx": "Word document", ".odt": "OpenDocument text",
    ".xls": "Excel spreadsheet", ".xlsx": "Excel spreadsheet", ".ods": "OpenDocument spreadsheet",
    ".csv": "CSV", ".ppt": "PowerPoint presentation", ".pptx": "PowerPoint presentation",
    ".rtf": "Rich text", ".txt": "Plain text", ".zip": "ZIP archive",
}
_HEADING = re.compile(r"<(/?)h([2-5])\b")
_HEADING_ID = re.compile(r'(<h[3-6]) id="')
_FRAGMENT_LINK = re.compile(r'(<a(?: [a-z-]+="[^"]*")*) href="#')
FEED_PATH = "feeds/opportunities.atom.xml"
CALENDAR_PATH = "opportunities/calendar.ics"


def site_url_of(site) -> str:
    """The site's public address without a trailing slash ('' for a local build): feeds and calendars need it."""
    return (getattr(site.settings, "site_url", "") or "").rstrip("/")


def utc(moment: datetime) -> datetime:
    """Compare and subtract in UTC: aware datetimes sharing one tzinfo compare by wall clock, which is
    wrong in the hour the clocks go back."""
    return moment.astimezone(timezone.utc)


def start_of(day: date) -> datetime:
    """Midnight at the start of a day, UK time."""
    return datetime.combine(day, time(), UK)


def status_moments(opportunity: OpportunityView, closing_soon_days: int) -> list[datetime]:
    """The moments an opportunity's status changes (or would change), from its data alone."""
    moments = [opportunity.opens, opportunity.closes]
    soon = opportunity.closes - timedelta(days=closing_soon_days)
    if utc(soon) > utc(opportunity.opens):
        moments.append(soon)
    moments += [start_of(award.award_date) for award in opportunity.awards]
    # Optional dates a later version of the contract may add; absent fields are skipped.
    for name in ("withdrawn_on", "amended"):
        value = getattr(opportunity.model, name, None)
        if isinstance(value, date):
            moments.append(value if isinstance(value, datetime) else start_of(value))
    return moments


def last_changed(opportunity: OpportunityView, now: datetime, closing_soon_days: int) -> datetime:
    """When the opportunity last changed in a way that matters: the latest status change not after now.

    Never the build clock, so two builds of the same data at times with no status change between them
    agree. An upcoming opportunity has had no change yet: it counts from when it opens.
    """
    moments = sorted(status_moments(opportunity, closing_soon_days), key=utc)
    past = [m for m in moments if utc(m) <= utc(now)]
    return (past[-1] if past else moments[0]).astimezone(UK)


def months_before(moment: datetime, count: int) -> datetime:
    """The same time `count` calendar months earlier (31 March less one month is 28 or 29 February)."""
    index = moment.year * 12 + moment.month - 1 - count
    year, month = divmod(index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def and_list(items: list[str]) -> str:
    """a, b and c."""
    return " and ".join(items) if len(items) <= 2 else f"{', '.join(items[:-1])} and {items[-1]}"


def days_text(days: int) -> str:
    """How far off a day is: today, tomorrow, in 9 days."""
    return {0: "today", 1: "tomorrow"}.get(days, f"in {days} days")


@dataclass
class DocumentInfo:
    """A document as the page lists it: 'Service specification' then 'PDF, 245 KB'."""

    title: str
    href: str  # a site path (documents/spec.pdf) or a full URL
    local: bool
    file_type: str | None
    size: str | None

    @property
    def meta(self) -> str:
        return ", ".join(part for part in (self.file_type, self.size) if part)


def file_size(size: int) -> str:
    """GOV.UK style: 850 bytes, 245 KB, 1.2 MB."""
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{round(size / 1024)} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def document_info(title: str, url: str, content_dir: Path) -> DocumentInfo:
    """A document's link, with its file type, and its size when it is published from content/."""
    if url.startswith(("http://", "https://")):
        suffix = Path(url.split("?")[0].split("#")[0]).suffix.lower()
        return DocumentInfo(title, url, False, FILE_TYPES.get(suffix), None)
    path = content_dir / url.lstrip("/")
    size = file_size(path.stat().st_size) if path.is_file() else None
    file_type = FILE_TYPES.get(path.suffix.lower(), path.suffix.lstrip(".").upper() or None)
    return DocumentInfo(title, url.lstrip("/"), True, file_type, size)


@dataclass(eq=False)
class OpportunityInfo(View):
    """An opportunity as its pages show it: reads through to the derived view and its model."""

    model: OpportunityView
    now: datetime
    content_dir: Path
    closing_soon_days: int

    @property
    def type_label(self) -> str:
        return TYPE_LABELS[self.award_type]

    @property
    def route_label(self) -> str:
        return ROUTE_LABELS[self.route]

    @property
    def who_can_apply_labels(self) -> list[str]:
        return [ORGANISATION_TYPE_LABELS.get(code, code) for code in self.who_can_apply]

    @property
    def award_range(self) -> str | None:
        low, high = self.min_award, self.max_award
        if low is not None and high is not None:
            return money(high) if low == high else f"{money(low)} to {money(high)}"
        if high is not None:
            return f"Up to {money(high)}"
        return f"At least {money(low)}" if low is not None else None

    @property
    def duration_text(self) -> str:
        text = months(self.duration_months)
        if self.extension_months:
            text += f", with a possible extension of up to {months(self.extension_months)}"
        return text

    @property
    def days_to_close(self) -> int:
        return (self.closes.astimezone(UK).date() - self.now.astimezone(UK).date()).days

    @property
    def status_line(self) -> str:
        """One sentence on where the opportunity stands, for its page and for lists."""
        status = self.status
        if status == "upcoming":
            return f"Opens at {uk_datetime(self.opens)}. Closes at {uk_datetime(self.closes)}."
        if status == "open":
            return f"Open for bids. Closes at {uk_datetime(self.closes)}."
        if status == "closing-soon":
            return f"Closes {days_text(self.days_to_close)}, at {uk_datetime(self.closes)}."
        if status == "closed":
            decision = f" Decisions are expected by {uk_date(self.decision_by)}." if self.decision_by \
                and self.decision_by >= self.now.astimezone(UK).date() else ""
            return f"Closed at {uk_datetime(self.closes)}. You can no longer apply.{decision}"
        if status == "awarded":
            return "Awarded. Applications are closed."
        return "Withdrawn. You cannot apply."

    @property
    def dates_line(self) -> str:
        """Where it stands in words that change only when its status or dates do (for the feed and calendars)."""
        status = self.status
        if status == "upcoming":
            return f"Opens at {uk_datetime(self.opens)}. Closes at {uk_datetime(self.closes)}."
        if self.is_open:
            return f"Open for bids until {uk_datetime(self.closes)}."
        if status == "withdrawn":
            return f"Withdrawn: {self.withdrawn}"
        names = sorted({a.provider.name for a in self.awards})
        awarded = f" Awarded to {and_list(names)}." if names else ""
        return f"Closed at {uk_datetime(self.closes)}.{awarded}"

    @property
    def list_meta(self) -> str:
        """The short line under the opportunity's name in a list."""
        facts = f"{self.type_label} · {self.stream.title} · {money(self.funding_envelope)} available"
        if self.status == "upcoming":
            when = f"Opens {uk_datetime(self.opens)}"
        elif self.is_open:
            when = f"Closes {uk_datetime(self.closes)}"
            if self.status == "closing-soon":
                when += f" ({days_text(self.days_to_close)})"
        elif self.status == "awarded":
            names = sorted({a.provider.name for a in self.awards})
            to = and_list(names) if len(names) <= 2 else f"{len(names)} organisations"
            when = f"Closed {uk_date(self.closes)}; awarded to {to}"
        elif self.status == "withdrawn":
            when = f"Withdrawn (was to close {uk_date(self.closes)})"
        else:
            when = f"Closed {uk_date(self.closes)}"
        return f"{when}. {facts}"

    @property
    def accepting(self) -> bool:
        """Bids are being taken: the call to action shows only now."""
        return self.is_open

    @property
    def apply_href(self) -> str:
        if self.apply_url:
            return self.apply_url
        subject = quote(f"Bid for {self.id}: {self.title}")
        return f"mailto:{self.apply_email}?subject={subject}"

    @property
    def documents_info(self) -> list[DocumentInfo]:
        return [document_info(d.title, d.url, self.content_dir) for d in self.documents]

    @property
    def evaluation_head(self) -> list[str]:
        if any(c.description for c in self.evaluation_criteria):
            return ["Criterion", "What a strong bid shows", "Weight"]
        return ["Criterion", "Weight"]

    @property
    def evaluation_rows(self) -> list[list[str]]:
        with_description = len(self.evaluation_head) == 3
        return [[c.criterion, *([c.description or ""] if with_description else []), f"{c.weight}%"]
                for c in self.evaluation_criteria]

    @property
    def timeline(self) -> list[dict]:
        """Key dates in order, for the timeline macro: past ones marked done."""
        entries: list[tuple[datetime, str, str, str | None]] = [
            (self.opens, uk_datetime(self.opens), "Applications open", None)]
        for event in self.events:
            same_day = event.start.date() == event.end.date()
            when = (f"{uk_time(event.start)} to {uk_time(event.end)} UK time on {uk_date(event.start)}" if same_day
                    else f"{uk_datetime(event.start)} to {uk_datetime(event.end)}")
            entries.append((event.start, when, event.title, event.location))
        if self.clarification_deadline:
            entries.append((self.clarification_deadline, uk_datetime(self.clarification_deadline),
                            "Last day for questions", f"Send questions to {self.contact_email}"))
        entries.append((self.closes, uk_datetime(self.closes), "Closing date for bids", None))
        if self.decision_by:
            entries.append((start_of(self.decision_by), uk_date(self.decision_by), "Decisions by", None))
        if self.service_start:
            entries.append((start_of(self.service_start), uk_date(self.service_start), "Service starts", None))
        entries.sort(key=lambda e: utc(e[0]))
        return [{"date": moment.astimezone(UK).isoformat(), "date_text": text, "title": title, "body": body,
                 "state": "done" if utc(moment) <= utc(self.now) else None}
                for moment, text, title, body in entries]

    @property
    def specification_html(self) -> Markup:
        """The sanitised specification with each heading one level down, to sit under the page's own h2,
        and its heading ids (and links to them) prefixed so they cannot clash with the page's own."""
        html = _HEADING.sub(lambda m: f"<{m[1]}h{int(m[2]) + 1}", str(self.spec_html))
        html = _HEADING_ID.sub(r'\1 id="spec-', html)
        return Markup(_FRAGMENT_LINK.sub(r'\1 href="#spec-', html))

    @property
    def updated(self) -> datetime:
        return last_changed(self.model, self.now, self.closing_soon_days)

    @property
    def calendar_path(self) -> str:
        return f"{self.url}{self.slug}.ics"


def info(site, opportunity: OpportunityView) -> OpportunityInfo:
    """An opportunity as its pages, the feed and the calendars show it."""
    return OpportunityInfo(opportunity, site.now, site.settings.content_dir, site.settings.closing_soon_days)


@dataclass
class Groups:
    """Opportunities by where they stand: open (soonest closing first), upcoming, then closed."""

    open: list[OpportunityInfo]
    upcoming: list[OpportunityInfo]
    closed: list[OpportunityInfo]

    @classmethod
    def of(cls, items: list[OpportunityInfo]) -> "Groups":
        return cls(
            sorted((o for o in items if o.is_open), key=lambda o: (utc(o.closes), o.id)),
            sorted((o for o in items if o.status == "upcoming"), key=lambda o: (utc(o.opens), o.id)),
            sorted((o for o in items if not o.is_open and o.status != "upcoming"),
                   key=lambda o: (utc(o.closes), o.id), reverse=True),
        )


def filters(site, items: list[OpportunityInfo]) -> list[dict]:
    """Each way to filter the index, with a page per value that has any opportunities."""
    groups = [
        ("stream", "Funding stream", [(s.code, s.title, s.url) for s in site.streams], lambda o: [o.funding_stream]),
        ("type", "Grant or contract", [(code, text, None) for code, text in TYPE_LABELS.items()], lambda o: [o.award_type]),
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


def newest_change(items: list[OpportunityInfo], now: datetime) -> datetime | None:
    """The newest change among some opportunities that is not after now (else the first to come)."""
    moments = [o.updated for o in items]
    past = [m for m in moments if utc(m) <= utc(now)]
    return max(past, key=utc) if past else (min(moments, key=utc) if moments else None)


def lastmod(items: list[OpportunityInfo], now: datetime) -> date | None:
    """The day the newest change happened; None while nothing has happened yet (a sitemap date is never in the future)."""
    changed = newest_change(items, now)
    return changed.astimezone(UK).date() if changed and utc(changed) <= utc(now) else None


@page_source
def opportunity_pages(site) -> list[Page]:
    items = [info(site, o) for o in site.opportunities]
    groups = Groups.of(items)
    since = months_before(site.now, site.settings.recent_months)
    recent = [o for o in groups.closed if utc(o.closes) >= utc(since)]
    filter_groups = filters(site, items)
    common = {"nav_section": "opportunities", "feed_path": FEED_PATH, "calendar_path": CALENDAR_PATH}
    pages = [
        Page("opportunities/index.html", "opportunities", {
            **common, "canonical_path": "opportunities/", "groups": groups, "recent": recent,
            "recent_months": site.settings.recent_months, "filters": filter_groups, "total": len(items),
        }, lastmod=lastmod(items, site.now)),
        Page("opportunities/archive/index.html", "opportunities_archive", {
            **common, "canonical_path": "opportunities/archive/", "opportunities": items,
        }, lastmod=lastmod(items, site.now)),
    ]
    for group in filter_groups:
        for link in group["links"]:
            pages.append(Page(f"{link['url']}index.html", "opportunities_filter", {
                **common, "canonical_path": link["url"], "filter_group": group, "filter": link,
                "groups": Groups.of(link["members"]), "filters": filter_groups,
            }, lastmod=lastmod(link["members"], site.now)))
    for item in items:
        pages.append(Page(f"{item.url}index.html", "opportunity", {
            **common, "canonical_path": item.url, "opportunity": item,
        }, lastmod=lastmod([item], site.now)))
    return pages


# --- downloads ---------------------------------------------------------------------------------

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


@file_source
def opportunity_downloads(site, files) -> list[Download]:
    site_url = site_url_of(site)
    views = sorted(site.opportunities, key=lambda o: o.id)
    rows = [record(o, site_url) for o in views]
    changed = lastmod([info(site, o) for o in views], site.now)
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
