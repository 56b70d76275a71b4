"""Derive an opportunity: its status from the clock, what it links to, and everything its page, the
feed, the calendars and the downloads say about it, made once for all of them.

Every date an opportunity reports as a change comes from its data (`last_changed`: its status changes
and its `updates`), never from the build clock, so two builds of the same data agree. The one
exception is `stamp`, what the feed and calendars carry: it is never after the build, so an upcoming
call that nothing has yet happened to is stamped with the build's time.
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
from ..load.models import Funder, Opportunity
from ..render.filters import and_list, days_text, money, months, uk_date, uk_datetime, uk_time
from .documents import DocumentInfo, document_info
from .transparency import find_a_tender_url
from .views import AwardView, PriorityView, StreamView, View

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


def latest_before(moments: list[datetime], now: datetime) -> datetime | None:
    """The latest of some moments that is not after now, in UK time."""
    past = [m for m in moments if utc(m) <= utc(now)]
    return max(past, key=utc).astimezone(UK) if past else None


def last_changed(opportunity: OpportunityView, now: datetime, closing_soon_days: int) -> datetime:
    """When the opportunity last changed in a way that matters: the latest status change or update
    not after now.

    Never the build clock, so two builds of the same data at times with nothing between them agree.
    An opportunity that nothing has happened to yet counts from the first thing to come.
    """
    moments = status_moments(opportunity, closing_soon_days) + [u.date for u in opportunity.updates]
    return latest_before(moments, now) or min(moments, key=utc).astimezone(UK)



def newest_change(items: list[OpportunityView], now: datetime) -> datetime | None:
    """The newest change among some opportunities that is not after now (else the first to come)."""
    moments = [o.updated for o in items]
    past = [m for m in moments if utc(m) <= utc(now)]
    return max(past, key=utc) if past else (min(moments, key=utc) if moments else None)


def newest_stamp(items: list[OpportunityView]) -> datetime | None:
    """The newest of some opportunities' stamps (each never after the build): a feed's own date."""
    return max((o.stamp for o in items), key=utc, default=None)


def lastmod(items: list[OpportunityView], now: datetime) -> date | None:
    """The day the newest change happened; None while nothing has happened yet (a sitemap date is never in the future)."""
    changed = newest_change(items, now)
    return changed.astimezone(UK).date() if changed and utc(changed) <= utc(now) else None



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
    area_views: list = field(default_factory=list)  # the funder's Areas it names (the whole area if none)

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
    def award_size(self) -> str:
        """What one award can be: the range when it is given, else up to the whole envelope."""
        return self.award_range or f"Up to {money(self.funding_envelope)}"

    @property
    def awarded_total(self) -> Decimal:
        return sum((a.amount_awarded for a in self.awards), Decimal(0))

    @property
    def awarded_text(self) -> str:
        """How much of the pot was awarded: '£110,000 awarded of £120,000'."""
        return f"{money(self.awarded_total)} awarded of {money(self.funding_envelope)}"

    @property
    def area_names(self) -> str | None:
        """Where the work must be, in words ('Bedfordshire', 'Bedford and Luton'): the areas it names,
        else the funder's whole area; None when the funder lists no areas."""
        return and_list([a.name for a in self.area_views]) or None

    def panel_paragraphs(self, funder: Funder) -> list[str]:
        """How bids are scored and by whom, a paragraph each: its own `panel`, else the funder's `panel_text`."""
        text = self.panel or funder.panel_text or ""
        return [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]

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
        """One sentence on where the opportunity stands, for its page. The closing date itself is in
        the summary panel and the key dates, and nowhere else on the page."""
        status = self.status
        if status == "upcoming":
            return f"Opens at {uk_datetime(self.opens)}."
        if status == "open":
            return "Open for bids."
        if status == "closing-soon":
            return f"Closing soon: {days_text(self.days_to_close)}."
        if status == "closed":
            decision = f" Decisions are expected by {uk_date(self.decision_by)}." if self.decision_by \
                and self.decision_by >= self.now.astimezone(UK).date() else ""
            return f"Closed. You can no longer apply.{decision}"
        if status == "awarded":
            return "Awarded. Applications are closed."
        return "Withdrawn. You cannot apply."

    @property
    def deadline_text(self) -> str:
        """The closing date as the summary panel says it, once, with how near it is while open."""
        text = uk_datetime(self.closes)
        if self.status == "closing-soon":
            text += f" ({days_text(self.days_to_close)})"
        return text

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
            facts = f"{self.type_label} · {self.stream.title} · {self.awarded_text}"
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
        """When it last changed (a status change or an update), from the data alone."""
        return last_changed(self, self.now, self.closing_soon_days)

    @property
    def stamp(self) -> datetime:
        """The feed's `updated` and the calendars' DTSTAMP and LAST-MODIFIED: when it last changed,
        never after the build. Only an upcoming call with no update yet falls back on the build's
        clock: nothing in its data says when it was published (an update saying so fixes that)."""
        return min(self.updated, self.now.astimezone(UK), key=utc)

    @property
    def updates_so_far(self) -> list:
        """Its updates up to now, newest first: what subscribers have been told changed."""
        return sorted((u for u in self.updates if utc(u.date) <= utc(self.now)), key=lambda u: utc(u.date), reverse=True)

    @property
    def sequence(self) -> int:
        """The calendars' SEQUENCE: how many times it has been changed since it was published."""
        return len(self.updates_so_far)

    @property
    def published(self) -> datetime:
        """When it was published: when it opens, or an earlier update (published before it opened)."""
        return min([self.opens, *(u.date for u in self.updates)], key=utc).astimezone(UK)

    @property
    def published_so_far(self) -> datetime | None:
        """Its published date for the page, once that has come."""
        return self.published if utc(self.published) <= utc(self.now) else None

    @property
    def last_updated(self) -> datetime | None:
        """The page's 'Last updated': the latest update, else the latest status change; None while
        it is no later than the published date (nothing to say)."""
        latest = latest_before([u.date for u in self.updates], self.now) \
            or latest_before(status_moments(self, self.closing_soon_days), self.now)
        published = self.published_so_far
        return latest if latest and published and utc(latest) > utc(published) else None

    @property
    def clarifications_in_order(self) -> list:
        """The questions and answers, newest first: a bidder coming back reads the new ones first."""
        return sorted(self.clarifications, key=lambda c: c.published, reverse=True)

    @property
    def find_a_tender_href(self) -> str | None:
        return find_a_tender_url(self.find_a_tender)

    @property
    def sections(self) -> list[dict]:
        """The page's sections in the order a bidder reads them, for its headings and its contents list."""
        sections = [("summary", "Summary"), ("eligibility", "Who can apply"), ("specification", "What we want to fund"),
                    ("evaluation", "How bids are assessed"), ("key-dates", "Key dates and events")]
        if self.documents:
            sections.append(("documents", "Documents"))
        sections += [("questions", "Questions and answers"), ("updates", "Updates"), ("how-to-apply", "How to apply")]
        return [{"id": key, "title": title} for key, title in sections]

    @property
    def section_titles(self) -> dict[str, str]:
        return {s["id"]: s["title"] for s in self.sections}

    @property
    def calendar_path(self) -> str:
        return f"{self.url}{self.slug}.ics"
