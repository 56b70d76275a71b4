"""The publishing gate (issue #14): errors stop the build, warnings do not; rules that know the date;
one root cause, one message; identifiers; tender thresholds by date and regime."""

from __future__ import annotations

import pytest

from conftest import SAMPLE_NOW

from commissioning.load.fields import parse_datetime
from commissioning.load.loader import load_dataset
from commissioning.problems import WARNING, DataError, Problem, group_repeats

NOW = parse_datetime(SAMPLE_NOW)

THRESHOLDS = """\
tender_thresholds:
  - from: 2024-01-01
    standard: 214904
    light_touch: 663540
  - from: 2026-01-01
    standard: 207720
    light_touch: 663540
"""


def load(project, now=NOW) -> tuple[list[str], list[str]]:
    """(errors, warnings) as staff see them, from load_dataset on the project."""
    try:
        dataset = load_dataset(project.path("data"), project.path("content"), project.root, now=now)
    except DataError as error:
        return [str(p) for p in error.problems], [str(p) for p in error.warnings]
    return [], [str(p) for p in dataset.warnings]


@pytest.fixture
def project(minimal_project):
    """The minimal project with tender_thresholds, so it loads with no warning at all."""
    minimal_project.replace("data/funder.yaml", "tender_threshold: 214904.00\n", THRESHOLDS)
    assert load(minimal_project) == ([], [])
    return minimal_project


def add_payment(project, row: str) -> None:
    project.write("data/payments/2025-26.csv", project.read("data/payments/2025-26.csv") + row)


# --- severity -------------------------------------------------------------------------------------

OVERPAID = "2025-08-04,360G-testshirepcc-youth-club,TPCC-2025-002,11000.03,Youth diversion July 2025,,2025-07\n"


def test_paying_more_than_awarded_is_a_warning_and_the_data_still_loads(project):
    add_payment(project, OVERPAID)
    errors, warnings = load(project)
    assert errors == []
    assert warnings == [
        "data/payments/2025-26.csv:5: warning: amount: takes payments against award TPCC-2025-002 to 12000.03, more than "
        "its amount_awarded of 12000.00; this is published, and the award's page says more was paid than awarded; "
        "check the amounts, or if the award was increased, change amount_awarded in data/awards.csv"]


def test_valid_data_written_from_the_contract_by_someone_else_builds(project):
    """Twelve monthly instalments of an award of 12000 rounded up to the penny take it 3p over: published, with a warning."""
    project.write("data/payments/2025-26.csv", "date,provider_id,award_id,amount,description,invoice_received,period\n" + "".join(
        f"2025-{month:02d}-05,360G-testshirepcc-youth-club,TPCC-2025-002,1000.0025,Instalment,,\n".replace("1000.0025", "1000.00")
        for month in range(6, 13)) + "".join(
        f"2026-{month:02d}-05,360G-testshirepcc-youth-club,TPCC-2025-002,1000.01,Instalment,,\n" for month in range(1, 4))
        + "2026-03-20,360G-testshirepcc-youth-club,TPCC-2025-002,2000.00,Final instalments,,\n")
    errors, warnings = load(project)
    assert errors == []
    assert len(warnings) == 1 and "to 12000.03, more than its amount_awarded of 12000.00" in warnings[0]
    result = project.check()
    assert result.code == 0, result.err
    # Printing the warnings is cli.check's job (see the report on issue #14): until it does, only the code is known.


def test_warnings_are_github_warning_annotations_and_not_in_the_error_report():
    warning = Problem("data/payments/2025-26.csv", 5, "amount", "takes payments over", WARNING)
    error = Problem("data/awards.csv", 2, "route", "wrong")
    assert warning.github_annotation() == "::warning file=data/payments/2025-26.csv,line=5::amount: takes payments over"
    assert error.github_annotation() == "::error file=data/awards.csv,line=2::route: wrong"
    raised = DataError([warning, error])
    assert raised.problems == [error] and raised.warnings == [warning]
    assert "takes payments over" not in raised.report()
    assert raised.report().endswith("1 problem found: nothing was published.")


