"""Bringing a funder's own data in: Trafford Council's real 360Giving grants, and a finance system's
spend export in two layouts, imported into a copy of the sample project and loaded as the build does."""

from __future__ import annotations

import csv
import json
import re
import shutil
from datetime import date, datetime
from decimal import Decimal

import pytest
import xlsxwriter
from hypothesis import given, settings, strategies as st

from commissioning.imports import spend, threesixtygiving
from commissioning.imports.values import DATE_FORMATS, parse_amount, parse_day
from commissioning.load import codes
from conftest import REPO
from imports_helpers import REAL, SPEND, dataset, run_command, snapshot

TRAFFORD_JSON = REAL / "trafford-grants-360giving.json"
TRAFFORD_CSV = REAL / "trafford-grants-360giving.csv"
GRANTS = json.loads(TRAFFORD_JSON.read_text(encoding="utf-8"))["grants"]


def fill_360_mapping(path) -> None:
    """What a member of staff writes in the mapping the first run made."""
    text = path.read_text(encoding="utf-8")
    text = text.replace('funding_stream: ""', "funding_stream: community-safety-fund")
    text = text.replace("priorities: []", "priorities: [prevention, local-policing]")
    text = text.replace('route: ""', "route: invited")
    text = text.replace('organisation_type: ""', "organisation_type: social-enterprise")
    path.write_text(text, encoding="utf-8")


def imported_360(project, source=TRAFFORD_JSON, *extra):
    mapping = project.root / "trafford.mapping.yaml"
    first = run_command(threesixtygiving, source, "--data", project.root / "data", "--mapping", mapping, *extra)
    if first.code == 0:
        return first
    fill_360_mapping(mapping)
    return run_command(threesixtygiving, source, "--data", project.root / "data", "--mapping", mapping, *extra)


# --- import-360giving ------------------------------------------------------------------------------


def test_first_run_writes_the_mapping_and_changes_no_data(sample_project):
    before = snapshot(sample_project.root / "data")
    mapping = sample_project.root / "m.yaml"
    ran = run_command(threesixtygiving, TRAFFORD_JSON, "--data", sample_project.root / "data", "--mapping", mapping)
    assert ran.code == 1
    assert snapshot(sample_project.root / "data") == before
    text = mapping.read_text(encoding="utf-8")
    # Every programme and place the file holds, and the companies nothing says the type of.
    for value in ("VSG:", "ING:", "Voluntary Sector Grants", "E08000009:", "GB-COH-10086410:", "Timperley Sports Club"):
        assert value in text
    assert "route: open-call" in text  # every VSG grant says it came from an open call
    assert re.search(r"^m\.yaml:\d+: grant_programmes\.VSG\.funding_stream: is empty", ran.err.replace(str(sample_project.root) + "/", ""), re.M)
    assert "Traceback" not in ran.err


def test_trafford_json_becomes_valid_awards_and_providers(sample_project):
    ran = imported_360(sample_project)
    assert ran.code == 0, ran.err
    data = dataset(sample_project.root)
    awards = {a.id: a for a in data.awards}
    providers = {p.id: p for p in data.providers}
    for grant in GRANTS:
        award = awards[grant["id"]]  # the real id, kept (the sample funder's prefix is another)
        assert award.amount_awarded == Decimal(str(grant["amountAwarded"]))
        assert award.award_date == date.fromisoformat(grant["awardDate"])
        assert award.start_date == award.award_date  # the file gives a duration only
        assert (award.end_date - award.start_date).days in (364, 365)  # 12 months, less a day
        assert award.funding_stream == "community-safety-fund" and award.priorities == ["prevention", "local-policing"]
        assert award.route == ("open-call" if grant["fromOpenCall"] == "Yes" else "invited")
        assert award.title == grant["title"] and award.description == grant["description"]
        recipient = grant["recipientOrganization"][0]
        provider = providers[award.provider_id]
        assert provider.id in (recipient["id"], recipient["id"].replace("_", "-"))
        assert provider.charity_number == recipient.get("charityNumber")
    assert providers["GB-CHC-1110767"].organisation_type == "charity"
    assert providers["GB-COH-07962245"].organisation_type == "charity"  # a charitable company: it has a charity number
    assert providers["GB-COH-08313107"].organisation_type == "community-interest-company"
    assert providers["GB-COH-10086410"].organisation_type == "social-enterprise"  # as the mapping says
    assert all(p.organisation_type == "community-group" for p in providers.values() if p.id.startswith("360G-trafford"))
    # Postcodes are never kept.
    assert "M16 7GX" not in (sample_project.root / "data" / "providers.csv").read_text(encoding="utf-8")
    assert "40 grants" in ran.out and "worked out from the duration" in ran.out and "postalCode" in ran.out


