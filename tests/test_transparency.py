"""The statutory record: spending over £500 to everyone paid, the payments compliance figures and the
duties page, each checked against figures worked out here from the raw files (csv, date and Decimal).

The project is the sample data with payments added to suppliers that are not providers: an
organisation, an individual and a sole trader (whose names must appear nowhere in the site), a
payment of exactly £500 (not over it) and a refund (not spending). The award page is built from a
copy of the theme whose award template has the integrator's one line, if the theme lacks it yet.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import zipfile
from collections import defaultdict
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from hypothesis import given, strategies as st

from conftest import REPO, Project, page

from commissioning import sections
from commissioning.derive import duties, transparency as derive_transparency, views
from commissioning.load import codes
from commissioning.transparency import downloads, pages

THRESHOLD = Decimal(500)
INCLUDE = '{% from "transparency/award_statutory.html" import award_statutory %}{{ award_statutory(award) }}'
PEOPLE = ("Zelda Testperson", "Quentin Unusualname")
ADDED = [
    # supplier, supplier_id, supplier_type, amount, date, invoice_received, expense_area, expense_type, value_for_money, vat
    ("Testwell Cleaning Ltd", "GB-COH-12345678", "organisation", "720.50", "2025-08-20", "2025-07-01",
     "Office of the Police and Crime Commissioner", "Cleaning", "The lowest of three quotes", "12.00"),
    ("Mrs Zelda Testperson", "", "individual", "1200.00", "2025-10-15", "2025-10-01", "Commissioning",
     "Professional fees", "Paid at the published day rate", ""),
    ("Quentin Unusualname Design", "", "sole-trader", "505.00", "2026-01-20", "2025-11-03", "Commissioning",
     "Design and print", "The lower of two quotes", ""),
    ("Northgate Couriers Ltd", "", "organisation", "610.00", "2025-07-01", "2025-06-01", "Commissioning", "Postage",
     "The courier on our framework", ""),  # paid on the 30th day: within 30 days, and within the terms
    ("Exactly Five Hundred Ltd", "", "organisation", "500.00", "2025-12-01", "", "Commissioning", "Printing",
     "One quote, under our quotes threshold", ""),
    ("Testwell Cleaning Ltd", "GB-COH-12345678", "organisation", "-720.50", "2025-09-01", "", "Office of the Police and "
     "Crime Commissioner", "Cleaning", "Refund of a payment made twice", ""),
]


# --- wiring, until the integrator's lines land ------------------------------------------------


@pytest.fixture(scope="module", autouse=True)
def wired():
    """The section in SECTIONS and AwardView.statutory, as the integrator wires them; nothing once they are."""
    saved = sections.files.__defaults__, sections.pages.__defaults__, views.AwardView.__dict__.get("statutory")
    if not any(s.name == "transparency" for s in sections.SECTIONS):
        listed = list(sections.SECTIONS)
        listed.insert(next(i for i, s in enumerate(listed) if s.name == "open_data"),
                      sections.Section("transparency", pages.pages, (downloads.files,)))
        sections.files.__defaults__ = sections.pages.__defaults__ = (tuple(listed),)
    if not hasattr(views.AwardView, "statutory"):
        views.AwardView.statutory = property(derive_transparency.statutory_rows)
    yield
    sections.files.__defaults__, sections.pages.__defaults__ = saved[0], saved[1]
    if saved[2] is None and "statutory" in views.AwardView.__dict__:
        del views.AwardView.statutory


# --- the project ------------------------------------------------------------------------------


def read_csv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def make_project(root: Path) -> Project:
    shutil.copytree(REPO / "data", root / "data")
    shutil.copytree(REPO / "content", root / "content")
    shutil.copytree(REPO / "theme", root / "theme")
    award = root / "theme" / "templates" / "funded_services" / "award.html"
    text = award.read_text(encoding="utf-8")
    if "award_statutory" not in text:
        award.write_text(text.replace("    </dl>\n\n    {% if chain %}", f"    </dl>\n    {INCLUDE}\n\n    {{% if chain %}}", 1),
                         encoding="utf-8")
        assert "award_statutory" in award.read_text(encoding="utf-8")
    path = root / "data" / "payments" / "2025-26.csv"
    rows = read_csv(path)
    header = list(rows[0])
    if "vat_not_recoverable" not in header:
        header.append("vat_not_recoverable")
    for supplier, supplier_id, kind, amount, paid, invoiced, area, expense, reason, vat in ADDED:
        rows.append({"date": paid, "amount": amount, "description": f"Test payment to {supplier}"[:60].replace(
            "Zelda Testperson", "a facilitator").replace("Quentin Unusualname", "a designer"),
            "invoice_received": invoiced, "supplier": supplier, "supplier_id": supplier_id, "supplier_type": kind,
            "expense_area": area, "expense_type": expense, "value_for_money": reason, "vat_not_recoverable": vat})
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return Project(root)


def build(project: Project, now: str) -> Path:
    result = project.build(now=now, THEME=str(project.root / "theme"), COMMISSIONING_SEARCH_INDEX=False)
    assert result.code == 0, result.err
    return result.output


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Project:
    return make_project(tmp_path_factory.mktemp("statutory"))


@pytest.fixture(scope="module")
def site(project) -> Path:
    return build(project, "2026-11-24T09:00")


class Raw:
    """The project's files, read with csv, date and Decimal only."""

    def __init__(self, root: Path):
        self.providers = {p["id"]: p for p in read_csv(root / "data" / "providers.csv")}
        self.awards = {a["id"]: a for a in read_csv(root / "data" / "awards.csv")}
        self.payments = []
        for path in sorted((root / "data" / "payments").glob("*.csv")):
            for line, row in enumerate(read_csv(path), start=2):
                row["id"] = f"{path.stem}:{line}"
                row["year"] = path.stem
                row["amount"] = Decimal(row["amount"])
                row["date"] = date.fromisoformat(row["date"])
                row["invoice_received"] = date.fromisoformat(row["invoice_received"]) if row["invoice_received"] else None
                self.payments.append(row)


