"""Hostile and mistyped text: invisible characters, line breaks where one line belongs, numbers and dates
far out of range, settings of the wrong type, and text a spreadsheet would run as a formula.

Each is one clear message (the file, line, field and, for a character, its code and name) and never a
traceback; a settings mistake names the setting; and whatever text passes the check builds a site
whose feed, calendars and JSON downloads still parse.
"""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ElementTree
from decimal import Decimal

import icalendar
import pytest
import yaml
from hypothesis import HealthCheck, given, settings, strategies as st

from commissioning import cli
from commissioning.open_data.csv_writer import csv_bytes, safe_cell
from commissioning.open_data.files import Column
from conftest import REPO, SAMPLE_NOW

OPEN = "data/opportunities/OPP-2026-002.md"
INVISIBLE = "; delete it (it is invisible: retype the text around it)"

# --- the data: one message each, naming the character ------------------------------------------

# (case, file, text to find, replacement, where the problem is "file:line: field", its advice)
CASES = [
    ("bell in a CSV title", "data/awards.csv", "Youth diversion,", "Youth\x07diversion,",
     "data/awards.csv:3: title", "contains the control character U+0007 (BELL)" + INVISIBLE),
    ("escape in a payment's description", "data/payments/2025-26.csv", "Youth diversion June 2025",
     "Youth diversion \x1b[31mJune 2025", "data/payments/2025-26.csv:3: description",
     "contains the control character U+001B (ESCAPE)" + INVISIBLE),
    ("a garbled curly apostrophe (C1 control) in a description", "data/awards.csv", "Out-of-hours support line.",
     "Out-of-hours support line\x92s.", "data/awards.csv:5: description",
     "contains the control character U+0092 (PRIVATE USE TWO)" + INVISIBLE),
    ("a control character written as a YAML escape", OPEN, "title: Stalking advocacy service",
     'title: "Stalking\\badvocacy service"', f"{OPEN}:3: title",
     "contains the control character U+0008 (BACKSPACE)" + INVISIBLE),
    ("line break in a CSV title", "data/awards.csv", "Victim care service,", '"Victim care\nservice",',
     "data/awards.csv:2: title", "contains a line break; write it all on one line"),
    ("line break in a YAML title", OPEN, "title: Stalking advocacy service", 'title: "Stalking\\nadvocacy service"',
     f"{OPEN}:3: title", "contains a line break; write it all on one line"),
    ("line break in a provider's name", "data/providers.csv", "Safe Steps Ltd,", '"Safe Steps\r\nLtd",',
     "data/providers.csv:3: name", "contains a line break; write it all on one line"),
    ("line break in an email address", OPEN, "contact_email: funding@testshire-pcc.example",
     'contact_email: "funding@testshire-pcc.example\\nBcc: x@y.example"', f"{OPEN}:34: contact_email",
     "contains a line break; write it all on one line"),
    ("right-to-left override in a title", OPEN, "title: Stalking advocacy service",
     "title: Stalking \u202eecivres ycacovda", f"{OPEN}:3: title",
     "contains the direction control U+202E (RIGHT-TO-LEFT OVERRIDE), which can make text show in a "
     "different order from the order it reads in" + INVISIBLE),
    ("left-to-right isolate in a provider's name", "data/providers.csv", "Riverside Youth Club",
     "Riverside \u2066Youth\u2069 Club", "data/providers.csv:4: name",
     "contains the direction control U+2066 (LEFT-TO-RIGHT ISOLATE), which can make text show in a "
     "different order from the order it reads in" + INVISIBLE),
    ("right-to-left mark in a code", OPEN, "funding_stream: moj-victims", "funding_stream: moj-victims\u200f",
     f"{OPEN}:5: funding_stream",
     "contains the direction control U+200F (RIGHT-TO-LEFT MARK), which can make text show in a "
     "different order from the order it reads in" + INVISIBLE),
    ("arabic letter mark in a priority list", "data/awards.csv", "prevention;victims", "prevention;\u061cvictims",
     "data/awards.csv:4: priorities",
     "contains the direction control U+061C (ARABIC LETTER MARK), which can make text show in a "
     "different order from the order it reads in" + INVISIBLE),
    ("noncharacter U+FFFE in a description", "data/awards.csv", "Activities continue for another year.",
     "Activities continue\ufffe for another year.", "data/awards.csv:4: description",
     "contains U+FFFE, which is not a character at all" + INVISIBLE),
    ("noncharacter U+FDD0 in a locality", "data/providers.csv", ",Othertown,", ",Other\ufdd0town,",
     "data/providers.csv:3: locality", "contains U+FDD0, which is not a character at all" + INVISIBLE),
    ("an amount of 5,000 digits", "data/awards.csv", ",150000,", "," + "9" * 5000 + ",",
     "data/awards.csv:2: amount_awarded",
     "is too large: an amount must be under £1 billion (1000000000); check for extra digits"),
    ("a refund of £1 billion", "data/payments/2025-26.csv", ",-250.00,", ",-1000000000,",
     "data/payments/2025-26.csv:4: amount",
     "is too large: an amount must be under £1 billion (1000000000); check for extra digits"),
    ("a funding envelope of £1 billion", OPEN, "funding_envelope: 90000", "funding_envelope: 1000000000.00",
     f"{OPEN}:10: funding_envelope",
     "is too large: an amount must be under £1 billion (1000000000); check for extra digits"),
    ("a whole number of 5,000 digits", OPEN, "duration_months: 36", "duration_months: " + "3" * 5000,
     f"{OPEN}:11: duration_months",
     "is too large: a whole number here must be under 1000000; check for extra digits"),
    ("a weight of a million", OPEN, "weight: 60", "weight: 1000000",
     f"{OPEN}:23: evaluation_criteria[1].weight",
     "is too large: a whole number here must be under 1000000; check for extra digits"),
    ("closes in the year 9999", OPEN, "closes: 2027-01-12T12:00", "closes: 9999-12-31",
     f"{OPEN}:15: closes", "is outside the years 2000 to 2100; check the year"),
    ("an event in the year 9999", OPEN, "end: 2026-11-18T12:00", "end: 9999-12-31T23:59",
     f"{OPEN}:31: events[1].end", "is outside the years 2000 to 2100; check the year"),
    ("an award date in 1999", "data/awards.csv", "2025-03-01,2025-04-01", "1999-12-31,2025-04-01",
     "data/awards.csv:2: award_date", "is outside the years 2000 to 2100; check the year"),
    ("a month in 2101", "data/payments/2025-26.csv", ",2025-06\n", ",2101-01\n",
     "data/payments/2025-26.csv:3: period", "is outside the years 2000 to 2100; check the year"),
    ("a date in other digits", "data/awards.csv", "2025-03-01,2025-04-01", "\u0662\u0660\u0662\u0665-03-01,2025-04-01",
     "data/awards.csv:2: award_date", "is not a date; write it as YYYY-MM-DD, for example 2026-03-31"),
]