def test_errors_still_stop_the_build_and_carry_the_warnings(project):
    add_payment(project, OVERPAID)
    project.replace("data/awards.csv", "2025-06-01,2026-05-31", "2025-06-01,2025-05-31")
    errors, warnings = load(project)
    assert errors == ["data/awards.csv:3: end_date: '2025-05-31' is before start_date 2025-06-01; check both dates"]
    assert len(warnings) == 1


# --- rules that know the date ---------------------------------------------------------------------

TIME_CASES = [
    ("award names an open opportunity", "data/awards.csv", "2028-06-30,,NHS", "2028-06-30,OPP-2026-002,NHS",
     "data/awards.csv:5: opportunity_id: 'OPP-2026-002' is still open (it closes 2027-01-12T12:00); an award is made after "
     "its opportunity closes: check opportunity_id, or add the award once the opportunity has closed"),
    ("award dated before its opportunity closed", "data/awards.csv", "150000,2025-03-01", "150000,2025-01-09",
     "data/awards.csv:2: award_date: '2025-01-09' is before opportunity OPP-2025-001 closed on 2025-01-10; check award_date and opportunity_id"),
    ("award dated in the future", "data/awards.csv", "12500,2026-05-01", "12500,2026-12-01",
     "data/awards.csv:4: award_date: '2026-12-01' is in the future (the site is built on 2026-11-24); check the date, or add the award once it has been made"),
    ("decision before closing", "data/opportunities/OPP-2026-002.md", "decision_by: 2027-02-15", "decision_by: 2027-01-01",
     "data/opportunities/OPP-2026-002.md:16: decision_by: '2027-01-01' is before the opportunity closes on 2027-01-12; check both dates"),
    ("service before closing", "data/opportunities/OPP-2026-002.md", "service_start: 2027-04-01", "service_start: 2026-12-01",
     "data/opportunities/OPP-2026-002.md:17: service_start: '2026-12-01' is before the opportunity closes on 2027-01-12; check both dates"),
]


@pytest.mark.parametrize("case,file,old,new,expected", TIME_CASES, ids=[c[0] for c in TIME_CASES])
def test_rules_against_the_builds_clock(project, case, file, old, new, expected):
    project.replace(file, old, new)
    errors, _ = load(project)
    assert errors == [expected]


def test_an_upcoming_opportunity_is_not_yet_open(project):
    project.replace("data/awards.csv", "2028-06-30,,NHS", "2028-06-30,OPP-2026-002,NHS")
    errors, _ = load(project, now=parse_datetime("2026-10-01T09:00"))
    assert errors == ["data/awards.csv:5: opportunity_id: 'OPP-2026-002' is still not yet open (it closes 2027-01-12T12:00); "
                      "an award is made after its opportunity closes: check opportunity_id, or add the award once the opportunity has closed"]


def test_without_a_clock_the_rules_that_need_one_are_skipped(project):
    project.replace("data/awards.csv", "12500,2026-05-01", "12500,2099-12-01")
    assert load(project, now=None) == ([], [])


def test_a_closing_year_typo_is_a_warning_naming_the_likely_year(project):
    project.replace("data/opportunities/OPP-2026-002.md", "closes: 2027-01-12T12:00", "closes: 2072-01-12T12:00")
    errors, warnings = load(project)
    assert warnings == [
        "data/opportunities/OPP-2026-002.md:15: warning: closes: '2072-01-12T12:00' is more than two years after opens "
        "2026-11-02T09:00; did you mean 2027? (if the dates are right, this warning can be ignored)"]


# --- one root cause, one message ------------------------------------------------------------------

def test_a_providers_file_that_is_not_utf8_is_one_problem_not_one_per_award(project):
    project.write("data/providers.csv", project.read("data/providers.csv").replace("Testtown", "Testt\u00f6wn").encode("cp1252"))
    errors, _ = load(project)
    assert errors == ["data/providers.csv:2: is not UTF-8 text (byte 0xf6); save it as UTF-8 (in Excel: Save As, CSV UTF-8)"]


