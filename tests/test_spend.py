"""Spend: every figure the spend pages and downloads show equals a sum made here, independently, from
the raw payment files (csv and Decimal, not the plugin's code), to the penny.

Also: the 31 March / 1 April boundary, refunds, a year with no payments, a payment with no award,
the list of payments over £500 (a refund of any size is not expenditure, so it is never listed; a
payment of exactly £500 is not over £500), prompt payment, the charts' text alternatives, and the
rules for bad payments.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from datetime import date
from decimal import Decimal
from pathlib import Path
from statistics import median
from types import SimpleNamespace

import pytest
import yaml
from hypothesis import given, strategies as st

from conftest import REPO, Project, page

from commissioning.render.charts import Bar, Group, bar_chart
from commissioning.derive.spend import _by_priority
from commissioning.derive.spend_figures import split_pence

THRESHOLD = Decimal(500)


# --- the raw data, read independently ---------------------------------------------------------


def read_csv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


class Raw:
    """The data files of a project, read with the csv module and Decimal only."""

    def __init__(self, root: Path):
        self.funder = yaml.safe_load((root / "data" / "funder.yaml").read_text(encoding="utf-8"))
        self.providers = {p["id"]: p for p in read_csv(root / "data" / "providers.csv")}
        self.awards = {a["id"]: a for a in read_csv(root / "data" / "awards.csv")}
        self.years: dict[str, list[dict]] = {}
        for path in sorted((root / "data" / "payments").glob("*.csv")):
            # The spend pages are about funded services: payments to other suppliers (no provider_id) are the
            # statutory listing's (tests/test_transparency.py), not these figures'.
            rows = [row for row in read_csv(path) if row["provider_id"]]
            for row in rows:
                row["amount"] = Decimal(row["amount"])
                row["date"] = date.fromisoformat(row["date"])
            self.years[path.stem] = rows
        self.stream_titles = {s["code"]: s["title"] for s in self.funder["funding_streams"]}
        self.priority_titles = {p["code"]: p["title"] for p in self.funder["priorities"]}

    def stream_of(self, row: dict) -> str:
        award = self.awards.get(row["award_id"])
        return self.stream_titles[award["funding_stream"]] if award else "No award (one-off payments)"

    def priorities_of(self, row: dict) -> list[str]:
        award = self.awards.get(row["award_id"])
        return [c for c in award["priorities"].split(";") if c] if award else []


def totals(rows, key) -> dict:
    out: dict = defaultdict(Decimal)
    for row in rows:
        out[key(row)] += row["amount"]
    return dict(out)


def priority_totals(raw: Raw, rows) -> dict[str, Decimal]:
    """The documented rule: a payment split equally between its award's priorities, odd pennies to the first."""
    out: dict[str, Decimal] = defaultdict(Decimal)
    for row in rows:
        codes = raw.priorities_of(row)
        if not codes:
            out["No award (one-off payments)"] += row["amount"]
            continue
        pence = int(row["amount"] * 100)
        base, odd = divmod(pence, len(codes))
        for index, code in enumerate(codes):
            out[raw.priority_titles[code]] += Decimal(base + (1 if index < odd else 0)) / 100
    return dict(out)


@pytest.fixture(scope="module")
def raw() -> Raw:
    return Raw(REPO)


# --- reading the pages ------------------------------------------------------------------------


def pounds(text: str) -> Decimal:
    """'£1,234.56' or '-£40.00' as Decimal."""
    text = text.strip()
    match = re.fullmatch(r"(-?)£([\d,]+(?:\.\d\d)?)", text)
    assert match, f"not an amount: {text!r}"
    return Decimal(match.group(1) + match.group(2).replace(",", ""))


def label_of(cell) -> str:
    cell = cell.__copy__()
    for detail in cell.select(".app-spend-table__detail"):
        detail.extract()
    return cell.get_text(" ", strip=True)


def table_rows(soup, table_id: str) -> dict[str, list[Decimal]]:
    """Each body row of a spend table: its label and the amounts in it."""
    table = soup.find("table", id=table_id)
    assert table is not None, f"no table #{table_id}"
    rows = {}
    for tr in table.tbody.find_all("tr"):
        rows[label_of(tr.th)] = [pounds(td.get_text()) for td in tr.select("td.app-spend-table__amount")]
    return rows


def table_amounts(soup, table_id: str) -> dict[str, Decimal]:
    return {label: amounts[0] for label, amounts in table_rows(soup, table_id).items()}


def table_total(soup, table_id: str) -> list[Decimal]:
    foot = soup.find("table", id=table_id).tfoot
    return [pounds(td.get_text()) for td in foot.select("td.app-spend-table__amount")]


def nonzero(mapping: dict) -> dict:
    return {k: v for k, v in mapping.items() if v}