def _problem(err: str, where: str, advice: str) -> list[str]:
    """The problems reported at `where` with that advice, whatever the value shown between them
    (it may hold the very character the advice is about)."""
    return re.findall(rf"^{re.escape(where)}: '.*?' {re.escape(advice)}$", err, re.MULTILINE | re.DOTALL)


@pytest.mark.parametrize("case,file,old,new,where,advice", CASES, ids=[c[0] for c in CASES])
def test_hostile_text_is_one_message_naming_the_place_and_the_character(minimal_project, case, file, old, new, where, advice):
    minimal_project.replace(file, old, new)
    result = minimal_project.check()
    assert result.code == 1, result.err
    assert "Traceback" not in result.err
    assert len(_problem(result.err, where, advice)) == 1, result.err
    assert result.err.rstrip().endswith("1 problem found: nothing was published."), result.err


def test_the_build_stops_at_a_date_that_would_break_it(minimal_project):
    minimal_project.replace(OPEN, "closes: 2027-01-12T12:00", "closes: 9999-12-31")
    result = minimal_project.build()
    assert result.code == 1
    assert "Traceback" not in result.err
    assert _problem(result.err, f"{OPEN}:15: closes", "is outside the years 2000 to 2100; check the year")
    assert not minimal_project.path("output").exists()


def test_the_report_shows_an_invisible_character_as_its_code(minimal_project):
    """A value is shown with each refused character as [U+XXXX]: no bell, no line broken in two, no
    text turned round in the terminal or in the pull request's annotation."""
    minimal_project.replace(OPEN, "title: Stalking advocacy service", "title: Stalking \u202eecivres")
    minimal_project.replace("data/awards.csv", "Victim care service,", '"Victim care\nservice",')
    result = minimal_project.check()
    assert result.problems == [
        "data/awards.csv:2: title: 'Victim care[U+000A]service' contains a line break; write it all on one line",
        f"{OPEN}:3: title: 'Stalking [U+202E]ecivres' contains the direction control U+202E (RIGHT-TO-LEFT "
        "OVERRIDE), which can make text show in a different order from the order it reads in" + INVISIBLE,
    ]


