"""Funding opportunities: statuses by the clock, the pages a bidder acts on, the feed, calendars and downloads."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timedelta, timezone

import feedparser
import icalendar
import pytest
from hypothesis import given, settings, strategies as st

from commissioning.derive.opportunity import opportunity_status
from commissioning.load.fields import UK, parse_closing, parse_datetime
from commissioning.load.models import Opportunity
from commissioning.derive.documents import file_size
from commissioning.load.fields import months_before
from conftest import page

MINIMAL_NOW = "2026-11-24T09:00"  # OPP-2026-002 open (closes 2027-01-12T12:00); OPP-2025-001 awarded

CONTRACT_OPPORTUNITY = """\
---
id: OPP-2026-003
title: Youth outreach contract
summary: A contract for detached youth work in two towns.
funding_stream: community-safety-fund
priorities: [prevention]
award_type: contract
route: open-tender
funding_envelope: 120000
duration_months: 24
extension_months: 12
opens: 2026-12-07T09:00
closes: 2027-02-01T12:00
clarification_deadline: 2027-01-20T17:00
who_can_apply: [charity, private-company]
evaluation_criteria:
  - criterion: Quality
    weight: 70
    description: A clear plan.
  - criterion: Price
    weight: 30
documents:
  - title: Service specification
    url: documents/youth-spec.pdf
  - title: Needs assessment
    url: https://www.testshire-pcc.example/needs.docx
apply_email: bids@testshire-pcc.example
contact_email: funding@testshire-pcc.example
---
We want detached youth work.
"""

XSS_SPECIFICATION = """
<script>alert('script')</script>
<img src="x" onerror="alert('img')">
<a href="javascript:alert('js')">javascript link</a>
<a href="JaVaScRiPt:alert('mixed case')">mixed case</a>
<a href="&#106;avascript:alert('entity')">entity</a>
<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">data link</a>
[markdown link](javascript:alert('markdown'))
![markdown image](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)
<svg onload="alert('svg')"><circle r="1"/></svg>
<iframe src="https://evil.example/"></iframe>
<object data="https://evil.example/x.swf"></object>
<embed src="https://evil.example/x.swf">
<style>body { display: none }</style>
<div style="background: url(javascript:alert('style'))">styled</div>
<p onmouseover="alert('hover')" title="t">hover</p>
<math><mi xlink:href="javascript:alert('math')">m</mi></math>
<form action="https://evil.example/"><input name="x"><button formaction="javascript:alert(1)">go</button></form>
<details open ontoggle="alert('toggle')"><summary>s</summary></details>

## A heading that stays

