"""The forward plan: the awards ending in the next months with what we intend when each ends, and the calls
still to open, as a page, a CSV file and a workbook that the data page lists."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest

from commissioning.derive.forward_plan import months_after
from conftest import page

NOW = "2026-11-24T09:00"  # 18 months ahead is 24 May 2028

# The minimal project's awards: TPCC-2026-003 ends 31 May 2027, TPCC-2025-001 on 31 March 2028 and
# TPCC-2025-004 on 30 June 2028; TPCC-2025-002 ended on 31 May 2026 and was renewed by TPCC-2026-003.
PLANS = {
    "TPCC-2026-003": {"recommissioning": "recommission", "recommissioning_route": "open-call",
                      "recommissioning_date": "2027-02-01", "recommissioning_note": "Market engagement in January 2027."},
    "TPCC-2025-004": {"recommissioning": "end"},
}
PLAN_COLUMNS = ["recommissioning", "recommissioning_route", "recommissioning_date", "recommissioning_note"]


def with_plans(project, plans=PLANS):
    rows = list(csv.DictReader(io.StringIO(project.read("data/awards.csv"))))
    out = io.StringIO()
    writer = csv.DictWriter(out, [*rows[0].keys(), *PLAN_COLUMNS], lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({**row, **plans.get(row["id"], {})})
    project.write("data/awards.csv", out.getvalue())
    return project


def built(project, now=NOW):
    result = project.build(now=now, COMMISSIONING_SEARCH_INDEX=False)
    assert result.code == 0, result.err
    return result.output


def plan_rows(output) -> list[dict]:
    return list(csv.DictReader(io.StringIO((output / "data/forward-plan.csv").read_text(encoding="utf-8-sig"))))


def test_months_after_is_calendar_months():
    from datetime import date

    assert months_after(date(2026, 11, 24), 18) == date(2028, 5, 24)
    assert months_after(date(2026, 8, 31), 18) == date(2028, 2, 29)


def test_the_plan_lists_awards_ending_soon_with_what_happens_next(minimal_project):
    output = built(with_plans(minimal_project))
    soup = page(output, "forward-plan/")
    assert soup.select_one("h1").get_text(strip=True) == "Forward plan"
    assert "awards ending from 24 November 2026 to 24 May 2028" in soup.get_text(" ", strip=True)
    rows = soup.select("table.app-forward-plan tbody tr")
    names = [r.select_one("th a")["href"] for r in rows]
    # Soonest first; the renewed award is not in it (its renewal is), nor the one ending after the window.
    assert names == ["/funded-services/tpcc-2026-003/", "/funded-services/tpcc-2025-001/"]
    first = rows[0].select_one("[data-label='What happens next']").get_text(" ", strip=True)
    assert first == ("To be recommissioned by open call; the new opportunity is expected to be published by "
                     "1 February 2027. Market engagement in January 2027.")
    # No intention in the data: the page says so rather than guessing.
    assert rows[1].select_one("[data-label='What happens next']").get_text(strip=True) == "Not yet decided."
    assert rows[1]["data-intention"] == "undecided"
    assert [li.get_text(strip=True) for li in soup.select("main ul.govuk-list--bullet li")] == [
        "To be recommissioned: 1 service", "Not yet decided: 1 service"]
    assert page(output, "opportunities/").select_one("main a[href='/forward-plan/']")


def test_the_window_is_set_in_funder_yaml(minimal_project):
    with_plans(minimal_project)
    minimal_project.write("data/funder.yaml", minimal_project.read("data/funder.yaml") + "forward_plan_months: 24\n")
    rows = plan_rows(built(minimal_project))
    assert [r["award_id"] for r in rows] == ["TPCC-2026-003", "TPCC-2025-001", "TPCC-2025-004"]
    ending = rows[-1]
    assert (ending["recommissioning"], ending["recommissioning_label"]) == ("end", "Not to be recommissioned")


def test_the_csv_and_workbook_are_open_data_listed_on_the_data_page(minimal_project):
    output = built(with_plans(minimal_project))
    rows = plan_rows(output)
    assert rows[0] == {
        "award_id": "TPCC-2026-003", "title": "Youth diversion renewal", "provider_id": "360G-testshirepcc-youth-club",
        "provider_name": "Riverside Youth Club", "funding_stream": "community-safety-fund",
        "funding_stream_title": "Community Safety Fund", "award_type": "grant", "area_names": "",
        "amount_awarded": "12500", "start_date": "2026-06-01", "end_date": "2027-05-31",
        "recommissioning": "recommission", "recommissioning_label": "To be recommissioned",
        "recommissioning_route": "open-call", "recommissioning_route_label": "Open call",
        "recommissioning_date": "2027-02-01", "recommissioning_note": "Market engagement in January 2027.",
        "url": "/funded-services/tpcc-2026-003/"}
    assert rows[1]["recommissioning_label"] == "Not yet decided"
    sheet = openpyxl.load_workbook(output / "data/forward-plan.xlsx")["Data"]
    header = [c.value for c in sheet[1]]
    assert sheet.cell(2, header.index("end_date") + 1).value.date().isoformat() == "2027-05-31"
    data_links = {a["href"] for a in page(output, "data/").select("main a")}
    assert {"/data/forward-plan.csv", "/data/forward-plan.xlsx"} <= data_links
    plan = page(output, "forward-plan/")
    assert {a["href"] for a in plan.select("#download ~ ul a")} == {"/data/forward-plan.csv", "/data/forward-plan.xlsx"}


def test_the_plan_changes_with_the_data_not_with_the_clock(minimal_project):
    with_plans(minimal_project)
    first = (built(minimal_project, "2026-11-24T09:00") / "data/forward-plan.csv").read_bytes()
    # A day later nothing has entered or left the window: the same file, with the same date of change.
    assert (built(minimal_project, "2026-11-25T09:00") / "data/forward-plan.csv").read_bytes() == first
    # Once TPCC-2026-003 has ended it leaves the plan.
    later = plan_rows(built(minimal_project, "2027-06-01T09:00"))
    assert "TPCC-2026-003" not in [r["award_id"] for r in later]


@pytest.mark.parametrize("now, upcoming", [("2026-11-24T09:00", []), ("2026-10-01T09:00", ["opp-2026-002"])])
def test_the_plan_lists_the_calls_still_to_open(minimal_project, now, upcoming):
    soup = page(built(minimal_project, now), "forward-plan/")
    assert [a["href"].split("/")[-2] for a in soup.select(".app-forward-plan__upcoming a")] == upcoming


def test_the_sample_site_has_a_forward_plan_with_every_kind_of_intention(sample_site):
    soup = page(sample_site, "forward-plan/")
    intentions = {row["data-intention"] for row in soup.select("table.app-forward-plan tbody tr")}
    assert intentions == {"recommission", "extend", "end", "undecided"}
    ends = [row.select_one("time")["datetime"] for row in soup.select("table.app-forward-plan tbody tr")]
    assert ends == sorted(ends) and all("2026-11-24" <= day <= "2028-05-24" for day in ends)