def test_descriptions_and_summaries_may_run_over_lines_and_hold_tabs(minimal_project):
    minimal_project.replace("data/awards.csv", "Emotional and practical support for victims.",
                            '"Emotional and practical support\r\nfor victims:\tday and night."')
    minimal_project.replace(OPEN, "summary: A grant for a specialist stalking advocacy service.",
                            "summary: |\n  A grant for a specialist\n  stalking advocacy service.")
    assert minimal_project.check().code == 0
    from commissioning.load.loader import load_dataset

    data = load_dataset(minimal_project.path("data"), minimal_project.path("content"), minimal_project.root)
    award = next(a for a in data.awards if a.id == "TPCC-2025-001")
    assert award.description == "Emotional and practical support\nfor victims:\tday and night."
    opportunity = next(o for o in data.opportunities if o.id == "OPP-2026-002")
    assert opportunity.summary == "A grant for a specialist\nstalking advocacy service."


# --- the settings: exit 2, naming the setting ----------------------------------------------------

SETTINGS_CASES = [
    ({"COMMISSIONING_SEARCH_INDEX": "no"}, "COMMISSIONING_SEARCH_INDEX: 'no' must be True or False, written without quotes"),
    ({"COMMISSIONING_MINIFY": 1}, "COMMISSIONING_MINIFY: 1 must be True or False, written without quotes"),
    ({"COMMISSIONING_CLOSING_SOON_DAYS": 10 ** 30},
     f"COMMISSIONING_CLOSING_SOON_DAYS: {10 ** 30} must be a whole number from 0 to 365"),
    ({"COMMISSIONING_CLOSING_SOON_DAYS": 10 ** 5000},
     "COMMISSIONING_CLOSING_SOON_DAYS: a number far too large must be a whole number from 0 to 365"),
    ({"COMMISSIONING_RECENT_MONTHS": -1}, "COMMISSIONING_RECENT_MONTHS: -1 must be a whole number from 0 to 120"),
    ({"COMMISSIONING_SPEND_LISTING_THRESHOLD": "500"},
     "COMMISSIONING_SPEND_LISTING_THRESHOLD: '500' must be a whole number, written without quotes, for example 500"),
    ({"COMMISSIONING_SPEND_LISTING_THRESHOLD": 500.5},
     "COMMISSIONING_SPEND_LISTING_THRESHOLD: 500.5 must be a whole number, written without quotes, for example 500"),
    ({"COMMISSIONING_PAYMENTS_PER_PAGE": 5},
     "COMMISSIONING_PAYMENTS_PER_PAGE: 5 must be 0 (a month's payments on one page) or from 10 to 100000"),
    ({"COMMISSIONING_DATA_DIR": None},
     "COMMISSIONING_DATA_DIR: None must be the path of a folder, written in quotes, for example 'data'"),
    ({"COMMISSIONING_NOW": "9999-12-31T00:00"}, "SITE_NOW: '9999-12-31T00:00' is outside the years 2000 to 2100; check the year"),
    ({"SITEURL": "javascript:alert(1)"},
     "SITEURL: 'javascript:alert(1)' must be empty or the site's address starting https:// (or http://), "
     "with no spaces, quotes or angle brackets, for example 'https://funding.example.org'"),
    ({"SITEURL": 'https://funding.example.org/"><script>alert(1)</script>'},
     "SITEURL: 'https://funding.example.org/\"><script>alert(1)</script>' must be empty or the site's address "
     "starting https:// (or http://), with no spaces, quotes or angle brackets, for example 'https://funding.example.org'"),
    ({"SITEURL": "https://funding.example.org/our site"},
     "SITEURL: 'https://funding.example.org/our site' must be empty or the site's address starting https:// "
     "(or http://), with no spaces, quotes or angle brackets, for example 'https://funding.example.org'"),
]


@pytest.mark.parametrize("extra,message", SETTINGS_CASES, ids=[message[:50] for _, message in SETTINGS_CASES])
def test_a_bad_setting_is_exit_2_naming_the_setting(minimal_project, extra, message):
    result = minimal_project.build(**extra)
    assert result.code == 2, result.err
    assert message in result.err
    assert "Traceback" not in result.err
    assert not minimal_project.path("output").exists()