def csv_download(output: Path, name: str) -> tuple[bytes, list[dict]]:
    content = (output / "data" / name).read_bytes()
    return content, list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


# --- totals, to the penny ---------------------------------------------------------------------


def test_total_paid_each_year_matches_the_raw_files(sample_site, raw):
    overview = page(sample_site, "spend/")
    shown = table_amounts(overview, "spend-by-year")
    assert shown == {year: sum(r["amount"] for r in rows) for year, rows in raw.years.items()}
    counts = {label_of(tr.th): int(tr.find_all("td")[0].get_text().replace(",", ""))
              for tr in overview.find("table", id="spend-by-year").tbody.find_all("tr")}
    assert counts == {year: len(rows) for year, rows in raw.years.items()}
    for year, rows in raw.years.items():
        year_page = page(sample_site, f"spend/{year}/")
        for table in ("spend-by-month", "spend-by-quarter", "spend-by-stream", "spend-by-priority",
                      "spend-by-award-type", "spend-by-organisation-type", "spend-by-provider"):
            assert table_total(year_page, table) == [sum(r["amount"] for r in rows)], (year, table)


def test_each_year_is_broken_down_as_the_raw_files_add_up(sample_site, raw):
    for year, rows in raw.years.items():
        soup = page(sample_site, f"spend/{year}/")
        start = int(year[:4])
        assert nonzero(table_amounts(soup, "spend-by-stream")) == nonzero(totals(rows, raw.stream_of))
        assert nonzero(table_amounts(soup, "spend-by-provider")) == nonzero(totals(rows, lambda r: raw.providers[r["provider_id"]]["name"]))
        by_month = table_amounts(soup, "spend-by-month")
        # Months after the last payment published are left out, not shown as £0.
        last = max(r["date"] for rows_of_year in raw.years.values() for r in rows_of_year)
        assert list(by_month) == [date(start + (m < 4), m, 1).strftime("%B %Y") for m in (*range(4, 13), 1, 2, 3)
                                  if date(start + (m < 4), m, 1) <= last]
        assert nonzero(by_month) == nonzero(totals(rows, lambda r: r["date"].strftime("%B %Y")))
        quarters = {label.split(":")[0]: amount for label, amount in table_amounts(soup, "spend-by-quarter").items()}
        assert nonzero(quarters) == nonzero(totals(rows, lambda r: f"Q{(r['date'].month - 4) % 12 // 3 + 1}"))
        assert nonzero(table_amounts(soup, "spend-by-priority")) == nonzero(priority_totals(raw, rows))
        types = {label.lower(): amount for label, amount in table_amounts(soup, "spend-by-organisation-type").items()}
        assert types == totals(rows, lambda r: raw.providers[r["provider_id"]]["organisation_type"].replace("-", " "))
        awards = table_amounts(soup, "spend-by-award")
        assert awards == totals([r for r in rows if r["award_id"]], lambda r: raw.awards[r["award_id"]]["title"])


def test_year_on_year_tables_match_the_raw_files(sample_site, raw):
    soup = page(sample_site, "spend/")
    years = list(raw.years)
    by_stream = table_rows(soup, "spend-by-stream")
    for title in raw.stream_titles.values():
        assert by_stream[title] == [totals(raw.years[y], raw.stream_of).get(title, Decimal(0)) for y in years]
    by_priority = table_rows(soup, "spend-by-priority")
    for title in raw.priority_titles.values():
        assert by_priority[title] == [priority_totals(raw, raw.years[y]).get(title, Decimal(0)) for y in years]
    # The split is exact: priorities add up to each year's total, as the page says.
    assert table_total(soup, "spend-by-priority") == [sum(r["amount"] for r in raw.years[y]) for y in years]
    assert "split each payment for such an award equally" in soup.get_text()


def test_the_downloads_hold_every_payment_with_names_resolved(sample_site, raw):
    for year, rows in raw.years.items():
        content, written = csv_download(sample_site, f"spend-{year}.csv")
        assert content.startswith("\ufeff".encode())
        assert len(written) == len(rows)
        assert sum(Decimal(w["amount"]) for w in written) == sum(r["amount"] for r in rows)
        key = lambda r: (str(r["date"]), r["provider_id"], r["award_id"], Decimal(r["amount"]), r["description"])  # noqa: E731
        assert Counter(map(key, written)) == Counter(map(key, rows))
        for row in written:
            assert row["provider_name"] == raw.providers[row["provider_id"]]["name"]
            award = raw.awards.get(row["award_id"])
            assert row["award_title"] == (award["title"] if award else "")
            assert row["funding_stream_title"] == (raw.stream_titles[award["funding_stream"]] if award else "")
            assert row["priorities"] == (award["priorities"] if award else "")
            assert not row["description"].startswith(("=", "+", "-", "@"))


