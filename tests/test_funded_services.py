"""The funding register's pages: the register and its filters (without JavaScript), awards,
providers, funding streams and priorities, built from real data and checked against it."""

from __future__ import annotations

import csv
import functools
import http.server
import re
import threading
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from html import unescape
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml
from bs4 import BeautifulSoup
from hypothesis import given, strategies as st

from commissioning.funded_services import facets, figures, pages as funded_services_pages
from commissioning.funded_services.changed import Changed
from commissioning.load.dataset import Dataset
from commissioning.load.loader import load_dataset
from commissioning.derive.site import derive
from commissioning.settings import from_pelican
from conftest import REPO, SAMPLE_NOW, page

TODAY = date.fromisoformat(SAMPLE_NOW[:10])
MARKUP_NAME = '</title><script>alert(1)</script><b onmouseover="steal()">Riverside</b> & "Youth" Club'


# --- the sample data, read independently of the code under test ---------------------------------


def source(name: str) -> list[dict]:
    with open(REPO / "data" / name, encoding="utf-8-sig", newline="") as file:
        return list(csv.DictReader(file))


AWARDS = source("awards.csv")
PROVIDERS = {p["id"]: p for p in source("providers.csv")}
FUNDER = yaml.safe_load((REPO / "data" / "funder.yaml").read_text(encoding="utf-8"))


def status(award: dict, today: date = TODAY) -> str:
    if today < date.fromisoformat(award["start_date"]):
        return "future"
    return "current" if today <= date.fromisoformat(award["end_date"]) else "previous"


def financial_year(day: str) -> str:
    day = date.fromisoformat(day)
    start = day.year if day.month >= 4 else day.year - 1
    return f"{start}-{(start + 1) % 100:02d}"


def listed(soup, selector: str = "main") -> list[str]:
    """Award ids in the order the page's award tables list them (from each row's first link)."""
    return [row.select_one("td a")["href"].rstrip("/").rsplit("/", 1)[-1].upper()
            for row in soup.select(f"{selector} table.app-funded-services-table tbody tr")]


def section_ids(soup) -> dict[str, list[str]]:
    """Each section heading's id with the awards in the table under it."""
    found = {}
    for heading in soup.select("main h2[id]"):
        table = heading.find_next("table")
        if table is not None and "app-funded-services-table" in table.get("class", []):
            found[heading["id"]] = [row.select_one("td a")["href"].rstrip("/").rsplit("/", 1)[-1].upper()
                                    for row in table.select("tbody tr")]
    return found


# --- the register ---------------------------------------------------------------------------------


def test_register_lists_current_services_first_then_not_started_then_previous(sample_site):
    soup = page(sample_site, "funded-services/")
    sections = section_ids(soup)
    assert list(sections) == ["current", "future", "previous"]
    for key, ids in sections.items():
        assert sorted(ids) == sorted(a["id"] for a in AWARDS if status(a) == key), key
    assert sorted(listed(soup)) == sorted(a["id"] for a in AWARDS)
    facts = {dt.get_text(strip=True): dt.find_next("dd").get_text(strip=True) for dt in soup.select(".app-key-facts dt")}
    current = [a for a in AWARDS if status(a) == "current"]
    assert facts["Current services"] == str(len(current))
    assert facts["Awarded to current services"] == f"£{sum(Decimal(a['amount_awarded']) for a in current):,.0f}"
    assert facts["All services"] == str(len(AWARDS))


def test_register_rows_show_what_a_resident_asks(sample_site):
    soup = page(sample_site, "funded-services/")
    award = next(a for a in AWARDS if a["id"] == "BPCC-2022-002")
    row = next(r for r in soup.select("table.app-funded-services-table tbody tr") if award["id"] in r.get_text())
    text = row.get_text(" ", strip=True)
    assert award["title"] in text
    assert PROVIDERS[award["provider_id"]]["name"] in text
    assert "Ministry of Justice victims funding" in text and "Contract" in text and "Open tender" in text
    assert "£420,000" in text and "1 July 2022 to 31 March 2025" in text
    total = soup.select_one("#previous").find_next("tfoot").get_text(" ", strip=True)
    expected = sum(Decimal(a["amount_awarded"]) for a in AWARDS if status(a) == "previous")
    assert f"£{expected:,.0f}" in total


def rows_by_id(soup) -> dict[str, object]:
    return {row.select_one("td a")["href"].rstrip("/").rsplit("/", 1)[-1].upper(): row
            for row in soup.select("main table.app-funded-services-table tbody tr")}