@pytest.fixture(scope="module")
def raw(project) -> Raw:
    return Raw(project.root)


# --- spending over £500 -----------------------------------------------------------------------


def test_every_payment_over_500_is_listed_with_its_payee(site, raw):
    for year in sorted({p["year"] for p in raw.payments}):
        expected = {p["id"]: p for p in raw.payments if p["year"] == year and p["amount"] > THRESHOLD}
        listed = {r["payment_id"]: r for r in read_csv(site / "data" / f"expenditure-over-500-{year}.csv")}
        assert listed.keys() == expected.keys(), year
        assert sum(Decimal(r["amount"]) for r in listed.values()) == sum(p["amount"] for p in expected.values())
        for key, row in listed.items():
            payment = expected[key]
            if payment["provider_id"]:
                assert (row["payee"], row["payee_id"], row["payee_type"]) == (
                    raw.providers[payment["provider_id"]]["name"], payment["provider_id"], "provider")
            elif payment["supplier_type"] in ("individual", "sole-trader"):
                assert (row["payee"], row["payee_id"]) == ("Redacted: payment to an individual", "")
            else:
                assert (row["payee"], row["payee_id"]) == (payment["supplier"], payment["supplier_id"])
            assert row["expense_area"] == (payment.get("expense_area") or "")


def test_the_added_suppliers_are_listed_and_exactly_500_and_refunds_are_not(site, raw):
    rows = read_csv(site / "data" / "expenditure-over-500-2025-26.csv")
    cleaning = [r for r in rows if r["payee"] == "Testwell Cleaning Ltd"]
    assert [(r["amount"], r["vat_not_recoverable"], r["expense_type"], r["value_for_money"]) for r in cleaning] == [
        ("720.50", "12.00", "Cleaning", "The lowest of three quotes")]
    redacted = [r for r in rows if r["payee"] == "Redacted: payment to an individual"]
    assert {(r["amount"], r["payee_type"]) for r in redacted} >= {("1200.00", "individual"), ("505.00", "sole-trader")}
    assert not [r for r in rows if r["payee"] == "Exactly Five Hundred Ltd"]