def test_the_payments_over_500_are_in_the_one_statutory_file(sample_site, raw):
    """The funded organisations' payments over £500 are the statutory file's provider rows; no second file holds them."""
    for year, rows in raw.years.items():
        _, written = csv_download(sample_site, f"expenditure-over-500-{year}.csv")
        funded = [w for w in written if w["payee_type"] == "provider"]
        over = [r for r in rows if r["amount"] > THRESHOLD]
        assert sorted((w["date"], w["payee_id"], Decimal(w["amount"])) for w in funded) == \
            sorted((str(r["date"]), r["provider_id"], r["amount"]) for r in over)
        # Refunds of more than £500 exist in the sample and are not listed: they are not expenditure.
    assert any(r["amount"] < -THRESHOLD for rows in raw.years.values() for r in rows)
    assert not list((sample_site / "data").glob("spend-over-*"))
    links = {a["href"] for a in page(sample_site, "data/").select("a")}
    assert "/data/expenditure-over-500-2025-26.csv" in links and not [h for h in links if "spend-over-500-" in h]
    for path in ("spend/", "spend/2025-26/", "spend/2025-26/payments/", "spend/2025-26/payments/2025-06/"):
        downloads = {a["href"] for a in page(sample_site, path).select("a[download]")}
        assert "/data/expenditure-over-500-2025-26.csv" in downloads, path
        assert not [h for h in downloads if "spend-over-500-" in h], path


def listing_rows(output: Path, year: str) -> list[tuple]:
    """Every row of every month page of a year's list of payments over £500, following the index's links."""
    index = page(output, f"spend/{year}/payments/")
    found = []
    for href in [a["href"] for a in index.find("table", id="spend-listing-months").select("tbody a")]:
        month = path = href.removeprefix("/")
        seen = set()
        while path and path not in seen:
            seen.add(path)
            soup = page(output, path)
            for tr in soup.find("table", id="spend-listing").tbody.find_all("tr"):
                cells = tr.find_all("td")
                links = tuple(a["href"] for a in tr.find_all("a"))
                found.append((cells[0].get_text(strip=True), cells[1].get_text(strip=True), pounds(cells[4].get_text()), links))
            # A month longer than a page goes on in parts; the next month has its own link in the index.
            following = soup.select_one(".govuk-pagination__next a")
            path = following["href"].removeprefix("/") if following else ""
            path = path if path.startswith(month) else ""
    return found


def test_the_listing_pages_show_exactly_the_payments_over_500_linked_to_awards_and_providers(sample_site, raw):
    for year, rows in raw.years.items():
        expected = Counter(
            (f"{r['date'].day} {r['date']:%B %Y}", raw.providers[r["provider_id"]]["name"], r["amount"],
             (f"/providers/{r['provider_id'].lower()}/",) + ((f"/funded-services/{r['award_id'].lower()}/",) if r["award_id"] else ()))
            for r in rows if r["amount"] > THRESHOLD)
        assert Counter(listing_rows(sample_site, year)) == expected


def test_no_page_of_the_listing_is_huge(sample_site):
    for path in sample_site.glob("spend/*/payments/*/**/index.html"):
        rows = page(sample_site, path.parent.relative_to(sample_site).as_posix() + "/").find("table", id="spend-listing").tbody
        assert 0 < len(rows.find_all("tr")) <= 250


def test_prompt_payment_matches_an_independent_count(sample_site, raw):
    terms = int(raw.funder["payment_terms_days"])
    for year, rows in raw.years.items():
        invoices = {}
        for r in rows:
            if r["invoice_received"] and r["amount"] > 0:
                days = (r["date"] - date.fromisoformat(r["invoice_received"])).days
                invoices[(r["provider_id"], r["award_id"], r["invoice_received"], r["date"])] = days
        soup = page(sample_site, f"spend/{year}/")
        assert invoices, year
        within = sum(1 for d in invoices.values() if d <= terms)
        assert soup.find(id="prompt-within").get_text() == f"{within:,}"
        assert soup.find(id="prompt-invoices").get_text() == f"{len(invoices):,} invoices"
        assert soup.find(id="prompt-share").get_text() == f"{Decimal(within) * 100 / len(invoices):.1f}%"
        assert Decimal(soup.find(id="prompt-median").get_text()) == Decimal(str(median(invoices.values())))


