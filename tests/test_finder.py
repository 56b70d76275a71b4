"""The finder and alerts: can we apply, here, for this much? List items that say so, filters that combine
(in Chromium, with finder.js), a page per filter value without JavaScript, and a feed per stream, area and
type of organisation."""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import feedparser
import pytest
from hypothesis import given, strategies as st

from commissioning.opportunities.finder import BANDS, bands_of, who_text
from conftest import page
from sitecheck import core

NOW = "2026-11-24T09:00"

AREAS = """\
areas:
  - code: testshire
    name: Testshire (the whole county)
    geo_code: E23000099
    geo_code_type: PFA
    whole: yes
  - code: northtown
    name: Northtown
    geo_code: E06000998
    geo_code_type: UA
  - code: southtown
    name: Southtown
    geo_code: E06000999
    geo_code_type: UA
"""

# Open, small grants for community groups and charities in Northtown only.
SMALL_GRANTS = """\
---
id: OPP-2026-010
title: Northtown community grants
summary: Small grants for community groups in Northtown.
funding_stream: community-safety-fund
priorities: [prevention]
award_type: grant
route: open-call
funding_envelope: 30000
duration_months: 12
min_award: 500
max_award: 5000
opens: 2026-11-01T09:00
closes: 2026-12-20T12:00
areas: [northtown]
who_can_apply: [community-group, charity]
evaluation_criteria:
  - criterion: Quality
    weight: 100
apply_url: https://apply.example/opp-2026-010
contact_email: funding@testshire-pcc.example
---
Small grants.
"""

# Upcoming: a contract in Southtown, with no award range (the envelope is one award).
CONTRACT = """\
---
id: OPP-2026-011
title: Southtown outreach contract
summary: A contract for outreach in Southtown.
funding_stream: community-safety-fund
priorities: [prevention]
award_type: contract
route: open-tender
funding_envelope: 120000
duration_months: 24
opens: 2026-12-07T09:00
closes: 2027-02-01T12:00
areas: [southtown]
who_can_apply: [charity, private-company]
evaluation_criteria:
  - criterion: Quality
    weight: 100
apply_email: bids@testshire-pcc.example
contact_email: funding@testshire-pcc.example
---
Outreach.
"""


def finder_project(project, signup: bool = True):
    funder = project.read("data/funder.yaml") + AREAS
    if signup:
        funder += "alerts_signup_url: https://www.testshire-pcc.example/bulletin\n"
    project.write("data/funder.yaml", funder)
    project.write("data/opportunities/OPP-2026-010.md", SMALL_GRANTS)
    project.write("data/opportunities/OPP-2026-011.md", CONTRACT)
    return project


def built(project, now=NOW, **extra):
    result = project.build(now=now, **extra)
    assert result.code == 0, result.err
    return result.output


@pytest.fixture(scope="module")
def finder_site(tmp_path_factory):
    from conftest import MINIMAL_FILES, Project

    project = Project(tmp_path_factory.mktemp("finder"))
    for name, text in MINIMAL_FILES.items():
        project.write(name, text)
    return built(finder_project(project), COMMISSIONING_SEARCH_INDEX=False)


def items(soup, selector="main [data-finder-list] > li") -> dict[str, object]:
    return {li.select_one(".app-status-list__name > a")["href"].split("/")[-2]: li for li in soup.select(selector)}


# --- what the finder computes --------------------------------------------------------------------


class Range:
    def __init__(self, low, high, envelope):
        self.min_award, self.max_award, self.funding_envelope = low, high, envelope


@given(st.integers(0, 2_000_000), st.integers(0, 2_000_000))
def test_an_award_range_is_in_every_band_it_reaches_and_no_other(a, b):
    low, high = sorted((Decimal(a), Decimal(b)))
    found = bands_of(Range(low, high, high))
    assert found, "every range is in some band"
    indexes = [i for i, (code, *_) in enumerate(BANDS) if code in found]
    assert indexes == list(range(indexes[0], indexes[-1] + 1)), "the bands found are next to each other"
    for code, _, above, up_to in BANDS:
        holds_low = (above is None or low > above) and (up_to is None or low <= up_to)
        holds_high = (above is None or high > above) and (up_to is None or high <= up_to)
        if holds_low or holds_high:
            assert code in found


