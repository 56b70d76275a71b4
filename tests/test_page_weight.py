"""What every page carries, carried once: at 10,000 awards the site is about 15,000 pages, so a byte in
the page's frame (base.html) is 15 KB of the site, and a byte in a listing's item is repeated wherever
the item is listed.

- The menu's links are in the page once, for every screen size: a phone folds them behind a "Menu"
  button (a details element just before the list), a wider screen shows them in a row. In Chromium,
  at 375 px they are hidden until the button opens them, at 1280 px the button is hidden.
- The frame of a page (everything outside <main>) stays within a budget.
- The data-finder-* attributes finder.js filters by are only on the finder's page, which runs it;
  the filter pages show the same facts without them.
"""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

from conftest import page
from sitecheck import core

# Bytes of the sample's 404 page outside <main>: 5,094 with the menu written twice, 4,150 with it once.
FRAME_BUDGET = 4300

_missing = core.first_missing(*core.NEEDS["a11y"])
chromium = pytest.mark.skipif(bool(_missing), reason=f"Chromium missing: {_missing}")


def site_pages(site):
    return [p for p in sorted(site.rglob("*.html")) if "pagefind" not in p.relative_to(site).parts]


def test_every_page_has_the_menu_once_right_after_its_button(sample_site):
    menus = set()
    for file in site_pages(sample_site):
        soup = BeautifulSoup(file.read_text(encoding="utf-8"), "html.parser")
        navs = soup.select("nav[aria-label=Menu]")
        assert len(navs) == 1 and navs[0].find_parent("header"), file
        button, links = navs[0].find("details", class_="app-menu"), navs[0].select_one("ul.govuk-service-navigation__list")
        # The stylesheet shows the list while the details element just before it is open.
        assert button.summary.get_text(strip=True) == "Menu" and button.find_next_sibling() is links, file
        assert button.find("a") is None, "the details element holds the button only"
        assert len(soup.select(".govuk-service-navigation__list")) == 1, file
        hrefs = tuple(a["href"] for a in links.select("a"))
        assert len(hrefs) == len(set(hrefs)), file
        menus.add(hrefs)
    assert len(menus) == 1 and "/funded-services/" in next(iter(menus))


def test_the_frame_of_a_page_stays_within_its_budget(sample_site):
    html = (sample_site / "404.html").read_text(encoding="utf-8")
    main = re.search(r"<main[ >].*</main>", html, re.S)
    frame = len(html.encode()) - len(main.group(0).encode())
    assert frame <= FRAME_BUDGET, f"{frame} bytes outside <main> on every page"


@chromium
def test_on_a_phone_the_menu_opens_and_on_a_wide_screen_it_is_a_row(sample_site):
    from sitecheck import a11y
    from sitecheck.serve import serve

    with a11y.browser_session() as browser, serve(sample_site) as base:
        phone = browser.new_page(viewport={"width": 375, "height": 800})
        phone.goto(f"{base}/funded-services/")
        links = phone.locator("header nav[aria-label=Menu] .govuk-service-navigation__link")
        button = phone.locator("summary.app-menu__button")
        assert button.is_visible() and links.count() == 7
        assert not any(links.nth(i).is_visible() for i in range(links.count())), "folded until the button opens it"
        button.click()
        assert all(links.nth(i).is_visible() for i in range(links.count()))
        assert phone.locator("details.app-menu").get_attribute("open") is not None
        button.click()
        assert not links.first.is_visible()
        phone.reload()
        phone.keyboard.press("Tab")  # the skip link first, then the service name, then the button
        phone.keyboard.press("Tab")
        phone.keyboard.press("Tab")
        assert phone.evaluate("document.activeElement.matches('summary.app-menu__button')")
        phone.keyboard.press("Enter")
        assert links.first.is_visible(), "the button opens from the keyboard"

        wide = browser.new_page(viewport={"width": 1280, "height": 800})
        wide.goto(f"{base}/funded-services/")
        assert not wide.locator("summary.app-menu__button").is_visible()
        tops = {round(box["y"]) for box in (l.bounding_box() for l in wide.locator("header .govuk-service-navigation__item").all())}
        assert len(tops) == 1, "one row of links"
        current = wide.locator("header a[aria-current=page]")
        assert current.count() == 1 and current.inner_text() == "Funded services"


def test_only_the_finder_page_carries_what_finder_js_filters_by(sample_site):
    finder = page(sample_site, "opportunities/")
    items = finder.select("main [data-finder-list] > li")
    assert items and all(li.has_attr("data-finder-type") and li.has_attr("data-finder-order") for li in items)
    filters = [p for p in sorted((sample_site / "opportunities").glob("*/*/index.html"))
               if p.parent.parent.name in ("area", "priority", "stream", "type", "who", "size")]
    assert len(filters) > 10
    for file in filters:
        soup = BeautifulSoup(file.read_text(encoding="utf-8"), "html.parser")
        assert not soup.select("script[src*='/finder.']"), file
        listed = soup.select("main .app-status-list__item")
        assert listed and all(li.select_one(".app-finder-facts") for li in listed), "the same facts, shown"
        for element in soup.select("main .app-status-list, main .app-status-list__item"):
            assert not [name for name in element.attrs if name.startswith("data-finder")], (file, element.attrs)
