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
    assert [c for c in columns if c not in awards[0]] == [
        "provider_name", "organisation_type", "organisation_type_label", "funding_stream_title", "priority_titles",
        "award_type_label", "route_label", "area_names", "find_a_tender_url", "recommissioning_label",
        "recommissioning_route_label", "status", "status_label", "grant_id", "url"]
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
    from commissioning.load import codes
    columns, rows, _ = read_download(sample_site, "providers.csv")
    source = read_source("providers.csv")
    assert [c for c in columns if c != "organisation_type_label"] == list(source[0])
    assert columns.index("organisation_type_label") == columns.index("organisation_type") + 1
    by_id = {r["id"]: r for r in rows}
    assert len(rows) == len(source)
    for provider in source:
        assert by_id[provider["id"]] == {**{k: as_written(v.strip().lower() if k in (
            "real_living_wage", "pension_scheme", "no_zero_hours", "policies_in_place", "sme") else v)
            for k, v in provider.items()}, "organisation_type_label": codes.ORGANISATION_TYPES[provider["organisation_type"]]}


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
        assert grant["dateModified"][:10] >= award["award_date"]  # or its latest payment's day: tested below
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
        "Amount Awarded": ["amountAwarded"], "Amount Disbursed": ["amountDisbursed"], "Award Date": ["awardDate"],
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
        "Related Activity": ["relatedActivity"],
        "Beneficiary Location:Name": ["beneficiaryLocation", "name"],
        "Beneficiary Location:Country Code": ["beneficiaryLocation", "countryCode"],
        "Beneficiary Location:Geographic Code": ["beneficiaryLocation", "geoCode"],
        "Beneficiary Location:Geographic Code Type": ["beneficiaryLocation", "geoCodeType"],
    }
    assert columns == list(paths)
    for title, path in paths.items():
        assert schema_title(path) == title, "the column title is the schema's"
    assert len(rows) == len(grants)
    for row, grant in zip(rows, grants):
        for title, path in paths.items():
            value = grant.get(path[0], "")
            if len(path) == 2:
                value = value[0].get(path[1], "")
            elif isinstance(value, list):
                value = ";".join(value)
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


def test_json_downloads_are_compact_and_parse(sample_site):
    """No indentation and no space after a separator (at scale indentation was a third of ocds.json), and
    text as UTF-8 rather than \\u escapes: each file is exactly the compact writing of what it parses to."""
    files = {p.name: p.read_bytes() for p in (sample_site / "data").glob("*.json")}
    assert {"360giving.json", "ocds.json", "opportunities.json", "datapackage.json"} <= set(files)
    for name, raw in files.items():
        data = json.loads(raw)
        assert data, name
        assert raw == json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), name
    assert any(byte > 127 for byte in files["datapackage.json"]), "the sample has text outside ASCII to check this on"


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


# --- 360Giving: the Data Quality Tool's accuracy and usefulness checks that apply ---------------------
# 360Giving's Data Quality Tool (lib360dataquality) runs these on a file beyond the schema; each test
# here is one of them, on the sample's 360giving.json, written out rather than taken from the code.

# Organisation identifier lists (org-id.guide) that the recipients of UK police and crime grants are
# registered in, and 360G for those with none; the tool reads the full list from org-id.guide.
RECOGNISED_ORG_ID_PREFIXES = ("GB-CHC-", "GB-COH-", "GB-SC-", "GB-NIC-", "GB-GOR-", "GB-LAE-", "GB-LAS-", "GB-LANI-",
                              "GB-PLA-", "GB-NHS-", "GB-EDU-", "GB-UKPRN-", "GB-MPR-", "GB-SHPE-", "GB-CASC-", "360G-")
EMAIL_LIKE = re.compile(r"[\w.-]+@[\w.-]+\.[\w.-]+")


def grants_360(output: Path) -> list[dict]:
    return json.loads((output / "data" / "360giving.json").read_bytes())["grants"]


def is_charity_number(text: str) -> bool:
    """As the tool checks a charity number: 6 or 7 digits, after any two-letter prefix."""
    text = text[2:] if text[:2].isalpha() else text
    return text.isdigit() and len(text) in (6, 7)


def is_company_number(text: str) -> bool:
    """As the tool checks a company number: 8 letters or digits (01234567, SC123456)."""
    return re.fullmatch(r"\w{8}", text) is not None


def test_360giving_quality_no_grant_has_an_amount_of_zero(sample_site):
    assert [g["id"] for g in grants_360(sample_site) if g["amountAwarded"] == 0] == []


def test_360giving_quality_no_award_date_is_in_the_future(sample_site):
    late = [g["id"] for g in grants_360(sample_site) if date.fromisoformat(g["awardDate"][:10]) > TODAY]
    assert late == []