def names_published(site: Path, names: tuple[str, ...]) -> int:
    """Fails on any of the names in any page or download; returns how many files name the organisation paid."""
    checked = 0
    for path in site.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".csv", ".json", ".xml", ".ics", ".xlsx"):
            if path.suffix == ".xlsx":
                with zipfile.ZipFile(path) as book:
                    text = "".join(book.read(name).decode("utf-8") for name in book.namelist() if name.endswith(".xml"))
            else:
                text = path.read_text(encoding="utf-8", errors="replace")
            checked += "Testwell Cleaning Ltd" in text  # the organisation is named: the scan reads the files
            for name in names:
                assert name not in text, f"{name} in {path.relative_to(site)}"
    return checked


def test_no_persons_name_is_published_anywhere(site):
    assert names_published(site, PEOPLE) >= 3  # its month's page, the year's CSV and its workbook


def test_the_funded_services_spend_leaves_other_suppliers_out(site):
    every = read_csv(site / "data" / "spend-2025-26.csv")
    assert every and not [r for r in every if "Testwell" in r.get("provider_name", "") + r.get("description", "")]


def test_a_payment_under_an_award_takes_its_reason_from_how_the_award_was_made(site, raw):
    rows = read_csv(site / "data" / "expenditure-over-500-2025-26.csv")
    checked = 0
    for row in rows:
        if row["award_id"]:
            award = raw.awards[row["award_id"]]
            assert row["value_for_money"] == f"Paid under {award['id']}, awarded {derive_transparency.ROUTE_PHRASES[award['route']]}"
            assert row["value_for_money_from_award"] == "yes"
            checked += 1
    assert checked
    tender = next(r for r in rows if r["award_id"] and raw.awards[r["award_id"]]["route"] == "open-tender")
    assert tender["value_for_money"].endswith(", awarded after an open tender")


def test_every_route_has_its_words():
    assert set(derive_transparency.ROUTE_PHRASES) == set(codes.ROUTES)


def test_month_page_shows_the_redacted_payment_and_links_the_award(site):
    soup = page(site, "spend-over-500/2025-26/2025-10/")
    rows = soup.select("#listing tbody tr")
    assert rows
    person = next(r for r in rows if "Redacted: payment to an individual" in r.get_text())
    assert "Paid at the published day rate" in person.get_text() and "£1,200.00" in person.get_text()
    under_award = next(r for r in rows if "Paid under" in r.get_text())
    assert under_award.select_one("a[href*='/funded-services/']")


def test_listing_index_and_year_link_the_csv_and_workbook(site):
    soup = page(site, "spend-over-500/")
    links = {a["href"] for a in soup.select("a[download]")}
    for year in ("2024-25", "2025-26", "2026-27"):
        assert f"/data/expenditure-over-500-{year}.csv" in links
        assert f"/data/expenditure-over-500-{year}.xlsx" in links
        assert (site / "data" / f"expenditure-over-500-{year}.xlsx").exists()
    year = page(site, "spend-over-500/2025-26/")
    months = year.select("#listing-months tbody tr")
    rows = read_csv(site / "data" / "expenditure-over-500-2025-26.csv")
    assert sum(int(r.select("td")[0].get_text().replace(",", "")) for r in months) == len(rows)
    data = page(site, "data/")
    assert data.select_one("a[href$='/data/expenditure-over-500-2025-26.csv']")
    assert data.select_one("a[href$='/data/payments-compliance.csv']")


# --- a month too long to list ------------------------------------------------------------------

