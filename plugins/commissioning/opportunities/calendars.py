"""Calendars (RFC 5545): every closing date and engagement event, and one calendar per opportunity.

Times carry TZID Europe/London with a VTIMEZONE covering the years the data spans, so a deadline
stays at 12pm UK time across the clock change. UIDs are built from the opportunity id, a key for the
event that does not depend on its place in the list, and the funder's web host. DTSTAMP and
LAST-MODIFIED are the opportunity's stamp and SEQUENCE the number of its updates, so a calendar
sees an edit (a moved closing date) as a change to the same event, and two builds of the same data
write the same files.
"""

from __future__ import annotations

import re
from datetime import date
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


def calendar_bytes(site, items: list[OpportunityView], name: str) -> bytes:
    funder = site.funder
    host = urlsplit(funder.website).hostname or "localhost"
    site_url = site.settings.site_url
    calendar = Calendar()
    calendar.add("prodid", f"-//{funder.name}//Funding opportunities//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/London")
    years = []
    for item in sorted(items, key=lambda o: (utc(o.closes), o.id)):
        for entry in events_for(item, host, site_url):
            calendar.add_component(entry)
            years.append(entry.DTSTART.year)
    if years:
        # Only the years the data needs: the VTIMEZONE stays short and depends on the data alone.
        calendar.add_missing_timezones(first_date=date(min(years) - 1, 1, 1), last_date=date(max(years) + 2, 1, 1))
    else:
        # RFC 5545 requires at least one component, and a calendar program may refuse a file without
        # one: with no events yet, the time zone the events will use, for the years around the build.
        year = site.now.astimezone(UK).year
        calendar.add_component(Timezone.from_tzinfo(UK, "Europe/London", date(year - 1, 1, 1), date(year + 2, 1, 1)))
    return calendar.to_ical()


def files(site, files_so_far) -> list[OutputFile]:
    """A calendar of every opportunity's dates, and one for each opportunity."""
    items = site.opportunities
    funder_name = site.funder.display_name
    calendars = [OutputFile(CALENDAR_PATH, calendar_bytes(site, items, f"Funding opportunities: {funder_name}"),
                            lastmod(items, site.now))]
    for item in items:
        calendars.append(OutputFile(item.calendar_path, calendar_bytes(site, [item], f"{item.title} ({funder_name})"),
                                    lastmod([item], site.now)))
    return calendars