def test_bands_at_their_edges():
    assert bands_of(Range(Decimal(10_000), Decimal(10_000), 0)) == ["up-to-10000"]
    assert bands_of(Range(Decimal(10_001), Decimal(10_001), 0)) == ["10001-to-50000"]
    assert bands_of(Range(None, None, Decimal(600_000))) == ["over-500000"]  # no range: the envelope is one award
    assert bands_of(Range(None, Decimal(20_000), 0)) == ["up-to-10000", "10001-to-50000"]  # "up to" starts at nothing


def test_who_can_apply_in_words():
    assert who_text(["charity", "community-group"]) == "Charities and community groups"
    everyone_voluntary = ["charity", "charitable-incorporated-organisation", "community-interest-company",
                          "social-enterprise", "community-group", "public-body"]
    assert who_text(everyone_voluntary) == "Voluntary, community and social enterprise organisations and public bodies"


# --- the pages, without JavaScript --------------------------------------------------------------


def test_list_items_say_award_who_area_and_deadline(finder_site):
    soup = page(finder_site, "opportunities/")
    listed = items(soup)
    facts = listed["opp-2026-010"].select_one(".app-finder-facts").get_text(" ", strip=True)
    assert facts == "Award £500 to £5,000 Who can apply Charities and community groups Area Northtown"
    assert "Closes 12pm (midday) UK time on 20 December 2026" in listed["opp-2026-010"].get_text(" ")
    contract = listed["opp-2026-011"].select_one(".app-finder-facts").get_text(" ", strip=True)
    assert "Award Up to £120,000 in total" in contract and "Area Southtown" in contract
    whole = listed["opp-2026-002"]
    assert "Area Testshire (the whole county)" in whole.get_text(" ", strip=True)
    # What finder.js filters by: a call for the whole county is found under each part of it.
    assert set(whole["data-finder-area"].split()) == {"testshire", "northtown", "southtown"}
    assert listed["opp-2026-010"]["data-finder-who"].split() == ["community-group", "charity"]
    assert listed["opp-2026-010"]["data-finder-size"] == "up-to-10000"
    assert listed["opp-2026-011"]["data-finder-amount"] == "120000"


def test_without_javascript_the_form_is_hidden_and_a_page_per_value_stands_in(finder_site):
    soup = page(finder_site, "opportunities/")
    form = soup.select_one("form[data-finder]")
    assert form.has_attr("hidden"), "a static page cannot answer the form: only finder.js shows it"
    legends = [legend.get_text(strip=True) for legend in form.select("legend")]
    assert legends == ["Who can apply", "Area", "Award size", "Funding stream", "Grant or contract", "Priority"]
    assert {i["value"] for i in form.select("input[name=area]")} == {"northtown", "southtown"}  # not the whole county
    links = {a["href"] for a in soup.select("#filter a")}
    assert {"/opportunities/who/community-group/", "/opportunities/area/northtown/",
            "/opportunities/size/up-to-10000/", "/opportunities/stream/moj-victims/"} <= links

    def members(path):
        return sorted(items(page(finder_site, path), "main .app-status-list__item"))

    assert members("opportunities/who/community-group/") == ["opp-2026-010"]
    assert members("opportunities/area/northtown/") == ["opp-2025-001", "opp-2026-002", "opp-2026-010"]
    assert members("opportunities/area/southtown/") == ["opp-2025-001", "opp-2026-002", "opp-2026-011"]
    assert not (finder_site / "opportunities/size/over-500000").exists()  # no page for a value with nothing in it
    assert members("opportunities/size/100001-to-500000/") == ["opp-2025-001", "opp-2026-011"]


