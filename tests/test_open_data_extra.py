"""The open data's later fields, on a small project built for them (not the sample): where grants
benefit in 360Giving, the Transparency Code's contract fields, the OCDS prefix, notices and delivery
areas, the labels beside the providers' codes, the funding register's statutory and recommissioning
columns, and column types seen through Optional[Annotated[...]]."""

from __future__ import annotations

import copy
import csv
import io
import json
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Optional

import openpyxl
import pytest
from frictionless import validate as frictionless_validate
from hypothesis import given, strategies as st
from jsonschema import Draft4Validator, Draft202012Validator
from pydantic import PlainValidator
from referencing import Registry
from referencing.jsonschema import DRAFT4, DRAFT202012

from conftest import Project
from minimal import AWARDED_OPPORTUNITY, MINIMAL_FILES

SCHEMAS = Path(__file__).parent / "schemas"
NOW = "2026-11-24T09:00"
FIND_A_TENDER = "https://www.find-tender.service.gov.uk/Notice/"

# --- the project: the minimal one with areas, notices and the Transparency Code's fields ----------

AREAS = """\
ocds_prefix: ocds-t3st01
areas:
  - code: testshire
    name: Testshire
    geo_code: E23000099
    geo_code_type: PFA
    whole: yes
  - code: testtown
    name: Testtown
    geo_code: E06000099
    geo_code_type: UA
  - code: othertown
    name: Othertown
    geo_code: E06000098
    geo_code_type: UA
"""
PROVIDERS = """\
id,name,organisation_type,charity_number,company_number,website,locality,real_living_wage,pension_scheme,no_zero_hours,policies_in_place,sme
GB-CHC-1000001,Testshire Victim Care,charity,1000001,,https://victimcare.example,Testtown,yes,yes,yes,yes,
GB-COH-00000002,Safe Steps Ltd,private-company,,00000002,,Othertown,yes,no,,,yes
360G-testshirepcc-youth-club,Riverside Youth Club,community-group,,,,Testtown,,,,,no
"""
AWARDS = """\
id,title,description,provider_id,funding_stream,priorities,award_type,route,amount_awarded,award_date,start_date,end_date,opportunity_id,co_commissioners,justification,contract_document,extends,areas,conditions,reasons,decision_record,decision_record_url,vat_not_recoverable,review_date,find_a_tender,recommissioning,recommissioning_route,recommissioning_date,recommissioning_note
TPCC-2025-001,Victim care service,Emotional and practical support for victims.,GB-CHC-1000001,moj-victims,victims,grant,open-call,150000,2025-03-01,2025-04-01,2028-03-31,OPP-2025-001,,,,,testtown;othertown,https://www.testshire-pcc.example/grant-conditions,Victims who cope and recover are less often harmed again.,PCC/D/2025/003,https://www.testshire-pcc.example/decisions/2025-003,,,,recommission,open-call,2027-09-01,Market engagement in spring 2027
TPCC-2025-002,Youth diversion,Activities for young people at risk.,360G-testshirepcc-youth-club,community-safety-fund,prevention,grant,invited,12000,2025-05-01,2025-06-01,2026-05-31,,,,,,,,,,,,,,,,,
TPCC-2026-003,Youth diversion renewal,Activities continue for another year.,360G-testshirepcc-youth-club,community-safety-fund,prevention;victims,grant,direct-award,12500,2026-05-01,2026-06-01,2027-05-31,,,Renewal of a successful pilot with the same provider.,,TPCC-2025-002,,,,,,,,,end,,,
TPCC-2025-004,Support line contract,Out-of-hours support line.,GB-COH-00000002,moj-victims,victims,contract,open-tender,300000,2025-06-01,2025-07-01,2028-06-30,OPP-2025-003,NHS Testshire,,https://contracts.example/1,,othertown,,,,,1200.50,2026-06-30,012345-2025,,,,
"""
TENDERED_OPPORTUNITY = """\
---
id: OPP-2025-003
title: Out-of-hours support line
summary: A contract for an out-of-hours support line for victims.
funding_stream: moj-victims
priorities: [victims]
award_type: contract
route: open-tender
funding_envelope: 300000
duration_months: 36
opens: 2025-03-03T09:00
closes: 2025-04-30T12:00
who_can_apply: [charity, private-company]
evaluation_criteria:
  - criterion: Quality
    weight: 100
areas: [othertown]
find_a_tender: 2025/S 000-004321
apply_email: funding@testshire-pcc.example
contact_email: funding@testshire-pcc.example
---
The line answers calls from victims outside office hours.
"""


