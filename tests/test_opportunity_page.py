"""One opportunity's page as a bidder reads it, and what subscribers to its feed and calendars see when it changes."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import feedparser
import icalendar
from hypothesis import given, settings, strategies as st

from commissioning.derive.opportunity import OpportunityView
from commissioning.load.fields import UK
from commissioning.load.models import Opportunity
from conftest import REPO, page
from minimal import OPEN_OPPORTUNITY

NOW = "2026-11-24T09:00"
OPEN = "data/opportunities/OPP-2026-002.md"
HOST = "www.testshire-pcc.example"
CLOSING = "12pm (midday) UK time on 12 January 2027"

AREAS = """\
areas:
  - code: testshire
    name: Testshire
    geo_code: E23000099
    geo_code_type: PFA
    whole: yes
  - code: testtown
    name: Testtown
    geo_code: E06000098
    geo_code_type: UA
  - code: othertown
    name: Othertown
    geo_code: E06000099
    geo_code_type: UA
"""

FUNDER_PANEL = """\
panel_text: >-
  Two officers and an independent member from the victims' board score every bid.
"""

FIELDS = """\
eligibility:
  - Have at least two years' experience of advocacy.
  - Hold a safeguarding policy reviewed in the last year.
not_funded:
  - Building works.
clarifications:
  - question: Can two charities bid together?
    answer: Yes, with one as the lead partner.
    published: 2026-11-16
  - question: Is there a page limit?
    answer: Ten pages, not counting the budget.
    published: 2026-11-19
"""

UPDATE = """\
updates:
  - date: 2026-11-20T10:00
    change: Closing date moved from 12 January to 19 January 2027.