def test_without_javascript_two_of_the_first_questions_combine_on_pages_of_their_own(finder_site):
    """Who can apply, area and award size combine two at a time: a value's page links to the pairs
    that list fewer than it does, each pair's page lists the opportunities both values list, and
    links back to each value alone."""
    def members(path):
        return set(items(page(finder_site, path), "main .app-status-list__item"))

    singles = {f"opportunities/{path.parent.name}/{path.name}/": members(f"opportunities/{path.parent.name}/{path.name}/")
               for key in ("who", "area", "size") for path in (finder_site / "opportunities" / key).iterdir()}
    expected = set()
    for one, two in (("who", "area"), ("who", "size"), ("area", "size")):
        for first, a in singles.items():
            for second, b in singles.items():
                if first.split("/")[1] == one and second.split("/")[1] == two and a & b and len(a & b) < min(len(a), len(b)):
                    expected.add(first + "/".join(second.split("/")[1:3]) + "/")
    made = {str(p.parent.relative_to(finder_site)) + "/" for p in (finder_site / "opportunities").glob("*/*/*/*/index.html")}
    assert expected and made == expected
    for path in made:
        _, one, v1, two, v2, _ = path.split("/")
        first, second = f"opportunities/{one}/{v1}/", f"opportunities/{two}/{v2}/"
        assert members(path) == singles[first] & singles[second]
        soup = page(finder_site, path)
        assert [a["href"] for a in soup.select(".app-opportunity-narrow a")] == [f"/{first}", f"/{second}"]
    linked = 0
    for path, listed in singles.items():
        soup = page(finder_site, path)
        if soup.select(".app-opportunity-narrow a"):  # on a phone the list comes first: a link near the top
            assert soup.select_one("main a[href='#narrow']").get_text().startswith("Narrow these down by ")
        for link in soup.select(".app-opportunity-narrow a"):
            target = link["href"].strip("/") + "/"
            if target in made:  # a pair's page, with this value as one of the two
                _, one, v1, two, v2, _ = target.split("/")
                assert path in (f"opportunities/{one}/{v1}/", f"opportunities/{two}/{v2}/")
            else:  # the pair lists all of another value's opportunities: that value's own page
                assert members(target) == listed & singles[target]
            assert members(target) < listed, (path, target)  # every link narrows
            linked += 1
    assert linked >= len(made)


# --- alerts -----------------------------------------------------------------------------------------


