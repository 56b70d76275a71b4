"""Pages a person can read at scale: a synthetic site (bench/synthetic.py) built with a small page size,
so that every listing must paginate and every long month must be summed up rather than listed."""

from __future__ import annotations

import csv
import re
import sys
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import REPO, Project, page

sys.path.insert(0, str(REPO / "bench"))
import synthetic  # noqa: E402

from commissioning import settings  # noqa: E402

PAGE_SIZE = 20
MAX_PAGE = 300 * 1024
THRESHOLD = Decimal(500)
# Small enough to build in well under a minute here; big enough that every month has hundreds of payments.
SIZE = synthetic.Size(awards=1_200, providers=300, opportunities=60, payments=8_000, years=2)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("scale")
    synthetic.generate(root, SIZE)
    result = Project(root).build(COMMISSIONING_PAGE_SIZE=PAGE_SIZE, COMMISSIONING_SEARCH_INDEX=False)
    assert result.code == 0, result.err
    return result.output


@pytest.fixture(scope="module")
def payments(built) -> dict[str, list[dict]]:
    """Each year's payments as written in the data, with their line in the file."""
    data = built.parent / "data" / "payments"
    years = {}
    for path in sorted(data.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            years[path.stem] = [dict(row, line=number, amount=Decimal(row["amount"]))
                                for number, row in enumerate(csv.DictReader(handle), start=2)]
    return years


def html_pages(output: Path) -> list[Path]:
    return sorted(output.rglob("*.html"))


def address(output: Path, path: Path) -> str:
    return path.parent.relative_to(output).as_posix() + "/"


def following(output: Path, start: str, label: str) -> list[str]:
    """Every page of a listing, from its first page along the numbered pagination called label."""
    seen, queue = [], [start]
    while queue:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.append(path)
        nav = page(output, path).find("nav", attrs={"aria-label": label})
        if nav is not None:
            queue += [a["href"].removeprefix("/") for a in nav.select("a")]
    return seen


# --- the size of a page ---------------------------------------------------------------------------


def test_no_html_page_is_over_300_kb(built):
    sizes = sorted(((p.stat().st_size, p.relative_to(built).as_posix()) for p in html_pages(built)), reverse=True)
    assert sizes[0][0] <= MAX_PAGE, f"the biggest pages: {sizes[:5]}"


def test_listing_pages_hold_at_most_a_page_of_rows(built):
    """What keeps the pages small at any size: no listing page has more rows than the page size."""
    listings = 0
    for path in html_pages(built):
        text = path.read_text(encoding="utf-8")
        if "Pages of funded services" not in text and "Pages of providers" not in text:
            continue
        listings += 1
        # A register page's rows are in up to three tables (current, future, previous): together a page's worth.
        assert 0 < len(page(built, address(built, path)).select("main table tbody tr")) <= PAGE_SIZE, address(built, path)
    assert listings > 50
    for path in built.glob("spend-over-500/*/*/**/index.html"):
        soup = page(built, address(built, path))
        if soup.find(id="month-total"):  # a long month, summed up: its tables are cut to the page size
            assert 0 < len(soup.select("#month-largest tbody tr")) <= PAGE_SIZE
            assert 0 < len(soup.select("#month-by-payee tbody tr")) <= PAGE_SIZE
        else:
            assert 0 < len(soup.select("#listing tbody tr")) <= PAGE_SIZE


# --- pagination -----------------------------------------------------------------------------------


NAV = re.compile(r"<nav[^>]*govuk-pagination[^>]*>.*?</nav>", re.S)  # minified: attributes in any order
HREF = re.compile(r"href=\"?([^\" >]+)")


def test_every_pagination_link_leads_to_a_built_page(built):
    checked = 0
    for path in html_pages(built):
        for nav in NAV.findall(path.read_text(encoding="utf-8")):
            for href in HREF.findall(nav):
                assert (built / href.removeprefix("/") / "index.html").exists(), f"{address(built, path)} links to {href}"
                checked += 1
    assert checked > 1000


@pytest.mark.parametrize("base, label", [
    ("funded-services/", "Pages of funded services"),
    ("funded-services/type/grant/", "Pages of funded services"),
    ("funded-services/stream/moj-victims/", "Pages of funded services"),
    ("providers/", "Pages of providers"),
])
def test_the_register_its_filters_and_the_providers_paginate(built, base, label):
    pages = following(built, base, label)
    count = len(pages)
    assert count > 2 and pages[1] == f"{base}page/2/"
    assert sorted(pages) == sorted([base] + [f"{base}page/{n}/" for n in range(2, count + 1)])
    second = page(built, f"{base}page/2/")
    assert f"(page 2 of {count})" in second.title.get_text()
    assert second.select_one("link[rel=canonical]")["href"] == f"/{base}page/2/"
    assert second.select_one("a[rel=prev]")["href"] == f"/{base}"
    # Page 40 of 400 does not write 400 links: first, last, those beside the current one, and ellipses.
    assert len(second.find("nav", attrs={"aria-label": label}).select(".govuk-pagination__item")) <= 7


def test_only_the_first_page_is_marked_for_search(built):
    assert page(built, "funded-services/").select_one("main[data-pagefind-body]")
    assert page(built, "providers/").select_one("main[data-pagefind-body]")
    for path in ("funded-services/page/2/", "providers/page/2/", "funded-services/type/grant/page/2/"):
        soup = page(built, path)
        assert not soup.select("[data-pagefind-body]"), path
        assert not soup.select("[data-pagefind-filter]"), path


def test_the_sitemap_lists_every_page_of_a_listing(built):
    locations = ET.parse(built / "sitemap.xml").getroot().iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")
    paths = {re.sub(r"^(https?://[^/]+)?/", "", loc.text) for loc in locations}
    for base, label in (("funded-services/", "Pages of funded services"), ("providers/", "Pages of providers")):
        every = following(built, base, label)
        assert len(every) > 2 and set(every) <= paths, set(every) - paths


# --- every payment over £500, once ----------------------------------------------------------------


ROWS = re.compile(r"the file ([\w.-]+): rows ([\d,]+) to ([\d,]+)")


def named_rows(built: Path, soup, records: list[list[str]]) -> list[list[str]]:
    """The rows of the year's statutory file that a summed-up month's page says hold the month (the header is row 1)."""
    name, first, last = ROWS.search(soup.find(id="month-rows").get_text(" ", strip=True)).groups()
    return records[int(first.replace(",", "")) - 1:int(last.replace(",", ""))]


def test_every_payment_over_500_is_in_its_months_rows_of_the_years_file(built, payments):
    """No page/2/: a long month is one page naming the rows of the year's file that hold it, and those rows are
    exactly its payments; the file holds every payment over £500 once."""
    assert not list((built / "spend-over-500").glob("**/page"))
    for year, rows in payments.items():
        expected = {f"{year}:{r['line']}" for r in rows if r["amount"] > THRESHOLD}
        text = (built / "data" / f"expenditure-over-500-{year}.csv").read_text(encoding="utf-8-sig")
        records = list(csv.reader(text.splitlines()))
        ids = [r[0] for r in records[1:]]
        assert len(ids) == len(set(ids)) and set(ids) == expected
        months = [a["href"].removeprefix("/") for a in page(built, f"spend-over-500/{year}/").select("#listing-months tbody a")]
        found = Counter()
        for month in months:
            soup = page(built, month)
            assert soup.find(id="month-total"), f"{month}: every month here is longer than a page"
            held = named_rows(built, soup, records)
            assert {r[1][:7] for r in held} == {month.rstrip("/").rsplit("/", 1)[-1]}
            found.update(r[0] for r in held)
        assert max(found.values()) == 1 and set(found) == expected
        assert len(expected) > 20 * PAGE_SIZE


# --- a month too long to list ---------------------------------------------------------------------


def pounds(text: str) -> Decimal:
    return Decimal(text.strip().replace("£", "").replace(",", ""))


def test_a_long_month_is_summed_up_to_the_penny(built, payments):
    with (built.parent / "data" / "providers.csv").open(encoding="utf-8", newline="") as handle:
        names = {row["id"]: row["name"] for row in csv.DictReader(handle)}
    checked = 0
    for year, rows in payments.items():
        by_month = defaultdict(list)
        for r in rows:
            if r["amount"] > THRESHOLD:
                by_month[r["date"][:7]].append(r)
        for month, over in by_month.items():
            assert len(over) > PAGE_SIZE
            soup = page(built, f"spend/{year}/payments/{month}/")
            assert not soup.find(id="spend-listing"), "a long month is not listed in full"
            assert not (built / f"spend/{year}/payments/{month}/2").exists()
            total = sum(r["amount"] for r in over)
            assert pounds(soup.find(id="month-total").get_text()) == total
            assert soup.find(id="month-count").get_text() == f"{len(over):,}"
            # Totals by organisation: the largest page-size of them, then the rest in one sentence.
            paid = defaultdict(Decimal)
            for r in over:
                paid[names[r["provider_id"]]] += r["amount"]
            largest = sorted(paid.items(), key=lambda item: (-item[1], item[0].lower()))
            table = soup.find(id="spend-month-by-provider")
            shown = [(tr.th.a.get_text(strip=True), pounds(tr.select("td")[1].get_text())) for tr in table.tbody.select("tr")]
            assert shown == largest[:PAGE_SIZE]
            assert pounds(table.tfoot.select("td")[1].get_text()) == total
            more = soup.find(id="month-providers-more").get_text()
            rest = sum(amount for _, amount in largest[PAGE_SIZE:])
            assert f"And {len(largest) - PAGE_SIZE:,} more organisations, adding up to £{rest:,.2f}" in more
            # The largest payments, largest first.
            amounts = [pounds(tr.select("td")[4].get_text()) for tr in soup.select("#spend-month-largest tbody tr")]
            assert amounts == sorted((r["amount"] for r in over), reverse=True)[:PAGE_SIZE]
            # Where every payment is: the rows of the year's statutory file and of its file of every payment.
            links = {a["href"] for a in soup.select("#every-payment + ul a")}
            assert {f"/data/expenditure-over-500-{year}.csv", f"/data/spend-{year}.csv"} <= links
            assert len(ROWS.findall(soup.select_one("#every-payment + ul").get_text(" ", strip=True))) == 2
            checked += 1
    assert checked >= 12


def test_the_year_page_shows_the_largest_awards_and_organisations_and_links_the_rest(built, payments):
    year = "2025-26"
    soup = page(built, f"spend/{year}/")
    rows = payments[year]
    for table, key, more in (("spend-by-award", "award_id", "spend-by-award-more"),
                             ("spend-by-provider", "provider_id", "spend-by-provider-more")):
        whole = {r[key] for r in rows if r[key]}
        assert len(soup.select(f"#{table} tbody tr")) == PAGE_SIZE
        sentence = soup.find(id=more)
        assert sentence.get_text().startswith(f"And {len(whole) - PAGE_SIZE:,} more ")
        assert sentence.a["href"] == f"/data/spend-{year}.csv"
    total = sum(r["amount"] for r in rows)
    assert pounds(soup.select_one("#spend-by-provider tfoot td:nth-of-type(2)").get_text()) == total
    # Fewer refunds than a page: every one, by date, as on the sample site.
    refunds = [r for r in rows if r["amount"] < 0]
    assert 0 < len(refunds) <= PAGE_SIZE
    shown = [pounds(tr.select("td")[4].get_text()) for tr in soup.select("#spend-refunds tbody tr")]
    assert shown == [r["amount"] for r in sorted(refunds, key=lambda r: r["date"])]
    assert not soup.find(id="spend-refunds-more")


def test_more_refunds_than_a_page_are_cut_to_the_largest():
    from types import SimpleNamespace

    from commissioning.spend.pages import refunds

    many = [SimpleNamespace(amount=Decimal(-n), date=n, id=str(n)) for n in range(1, 26)]
    cut = refunds(SimpleNamespace(refunds=many), 10)
    assert [r.amount for r in cut.rows] == [Decimal(-n) for n in range(25, 15, -1)]
    assert (cut.more, cut.more_amount) == (15, -sum(Decimal(n) for n in range(1, 16)))
    assert refunds(SimpleNamespace(refunds=many[:10]), 10).rows == many[:10]


# --- the setting ----------------------------------------------------------------------------------


def test_the_page_size_setting_has_a_default_and_a_range():
    base = {"COMMISSIONING_NOW": "2026-11-24T09:00"}
    assert settings.DEFAULTS["COMMISSIONING_PAGE_SIZE"] == 100
    assert settings.from_pelican(base).page_size == 100
    assert settings.from_pelican({**base, "COMMISSIONING_PAGE_SIZE": 10}).page_size == 10
    for value, message in ((9, "must be a whole number from 10 to 10000"), (10_001, "must be a whole number from 10 to 10000"),
                           ("50", "must be a whole number, written without quotes, for example 100"),
                           (True, "must be a whole number, written without quotes"), (2.5, "must be a whole number")):
        with pytest.raises(settings.SettingsError, match=re.escape(message)):
            settings.from_pelican({**base, "COMMISSIONING_PAGE_SIZE": value})


# --- the opportunities' archive, filter pages and the forward plan -------------------------------


def test_the_archive_lists_every_opportunity_once_across_its_pages(built):
    import json

    every = {o["id"].lower() for o in json.loads((built / "data" / "opportunities.json").read_bytes())["opportunities"]}
    assert len(every) > PAGE_SIZE
    seen = []
    for start in following(built, "opportunities/archive/", "Pages of funding opportunities"):
        rows = page(built, start).select("table tbody tr th a")
        assert len(rows) <= PAGE_SIZE
        seen += [a["href"].rstrip("/").rsplit("/", 1)[-1] for a in rows]
    assert sorted(seen) == sorted(every)


def test_filter_pages_show_the_latest_closed_calls_and_send_the_rest_to_the_archive(built):
    pages = sorted((built / "opportunities" / "stream").glob("*/index.html"))
    assert pages
    cut = 0
    for path in pages:
        soup = page(built, f"opportunities/stream/{path.parent.name}/")
        closed = soup.find("h2", string="Closed")
        listed = closed.find_next("ul").select(":scope > li") if closed else []
        assert len(listed) <= PAGE_SIZE
        if "more closed" in soup.main.get_text(" ", strip=True):
            cut += 1
            assert len(listed) == PAGE_SIZE and soup.main.select_one('a[href$="/opportunities/archive/"]')
    assert cut, "no stream has more closed calls than a page: the test shows nothing"


def test_the_forward_plan_shows_the_soonest_and_sends_the_rest_to_its_csv(built):
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO((built / "data" / "forward-plan.csv").read_text(encoding="utf-8-sig"))))
    soup = page(built, "forward-plan/")
    shown = soup.select("table.app-forward-plan tbody tr")
    assert len(shown) == min(len(rows), PAGE_SIZE)
    if len(rows) > PAGE_SIZE:
        assert f"And {len(rows) - PAGE_SIZE} more ending" in soup.main.get_text(" ", strip=True)
        assert soup.main.select_one('a[href$="/data/forward-plan.csv"]')
