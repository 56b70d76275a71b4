"""The register's open data: every download read back equals the data it came from, the 360Giving
file is valid against the official schema, every CSV is valid against datapackage.json, and the CSV
writer is formula-safe for any text."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
import unicodedata
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from frictionless import validate as frictionless_validate
from hypothesis import given, settings, strategies as st
from jsonschema import Draft202012Validator
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from commissioning.open_data.csv_writer import csv_bytes, safe_cell
from commissioning.open_data.files import Column
from conftest import REPO, SAMPLE_NOW, page

SCHEMAS = Path(__file__).parent / "schemas" / "360giving"
TODAY = date.fromisoformat(SAMPLE_NOW[:10])
# What a spreadsheet runs as a formula (OWASP), written out here rather than taken from the code under test.
FORMULA_STARTS = tuple("=+-@\t\r\n") + ("\uff1d", "\uff0b", "\uff0d", "\uff20", "\ufe66", "\ufe62", "\ufe63", "\ufe6b", "\u2212")
OPEN_CALL_ROUTES = {"open-call", "open-tender", "competitive-dialogue"}


# --- reading the source data and the downloads, independently of the code under test ------------


def read_source(name: str) -> list[dict]:
    with open(REPO / "data" / name, encoding="utf-8-sig", newline="") as file:
        return list(csv.DictReader(file))


def read_download(output: Path, name: str) -> tuple[list[str], list[dict], bytes]:
    raw = (output / "data" / name).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), f"{name} has no byte-order mark"
    text = raw.decode("utf-8-sig")
    assert text.split("\n", 1)[0].endswith("\r"), f"{name}: lines should end in CRLF"
    reader = csv.DictReader(io.StringIO(text, newline=""))
    return reader.fieldnames, list(reader), raw


# Where a spreadsheet reading the file at `;` (or misreading its quotes) may start a new cell inside a
# text cell: after a `;` or a line break. There only = + - @ and their look-alikes start a formula.
PART = re.compile(r"(?<=[;\n])|(?<=\r)(?!\n)")
PART_STARTS = tuple(start for start in FORMULA_STARTS if start not in "\t\r\n")


def starts_formula(text: str, starts: tuple = FORMULA_STARTS) -> bool:
    """Whether a spreadsheet would run text: one of starts after any spaces and invisible characters."""
    for char in text:
        if char in starts:
            return True
        if not (char.isspace() or unicodedata.category(char) == "Cf"):
            return False
    return False


def as_written(text: str) -> str:
    """How a text cell should read back: unchanged, or with a leading ' if a spreadsheet would run it,
    and so each part after a `;` or a line break (one that splits cells at `;` would run `NHS;=cmd`)."""
    first, *rest = PART.split(text)
    return "".join(["'" + first if starts_formula(first) else first,
                    *("'" + part if starts_formula(part, PART_STARTS) else part for part in rest)])


def funder() -> dict:
    return yaml.safe_load((REPO / "data" / "funder.yaml").read_text(encoding="utf-8"))


def status(award: dict) -> str:
    if TODAY < date.fromisoformat(award["start_date"]):
        return "future"
    return "current" if TODAY <= date.fromisoformat(award["end_date"]) else "previous"


def months(start: str, end: str) -> int:
    """Whole months from start to end inclusive, counted by hand: 1 April to 31 March is 12."""
    first, last = date.fromisoformat(start), date.fromisoformat(end) + timedelta(days=1)
    count = (last.year - first.year) * 12 + last.month - first.month
    return max(count + (1 if last.day > first.day else 0), 1)


# --- the funding register -------------------------------------------------------------------------


def test_funding_register_csv_is_every_award_with_its_provider_status_and_360giving_id(sample_site):
    columns, rows, _ = read_download(sample_site, "funding-register.csv")
    awards = read_source("awards.csv")
    providers = {p["id"]: p for p in read_source("providers.csv")}
    prefix = funder()["grant_id_prefix"]

    assert [c for c in columns if c in awards[0]] == list(awards[0]), "every awards.csv column, in its order"
    assert [c for c in columns if c not in awards[0]] == ["provider_name", "organisation_type", "status", "grant_id"]
    assert [r["id"] for r in rows] == sorted(a["id"] for a in awards)
    written = {r["id"]: r for r in rows}
    for award in awards:
        row = written[award["id"]]
        for column, value in award.items():
            if column == "amount_awarded":
                assert Decimal(row[column]) == Decimal(value), award["id"]
            else:
                assert row[column] == as_written(value), (award["id"], column)
        provider = providers[award["provider_id"]]
        assert row["provider_name"] == as_written(provider["name"])
        assert row["organisation_type"] == provider["organisation_type"]
        assert row["status"] == status(award)
        assert row["grant_id"] == (f"{prefix}-{award['id']}" if award["award_type"] == "grant" else "")
    assert {r["status"] for r in rows} == {"current", "previous", "future"}, "the sample covers every status"


def test_providers_csv_is_providers_csv(sample_site):
    columns, rows, _ = read_download(sample_site, "providers.csv")
    source = read_source("providers.csv")
    assert columns == list(source[0])
    by_id = {r["id"]: r for r in rows}
    assert len(rows) == len(source)
    for provider in source:
        assert by_id[provider["id"]] == {k: as_written(v.strip().lower() if k in (
            "real_living_wage", "pension_scheme", "no_zero_hours", "policies_in_place") else v)
            for k, v in provider.items()}


def test_contracts_csv_is_every_contract_in_the_transparency_code_shape(sample_site):
    columns, rows, _ = read_download(sample_site, "contracts.csv")
    contracts = [a for a in read_source("awards.csv") if a["award_type"] == "contract"]
    providers = {p["id"]: p for p in read_source("providers.csv")}
    assert {"reference", "title", "description", "supplier_name", "supplier_company_number", "supplier_charity_number",
            "vcse", "value", "start_date", "end_date", "route", "invitation_to_tender"} <= set(columns)
    assert sorted(r["reference"] for r in rows) == sorted(a["id"] for a in contracts)
    written = {r["reference"]: r for r in rows}
    for contract in contracts:
        row = written[contract["id"]]
        supplier = providers[contract["provider_id"]]
        assert row["title"] == as_written(contract["title"])
        assert row["supplier_name"] == as_written(supplier["name"])
        assert row["supplier_id"] == supplier["id"]
        assert row["supplier_company_number"] == supplier["company_number"]
        assert row["supplier_charity_number"] == supplier["charity_number"]
        assert row["buyer"] == funder()["name"]
        assert row["vcse"] == ("no" if supplier["organisation_type"] in ("public-body", "private-company") else "yes")
        assert Decimal(row["value"]) == Decimal(contract["amount_awarded"])
        term = months(contract["start_date"], contract["end_date"])
        assert Decimal(row["annual_value"]) == (Decimal(contract["amount_awarded"]) * 12 / term).quantize(Decimal("0.01"))
        assert (row["start_date"], row["end_date"], row["award_date"]) == (
            contract["start_date"], contract["end_date"], contract["award_date"])
        assert row["invitation_to_tender"] == ("no" if contract["route"] in ("direct-award", "single-tender-action") else "yes")
    assert {r["invitation_to_tender"] for r in rows} == {"yes", "no"}, "the sample has tendered and untendered contracts"


# --- 360Giving --------------------------------------------------------------------------------------


def package_validator() -> Draft202012Validator:
    """The official package schema, with the grant schema it refers to registered under both names."""
    package = json.loads((SCHEMAS / "360-giving-package-schema.json").read_text(encoding="utf-8"))
    grant = json.loads((SCHEMAS / "360-giving-schema.json").read_text(encoding="utf-8"))
    resource = DRAFT202012.create_resource(grant)
    registry = Registry().with_resources([(grant["$id"], resource), (package["properties"]["grants"]["items"]["$ref"], resource)])
    return Draft202012Validator(package, registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER)


def test_360giving_json_is_valid_against_the_official_schema(sample_site):
    data = json.loads((sample_site / "data" / "360giving.json").read_bytes())
    errors = sorted(package_validator().iter_errors(data), key=lambda e: list(e.absolute_path))
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors[:5]]


@pytest.mark.parametrize("spoil", [
    lambda d: d["grants"][0].pop("recipientOrganization"),
    lambda d: d["grants"][0].update(awardDate="11/04/2022"),
    lambda d: d["grants"][0].update(dateModified="2022-04-11"),
    lambda d: d["grants"][0].update(fromOpenCall="yes"),
    lambda d: d["grants"][0].update(currency="£"),
])
def test_the_schema_check_catches_a_spoilt_grant(sample_site, spoil):
    data = json.loads((sample_site / "data" / "360giving.json").read_bytes())
    spoil(data)
    assert list(package_validator().iter_errors(data)), "the validator should reject this"


def test_360giving_json_is_every_grant_and_nothing_else(sample_site):
    data = json.loads((sample_site / "data" / "360giving.json").read_bytes())
    info = funder()
    awards = read_source("awards.csv")
    providers = {p["id"]: p for p in read_source("providers.csv")}
    streams = {s["code"]: s for s in info["funding_streams"]}
    grants = {g["id"]: g for g in data["grants"]}
    expected = [a for a in awards if a["award_type"] == "grant"]
    assert sorted(grants) == sorted(f"{info['grant_id_prefix']}-{a['id']}" for a in expected)
    for award in expected:
        grant = grants[f"{info['grant_id_prefix']}-{award['id']}"]
        provider = providers[award["provider_id"]]
        assert grant["title"] == award["title"] and grant["description"] == award["description"]
        assert grant["currency"] == "GBP"
        assert Decimal(str(grant["amountAwarded"])) == Decimal(award["amount_awarded"])
        assert grant["awardDate"] == award["award_date"]
        assert grant["plannedDates"] == [{"startDate": award["start_date"], "endDate": award["end_date"],
                                          "duration": months(award["start_date"], award["end_date"])}]
        recipient = grant["recipientOrganization"][0]
        assert (recipient["id"], recipient["name"]) == (provider["id"], provider["name"])
        assert recipient.get("charityNumber", "") == provider["charity_number"]
        assert recipient.get("companyNumber", "") == provider["company_number"]
        assert grant["fundingOrganization"] == [{"id": info["org_id"], "name": info["name"]}]
        assert grant["grantProgramme"][0]["code"] == award["funding_stream"]
        assert grant["grantProgramme"][0]["title"] == streams[award["funding_stream"]]["title"]
        assert grant["fromOpenCall"] == ("Yes" if award["route"] in OPEN_CALL_ROUTES else "No")
        assert grant["dateModified"].startswith(award["award_date"] + "T00:00:00")
        assert grant["dataSource"].startswith("https://")
    assert data["version"] == "1.4"
    assert data["license"] == info["licence"]
    assert data["publisher"]["name"] == info["name"] and data["publisher"]["identifier"] == info["org_id"]
    assert {g["fromOpenCall"] for g in data["grants"]} == {"Yes", "No"}


def schema_title(path: list[str]) -> str:
    """A field's title as 360Giving's spreadsheets write it: the titles along its path joined with ':'."""
    schema = json.loads((SCHEMAS / "360-giving-schema.json").read_text(encoding="utf-8"))
    titles, node = [], schema
    for name in path:
        node = node["properties"][name]
        titles.append(node.get("title") or schema["$defs"][node["$ref"].rsplit("/", 1)[1]]["title"])
        node = node.get("items", node)
        if "$ref" in node:
            node = schema["$defs"][node["$ref"].rsplit("/", 1)[1]]
    return ":".join(titles)


def test_360giving_csv_is_the_json_under_the_standard_column_titles(sample_site):
    columns, rows, _ = read_download(sample_site, "360giving.csv")
    grants = json.loads((sample_site / "data" / "360giving.json").read_bytes())["grants"]
    paths = {
        "Identifier": ["id"], "Title": ["title"], "Description": ["description"], "Currency": ["currency"],
        "Amount Awarded": ["amountAwarded"], "Award Date": ["awardDate"],
        "Recipient Org:Identifier": ["recipientOrganization", "id"], "Recipient Org:Name": ["recipientOrganization", "name"],
        "Recipient Org:Charity Number": ["recipientOrganization", "charityNumber"],
        "Recipient Org:Company Number": ["recipientOrganization", "companyNumber"],
        "Recipient Org:City": ["recipientOrganization", "addressLocality"],
        "Recipient Org:Web Address": ["recipientOrganization", "url"],
        "Funding Org:Identifier": ["fundingOrganization", "id"], "Funding Org:Name": ["fundingOrganization", "name"],
        "Grant Programme:Code": ["grantProgramme", "code"], "Grant Programme:Title": ["grantProgramme", "title"],
        "Planned Dates:Start Date": ["plannedDates", "startDate"], "Planned Dates:End Date": ["plannedDates", "endDate"],
        "Planned Dates:Duration (months)": ["plannedDates", "duration"],
        "From An Open Call?": ["fromOpenCall"], "Last Modified": ["dateModified"], "Data Source": ["dataSource"],
    }
    assert columns == list(paths)
    for title, path in paths.items():
        assert schema_title(path) == title, "the column title is the schema's"
    assert len(rows) == len(grants)
    for row, grant in zip(rows, grants):
        for title, path in paths.items():
            value = grant.get(path[0])
            if len(path) == 2:
                value = value[0].get(path[1], "")
            assert row[title] == as_written(str(value)), (grant["id"], title)


def test_360giving_json_does_not_depend_on_the_build_clock(minimal_project):
    first = minimal_project.build(now="2026-11-24T09:00")
    assert first.code == 0, first.err
    before = {name: (first.output / "data" / name).read_bytes() for name in ("360giving.json", "360giving.csv")}
    second = minimal_project.build(now="2027-08-01T15:30")
    assert second.code == 0, second.err
    assert {name: (second.output / "data" / name).read_bytes() for name in before} == before


# --- the data package ---------------------------------------------------------------------------------


def test_every_csv_is_described_and_valid_against_datapackage_json(sample_site):
    package = json.loads((sample_site / "data" / "datapackage.json").read_bytes())
    described = {r["path"]: r for r in package["resources"]}
    on_disk = sorted(p.name for p in (sample_site / "data").glob("*.csv"))
    assert sorted(described) == on_disk, "every CSV on the site, and only those"
    for name, resource in described.items():
        columns, _, raw = read_download(sample_site, name)
        assert [f["name"] for f in resource["schema"]["fields"]] == columns, name
        assert resource["bytes"] == len(raw)
        assert all(f.get("description") for f in resource["schema"]["fields"]), f"{name}: every column is described"
    register = described["funding-register.csv"]["schema"]
    assert register["primaryKey"] == ["id"]
    assert {"fields": ["provider_id"], "reference": {"resource": "providers", "fields": ["id"]}} in register["foreignKeys"]
    assert package["licenses"][0]["path"] == funder()["licence"]
    report = frictionless_validate(sample_site / "data" / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]


def test_frictionless_catches_a_csv_that_breaks_its_schema(sample_site, tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    for file in (sample_site / "data").iterdir():
        if file.suffix in (".csv", ".json"):
            (data / file.name).write_bytes(file.read_bytes())
    package = json.loads((data / "datapackage.json").read_bytes())
    for resource in package["resources"]:
        resource.pop("bytes"), resource.pop("hash")  # the edits below change them; test the schema alone
    (data / "datapackage.json").write_text(json.dumps(package), encoding="utf-8")
    text = (data / "contracts.csv").read_text(encoding="utf-8-sig")
    first = text.splitlines()[1].split(",")[0]
    (data / "contracts.csv").write_text(text.replace(f"{first},", "NO-SUCH-AWARD,", 1), encoding="utf-8-sig")
    text = (data / "funding-register.csv").read_text(encoding="utf-8-sig")
    (data / "funding-register.csv").write_text(text.replace(",172000,", ",a lot,", 1), encoding="utf-8-sig")
    report = frictionless_validate(data / "datapackage.json")
    kinds = {error[0] for error in report.flatten(["type"])}
    assert not report.valid
    assert {"foreign-key", "type-error"} <= kinds


def test_data_page_lists_every_download(sample_site):
    soup = page(sample_site, "data/")
    links = {a["href"].rsplit("/", 1)[-1]: a for a in soup.select("main h2 a")}
    for name in ("funding-register.csv", "providers.csv", "contracts.csv", "360giving.json", "360giving.csv", "datapackage.json"):
        assert name in links, name
    register = links["funding-register.csv"].find_parent("li").get_text(" ", strip=True)
    assert "61 rows" in register and "CSV" in register
    assert soup.select_one("main a[rel=license]")["href"] == funder()["licence"]
    assert "Last updated" in soup.select_one("main").get_text()


# --- the CSV writer ------------------------------------------------------------------------------------

cells = st.text(alphabet=st.characters(codec="utf-8"), max_size=40) | st.sampled_from(
    ["=1+1", " =HYPERLINK(\"x\")", "+44", "-", "@SUM(A1)", "\tx", "\r\n", "\uff1d1", "  \uff0b1", "\uff0d", "\uff20x", "'=1"])


@settings(max_examples=400, deadline=None)
@given(st.lists(st.lists(cells, min_size=3, max_size=3), max_size=8))
def test_csv_writer_round_trips_any_text_and_never_starts_a_formula(table):
    columns = [Column("a", "string", ""), Column("b", "string", ""), Column("c", "string", "")]
    content, count = csv_bytes(columns, ({"a": a, "b": b, "c": c} for a, b, c in table))
    assert count == len(table)
    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))
    assert rows[0] == ["a", "b", "c"]
    assert len(rows) == len(table) + 1
    for written, original in zip(rows[1:], table):
        for cell, text in zip(written, original):
            assert cell == as_written(text)
            assert not starts_formula(cell) and not any(starts_formula(part, PART_STARTS) for part in PART.split(cell)[1:])


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=1, max_value=3).flatmap(
    lambda width: st.lists(st.lists(cells | st.sampled_from(['a,b', 'say "hi"', 'two\nlines', '\r', '']),
                                    min_size=width, max_size=width), max_size=6)))
def test_csv_writer_writes_the_bytes_the_csv_module_writes(table):
    """Cells are quoted once per distinct value and rows joined in C: the file is byte for byte what
    the csv module's writer makes of the same formula-safe cells, one column or several."""
    names = ["a", "b", "c"][:len(table[0])] if table else ["a"]
    content, _ = csv_bytes(names, ({name: cell for name, cell in zip(names, row)} for row in table))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_ALL)
    writer.writerow(names)
    writer.writerows([safe_cell(cell) for cell in row] for row in table)
    assert content == ("\ufeff" + buffer.getvalue()).encode("utf-8")


