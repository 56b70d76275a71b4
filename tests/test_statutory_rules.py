"""The rules of the statutory record and the new fields: areas, grants' conditions, payees, Find a Tender ids."""

from __future__ import annotations

import pytest

AWARD_HEADER = "id,title,description,provider_id,funding_stream,priorities,award_type,route,amount_awarded,award_date,start_date,end_date,opportunity_id,co_commissioners,justification,contract_document,extends"
PAYMENT_HEADER = "date,provider_id,award_id,amount,description,invoice_received,period"

AREAS = """\
areas:
  - code: testshire
    name: Testshire
    geo_code: E23000099
    geo_code_type: PFA
    whole: yes
  - code: north
    name: North Testshire
    geo_code: E06000099
    geo_code_type: UA
"""


def _with_awards_columns(project, columns: str, values: dict[str, str]):
    """Add columns to awards.csv, with a value for some awards (by id) and empty for the rest."""
    lines = project.read("data/awards.csv").splitlines()
    width = columns.count(",") + 1
    out = [lines[0] + "," + columns]
    for line in lines[1:]:
        award_id = line.split(",", 1)[0]
        out.append(line + "," + values.get(award_id, "," * (width - 1)))
    project.write("data/awards.csv", "\n".join(out) + "\n")


def test_an_area_that_funder_yaml_does_not_list_is_refused_with_the_list(minimal_project):
    minimal_project.replace("data/funder.yaml", "illustrative: yes\n", "illustrative: yes\n" + AREAS)
    _with_awards_columns(minimal_project, "areas", {"TPCC-2025-002": "nort"})
    result = minimal_project.check()
    assert result.code == 1
    assert ("data/awards.csv:3: areas: 'nort' is not an area in data/funder.yaml (areas there: north, testshire); "
            "use one of them, or leave areas empty for the whole area") in result.problems


def test_an_award_with_no_areas_is_in_the_whole_area_and_named_areas_are_shown(minimal_project):
    minimal_project.replace("data/funder.yaml", "illustrative: yes\n", "illustrative: yes\n" + AREAS)
    _with_awards_columns(minimal_project, "areas", {"TPCC-2025-002": "north"})
    assert minimal_project.check().code == 0
    from commissioning.load.loader import load_dataset
    data, _ = _load(minimal_project)
    funder = data.funder
    by_id = {a.id: a for a in data.awards}
    assert [a.name for a in funder.areas_for(by_id["TPCC-2025-001"].areas)] == ["Testshire"]
    assert [a.name for a in funder.areas_for(by_id["TPCC-2025-002"].areas)] == ["North Testshire"]


def _load(project):
    from commissioning.load.loader import load_dataset
    from datetime import datetime
    from commissioning.load.fields import UK
    dataset = load_dataset(project.path("data"), project.path("content"), project.root, now=datetime(2026, 11, 24, 9, tzinfo=UK))
    return dataset, dataset.warnings


def test_two_whole_areas_are_refused(minimal_project):
    minimal_project.replace("data/funder.yaml", "illustrative: yes\n", "illustrative: yes\n" + AREAS.replace("    geo_code_type: UA\n", "    geo_code_type: UA\n    whole: yes\n"))
    result = minimal_project.check()
    assert result.code == 1
    assert any("areas[2].whole: marks a second area as whole" in p for p in result.problems), result.problems


def test_grants_since_statutory_from_must_record_conditions_reasons_and_decision_in_one_message(minimal_project):
    minimal_project.replace("data/funder.yaml", "illustrative: yes\n", "illustrative: yes\nstatutory_from: 2025-04-01\n")
    _with_awards_columns(minimal_project, "conditions,reasons,decision_record", {
        "TPCC-2026-003": "Quarterly returns,Diverts young people from offending,PCC/D/2026/003",
        "TPCC-2025-002": ",Diverts young people from offending,",
    })
    result = minimal_project.check()
    assert result.code == 1
    messages = [p for p in result.problems if "must be recorded" in p]
    # TPCC-2025-001 (March 2025) is before the date; TPCC-2025-004 is a contract; 2026-003 has all three.
    assert messages == [
        "data/awards.csv:3: conditions: is empty, and conditions, decision_record must be recorded for grants made since "
        "1 April 2025 (the Specified Information Order); add the grant's conditions (or a link to them), why it will "
        "help reduce crime and disorder, and the decision record's reference"], result.problems