def test_an_awards_file_that_is_not_utf8_gives_a_handful_of_problems_the_first_naming_the_cause(project):
    project.write("data/awards.csv", project.read("data/awards.csv").replace("Youth diversion,", "Youth diversion \u00a3,").encode("cp1252"))
    errors, _ = load(project)
    assert 1 <= len(errors) <= 3, errors
    assert errors[0] == "data/awards.csv:3: is not UTF-8 text (byte 0xa3); save it as UTF-8 (in Excel: Save As, CSV UTF-8)"


def test_an_unreadable_opportunity_file_does_not_make_its_award_wrong_too(project):
    project.write("data/opportunities/OPP-2025-001.md", "no front matter\n")
    errors, _ = load(project)
    assert errors == ["data/opportunities/OPP-2025-001.md:1: must start with a line of three dashes (---), then the fields, then another ---"]


def test_the_same_problem_on_many_rows_is_one_problem_listing_its_lines(project):
    awards = project.read("data/awards.csv")
    for provider in ("GB-CHC-1000001", "360G-testshirepcc-youth-club", "GB-COH-00000002"):
        awards = awards.replace(f",{provider},", ",GB-CHC-7777777,")
    project.write("data/awards.csv", awards)
    project.write("data/payments/2025-26.csv", project.read("data/payments/2025-26.csv").split("\n")[0] + "\n")
    errors, _ = load(project)
    assert errors == ["data/awards.csv:2: provider_id: 'GB-CHC-7777777' is not a provider id; check the spelling, "
                      "or add it to data/providers.csv first (found on lines 2, 3, 4 and 1 more)"]


def test_grouping_keeps_problems_on_one_line_apart_and_names_up_to_three_lines():
    same = [Problem("data/a.csv", line, "amount", f"'{line}x' is bad") for line in (9, 3, 4, 57, 12)]
    one_line = [Problem("data/a.csv", 7, "priorities", "'a' is unknown"), Problem("data/a.csv", 7, "priorities", "'b' is unknown")]
    grouped = group_repeats(same + one_line)
    assert [str(p) for p in grouped] == [
        "data/a.csv:3: amount: '3x' is bad (found on lines 3, 4, 9 and 2 more)",
        "data/a.csv:7: priorities: 'a' is unknown",
        "data/a.csv:7: priorities: 'b' is unknown",
    ]


def _awards_with(project, column: int, values: list[str]) -> None:
    lines = project.read("data/awards.csv").splitlines()
    import csv, io
    rows = list(csv.reader(io.StringIO("\n".join(lines))))
    for row, value in zip(rows[1:], values):
        row[column] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    project.write("data/awards.csv", out.getvalue())


def test_a_column_of_uk_dates_is_one_problem_with_one_fix(project):
    _awards_with(project, 9, ["01/03/2025", "01/05/2025", "01/05/2026", "01/06/2025"])
    errors, _ = load(project)
    assert errors == ["data/awards.csv:2: award_date: Excel re-saved this file with UK dates (DD/MM/YYYY) in award_date: 4 cells, "
                      "such as '01/03/2025'; write them as YYYY-MM-DD, or save from Excel as CSV UTF-8 after formatting the column as yyyy-mm-dd"]


def test_a_column_of_amounts_formatted_as_money_is_one_problem_with_one_fix(project):
    _awards_with(project, 8, ["£150,000.00", "£12,000.00", "£12,500.00", "300,000"])
    errors, _ = load(project)
    assert errors == ["data/awards.csv:2: amount_awarded: Excel re-saved this file with amounts formatted as money (£ or commas) "
                      "in amount_awarded: 4 cells, such as '£150,000.00'; write digits only, for example 1250.00, or format the "
                      "column as Number with no 1000 separator and no £ before saving as CSV UTF-8"]


def test_one_or_two_cells_in_another_format_keep_their_own_messages(project):
    _awards_with(project, 9, ["01/03/2025", "2025-05-01", "2026-05-01", "2025-06-01"])
    errors, _ = load(project)
    assert errors == ["data/awards.csv:2: award_date: '01/03/2025' is not a date; write it as YYYY-MM-DD, for example 2026-03-31"]