def test_360giving_quality_no_title_is_longer_than_140_characters(sample_site):
    assert [g["id"] for g in grants_360(sample_site) if len(g["title"]) > 140] == []


def test_360giving_quality_no_title_is_the_same_as_its_description(sample_site):
    assert [g["id"] for g in grants_360(sample_site) if g["title"] == g["description"]] == []


def test_360giving_quality_every_identifier_has_the_funders_prefix(sample_site):
    prefix = funder()["grant_id_prefix"]
    assert [g["id"] for g in grants_360(sample_site) if not g["id"].startswith(prefix + "-")] == []


def test_360giving_quality_no_date_modified_is_before_the_award_date(sample_site):
    for grant in grants_360(sample_site):
        modified = date.fromisoformat(grant["dateModified"][:10])
        assert modified >= date.fromisoformat(grant["awardDate"][:10]), grant["id"]


def test_360giving_quality_no_planned_end_is_before_its_start(sample_site):
    for grant in grants_360(sample_site):
        for planned in grant["plannedDates"]:
            assert planned["endDate"] >= planned["startDate"], grant["id"]
            assert planned["duration"] > 0, grant["id"]


def test_360giving_quality_every_date_exists(sample_site):
    for grant in grants_360(sample_site):
        for text in (grant["awardDate"], *(d[k] for d in grant["plannedDates"] for k in ("startDate", "endDate"))):
            date.fromisoformat(text[:10])  # 31 September or 29 February of a common year would raise


def test_360giving_quality_org_ids_have_a_recognised_prefix_and_look_valid(sample_site):
    for grant in grants_360(sample_site):
        for organisation in (*grant["recipientOrganization"], *grant["fundingOrganization"]):
            ident = organisation["id"]
            assert ident.upper().startswith(RECOGNISED_ORG_ID_PREFIXES), (grant["id"], ident)
            if ident.upper().startswith("GB-CHC-"):
                assert is_charity_number(ident[7:]), ident
            if ident.upper().startswith("GB-COH-"):
                assert is_company_number(ident[7:]), ident


def test_360giving_quality_charity_and_company_numbers_look_right(sample_site):
    numbers = 0
    for grant in grants_360(sample_site):
        for recipient in grant["recipientOrganization"]:
            if "charityNumber" in recipient:
                assert is_charity_number(recipient["charityNumber"]), recipient
                numbers += 1
            if "companyNumber" in recipient:
                assert is_company_number(recipient["companyNumber"]), recipient
                numbers += 1
    assert numbers


def test_360giving_quality_a_360g_recipient_id_only_where_there_is_no_register_number(sample_site):
    """The tool suggests a register's id wherever there is one: only unregistered groups get our own."""
    for grant in grants_360(sample_site):
        for recipient in grant["recipientOrganization"]:
            if recipient["id"].lower().startswith("360g"):
                assert not recipient.get("charityNumber") and not recipient.get("companyNumber"), recipient["id"]


def test_360giving_quality_one_funding_organisation(sample_site):
    assert {o["id"] for g in grants_360(sample_site) for o in g["fundingOrganization"]} == {funder()["org_id"]}


def test_360giving_quality_no_text_looks_like_an_email_address(sample_site):
    def texts(node, key=""):
        if isinstance(node, dict):
            for name, value in node.items():
                yield from texts(value, name)
        elif isinstance(node, list):
            for value in node:
                yield from texts(value, key)
        elif isinstance(node, str) and "email" not in key.lower():
            yield node
    assert [t for g in grants_360(sample_site) for t in texts(g) if EMAIL_LIKE.search(t)] == []


def test_360giving_usefulness_programme_last_modified_and_data_source_on_every_grant(sample_site):
    for grant in grants_360(sample_site):
        assert grant.get("grantProgramme") and grant.get("dateModified") and grant.get("dataSource"), grant["id"]


def test_360giving_usefulness_every_grant_is_classified_by_its_priorities_and_stream(sample_site):
    info = funder()
    awards = {f"{info['grant_id_prefix']}-{a['id']}": a for a in read_source("awards.csv")}
    priorities = {p["code"]: p["title"] for p in info["priorities"]}
    streams = {s["code"]: s["title"] for s in info["funding_streams"]}
    for grant in grants_360(sample_site):
        award = awards[grant["id"]]
        expected = [{"vocabulary": f"{info['org_id']}-priorities", "code": code, "title": priorities[code]}
                    for code in award["priorities"].split(";")]
        expected.append({"vocabulary": f"{info['org_id']}-funding-streams", "code": award["funding_stream"],
                         "title": streams[award["funding_stream"]]})
        assert [{k: c[k] for k in ("vocabulary", "code", "title")} for c in grant["classifications"]] == expected


