"""Contracts as open contracting data: data/ocds.json, an OCDS 1.1 release package.

One release per contract (an award with award_type contract), holding what is known about it now:
the buyer (the funder) and the supplier (the provider) as parties; the tender, from the opportunity
it was awarded from where there was one (else only how it was let); the award; and the contract, its
payments as implementation transactions. Grants are not here: they are in 360giving.json.

Identifiers. An ocid is `ocds-` and a prefix that the Open Contracting Partnership registers, then
the process's own id. Until the funder registers one (funder.yaml `ocds_prefix`), the prefix is a
placeholder made from its 360Giving prefix (`360G-bedfordshirepcc` gives `ocds-bedfordshirepcc-`),
so ocids are stable and plainly this funder's. A release's id is its ocid and the day of its last
change, so a change gives a new release id, as the standard asks. A Find a Tender notice is not an
ocid (Find a Tender gives the same process its own ocid, under its own prefix): the opportunity's
notice is a tenderNotice document of the tender, and the award's an awardNotice document of the award,
each with the notice id as the document's id and the notice's page as its address.

Where. The areas an award names (or the funder's whole area when it names none) are the items of its
award and contract, one an area, each delivered there: the Location extension's deliveryAddress (the
area's name as its region) and deliveryLocation (its name and its ONS code's address). The package
lists the extension, as OCDS asks of any field beyond the core; the opportunity's areas are the
tender's items likewise.

Dates come from the data: a release's date is the day its contract last changed (its award, start,
end or latest payment, through funded_services.changed), never the build clock itself, so the same
data built on days with no change between them gives the same bytes. A contract's status follows
its dates on the build day, as the funding register's does: pending before it starts, active in its
term, terminated once it has ended.
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date, datetime, time

from ..derive.transparency import find_a_tender_url
from ..funded_services.changed import Changed
from ..load.fields import UK
from ..render.page import newest
from .files import Download, json_bytes

HERE = "data/ocds.json"
VERSION = "1.1"
CURRENCY = "GBP"
# How each route lets a contract, as OCDS's method codelist has it.
METHODS = {"open-call": "open", "open-tender": "open", "competitive-dialogue": "selective", "invited": "limited",
           "direct-award": "direct", "single-tender-action": "direct"}
# Where an opportunity stands, as OCDS's tenderStatus codelist has it.
TENDER_STATUSES = {"upcoming": "planned", "open": "active", "closing-soon": "active", "closed": "active",
                   "awarded": "complete", "withdrawn": "withdrawn"}
_ORG_ID = re.compile(r"([A-Z]{2}-[A-Z0-9]+)-(.+)")  # an org-id: a list's code (GB-CHC) and the id in it
# The extension that adds deliveryAddress and deliveryLocation to an item (its release 1.1.5, for OCDS 1.1).
LOCATION_EXTENSION = "https://raw.githubusercontent.com/open-contracting-extensions/ocds_location_extension/v1.1.5/extension.json"
# An ONS code's address in the Office for National Statistics' linked data: the area's official identifier.
ONS_GEOGRAPHY = "http://statistics.data.gov.uk/id/statistical-geography/"


def prefix(funder) -> str:
    """The ocid prefix: `ocds-` and the funder's registered OCDS prefix (funder.yaml `ocds_prefix`,
    with or without its `ocds-`), or a placeholder from its 360Giving prefix until it has one."""
    registered = (funder.ocds_prefix or "").strip()
    if registered:
        return registered if registered.startswith("ocds-") else f"ocds-{registered}"
    own = re.sub(r"^360G-", "", funder.grant_id_prefix, flags=re.IGNORECASE)
    return f"ocds-{re.sub(r'[^A-Za-z0-9]+', '', own).lower()}"


def ocid(funder, award) -> str:
    return f"{prefix(funder)}-{award.id}"


def start(day: date) -> str:
    """The start of a day, UK time, as the date-time OCDS asks for."""
    return datetime.combine(day, time(0), tzinfo=UK).isoformat()


def end(day: date) -> str:
    """The end of a day, UK time: a period's end date covers the whole of its last day."""
    return datetime.combine(day, time(23, 59, 59), tzinfo=UK).isoformat()


def value(amount) -> dict:
    return {"amount": amount, "currency": CURRENCY}


def identifier(org_id: str, legal_name: str) -> dict:
    """An org-id as OCDS's Identifier: its list (scheme) and its id in that list, where it has a list."""
    match = _ORG_ID.fullmatch(org_id)
    found = {"scheme": match[1], "id": match[2]} if match and not org_id.upper().startswith("360G-") else {"id": org_id}
    return {**found, "legalName": legal_name}


