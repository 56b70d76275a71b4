"""Calendars (RFC 5545): every closing date and engagement event, and one calendar per opportunity.

Times carry TZID Europe/London with a VTIMEZONE covering the years the data spans, so a deadline
stays at 12pm UK time across the clock change. UIDs are built from the opportunity id, a key for the
event that does not depend on its place in the list, and the funder's web host. DTSTAMP and
LAST-MODIFIED are the opportunity's stamp and SEQUENCE the number of its updates, so a calendar
sees an edit (a moved closing date) as a change to the same event, and two builds of the same data
write the same files.
"""

from __future__ import annotations

import functools
import re
from datetime import date
from typing import NamedTuple
from urllib.parse import urlsplit

from icalendar import Calendar, Event, Timezone

from ..derive.opportunity import OpportunityView, lastmod
from ..load.fields import UK, utc
from ..open_data.files import OutputFile
from ..render.filters import uk_datetime

CALENDAR_PATH = "opportunities/calendar.ics"


def events_for(item: OpportunityView, host: str, site_url: str) -> list[Event]:
    """The closing date, the deadline for questions and each engagement event of one opportunity."""
    page = f"{site_url}/{item.url}" if site_url else ""
    stamp = utc(item.stamp)
    withdrawn = item.status == "withdrawn"
    about = f"{item.title} ({item.id}). {item.dates_line}"
    if item.updates_so_far:
        latest = item.updates_so_far[0]
        about += f"\n\nLatest change ({uk_datetime(latest.date)}): {latest.change}"
    if page:
        about += f"\n\nFull details: {page}"

    def event(uid: str, summary: str, start, end=None, location=None, url=None) -> Event:
        """A deadline has a start only and leaves the day free; an event has an end and fills its time."""
        entry = Event()
        entry.add("uid", f"{item.slug}-{uid}@{host}")
        entry.add("dtstamp", stamp)
        entry.add("last-modified", stamp)
        entry.add("sequence", item.sequence)
        entry.add("summary", f"Withdrawn: {summary}" if withdrawn else summary)
        entry.add("dtstart", start)
        if end is not None:
            entry.add("dtend", end)
        if location:
            entry.add("location", location)
        if url or page:
            entry.add("url", url or page)
        entry.add("description", about)
        entry.add("status", "CANCELLED" if withdrawn else "CONFIRMED")
        entry.add("transp", "TRANSPARENT" if end is None else "OPAQUE")
        return entry

    entries = [event("closes", f"Closing date: {item.title}", item.closes)]
    if item.clarification_deadline:
        entries.append(event("questions", f"Last day for questions: {item.title}", item.clarification_deadline))
    for key, happening in zip(event_keys(item.events), item.events):
        entries.append(event(f"event-{key}", f"{happening.title}: {item.title}", happening.start, happening.end,
                             happening.location, happening.booking_url))
    return entries


def event_keys(events) -> list[str]:
    """A key for each event that does not depend on where it is in the list, so adding an event
    leaves every other event's UID as it was: its title as a web address would write it, and its
    start date where two events share a title. (A calendar sees a renamed event as a new one.)"""
    slugs = [re.sub(r"[^a-z0-9]+", "-", e.title.lower()).strip("-") or "event" for e in events]
    return [f"{slug}-{e.start:%Y%m%d}" if slugs.count(slug) > 1 else slug for slug, e in zip(slugs, events)]


class Written(NamedTuple):
    """One opportunity's events as a calendar holds them: their text, the years they start in and the
    time zones they name."""

    content: bytes
    years: list[int]
    zones: set[str]


def written(item: OpportunityView, host: str, site_url: str) -> Written:
    entries = events_for(item, host, site_url)
    # As icalendar's Calendar.get_used_tzids reads them: every property's TZID parameter.
    zones = {value.params.get("TZID") for entry in entries for _, value in entry.property_items(sorted=False)
             if hasattr(value, "params")} - {None, "UTC"}
    return Written(b"".join(map(ical, entries)), [e.DTSTART.year for e in entries], zones)