SHORT_PAGE = 40  # October 2025 has 43 payments over £500 here (two to people), January 2026 exactly 40
OTHER_PERSON = "Xavier Otherperson"
ROWS = re.compile(r"the file ([\w.-]+): rows ([\d,]+) to ([\d,]+)")
WITHHELD = {"individual": "An individual (name withheld)", "sole-trader": "A sole trader (name withheld)"}


@pytest.fixture(scope="module")
def summed(tmp_path_factory) -> tuple[Path, Raw]:
    """The project with a second person paid in October 2025, built with a page size of 40."""
    project = make_project(tmp_path_factory.mktemp("summed"))
    path = project.path("data/payments/2025-26.csv")
    rows = read_csv(path)
    rows.append({**{k: "" for k in rows[0]}, "date": "2025-10-20", "amount": "800.00", "description": "Interpreting",
                 "supplier": f"Mr {OTHER_PERSON}", "supplier_type": "individual", "expense_area": "Commissioning",
                 "expense_type": "Interpreting", "value_for_money": "Paid at the published rate"})
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    result = project.build(THEME=str(project.root / "theme"), COMMISSIONING_SEARCH_INDEX=False,
                           COMMISSIONING_PAGE_SIZE=SHORT_PAGE)
    assert result.code == 0, result.err
    return result.output, Raw(project.root)


def over_by_month(raw: Raw, year: str) -> dict[str, list[dict]]:
    months: dict[str, list[dict]] = defaultdict(list)
    for p in raw.payments:
        if p["year"] == year and p["amount"] > THRESHOLD:
            months[f"{p['date']:%Y-%m}"].append(p)
    return months


def published_payee(raw: Raw, payment: dict) -> tuple[str, str]:
    """Who a payment is to as the listing publishes it: the name (a person's withheld) and the kind of payee."""
    if payment["provider_id"]:
        return raw.providers[payment["provider_id"]]["name"], "An organisation we fund"
    if payment["supplier_type"] in WITHHELD:
        return "Redacted: payment to an individual", WITHHELD[payment["supplier_type"]]
    return payment["supplier"], "Another organisation"


def amount(text: str) -> Decimal:
    return Decimal(text.strip().replace("£", "").replace(",", ""))


def test_a_long_month_is_one_page_summed_up_with_the_rows_of_the_file_that_hold_it(summed):
    output, raw = summed
    months = over_by_month(raw, "2025-26")
    long = [m for m, over in months.items() if len(over) > SHORT_PAGE]
    assert "2025-10" in long and len(long) >= 4
    records = list(csv.reader(io.StringIO((output / "data" / "expenditure-over-500-2025-26.csv").read_text(encoding="utf-8-sig"))))
    dates = [r[1] for r in records[1:]]
    assert dates == sorted(dates)  # the file is in date order, so a month is one run of rows
    for month in long:
        over = months[month]
        folder = output / "spend-over-500" / "2025-26" / month
        assert [p.name for p in folder.iterdir()] == ["index.html"], "one page: no page/2/"
        soup = page(output, f"spend-over-500/2025-26/{month}/")
        assert not soup.find(id="listing")
        assert amount(soup.find(id="month-total").get_text()) == sum(p["amount"] for p in over)
        assert soup.find(id="month-count").get_text() == f"{len(over):,}"
        # The rows named are the month's, counting the header as row 1, as Excel numbers them.
        text = soup.find(id="month-rows").get_text(" ", strip=True)
        name, first, last = ROWS.search(text).groups()
        first, last = int(first.replace(",", "")), int(last.replace(",", ""))
        assert name == "expenditure-over-500-2025-26.csv"
        assert sorted(r[0] for r in records[first - 1:last]) == sorted(p["id"] for p in over)
        assert records[first - 2][1][:7] != month and (last == len(records) or records[last][1][:7] != month)
        links = {a["href"] for a in soup.select("#month-rows a")}
        assert links == {"/data/expenditure-over-500-2025-26.csv", "/data/expenditure-over-500-2025-26.xlsx"}