def test_the_csv_gives_what_the_json_gives(sample_project):
    assert imported_360(sample_project).code == 0
    from_json = snapshot(sample_project.root / "data")
    shutil.rmtree(sample_project.root / "data")
    shutil.copytree(REPO / "data", sample_project.root / "data")
    (sample_project.root / "trafford.mapping.yaml").unlink()
    ran = imported_360(sample_project, TRAFFORD_CSV)
    assert ran.code == 0, ran.err
    assert snapshot(sample_project.root / "data") == from_json


def test_a_site_builds_from_the_imported_file(sample_project):
    assert imported_360(sample_project).code == 0
    result = sample_project.build()
    assert result.code == 0, result.err
    assert (result.output / "providers" / "gb-coh-07962245" / "index.html").exists()
    assert (result.output / "funded-services" / "360g-traffordmbc-vsg1345" / "index.html").exists()


def test_running_again_keeps_what_staff_changed(sample_project):
    assert imported_360(sample_project).code == 0
    awards = sample_project.root / "data" / "awards.csv"
    sample_project.replace("data/awards.csv", "Voluntary Sector Grant to Be Active,", "Coaching sessions for girls and boys,")
    edited = awards.read_bytes()
    again = imported_360(sample_project)
    assert again.code == 0 and awards.read_bytes() == edited
    assert "360G-traffordmbc-VSG1343" in again.out and "--replace" in again.out
    replaced = imported_360(sample_project, TRAFFORD_JSON, "--replace")
    assert replaced.code == 0
    assert "Voluntary Sector Grant to Be Active," in awards.read_text(encoding="utf-8")


def test_a_bad_grant_is_named_and_nothing_is_written(sample_project, tmp_path):
    grants = json.loads(TRAFFORD_JSON.read_text(encoding="utf-8"))
    grants["grants"][2]["awardDate"] = "18/01/2013"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(grants), encoding="utf-8")
    before = snapshot(sample_project.root / "data")
    run_command(threesixtygiving, bad, "--data", sample_project.root / "data")
    fill_360_mapping(tmp_path / "bad.mapping.yaml")
    ran = run_command(threesixtygiving, bad, "--data", sample_project.root / "data")
    assert ran.code == 1 and "Traceback" not in ran.err
    assert f"{bad}: grants[3].awardDate: grant 360G-traffordmbc-VSG1344: '18/01/2013' is not a date" in ran.err
    assert snapshot(sample_project.root / "data") == before
    broken = tmp_path / "broken.json"
    broken.write_text('{"grants": [\n{"id": }', encoding="utf-8")
    ran = run_command(threesixtygiving, broken, "--data", sample_project.root / "data")
    assert ran.code == 1 and f"{broken}:2: is not valid JSON" in ran.err


def test_a_grant_the_build_would_refuse_is_named_in_the_file(sample_project, tmp_path):
    grants = json.loads(TRAFFORD_JSON.read_text(encoding="utf-8"))
    grants["grants"][5]["description"] += " Meetings at the hall, M33 5HF."
    source = tmp_path / "grants.json"
    source.write_text(json.dumps(grants), encoding="utf-8")
    before = snapshot(sample_project.root / "data")
    ran = imported_360(sample_project, source)
    assert ran.code == 1
    assert re.search(rf"data/awards.csv:\d+: description: 'M33 5HF' looks like a full postcode.* \(in grant "
                     rf"{grants['grants'][5]['id']} of {re.escape(str(source))}: correct it there, or in the mapping "
                     r"\(a grant's title or description under corrections, by its id\)", ran.err)
    assert snapshot(sample_project.root / "data") == before