@given(st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=-10**9, max_value=10**9))
def test_numbers_stay_plain_numbers_negative_ones_too(amount):
    cell = safe_cell(amount)
    assert Decimal(cell) == amount
    assert not cell.startswith("'")
    assert "E" not in cell.upper(), "no scientific notation"


def test_a_decimal_with_a_positive_exponent_is_written_in_full():
    assert safe_cell(Decimal("1E+3")) == "1000"


@pytest.mark.parametrize("value, cell", [
    (date(2026, 3, 31), "2026-03-31"), (True, "yes"), (False, "no"), (None, ""), (["a", "b"], "a;b"),
    (["=x", "y"], "'=x;y"), (Decimal("-40.00"), "-40.00"), ("-40", "'-40"),
])
def test_safe_cell_examples(value, cell):
    assert safe_cell(value) == cell


def test_with_a_site_address_360giving_links_each_grant_to_its_page(minimal_project, monkeypatch):
    from commissioning.funded_services import threesixtygiving
    from commissioning.load.loader import load_dataset
    from commissioning.derive.site import derive
    from commissioning.settings import from_pelican

    config = from_pelican({"COMMISSIONING_ROOT": str(minimal_project.root), "PATH": str(minimal_project.root / "content"),
                           "COMMISSIONING_NOW": SAMPLE_NOW})
    site = derive(load_dataset(config.data_dir, config.content_dir, config.root), config)
    site.settings = dataclasses.replace(site.settings, site_url="https://funding.testshire.example")
    download = next(f for f in threesixtygiving.files(site, []) if f.save_as.endswith(".json"))
    data = json.loads(download.content)
    assert not list(package_validator().iter_errors(data))
    grant = next(g for g in data["grants"] if g["id"].endswith("TPCC-2025-001"))
    assert grant["dataSource"] == "https://funding.testshire.example/funded-services/tpcc-2025-001/"
    assert grant["grantProgramme"][0]["url"] == "https://funding.testshire.example/funding-streams/moj-victims/"
    assert data["downloadURL"] == "https://funding.testshire.example/data/360giving.json"
    assert [g["id"] for g in data["grants"]] == ["360G-testshirepcc-TPCC-2025-001", "360G-testshirepcc-TPCC-2025-002",
                                                 "360G-testshirepcc-TPCC-2026-003"], "grants only, in id order"