def party(org_id: str, name: str, roles: list[str], locality: str | None = None, website: str | None = None,
          others: list[dict] | None = None) -> dict:
    entry = {"id": org_id, "name": name, "identifier": identifier(org_id, name)}
    if others:
        entry["additionalIdentifiers"] = others
    if locality:
        entry["address"] = {"locality": locality, "countryName": "United Kingdom"}
    if website:
        entry["details"] = {"url": website}
    entry["roles"] = roles
    return entry


def supplier(provider) -> dict:
    """The supplier as a party, with its charity and company numbers where its org-id is not already one."""
    others = []
    scheme = identifier(provider.id, provider.name).get("scheme")
    if provider.charity_number and scheme != "GB-CHC":
        others.append({"scheme": "GB-CHC", "id": provider.charity_number, "legalName": provider.name})
    if provider.company_number and scheme != "GB-COH":
        others.append({"scheme": "GB-COH", "id": provider.company_number, "legalName": provider.name})
    return party(provider.id, provider.name, ["supplier"], provider.locality, provider.website, others)


def contract_status(award, today: date) -> str:
    if today < award.start_date:
        return "pending"
    return "active" if today <= award.end_date else "terminated"


def link(base: str, path: str) -> str | None:
    """An absolute address for a document or page, or None where the site has no public address."""
    if path.startswith(("https://", "http://")):
        return path
    return f"{base}/{path.lstrip('/')}" if base else None


def items(description: str, areas) -> list[dict]:
    """What is bought, one item an area where it is delivered (the Location extension's fields)."""
    found = []
    for area in areas:
        where = {"description": area.name}
        if area.geo_code:
            where["uri"] = ONS_GEOGRAPHY + area.geo_code
        found.append({"id": area.code, "description": description,
                      "deliveryAddress": {"region": area.name, "countryName": "United Kingdom"},
                      "deliveryLocation": where})
    return found


def notice(ident: str | None, kind: str) -> list[dict]:
    """A Find a Tender notice as a document of kind (tenderNotice, awardNotice); none without an id."""
    if not ident:
        return []
    entry = {"id": ident, "documentType": kind, "title": "The notice on Find a Tender"}
    url = find_a_tender_url(ident)
    if url:
        entry["url"] = url
    return [entry]


def tender(award, base: str, funder) -> dict:
    """How the contract was let; from its opportunity, where it was awarded from one, what was sought."""
    entry = {"id": award.opportunity.id if award.opportunity is not None else f"{award.id}-tender",
             "procurementMethod": METHODS[award.route], "procurementMethodDetails": award.route_label,
             "mainProcurementCategory": "services"}
    if award.justification:
        entry["procurementMethodRationale"] = award.justification
    opportunity = award.opportunity
    if opportunity is None:
        return entry
    entry.update(title=opportunity.title, description=opportunity.summary,
                 status=TENDER_STATUSES[opportunity.status], value=value(opportunity.funding_envelope),
                 tenderPeriod={"startDate": opportunity.opens.astimezone(UK).isoformat(),
                               "endDate": opportunity.closes.astimezone(UK).isoformat()})
    if opportunity.clarification_deadline:
        entry["enquiryPeriod"] = {"endDate": opportunity.clarification_deadline.astimezone(UK).isoformat()}
    if opportunity.evaluation_criteria:
        entry["awardCriteria"] = "ratedCriteria"
        entry["awardCriteriaDetails"] = "; ".join(f"{c.criterion} ({c.weight}%)" for c in opportunity.evaluation_criteria)
    documents = [{"id": f"{opportunity.id}-{index}", "documentType": "tenderNotice" if index == 0 else "biddingDocuments",
                  "title": title, "url": url}
                 for index, (title, url) in enumerate(
                     [("The opportunity's page", link(base, opportunity.url))]
                     + [(d.title, link(base, d.url)) for d in opportunity.documents]) if url]
    documents += notice(opportunity.find_a_tender, "tenderNotice")
    if documents:
        entry["documents"] = documents
    wanted = items(opportunity.title, opportunity.area_views)
    if wanted:
        entry["items"] = wanted
    return entry


def transactions(payments, funder, base: str) -> list[dict]:
    """The contract's payments (refunds as negative amounts) as OCDS transactions: each one's id is
    its id in the spend files (2025-26:14), and its source that year's spend file."""
    payer = {"id": funder.org_id, "name": funder.name}
    found = []
    for payment in payments:
        entry = {"id": payment.id, "date": start(payment.date), "value": value(payment.amount), "payer": payer,
                 "payee": {"id": payment.provider.id, "name": payment.provider.name}}
        source = link(base, f"data/spend-{payment.year}.csv")
        if source:
            entry["source"] = source
        found.append(entry)
    return found