def test_paid_totals_on_awards_and_providers(raw):
    from commissioning import settings
    from commissioning.load.loader import load_dataset
    from commissioning.derive.site import derive

    config = settings.from_pelican({"COMMISSIONING_ROOT": str(REPO), "COMMISSIONING_NOW": "2026-11-24T09:00",
                                    "PATH": str(REPO / "content")})
    site = derive(load_dataset(config.data_dir, config.content_dir, config.root), config)
    everything = [r for rows in raw.years.values() for r in rows]
    for award in site.awards:
        mine = [(y, r) for y, rows in raw.years.items() for r in rows if r["award_id"] == award.id]
        assert award.paid_to_date == sum((r["amount"] for _, r in mine), Decimal(0))
        assert award.paid_by_year == sorted(totals([dict(r, year=y) for y, r in mine], lambda r: r["year"]).items())
    for provider in site.providers:
        assert provider.total_paid == sum((r["amount"] for r in everything if r["provider_id"] == provider.id), Decimal(0))
    assert sum(p.total_paid for p in site.providers) == sum(r["amount"] for r in everything)


# --- a month too long to list (the sample built with a page size of 40) ----------------------



def test_a_records_payments_are_known_before_the_spend_figures_and_agree_with_them():
    """linked() fills what an award's or provider's own page says about payments without summing the
    spend figures (the preview writes an edited record's page from it); figured() sums the years.
    The two are worked out apart, payment by payment and a year at a time: they must agree."""
    from commissioning import settings
    from commissioning.load.loader import load_dataset
    from commissioning.derive.site import figured, linked

    config = settings.from_pelican({"COMMISSIONING_ROOT": str(REPO), "COMMISSIONING_NOW": "2026-11-24T09:00",
                                    "PATH": str(REPO / "content")})
    site = linked(load_dataset(config.data_dir, config.content_dir, config.root), config)
    assert site.spend.years == []
    awards = {a.id: (a.paid_to_date, list(a.paid_by_year)) for a in site.awards}
    providers = {p.id: p.total_paid for p in site.providers}
    held = (site.spend.records_from, site.spend.records_to)
    assert any(paid for paid, _ in awards.values()) and held[1] is not None

    figured(site)
    years = site.spend.years
    assert years and {a.id: (a.paid_to_date, a.paid_by_year) for a in site.awards} == awards
    assert {p.id: p.total_paid for p in site.providers} == providers
    by_award, by_provider = defaultdict(list), defaultdict(Decimal)
    for year in years:
        for line in year.by_award:
            by_award[line.key].append((year.label, line.amount))
        for line in year.by_provider:
            by_provider[line.key] += line.amount
    assert {key: paid for key, (_, paid) in awards.items() if paid} == dict(by_award)
    assert {key: paid for key, paid in providers.items() if paid} == {k: v for k, v in by_provider.items() if v}
    assert held == (years[0].start, max(y.last_payment for y in years if y.last_payment and y.last_payment <= site.today))
SHORT_PAGE = 40  # the sample's months have 27 to 46 payments over £500: some are longer than this, some not
ROWS = re.compile(r"the file ([\w.-]+): rows ([\d,]+) to ([\d,]+)")


@pytest.fixture(scope="module")
def summed_site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("summed")
    shutil.copytree(REPO / "data", root / "data")
    shutil.copytree(REPO / "content", root / "content")
    result = Project(root).build(COMMISSIONING_PAGE_SIZE=SHORT_PAGE, COMMISSIONING_SEARCH_INDEX=False)
    assert result.code == 0, result.err
    return result.output


def months_over(rows: list[dict]) -> dict[str, list[dict]]:
    """A year's payments over £500 by month (YYYY-MM), in the order of the raw file."""
    months: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        if row["amount"] > THRESHOLD:
            months[f"{row['date']:%Y-%m}"].append(row)
    return months


def named_rows(output: Path, item) -> tuple[str, list[list[str]], list[str]]:
    """The file a list item names, the rows it says hold the month (as a spreadsheet numbers them, the
    headings row 1), read from the real CSV, and the file's header."""
    name, first, last = ROWS.search(item.get_text(" ", strip=True)).groups()
    first, last = int(first.replace(",", "")), int(last.replace(",", ""))
    records = list(csv.reader(io.StringIO((output / "data" / name).read_text(encoding="utf-8-sig"))))
    assert 2 <= first <= last <= len(records)
    dates = [r[1] for r in records[1:]]
    assert dates == sorted(dates), f"{name} is not in date order"
    month = records[first - 1][1][:7]
    # The rows just before and just after are another month's: the run is the whole month.
    assert first == 2 or records[first - 2][1][:7] != month
    assert last == len(records) or records[last][1][:7] != month
    return name, records[first - 1:last], records[0]