def test_a_long_months_totals_by_payee_group_people_under_the_withheld_name(summed):
    output, raw = summed
    over = over_by_month(raw, "2025-26")["2025-10"]
    expected: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for p in over:
        expected[published_payee(raw, p)] += p["amount"]
    soup = page(output, "spend-over-500/2025-26/2025-10/")
    shown = {}
    for tr in soup.select("#month-by-payee tbody tr"):
        detail = tr.th.select_one(".app-spend-table__detail")
        kind = detail.extract().get_text(strip=True)
        shown[(tr.th.get_text(strip=True), kind)] = amount(tr.select("td.app-spend-table__amount")[0].get_text())
    assert shown == dict(expected)
    # Two people paid, one line: the page tells no more than the listing of who is who.
    assert shown[("Redacted: payment to an individual", "An individual (name withheld)")] == Decimal("2000.00")
    amounts = [amount(tr.select("td.app-spend-table__amount")[0].get_text()) for tr in soup.select("#month-largest tbody tr")]
    assert amounts == sorted((p["amount"] for p in over), reverse=True)[:SHORT_PAGE]
    text = soup.main.get_text(" ", strip=True)
    assert "Redacted: payment to an individual" in text
    for name in (*PEOPLE, OTHER_PERSON):
        assert name not in text


def test_a_month_of_at_most_a_page_lists_every_payment(summed):
    output, raw = summed
    months = over_by_month(raw, "2025-26")
    assert len(months["2026-01"]) == SHORT_PAGE  # exactly a page: listed, not summed up
    checked = 0
    for month, over in months.items():
        if len(over) > SHORT_PAGE:
            continue
        soup = page(output, f"spend-over-500/2025-26/{month}/")
        assert not soup.find(id="month-total")
        ids = [tr["id"] for tr in soup.select("#listing tbody tr")]
        assert sorted(ids) == sorted(f"payment-{p['id'].replace(':', '-')}" for p in over)
        checked += 1
    assert checked >= 5
    assert not list((output / "spend-over-500").glob("**/page"))
    # The year's page says when some of its months are summed up, and only then.
    assert page(output, "spend-over-500/2025-26/").find(id="summed-up")
    assert max(map(len, over_by_month(raw, "2024-25").values())) <= SHORT_PAGE
    assert not page(output, "spend-over-500/2024-25/").find(id="summed-up")


def test_no_persons_name_is_published_in_a_summed_up_site(summed):
    output, _ = summed
    assert names_published(output, (*PEOPLE, OTHER_PERSON)) >= 3


# --- payments compliance ----------------------------------------------------------------------


def half_year(day: date) -> date:
    if 4 <= day.month <= 9:
        return date(day.year, 4, 1)
    return date(day.year if day.month >= 10 else day.year - 1, 10, 1)


def one_place(part, whole) -> str:
    return "" if not whole else str((Decimal(part) * 100 / whole).quantize(Decimal("0.1"), ROUND_HALF_UP))


def expected_compliance(raw: Raw, terms: int) -> dict:
    """The figures, from the raw payments, invoice by invoice."""
    invoices: dict[tuple, Decimal] = defaultdict(Decimal)
    for p in raw.payments:
        if p["invoice_received"] is None:
            continue
        award = raw.awards.get(p["award_id"])
        group = "other" if not award else "contracts" if award["award_type"] == "contract" else "grants"
        payee = p["provider_id"] or p.get("supplier_id") or p.get("supplier")
        invoices[(group, payee, p["award_id"], p["invoice_received"], p["date"])] += p["amount"]
    figures: dict = defaultdict(lambda: {"paid": 0, "days": 0, "30": 0, "60": 0, "more": 0, "due": 0, "late": 0})
    for (group, _, _, invoiced, paid), total in invoices.items():
        if total <= 0:
            continue
        days = (paid - invoiced).days
        row = figures[(half_year(paid), group)]
        row["paid"] += 1
        row["days"] += days
        row["30" if days <= 30 else "60" if days <= 60 else "more"] += 1
        due = invoiced + timedelta(days=terms)
        later = figures[(half_year(due), group)]
        later["due"] += 1
        later["late"] += paid > due
    return figures