@pytest.mark.parametrize("value,ok", [("012345-2025", True), ("2021/S 000-012345", True), ("12345-2025", False), ("FTS 012345", False)])
def test_find_a_tender_ids_are_checked(minimal_project, value, ok):
    _with_awards_columns(minimal_project, "find_a_tender", {"TPCC-2025-004": value})
    result = minimal_project.check()
    assert (result.code == 0) is ok, result.problems
    if not ok:
        assert (f"data/awards.csv:5: find_a_tender: '{value}' is not a Find a Tender notice id; copy it from the notice "
                "page, for example 012345-2025") in result.problems


def _supplier_payments(project, rows: list[str]):
    header = PAYMENT_HEADER + ",supplier,supplier_type,expense_area,expense_type,value_for_money"
    body = [line + ",,,,," for line in project.read("data/payments/2025-26.csv").splitlines()[1:]]
    project.write("data/payments/2025-26.csv", "\n".join([header, *body, *rows]) + "\n")


def test_a_payment_to_a_supplier_that_is_not_a_provider_is_valid_and_left_out_of_funded_services_spend(minimal_project):
    _supplier_payments(minimal_project, [
        "2025-09-01,,,1200.00,Office rent,2025-08-20,,Example Lettings Ltd,organisation,Office,Rent,Three quotes compared",
        "2025-09-02,,,640.00,Interpreting,2025-08-21,,Mrs A Example,individual,Commissioning,Interpreting,Regional rate",
    ])
    assert minimal_project.check().code == 0
    result = minimal_project.build()
    assert result.code == 0, result.err
    spend = (result.output / "spend" / "index.html").read_text()
    assert "Example Lettings" not in spend and "Mrs A Example" not in spend


def test_a_payment_with_neither_provider_nor_supplier_or_both(minimal_project):
    _supplier_payments(minimal_project, [
        "2025-09-01,,,1200.00,Office rent,,,,organisation,Office,Rent,",
        "2025-09-02,GB-CHC-1000001,,640.00,Training,,,Example Training Ltd,organisation,Commissioning,Training,",
    ])
    result = minimal_project.check()
    assert result.code == 1
    assert "data/payments/2025-26.csv:5: provider_id: is empty, and so is supplier; give the provider's id, or the supplier's name for anyone else" in result.problems
    assert ("data/payments/2025-26.csv:6: supplier: is given as well as provider_id 'GB-CHC-1000001'; keep provider_id "
            "for a funded provider and clear supplier") in result.problems
    assert len(result.problems) == 2, result.problems


@pytest.mark.parametrize("name", ["Mr J Smith", "Dr. Ada Jones", "mrs a example"])
def test_a_supplier_named_with_a_personal_title_must_be_marked_as_an_individual(minimal_project, name):
    _supplier_payments(minimal_project, [f"2025-09-01,,,700.00,Interpreting,,,{name},organisation,Commissioning,Interpreting,"])
    result = minimal_project.check()
    assert result.code == 1
    assert any(p.startswith("data/payments/2025-26.csv:5: supplier: starts with a personal title") for p in result.problems), result.problems


def test_misses_and_drs_in_company_names_are_not_people(minimal_project):
    _supplier_payments(minimal_project, ["2025-09-01,,,700.00,Cleaning,,,Mister Clean Ltd,organisation,Office,Cleaning,"])
    assert minimal_project.check().code == 0


