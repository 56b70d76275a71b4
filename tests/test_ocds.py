"""data/ocds.json: the contracts as an OCDS 1.1 release package, valid against the official schema and
codelists (tests/schemas/ocds-1.1.5, offline), and true to the data it came from: one release per
contract, its tender from its opportunity, its payments as transactions."""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
import yaml
from jsonschema import Draft4Validator
from referencing import Registry
from referencing.jsonschema import DRAFT4

from conftest import REPO, SAMPLE_NOW, page

SCHEMAS = Path(__file__).parent / "schemas" / "ocds-1.1.5"
UK = ZoneInfo("Europe/London")
TODAY = date.fromisoformat(SAMPLE_NOW[:10])
# The routes of the data contract and OCDS's procurement methods, written out here (not read from the code).
METHODS = {"open-call": "open", "open-tender": "open", "competitive-dialogue": "selective", "invited": "limited",
           "direct-award": "direct", "single-tender-action": "direct"}


def validator() -> Draft4Validator:
    package = json.loads((SCHEMAS / "release-package-schema.json").read_text(encoding="utf-8"))
    release = json.loads((SCHEMAS / "release-schema.json").read_text(encoding="utf-8"))
    registry = Registry().with_resource(package["properties"]["releases"]["items"]["$ref"],
                                        DRAFT4.create_resource(release))
    return Draft4Validator(package, registry=registry, format_checker=Draft4Validator.FORMAT_CHECKER)


def codelist(name: str) -> set[str]:
    with open(SCHEMAS / "codelists" / name, encoding="utf-8", newline="") as file:
        return {row["Code"] for row in csv.DictReader(file)}


def read_source(name: str) -> list[dict]:
    with open(REPO / "data" / name, encoding="utf-8-sig", newline="") as file:
        return list(csv.DictReader(file))


def payments_by_award() -> dict[str, list[dict]]:
    """Every payment in the sample, by award, with its id as the spend files give it (year:line)."""
    found = defaultdict(list)
    for path in sorted((REPO / "data" / "payments").glob("*.csv")):
        with open(path, encoding="utf-8-sig", newline="") as file:
            for line, row in enumerate(csv.DictReader(file), start=2):
                if row["award_id"]:
                    found[row["award_id"]].append({**row, "id": f"{path.stem}:{line}"})
    return found


def opportunity(ident: str) -> dict:
    text = (REPO / "data" / "opportunities" / f"{ident}.md").read_text(encoding="utf-8")
    return yaml.safe_load(text.split("---")[1])


@pytest.fixture(scope="module")
def package(sample_site) -> dict:
    return json.loads((sample_site / "data" / "ocds.json").read_bytes())


def test_ocds_json_is_valid_against_the_release_package_schema(package):
    errors = sorted(validator().iter_errors(package), key=lambda e: list(e.absolute_path))
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors[:5]]
    assert package["version"] == "1.1"


@pytest.mark.parametrize("spoil", [
    lambda d: d["releases"][0].pop("ocid"),
    lambda d: d["releases"][0].update(tag=["awarded"]),
    lambda d: d["releases"][0]["contracts"][0].update(status="ended"),
    lambda d: d["releases"][0].update(date="2025-04-01"),
    lambda d: d.update(uri="data/ocds.json"),
])
def test_the_schema_check_catches_a_spoilt_release(package, spoil):
    spoilt = json.loads(json.dumps(package))
    spoil(spoilt)
    assert list(validator().iter_errors(spoilt)), "the validator should reject this"