def test_compliance_figures_are_recomputed_from_the_payments(site, raw):
    rows = read_csv(site / "data" / "payments-compliance.csv")
    expected = expected_compliance(raw, 30)
    seen = 0
    for row in rows:
        want = expected.get((date.fromisoformat(row["period_start"]), row["payments"]))
        if want is None:
            assert row["invoices_paid"] == "0" and row["invoices_due"] == "0", row
            continue
        seen += 1
        assert int(row["invoices_paid"]) == want["paid"], row
        assert row["average_days_to_pay"] == (
            str((Decimal(want["days"]) / want["paid"]).quantize(Decimal("0.1"), ROUND_HALF_UP)) if want["paid"] else "")
        assert (int(row["paid_within_30_days"]), int(row["paid_in_31_to_60_days"]), int(row["paid_after_60_days"])) == (
            want["30"], want["60"], want["more"])
        assert row["paid_within_30_days_percent"] == one_place(want["30"], want["paid"])
        assert row["paid_after_60_days_percent"] == one_place(want["more"], want["paid"])
        assert (int(row["invoices_due"]), int(row["not_paid_within_terms"])) == (want["due"], want["late"])
        assert row["not_paid_within_terms_percent"] == one_place(want["late"], want["due"])
    assert seen >= 6  # contracts, grants and other suppliers in several periods
    assert any(p["invoice_received"] and (p["date"] - p["invoice_received"]).days == 30 for p in raw.payments)
    others = [r for r in rows if r["payments"] == "other" and r["period_start"] == "2025-10-01"]
    assert int(others[0]["paid_after_60_days"]) >= 1  # the sole trader's invoice, paid after 78 days


def test_compliance_page_states_the_definitions_and_shows_contracts_apart_from_grants(site):
    soup = page(site, "payments-compliance/")
    terms = [dt.get_text(strip=True) for dt in soup.select("#definitions + dl dt")]
    assert "Not paid within the agreed terms" in terms and "Average days to pay" in terms
    period = soup.select_one("#period-2025-10")
    assert period.select_one("#compliance-2025-10 [data-group='contracts']")
    assert {r["data-group"] for r in period.select("#compliance-2025-10-apart tr[data-group]")} == {"grants", "other"}
    assert soup.select_one("a[href$='/data/payments-compliance.csv']")


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)))
def test_a_day_falls_in_the_half_year_that_holds_it(day):
    from commissioning.derive.compliance import half_year as derived

    start, end = derived(day)
    assert start <= day <= end and start == half_year(day)
    assert (start.month, start.day) in ((4, 1), (10, 1)) and end + timedelta(days=1) == derived(end + timedelta(days=1))[0]


# --- the award page ---------------------------------------------------------------------------


def test_award_page_shows_conditions_reasons_decision_and_notice(site, raw):
    linked = next(a for a in raw.awards.values() if a["award_type"] == "grant" and a["conditions"].startswith("https://"))
    soup = page(site, f"funded-services/{linked['id'].lower()}/")
    rows = {dt.get_text(strip=True): dd for dt, dd in zip(soup.select(".app-award-statutory dt"), soup.select(".app-award-statutory dd"))}
    assert rows["Conditions of the grant"].a["href"] == linked["conditions"]
    assert rows["Why we expect it to reduce crime and disorder"].get_text(strip=True) == " ".join(linked["reasons"].split())
    assert rows["Decision record"].a["href"] == linked["decision_record_url"]
    assert rows["Decision record"].get_text(strip=True) == linked["decision_record"]

    older = next(a for a in raw.awards.values() if a["award_type"] == "grant" and not a["conditions"])
    soup = page(site, f"funded-services/{older['id'].lower()}/")
    texts = [dd.get_text(strip=True) for dd in soup.select(".app-award-statutory dd")]
    assert texts == ["Not recorded"] * 3

    contract = next(a for a in raw.awards.values() if a["find_a_tender"])
    soup = page(site, f"funded-services/{contract['id'].lower()}/")
    notice = next(a for a in soup.select(".app-award-statutory a") if "find-tender" in a["href"])
    assert notice["href"].endswith(contract["find_a_tender"]) and notice.get_text(strip=True) == contract["find_a_tender"]