@pytest.mark.parametrize("extra,message", SETTINGS_CASES[:2] + SETTINGS_CASES[-3:-2],
                         ids=[message[:50] for _, message in SETTINGS_CASES[:2] + SETTINGS_CASES[-3:-2]])
def test_check_refuses_a_bad_setting_too(minimal_project, extra, message):
    result = minimal_project._run(cli.check, REPO / "pelicanconf.py", False,
                                  overrides=minimal_project.overrides(SAMPLE_NOW, **extra))
    assert result.code == 2
    assert result.err.strip() == f"pelicanconf.py: {message}"


@pytest.mark.parametrize("site_url", ["", "https://funding.example.org", "https://funding.example.org/commissioning/",
                                      "http://localhost:8000", "https://fork.github.io/repo-name"])
def test_good_site_addresses_are_accepted(site_url):
    from commissioning.settings import from_pelican

    config = from_pelican({"COMMISSIONING_NOW": SAMPLE_NOW, "SITEURL": site_url})
    assert config.site_url == site_url.rstrip("/")
    assert config.public_url == site_url.rstrip("/")


# --- CSV: look-alike formula starts, and a reading at `;` ------------------------------------------

LOOK_ALIKES = ["\ufe661+1", "\ufe62441234", "\ufe631", "\ufe6bSUM(A1)", "\u22121", "\uff1d1", "\u200b=1",
               "\ufeff=1", "\u2060+1", "\u00a0=1", " \u200b @x", "\t=1"]


@pytest.mark.parametrize("text", LOOK_ALIKES)
def test_a_look_alike_formula_start_gets_a_leading_quote(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("text,cell", [
    ("NHS;=cmd|' /C calc'!A0", "NHS;'=cmd|' /C calc'!A0"),
    ("NHS; -1+1", "NHS;' -1+1"),
    ("NHS;\u200b@SUM(A1);Probation", "NHS;'\u200b@SUM(A1);Probation"),
    ("=1;+2", "'=1;'+2"),
    (["NHS Testshire", "\ufe66HYPERLINK(\"x\")"], "NHS Testshire;'\ufe66HYPERLINK(\"x\")"),
    ("Aims:\n=1+1\r\n+2\rx", "Aims:\n'=1+1\r\n'+2\rx"),
    ("Aims:\n- a list\n\n", "Aims:\n'- a list\n\n"),
    ("NHS; Probation", "NHS; Probation"),
    ("A&E;ICB", "A&E;ICB"),
])
def test_each_semicolon_separated_part_is_made_safe(text, cell):
    assert safe_cell(text) == cell


NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
FORMULA = tuple("=+-@\uff1d\uff0b\uff0d\uff20\ufe66\ufe62\ufe63\ufe6b\u2212")


def _runs(cell: str) -> bool:
    """Whether a spreadsheet could run a cell: = + - @ or a look-alike, after any spaces, line breaks
    and invisible characters."""
    visible = re.sub(r"^[\s\u00ad\u200b-\u200d\u2060-\u2064\ufeff]*", "", cell)
    return visible.startswith(FORMULA)


def _readings(content: bytes) -> dict[str, list[list[str]]]:
    text = content.decode("utf-8-sig")
    return {delimiter: list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)) for delimiter in ",;"}


def _assert_no_reading_runs_a_formula(content: bytes) -> None:
    for delimiter, rows in _readings(content).items():
        for row in rows:
            for cell in row:
                assert NUMBER.fullmatch(cell) or not _runs(cell), (delimiter, cell, row)


def test_text_cells_are_quoted_and_numbers_and_dates_are_not():
    columns = [Column("name", "string", ""), Column("amount", "number", ""), Column("paid", "date", ""),
               Column("vcse", "boolean", ""), Column("note", "string", "")]
    from datetime import date

    rows = [{"name": "NHS;=cmd|' /C calc'!A0", "amount": Decimal("-40.00"), "paid": date(2026, 3, 31), "vcse": True, "note": None},
            {"name": "plain", "amount": 12, "paid": None, "vcse": False, "note": ""}]
    content, count = csv_bytes(columns, rows)
    assert count == 2
    assert content.decode("utf-8-sig").split("\r\n") == [
        '"name","amount","paid","vcse","note"',
        '"NHS;\'=cmd|\' /C calc\'!A0",-40.00,2026-03-31,yes,',
        '"plain",12,,no,""',
        "",
    ]
    _assert_no_reading_runs_a_formula(content)
    assert _readings(content)[","][1][0] == "NHS;'=cmd|' /C calc'!A0"


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.text(max_size=12) | st.sampled_from(LOOK_ALIKES + ["NHS;=1", "a;\u22121", ";", "x;", "a\r\n=1", "\r=", "x\n@y"]),
                         min_size=2, max_size=2), max_size=6))