def test_a_long_month_is_one_summary_page_with_the_rows_that_hold_it(summed_site, raw):
    checked = 0
    for year, rows in raw.years.items():
        for month, over in months_over(rows).items():
            if len(over) <= SHORT_PAGE:
                continue
            base = summed_site / "spend" / year / "payments" / month
            assert [p.name for p in base.iterdir()] == ["index.html"], "one page, no parts"
            soup = page(summed_site, f"spend/{year}/payments/{month}/")
            assert not soup.find(id="spend-listing")
            total = sum(r["amount"] for r in over)
            assert pounds(soup.find(id="month-total").get_text()) == total
            assert soup.find(id="month-count").get_text() == f"{len(over):,}"
            paid = totals(over, lambda r: raw.providers[r["provider_id"]]["name"])
            largest = sorted(paid.items(), key=lambda item: (-item[1], item[0].lower()))[:SHORT_PAGE]
            assert list(table_amounts(soup, "spend-month-by-provider").items()) == largest
            assert table_total(soup, "spend-month-by-provider") == [total]
            shown = [pounds(td.get_text()) for td in soup.select("#spend-month-largest td.app-spend-table__amount")]
            assert shown == sorted((r["amount"] for r in over), reverse=True)[:SHORT_PAGE]
            # Every payment is in the downloads, at the rows the page names; not on another page.
            items = soup.select("#every-payment + ul > li")
            links = {a["href"] for a in soup.select("#every-payment + ul a")}
            assert links == {f"/data/expenditure-over-500-{year}.csv", f"/data/expenditure-over-500-{year}.xlsx",
                             f"/data/spend-{year}.csv"}
            name, listed, header = named_rows(summed_site, items[0])
            assert name == f"expenditure-over-500-{year}.csv"
            assert {r[1][:7] for r in listed} == {month}
            funded = [r for r in listed if r[header.index("payee_type")] == "provider"]
            assert sorted(Decimal(r[header.index("amount")]) for r in funded) == sorted(r["amount"] for r in over)
            name, every, header = named_rows(summed_site, items[2])
            assert name == f"spend-{year}.csv"
            in_month = [r for r in rows if f"{r['date']:%Y-%m}" == month]
            assert sorted(Decimal(r[header.index("amount")]) for r in every) == sorted(r["amount"] for r in in_month)
            checked += 1
    assert checked >= 5


def test_the_rows_of_a_long_month_are_the_same_in_the_workbook(summed_site, raw):
    import openpyxl

    year, month = "2025-26", "2025-11"
    assert len(months_over(raw.years[year])[month]) > SHORT_PAGE
    soup = page(summed_site, f"spend/{year}/payments/{month}/")
    _, listed, _ = named_rows(summed_site, soup.select("#every-payment + ul > li")[0])
    first = int(ROWS.search(soup.select("#every-payment + ul > li")[0].get_text(" ", strip=True)).group(2).replace(",", ""))
    sheet = openpyxl.load_workbook(summed_site / "data" / f"expenditure-over-500-{year}.xlsx", read_only=True)["Data"]
    ids = [row[0] for row in sheet.iter_rows(min_row=first, max_row=first + len(listed) - 1, max_col=1, values_only=True)]
    assert ids == [r[0] for r in listed]


def test_a_short_month_lists_every_payment(summed_site, raw):
    checked = 0
    for year, rows in raw.years.items():
        for month, over in months_over(rows).items():
            if len(over) > SHORT_PAGE:
                continue
            soup = page(summed_site, f"spend/{year}/payments/{month}/")
            assert not soup.find(id="month-total")
            shown = [pounds(td.get_text()) for td in soup.select("#spend-listing td.app-spend-table__amount")]
            assert sorted(shown) == sorted(r["amount"] for r in over)
            checked += 1
    assert checked >= 5
    # The year's page says which months are summed up.
    assert "is summed up on its page" in page(summed_site, "spend/2025-26/payments/").find(id="summed-up").get_text()


# --- charts -----------------------------------------------------------------------------------


def charts_on(soup):
    return soup.select("figure.app-spend-chart svg")


def test_each_chart_has_a_title_a_description_and_its_data_table_next_to_it(sample_site, raw):
    checked = 0
    for path in ["spend/", *(f"spend/{year}/" for year in raw.years)]:
        soup = page(sample_site, path)
        for svg in charts_on(soup):
            assert svg["role"] == "img"
            title_id, desc_id = svg["aria-labelledby"].split()
            assert svg.find("title", id=title_id).get_text().strip()
            assert "Bar chart" in svg.find("desc", id=desc_id).get_text()
            assert svg.has_attr("viewbox") or svg.has_attr("viewBox")
            table = svg.find_parent("figure").find_next_sibling()
            table = table if table.name == "table" else table.find("table")
            assert table is not None and table.caption.get_text(strip=True)
            # Every figure in the chart is in the table, rounded to the pound.
            drawn = [pounds(t.get_text()) for t in svg.select("text.app-chart__value")]
            rows = table_rows(soup, table["id"])
            listed = [a for amounts in rows.values() for a in amounts]
            assert drawn == [a.quantize(Decimal(1), rounding="ROUND_HALF_UP") for a in listed]
            checked += 1
    assert checked == 1 + len(raw.years)