def test_every_code_is_in_its_codelist(package):
    """The schema names each closed codelist but does not hold every one: check them against the CSVs."""
    tags, methods, categories = codelist("releaseTag.csv"), codelist("method.csv"), codelist("procurementCategory.csv")
    documents, roles, currencies = codelist("documentType.csv"), codelist("partyRole.csv"), codelist("currency.csv")
    for release in package["releases"]:
        assert set(release["tag"]) <= tags
        assert release["initiationType"] in codelist("initiationType.csv")
        for party in release["parties"]:
            assert set(party["roles"]) <= roles
        tender = release["tender"]
        assert tender["procurementMethod"] in methods
        assert tender["mainProcurementCategory"] in categories
        if "status" in tender:
            assert tender["status"] in codelist("tenderStatus.csv")
        if "awardCriteria" in tender:
            assert tender["awardCriteria"] in codelist("awardCriteria.csv")
        assert all(a["status"] in codelist("awardStatus.csv") for a in release["awards"])
        assert all(c["status"] in codelist("contractStatus.csv") for c in release["contracts"])
        values = [tender.get("value"), *(a["value"] for a in release["awards"]), *(c["value"] for c in release["contracts"]),
                  *(t["value"] for c in release["contracts"] for t in c.get("implementation", {}).get("transactions", []))]
        assert {v["currency"] for v in values if v} <= currencies
        for section in (tender, *release["contracts"]):
            assert all(d["documentType"] in documents for d in section.get("documents", []))
        for process in release.get("relatedProcesses", []):
            assert set(process["relationship"]) <= codelist("relatedProcess.csv")
            assert process["scheme"] in codelist("relatedProcessScheme.csv")


def test_one_release_per_contract_with_a_stable_ocid(package):
    funder = yaml.safe_load((REPO / "data" / "funder.yaml").read_text(encoding="utf-8"))
    contracts = sorted(a["id"] for a in read_source("awards.csv") if a["award_type"] == "contract")
    placeholder = "ocds-" + funder["grant_id_prefix"].removeprefix("360G-").replace("-", "").lower()
    assert [r["ocid"] for r in package["releases"]] == [f"{placeholder}-{ident}" for ident in contracts]
    assert len({r["id"] for r in package["releases"]}) == len(contracts), "release ids are unique"
    for release in package["releases"]:
        assert release["id"].startswith(release["ocid"] + "-")
        assert datetime.fromisoformat(release["date"]) <= datetime.fromisoformat(package["publishedDate"])
    assert package["publisher"]["name"] == funder["name"]
    assert package["license"] == funder["licence"]


def test_the_buyer_the_supplier_the_award_and_the_contract_are_the_data(package):
    funder = yaml.safe_load((REPO / "data" / "funder.yaml").read_text(encoding="utf-8"))
    awards = {a["id"]: a for a in read_source("awards.csv")}
    providers = {p["id"]: p for p in read_source("providers.csv")}
    statuses = set()
    for release in package["releases"]:
        award = awards[release["awards"][0]["id"]]
        provider = providers[award["provider_id"]]
        parties = {p["id"]: p for p in release["parties"]}
        assert parties[funder["org_id"]]["roles"] == ["buyer"] and release["buyer"]["id"] == funder["org_id"]
        assert parties[provider["id"]]["roles"] == ["supplier"] and parties[provider["id"]]["name"] == provider["name"]
        scheme, _, number = provider["id"].partition("-")[2].partition("-")
        if provider["id"].startswith("GB-"):
            assert parties[provider["id"]]["identifier"] == {"scheme": "GB-" + scheme, "id": number, "legalName": provider["name"]}
        (given,) = release["awards"]
        assert Decimal(str(given["value"]["amount"])) == Decimal(award["amount_awarded"])
        assert given["date"].startswith(award["award_date"] + "T00:00:00")
        assert given["suppliers"] == [{"id": provider["id"], "name": provider["name"]}]
        (contract,) = release["contracts"]
        assert contract["awardID"] == given["id"] == award["id"]
        assert contract["period"]["startDate"].startswith(award["start_date"] + "T00:00:00")
        assert contract["period"]["endDate"].startswith(award["end_date"] + "T23:59:59")
        start, end = date.fromisoformat(award["start_date"]), date.fromisoformat(award["end_date"])
        expected = "pending" if TODAY < start else "active" if TODAY <= end else "terminated"
        assert contract["status"] == expected, award["id"]
        statuses.add(expected)
        assert release["tender"]["procurementMethod"] == METHODS[award["route"]]
        if award["justification"]:
            assert release["tender"]["procurementMethodRationale"] == award["justification"]
        if award["extends"] and awards[award["extends"]]["award_type"] == "contract":
            assert release["relatedProcesses"][0]["identifier"].endswith("-" + award["extends"])
    assert {"active", "terminated"} <= statuses, "the sample has contracts in their term and ended"