def test_an_unknown_id_near_a_known_one_is_named(project):
    project.replace("data/awards.csv", "GB-COH-00000002,moj-victims", "GB-COH-0000002,moj-victims")
    errors, _ = load(project)
    assert errors == ["data/awards.csv:5: provider_id: 'GB-COH-0000002' is not a provider id; check the spelling "
                      "(did you mean 'GB-COH-00000002'?), or add it to data/providers.csv first"]


def test_an_id_in_other_capitals_is_named(project):
    project.replace("data/awards.csv", "GB-CHC-1000001,moj-victims", "gb-chc-1000001,moj-victims")
    errors, _ = load(project)
    assert errors == ["data/awards.csv:2: provider_id: 'gb-chc-1000001' is not a provider id; check the spelling "
                      "(did you mean 'GB-CHC-1000001'?), or add it to data/providers.csv first"]


# --- identifiers ------------------------------------------------------------------------------------

ID_CASES = [
    ("company number without its leading zeros", ",,00000002,", ",,2,",
     "data/providers.csv:3: company_number: '2' has lost its leading zero: write 00000002 (Excel drops leading zeros: format the column as Text before typing)"),
    ("company number not one", ",,00000002,", ",,ABC-12,",
     "data/providers.csv:3: company_number: 'ABC-12' is not a company number; it has 8 characters: 8 digits, or 2 letters and 6 digits, for example 01234567 or SC123456"),
    ("company number not the id's", ",,00000002,", ",,00000003,",
     "data/providers.csv:3: company_number: '00000003' is not the company number in the id GB-COH-00000002; check both"),
    ("charity number not one", "charity,1000001,", "charity,10-01,",
     "data/providers.csv:2: charity_number: '10-01' is not a charity number; one registered in England and Wales has 6 to 8 digits, for example 1000001 (in Scotland: SC and 6 digits)"),
    ("charity number not the id's", "charity,1000001,", "charity,1000002,",
     "data/providers.csv:2: charity_number: '1000002' is not the charity number in the id GB-CHC-1000001; check both"),
    ("org-id from a register we do not know", "GB-CHC-1000001,Testshire", "GB-CHR-1000001,Testshire",
     "data/providers.csv:2: id: 'GB-CHR-1000001' starts with GB-CHR, which is not a register org-id.guide lists; use one of "
     "GB-CHC, GB-SC, GB-NIC, GB-COH, GB-MPR, GB-LAE, GB-LAS, GB-LANI, GB-PLA, GB-NHS, GB-GOR, GB-EDU, GB-UKPRN, GB-SHPE, GB-REV, XI-PB, "
     "or check the prefix on org-id.guide"),
    ("company org-id without its leading zeros", "GB-COH-00000002,Safe", "GB-COH-2,Safe",
     "data/providers.csv:3: id: 'GB-COH-2' has lost the leading zero of its company number: write GB-COH-00000002"),
    ("charity org-id that is not a number", "GB-CHC-1000001,Testshire", "GB-CHC-TVC,Testshire",
     "data/providers.csv:2: id: 'GB-CHC-TVC' does not end in a charity number (6 to 8 digits); check the number on the charity register"),
]


@pytest.mark.parametrize("case,old,new,expected", ID_CASES, ids=[c[0] for c in ID_CASES])
def test_identifier_rules(project, case, old, new, expected):
    project.replace("data/providers.csv", old, new)
    errors, _ = load(project)
    assert expected in errors, errors


def test_one_registered_number_on_two_provider_rows_is_refused(project):
    project.write("data/providers.csv", project.read("data/providers.csv")
                  + "GB-COH-09876543,Testshire Victim Care Trading,private-company,1000001,09876543,,Testtown,,,,\n")
    errors, _ = load(project)
    assert errors == ["data/providers.csv:5: charity_number: charity number 1000001 is also that of GB-CHC-1000001 at "
                      "data/providers.csv:2; one organisation is one provider: keep one row, and use its id in awards and payments"]