def project_files() -> dict[str, str]:
    files = dict(MINIMAL_FILES)
    files["data/funder.yaml"] = MINIMAL_FILES["data/funder.yaml"] + AREAS
    files["data/providers.csv"] = PROVIDERS
    files["data/awards.csv"] = AWARDS
    files["data/opportunities/OPP-2025-003.md"] = TENDERED_OPPORTUNITY
    return files


def built(root: Path, files: dict[str, str], **settings) -> Path:
    project = Project(root)
    for name, text in files.items():
        project.write(name, text)
    result = project.build(now=NOW, **settings)
    assert result.code == 0, result.err
    return result.output


@pytest.fixture(scope="module")
def site_with_areas(tmp_path_factory) -> Path:
    """The project built with a public address, as a production build is."""
    return built(tmp_path_factory.mktemp("areas"), project_files(), SITEURL="https://funding.testshire.example")


@pytest.fixture(scope="module")
def site_without_areas(tmp_path_factory) -> Path:
    """The same data, with no areas in funder.yaml and none named by its records."""
    files = project_files()
    files["data/funder.yaml"] = MINIMAL_FILES["data/funder.yaml"]
    files["data/awards.csv"] = AWARDS.replace("testtown;othertown", "").replace(",othertown,", ",,")
    files["data/opportunities/OPP-2025-003.md"] = TENDERED_OPPORTUNITY.replace("areas: [othertown]\n", "")
    return built(tmp_path_factory.mktemp("no-areas"), files)


def read_csv(output: Path, name: str) -> tuple[list[str], dict[str, dict]]:
    """A CSV download's header and its rows by their first column."""
    reader = csv.DictReader(io.StringIO((output / "data" / name).read_bytes().decode("utf-8-sig"), newline=""))
    rows = list(reader)
    return reader.fieldnames, {row[reader.fieldnames[0]]: row for row in rows}


def fields_of(output: Path, resource: str) -> dict[str, dict]:
    package = json.loads((output / "data" / "datapackage.json").read_bytes())
    (found,) = [r for r in package["resources"] if r["name"] == resource]
    return {f["name"]: f for f in found["schema"]["fields"]}


# --- model_columns: the types of optional fields -----------------------------------------------------


def test_table_schema_type_sees_through_optional_and_annotated():
    from commissioning.open_data.files import table_schema_type

    money = Annotated[Decimal, PlainValidator(Decimal)]
    day = Annotated[date, PlainValidator(date.fromisoformat)]
    assert table_schema_type(Optional[money]) == "number"
    assert table_schema_type(day | None) == "date"
    assert table_schema_type(Optional[Annotated[int, PlainValidator(int)]]) == "integer"
    assert table_schema_type(Annotated[bool | None, PlainValidator(bool)]) == "boolean"
    assert table_schema_type(Optional[Annotated[str, PlainValidator(str)]]) == "string"
    assert table_schema_type(Annotated[list[str], PlainValidator(list)]) == "string"


TABLE_TYPES = [(Decimal, "number"), (int, "integer"), (bool, "boolean"), (date, "date"), (datetime, "datetime"), (str, "string")]


@given(st.sampled_from(TABLE_TYPES), st.lists(st.sampled_from(["optional", "annotated", "or-none"]), max_size=4))
def test_any_nesting_of_optional_and_annotated_keeps_the_type(base, wrappers):
    from commissioning.open_data.files import table_schema_type

    annotation, expected = base
    for wrapper in wrappers:
        if wrapper == "optional":
            annotation = Optional[annotation]
        elif wrapper == "annotated":
            annotation = Annotated[annotation, PlainValidator(str)]
        else:
            annotation = annotation | None
    assert table_schema_type(annotation) == expected