def test_a_grant_corrected_in_the_mapping_is_imported_with_the_correction(sample_project, tmp_path):
    """Staff cannot always have the publisher change its file: the mapping's corrections give a
    grant's title or description to import instead, by the grant's id, and are kept when the
    command rewrites the mapping."""
    grants = json.loads(TRAFFORD_JSON.read_text(encoding="utf-8"))
    grant = grants["grants"][5]
    grant["description"] += " Meetings at the hall, M33 5HF."
    source = tmp_path / "grants.json"
    source.write_text(json.dumps(grants), encoding="utf-8")
    assert imported_360(sample_project, source).code == 1
    mapping = sample_project.root / "trafford.mapping.yaml"
    fixed = "Weekly sessions at the community hall: " + grants["grants"][5]["title"]
    mapping.write_text(mapping.read_text(encoding="utf-8")
                       + f"corrections:\n  {grant['id']}:\n    description: \"{fixed}\"\n  NOT-A-GRANT:\n    title: Anything\n",
                       encoding="utf-8")
    wrong = run_command(threesixtygiving, source, "--data", sample_project.root / "data", "--mapping", mapping)
    assert wrong.code == 1 and "Traceback" not in wrong.err
    line = mapping.read_text(encoding="utf-8").splitlines().index("  NOT-A-GRANT:") + 1
    assert f"trafford.mapping.yaml:{line}: corrections.NOT-A-GRANT: is not the id of a grant in the file" in wrong.err
    mapping.write_text(mapping.read_text(encoding="utf-8").replace("  NOT-A-GRANT:\n    title: Anything\n", ""), encoding="utf-8")
    ran = run_command(threesixtygiving, source, "--data", sample_project.root / "data", "--mapping", mapping)
    assert ran.code == 0, ran.err
    awards = {a.id: a for a in dataset(sample_project.root).awards}
    assert awards[grant["id"]].description == fixed
    assert "M33 5HF" not in (sample_project.root / "data" / "awards.csv").read_text(encoding="utf-8")
    assert "title or description the mapping corrects" in ran.out and grant["id"] in ran.out
    # A new programme in the file makes the command write the mapping again: the correction stays.
    grants["grants"][0]["grantProgramme"] = [{"code": "NEW", "title": "A new programme"}]
    source.write_text(json.dumps(grants), encoding="utf-8")
    again = run_command(threesixtygiving, source, "--data", sample_project.root / "data", "--mapping", mapping)
    assert again.code == 1 and "grant_programmes.NEW.funding_stream: is empty" in again.err
    assert fixed in mapping.read_text(encoding="utf-8") and "corrections:" in mapping.read_text(encoding="utf-8")


# --- import-spend ----------------------------------------------------------------------------------

LAYOUT_A = """columns:
  date: Payment Date
  amount: Net Amount
  supplier: Supplier Name
  expense_area: Expense Area
  expense_type: Expense Type
  award_id: Contract Ref
date_format: DD/MM/YYYY
suppliers:
  Fictitious Language Services:
    supplier_type: sole-trader
"""
LAYOUT_B = """columns:
  date: Date Paid
  amount: Amount
  supplier: Payee
  supplier_type: Payee Type
  company_number: Company No
  description: Purpose
  expense_area: Service Area
  expense_type: Category
  award_id: Our Ref
date_format: DD-MMM-YYYY
supplier_types:
  Company: organisation
  Individual: individual
award_references:
  RJ-2025: BPCC-2025-006
"""


def test_spend_export_layout_a(sample_project):
    mapping = sample_project.root / "a.yaml"
    mapping.write_text(LAYOUT_A, encoding="utf-8")
    before = {p: len(v) for p, v in dataset(sample_project.root).payments.items()}
    ran = run_command(spend, SPEND / "layout-a.csv", "--mapping", mapping, "--data", sample_project.root / "data")
    assert ran.code == 0, ran.err
    data = dataset(sample_project.root)
    assert len(data.payments["2026-27"]) == before["2026-27"] + 7  # the row of 0.00 is dropped
    assert len(data.payments["2025-26"]) == before["2025-26"] + 1  # 27 March 2026 is in 2025-26
    new = data.payments["2026-27"][-7:]
    harbourlight, rent, person, refund, willowmere, kestrel, interpreter = new
    assert (harbourlight.provider_id, harbourlight.award_id, harbourlight.amount) == ("GB-CHC-1299102", "BPCC-2024-014", Decimal("4250.00"))
    assert rent.provider_id is None and rent.supplier == "Ouse Valley Property Management Ltd" and rent.expense_type == "Rent"
    assert refund.amount == Decimal("-1200.00")
    assert willowmere.provider_id == "GB-CHC-1299101" and willowmere.award_id is None  # matched by name; no award said
    assert person.supplier == codes.REDACTED_SUPPLIER and person.supplier_type == "individual"
    assert interpreter.supplier == codes.REDACTED_SUPPLIER and interpreter.supplier_type == "sole-trader"
    assert kestrel.supplier == "Kestrel Data Systems Ltd" and kestrel.award_id is None
    written = "".join(p.read_text(encoding="utf-8") for p in (sample_project.root / "data" / "payments").glob("*.csv"))
    assert "Fictitious" not in written  # no person's name reaches data/
    assert "Willowmere Sexual Violence Support Centre Ltd as GB-CHC-1299101" in ran.out  # a name match, to confirm
    assert "rows of 0.00" in ran.out
    again = run_command(spend, SPEND / "layout-a.csv", "--mapping", mapping, "--data", sample_project.root / "data")
    assert again.code == 0 and "Nothing to change" in again.out