@given(st.integers(0, 999_999), st.integers(2000, 2099), st.integers(0, 999))
def test_both_forms_of_a_notice_id_link_to_the_same_notice(number, year, issue):
    current = derive_transparency.find_a_tender_url(f"{number:06d}-{year}")
    assert current == f"https://www.find-tender.service.gov.uk/Notice/{number:06d}-{year}"
    assert derive_transparency.find_a_tender_url(f"{year}/S {issue:03d}-{number:06d}") == current


@given(st.text(max_size=20))
def test_anything_else_is_not_linked(text):
    url = derive_transparency.find_a_tender_url(text)
    assert url is None or url.startswith(derive_transparency.FIND_A_TENDER)


# --- the duties -------------------------------------------------------------------------------


def test_duties_page_lists_every_duty_with_its_place_and_completeness(site, raw):
    soup = page(site, "duties/")
    cards = soup.select(".govuk-summary-card")
    assert [c["id"] for c in cards] == [f"duty-{d.key}" for d in duties.DUTIES]
    grants = [a for a in raw.awards.values() if a["award_type"] == "grant" and a["award_date"] >= "2025-04-01"]
    with_conditions = sum(1 for a in grants if a["conditions"])
    assert (f"{with_conditions} of {len(grants)} grants made since 1 April 2025 have their conditions recorded"
            in soup.select_one("#duty-grants").get_text(" ", strip=True))
    assert soup.select_one("#duty-spend a[href$='/spend-over-500/']")
    table = read_csv(site / "data" / "statutory-duties.csv")
    assert [r["duty"] for r in table] == [d.key for d in duties.DUTIES]
    assert {r["status"] for r in table} <= {"up to date", "due", "overdue", "incomplete", "elsewhere"}
    spend = next(r for r in table if r["duty"] == "spend")
    last = max(p["date"] for p in raw.payments if p["date"] <= date(2026, 11, 24))
    assert (spend["status"], spend["last_updated"]) == ("up to date", last.isoformat())


# The sample's payments are published to October 2026. Monthly spend is due once the next month has
# ended and overdue a month later; section 70's payments for a quarter are due by the 29th day after
# it ends (its 30 days begin with the quarter's last day): the quarter to 31 December by 29 January.
@pytest.mark.parametrize("now, spend, quarterly, next_due", [
    ("2026-12-05T09:00", "due", "up to date", "2027-01-29"),
    ("2027-01-05T09:00", "overdue", "due", "2027-01-29"),
    ("2027-01-30T09:00", "overdue", "overdue", "2027-01-29"),
])
def test_monthly_spend_and_the_quarters_payments_over_30000_fall_due_on_their_own_days(tmp_path, now, spend, quarterly,
                                                                                      next_due):
    output = build(make_project(tmp_path), now)
    soup = page(output, "duties/")
    assert soup.select_one("#duty-spend .govuk-tag").get_text(strip=True) == spend.capitalize()
    assert soup.select_one("#duty-significant-payments .govuk-tag").get_text(strip=True) == quarterly.capitalize()
    table = {r["duty"]: r for r in read_csv(output / "data" / "statutory-duties.csv")}
    assert table["spend"]["status"] == spend
    assert (table["significant-payments"]["status"], table["significant-payments"]["next_due"]) == (quarterly, next_due)


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)))
def test_the_quarter_due_is_the_last_to_end_before_today_and_due_29_days_after(today):
    from commissioning.load.duties import quarter_end, significant_payments_due
    end, due = significant_payments_due(today)
    assert (end.month, end.day) in {(3, 31), (6, 30), (9, 30), (12, 31)}
    assert end < today and quarter_end(end + timedelta(days=1)) >= today  # the next quarter is today's
    assert quarter_end(today) >= today and (quarter_end(today) - today).days < 92
    assert due - end == timedelta(days=29)  # its 30 days begin with the quarter's last day