def feed(output, path):
    parsed = feedparser.parse((output / path).read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    return parsed


def test_a_feed_per_stream_area_and_type_of_organisation(finder_site):
    community = feed(finder_site, "feeds/opportunities/who/community-group.atom.xml")
    assert [e.link.split("/")[-2] for e in community.entries] == ["opp-2026-010"]
    assert community.feed.title == "Funding opportunities open to a community group from Testshire OPCC"
    assert community.feed.id == "tag:www.testshire-pcc.example,2024:opportunities/who/community-group"
    south = feed(finder_site, "feeds/opportunities/area/southtown.atom.xml")
    assert sorted(e.link.split("/")[-2] for e in south.entries) == ["opp-2025-001", "opp-2026-002", "opp-2026-011"]
    stream = feed(finder_site, "feeds/opportunities/stream/moj-victims.atom.xml")
    assert sorted(e.link.split("/")[-2] for e in stream.entries) == ["opp-2025-001", "opp-2026-002"]
    # Nobody can apply as a public body yet, but the feed is there to say when someone can.
    empty = feed(finder_site, "feeds/opportunities/who/public-body.atom.xml")
    assert empty.entries == [] and empty.feed.updated_parsed
    # The main feed keeps its address and id.
    assert feed(finder_site, "feeds/opportunities.atom.xml").feed.id == "tag:www.testshire-pcc.example,2024:opportunities"
    # A filter page names its own feed, for a feed reader given the page's address.
    head = page(finder_site, "opportunities/who/community-group/").select('link[rel=alternate]')
    assert head[0]["href"] == "/feeds/opportunities/who/community-group.atom.xml"


def test_the_alerts_page_offers_email_only_where_the_funder_has_a_bulletin(finder_site, minimal_project):
    soup = page(finder_site, "opportunities/alerts/")
    assert soup.select_one("h1").get_text(strip=True) == "Get alerts about funding opportunities"
    button = soup.select_one("#email ~ a.govuk-button")
    assert button["href"] == "https://www.testshire-pcc.example/bulletin"
    feeds = {a["href"] for a in soup.select("main a[type='application/atom+xml']")}
    assert {"/feeds/opportunities.atom.xml", "/feeds/opportunities/area/northtown.atom.xml",
            "/feeds/opportunities/who/charity.atom.xml", "/feeds/opportunities/stream/moj-victims.atom.xml"} <= feeds
    assert soup.select_one("a[href='/opportunities/calendar.ics']")
    assert page(finder_site, "opportunities/").select_one("main a[href='/opportunities/alerts/']")
    without = page(built(finder_project(minimal_project, signup=False)), "opportunities/alerts/")
    assert not without.select("main .govuk-button")
    assert "We do not send email alerts yet" in without.get_text()


# --- in Chromium, with finder.js -----------------------------------------------------------------

_missing = core.first_missing(*core.NEEDS["a11y"])
chromium = pytest.mark.skipif(bool(_missing), reason=f"Chromium missing: {_missing}")


@pytest.fixture(scope="module")
def browser():
    from sitecheck import a11y

    with a11y.browser_session() as session:
        yield session


def visible(tab) -> list[str]:
    hrefs = tab.eval_on_selector_all(
        "[data-finder-list] > li", "items => items.filter(i => !i.hidden && i.offsetParent !== null)"
        ".map(i => i.querySelector('.app-status-list__name > a').getAttribute('href'))")
    return [h.split("/")[-2] for h in hrefs]


@chromium
def test_two_filters_combine_in_place_and_stay_in_the_address(finder_site, browser):
    from sitecheck.serve import serve

    with serve(finder_site) as base:
        tab = browser.new_page(viewport={"width": 1280, "height": 900})
        tab.goto(f"{base}/opportunities/")
        assert tab.locator("form[data-finder]").is_visible()
        assert not tab.locator("#filter").is_visible(), "the links give way to the form"
        assert sorted(visible(tab)) == ["opp-2026-002", "opp-2026-010", "opp-2026-011"]
        tab.check("#finder-who-community-group")
        tab.check("#finder-area-northtown")
        assert visible(tab) == ["opp-2026-010"]
        query = parse_qs(urlsplit(tab.url).query)
        assert query == {"who": ["community-group"], "area": ["northtown"]}
        assert tab.locator("[data-finder-count]").inner_text() == "Showing 1 of 3 opportunities"
        assert tab.locator("#upcoming ~ [data-finder-none]").first.is_visible()  # nothing upcoming matches

        # Within a facet any ticked value will do: a charity or a community group, in Northtown.
        tab.check("#finder-who-charity")
        assert sorted(visible(tab)) == ["opp-2026-002", "opp-2026-010"]

        # The address opens the same choice, for a link shared or a page reloaded; sorting is kept too.
        shared = browser.new_page()
        shared.goto(f"{base}/opportunities/?who=charity&sort=amount")
        assert shared.is_checked("#finder-who-charity") and not shared.is_checked("#finder-area-northtown")
        assert visible(shared) == ["opp-2026-002", "opp-2026-010", "opp-2026-011"]  # open: £90,000 before £5,000
        shared.select_option("#finder-sort", "closes")
        assert visible(shared) == ["opp-2026-010", "opp-2026-002", "opp-2026-011"]  # open: closing 20 December first
        assert parse_qs(urlsplit(shared.url).query) == {"who": ["charity"]}

        shared.click("[data-finder-clear]")
        assert urlsplit(shared.url).query == ""
        assert len(visible(shared)) == 3


@chromium
def test_on_a_phone_the_filters_fold_behind_a_button(finder_site, browser):
    from sitecheck.serve import serve

    with serve(finder_site) as base:
        tab = browser.new_page(viewport={"width": 375, "height": 740})
        tab.goto(f"{base}/opportunities/?area=southtown")
        toggle = tab.locator(".app-finder__toggle")
        assert toggle.is_visible() and toggle.inner_text() == "Show filters (1 chosen)"
        assert not tab.locator("#finder-body").is_visible()
        assert sorted(visible(tab)) == ["opp-2026-002", "opp-2026-011"]
        toggle.click()
        assert tab.locator("#finder-body").is_visible() and toggle.get_attribute("aria-expanded") == "true"


def test_the_sample_site_filters_by_its_own_areas_and_offers_its_bulletin(sample_site):
    soup = page(sample_site, "opportunities/")
    areas = [label.get_text(strip=True) for label in soup.select("form[data-finder] input[name=area] + label")]
    assert areas == ["Bedford", "Central Bedfordshire", "Luton"]
    listed = items(soup)
    assert all(li.select_one(".app-finder-facts") for li in listed.values())
    rural = listed["opp-2026-005"]
    assert rural["data-finder-area"] == "central-bedfordshire"
    assert "Area Central Bedfordshire" in rural.get_text(" ", strip=True)
    alerts = page(sample_site, "opportunities/alerts/")
    assert alerts.select_one("#email ~ a.govuk-button")["href"] == "https://www.bedfordshire.pcc.police.uk/newsletter"
    assert (sample_site / "feeds/opportunities/area/luton.atom.xml").is_file()