def awarded(award, delivered: list[dict]) -> dict:
    """The award: to whom, for how much and for when; its notice on Find a Tender, where it has one."""
    provider = award.provider
    entry = {
        "id": award.id, "title": award.title, "description": award.description, "status": "active",
        "date": start(award.award_date), "value": value(award.amount_awarded),
        "suppliers": [{"id": provider.id, "name": provider.name}],
        "contractPeriod": {"startDate": start(award.start_date), "endDate": end(award.end_date)},
    }
    if delivered:
        entry["items"] = delivered
    documents = notice(award.find_a_tender, "awardNotice")
    if documents:
        entry["documents"] = documents
    return entry


def contracted(award, today: date, payments: list, funder, base: str, delivered: list[dict]) -> dict:
    """The contract: its term and status, the signed contract and its page, and what has been paid."""
    entry = {
        "id": award.id, "awardID": award.id, "title": award.title, "description": award.description,
        "status": contract_status(award, today), "value": value(award.amount_awarded),
        "period": {"startDate": start(award.start_date), "endDate": end(award.end_date)},
    }
    page = link(base, award.url)
    documents = ([{"id": f"{award.id}-contract", "documentType": "contractSigned", "title": "The contract",
                   "url": award.contract_document}] if award.contract_document else [])
    if page:
        documents.append({"id": f"{award.id}-page", "documentType": "contractNotice",
                          "title": "The contract's page", "url": page})
    if documents:
        entry["documents"] = documents
    if delivered:
        entry["items"] = delivered
    if payments:
        entry["implementation"] = {"transactions": transactions(payments, funder, base)}
    return entry


def release(award, site, changed: Changed, payments: list, base: str) -> dict:
    funder = site.funder
    process = ocid(funder, award)
    day = changed.award(award)
    tags = (["tender"] if award.opportunity is not None else []) + ["award", "contract"]
    if payments:
        tags.append("implementation")
    delivered = items(award.title, award.area_views)
    entry = {
        "ocid": process,
        "id": f"{process}-{day.isoformat()}",
        "date": start(day),
        "tag": tags,
        "initiationType": "tender",
        "parties": [party(funder.org_id, funder.name, ["buyer"], website=funder.website), supplier(award.provider)],
        "buyer": {"id": funder.org_id, "name": funder.name},
        "tender": tender(award, base, funder),
        "awards": [awarded(award, delivered)],
        "contracts": [contracted(award, site.today, payments, funder, base, delivered)],
        "language": "en",
    }
    earlier = award.extends_award
    if earlier is not None and earlier.award_type == "contract":
        entry["relatedProcesses"] = [{"id": "1", "relationship": ["prior"], "title": earlier.title,
                                      "scheme": "ocid", "identifier": ocid(funder, earlier)}]
    return entry


def package(site) -> dict | None:
    """The release package of every contract, or None where there is none (a package has a release at least)."""
    funder = site.funder
    contracts = sorted((a for a in site.awards if a.award_type == "contract"), key=lambda a: a.id)
    if not contracts:
        return None
    base = site.settings.public_url
    changed = Changed.of(site)
    paid = defaultdict(list)
    for year in site.spend.years if site.spend is not None else []:
        for payment in year.payments:
            if payment.award is not None and payment.award.award_type == "contract":
                paid[payment.award.id].append(payment)
    releases = [release(a, site, changed, paid[a.id], base) for a in contracts]
    published = newest(changed.award(a) for a in contracts)
    scheme = identifier(funder.org_id, funder.name)
    publisher = {"name": funder.name, "uri": funder.website}
    if "scheme" in scheme:
        publisher.update(scheme=scheme["scheme"], uid=scheme["id"])
    data = {
        "uri": f"{base or funder.website}/{HERE}",
        "version": VERSION,
        "publishedDate": start(published),
        "publisher": publisher,
        "license": funder.licence,
    }
    if any("items" in section for r in releases for section in (r["tender"], *r["awards"], *r["contracts"])):
        data["extensions"] = [LOCATION_EXTENSION]
    data["releases"] = releases
    return data


def files(site, files_so_far) -> list[Download]:
    """data/ocds.json: every contract as an OCDS release."""
    data = package(site)
    if data is None:
        return []
    when = date.fromisoformat(data["publishedDate"][:10])
    return [Download(HERE, json_bytes(data), when, title="Contracts in open contracting format (JSON)",
                     description=("Every contract in the Open Contracting Data Standard (OCDS 1.1): the buyer and "
                                  "supplier, how it was let and its notices on Find a Tender, the award, the "
                                  "contract, where the service is delivered and every payment, so it can be read by "
                                  "open contracting tools alongside other buyers' contracts."),
                     format="JSON", rows=len(data["releases"]), media_type="application/json")]