def test_no_reading_of_a_file_at_commas_or_semicolons_runs_a_formula(table):
    columns = [Column("a", "string", ""), Column("b", "string", "")]
    content, _ = csv_bytes(columns, [{"a": a, "b": b} for a, b in table])
    _assert_no_reading_runs_a_formula(content)
    read = _readings(content)[","]
    assert len(read) == len(table) + 1
    for written, (a, b) in zip(read[1:], table):
        assert written == [safe_cell(a), safe_cell(b)]


def test_a_built_download_is_safe_read_at_commas_or_semicolons(minimal_project):
    minimal_project.replace("data/awards.csv", ",NHS Testshire,", ",NHS Testshire;=cmd|' /C calc'!A0;\u2212 1,")
    minimal_project.replace("data/awards.csv", "Support line contract,", "\ufe66HYPERLINK(\"https://evil.example\"),")
    minimal_project.replace("data/providers.csv", "Safe Steps Ltd,", "\u200b=Safe Steps Ltd,")
    result = minimal_project.build(COMMISSIONING_SEARCH_INDEX=False)
    assert result.code == 0, result.err
    for name in ("funding-register.csv", "contracts.csv", "providers.csv"):
        content = (result.output / "data" / name).read_bytes()
        _assert_no_reading_runs_a_formula(content)
    register = list(csv.DictReader(io.StringIO((result.output / "data" / "funding-register.csv").read_text("utf-8-sig"), newline="")))
    contract = next(row for row in register if row["id"] == "TPCC-2025-004")
    assert contract["co_commissioners"] == "NHS Testshire;'=cmd|' /C calc'!A0;'\u2212 1"
    assert contract["title"] == "'\ufe66HYPERLINK(\"https://evil.example\")"
    assert contract["provider_name"] == "'\u200b=Safe Steps Ltd"
    assert contract["amount_awarded"] == "300000"


# --- any text: the check never crashes, and what passes builds files that parse ----------------------

# Any text but surrogates (which UTF-8 cannot hold), with control characters, line breaks and the rest;
# and, so that about half the examples pass the check and are built, text of printable characters only.
ANY_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30)
PRINTABLE = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Co", "Cn", "Zl", "Zp")), min_size=1, max_size=30)
TEXTS = st.tuples(ANY_TEXT, ANY_TEXT, ANY_TEXT) | st.tuples(PRINTABLE, PRINTABLE, PRINTABLE)


def _yaml_line(key: str, text: str) -> str:
    """A field as YAML writes it, so that any text is the value read back (escapes and all)."""
    return yaml.safe_dump({key: text}, default_style='"', width=10 ** 6, allow_unicode=True).rstrip("\n")


def _csv_cell(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts=TEXTS)
def test_any_text_never_crashes_the_check_and_what_passes_builds_files_that_parse(tmp_path_factory, texts):
    title, description, summary = texts
    from conftest import Project
    from minimal import MINIMAL_FILES

    project = Project(tmp_path_factory.mktemp("hostile"))
    for name, text in MINIMAL_FILES.items():
        project.write(name, text)
    project.replace(OPEN, "title: Stalking advocacy service", _yaml_line("title", title))
    project.replace(OPEN, "summary: A grant for a specialist stalking advocacy service.", _yaml_line("summary", summary))
    project.replace("data/awards.csv", "Activities for young people at risk.", _csv_cell(description))
    checked = project.check()
    assert checked.code in (0, 1), checked.err
    assert "Traceback" not in checked.err
    if checked.code:
        return
    built = project.build(COMMISSIONING_SEARCH_INDEX=False)
    assert built.code == 0, built.err
    ElementTree.parse(built.output / "feeds" / "opportunities.atom.xml")
    calendars = list(built.output.rglob("*.ics"))
    assert calendars
    for calendar in calendars:
        icalendar.Calendar.from_ical(calendar.read_bytes())
    downloads = list((built.output / "data").glob("*.json"))
    assert downloads
    for download in downloads:
        json.loads(download.read_text(encoding="utf-8"))