# A row's markup, without its text and its links' addresses: 724 bytes before rows were made lean, 504 after.
ROW_MARKUP_BUDGET = 520


def test_register_rows_carry_every_fact_and_no_markup_twice(sample_site):
    """Each award is listed on about seven pages (the register, its filters, its provider), so its row is
    what the reader needs and no more: the dates as text (its own page has them as <time>), a data-sort-value
    only where the text does not sort as it reads, and a second line as a bare <small>."""
    html = (sample_site / "funded-services" / "index.html").read_text(encoding="utf-8")
    rows = rows_by_id(BeautifulSoup(html, "html.parser"))
    assert sorted(rows) == sorted(a["id"] for a in AWARDS)
    for award in AWARDS:
        row = rows[award["id"]]
        cells = {cell.get("data-label", "Service"): cell for cell in row.find_all("td")}
        assert cells["Service"].select_one("a").get_text() == award["title"]
        assert cells["Service"].select_one("small").get_text() == award["id"]
        assert cells["Provider"].select_one("a")["href"] == f"/providers/{award['provider_id'].lower()}/"
        assert cells["Amount"]["data-sort-value"] == award["amount_awarded"]
        assert cells["Term"]["data-sort-value"] == award["start_date"]
        assert [name for name, cell in cells.items() if cell.has_attr("data-sort-value")] == ["Amount", "Term"]
        assert row.find("time") is None and not row.select("small[class], span")
    markup = []
    for row in re.findall(r"<tbody[^>]*>(.*?)</tbody>", html, re.S):
        for tr in re.findall(r"<tr[ >].*?</tr>", row, re.S):
            text = len(unescape(re.sub(r"<[^>]+>", "", tr)).encode())
            markup.append(len(tr.encode()) - text - sum(len(h) for h in re.findall(r'href="?([^" >]+)', tr)))
    assert len(markup) == len(AWARDS) and max(markup) <= ROW_MARKUP_BUDGET, max(markup)


def test_a_page_of_one_type_or_one_route_does_not_repeat_it_in_every_row(sample_site):
    register = {i: r.select_one("td[data-label='Awarded as']") for i, r in rows_by_id(page(sample_site, "funded-services/")).items()}
    award_type = {i: cell.contents[0].strip() for i, cell in register.items()}
    route = {i: cell.select_one("small").get_text() for i, cell in register.items()}
    assert set(award_type.values()) == {"Grant", "Contract"} and len(set(route.values())) > 3
    for path, shows in (("type/grant", route), ("type/contract", route), ("route/open-call", award_type),
                        ("route/direct-award", award_type)):
        rows = rows_by_id(page(sample_site, f"funded-services/{path}/"))
        assert rows, path
        for award_id, row in rows.items():
            assert row.select_one("td[data-label='Awarded as']").get_text(strip=True) == shows[award_id], (path, award_id)
    stream = rows_by_id(page(sample_site, "funded-services/stream/moj-victims/"))
    assert all(row.select_one("td[data-label='Awarded as'] small") for row in stream.values()), "both, off a type or route page"


def expected_filters() -> dict[tuple[str, str], set[str]]:
    """Every filter page there should be, and the awards on it, worked out from the CSV files."""
    keep = defaultdict(set)
    for award in AWARDS:
        keep["stream", award["funding_stream"]].add(award["id"])
        for code in award["priorities"].split(";"):
            keep["priority", code.strip()].add(award["id"])
        keep["type", award["award_type"]].add(award["id"])
        keep["route", award["route"]].add(award["id"])
        keep["organisation-type", PROVIDERS[award["provider_id"]]["organisation_type"]].add(award["id"])
    return keep


def test_filter_pages_list_the_right_awards(sample_site):
    expected = expected_filters()
    assert len(expected) > 20
    for (dimension, value), ids in expected.items():
        soup = page(sample_site, f"funded-services/{dimension}/{value}/")
        shown = listed(soup)
        assert sorted(shown) == sorted(ids), (dimension, value)
        assert len(shown) == len(set(shown)), "each award once"
        order = [status(next(a for a in AWARDS if a["id"] == i)) for i in shown]
        assert order == sorted(order, key=["current", "future", "previous"].index), "current first"