def ical(component) -> bytes:
    """What icalendar's `component.to_ical()` writes, its lines folded by fold(): icalendar 7 folds
    every line a character at a time, a fifth of the time these calendars took to make."""
    return b"".join(fold(line).encode("utf-8") + b"\r\n" for line in component.content_lines() if line)


def fold(line: str, limit: int = 75) -> str:
    """A content line folded as icalendar folds it (RFC 5545, 3.1): each part under `limit` octets,
    and no part ending in a backslash or a caret, which escape the character after them.
    tests/test_opportunities.py compares the two on any text."""
    if line.isascii():
        if len(line) < limit:
            return line  # most lines: nothing to fold
        parts, start, width = [], 0, limit - 1
        while len(line) - start > width:
            end = start + width - (width > 1 and line[start + width - 1] in "\\^")
            parts.append(line[start:end])
            start = end
        parts.append(line[start:])
        return "\r\n ".join(parts)
    parts, start, count = [], 0, 0
    for index, char in enumerate(line):
        size = len(char.encode("utf-8"))
        if index > start and count + size >= limit:
            if index - start > 1 and line[index - 1] in "\\^":
                parts.append(line[start:index - 1])
                start, count = index - 1, len(line[index - 1].encode("utf-8"))
            else:
                parts.append(line[start:index])
                start, count = index, 0
        count += size
    if start < len(line):
        parts.append(line[start:])
    return "\r\n ".join(parts)


@functools.lru_cache(maxsize=16)
def _zone(tzid: str, first: date, last: date) -> bytes:
    """A VTIMEZONE as Calendar.add_missing_timezones adds it (and leaves out a zone it cannot make)."""
    try:
        return ical(Timezone.from_tzid(tzid, first_date=first, last_date=last))
    except ValueError:
        return b""


def calendar_bytes(site, events: list[Written], name: str) -> bytes:
    """A calendar of opportunities' events, in the order given. files() writes each opportunity's
    once, for the calendar of every opportunity and for its own: icalendar takes a few milliseconds
    an event, and as long again to find and make the time zones of every calendar."""
    funder = site.funder
    calendar = Calendar()
    calendar.add("prodid", f"-//{funder.name}//Funding opportunities//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/London")
    years = [year for event in events for year in event.years]
    if years:
        # Only the years the data needs: the VTIMEZONE stays short and depends on the data alone.
        first, last = date(min(years) - 1, 1, 1), date(max(years) + 2, 1, 1)
        zones = [_zone(tzid, first, last) for tzid in sorted(set().union(*(event.zones for event in events)))]
    else:
        # RFC 5545 requires at least one component, and a calendar program may refuse a file without
        # one: with no events yet, the time zone the events will use, for the years around the build.
        year = site.now.astimezone(UK).year
        zones = [ical(Timezone.from_tzinfo(UK, "Europe/London", date(year - 1, 1, 1), date(year + 2, 1, 1)))]
    # A calendar's text is its own lines, then each component's in turn, the time zones first.
    shell = ical(calendar)
    return shell[:-len(_END)] + b"".join(zones) + b"".join(event.content for event in events) + _END


_END = b"END:VCALENDAR\r\n"


def files(site, files_so_far) -> list[OutputFile]:
    """A calendar of every opportunity's dates, and one for each opportunity: each event made and
    written once for both."""
    items = site.opportunities
    funder_name = site.funder.display_name
    host = urlsplit(site.funder.website).hostname or "localhost"
    made = {id(item): written(item, host, site.settings.site_url) for item in items}
    by_closing = sorted(items, key=lambda o: (utc(o.closes), o.id))
    calendars = [OutputFile(CALENDAR_PATH, calendar_bytes(site, [made[id(item)] for item in by_closing],
                                                          f"Funding opportunities: {funder_name}"),
                            lastmod(items, site.now))]
    for item in items:
        calendars.append(OutputFile(item.calendar_path, calendar_bytes(site, [made[id(item)]], f"{item.title} ({funder_name})"),
                                    lastmod([item], site.now)))
    return calendars