def test_a_payment_in_advance_is_a_warning_when_the_funder_pays_in_arrears(minimal_project):
    minimal_project.replace("data/funder.yaml", "illustrative: yes\n", "illustrative: yes\npays_in_arrears: yes\n")
    minimal_project.replace("data/payments/2025-26.csv", "2025-05-05,GB-CHC-1000001,TPCC-2025-001,4166.67,Victim care April 2025,2025-04-28,2025-04",
                            "2025-05-05,GB-CHC-1000001,TPCC-2025-001,4166.67,Victim care May 2025,2025-04-28,2025-05")
    result = minimal_project.check()
    assert result.code == 0
    assert ("data/payments/2025-26.csv:2: warning: period: says the payment of 5 May 2025 was for May 2025, in advance, "
            "but data/funder.yaml says payments are made in arrears; check the period (it is published as written)") in result.out


def test_without_pays_in_arrears_a_payment_in_advance_is_not_flagged(minimal_project):
    minimal_project.replace("data/payments/2025-26.csv", "Victim care April 2025,2025-04-28,2025-04", "Victim care May 2025,2025-04-28,2025-05")
    result = minimal_project.check()
    assert result.code == 0 and "in advance" not in result.out


# --- a new opportunity that has already closed (from git) --------------------------------------

import subprocess  # noqa: E402


def _git(project, *args):
    subprocess.run(["git", "-C", str(project.root), *args], check=True, capture_output=True,
                   env={"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
                        "GIT_COMMITTER_EMAIL": "t@example.org", "HOME": str(project.root), "PATH": "/usr/bin:/bin"})


def _committed(project):
    _git(project, "init", "-q", "-b", "main")
    _git(project, "add", "-A")
    _git(project, "commit", "-q", "-m", "first")
    _git(project, "commit", "-q", "--allow-empty", "-m", "second")


NEW_CALL = "data/opportunities/OPP-2026-009.md"


def _new_call(project, opens: str, closes: str):
    text = project.read("data/opportunities/OPP-2026-002.md").replace("id: OPP-2026-002", "id: OPP-2026-009")
    text = text.replace("opens: 2026-11-02T09:00", f"opens: {opens}").replace("closes: 2027-01-12T12:00", f"closes: {closes}")
    text = text.replace("decision_by: 2027-02-15\nservice_start: 2027-04-01\n", "").replace("events:\n  - title: Provider engagement event\n    start: 2026-11-18T10:00\n    end: 2026-11-18T12:00\n    location: Online\n", "")
    project.write(NEW_CALL, text)


def test_a_new_call_that_has_already_closed_is_a_warning_with_the_likely_year(minimal_project):
    _committed(minimal_project)
    _new_call(minimal_project, "2025-11-03T09:00", "2025-12-01T12:00")
    result = minimal_project.check()
    assert result.code == 0, result.problems
    assert (f"{NEW_CALL}:15: warning: closes: '2025-12-01T12:00' is already past (it opens 2025-11-03T09:00), so this "
            "new opportunity is published as closed; did you mean 2026? (if it is added for the record, this warning "
            "can be ignored)") in result.out


def test_the_same_call_once_committed_earlier_is_not_warned_about(minimal_project):
    _new_call(minimal_project, "2025-11-03T09:00", "2025-12-01T12:00")
    _committed(minimal_project)  # the call is in the first commit, not added by the latest one
    assert "already past" not in minimal_project.check().out


def test_a_call_added_by_the_latest_commit_is_new(minimal_project):
    _committed(minimal_project)
    _new_call(minimal_project, "2025-11-03T09:00", "2025-12-01T12:00")
    _git(minimal_project, "add", "-A")
    _git(minimal_project, "commit", "-q", "-m", "add a call")
    assert "already past" in minimal_project.check().out


def test_without_git_the_rule_is_skipped(minimal_project):
    _new_call(minimal_project, "2025-11-03T09:00", "2025-12-01T12:00")
    result = minimal_project.check()
    assert result.code == 0 and "already past" not in result.out


# --- data/duties.yaml and overdue duties ---------------------------------------------------------

DUTIES_YAML = """\
published_elsewhere:
  - duty: plan
    title: Police and Crime Plan 2024 to 2028
    url: https://www.testshire-pcc.example/plan
    published: 2024-10-01
    next_due: 2028-05-31
  - duty: annual-report
    url: https://www.testshire-pcc.example/annual-report
    published: 2026-07-14
    next_due: 2026-11-01
"""