def test_filter_panel_is_plain_links_with_counts_and_marks_the_chosen_one(sample_site):
    expected = expected_filters()
    soup = page(sample_site, "funded-services/")
    panel = soup.select_one(".app-funded-services-filter")
    assert panel.find("form") is None and not panel.has_attr("hidden"), "filters work without JavaScript"
    links = {a["href"]: a for a in panel.select("a")}
    assert {href.strip("/").split("/", 1)[1] for href in links} == {f"{d}/{v}" for d, v in expected}
    for (dimension, value), ids in expected.items():
        link = links[f"/funded-services/{dimension}/{value}/"]
        assert link.find_next("span").get_text() == f"({len(ids)})"
    chosen = page(sample_site, "funded-services/route/single-tender-action/")
    current = chosen.select(".app-funded-services-filter a[aria-current=page]")
    assert [a["href"] for a in current] == ["/funded-services/route/single-tender-action/"]
    assert current[0].find_parent("details").has_attr("open")
    assert chosen.select_one("h1").get_text(strip=True) == "How it was awarded: Single tender action"


def test_no_filter_page_for_a_value_nothing_was_awarded_under(sample_site):
    expected = expected_filters()
    routes = {value for dimension, value in expected if dimension == "route"}
    for route in ("open-call", "invited", "direct-award", "single-tender-action", "open-tender", "competitive-dialogue"):
        assert (sample_site / "funded-services" / "route" / route / "index.html").exists() == (route in routes)
    types = {"charity", "charitable-incorporated-organisation", "community-interest-company", "social-enterprise",
             "community-group", "public-body", "private-company"}
    used = {PROVIDERS[a["provider_id"]]["organisation_type"] for a in AWARDS}
    for kind in types:
        assert (sample_site / "funded-services" / "organisation-type" / kind / "index.html").exists() == (kind in used)


def test_a_long_register_is_split_into_linked_pages(minimal_project, monkeypatch):
    monkeypatch.setattr(funded_services_pages, "ROWS_PER_PAGE", 3)
    result = minimal_project.build()
    assert result.code == 0, result.err
    first, second = page(result.output, "funded-services/"), page(result.output, "funded-services/page/2/")
    assert len(listed(first)) == 3 and len(listed(second)) == 1
    assert sorted(listed(first) + listed(second)) == ["TPCC-2025-001", "TPCC-2025-002", "TPCC-2025-004", "TPCC-2026-003"]
    assert first.select_one("a[rel=next]")["href"] == "/funded-services/page/2/"
    assert second.select_one("a[rel=prev]")["href"] == "/funded-services/"
    assert second.select_one("link[rel=canonical]")["href"] == "/funded-services/page/2/"
    facts = {dt.get_text(strip=True): dt.find_next("dd").get_text(strip=True) for dt in second.select(".app-key-facts dt")}
    assert facts["All services"] == "4", "totals cover the whole register on every page"


# --- one award ------------------------------------------------------------------------------------


def summary(soup) -> dict[str, str]:
    return {row.select_one("dt").get_text(" ", strip=True): row.select_one("dd").get_text(" ", strip=True)
            for row in soup.select("main .govuk-summary-list__row")}


def test_award_page_shows_everything_about_the_award(minimal_project):
    result = minimal_project.build()
    assert result.code == 0, result.err
    soup = page(result.output, "funded-services/tpcc-2025-001/")
    rows = summary(soup)
    assert soup.select_one("h1").get_text(strip=True) == "Victim care service"
    assert "Emotional and practical support for victims." in soup.select_one("main").get_text()
    assert rows["Provider"].startswith("Testshire Victim Care")
    assert rows["Funding stream"] == "Ministry of Justice victims funding"
    assert rows["Priority"] == "Victims at the heart"
    assert rows["Grant or contract"] == "Grant" and rows["How it was awarded"] == "Open call"
    assert "Why there was no competition" not in rows
    assert rows["Amount awarded"] == "£150,000 for the whole term about £50,000 a year"
    assert rows["Term"] == "1 April 2025 to 31 March 2028 (3 years)"
    assert rows["360Giving identifier"] == "360G-testshirepcc-TPCC-2025-001"
    assert rows["Funding opportunity"] == "Victim care service (OPP-2025-001)"
    assert soup.select_one("main a[href='/opportunities/opp-2025-001/']")
    payments = soup.find("h2", string="Payments").find_next("p").get_text(" ", strip=True)
    # "to" the last payment the site holds (the minimal project's payments end on 5 October 2026).
    assert payments == "£8,083 paid to 5 October 2026 (5%) of £150,000 awarded."
    years = [[c.get_text(strip=True) for c in tr.select("th, td")] for tr in soup.select("main table tbody tr")]
    assert years == [["2025-26", "£3,916.67"], ["2026-27", "£4,166.67"]]

    contract = summary(page(result.output, "funded-services/tpcc-2025-004/"))
    assert contract["Commissioned with"] == "NHS Testshire"
    assert contract["Published contract"].startswith("Read the contract")
    assert "360Giving identifier" not in contract