def test_charts_are_printable_without_colour(sample_site):
    svg = charts_on(page(sample_site, "spend/"))[0]
    # Every bar carries its own label and figure: nothing depends on telling colours apart.
    assert len(svg.select("rect.app-chart__bar")) == len(svg.select("text.app-chart__value"))
    assert svg["width"] == "100%"


xml_text = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40)


@given(title=xml_text, description=xml_text, heading=xml_text, label=xml_text,
       value=st.decimals(min_value=-10**9, max_value=10**9, places=2))
def test_every_text_in_a_chart_is_escaped(title, description, heading, label, value):
    svg = bar_chart("chart-x", title, description, [Group(heading, [Bar(label, value)])])
    tree = ET.fromstring(str(svg))  # well-formed: nothing in the text became markup
    ns = "{http://www.w3.org/2000/svg}"
    assert tree.find(f"{ns}title").text == title
    assert tree.find(f"{ns}desc").text == description
    texts = [t.text for t in tree.iter(f"{ns}text")]
    assert label in texts
    assert len(tree.findall(f"{ns}rect")) == 1


def test_a_stream_title_full_of_markup_is_text_in_the_chart(minimal_project):
    minimal_project.replace("data/funder.yaml", "title: Community Safety Fund", "title: 'Safety <b>fund</b> & \"friends\"'")
    result = minimal_project.build()
    assert result.code == 0, result.err
    svg = charts_on(page(result.output, "spend/"))[0]
    assert svg.find("b") is None
    assert 'Safety <b>fund</b> & "friends"' in svg.get_text()


# --- the split by priority --------------------------------------------------------------------


@given(pence=st.integers(min_value=-10**12, max_value=10**12), parts=st.integers(min_value=1, max_value=12))
def test_a_split_by_priority_adds_up_to_the_penny(pence, parts):
    shares = split_pence(pence, parts)
    assert sum(shares) == pence
    assert max(shares) - min(shares) <= 1
    assert shares == sorted(shares, reverse=True)  # odd pennies to the priorities listed first


# An award's priorities, 0 to 4 of them, or no award (-1: none), as a year's payments hold them.
_PRIORITIES = {n: tuple(f"p{n}-{i}" for i in range(n)) for n in range(5)}


@given(payments=st.lists(st.tuples(st.integers(min_value=-10**12, max_value=10**12), st.integers(min_value=-1, max_value=4)),
                         max_size=20))
def test_every_payment_split_at_once_is_split_pence_of_each(payments):
    year = SimpleNamespace(priorities=[_PRIORITIES.get(n, ()) for _, n in payments], pence=[pence for pence, _ in payments])
    expected: dict = {}
    for pence, n in payments:
        if n >= 1:
            for code, share in zip(_PRIORITIES[n], split_pence(pence, n)):
                total, count = expected.get(code, (0, 0))
                expected[code] = (total + share, count + 1)
    assert _by_priority(year) == expected


# --- boundaries, refunds, empty years, payments with no award (the minimal project) -----------

EDGES_2024 = """\
date,provider_id,award_id,amount,description,invoice_received,period
2025-03-31,GB-CHC-1000001,TPCC-2025-001,700.00,Set-up costs paid on the last day of the year,,
"""
EDGES_2025 = """\
2025-04-01,GB-CHC-1000001,TPCC-2025-001,500.00,Exactly the threshold,2025-03-20,2025-03
2025-04-01,GB-CHC-1000001,TPCC-2025-001,500.01,Just over the threshold,2025-03-02,2025-03
2025-06-02,GB-COH-00000002,TPCC-2025-004,2000.00,Support line set-up,2025-05-02,
2025-08-01,GB-COH-00000002,TPCC-2025-004,-600.00,Credit note for a cancelled training day,,
2025-09-09,360G-testshirepcc-youth-club,,95.00,Contribution to a community safety day,,
2026-03-31,360G-testshirepcc-youth-club,TPCC-2025-002,1000.00,Youth diversion February 2026,,2026-02
"""


@pytest.fixture
def edges_site(minimal_project):
    """The minimal project with payments on the year boundaries, at and over £500, a refund over £500,
    a payment with no award, an empty 2026-27 file, and invoices paid in 12, 30 and 31 days."""
    minimal_project.write("data/payments/2024-25.csv", EDGES_2024)
    minimal_project.write("data/payments/2025-26.csv", minimal_project.read("data/payments/2025-26.csv") + EDGES_2025)
    minimal_project.write("data/payments/2026-27.csv", "date,provider_id,award_id,amount,description,invoice_received,period\n")
    result = minimal_project.build()
    assert result.code == 0, result.err
    return result.output, Raw(minimal_project.root)