"""


def build(project, now: str = NOW):
    result = project.build(now=now, COMMISSIONING_SEARCH_INDEX=False)
    assert result.code == 0, result.err
    return result.output


def with_fields(project, *blocks: str) -> None:
    """Add front-matter fields to the open opportunity, before its apply_url line."""
    project.replace(OPEN, "apply_url:", "".join(blocks) + "apply_url:")


def text_of(element) -> str:
    return " ".join(element.get_text(" ", strip=True).split())


def panel_facts(soup) -> dict[str, str]:
    return {text_of(row.select_one("dt")): text_of(row.select_one("dd"))
            for row in soup.select(".app-opportunity-panel .govuk-summary-list__row")}


# --- the page -------------------------------------------------------------------------------------


def test_the_summary_panel_comes_first_with_what_a_bidder_decides_on(minimal_project):
    minimal_project.replace("data/funder.yaml", "priorities:\n", AREAS + "priorities:\n")
    with_fields(minimal_project, "areas: [testtown]\n")
    soup = page(build(minimal_project), "opportunities/opp-2026-002/")
    panel = soup.select_one(".app-opportunity-panel")
    body = soup.select_one(".app-opportunity__body")
    # Before the text (a phone shows it first); on a wide screen a third of the width, beside the text's two-thirds.
    assert panel.find_next(class_="app-opportunity__body") is body
    assert "govuk-grid-column-one-third-from-desktop" in panel.parent["class"]
    assert "govuk-grid-column-two-thirds-from-desktop" in body["class"]
    assert panel_facts(soup) == {"Size of award": "£20,000 to £90,000", "Who can apply": "Charity Community interest company",
                                 "Area": "Testtown", "Closing date": CLOSING}
    button = panel.select_one("a.govuk-button")
    assert button["href"] == "https://apply.example/opp-2026-002" and button.find_parent(attrs={"data-while-open": True})


def test_the_area_is_the_whole_area_unless_the_opportunity_names_its_own(minimal_project):
    minimal_project.replace("data/funder.yaml", "priorities:\n", AREAS + "priorities:\n")
    output = build(minimal_project)
    assert panel_facts(page(output, "opportunities/opp-2026-002/"))["Area"] == "Testshire"
    with_fields(minimal_project, "areas: [testtown, othertown]\n")
    soup = page(build(minimal_project), "opportunities/opp-2026-002/")
    assert panel_facts(soup)["Area"] == "Testtown and Othertown"
    assert "for work in Testtown and Othertown" in text_of(soup.select_one("#eligibility + p"))


def test_sections_come_in_the_order_a_bidder_reads_them_and_the_contents_list_them(minimal_project):
    soup = page(build(minimal_project), "opportunities/opp-2026-002/")
    body = soup.select_one(".app-opportunity__body")
    headings = [(h["id"], text_of(h)) for h in body.select("h2[id]") if h["id"] not in ("contents-heading", "keep-up-to-date")]
    assert headings == [("summary", "Summary"), ("eligibility", "Who can apply"), ("specification", "What we want to fund"),
                        ("evaluation", "How bids are assessed"), ("key-dates", "Key dates and events"),
                        ("questions", "Questions and answers"), ("updates", "Updates"), ("how-to-apply", "How to apply")]
    contents = [(a["href"], text_of(a)) for a in soup.select("nav.app-contents a")]
    assert contents == [(f"#{key}", title) for key, title in headings]  # no Documents: it has none
    assert soup.select_one("#how-to-apply ~ p a[href='/applying/']")


def test_the_closing_date_is_said_once_in_the_panel_and_once_in_the_key_dates(minimal_project):
    soup = page(build(minimal_project), "opportunities/opp-2026-002/")
    main = soup.select_one("main")
    assert text_of(main).count(CLOSING) == 2
    assert CLOSING in text_of(soup.select_one(".app-opportunity-panel"))
    assert CLOSING in text_of(soup.select_one("#key-dates ~ .app-timeline"))
    closing_soon = page(build(minimal_project, "2027-01-09T09:00"), "opportunities/opp-2026-002/")
    assert panel_facts(closing_soon)["Closing date"] == f"{CLOSING} (in 3 days)"
    assert text_of(closing_soon.select_one("main")).count(CLOSING) == 2


def test_eligibility_what_we_will_not_fund_and_the_answers_to_questions(minimal_project):
    with_fields(minimal_project, FIELDS)
    soup = page(build(minimal_project), "opportunities/opp-2026-002/")
    assert [text_of(li) for li in soup.select(".app-opportunity-eligibility li")] == [
        "Have at least two years' experience of advocacy.", "Hold a safeguarding policy reviewed in the last year."]
    assert [text_of(li) for li in soup.select(".app-opportunity-not-funded li")] == ["Building works."]
    answers = [(text_of(i.select_one("h3")), text_of(i.select_one(".app-opportunity-qa__answer")),
                i.select_one("time")["datetime"]) for i in soup.select("#questions ~ .app-opportunity-qa .app-opportunity-qa__item")]
    assert answers == [("Is there a page limit?", "Ten pages, not counting the budget.", "2026-11-19"),
                       ("Can two charities bid together?", "Yes, with one as the lead partner.", "2026-11-16")]


def test_without_them_the_page_says_so_rather_than_leaving_a_gap(minimal_project):
    soup = page(build(minimal_project), "opportunities/opp-2026-002/")
    assert not soup.select(".app-opportunity-eligibility, .app-opportunity-not-funded, .app-opportunity-qa")
    assert "No questions have been answered yet." in text_of(soup.select_one("main"))
    assert "Nothing has changed since it was published." in text_of(soup.select_one("main"))


def test_who_scores_bids_comes_from_the_opportunity_else_the_funder(minimal_project):
    def panel_text(output) -> list[str]:
        return [text_of(p) for p in page(output, "opportunities/opp-2026-002/").select(".app-opportunity-panel-text")]

    assert panel_text(build(minimal_project)) == []  # no sentence fixed in the template
    minimal_project.replace("data/funder.yaml", "priorities:\n", FUNDER_PANEL + "priorities:\n")
    assert panel_text(build(minimal_project)) == [
        "Two officers and an independent member from the victims' board score every bid."]
    with_fields(minimal_project, "panel: |-\n  Three commissioners score every bid.\n\n  A survivor panel then meets the top two.\n")
    assert panel_text(build(minimal_project)) == ["Three commissioners score every bid.", "A survivor panel then meets the top two."]


def test_published_and_last_updated_dates(minimal_project):
    soup = page(build(minimal_project), "opportunities/opp-2026-002/")
    dates = soup.select_one(".app-opportunity-dates")
    assert text_of(dates) == "Published 2 November 2026"  # when it opened; nothing changed since
    with_fields(minimal_project, UPDATE)
    soup = page(build(minimal_project), "opportunities/opp-2026-002/")
    assert " ".join(soup.select_one(".app-opportunity-dates").get_text().split()) == "Published 2 November 2026, last updated 20 November 2026"
    assert soup.select_one(".app-opportunity-dates a")["href"] == "#updates"
    updates = [(text_of(li.select_one("time")), text_of(li.select_one(".app-opportunity-updates__change")))
               for li in soup.select("#updates + .app-opportunity-updates li")]
    assert updates == [("20 November 2026", "Closing date moved from 12 January to 19 January 2027.")]


def test_an_update_before_it_opens_is_its_published_date(minimal_project):
    with_fields(minimal_project, "updates:\n  - date: 2026-10-19T09:00\n    change: Published early for market engagement.\n")
    soup = page(build(minimal_project), "opportunities/opp-2026-002/")
    assert text_of(soup.select_one(".app-opportunity-dates")) == "Published 19 October 2026"
    upcoming = page(build(minimal_project, "2026-10-25T09:00"), "opportunities/opp-2026-002/")
    assert text_of(upcoming.select_one(".app-opportunity-dates")) == "Published 19 October 2026"
    not_yet = page(build(minimal_project, "2026-10-01T09:00"), "opportunities/opp-2026-002/")
    assert not not_yet.select(".app-opportunity-dates"), "no published date that has not come"


def test_an_awarded_call_says_how_much_of_its_pot_was_awarded(minimal_project):
    soup = page(build(minimal_project), "opportunities/opp-2025-001/")
    assert panel_facts(soup)["Awarded"] == "£150,000 awarded of £150,000"
    assert panel_facts(soup)["Size of award"] == "Up to £150,000"
    assert not soup.select(".app-opportunity-panel a.govuk-button")
    assert "You can no longer apply." in text_of(soup.select_one(".app-opportunity-panel"))


def test_the_page_has_one_of_each_id(minimal_project):
    with_fields(minimal_project, FIELDS, UPDATE)
    soup = page(build(minimal_project), "opportunities/opp-2026-002/")
    ids = [element["id"] for element in soup.select("[id]")]
    assert len(ids) == len(set(ids))
    assert all(soup.select_one(f"#{a['href'][1:]}") for a in soup.select("main a[href^='#']"))


# --- feeds and calendars carry edits ----------------------------------------------------------------


def feed_entry(output, opportunity_id: str = "OPP-2026-002"):
    parsed = feedparser.parse((output / "feeds/opportunities.atom.xml").read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    return parsed, next(e for e in parsed.entries if e.id.endswith(opportunity_id))


def calendar_events(output, path: str = "opportunities/opp-2026-002/opp-2026-002.ics") -> dict:
    calendar = icalendar.Calendar.from_ical((output / path).read_bytes())
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def test_an_update_between_two_builds_moves_the_feed_and_the_calendar(minimal_project):
    before = build(minimal_project)
    _, entry = feed_entry(before)
    assert entry.updated_parsed[:5] == (2026, 11, 2, 9, 0)  # opened at 9am GMT
    events = calendar_events(before)
    assert {int(e["SEQUENCE"]) for e in events.values()} == {0}
    assert {e.decoded("LAST-MODIFIED") for e in events.values()} == {datetime(2026, 11, 2, 9, 0, tzinfo=timezone.utc)}

    # Staff move the closing date and say so; the site is built again at the same time.
    minimal_project.replace(OPEN, "closes: 2027-01-12T12:00", "closes: 2027-01-19T12:00")
    with_fields(minimal_project, UPDATE)
    after = build(minimal_project)
    parsed, entry = feed_entry(after)
    changed = datetime(2026, 11, 20, 10, 0, tzinfo=timezone.utc)
    assert entry.updated_parsed[:5] == (2026, 11, 20, 10, 0)
    assert entry.published_parsed[:5] == (2026, 11, 2, 9, 0)  # still published when it opened
    assert "Closing date moved from 12 January to 19 January 2027." in entry.summary
    assert parsed.feed.updated_parsed[:5] == (2026, 11, 20, 10, 0)
    moved = calendar_events(after)
    assert set(moved) == set(events), "the same events, changed: not new ones"
    for event in moved.values():
        assert int(event["SEQUENCE"]) == 1
        assert event.decoded("LAST-MODIFIED") == event.decoded("DTSTAMP") == changed
    assert moved[f"opp-2026-002-closes@{HOST}"].decoded("DTSTART") == datetime(2027, 1, 19, 12, 0, tzinfo=UK)
    everything = calendar_events(after, "opportunities/calendar.ics")
    assert int(everything[f"opp-2026-002-closes@{HOST}"]["SEQUENCE"]) == 1
    assert int(everything[f"opp-2025-001-closes@{HOST}"]["SEQUENCE"]) == 0


def test_a_later_build_with_no_change_writes_the_same_feed_and_calendar(minimal_project):
    with_fields(minimal_project, UPDATE)
    first = build(minimal_project)
    second = build(minimal_project, "2026-11-27T15:30")
    for path in ("feeds/opportunities.atom.xml", "opportunities/calendar.ics", "opportunities/opp-2026-002/opp-2026-002.ics"):
        assert (first / path).read_bytes() == (second / path).read_bytes(), path


UPCOMING = OPEN_OPPORTUNITY.replace("OPP-2026-002", "OPP-2026-003").replace("opp-2026-002", "opp-2026-003") \
    .replace("opens: 2026-11-02T09:00", "opens: 2026-12-07T09:00").replace("start: 2026-11-18T10:00", "start: 2026-12-10T10:00") \
    .replace("end: 2026-11-18T12:00", "end: 2026-12-10T12:00")


def test_nothing_in_the_feed_or_calendars_is_dated_after_the_build(minimal_project):
    minimal_project.write("data/opportunities/OPP-2026-003.md", UPCOMING)
    output = build(minimal_project)
    now = datetime(2026, 11, 24, 9, 0, tzinfo=timezone.utc)
    parsed = feedparser.parse((output / "feeds/opportunities.atom.xml").read_bytes())
    moments = [datetime(*e.updated_parsed[:6], tzinfo=timezone.utc) for e in parsed.entries]
    moments += [datetime(*e.published_parsed[:6], tzinfo=timezone.utc) for e in parsed.entries]
    assert moments and max(moments) <= now
    assert datetime(*parsed.feed.updated_parsed[:6], tzinfo=timezone.utc) == max(moments), "no entry newer than the feed"
    for event in calendar_events(output, "opportunities/calendar.ics").values():
        assert event.decoded("DTSTAMP") <= now and event.decoded("LAST-MODIFIED") <= now
    # Once an update says when the upcoming call was published, it keeps that date from build to build.
    minimal_project.replace("data/opportunities/OPP-2026-003.md", "apply_url:",
                            "updates:\n  - date: 2026-11-16T09:00\n    change: Published ahead of opening.\napply_url:")
    dated = [feed_entry(build(minimal_project, when), "OPP-2026-003")[1].updated_parsed[:5]
             for when in (NOW, "2026-11-30T09:00")]
    assert dated == [(2026, 11, 16, 9, 0)] * 2


def test_a_calendar_with_no_events_is_still_a_valid_calendar(minimal_project):
    for name in ("OPP-2026-002", "OPP-2025-001"):
        minimal_project.path(f"data/opportunities/{name}.md").unlink()
    minimal_project.replace("data/awards.csv", ",OPP-2025-001,", ",,")
    output = build(minimal_project)
    raw = (output / "opportunities/calendar.ics").read_bytes()
    calendar = icalendar.Calendar.from_ical(raw)
    assert str(calendar["VERSION"]) == "2.0" and str(calendar["PRODID"]).startswith("-//Testshire")
    assert calendar.walk("VEVENT") == []
    # RFC 5545 wants at least one component: the time zone the events will use.
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/London"]
    assert raw.startswith(b"BEGIN:VCALENDAR\r\n") and raw.endswith(b"END:VCALENDAR\r\n")
    parsed = feedparser.parse((output / "feeds/opportunities.atom.xml").read_bytes())
    assert not parsed.bozo and parsed.entries == []
    assert datetime(*parsed.feed.updated_parsed[:6], tzinfo=timezone.utc) <= datetime(2026, 11, 24, 9, tzinfo=timezone.utc)


# --- the view's dates, for any data and any clock -------------------------------------------------------

BASE = datetime(2026, 1, 1, 9, 0, tzinfo=timezone.utc)
hours = st.integers(min_value=0, max_value=24 * 400)


def uk_text(moment: datetime) -> str:
    return moment.astimezone(UK).strftime("%Y-%m-%dT%H:%M")


def view(opens: datetime, closes: datetime, updates: list[datetime], now: datetime) -> OpportunityView:
    model = Opportunity.model_validate({
        "id": "OPP-2026-009", "title": "A call", "summary": "A call.", "funding_stream": "s", "priorities": ["p"],
        "award_type": "grant", "route": "open-call", "funding_envelope": "1000", "duration_months": "12",
        "opens": uk_text(opens), "closes": uk_text(closes),
        "who_can_apply": ["charity"], "evaluation_criteria": [{"criterion": "Quality", "weight": "100"}],
        "apply_email": "bids@example.org", "contact_email": "bids@example.org",
        "updates": [{"date": uk_text(u), "change": f"Change {i}"} for i, u in enumerate(updates)],
    })
    return OpportunityView(model, "open", None, [], "", [], now, None, 14)


def utc(moment: datetime) -> datetime:
    return moment.astimezone(timezone.utc)


@settings(max_examples=150, deadline=None)
@given(opens=hours, length=st.integers(min_value=1, max_value=24 * 90), updates=st.lists(hours, max_size=4), now=hours)
def test_the_stamp_is_never_after_the_build_and_counts_every_update_so_far(opens, length, updates, now):
    opens_at, now_at = BASE + timedelta(hours=opens), BASE + timedelta(hours=now)
    item = view(opens_at, opens_at + timedelta(hours=length), [BASE + timedelta(hours=u) for u in updates], now_at)
    # As the model read them (an hour the clocks repeat is read as its first time).
    updated_at = [utc(u.date) for u in item.model.updates]
    assert utc(item.stamp) <= now_at
    assert item.sequence == sum(1 for u in updated_at if u <= now_at)
    assert utc(item.published) == min([utc(item.model.opens), *updated_at])
    past = [u for u in updated_at if u <= now_at]
    if past:
        assert utc(item.stamp) >= max(past), "an update moves the stamp"
    if utc(item.model.opens) <= now_at:
        assert item.stamp == item.updated, "once something has happened, only the data dates it"
    later = view(opens_at, opens_at + timedelta(hours=length), [BASE + timedelta(hours=u) for u in updates],
                 now_at + timedelta(hours=1))
    assert utc(later.stamp) >= utc(item.stamp), "a later build never moves an entry back"


def test_the_template_fixes_no_sentence_about_the_panel():
    template = (REPO / "theme/templates/opportunities/opportunity.html").read_text(encoding="utf-8")
    assert not re.search(r"independent panel member|subject expert", template)


# --- where the panel sits, in Chromium ------------------------------------------------------------

import pytest  # noqa: E402
from sitecheck import core  # noqa: E402

_missing = core.first_missing(*core.NEEDS["a11y"])


@pytest.fixture(scope="module")
def browser():
    from sitecheck import a11y

    with a11y.browser_session() as session:
        yield session


@pytest.mark.skipif(bool(_missing), reason=f"Chromium missing: {_missing}")
@pytest.mark.parametrize("width", [375, 1280])
def test_the_panel_is_on_the_first_screen_beside_the_text_on_a_wide_screen(sample_site, browser, width):
    from sitecheck.serve import serve

    with serve(sample_site) as base:
        tab = browser.new_page(viewport={"width": width, "height": 800})
        tab.goto(f"{base}/opportunities/opp-2026-006/")
        panel = tab.locator(".app-opportunity-panel").bounding_box()
        heading = tab.locator("h1").bounding_box()
        summary = tab.locator("#summary").bounding_box()
        apply = tab.locator(".app-opportunity-panel .govuk-button").bounding_box()
        assert tab.evaluate("document.documentElement.scrollWidth") <= width
        if width == 1280:
            # Beside the text: right of the heading, level with it, and Apply on the first screen.
            assert panel["x"] > heading["x"] + heading["width"] - 1
            assert abs(panel["y"] - heading["y"]) < 120 and apply["y"] + apply["height"] < 800
        else:
            # On a phone: under the heading, before the text, with the size of award on the first screen.
            assert heading["y"] < panel["y"] < summary["y"] and panel["y"] < 800