def test_optional_amounts_and_dates_are_typed_in_the_data_package(site_with_areas):
    register = fields_of(site_with_areas, "funding-register")
    assert register["vat_not_recoverable"]["type"] == "number"  # Optional[Money]: it was "string"
    assert register["review_date"]["type"] == "date"
    assert register["recommissioning_date"]["type"] == "date"
    assert fields_of(site_with_areas, "opportunities")["decision_by"]["type"] == "date"
    report = frictionless_validate(site_with_areas / "data" / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]


# --- 360Giving: beneficiary location ------------------------------------------------------------------


def grants(output: Path) -> dict[str, dict]:
    """The grants in 360giving.json by our reference (TPCC-2025-001)."""
    data = json.loads((output / "data" / "360giving.json").read_bytes())
    return {g["id"].removeprefix("360G-testshirepcc-"): g for g in data["grants"]}


def package_validator() -> Draft202012Validator:
    package = json.loads((SCHEMAS / "360giving" / "360-giving-package-schema.json").read_text(encoding="utf-8"))
    grant = json.loads((SCHEMAS / "360giving" / "360-giving-schema.json").read_text(encoding="utf-8"))
    resource = DRAFT202012.create_resource(grant)
    registry = Registry().with_resources([(grant["$id"], resource), (package["properties"]["grants"]["items"]["$ref"], resource)])
    return Draft202012Validator(package, registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER)


def geo_code_types() -> dict[str, set[str]]:
    """360Giving's geoCodeType codes, each with the ONS entity codes (E06, E23 ...) its geoCodes start with."""
    found: dict[str, set[str]] = {}
    with open(SCHEMAS / "360giving" / "codelists" / "geoCodeType.csv", encoding="utf-8", newline="") as file:
        for row in csv.DictReader(file):
            found.setdefault(row["Code"], set()).add(row["Documentation (URL)"].rstrip("/").rsplit("/", 1)[1])
    return found


def test_each_grant_benefits_where_its_award_says_or_the_whole_area(site_with_areas):
    found = grants(site_with_areas)
    testtown = {"name": "Testtown", "countryCode": "GB", "geoCode": "E06000099", "geoCodeType": "UA"}
    othertown = {"name": "Othertown", "countryCode": "GB", "geoCode": "E06000098", "geoCodeType": "UA"}
    whole = {"name": "Testshire", "countryCode": "GB", "geoCode": "E23000099", "geoCodeType": "PFA"}
    assert found["TPCC-2025-001"]["beneficiaryLocation"] == [testtown, othertown]
    assert found["TPCC-2025-002"]["beneficiaryLocation"] == [whole], "no areas named: the whole area"
    assert found["TPCC-2026-003"]["beneficiaryLocation"] == [whole]
    data = json.loads((site_with_areas / "data" / "360giving.json").read_bytes())
    errors = list(package_validator().iter_errors(data))
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors[:5]]


def test_a_recipient_based_in_one_of_the_areas_has_it_as_its_location(site_with_areas):
    found = grants(site_with_areas)
    (victim_care,) = found["TPCC-2025-001"]["recipientOrganization"]
    assert victim_care["location"] == [{"name": "Testtown", "countryCode": "GB", "geoCode": "E06000099", "geoCodeType": "UA"}]


def test_360giving_location_no_grant_lacks_a_beneficiary_location(site_with_areas):
    """The Data Quality Tool's NoBeneficiaryLocation."""
    assert [g for g, grant in grants(site_with_areas).items() if not grant.get("beneficiaryLocation")] == []


def test_360giving_location_every_location_has_a_name_country_and_code(site_with_areas):
    """BeneficiaryLocationNameButNoCode, and the dashboard's name, country code and geoCode present checks."""
    for ident, grant in grants(site_with_areas).items():
        for where in grant["beneficiaryLocation"]:
            assert where.get("name") and where.get("countryCode") == "GB" and where.get("geoCode"), (ident, where)