def test_31_march_and_1_april_fall_in_their_own_years(edges_site):
    output, raw = edges_site
    overview = table_amounts(page(output, "spend/"), "spend-by-year")
    assert overview == {"2024-25": Decimal("700.00"), "2025-26": sum(r["amount"] for r in raw.years["2025-26"]),
                        "2026-27": Decimal(0)}
    old = page(output, "spend/2024-25/")
    assert nonzero(table_amounts(old, "spend-by-month")) == {"March 2025": Decimal("700.00")}
    assert nonzero(table_amounts(old, "spend-by-quarter")) == {"Q4: January to March 2025": Decimal("700.00")}
    new = table_amounts(page(output, "spend/2025-26/"), "spend-by-month")
    assert new["April 2025"] == Decimal("1000.01")
    assert new["March 2026"] == Decimal("-250.00") + Decimal("1000.00")
    quarters = table_amounts(page(output, "spend/2025-26/"), "spend-by-quarter")
    assert quarters["Q1: April to June 2025"] == Decimal("1000.01") + Decimal("4166.67") + Decimal("2000.00")
    assert quarters["Q4: January to March 2026"] == Decimal("750.00")


def test_refunds_are_shown_as_refunds_and_netted_off(edges_site):
    output, raw = edges_site
    soup = page(output, "spend/2025-26/")
    refunds = soup.find("table", id="spend-refunds")
    amounts = [pounds(td.get_text()) for td in refunds.select("td.app-spend-table__amount")]
    assert sorted(amounts) == [Decimal("-600.00"), Decimal("-250.00")]
    assert "-£600.00" in refunds.get_text()
    assert table_total(soup, "spend-by-month") == [sum(r["amount"] for r in raw.years["2025-26"])]
    text = soup.find(id="refunds").find_next("p").get_text(" ", strip=True)
    paid_out = sum(r["amount"] for r in raw.years["2025-26"] if r["amount"] > 0)
    assert f"£{paid_out:,.2f} paid out, less £850.00 returned" in text


def test_the_listing_has_payments_over_500_only_not_refunds_or_exactly_500(edges_site):
    output, raw = edges_site
    _, written = csv_download(output, "expenditure-over-500-2025-26.csv")
    assert {w["payee_type"] for w in written} == {"provider"}  # the minimal project pays no other supplier
    assert sorted(Decimal(w["amount"]) for w in written) == sorted(
        [Decimal("500.01"), Decimal("4166.67"), Decimal("1000"), Decimal("2000.00"), Decimal("1000.00")])
    shown = [row[2] for row in listing_rows(output, "2025-26")]
    assert sorted(shown) == sorted(Decimal(w["amount"]) for w in written)
    intro = page(output, "spend/2025-26/payments/").get_text(" ", strip=True)
    assert "A payment of exactly £500 is not over it, so it is not listed" in intro
    assert "Refunds and corrections are not spending, so they are not listed here" in intro


def test_a_year_with_no_payments_builds_a_sensible_page(edges_site):
    output, _ = edges_site
    soup = page(output, "spend/2026-27/")
    assert soup.find(id="no-payments").get_text(strip=True) == "No payments recorded for 2026-27."
    assert not charts_on(soup)
    assert page(output, "spend/2026-27/payments/").find(id="no-payments") is not None
    for name in ("spend-2026-27.csv", "expenditure-over-500-2026-27.csv"):
        content, rows = csv_download(output, name)
        assert rows == [] and content.decode("utf-8-sig").startswith('"payment_id","date",')
    assert table_rows(page(output, "spend/"), "spend-by-stream")["Ministry of Justice victims funding"][-1] == Decimal(0)


def test_a_payment_with_no_award(edges_site):
    output, _ = edges_site
    soup = page(output, "spend/2025-26/")
    assert table_amounts(soup, "spend-by-stream")["No award (one-off payments)"] == Decimal("95.00")
    assert table_amounts(soup, "spend-by-priority")["No award (one-off payments)"] == Decimal("95.00")
    assert table_amounts(soup, "spend-by-award-type")["No award (one-off payments)"] == Decimal("95.00")
    _, written = csv_download(output, "spend-2025-26.csv")
    one_off = next(w for w in written if w["amount"] == "95.00")
    assert (one_off["award_id"], one_off["award_title"], one_off["funding_stream"]) == ("", "", "")
    assert one_off["provider_name"] == "Riverside Youth Club"


