"""Derive an opportunity: its status from the clock, what it links to, and everything its page, the
feed, the calendars and the downloads say about it, made once for all of them.

Every date an opportunity reports as a change comes from its data (`last_changed`), never from the
build clock, so two builds of the same data agree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import cached_property
from pathlib import Path
from typing import Any
from urllib.parse import quote

from markupsafe import Markup

from ..load import codes
from ..load.fields import UK, start_of, utc
from ..load.models import Opportunity
from ..render.filters import and_list, days_text, money, months, uk_date, uk_datetime, uk_time
from .views import AwardView, PriorityView, StreamView, View

FILE_TYPES = {
    ".pdf": "PDF", ".doc": "Word document", ".docx": "Word document", ".odt": "OpenDocument text",
    ".xls": "Excel spreadsheet", ".xlsx": "Excel spreadsheet", ".ods": "OpenDocument spreadsheet",
    ".csv": "CSV", ".ppt": "PowerPoint presentation", ".pptx": "PowerPoint presentation",
    ".rtf": "Rich text", ".txt": "Plain text", ".zip": "ZIP archive",
}
_HEADING = re.compile(r"<(/?)h([2-5])\b")
_HEADING_ID = re.compile(r'(<h[3-6]) id="')
_FRAGMENT_LINK = re.compile(r'(<a(?: [a-z-]+="[^"]*")*) href="#')


def opportunity_status(opportunity: Opportunity, now: datetime, awarded: bool, closing_soon_days: int) -> str:
    """Status is derived, never typed: withdrawn and awarded win; otherwise it follows the clock."""
    if opportunity.withdrawn:
        return "withdrawn"
    if awarded:
        return "awarded"
    # In UTC: aware datetimes that share a tzinfo compare and subtract by wall clock, which is wrong
    # in the hour the clocks go back and across a clock change.
    now, opens, closes = map(utc, (now, opportunity.opens, opportunity.closes))
    if now < opens:
        return "upcoming"
    if now >= closes:
        return "closed"
    if closes - now <= timedelta(days=closing_soon_days):
        return "closing-soon"
    return "open"


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



def newest_change(items: list[OpportunityView], now: datetime) -> datetime | None:
    """The newest change among some opportunities that is not after now (else the first to come)."""
    moments = [o.updated for o in items]
    past = [m for m in moments if utc(m) <= utc(now)]
    return max(past, key=utc) if past else (min(moments, key=utc) if moments else None)


def lastmod(items: list[OpportunityView], now: datetime) -> date | None:
    """The day the newest change happened; None while nothing has happened yet (a sitemap date is never in the future)."""
    changed = newest_change(items, now)
    return changed.astimezone(UK).date() if changed and utc(changed) <= utc(now) else None



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




@dataclass(eq=False, repr=False)
class OpportunityView(View):
    """An opportunity with its status, relations and everything its pages, feed, calendars and
    downloads show: made once, in derive, for all of them."""

    model: Opportunity
    status: str
    stream: StreamView
    priority_views: list[PriorityView]
    spec_html: Any
    awards: list[AwardView] = field(default_factory=list)
    now: datetime = None
    content_dir: Path = None
    closing_soon_days: int = 14

    @property
    def slug(self) -> str:
        return self.id.lower()

    @property
    def url(self) -> str:
        return f"opportunities/{self.slug}/"

    @property
    def status_label(self) -> str:
        return codes.OPPORTUNITY_STATUSES[self.status]

    @property
    def is_open(self) -> bool:
        return self.status in codes.OPEN_STATUSES

    @property
    def annual_value(self) -> Decimal | None:
        """The envelope per year, where the term is a whole number of years or more than one."""
        if self.duration_months < 12:
            return None
        return (self.funding_envelope * 12 / self.duration_months).quantize(Decimal("0.01"))

    @property
    def type_label(self) -> str:
        return codes.AWARD_TYPES[self.award_type]

    @property
    def route_label(self) -> str:
        return codes.ROUTES[self.route]

    @property
    def who_can_apply_labels(self) -> list[str]:
        return [codes.ORGANISATION_TYPES.get(code, code) for code in self.who_can_apply]

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
        if self.status == "awarded":
            awarded = sum((a.amount_awarded for a in self.awards), Decimal(0))
            facts = f"{self.type_label} · {self.stream.title} · {money(awarded)} awarded of {money(self.funding_envelope)}"
        else:
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
        # (when, the date in words, what, more words, a link {href, text} or None)
        entries: list[tuple[datetime, str, str, str | None, dict | None]] = [
            (self.opens, uk_datetime(self.opens), "Applications open", None, None)]
        for event in self.events:
            same_day = event.start.date() == event.end.date()
            when = (f"{uk_time(event.start)} to {uk_time(event.end)} UK time on {uk_date(event.start)}" if same_day
                    else f"{uk_datetime(event.start)} to {uk_datetime(event.end)}")
            # The booking link, once the event is still to come: it was collected and never shown.
            booking = ({"href": event.booking_url, "text": "Book a place", "about": event.title}
                       if event.booking_url and utc(event.end) > utc(self.now) else None)
            entries.append((event.start, when, event.title, event.location, booking))
        if self.clarification_deadline:
            entries.append((self.clarification_deadline, uk_datetime(self.clarification_deadline),
                            "Last day for questions", f"Send questions to {self.contact_email}", None))
        entries.append((self.closes, uk_datetime(self.closes), "Closing date for bids", None, None))
        if self.decision_by:
            entries.append((start_of(self.decision_by), uk_date(self.decision_by), "Decisions by", None, None))
        if self.service_start:
            entries.append((start_of(self.service_start), uk_date(self.service_start), "Service starts", None, None))
        entries.sort(key=lambda e: utc(e[0]))
        return [{"date": moment.astimezone(UK).isoformat(), "date_text": text, "title": title, "body": body,
                 "link": link, "state": "done" if utc(moment) <= utc(self.now) else None}
                for moment, text, title, body, link in entries]

    @property
    def specification_html(self) -> Markup:
        """The sanitised specification with each heading one level down, to sit under the page's own h2,
        and its heading ids (and links to them) prefixed so they cannot clash with the page's own."""
        html = _HEADING.sub(lambda m: f"<{m[1]}h{int(m[2]) + 1}", str(self.spec_html))
        html = _HEADING_ID.sub(r'\1 id="spec-', html)
        return Markup(_FRAGMENT_LINK.sub(r'\1 href="#spec-', html))

    @cached_property
    def updated(self) -> datetime:
        return last_changed(self, self.now, self.closing_soon_days)

    @property
    def calendar_path(self) -> str:
        return f"{self.url}{self.slug}.ics"