def test_duties_published_elsewhere_are_shown_with_their_address_and_status(minimal_project):
    from conftest import page

    minimal_project.write("data/duties.yaml", DUTIES_YAML)
    result = minimal_project.build(now="2026-08-10T09:00")
    assert result.code == 0, result.err
    duties = page(result.output, "duties/")
    plan = duties.select_one("#duty-plan")
    assert plan.select_one('a[href="https://www.testshire-pcc.example/plan"]')
    report = duties.select_one("#duty-annual-report").get_text(" ", strip=True)
    assert "Up to date" in report and "Overdue" not in report


def test_a_duty_past_its_next_due_is_a_warning_and_shown_overdue(minimal_project):
    from conftest import page

    minimal_project.write("data/duties.yaml", DUTIES_YAML)
    late = minimal_project.check(now="2026-11-24T09:00")
    assert late.code == 0
    assert ("data/duties.yaml:10: warning: published_elsewhere[2].next_due: '2026-11-01' has passed, so annual-report is "
            "overdue; publish it, then change published and next_due") in late.out
    result = minimal_project.build(now="2026-11-24T09:00")
    assert "Overdue" in page(result.output, "duties/").select_one("#duty-annual-report").get_text(" ", strip=True)


@pytest.mark.parametrize("old,new,expected", [
    ("duty: plan", "duty: the-plan", "data/duties.yaml:2: published_elsewhere[1].duty: 'the-plan' is not a duty we know; use one of "),
    ("duty: annual-report", "duty: plan", "data/duties.yaml:7: published_elsewhere[2].duty: 'plan' is given twice; keep one entry for each duty"),
    ("published: 2026-07-14", "published: 2027-07-14", "data/duties.yaml:9: published_elsewhere[2].published: '2027-07-14' is after today (2026-08-10); give the day it was last brought up to date"),
    ("url: https://www.testshire-pcc.example/plan", "url: plan.html", "data/duties.yaml:4: published_elsewhere[1].url: "),
])
def test_duties_yaml_is_checked_like_every_other_file(minimal_project, old, new, expected):
    minimal_project.write("data/duties.yaml", DUTIES_YAML.replace(old, new))
    result = minimal_project.check(now="2026-08-10T09:00")
    assert result.code == 1
    assert any(p.startswith(expected) for p in result.problems), result.problems


def test_months_of_payments_not_published_are_one_warning_naming_each_duty_they_make_late(minimal_project):
    # Without its latest file, the minimal project's last payment is on 2 March 2026.
    minimal_project.path("data/payments/2026-27.csv").unlink()
    assert "overdue" not in minimal_project.check(now="2026-04-10T09:00").out
    spend_only = minimal_project.check(now="2026-05-05T09:00").out
    assert ("data/payments/2025-26.csv:4: warning: date: is the latest payment published (2 March 2026), and the "
            "spending over £500 for April 2026 was due by 31 May 2026") not in spend_only  # not yet: due by 31 May
    spend = minimal_project.check(now="2026-06-02T09:00")
    assert spend.code == 0
    assert [l for l in spend.out.splitlines() if "is the latest payment published" in l] == [
        "data/payments/2025-26.csv:4: warning: date: is the latest payment published (2 March 2026), and the spending "
        "over £500 for April 2026 was due by 31 May 2026; add the payments made since then to data/payments/ (the site "
        "is published, and says what is overdue)"]
    both = minimal_project.check(now="2026-11-05T09:00")  # the half-year to 30 September is not covered either
    lines = [l for l in both.out.splitlines() if "is the latest payment published" in l]
    assert lines == ["data/payments/2025-26.csv:4: warning: date: is the latest payment published (2 March 2026), and "
                     "the spending over £500 for April 2026 was due by 31 May 2026, the payments compliance notice to "
                     "30 September 2026 was due by 29 October 2026 and the payments over £30,000 under contracts to "
                     "30 September 2026 were due by 29 October 2026; add the payments made since then to data/payments/ "
                     "(the site is published, and says what is overdue)"]