def test_prompt_payment_counts_30_days_as_on_time_and_31_as_late(edges_site):
    output, _ = edges_site
    soup = page(output, "spend/2025-26/")
    # Invoices: 7 days (minimal), 12 days, 30 days, 31 days (2 May to 2 June).
    assert soup.find(id="prompt-invoices").get_text() == "4 invoices"
    assert soup.find(id="prompt-within").get_text() == "3"
    assert soup.find(id="prompt-share").get_text() == "75.0%"
    assert soup.find(id="prompt-median").get_text() == "21"


def test_award_split_between_two_priorities_to_the_penny(minimal_project):
    minimal_project.write("data/payments/2026-27.csv", (
        "date,provider_id,award_id,amount,description,invoice_received,period\n"
        "2026-07-01,360G-testshirepcc-youth-club,TPCC-2026-003,1000.01,Youth diversion June 2026,,2026-06\n"))
    result = minimal_project.build()
    assert result.code == 0, result.err
    by_priority = table_amounts(page(result.output, "spend/2026-27/"), "spend-by-priority")
    assert by_priority == {"Prevention": Decimal("500.01"), "Victims at the heart": Decimal("500.00")}


# --- bad input --------------------------------------------------------------------------------

BAD_PAYMENTS = [
    ("paid before the award was made", "2025-04-15,360G-testshirepcc-youth-club,TPCC-2025-002,500,Youth diversion advance,,\n",
     "data/payments/2025-26.csv:5: date: '2025-04-15' is before award TPCC-2025-002 was made on 2025-05-01; "
     "check the date, the award_id, or the award's award_date"),
    ("a payment of nothing", "2025-09-01,GB-CHC-1000001,,0.00,Nothing at all,,\n",
     "data/payments/2025-26.csv:5: amount: is 0, which pays nothing; give the amount paid, or delete the row"),
]


@pytest.mark.parametrize("name, row, message", BAD_PAYMENTS, ids=[b[0] for b in BAD_PAYMENTS])
def test_bad_payments_are_reported_at_their_line(minimal_project, name, row, message):
    minimal_project.write("data/payments/2025-26.csv", minimal_project.read("data/payments/2025-26.csv") + row)
    result = minimal_project.check()
    assert result.code == 1
    assert result.problems == [message]


def test_the_sample_data_passes_the_spend_rules():
    from commissioning import settings
    from commissioning.load.loader import read_dataset
    from commissioning.load.rules import RULES, payments

    config = settings.from_pelican({"COMMISSIONING_ROOT": str(REPO), "PATH": str(REPO / "content")})
    dataset, problems = read_dataset(config.data_dir, config.content_dir, config.root)
    assert problems == []
    ours = [r for r in RULES if r.__module__ == payments.__name__]
    assert len(ours) == 6
    assert [p for each in ours for p in each(dataset)] == []


def test_the_spend_downloads_are_valid_against_the_data_package(sample_site, raw):
    from frictionless import Package

    package = Package(str(sample_site / "data" / "datapackage.json"))
    names = [f"spend-{year}" for year in raw.years] + [f"expenditure-over-500-{year}" for year in raw.years]
    for name in names:
        resource = package.get_resource(name)
        assert resource.schema.primary_key == ["payment_id"]
        # Foreign keys too: every provider and award the files name exists.
        report = resource.validate()
        assert report.valid, report.flatten(["rowNumber", "fieldName", "message"])[:5]
    assert not [r.name for r in package.resources if r.name.startswith("spend-over-")]


def test_a_project_with_no_payment_files_still_has_a_spend_page(minimal_project):
    for path in minimal_project.path("data/payments").glob("*.csv"):
        path.unlink()
    result = minimal_project.build()
    assert result.code == 0, result.err
    soup = page(result.output, "spend/")
    assert "No payments recorded." in soup.main.get_text()
    assert not charts_on(soup)
    assert not list(result.output.glob("data/spend-*.csv"))


OVERPAID = "2025-08-04,360G-testshirepcc-youth-club,TPCC-2025-002,11500,Youth diversion July 2025,,2025-07\n"


def test_payments_over_the_award_are_a_warning_and_the_page_says_so(minimal_project):
    """An overspend is a fact the site exists to show: printed as a warning, and published."""
    minimal_project.write("data/payments/2025-26.csv", minimal_project.read("data/payments/2025-26.csv") + OVERPAID)
    checked = minimal_project.check()
    assert checked.code == 0, checked.err
    assert ("data/payments/2025-26.csv:5: warning: amount: takes payments against award TPCC-2025-002 to 12500.00, "
            "more than its amount_awarded of 12000.00") in checked.out
    built = minimal_project.build()
    assert built.code == 0, built.err
    assert "warning: amount: takes payments against award TPCC-2025-002" in built.out
    text = page(built.output, "funded-services/tpcc-2025-002/").select_one(".app-overpaid").get_text(" ", strip=True)
    assert "More was paid than awarded: £12,500 paid against £12,000 awarded, £500 more." in text