def test_award_page_shows_the_extension_chain_both_ways_and_the_justification(minimal_project):
    result = minimal_project.build()
    assert result.code == 0, result.err
    renewal = page(result.output, "funded-services/tpcc-2026-003/")
    rows = summary(renewal)
    assert rows["How it was awarded"] == "Direct award"
    assert rows["Why there was no competition"] == "Renewal of a successful pilot with the same provider."
    assert rows["Renews"] == "Youth diversion (TPCC-2025-002)"
    assert renewal.select_one("main a[href='/funded-services/tpcc-2025-002/']")
    none = renewal.find("h2", string="Payments").find_next("p").get_text(" ", strip=True)
    assert none == "No payments recorded yet (payments are published here to 5 October 2026)."
    original = page(result.output, "funded-services/tpcc-2025-002/")
    assert summary(original)["Renewed by"] == "Youth diversion renewal (TPCC-2026-003)"
    for soup in (renewal, original):
        chain = [li.get_text(" ", strip=True) for li in soup.select(".app-award-chain li")]
        assert len(chain) == 2 and "TPCC-2025-002" in chain[0] and "TPCC-2026-003" in chain[1], "earliest first"
    assert original.select_one(".app-award-chain strong").get_text().endswith("(this award)")
    assert page(result.output, "funded-services/tpcc-2025-001/").select_one(".app-award-chain") is None


# --- providers --------------------------------------------------------------------------------------


def test_provider_page_links_registers_lists_awards_and_expectations(minimal_project):
    minimal_project.replace("data/funder.yaml", "illustrative: yes\n", "illustrative: yes\nexpectations_title: A fairer Testshire\n")
    result = minimal_project.build()
    assert result.code == 0, result.err
    charity = page(result.output, "providers/gb-chc-1000001/")
    link = charity.select_one("a[href$='/charity-details/1000001']")
    assert link and link.get_text(" ", strip=True).startswith("1000001")
    assert charity.select_one("a[href*='find-and-update.company-information']") is None
    assert listed(charity) == ["TPCC-2025-001"]
    assert "£8,083" in charity.select_one(".app-key-facts").get_text()

    company = page(result.output, "providers/gb-coh-00000002/")
    assert company.select_one("a[href='https://find-and-update.company-information.service.gov.uk/company/00000002']")
    heading = company.find("h2", string="A fairer Testshire")
    assert heading is not None, "the heading comes from funder.expectations_title"
    answers = {row.select_one("dt").get_text(strip=True): row.select_one("dd").get_text(strip=True)
               for row in heading.find_next("dl").select(".govuk-summary-list__row")}
    assert answers == {"Pays the Real Living Wage": "Yes", "Pension scheme for all employees": "No",
                       "No zero-hours contracts": "Not yet confirmed", "Required policies in place": "Not yet confirmed"}

    group = page(result.output, "providers/360g-testshirepcc-youth-club/")
    assert list(section_ids(group)) == ["current", "previous"]
    assert section_ids(group) == {"current": ["TPCC-2026-003"], "previous": ["TPCC-2025-002"]}
    assert group.select_one("a[href*='charitycommission']") is None


def test_providers_index_lists_every_provider_even_without_awards(sample_site):
    soup = page(sample_site, "providers/")
    names = [a.get_text(strip=True) for a in soup.select("main tbody tr td:first-child a")]
    assert sorted(names) == sorted(p["name"] for p in PROVIDERS.values())
    assert names == sorted(names, key=str.lower)
    without = [p for p in PROVIDERS if not any(a["provider_id"] == p for a in AWARDS)]
    assert without, "the sample has a provider with no award"
    assert (sample_site / "providers" / without[0].lower() / "index.html").exists()


# --- funding streams and priorities ------------------------------------------------------------------


