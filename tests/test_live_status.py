"""The status script (theme/js/status.js) in Chromium: a call that closes between two builds stops
inviting bids in the reader's browser, on its page and in the lists, with the browser's clock moved."""

from __future__ import annotations

from datetime import datetime

import pytest

from conftest import page
from sitecheck import a11y, core
from sitecheck.serve import serve

_missing = core.first_missing(*core.NEEDS["a11y"])
pytestmark = pytest.mark.skipif(bool(_missing), reason=f"Chromium missing: {_missing}")

BUILT_AT = "2026-12-01T09:00"  # OPP-2026-002 of the minimal project is open: it closes 12 January 2027 at noon
CLOSES = datetime.fromisoformat("2027-01-12T12:00:00+00:00")


@pytest.fixture(scope="module")
def site_with_an_open_call(tmp_path_factory):
    from conftest import MINIMAL_FILES, Project

    project = Project(tmp_path_factory.mktemp("live"))
    for name, text in MINIMAL_FILES.items():
        project.write(name, text)
    result = project.build(now=BUILT_AT, COMMISSIONING_SEARCH_INDEX=False)
    assert result.code == 0, result.err
    return result.output


@pytest.fixture(scope="module")
def browser():
    with a11y.browser_session() as session:
        yield session


def _open(browser, base: str, path: str, moment: datetime):
    tab = browser.new_page()
    tab.clock.install(time=moment)
    tab.goto(f"{base}/{path}")
    tab.wait_for_load_state("load")
    return tab


def test_without_javascript_the_page_says_when_its_status_was_worked_out(site_with_an_open_call):
    soup = page(site_with_an_open_call, "opportunities/opp-2026-002/")
    note = soup.select_one(".app-status-note").get_text(" ", strip=True)
    assert note == "This status was worked out at 9am UK time on 1 December 2026, when this page was last built."
    status = soup.select_one("[data-live-status]")
    assert status["data-status"] == "open" and status["data-closes"] == "2027-01-12T12:00:00+00:00"


def test_after_the_closing_time_the_page_says_closed_and_hides_apply(site_with_an_open_call, browser):
    with serve(site_with_an_open_call) as base:
        before = _open(browser, base, "opportunities/opp-2026-002/", CLOSES.replace(hour=11))
        assert before.locator(".app-opportunity-status .govuk-tag").inner_text().lower() == "closing soon"
        assert before.locator(".app-opportunity-cta").is_visible()
        after = _open(browser, base, "opportunities/opp-2026-002/", CLOSES.replace(hour=12, minute=1))
        assert after.locator(".app-opportunity-status .govuk-tag").inner_text().lower() == "closed"
        assert "You can no longer apply" in after.locator("[data-status-line]").inner_text()
        assert not after.locator(".app-opportunity-cta").is_visible(), "the Apply button is hidden once closed"


def test_the_lists_move_on_too(site_with_an_open_call, browser):
    with serve(site_with_an_open_call) as base:
        tab = _open(browser, base, "opportunities/", CLOSES.replace(hour=13))
        item = tab.locator(".app-status-list__item", has_text="Stalking advocacy service").first
        assert item.locator(".govuk-tag").inner_text().lower() == "closed"
        tab.clock.install(time=CLOSES.replace(hour=9))  # a reader whose clock is before the close
        tab.reload()
        item = tab.locator(".app-status-list__item", has_text="Stalking advocacy service").first
        assert item.locator(".govuk-tag").inner_text().lower() == "closing soon"