def test_360giving_usefulness_every_grant_has_a_beneficiary_location_with_a_code(sample_site):
    """NoBeneficiaryLocation and BeneficiaryLocationNameButNoCode: each grant's areas, or the whole area."""
    info = funder()
    areas = {a["code"]: a for a in info["areas"]}
    whole = next(a for a in info["areas"] if a.get("whole"))
    awards = {f"{info['grant_id_prefix']}-{a['id']}": a for a in read_source("awards.csv")}
    for grant in grants_360(sample_site):
        named = [areas[c] for c in awards[grant["id"]]["areas"].split(";") if c] or [whole]
        assert grant["beneficiaryLocation"] == [
            {"name": a["name"], "countryCode": "GB", "geoCode": a["geo_code"], "geoCodeType": a["geo_code_type"]}
            for a in named], grant["id"]


def payment_rows() -> list[dict]:
    rows = []
    for path in sorted((REPO / "data" / "payments").glob("*.csv")):
        with open(path, encoding="utf-8-sig", newline="") as file:
            rows.extend({**row, "year": path.stem} for row in csv.DictReader(file))
    return rows


def test_360giving_renewals_disbursements_and_the_last_change_come_from_the_data(sample_site):
    info = funder()
    prefix = info["grant_id_prefix"]
    awards = {f"{prefix}-{a['id']}": a for a in read_source("awards.csv")}
    payments = payment_rows()
    records_from = date(int(min(p["year"] for p in payments)[:4]), 4, 1)
    renewals = disbursed = 0
    for grant in grants_360(sample_site):
        award = awards[grant["id"]]
        if award["extends"]:
            assert grant["relatedActivity"] == [f"{prefix}-{award['extends']}"]
            renewals += 1
        else:
            assert "relatedActivity" not in grant
        paid = [p for p in payments if p["award_id"] == award["id"]]
        if date.fromisoformat(award["award_date"]) >= records_from:
            assert Decimal(str(grant["amountDisbursed"])) == sum((Decimal(p["amount"]) for p in paid), Decimal(0))
            disbursed += 1
        else:
            assert "amountDisbursed" not in grant, "the payment records start after it was made: the sum would be short"
        last = max([award["award_date"], *(p["date"] for p in paid)])
        assert grant["dateModified"].startswith(last + "T00:00:00"), grant["id"]
    assert renewals and disbursed, "the sample has renewed grants and grants paid within the records"


# --- labels beside codes, local dates and times, addresses, descriptions for a reader ---------------

# The columns each file had before labels were added: they keep their names and order.
EARLIER_COLUMNS = {
    "funding-register.csv": ["id", "title", "description", "provider_id", "provider_name", "organisation_type",
                             "funding_stream", "priorities", "award_type", "route", "amount_awarded", "award_date",
                             "start_date", "end_date", "opportunity_id", "co_commissioners", "justification",
                             "contract_document", "extends", "status", "grant_id"],
    "contracts.csv": ["reference", "title", "description", "buyer", "supplier_name", "supplier_id",
                      "supplier_company_number", "supplier_charity_number", "supplier_organisation_type", "vcse",
                      "value", "annual_value", "award_date", "start_date", "end_date", "route", "invitation_to_tender",
                      "justification", "co_commissioners", "contract_document"],
    "spend-2025-26.csv": ["payment_id", "date", "financial_year", "provider_id", "provider_name", "organisation_type",
                          "award_id", "award_title", "award_type", "funding_stream", "funding_stream_title",
                          "priorities", "priority_titles", "amount", "description", "invoice_received", "days_to_pay",
                          "period"],
}
# Each code column and the column right after it, which holds its words.
LABELLED = {
    "funding-register.csv": {"organisation_type": "organisation_type_label", "funding_stream": "funding_stream_title",
                             "priorities": "priority_titles", "award_type": "award_type_label", "route": "route_label",
                             "status": "status_label"},
    "opportunities.csv": {"status": "status_label", "funding_stream": "funding_stream_title",
                          "priorities": "priority_titles", "award_type": "award_type_label", "route": "route_label",
                          "who_can_apply": "who_can_apply_labels"},
    "contracts.csv": {"supplier_organisation_type": "supplier_organisation_type_label", "route": "route_label"},
    "spend-2025-26.csv": {"organisation_type": "organisation_type_label", "award_type": "award_type_label",
                          "funding_stream": "funding_stream_title", "priorities": "priority_titles"},
}