@pytest.mark.parametrize("kind, items, key", [
    ("funding-streams", FUNDER["funding_streams"], lambda a: [a["funding_stream"]]),
    ("priorities", FUNDER["priorities"], lambda a: a["priorities"].split(";")),
])
def test_stream_and_priority_pages_show_what_is_funded_now_and_totals_by_year(sample_site, kind, items, key):
    index = page(sample_site, f"{kind}/")
    assert [a["href"] for a in index.select("main h2 a")] == [f"/{kind}/{item['code']}/" for item in items]
    for item in items:
        soup = page(sample_site, f"{kind}/{item['code']}/")
        assert soup.select_one("h1").get_text(strip=True) == item["title"]
        assert " ".join(item["description"].split()) in soup.select_one("main").get_text(" ")
        under = [a for a in AWARDS if item["code"] in key(a)]
        assert sorted(section_ids(soup).get("funded-now", [])) == sorted(a["id"] for a in under if status(a) == "current")
        years = defaultdict(lambda: [0, Decimal(0)])
        for award in under:
            years[financial_year(award["award_date"])][0] += 1
            years[financial_year(award["award_date"])][1] += Decimal(award["amount_awarded"])
        table = soup.select_one("#by-year").find_next("table")
        shown = [[c.get_text(strip=True) for c in tr.select("th, td")] for tr in table.select("tbody tr")]
        assert shown == [[year, str(n), f"£{amount:,.0f}"] for year, (n, amount) in sorted(years.items())]


# --- markup in names ---------------------------------------------------------------------------------


def browser_view(html: str) -> BeautifulSoup:
    """A page as a browser's parser sees it, which Python's does not quite do: a browser reads <title>
    to the first </title> as text (the minifier leaves a < there unescaped, which is safe), and a < in
    a quoted attribute value is text too."""
    title = re.search(r"<title>(.*?)</title>", html, re.S | re.I)
    assert title, "every page has a title"
    soup = BeautifulSoup(html[:title.start()] + "<title></title>" + html[title.end():], "html.parser")
    soup.title.string = unescape(title.group(1))
    return soup


def test_a_provider_name_full_of_markup_renders_as_text_everywhere(minimal_project):
    quoted = '"' + MARKUP_NAME.replace('"', '""') + '"'
    minimal_project.replace("data/providers.csv", "Riverside Youth Club", quoted)
    result = minimal_project.build()
    assert result.code == 0, result.err
    shown_on = []
    for file in sorted(result.output.rglob("*.html")):
        soup = browser_view(file.read_text(encoding="utf-8"))
        if MARKUP_NAME in soup.get_text():
            shown_on.append(file.relative_to(result.output).parent.as_posix())
        assert not [s for s in soup.find_all("script") if "alert" in s.get_text()], file
        assert not soup.find(attrs={"onmouseover": True}), file
        assert not [b for b in soup.find_all("b") if "Riverside" in b.get_text()], file
    for path in ("funded-services", "funded-services/tpcc-2025-002", "funded-services/tpcc-2026-003",
                 "providers", "providers/360g-testshirepcc-youth-club", "funding-streams/community-safety-fund",
                 "priorities/prevention", "funded-services/organisation-type/community-group"):
        assert path in shown_on, f"the name should show, as text, on {path}/"
    provider = browser_view((result.output / "providers/360g-testshirepcc-youth-club/index.html").read_text(encoding="utf-8"))
    assert provider.title.string.startswith(MARKUP_NAME) and provider.h1.get_text() == MARKUP_NAME
    register = (result.output / "data" / "funding-register.csv").read_text(encoding="utf-8-sig")
    assert quoted in register, "the CSV keeps the name exactly"


# --- dates for the sitemap ----------------------------------------------------------------------------


def sample_site_at(sample_project, now: str):
    config = from_pelican({"COMMISSIONING_ROOT": str(sample_project.root), "PATH": str(sample_project.root / "content"),
                           "COMMISSIONING_NOW": now})
    site = derive(load_dataset(config.data_dir, config.content_dir, config.root), config)
    return site


def test_every_page_has_a_last_modified_date_from_the_data_never_the_clock(sample_project):
    site = sample_site_at(sample_project, SAMPLE_NOW)
    pages = funded_services_pages.pages(site, [])
    assert len({p.save_as for p in pages}) == len(pages), "no page is written twice"
    assert all(p.lastmod is not None and p.lastmod <= site.today for p in pages)
    later = sample_site_at(sample_project, "2031-01-01T09:00")
    register = next(p for p in funded_services_pages.pages(later, []) if p.save_as == "funded-services/index.html")
    last_day = max(date.fromisoformat(a["end_date"]) for a in AWARDS)
    assert register.lastmod == date.fromordinal(last_day.toordinal() + 1), "the day after the last award ended"


# --- sorting, with JavaScript ---------------------------------------------------------------------------