def _layout_b_rows(root):
    return [(p.date, p.provider_id, p.supplier, p.supplier_type, p.award_id, p.amount, p.description)
            for p in dataset(root).payments["2026-27"][-5:]]


def test_spend_export_layout_b_csv_and_xlsx(sample_project, tmp_path):
    mapping = sample_project.root / "b.yaml"
    mapping.write_text(LAYOUT_B, encoding="utf-8")
    before = snapshot(sample_project.root / "data")
    ran = run_command(spend, SPEND / "layout-b.csv", "--mapping", mapping, "--data", sample_project.root / "data")
    assert ran.code == 0, ran.err
    rows = _layout_b_rows(sample_project.root)
    assert rows[0][:2] == (date(2026, 11, 3), "GB-COH-19000104")  # Kingfisher, by its company number
    assert rows[0][4] == "BPCC-2025-006"  # the mapping says which award RJ-2025 is
    assert rows[2][2:4] == (codes.REDACTED_SUPPLIER, "individual")
    assert rows[3][5] == Decimal("-1200.00")  # 1,200.00- is a credit
    assert "payees matched to a provider by company number" in ran.out
    # The same export saved from Excel, with date cells and numbers, gives the same payments.
    workbook = tmp_path / "layout-b.xlsx"
    book = xlsxwriter.Workbook(str(workbook))
    sheet = book.add_worksheet("Payments")
    dates = book.add_format({"num_format": "dd/mm/yyyy"})
    lines = list(csv.reader((SPEND / "layout-b.csv").open(encoding="utf-8")))
    for r, row in enumerate(lines):
        for c, value in enumerate(row):
            if r and c == 0:
                sheet.write_datetime(r, c, datetime.strptime(value, "%d-%b-%Y"), dates)
            elif r and c == 4:
                sheet.write_number(r, c, float(parse_amount(value)))
            else:
                sheet.write_string(r, c, value)
    book.close()
    for path, text in before.items():
        (sample_project.root / "data" / path).write_bytes(text)
    ran = run_command(spend, workbook, "--mapping", mapping, "--data", sample_project.root / "data")
    assert ran.code == 0, ran.err
    assert _layout_b_rows(sample_project.root) == rows


def test_a_bad_spend_cell_is_named(sample_project, tmp_path):
    export = tmp_path / "export.csv"
    text = (SPEND / "layout-a.csv").read_text(encoding="utf-8").replace("05/11/2026", "31/02/2026").replace('"12,500.00"', '"12.500,00"')
    export.write_text(text, encoding="utf-8")
    mapping = tmp_path / "a.yaml"
    mapping.write_text(LAYOUT_A.replace("supplier: Supplier Name", "supplier: Supplier"), encoding="utf-8")
    before = snapshot(sample_project.root / "data")
    ran = run_command(spend, export, "--mapping", mapping, "--data", sample_project.root / "data")
    assert ran.code == 1 and f"{mapping}:4: columns.supplier: 'Supplier' is not a column of the export" in ran.err
    mapping.write_text(LAYOUT_A, encoding="utf-8")
    ran = run_command(spend, export, "--mapping", mapping, "--data", sample_project.root / "data")
    assert ran.code == 1 and "Traceback" not in ran.err
    assert f"{export}:3: Payment Date: '31/02/2026' is not a real date" in ran.err
    assert f"{export}:3: Net Amount: '12.500,00' is not an amount in pounds" in ran.err
    assert snapshot(sample_project.root / "data") == before