def test_360giving_location_code_types_are_360givings_and_agree_with_the_codes(site_with_areas):
    types = geo_code_types()
    seen = set()
    for ident, grant in grants(site_with_areas).items():
        for where in [*grant["beneficiaryLocation"], *(l for r in grant["recipientOrganization"] for l in r.get("location", []))]:
            assert where["geoCodeType"] in types, (ident, where)
            assert where["geoCode"][:3] in types[where["geoCodeType"]], (ident, where, "the code is not of its type")
            seen.add(where["geoCodeType"])
    assert seen == {"UA", "PFA"}


def test_360giving_location_beneficiary_and_recipient_locations_go_together(site_with_areas):
    """BeneficiaryButNotRecipientGeoData, RecipientGeoDataButNoBeneficiary and IncompleteRecipientOrg,
    where every provider's locality is one of the funder's areas."""
    for ident, grant in grants(site_with_areas).items():
        recipient = grant["recipientOrganization"][0]
        assert recipient.get("postalCode") or any(l.get("geoCode") for l in recipient.get("location", [])), ident
        assert grant["beneficiaryLocation"], ident


def test_the_360giving_spreadsheet_has_the_first_beneficiary_location(site_with_areas):
    _, rows = read_csv(site_with_areas, "360giving.csv")
    row = rows["360G-testshirepcc-TPCC-2025-001"]
    assert (row["Beneficiary Location:Name"], row["Beneficiary Location:Country Code"],
            row["Beneficiary Location:Geographic Code"], row["Beneficiary Location:Geographic Code Type"]) == (
        "Testtown", "GB", "E06000099", "UA")
    assert rows["360G-testshirepcc-TPCC-2025-002"]["Beneficiary Location:Geographic Code"] == "E23000099"


def test_without_areas_grants_have_no_location_and_stay_valid(site_without_areas):
    data = json.loads((site_without_areas / "data" / "360giving.json").read_bytes())
    assert all("beneficiaryLocation" not in g for g in data["grants"])
    assert all("location" not in r for g in data["grants"] for r in g["recipientOrganization"])
    assert not list(package_validator().iter_errors(data))
    _, rows = read_csv(site_without_areas, "360giving.csv")
    assert {r["Beneficiary Location:Name"] for r in rows.values()} == {""}


# --- contracts.csv: the Transparency Code's fields ------------------------------------------------------


def test_contracts_csv_has_the_sme_flag_vat_review_date_and_notice(site_with_areas):
    columns, rows = read_csv(site_with_areas, "contracts.csv")
    for name in ("sme", "vcse", "vat_not_recoverable", "review_date", "find_a_tender", "find_a_tender_url"):
        assert name in columns, name
    row = rows["TPCC-2025-004"]
    assert (row["sme"], row["vcse"]) == ("yes", "no"), "a private company that is an SME"
    assert Decimal(row["vat_not_recoverable"]) == Decimal("1200.50")
    assert row["review_date"] == "2026-06-30"
    assert row["find_a_tender"] == "012345-2025"
    assert row["find_a_tender_url"] == FIND_A_TENDER + "012345-2025"
    assert row["supplier_company_number"] == "00000002", "the leading zeros are kept"
    schema = fields_of(site_with_areas, "contracts")
    assert (schema["sme"]["type"], schema["vat_not_recoverable"]["type"], schema["review_date"]["type"]) == (
        "boolean", "number", "date")


def test_contracts_csv_leaves_the_fields_empty_when_unknown(tmp_path):
    files = project_files()
    files["data/awards.csv"] = AWARDS.replace(",1200.50,2026-06-30,012345-2025,", ",,,,")
    files["data/providers.csv"] = PROVIDERS.replace(",Othertown,yes,no,,,yes", ",Othertown,yes,no,,,")
    _, rows = read_csv(built(tmp_path, files), "contracts.csv")
    row = rows["TPCC-2025-004"]
    assert [row[n] for n in ("sme", "vat_not_recoverable", "review_date", "find_a_tender", "find_a_tender_url")] == [""] * 5


# --- OCDS: the prefix, Find a Tender notices and where the services are delivered -------------------