def test_sorting_a_column_with_javascript(sample_site):
    playwright = pytest.importorskip("playwright.sync_api")
    chromium = Path("/usr/bin/chromium")
    if not chromium.exists():
        pytest.skip("Chromium is not installed")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(sample_site))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with playwright.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(chromium), args=["--no-sandbox"])
            tab = browser.new_page()
            errors = []
            tab.on("pageerror", lambda error: errors.append(str(error)))
            tab.goto(f"http://127.0.0.1:{server.server_address[1]}/funded-services/")
            table = tab.locator("#previous + div table")
            amounts = lambda: [Decimal(v) for v in table.locator("tbody td[data-sort-value].govuk-table__cell--numeric")  # noqa: E731
                               .evaluate_all("cells => cells.map(c => c.dataset.sortValue)")]
            table.get_by_role("button", name="Amount").click()
            assert amounts() == sorted(amounts())
            assert table.locator("th[aria-sort=ascending]").inner_text().strip().startswith("Amount")
            table.get_by_role("button", name="Amount").click()
            assert amounts() == sorted(amounts(), reverse=True)
            assert not errors
            browser.close()
    finally:
        server.shutdown()


# --- what "paid to date" can speak for ----------------------------------------------------------------


def _payment_files() -> dict[str, list[dict]]:
    folder = REPO / "data" / "payments"
    return {p.stem: list(csv.DictReader(p.open(encoding="utf-8-sig"))) for p in sorted(folder.glob("*.csv"))}


def test_pages_say_where_the_payment_records_start_and_end(sample_site):
    files = _payment_files()
    first_year = min(files)
    start = date(int(first_year[:4]), 4, 1)
    today = date.fromisoformat(SAMPLE_NOW[:10])
    last = max(date.fromisoformat(r["date"]) for rows in files.values() for r in rows if r["date"] <= str(today))
    spend = page(sample_site, "spend/").get_text(" ", strip=True)
    assert f"Payments are published here from 1 April {start.year} to {last.day} {last:%B %Y}." in spend
    ended = [a for a in AWARDS if date.fromisoformat(a["end_date"]) < start]
    straddling = [a for a in AWARDS if date.fromisoformat(a["start_date"]) < start <= date.fromisoformat(a["end_date"])]
    assert ended and straddling, "the sample has awards on both sides of the first payments file"
    paid = {a for rows in files.values() for r in rows if (a := r["award_id"])}
    for award in (a for a in ended if a["id"] not in paid):
        text = page(sample_site, f"funded-services/{award['id'].lower()}/").get_text(" ", strip=True)
        assert "None yet" not in text
        assert f"payments before 1 April {start.year} are not published here" in text
    for award in (a for a in ended + straddling if a["id"] in paid):
        text = page(sample_site, f"funded-services/{award['id'].lower()}/").get_text(" ", strip=True)
        assert f"Payments before 1 April {start.year} are not published here, so the total may be more." in text
        assert f"from 1 April {start.year} to {last.day} {last:%B %Y}" in text


_PAYMENT = st.tuples(st.sampled_from(["2024-25", "2025-26"]), st.integers(0, 800),
                     st.sampled_from([None, "A-1", "A-2", "A-3"]), st.sampled_from([None, "P-1", "P-2"]))


@given(st.lists(_PAYMENT, max_size=60), st.integers(0, 800))
def test_each_award_and_provider_was_last_paid_on_its_latest_payment_up_to_today(rows, today_offset):
    """Changed reads the payments by date in one pass; the answer is each id's latest payment on or before today."""
    start = date(2024, 4, 1)
    payments: dict[str, list] = defaultdict(list)
    for year, offset, award_id, provider_id in rows:
        payments[year].append(SimpleNamespace(date=start + timedelta(days=offset), award_id=award_id, provider_id=provider_id))
    today = start + timedelta(days=today_offset)
    data = Dataset(funder=None, providers=[], awards=[], opportunities=[], payments=dict(payments), content_dir=Path("."))
    changed = Changed(SimpleNamespace(today=today, dataset=data, awards=[]))
    award_paid: dict = {}
    provider_paid: dict = {}
    for year_payments in payments.values():
        for p in year_payments:
            if p.date <= today:
                if p.award_id:
                    award_paid[p.award_id] = max(p.date, award_paid.get(p.award_id, p.date))
                provider_paid[p.provider_id] = max(p.date, provider_paid.get(p.provider_id, p.date))
    assert changed.award_paid == award_paid
    assert changed.provider_paid == provider_paid
    assert changed.everything == (max(provider_paid.values()) if provider_paid else today)