def procured_from(award: dict, root: Path) -> date:
    """When an award's procurement began, from the raw files: its opportunity's opening, else its award date."""
    if award["opportunity_id"]:
        text = (root / "data" / "opportunities" / f"{award['opportunity_id']}.md").read_text(encoding="utf-8")
        return date.fromisoformat(re.search(r"^opens: (\d{4}-\d\d-\d\d)", text, re.M).group(1))
    return date.fromisoformat(award["award_date"])


def test_payments_over_30000_under_contracts_procured_since_april_2026_are_counted(project, site, raw):
    large = [p for p in raw.payments if p["amount"] > 30000 and p["date"] <= date(2026, 11, 24)]
    covered = [p for p in large if raw.awards.get(p["award_id"], {}).get("award_type") == "contract"
               and procured_from(raw.awards[p["award_id"]], project.root) >= date(2026, 4, 1)]
    assert covered and len(large) > len(covered)  # the 2024 overpayment under a 2022 contract is not covered
    card = page(site, "duties/").select_one("#duty-significant-payments").get_text(" ", strip=True)
    assert (f"{len(covered)} payment{'s' if len(covered) != 1 else ''} over £30,000 under contracts procured since "
            "1 April 2026" in card)
    assert "section 70" in card and "Payments published to 30 September 2026" in card  # the latest quarter covered


def _contract(amount: int, awarded: date, opened: date | None = None):
    from types import SimpleNamespace
    from datetime import datetime
    opportunity = SimpleNamespace(opens=datetime.combine(opened, datetime.min.time())) if opened else None
    return SimpleNamespace(award_type="contract", amount_awarded=Decimal(amount), award_date=awarded, opportunity=opportunity)


@pytest.mark.parametrize("awards, entry, status, text", [
    ([], None, "up to date", "No contract over £5 million procured since 24 February 2025, so no notice is due"),
    # Under the old rules: procured before 24 February 2025, or not over £5 million.
    ([_contract(6_000_000, date(2025, 6, 2), opened=date(2025, 1, 6)), _contract(5_000_000, date(2025, 6, 2))],
     None, "up to date", "No contract over £5 million"),
    ([_contract(6_000_000, date(2025, 6, 2))], None, "elsewhere",
     "1 contract over £5 million procured since 24 February 2025, each with a notice at least once a year"),
    ([_contract(6_000_000, date(2025, 6, 2))], date(2027, 6, 1), "up to date", "1 contract over £5 million"),
    ([_contract(6_000_000, date(2025, 6, 2))], date(2026, 6, 1), "overdue", "1 contract over £5 million"),
])
def test_contracts_over_5_million_under_the_act_need_yearly_performance_notices(awards, entry, status, text):
    from types import SimpleNamespace
    published = [SimpleNamespace(duty="contract-performance", published=date(2025, 12, 1), next_due=entry)] if entry else []
    site = SimpleNamespace(awards=awards, today=date(2026, 11, 24), dataset=SimpleNamespace(published_elsewhere=published))
    duty = next(d for d in duties.DUTIES if d.key == "contract-performance")
    counts, _, next_due, found = duties.MEASURES[duty.measure](site, None, duty)
    assert (found or ("incomplete" if any(not c.complete for c in counts) else "up to date")) == status
    assert text in counts[0].text and next_due == entry