def ocds_validator(extended: bool = True) -> Draft4Validator:
    """The release package schema; its release schema patched with the Location extension, as OCDS's
    tools patch the core schema with each extension a package lists (definitions and properties merged)."""
    base = SCHEMAS / "ocds-1.1.5"
    package = json.loads((base / "release-package-schema.json").read_text(encoding="utf-8"))
    release = json.loads((base / "release-schema.json").read_text(encoding="utf-8"))
    if extended:
        extension = json.loads((base / "extensions" / "location" / "release-schema.json").read_text(encoding="utf-8"))
        release = merged(release, extension)
    registry = Registry().with_resource(package["properties"]["releases"]["items"]["$ref"], DRAFT4.create_resource(release))
    return Draft4Validator(package, registry=registry, format_checker=Draft4Validator.FORMAT_CHECKER)


def merged(schema: dict, patch: dict) -> dict:
    """A JSON Merge Patch (RFC 7386), which is how an OCDS extension changes the release schema."""
    result = copy.deepcopy(schema)
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        elif isinstance(value, dict) and isinstance(result.get(key), dict):
            result[key] = merged(result[key], value)
        else:
            result[key] = copy.deepcopy(value)
    return result


def ocds(output: Path) -> dict:
    return json.loads((output / "data" / "ocds.json").read_bytes())


def test_the_ocids_use_the_registered_prefix(site_with_areas):
    (release,) = ocds(site_with_areas)["releases"]
    assert release["ocid"] == "ocds-t3st01-TPCC-2025-004"
    assert release["id"].startswith("ocds-t3st01-TPCC-2025-004-")


def test_find_a_tender_notices_are_documents_of_the_tender_and_the_award(site_with_areas):
    (release,) = ocds(site_with_areas)["releases"]
    (award,) = release["awards"]
    assert award["documents"] == [{"id": "012345-2025", "documentType": "awardNotice",
                                   "title": "The notice on Find a Tender", "url": FIND_A_TENDER + "012345-2025"}]
    notices = [d for d in release["tender"]["documents"] if d["id"] == "2025/S 000-004321"]
    assert notices == [{"id": "2025/S 000-004321", "documentType": "tenderNotice",
                        "title": "The notice on Find a Tender", "url": FIND_A_TENDER + "004321-2025"}]
    documents = {row["Code"] for row in csv.DictReader(open(SCHEMAS / "ocds-1.1.5" / "codelists" / "documentType.csv", encoding="utf-8"))}
    assert {"awardNotice", "tenderNotice"} <= documents


def test_each_award_and_contract_is_delivered_in_its_areas(site_with_areas):
    data = ocds(site_with_areas)
    (release,) = data["releases"]
    othertown = [{"id": "othertown", "description": "Support line contract",
                  "deliveryAddress": {"region": "Othertown", "countryName": "United Kingdom"},
                  "deliveryLocation": {"description": "Othertown",
                                       "uri": "http://statistics.data.gov.uk/id/statistical-geography/E06000098"}}]
    assert release["awards"][0]["items"] == othertown
    assert release["contracts"][0]["items"] == othertown
    assert [i["id"] for i in release["tender"]["items"]] == ["othertown"], "the opportunity's areas"
    assert data["extensions"] == [
        "https://raw.githubusercontent.com/open-contracting-extensions/ocds_location_extension/v1.1.5/extension.json"]
    errors = list(ocds_validator().iter_errors(data))
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors[:5]]
    assert not list(ocds_validator(extended=False).iter_errors(data)), "and valid against the core schema alone"


def test_the_extended_schema_catches_a_bad_delivery_location(site_with_areas):
    data = ocds(site_with_areas)
    data["releases"][0]["contracts"][0]["items"][0]["deliveryLocation"]["gazetteer"] = {"identifiers": [7]}
    assert list(ocds_validator().iter_errors(data))


def test_without_areas_no_items_and_no_extension(site_without_areas):
    data = ocds(site_without_areas)
    assert "extensions" not in data
    (release,) = data["releases"]
    assert all("items" not in s for s in (release["tender"], *release["awards"], *release["contracts"]))
    assert release["ocid"] == "ocds-testshirepcc-TPCC-2025-004", "no ocds_prefix: the placeholder"
    assert not list(ocds_validator(extended=False).iter_errors(data))


# --- providers.csv: the words beside the code -------------------------------------------------------------