def test_ids_clash_whatever_their_capitals(project):
    project.write("data/providers.csv", project.read("data/providers.csv")
                  + "360g-testshirepcc-YOUTH-club,Riverside Youth Club again,community-group,,,,Testtown,,,,\n")
    errors, _ = load(project)
    assert errors == ["data/providers.csv:5: id: '360g-testshirepcc-YOUTH-club' is already used at data/providers.csv:4; give each one its own id"]


def test_a_mixed_case_360giving_id_from_another_funder_is_accepted(project):
    project.write("data/providers.csv", project.read("data/providers.csv")
                  + "360G-OxfordCC-Cutteslowe-Seniors,Cutteslowe Seniors,community-group,,,,Oxford,,,,\n")
    assert load(project) == ([], [])


# --- tender thresholds by date and regime ---------------------------------------------------------

def _contract(project, amount: str, award_date: str, route: str = "invited", light_touch: str = "") -> None:
    project.replace("data/awards.csv", "contract_document,extends\n", "contract_document,extends,light_touch\n")
    text = project.read("data/awards.csv")
    lines = text.splitlines()
    lines[1:4] = [line + "," for line in lines[1:4]]
    lines[4] = lines[4].replace("contract,open-tender,300000,2025-06-01", f"contract,{route},{amount},{award_date}") + f",{light_touch}"
    lines[4] = lines[4].replace(f"{award_date},2025-07-01", f"{award_date},{max(award_date, '2025-07-01')}")
    project.write("data/awards.csv", "\n".join(lines) + "\n")


def test_the_threshold_in_force_on_the_award_date_applies(project):
    _contract(project, "210000", "2025-06-01")
    assert load(project) == ([], [])  # under 214904, the threshold in 2025
    project.replace("data/awards.csv", "210000,2025-06-01,2025-07-01", "210000,2026-02-01,2026-02-01")
    errors, _ = load(project)
    assert errors == ["data/awards.csv:5: route: 'invited' for a contract of 210000 (above the tender threshold of 207720); "
                      "use open-tender or competitive-dialogue, or explain in justification why it was not tendered"]


def test_light_touch_services_have_their_own_threshold(project):
    _contract(project, "600000", "2026-02-01", light_touch="yes")
    assert load(project) == ([], [])
    project.replace("data/awards.csv", ",600000,", ",700000,")
    errors, _ = load(project)
    assert errors == ["data/awards.csv:5: route: 'invited' for a contract of 700000 (above the light-touch tender threshold of 663540); "
                      "use open-tender or competitive-dialogue, or explain in justification why it was not tendered"]


def test_the_old_single_threshold_is_read_with_a_warning(minimal_project):
    errors, warnings = load(minimal_project)
    assert errors == []
    assert warnings == ["data/funder.yaml:8: warning: tender_threshold: is replaced by tender_thresholds, a list with the date each "
                        "threshold applies from; move it there (`tender_thresholds:`, then `- from: <date>`, `standard: <amount>`, "
                        "`light_touch: <amount>`) and delete this line"]


def test_no_threshold_at_all_is_an_error(minimal_project):
    minimal_project.replace("data/funder.yaml", "tender_threshold: 214904.00\n", "")
    errors, _ = load(minimal_project)
    assert errors == ["data/funder.yaml:1: tender_thresholds: is required but missing; list the thresholds with the date each applies "
                      "from, for example `- from: 2026-01-01`, `standard: 207720`, `light_touch: 663540`"]


def test_funder_tender_threshold_still_reads_the_current_one(project):
    dataset = load_dataset(project.path("data"), project.path("content"), project.root, now=NOW)
    assert dataset.funder.tender_threshold is not None
    from datetime import date
    assert dataset.funder.threshold_on(date(2025, 6, 1)) == 214904
    assert dataset.funder.threshold_on(date(2026, 6, 1), light_touch=True) == 663540
    assert dataset.now == NOW and dataset.warnings == []


def test_the_sample_data_passes_every_rule_at_the_sample_clock(sample_project):
    errors, warnings = load(sample_project)
    assert errors == []
    # The one warning is on purpose: the sample shows a monitoring return not yet received.
    assert len(warnings) == 1 and "no return from award BPCC-2026-007" in warnings[0]