def labels_of() -> dict[str, str]:
    """Every code's words: the code lists', and funder.yaml's stream and priority titles."""
    from commissioning.load import codes
    info = funder()
    return {**codes.ORGANISATION_TYPES, **codes.AWARD_TYPES, **codes.ROUTES, **codes.OPPORTUNITY_STATUSES,
            **codes.AWARD_STATUSES, **{s["code"]: s["title"] for s in info["funding_streams"]},
            **{p["code"]: p["title"] for p in info["priorities"]}}


def test_earlier_columns_keep_their_names_and_order(sample_site):
    for name, earlier in EARLIER_COLUMNS.items():
        columns, _, _ = read_download(sample_site, name)
        assert [c for c in columns if c in earlier] == earlier, name


def test_every_code_column_has_its_words_beside_it(sample_site):
    labels = labels_of()
    for name, pairs in LABELLED.items():
        columns, rows, _ = read_download(sample_site, name)
        for code, label in pairs.items():
            assert columns.index(label) == columns.index(code) + 1, (name, label)
        for row in rows:
            for code, label in pairs.items():
                codes_here = [c for c in row[code].split(";") if c]
                words = [w.strip() for w in re.split(r";", row[label]) if w.strip()]
                assert words == [labels[c] for c in codes_here], (name, row[code], row[label])


def test_opportunities_csv_has_the_uk_date_and_time_beside_opens_and_closes(sample_site):
    from datetime import datetime
    from zoneinfo import ZoneInfo
    columns, rows, _ = read_download(sample_site, "opportunities.csv")
    for moment in ("opens", "closes"):
        assert columns[columns.index(moment) + 1: columns.index(moment) + 3] == [f"{moment}_date", f"{moment}_time"]
        for row in rows:
            local = datetime.fromisoformat(row[moment]).astimezone(ZoneInfo("Europe/London"))
            assert row[f"{moment}_date"] == local.date().isoformat()
            assert row[f"{moment}_time"] == local.strftime("%H:%M:%S")
    assert {r["opens"][-6:] for r in rows} >= {"+00:00", "+01:00"}, "the sample opens in winter and in summer"


def test_downloads_link_absolutely_in_a_production_build(minimal_project):
    site = "https://funding.testshire.example"
    minimal_project.replace("data/opportunities/OPP-2026-002.md", "apply_url: https://apply.example/opp-2026-002\n",
                            "apply_url: https://apply.example/opp-2026-002\ndocuments:\n  - title: Specification\n"
                            "    url: documents/spec.pdf\n  - title: Needs\n    url: https://www.testshire-pcc.example/needs.docx\n")
    minimal_project.write("content/documents/spec.pdf", b"%PDF-1.4\n")
    result = minimal_project.build(now="2026-11-24T09:00", SITEURL=site)
    assert result.code == 0, result.err
    _, register, _ = read_download(result.output, "funding-register.csv")
    assert [r["url"] for r in register] == [f"{site}/funded-services/{r['id'].lower()}/" for r in register]
    _, contracts, _ = read_download(result.output, "contracts.csv")
    assert all(r["url"].startswith(f"{site}/funded-services/") for r in contracts)
    _, opportunities, _ = read_download(result.output, "opportunities.csv")
    assert all(r["url"] == f"{site}/opportunities/{r['id'].lower()}/" for r in opportunities)
    documents = [d for o in json.loads((result.output / "data" / "opportunities.json").read_bytes())["opportunities"]
                 for d in o["documents"]]
    assert documents and all(d["url"].startswith(("https://", "http://")) for d in documents)
    assert any(d["url"].startswith(f"{site}/documents/") for d in documents), "a document under content/ gets the site's address"


def test_column_descriptions_are_written_for_a_reader(sample_site):
    package = json.loads((sample_site / "data" / "datapackage.json").read_bytes())
    ours = ("funding-register", "providers", "contracts", "opportunities", "360giving", "spend-")
    for resource in package["resources"]:
        if not resource["name"].startswith(ours):
            continue
        for field in resource["schema"]["fields"]:
            text = field["description"]
            assert not any(note in text for note in ("funder.yaml", "awards.csv", "`", "added field", "derived when")), \
                (resource["name"], field["name"], text)


def test_every_sample_grant_has_recipient_and_beneficiary_locations_with_codes(sample_site):
    """360Giving's location checks (BeneficiaryButNotRecipientGeoData, IncompleteRecipientOrg) pass on the
    sample: every provider names its area, so every recipient has a coded location."""
    data = json.loads((sample_site / "data" / "360giving.json").read_bytes())
    for grant in data["grants"]:
        recipient = grant["recipientOrganization"][0]
        assert any(l.get("geoCode") for l in recipient.get("location", [])), grant["id"]
        assert all(l.get("geoCode") for l in grant["beneficiaryLocation"]), grant["id"]