def test_providers_csv_has_the_organisation_type_in_words_beside_its_code(site_with_areas):
    columns, rows = read_csv(site_with_areas, "providers.csv")
    assert columns[columns.index("organisation_type") + 1] == "organisation_type_label"
    assert [rows[i]["organisation_type_label"] for i in ("GB-CHC-1000001", "GB-COH-00000002", "360G-testshirepcc-youth-club")] == [
        "Charity", "Private company", "Community group"]
    assert rows["GB-COH-00000002"]["company_number"] == "00000002"
    assert rows["GB-COH-00000002"]["sme"] == "yes" and rows["360G-testshirepcc-youth-club"]["sme"] == "no"
    book = openpyxl.load_workbook(site_with_areas / "data" / "providers.xlsx")
    sheet = book["Data"]
    header = [c.value for c in sheet[1]]
    cells = {row[0].value: dict(zip(header, row)) for row in sheet.iter_rows(min_row=2)}
    assert cells["GB-COH-00000002"]["organisation_type_label"].value == "Private company"
    assert cells["GB-COH-00000002"]["company_number"].data_type == "s"
    assert cells["GB-COH-00000002"]["company_number"].value == "00000002"


# --- funding-register.csv: the statutory, delivery and recommissioning columns ---------------------------


def test_funding_register_has_the_new_award_columns_with_their_words(site_with_areas):
    columns, rows = read_csv(site_with_areas, "funding-register.csv")
    for code, label in (("areas", "area_names"), ("find_a_tender", "find_a_tender_url"),
                        ("recommissioning", "recommissioning_label"),
                        ("recommissioning_route", "recommissioning_route_label")):
        assert columns.index(label) == columns.index(code) + 1, label
    grant = rows["TPCC-2025-001"]
    assert (grant["areas"], grant["area_names"]) == ("testtown;othertown", "Testtown; Othertown")
    assert grant["conditions"] == "https://www.testshire-pcc.example/grant-conditions"
    assert grant["reasons"] == "Victims who cope and recover are less often harmed again."
    assert (grant["decision_record"], grant["decision_record_url"]) == (
        "PCC/D/2025/003", "https://www.testshire-pcc.example/decisions/2025-003")
    assert (grant["recommissioning"], grant["recommissioning_label"]) == ("recommission", "To be recommissioned")
    assert (grant["recommissioning_route"], grant["recommissioning_route_label"]) == ("open-call", "Open call")
    assert (grant["recommissioning_date"], grant["recommissioning_note"]) == ("2027-09-01", "Market engagement in spring 2027")
    assert (rows["TPCC-2025-002"]["areas"], rows["TPCC-2025-002"]["area_names"]) == ("", "Testshire"), "the whole area"
    assert (rows["TPCC-2026-003"]["recommissioning_label"], rows["TPCC-2026-003"]["recommissioning_route_label"]) == (
        "Not to be recommissioned", "")
    contract = rows["TPCC-2025-004"]
    assert (contract["find_a_tender"], contract["find_a_tender_url"]) == ("012345-2025", FIND_A_TENDER + "012345-2025")
    assert (Decimal(contract["vat_not_recoverable"]), contract["review_date"]) == (Decimal("1200.50"), "2026-06-30")


def test_the_new_columns_are_explained_for_a_reader(site_with_areas):
    from commissioning.load.models import Award, Provider

    register = fields_of(site_with_areas, "funding-register")
    explained = {**register, **fields_of(site_with_areas, "contracts"), **fields_of(site_with_areas, "providers")}
    added = [n for n in [*Award.model_fields, *Provider.model_fields] if n in explained]
    assert {"areas", "conditions", "reasons", "decision_record", "sme", "vat_not_recoverable"} <= set(added)
    for name, field in explained.items():
        text = field["description"]
        assert text and not any(note in text for note in ("funder.yaml", "awards.csv", "`", "added field")), (name, text)
    assert "pounds" in register["vat_not_recoverable"]["description"], "so the workbook formats it as money"
    page = (site_with_areas / "data" / "index.html").read_text(encoding="utf-8")
    assert "recommissioning_route_label" in page and "area_names" in page, "the data page explains them too"