def test_first_spend_run_writes_a_mapping_with_the_columns_guessed(sample_project):
    mapping = sample_project.root / "new.yaml"
    ran = run_command(spend, SPEND / "layout-a.csv", "--mapping", mapping, "--data", sample_project.root / "data")
    assert ran.code == 1
    text = mapping.read_text(encoding="utf-8")
    for line in ("date: Payment Date", "amount: Net Amount", "supplier: Supplier Name", "expense_type: Expense Type",
                 "date_format: DD/MM/YYYY"):
        assert line in text


def test_payees_are_matched_by_register_then_name_and_never_guessed():
    from commissioning.imports.suppliers import Matcher

    matcher = Matcher([
        {"id": "GB-COH-20001440", "name": "Ashbury Together Point CIC", "company_number": "20001440"},
        {"id": "GB-CHC-1401224", "name": "Ashbury Together Point CIO", "charity_number": "1401224"},
        {"id": "GB-CHC-1299102", "name": "Harbourlight Domestic Abuse Partnership"},
    ])
    assert matcher.match("Anything", supplier_id="gb-chc-1401224").how == "org-id"
    assert matcher.match("Anything", company="20001440").provider_id == "GB-COH-20001440"
    assert matcher.match("Anything", supplier_id="GB-COH-20001440").provider_id == "GB-COH-20001440"
    assert matcher.match("Anything", charity="1401224").how == "charity number"
    assert matcher.match("ASHBURY TOGETHER POINT CIO").how == "exact name"
    assert matcher.match("Harbourlight Domestic Abuse Partnership Ltd.").how == "name"  # to confirm
    both = matcher.match("Ashbury Together Point")  # the name of two providers: neither is chosen
    assert both.provider_id is None and both.close == "GB-COH-20001440 or GB-CHC-1401224"
    near = matcher.match("Harbourlight Domestic Abuse Partnershp")
    assert near.provider_id is None and near.close == "GB-CHC-1299102"
    assert matcher.match("Kestrel Data Systems Ltd", supplier_id="V00999") == type(near)(None)


# --- the spend export's amounts and dates ----------------------------------------------------------

amounts = st.decimals(min_value=Decimal("-999999999.99"), max_value=Decimal("999999999.99"), places=2)


def written_ways(amount: Decimal) -> list[str]:
    """The ways finance systems write an amount."""
    plain = f"{abs(amount):.2f}"
    grouped = f"{abs(amount):,.2f}"
    if amount >= 0:
        return [plain, grouped, f"£{grouped}", f"{abs(amount):f}"]
    return [f"-{plain}", f"({grouped})", f"-£{grouped}", f"£({grouped})", f"{grouped}-", f"{plain} CR"]


@given(amounts)
@settings(max_examples=300)
def test_every_way_of_writing_an_amount_reads_back(amount):
    for text in written_ways(amount):
        assert parse_amount(text) == amount, text
    assert parse_amount(float(amount)) == amount


@given(st.text(alphabet="0123456789,.£()- CR", max_size=14))
def test_an_amount_is_read_or_refused_never_guessed(text):
    try:
        amount = parse_amount(text)
    except ValueError:
        return
    # Every digit written is in the amount, in order, and none is added; only a refund's marks make it negative.
    assert re.sub(r"\D", "", text).lstrip("0") == re.sub(r"\D", "", str(abs(amount))).lstrip("0")
    if amount:
        assert (amount < 0) == bool(re.search(r"[(-]|CR", text))


STRFTIME = {"DD": "%d", "MM": "%m", "YYYY": "%Y", "YY": "%y", "MMM": "%b"}


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)), st.sampled_from(DATE_FORMATS))
def test_every_date_format_reads_back(day, date_format):
    pattern = re.sub(r"YYYY|YY|MMM|MM|DD", lambda m: STRFTIME[m.group()], date_format)
    assert parse_day(day.strftime(pattern), date_format) == day
    assert parse_day(day.strftime(pattern) + " 00:00:00", date_format) == day


def test_a_date_that_does_not_fit_the_format_is_refused():
    with pytest.raises(ValueError, match="not a date written DD/MM/YYYY"):
        parse_day("2026-04-01", "DD/MM/YYYY")
    with pytest.raises(ValueError, match="not a real date"):
        parse_day("31/04/2026", "DD/MM/YYYY")