def test_a_contract_from_an_opportunity_has_its_tender(package):
    awards = {a["id"]: a for a in read_source("awards.csv")}
    tendered = 0
    for release in package["releases"]:
        award = awards[release["awards"][0]["id"]]
        tender = release["tender"]
        assert ("tender" in release["tag"]) == bool(award["opportunity_id"])
        assert {"award", "contract"} <= set(release["tag"])
        if not award["opportunity_id"]:
            continue
        tendered += 1
        source = opportunity(award["opportunity_id"])
        assert tender["id"] == source["id"]
        assert tender["title"] == source["title"]
        assert tender["description"] == " ".join(source["summary"].split())
        assert Decimal(str(tender["value"]["amount"])) == Decimal(str(source["funding_envelope"]))
        opens = datetime.fromisoformat(tender["tenderPeriod"]["startDate"])
        closes = datetime.fromisoformat(tender["tenderPeriod"]["endDate"])
        assert opens.astimezone(UK).replace(tzinfo=None) == datetime.fromisoformat(str(source["opens"]))
        assert closes > opens
    assert tendered, "the sample has a contract awarded from an opportunity"


def test_every_payment_for_a_contract_is_a_transaction(package):
    paid = payments_by_award()
    funder = yaml.safe_load((REPO / "data" / "funder.yaml").read_text(encoding="utf-8"))
    seen = 0
    for release in package["releases"]:
        (contract,) = release["contracts"]
        transactions = contract.get("implementation", {}).get("transactions", [])
        expected = paid.get(contract["id"], [])
        assert sorted(t["id"] for t in transactions) == sorted(p["id"] for p in expected), contract["id"]
        by_id = {p["id"]: p for p in expected}
        for transaction in transactions:
            payment = by_id[transaction["id"]]
            assert Decimal(str(transaction["value"]["amount"])) == Decimal(payment["amount"])
            assert transaction["value"]["currency"] == "GBP"
            assert transaction["date"].startswith(payment["date"])
            assert transaction["payer"]["id"] == funder["org_id"]
            assert transaction["payee"]["id"] == payment["provider_id"]
        assert ("implementation" in release["tag"]) == bool(transactions)
        seen += len(transactions)
    assert seen, "the sample has payments against contracts"


def test_every_address_in_it_is_absolute(package):
    def walk(node, path=""):
        if isinstance(node, dict):
            for key, value in node.items():
                yield from walk(value, f"{path}/{key}")
        elif isinstance(node, list):
            for index, value in enumerate(node):
                yield from walk(value, f"{path}/{index}")
        elif path.endswith(("/url", "/uri", "/source")):
            yield path, node
    addresses = list(walk(package))
    assert addresses
    for path, address in addresses:
        assert urlsplit(address).scheme in ("http", "https") and urlsplit(address).netloc, (path, address)


def test_the_same_data_gives_the_same_ocds_json(minimal_project):
    first = minimal_project.build(now="2026-11-24T09:00")
    assert first.code == 0, first.err
    before = (first.output / "data" / "ocds.json").read_bytes()
    second = minimal_project.build(now="2026-11-24T09:00")
    assert second.code == 0, second.err
    assert (second.output / "data" / "ocds.json").read_bytes() == before
    data = json.loads(before)
    assert not list(validator().iter_errors(data))


def test_with_a_site_address_ocds_links_to_the_pages_and_spend_files(minimal_project):
    result = minimal_project.build(now="2026-11-24T09:00", SITEURL="https://funding.testshire.example")
    assert result.code == 0, result.err
    data = json.loads((result.output / "data" / "ocds.json").read_bytes())
    assert not list(validator().iter_errors(data))
    assert data["uri"] == "https://funding.testshire.example/data/ocds.json"
    (release,) = data["releases"]  # the minimal project has one contract
    pages = [d["url"] for d in release["contracts"][0].get("documents", []) if d["documentType"] == "contractNotice"]
    assert pages == [f"https://funding.testshire.example/funded-services/{release['contracts'][0]['id'].lower()}/"]
    for transaction in release["contracts"][0].get("implementation", {}).get("transactions", []):
        year = transaction["id"].split(":")[0]
        assert transaction["source"] == f"https://funding.testshire.example/data/spend-{year}.csv"


def test_the_data_page_lists_ocds_json(sample_site):
    soup = page(sample_site, "data/")
    links = {a["href"].rsplit("/", 1)[-1]: a for a in soup.select("main h2 a")}
    assert "ocds.json" in links
    assert "JSON" in links["ocds.json"].find_parent("li").get_text(" ", strip=True)