Plain text that stays, with a [safe link](https://www.example.org/).
"""


def opportunity(opens: str, closes: str, withdrawn: str | None = None) -> Opportunity:
    """An opportunity model with only its dates and withdrawal mattering."""
    values = {
        "id": "OPP-2026-099", "title": "Test", "summary": "Test.", "funding_stream": "moj-victims",
        "priorities": ["victims"], "award_type": "grant", "route": "open-call", "funding_envelope": "1000",
        "duration_months": "12", "opens": opens, "closes": closes, "who_can_apply": ["charity"],
        "evaluation_criteria": [{"criterion": "Quality", "weight": "100"}], "apply_url": "https://apply.example/",
        "contact_email": "funding@example.org",
    }
    if withdrawn:
        values["withdrawn"] = withdrawn
    return Opportunity.model_validate(values)


def status_at(opens: str, closes: str, now: datetime | str, awarded: bool = False, withdrawn: str | None = None) -> str:
    clock = parse_datetime(now) if isinstance(now, str) else now
    return opportunity_status(opportunity(opens, closes, withdrawn), clock, awarded, 14)


# --- status by the clock ----------------------------------------------------------------------


@pytest.mark.parametrize("now, expected", [
    ("2026-11-02T08:59", "upcoming"),
    ("2026-11-02T09:00", "open"),  # open from the opening minute
    ("2026-11-19T11:59", "open"),  # 14 days and a minute before closing
    ("2026-11-19T12:00", "closing-soon"),  # exactly 14 days before
    ("2026-12-03T11:59", "closing-soon"),
    ("2026-12-03T12:00", "closed"),  # closed at the closing minute
    ("2026-12-03T12:01", "closed"),
])
def test_status_follows_the_clock(now, expected):
    assert status_at("2026-11-02T09:00", "2026-12-03T12:00", now) == expected


@pytest.mark.parametrize("closes, now, expected", [
    # Spring: 2027-03-28, 01:00 GMT becomes 02:00 BST.
    ("2027-03-28T12:00", "2027-03-28T11:59", "closing-soon"),
    ("2027-03-28T12:00", "2027-03-28T12:00", "closed"),
    ("2027-03-28T03:00", "2027-03-28T00:59", "closing-soon"),  # 00:59 GMT is one hour and a minute before 03:00 BST
    ("2027-03-28T03:00", "2027-03-28T03:00", "closed"),
    ("2027-03-27T12:00", "2027-03-27T11:59", "closing-soon"),  # the day before, in GMT
    ("2027-03-29T12:00", "2027-03-29T12:00", "closed"),  # the day after, in BST
    # Autumn: 2026-10-25, 02:00 BST becomes 01:00 GMT.
    ("2026-10-25T12:00", "2026-10-25T11:59", "closing-soon"),
    ("2026-10-25T12:00", "2026-10-25T12:00", "closed"),
    ("2026-10-24T12:00", "2026-10-24T12:00", "closed"),  # the day before, in BST
    ("2026-10-26T12:00", "2026-10-26T11:59", "closing-soon"),  # the day after, in GMT
    ("2026-10-25T01:30", "2026-10-25T01:29", "closing-soon"),  # the first 01:29 (BST)
    ("2026-10-25T01:30", "2026-10-25T01:30", "closed"),
])
def test_status_either_side_of_the_clock_change(closes, now, expected):
    assert status_at("2026-09-01T09:00", closes, now) == expected


def test_closing_time_is_uk_time_in_summer_and_winter():
    assert parse_closing("2026-07-10T12:00").astimezone(timezone.utc).hour == 11  # BST
    assert parse_closing("2026-12-03T12:00").astimezone(timezone.utc).hour == 12  # GMT
    assert parse_closing("2026-12-03") == datetime(2026, 12, 3, 23, 59, tzinfo=UK)  # a date alone means 23:59


def test_status_in_the_repeated_hour_when_the_clocks_go_back():
    # 01:15 GMT (fold=1) comes 45 minutes after 01:30 BST (fold=0), though its wall clock reads earlier.
    second_quarter_past_one = datetime(2026, 10, 25, 1, 15, tzinfo=UK, fold=1)
    assert status_at("2026-09-01T09:00", "2026-10-25T01:30", second_quarter_past_one) == "closed"


def test_closing_soon_counts_real_time_across_the_clock_change():
    # Closes 12:00 GMT on 5 November; 12:00 BST on 22 October is 14 days and 1 hour before.
    assert status_at("2026-09-01T09:00", "2026-11-05T12:00", "2026-10-22T12:00") == "open"
    assert status_at("2026-09-01T09:00", "2026-11-05T12:00", "2026-10-22T13:00") == "closing-soon"


def test_withdrawn_and_awarded_win_over_the_clock():
    assert status_at("2026-11-02T09:00", "2026-12-03T12:00", "2026-11-20T09:00", withdrawn="No funding.") == "withdrawn"
    assert status_at("2026-11-02T09:00", "2026-12-03T12:00", "2026-11-20T09:00", awarded=True) == "awarded"
    assert status_at("2026-11-02T09:00", "2026-12-03T12:00", "2026-10-01T09:00", awarded=True, withdrawn="x") == "withdrawn"


ORDER = ["upcoming", "open", "closing-soon", "closed"]
instants = st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2028, 1, 1)).map(
    lambda d: d.replace(tzinfo=timezone.utc).astimezone(UK))


@settings(max_examples=300, deadline=None)
@given(instants, instants)
def test_status_moves_one_way_and_closes_at_the_closing_instant(first, second):
    """Over any two instants (real UK clock readings, either side of any clock change), status never goes back."""
    earlier, later = sorted((first, second), key=lambda d: d.astimezone(timezone.utc))
    opens, closes = "2026-10-01T09:00", "2027-03-29T12:00"
    a, b = status_at(opens, closes, earlier), status_at(opens, closes, later)
    assert ORDER.index(a) <= ORDER.index(b)
    assert (b == "closed") == (later.astimezone(timezone.utc) >= parse_closing(closes).astimezone(timezone.utc))


@given(st.datetimes(min_value=datetime(2001, 1, 1), max_value=datetime(2099, 12, 31)), st.integers(0, 48))
def test_months_before_is_calendar_months(moment, count):
    earlier = months_before(moment, count)
    assert (moment.year * 12 + moment.month) - (earlier.year * 12 + earlier.month) == count
    assert earlier.day <= moment.day and earlier.time() == moment.time()


def test_file_size_gov_uk_style():
    assert [file_size(n) for n in (850, 2048, 250_000, 1_300_000)] == ["850 bytes", "2 KB", "244 KB", "1.2 MB"]


# --- built pages --------------------------------------------------------------------------------


def built(project, now=MINIMAL_NOW):
    result = project.build(now=now)
    assert result.code == 0, result.err
    return result.output


def status_tag(output, slug: str) -> str:
    return page(output, f"opportunities/{slug}/").select_one("main .govuk-tag").get_text(strip=True)


def calls_to_action(soup) -> list:
    return [a for a in soup.select("main a.govuk-button") if a.get("href", "").startswith(("https://apply.example", "mailto:"))]


@pytest.mark.parametrize("now, tag, can_apply", [
    ("2026-11-02T08:59", "Upcoming", False),
    ("2026-11-02T09:00", "Open", True),
    ("2026-12-29T12:00", "Closing soon", True),  # 14 days before 12pm on 12 January
    ("2027-01-12T11:59", "Closing soon", True),
    ("2027-01-12T12:00", "Closed", False),
])
def test_opportunity_page_status_and_call_to_action(minimal_project, now, tag, can_apply):
    output = built(minimal_project, now)
    soup = page(output, "opportunities/opp-2026-002/")
    assert status_tag(output, "opp-2026-002") == tag
    buttons = calls_to_action(soup)
    assert bool(buttons) == can_apply
    if can_apply:
        assert buttons[0]["href"] == "https://apply.example/opp-2026-002"


def test_withdrawn_opportunity_shows_the_reason_and_no_call_to_action(minimal_project):
    minimal_project.replace("data/opportunities/OPP-2026-002.md", "contact_email:",
                            "withdrawn: The funding was not confirmed.\ncontact_email:")
    output = built(minimal_project)
    soup = page(output, "opportunities/opp-2026-002/")
    assert status_tag(output, "opp-2026-002") == "Withdrawn"
    assert "The funding was not confirmed." in soup.select_one(".app-opportunity-withdrawn").get_text()
    assert calls_to_action(soup) == []
    assert "withdrawn, so you cannot apply" in soup.select_one("main").get_text()


def test_awarded_opportunity_shows_the_outcome(minimal_project):
    output = built(minimal_project)
    soup = page(output, "opportunities/opp-2025-001/")
    assert status_tag(output, "opp-2025-001") == "Awarded"
    assert calls_to_action(soup) == []
    outcome = soup.select_one(".app-opportunity-outcome")
    links = {a["href"]: a.get_text(strip=True) for a in outcome.select("a")}
    assert links == {"/providers/gb-chc-1000001/": "Testshire Victim Care",
                     "/funded-services/tpcc-2025-001/": "Victim care service"}
    assert "£150,000" in outcome.get_text()


def test_opportunity_page_content(minimal_project):
    output = built(minimal_project)
    soup = page(output, "opportunities/opp-2026-002/")
    main = soup.select_one("main")
    assert soup.select_one("h1").get_text(strip=True) == "Stalking advocacy service"
    facts = {row.select_one("dt").get_text(strip=True): " ".join(row.select_one("dd").get_text(" ", strip=True).split())
             for row in main.select(".govuk-summary-list__row")}
    assert facts["Funding stream"] == "Ministry of Justice victims funding (from Ministry of Justice)"
    assert facts["Grant or contract"] == "Grant"
    assert facts["How it is awarded"] == "Open call"
    assert facts["Funding envelope"] == "£90,000 in total (about £30,000 a year)"
    assert facts["Size of award"] == "£20,000 to £90,000"
    assert facts["Length of funding"] == "3 years"
    assert facts["Who can apply"] == "Charity Community interest company"
    assert facts["Closing date"] == "12pm (midday) UK time on 12 January 2027"
    assert main.select_one(f'a[href="/funding-streams/moj-victims/"]')
    timeline = [(li.select_one("time").get_text(strip=True), li.select_one(".app-timeline__title").get_text(strip=True))
                for li in main.select(".app-timeline__item")]
    assert timeline == [
        ("9am UK time on 2 November 2026", "Applications open"),
        ("10am to 12pm (midday) UK time on 18 November 2026", "Provider engagement event"),
        ("12pm (midday) UK time on 12 January 2027", "Closing date for bids"),
        ("15 February 2027", "Decisions by"),
        ("1 April 2027", "Service starts"),
    ]
    done = [li for li in main.select(".app-timeline__item--done")]
    assert len(done) == 2  # opened and the event, at 24 November 2026
    rows = [[c.get_text(strip=True) for c in tr.select("th, td")] for tr in main.select("table tbody tr")]
    assert rows == [["Quality", "60%"], ["Social value", "10%"], ["Value for money", "30%"]]
    # Who scores bids comes from the data (tests/test_opportunity_page.py), never a sentence fixed in the template.
    assert "independent panel member or a subject expert" not in main.get_text()
    assert main.select_one('a[href="/priorities/victims/"]').get_text(strip=True) == "Victims at the heart"
    assert main.select_one('a[href="/provider-expectations/"]').get_text(strip=True) == "What we expect of providers"
    assert main.select_one('a[href="mailto:funding@testshire-pcc.example"]')
    assert main.select_one('a[href="/opportunities/opp-2026-002/opp-2026-002.ics"]')
    assert (output / "opportunities/opp-2026-002/opp-2026-002.ics").is_file()
    assert main.select_one('a[href="/feeds/opportunities.atom.xml"]').get_text(strip=True) == "Subscribe (Atom feed)"
    assert soup.select_one('head link[rel="alternate"][type="application/atom+xml"]')["href"] == "/feeds/opportunities.atom.xml"
    assert soup.select_one("main h2#specification + div h3").get_text(strip=True) == "The need"  # under the page's h2


def test_specification_headings_cannot_clash_with_the_page(minimal_project):
    minimal_project.replace("data/opportunities/OPP-2026-002.md", "## The need",
                            "## Key dates\n\nSee [the dates](#key-dates).\n\n## The need")
    soup = page(built(minimal_project), "opportunities/opp-2026-002/")
    ids = [element["id"] for element in soup.select("[id]")]
    assert len(ids) == len(set(ids))
    link = soup.select_one(".app-opportunity-specification a")
    assert link["href"] == "#spec-key-dates" and soup.select_one("h3#spec-key-dates")


def test_documents_clarification_and_email_bids(minimal_project):
    minimal_project.write("data/opportunities/OPP-2026-003.md", CONTRACT_OPPORTUNITY)
    minimal_project.write("content/documents/youth-spec.pdf", b"%PDF-1.4\n" + b"0" * 2039)  # 2,048 bytes
    output = built(minimal_project, "2026-12-08T09:00")
    soup = page(output, "opportunities/opp-2026-003/")
    documents = [(a["href"], a.get_text(strip=True), li.select_one(".app-opportunity-documents__meta").get_text(strip=True))
                 for li in soup.select(".app-opportunity-documents li") for a in li.select("a")]
    assert documents == [("/documents/youth-spec.pdf", "Service specification", "PDF, 2 KB"),
                         ("https://www.testshire-pcc.example/needs.docx", "Needs assessment", "Word document")]
    assert (output / "documents/youth-spec.pdf").stat().st_size == 2048
    button = calls_to_action(soup)[0]
    assert button["href"] == "mailto:bids@testshire-pcc.example?subject=Bid%20for%20OPP-2026-003%3A%20Youth%20outreach%20contract"
    titles = [t.get_text(strip=True) for t in soup.select(".app-timeline__title")]
    assert titles.index("Last day for questions") == titles.index("Closing date for bids") - 1
    assert "5pm UK time on 20 January 2027" in soup.select_one("#questions + p").get_text()
    facts = {r.select_one("dt").get_text(strip=True): r.select_one("dd").get_text(" ", strip=True)
             for r in soup.select(".govuk-summary-list__row")}
    assert facts["Length of funding"] == "2 years, with a possible extension of up to 1 year"
    assert facts["Grant or contract"] == "Contract"


def test_specification_full_of_xss_renders_inert(minimal_project):
    text = minimal_project.read("data/opportunities/OPP-2026-002.md")
    head, _ = text.rsplit("---\n", 1)
    minimal_project.write("data/opportunities/OPP-2026-002.md", head.replace(
        "title: Stalking advocacy service", 'title: "Stalking <img src=x onerror=alert(1)> service"') + "---\n" + XSS_SPECIFICATION)
    output = built(minimal_project)
    soup = page(output, "opportunities/opp-2026-002/")
    spec = soup.select_one(".app-opportunity-specification")
    assert spec.select_one("h3").get_text(strip=True) == "A heading that stays"
    assert spec.select_one('a[href="https://www.example.org/"]')
    for bad in ("script", "iframe", "object", "embed", "svg", "style", "form", "input", "button", "math"):
        assert spec.select(bad) == [], bad
    for element in soup.select("main *"):
        for name, value in element.attrs.items():
            assert not name.lower().startswith("on"), (element.name, name)
            assert name.lower() not in ("style", "formaction", "xlink:href"), (element.name, name)
            if name in ("href", "src", "action"):
                scheme = value.split(":", 1)[0].lower().strip() if ":" in value else ""
                assert scheme in ("", "http", "https", "mailto"), (element.name, value)
    assert soup.select_one("h1").get_text() == "Stalking <img src=x onerror=alert(1)> service"  # shown as text
    assert "<img src=x" not in str(soup.select_one("main"))


# --- index, filters, archive, home ------------------------------------------------------------


def listed(soup, heading_id: str) -> list[str]:
    """The opportunities listed under a heading of the index, by slug, in order."""
    for sibling in soup.select_one(f"h2#{heading_id}").find_next_siblings():
        if sibling.name == "h2":
            break
        if sibling.name == "ul" and "app-status-list" in sibling.get("class", []):
            return [a["href"].split("/")[-2] for a in sibling.select(".app-status-list__name > a")]
    return []


def test_index_groups_and_orders_opportunities(minimal_project):
    minimal_project.write("data/opportunities/OPP-2026-003.md", CONTRACT_OPPORTUNITY)
    minimal_project.write("content/documents/youth-spec.pdf", b"%PDF")
    # A second open opportunity closing sooner, and the awarded one closed more than a year before.
    minimal_project.write("data/opportunities/OPP-2026-004.md", minimal_project.read("data/opportunities/OPP-2026-002.md")
                          .replace("OPP-2026-002", "OPP-2026-004").replace("closes: 2027-01-12T12:00", "closes: 2026-12-01T12:00"))
    output = built(minimal_project, "2026-11-24T09:00")
    soup = page(output, "opportunities/")
    assert listed(soup, "open") == ["opp-2026-004", "opp-2026-002"]  # soonest closing first
    tags = [t.get_text(strip=True) for t in soup.select("h2#open + ul .govuk-tag")]
    assert tags == ["Closing soon", "Open"]
    assert listed(soup, "upcoming") == ["opp-2026-003"]
    assert listed(soup, "recent") == []  # OPP-2025-001 closed in January 2025, more than 12 months ago
    assert soup.select_one('a[href="/opportunities/archive/"]')
    archive = page(output, "opportunities/archive/")
    assert [a["href"] for a in archive.select("tbody th a")] == [
        "/opportunities/opp-2026-003/", "/opportunities/opp-2026-002/", "/opportunities/opp-2026-004/",
        "/opportunities/opp-2025-001/"]
    later = built(minimal_project, "2027-01-20T09:00")
    soup = page(later, "opportunities/")
    assert listed(soup, "recent") == ["opp-2026-002", "opp-2026-004"]


def test_filter_pages_list_the_right_opportunities(minimal_project):
    minimal_project.write("data/opportunities/OPP-2026-003.md", CONTRACT_OPPORTUNITY)
    minimal_project.write("content/documents/youth-spec.pdf", b"%PDF")
    output = built(minimal_project)

    def members(path):
        return sorted(a["href"].split("/")[-2] for a in page(output, path).select("main .app-status-list__name > a"))

    assert members("opportunities/stream/moj-victims/") == ["opp-2025-001", "opp-2026-002"]
    assert members("opportunities/stream/community-safety-fund/") == ["opp-2026-003"]
    assert members("opportunities/type/grant/") == ["opp-2025-001", "opp-2026-002"]
    assert members("opportunities/type/contract/") == ["opp-2026-003"]
    assert members("opportunities/priority/victims/") == ["opp-2025-001", "opp-2026-002"]
    assert members("opportunities/priority/prevention/") == ["opp-2026-003"]
    index = page(output, "opportunities/")
    filter_links = {a["href"] for a in index.select("#filter a")}
    assert {"/opportunities/stream/moj-victims/", "/opportunities/type/contract/",
            "/opportunities/priority/prevention/"} <= filter_links
    # Plain links without JavaScript: the finder's form is hidden until its script shows it.
    assert not index.select("main script") and index.select_one("main form[data-finder]").has_attr("hidden")


def test_filter_pages_only_for_values_with_opportunities(minimal_project):
    output = built(minimal_project)
    assert (output / "opportunities/type/grant/index.html").is_file()
    assert not (output / "opportunities/type/contract").exists()
    assert not (output / "opportunities/stream/community-safety-fund").exists()


def test_home_leads_with_what_is_open(minimal_project):
    output = built(minimal_project)
    soup = page(output, "")
    first_heading = soup.select_one("main h2")
    assert first_heading.get_text(strip=True) == "1 opportunity open now"
    item = first_heading.find_next_sibling("ul")
    assert item.select_one("a")["href"] == "/opportunities/opp-2026-002/"
    assert "Closes 12pm (midday) UK time on 12 January 2027" in item.get_text()
    hrefs = {a["href"] for a in soup.select("main a")}
    assert {"/funded-services/", "/spend/", "/data/", "/opportunities/"} <= hrefs
    closed = built(minimal_project, "2027-02-01T09:00")
    assert page(closed, "").select_one("main h2").get_text(strip=True) == "Nothing open for bids right now"


# --- calendars ------------------------------------------------------------------------------------


def events_of(path) -> dict:
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def test_calendar_has_every_deadline_and_event(minimal_project):
    minimal_project.write("data/opportunities/OPP-2026-003.md", CONTRACT_OPPORTUNITY)
    minimal_project.write("content/documents/youth-spec.pdf", b"%PDF")
    output = built(minimal_project)
    calendar = icalendar.Calendar.from_ical((output / "opportunities/calendar.ics").read_bytes())
    assert str(calendar["VERSION"]) == "2.0" and calendar["PRODID"]
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/London"]
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    host = "www.testshire-pcc.example"
    assert set(events) == {f"opp-2025-001-closes@{host}", f"opp-2026-002-closes@{host}", f"opp-2026-002-event-provider-engagement-event@{host}",
                           f"opp-2026-003-closes@{host}", f"opp-2026-003-questions@{host}"}
    closes = events[f"opp-2026-002-closes@{host}"]
    assert closes.decoded("DTSTART") == datetime(2027, 1, 12, 12, 0, tzinfo=UK)
    assert closes["DTSTART"].params["TZID"] == "Europe/London"
    assert closes.decoded("DTSTAMP").tzinfo is not None and closes.decoded("DTSTAMP").utcoffset() == timedelta(0)
    event = events[f"opp-2026-002-event-provider-engagement-event@{host}"]
    assert event.decoded("DTEND") - event.decoded("DTSTART") == timedelta(hours=2)
    assert str(event["LOCATION"]) == "Online"
    one = icalendar.Calendar.from_ical((output / "opportunities/opp-2026-002/opp-2026-002.ics").read_bytes())
    assert sorted(str(e["UID"]) for e in one.walk("VEVENT")) == [f"opp-2026-002-closes@{host}", f"opp-2026-002-event-provider-engagement-event@{host}"]


def test_calendar_summer_deadline_keeps_uk_time(minimal_project):
    minimal_project.replace("data/opportunities/OPP-2026-002.md", "closes: 2027-01-12T12:00", "closes: 2027-06-30T12:00")
    # Decisions and the service come after the closing date (a rule says so).
    minimal_project.replace("data/opportunities/OPP-2026-002.md", "decision_by: 2027-02-15", "decision_by: 2027-07-31")
    minimal_project.replace("data/opportunities/OPP-2026-002.md", "service_start: 2027-04-01", "service_start: 2027-10-01")
    output = built(minimal_project)
    closes = events_of(output / "opportunities/calendar.ics")["opp-2026-002-closes@www.testshire-pcc.example"]
    assert closes.decoded("DTSTART").astimezone(timezone.utc) == datetime(2027, 6, 30, 11, 0, tzinfo=timezone.utc)


def test_calendars_are_the_same_in_two_builds_at_different_times(minimal_project):
    first = (built(minimal_project, "2026-11-24T09:00") / "opportunities/calendar.ics").read_bytes()
    second = (built(minimal_project, "2026-11-25T15:30") / "opportunities/calendar.ics").read_bytes()
    assert first == second
    third = events_of(built(minimal_project, "2027-01-12T12:00") / "opportunities/calendar.ics")
    assert set(third) == set(icalendar_uids(first))  # UIDs stable when the status changes ...
    stamp = third["opp-2026-002-closes@www.testshire-pcc.example"].decoded("DTSTAMP")
    assert stamp == datetime(2027, 1, 12, 12, 0, tzinfo=timezone.utc)  # ... and DTSTAMP moves with it


def icalendar_uids(data: bytes) -> list[str]:
    return [str(e["UID"]) for e in icalendar.Calendar.from_ical(data).walk("VEVENT")]


def test_withdrawn_opportunity_is_cancelled_in_calendars(minimal_project):
    minimal_project.replace("data/opportunities/OPP-2026-002.md", "contact_email:", "withdrawn: No funding.\ncontact_email:")
    events = events_of(built(minimal_project) / "opportunities/calendar.ics")
    assert str(events["opp-2026-002-closes@www.testshire-pcc.example"]["STATUS"]) == "CANCELLED"


# --- feed -----------------------------------------------------------------------------------------


def feed_of(output):
    parsed = feedparser.parse((output / "feeds/opportunities.atom.xml").read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    return parsed


def test_feed_is_valid_atom_with_an_entry_per_opportunity(minimal_project):
    minimal_project.write("data/opportunities/OPP-2026-003.md", CONTRACT_OPPORTUNITY)
    minimal_project.write("content/documents/youth-spec.pdf", b"%PDF")
    parsed = feed_of(built(minimal_project))
    assert parsed.version == "atom10"
    ids = {e.id for e in parsed.entries}
    assert ids == {"tag:www.testshire-pcc.example,2024:opportunity/OPP-2026-002",
                   "tag:www.testshire-pcc.example,2024:opportunity/OPP-2025-001",
                   "tag:www.testshire-pcc.example,2024:opportunity/OPP-2026-003"}
    upcoming = next(e for e in parsed.entries if e.id.endswith("OPP-2026-003"))
    assert upcoming.title == "Youth outreach contract (Upcoming)"
    # Nothing has happened to it yet and no update says when it was published: dated at the build, never after it.
    assert upcoming.updated_parsed[:5] == (2026, 11, 24, 9, 0)
    entry = next(e for e in parsed.entries if e.id.endswith("OPP-2026-002"))
    assert entry.title == "Stalking advocacy service (Open)"
    assert entry.link.endswith("/opportunities/opp-2026-002/")
    assert "Open for bids until 12pm (midday) UK time on 12 January 2027." in entry.summary
    assert entry.updated_parsed[:5] == (2026, 11, 2, 9, 0)  # it opened at 9am GMT on 2 November
    awarded = next(e for e in parsed.entries if e.id.endswith("OPP-2025-001"))
    assert awarded.updated_parsed[:3] == (2025, 3, 1)  # the award date
    # The feed is as new as its newest entry, and no entry is newer than the feed.
    assert parsed.feed.updated_parsed == max(e.updated_parsed for e in parsed.entries) == upcoming.updated_parsed


def test_feed_updated_changes_only_when_the_status_does(minimal_project):
    first = built(minimal_project, "2026-11-24T09:00")
    feed_bytes = (first / "feeds/opportunities.atom.xml").read_bytes()
    second = built(minimal_project, "2026-12-20T18:45")
    assert (second / "feeds/opportunities.atom.xml").read_bytes() == feed_bytes
    soon = feed_of(built(minimal_project, "2026-12-30T09:00"))
    entry = next(e for e in soon.entries if e.id.endswith("OPP-2026-002"))
    assert entry.title == "Stalking advocacy service (Closing soon)"
    assert entry.updated_parsed[:5] == (2026, 12, 29, 12, 0)  # 14 days before closing
    closed = feed_of(built(minimal_project, "2027-01-12T12:00"))
    entry = next(e for e in closed.entries if e.id.endswith("OPP-2026-002"))
    assert entry.updated_parsed[:5] == (2027, 1, 12, 12, 0)


# --- downloads ------------------------------------------------------------------------------------


def test_csv_and_json_hold_every_opportunity_with_its_status(minimal_project):
    minimal_project.replace("data/opportunities/OPP-2026-002.md", "title: Stalking advocacy service",
                            "title: =HYPERLINK(\"https://evil.example\")")
    output = built(minimal_project)
    raw = (output / "data/opportunities.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    by_id = {r["id"]: r for r in rows}
    assert set(by_id) == {"OPP-2025-001", "OPP-2026-002"}
    assert by_id["OPP-2026-002"]["status"] == "open" and by_id["OPP-2025-001"]["status"] == "awarded"
    assert by_id["OPP-2026-002"]["title"] == "'=HYPERLINK(\"https://evil.example\")"  # formula-safe
    assert by_id["OPP-2026-002"]["closes"] == "2027-01-12T12:00:00+00:00"
    assert by_id["OPP-2026-002"]["who_can_apply"] == "charity;community-interest-company"
    assert by_id["OPP-2026-002"]["evaluation_criteria"] == "Quality (60%);Social value (10%);Value for money (30%)"
    assert by_id["OPP-2025-001"]["award_ids"] == "TPCC-2025-001"
    contract_fields = set(Opportunity.model_fields)
    assert contract_fields <= set(rows[0])  # every field of the contract
    data = json.loads((output / "data/opportunities.json").read_text(encoding="utf-8"))
    objects = {o["id"]: o for o in data["opportunities"]}
    assert set(objects) == set(by_id)
    assert contract_fields <= set(objects["OPP-2026-002"])
    assert objects["OPP-2026-002"]["status"] == "open"
    assert objects["OPP-2026-002"]["evaluation_criteria"][0] == {"criterion": "Quality", "weight": 60}
    assert objects["OPP-2026-002"]["events"][0]["start"] == "2026-11-18T10:00:00+00:00"
    assert objects["OPP-2026-002"]["funding_envelope"] == 90000


# --- the sample site --------------------------------------------------------------------------------


def test_sample_site_opportunities_are_consistent(sample_site):
    data = json.loads((sample_site / "data/opportunities.json").read_text(encoding="utf-8"))["opportunities"]
    assert data, "the sample data has opportunities"
    index = page(sample_site, "opportunities/")
    open_now = [o for o in data if o["status"] in ("open", "closing-soon")]
    assert listed(index, "open") == [o["id"].lower() for o in sorted(open_now, key=lambda o: datetime.fromisoformat(o["closes"]))]
    for item in data:
        soup = page(sample_site, f"opportunities/{item['id'].lower()}/")
        tag = soup.select_one("main .govuk-tag").get_text(strip=True)
        assert tag.lower().replace(" ", "-") == item["status"], item["id"]
        assert bool(soup.select(".app-opportunity-cta")) == (item["status"] in ("open", "closing-soon")), item["id"]
        assert (sample_site / f"opportunities/{item['id'].lower()}/{item['id'].lower()}.ics").is_file()
    assert len(feed_of(sample_site).entries) == len(data)
    home = page(sample_site, "")
    assert home.select_one("main h2").get_text(strip=True).startswith(f"{len(open_now)} opportunit")


def test_feed_and_calendar_use_the_public_address(minimal_project):
    result = minimal_project.build(now=MINIMAL_NOW, SITEURL="https://funding.testshire.example")
    assert result.code == 0, result.err
    parsed = feed_of(result.output)
    assert parsed.feed.link == "https://funding.testshire.example/opportunities/"
    assert all(e.link.startswith("https://funding.testshire.example/opportunities/") for e in parsed.entries)
    closes = events_of(result.output / "opportunities/calendar.ics")["opp-2026-002-closes@www.testshire-pcc.example"]
    assert str(closes["URL"]) == "https://funding.testshire.example/opportunities/opp-2026-002/"


# --- what a bidder sees first ----------------------------------------------------------------------


def test_every_title_and_the_header_say_who_is_funding(minimal_project):
    result = minimal_project.build(now="2026-11-10T09:00")
    assert result.code == 0, result.err
    for path in ("", "opportunities/", "opportunities/opp-2026-002/", "funded-services/", "spend/", "data/"):
        soup = page(result.output, path)
        assert soup.title.get_text().endswith("Testshire OPCC: Commissioning and funding"), path
        assert soup.select_one(".app-service-funder").get_text() == "Testshire OPCC"
    facts = page(result.output, "opportunities/opp-2026-002/")
    row = next(r for r in facts.select(".govuk-summary-list__row")
               if r.select_one("dt").get_text(strip=True) == "Funding organisation")
    assert row.select_one("dd").get_text(strip=True) == "Testshire Police and Crime Commissioner"


def test_a_booking_link_is_shown_until_the_event_has_happened(minimal_project):
    minimal_project.replace("data/opportunities/OPP-2026-002.md", "    location: Online\n",
                            "    location: Online\n    booking_url: https://book.example/event-1\n")
    before = minimal_project.build(now="2026-11-10T09:00")
    assert before.code == 0, before.err
    link = page(before.output, "opportunities/opp-2026-002/").select_one(".app-timeline a[href='https://book.example/event-1']")
    assert link and link.get_text(" ", strip=True) == "Book a place : Provider engagement event"
    after = minimal_project.build(now="2026-11-19T09:00")
    assert not page(after.output, "opportunities/opp-2026-002/").select_one("a[href='https://book.example/event-1']")


def test_every_opportunity_links_to_the_guide_to_applying(minimal_project):
    result = minimal_project.build(now="2026-11-10T09:00")
    for path in ("opportunities/opp-2026-002/", "opportunities/opp-2025-001/"):
        assert page(result.output, path).select_one("#how-to-apply ~ p a[href='/applying/']"), path


def test_an_awarded_call_says_how_much_of_its_pot_was_awarded(minimal_project):
    result = minimal_project.build(now="2026-11-10T09:00")
    listing = page(result.output, "opportunities/stream/moj-victims/")
    meta = {li.select_one("a").get_text(strip=True): li.select_one(".app-status-list__meta").get_text(" ", strip=True)
            for li in listing.select(".app-status-list__item")}
    assert meta["Victim care service"].endswith("£150,000 awarded of £150,000")
    assert meta["Stalking advocacy service"].endswith("£90,000 available"), "an open call says what is available"


def test_adding_an_event_leaves_the_other_events_uids_as_they_were(minimal_project):
    first = minimal_project.build(now="2026-11-10T09:00")
    assert first.code == 0, first.err
    before = set(icalendar_uids((first.output / "opportunities/opp-2026-002/opp-2026-002.ics").read_bytes()))
    minimal_project.replace("data/opportunities/OPP-2026-002.md", "events:\n", (
        "events:\n  - title: Market warming breakfast\n    start: 2026-11-12T08:00\n"
        "    end: 2026-11-12T09:00\n    location: Online\n"))
    second = minimal_project.build(now="2026-11-10T09:00")
    assert second.code == 0, second.err
    after = set(icalendar_uids((second.output / "opportunities/opp-2026-002/opp-2026-002.ics").read_bytes()))
    assert before < after and len(after - before) == 1, "the new event is new; every other UID is unchanged"


def test_calendars_are_the_text_icalendar_writes_for_the_whole_calendar(sample_project):
    """calendars.py writes each event once and puts the calendars together from the pieces: every
    calendar must be what icalendar writes for the calendar built whole, time zones added by it."""
    from urllib.parse import urlsplit

    from commissioning.derive.site import derive
    from commissioning.load.loader import load_dataset
    from commissioning.opportunities import calendars
    from commissioning.settings import from_pelican

    config = from_pelican({"COMMISSIONING_ROOT": str(sample_project.root), "PATH": str(sample_project.root / "content"),
                           "COMMISSIONING_NOW": "2026-11-24T09:00"})
    site = derive(load_dataset(config.data_dir, config.content_dir, config.root), config)
    host = urlsplit(site.funder.website).hostname

    def whole(items, name):
        calendar = icalendar.Calendar()
        for key, value in (("prodid", f"-//{site.funder.name}//Funding opportunities//EN"), ("version", "2.0"),
                           ("calscale", "GREGORIAN"), ("method", "PUBLISH"), ("name", name), ("x-wr-calname", name),
                           ("x-wr-timezone", "Europe/London")):
            calendar.add(key, value)
        events = [e for item in sorted(items, key=lambda o: (o.closes, o.id))
                  for e in calendars.events_for(item, host, site.settings.site_url)]
        for event in events:
            calendar.add_component(event)
        years = [e.DTSTART.year for e in events]
        calendar.add_missing_timezones(first_date=datetime(min(years) - 1, 1, 1).date(),
                                       last_date=datetime(max(years) + 2, 1, 1).date())
        return calendar.to_ical()

    made = {f.save_as: f.content for f in calendars.files(site, [])}
    name = site.funder.display_name
    assert made[calendars.CALENDAR_PATH] == whole(site.opportunities, f"Funding opportunities: {name}")
    assert len(made) == len(site.opportunities) + 1
    for item in site.opportunities:
        assert made[item.calendar_path] == whole([item], f"{item.title} ({name})"), item.id


# Lines of any length around a fold, rich in the characters that decide where one falls: escapes
# (a backslash, a caret), and characters of two, three and four octets in UTF-8.
_FOLD_TEXT = st.text(st.one_of(st.sampled_from("ab\\^ ;,:£€—😀"), st.characters(exclude_categories=("Cs",))),
                     max_size=400).map(lambda text: text.replace("\n", " ").replace("\r", " "))


@settings(max_examples=400, deadline=None)
@given(line=st.one_of(_FOLD_TEXT, *(st.text(st.sampled_from(alphabet), min_size=30, max_size=300)
                                    for alphabet in ("ab\\^", "ab\\^£", "a\\^€😀"))))
def test_calendar_lines_are_folded_as_icalendar_folds_them(line):
    """calendars.fold is icalendar's own folding (Contentline.to_ical), made fast for the lines that
    need none and for plain ASCII: the same text for any line."""
    from icalendar.parser import Contentline

    from commissioning.opportunities import calendars

    assert calendars.fold(line) == Contentline(line).to_ical().decode("utf-8")
