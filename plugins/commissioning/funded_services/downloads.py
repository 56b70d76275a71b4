"""Funded services as open data: the funding register, the providers, and the contracts in the shape
the Local Government Transparency Code 2015 asks for (part 2, contracts: the supplier and whether it is
an SME or a voluntary or community organisation, the value, the VAT that cannot be recovered, the
start, end and review dates, and whether there was an invitation to tender).

Each code has its words in the column after it (route, route_label); columns added later go after the
ones that were there before, which keep their names and order, as staff and users rely on them.
"""

from __future__ import annotations

from ..derive.transparency import find_a_tender_url
from ..load import codes
from ..load.models import Award, Provider
from ..open_data.csv_writer import csv_columns_bytes
from ..open_data.files import Column, Download, model_columns
from .changed import Changed


def _listed(labels: dict[str, str]) -> str:
    return ", ".join(f"{code} ({label})" for code, label in labels.items())


REGISTER_COLUMNS = [
    *model_columns(Award, ["id", "title", "description", "provider_id"], overrides={
        "id": "Our reference for the award, e.g. BPCC-2025-014",
        "title": "What the award pays for, in a few words",
        "description": "What the award pays for",
        "provider_id": ("The identifier of the organisation funded (its org-id), as in providers.csv: GB-CHC- and "
                        "its charity number, GB-COH- and its company number, or our own for a group that is not registered"),
    }),
    Column("provider_name", "string", "The name of the organisation funded", required=True),
    Column("organisation_type", "string", "The kind of organisation, as a code: " + _listed(codes.ORGANISATION_TYPES), required=True),
    Column("organisation_type_label", "string", "The kind of organisation, in words, e.g. Charity", required=True),
    *model_columns(Award, ["funding_stream"], overrides={
        "funding_stream": "The funding stream that pays for it, as a code, e.g. moj-victims"}),
    Column("funding_stream_title", "string", "The funding stream that pays for it, by name", required=True),
    *model_columns(Award, ["priorities"], overrides={
        "priorities": "The Police and Crime Plan priorities it serves, as codes separated by ;"}),
    Column("priority_titles", "string", "The Police and Crime Plan priorities it serves, by name, separated by ;", required=True),
    *model_columns(Award, ["award_type"], overrides={"award_type": "The kind of award, as a code: grant or contract"}),
    Column("award_type_label", "string", "Grant or Contract, in words", required=True),
    *model_columns(Award, ["route"], overrides={"route": "How it was awarded, as a code: " + _listed(codes.ROUTES)}),
    Column("route_label", "string", "How it was awarded, in words, e.g. Open tender", required=True),
    *model_columns(Award, [
        "amount_awarded", "award_date", "start_date", "end_date", "opportunity_id", "co_commissioners", "justification",
        "contract_document", "extends", "areas",
    ], overrides={
        "amount_awarded": "The total awarded for the whole term, in pounds",
        "award_date": "The date the award was made",
        "start_date": "The date the funded service starts",
        "end_date": "The date the funded service ends",
        "opportunity_id": "The funding opportunity it was awarded from (the id in opportunities.csv); empty if it had none",
        "co_commissioners": "Partners who commission it with us (the NHS, councils, probation ...), separated by ;",
        "justification": "Why it was awarded without competition, for a direct award or a single tender action",
        "contract_document": "The web address of the published contract",
        "extends": "The reference (id) of the earlier award that this one renews or extends",
        "areas": ("Where the service is delivered, as codes of the areas we serve separated by ;, e.g. luton; "
                  "empty means the whole of our area"),
    }),
    Column("area_names", "string", "Where the service is delivered, by name, separated by ; (the whole of our area "
           "where no area is named)"),
    *model_columns(Award, [
        "conditions", "reasons", "decision_record", "decision_record_url", "vat_not_recoverable", "review_date",
        "find_a_tender",
    ], overrides={
        "conditions": "The conditions attached to the grant, or the web address where they are published",
        "reasons": "Why the commissioner considers that the grant will help to reduce crime and disorder",
        "decision_record": "The reference of the published decision to make the award, e.g. PCC/D/2025/014",
        "decision_record_url": "The web address of the published decision record",
        "vat_not_recoverable": "For a contract, the VAT that cannot be recovered, in pounds; empty if none is known",
        "review_date": "For a contract, the date it is next reviewed",
        "find_a_tender": ("Its notice on Find a Tender, the government's website for public contracts, "
                          "e.g. 012345-2025; empty if it has none"),
    }),
    Column("find_a_tender_url", "string", "The web address of its notice on Find a Tender"),
    *model_columns(Award, ["recommissioning"], overrides={
        "recommissioning": ("What is planned for when it ends, as a code: " + _listed(codes.RECOMMISSIONING)
                            + "; empty if not yet decided")}),
    Column("recommissioning_label", "string", "What is planned for when it ends, in words, e.g. To be recommissioned"),
    *model_columns(Award, ["recommissioning_route"], overrides={
        "recommissioning_route": "How the service is planned to be commissioned again, as a code: " + _listed(codes.ROUTES)}),
    Column("recommissioning_route_label", "string", "How the service is planned to be commissioned again, in words, e.g. Open tender"),
    *model_columns(Award, ["recommissioning_date", "recommissioning_note"], overrides={
        "recommissioning_date": "When the funding opportunity to commission it again is expected to be published",
        "recommissioning_note": "A note on the plans for when it ends, e.g. Market engagement in spring 2027",
    }),
    Column("status", "string", "Where it stands on the day the data was published, as a code: current (in its term), "
           "previous (ended) or future (not yet started)", required=True),
    Column("status_label", "string", "Where it stands, in words: " + ", ".join(codes.AWARD_STATUSES.values()), required=True),
    Column("grant_id", "string", "For a grant, its identifier in 360giving.json; empty for a contract"),
    Column("url", "string", "The award's page on this site", required=True),
]
_PROVIDER_DESCRIPTIONS = {
    "id": ("The organisation's identifier (its org-id): GB-CHC- and its charity number, GB-COH- and its company "
           "number, or our own for a group that is not registered"),
    "name": "The organisation's name",
    "organisation_type": "The kind of organisation, as a code: " + _listed(codes.ORGANISATION_TYPES),
    "charity_number": "Its number in the Charity Commission's register of charities",
    "company_number": "Its number at Companies House",
    "website": "Its website",
    "locality": "The town or area it is based in",
    "area": "The area it is based in, as a code: one of the areas this funder serves (see areas in the 360Giving files), or empty",
    "real_living_wage": "yes if it has told us it pays the Real Living Wage, no if not; empty if not yet confirmed",
    "pension_scheme": "yes if it has a pension scheme for all employees, no if not; empty if not yet confirmed",
    "no_zero_hours": "yes if it employs no one on a zero-hours contract, no if it does; empty if not yet confirmed",
    "policies_in_place": "yes if it has the policies we ask for in place, no if not; empty if not yet confirmed",
    "sme": "yes if it is a small or medium-sized enterprise, no if it is not; empty if not known",
}
PROVIDER_COLUMNS = [
    *model_columns(Provider, ["id", "name", "organisation_type"], _PROVIDER_DESCRIPTIONS),
    Column("organisation_type_label", "string", "The kind of organisation, in words, e.g. Charity", required=True),
    *model_columns(Provider, [n for n in Provider.model_fields if n not in ("id", "name", "organisation_type")],
                   _PROVIDER_DESCRIPTIONS),
]
# The Local Government Transparency Code 2015's contract fields (part 2, "contracts").
CONTRACT_COLUMNS = [
    Column("reference", "string", "Our reference for the contract: the id in funding-register.csv", required=True),
    Column("title", "string", "What the contract is for, in a few words", required=True),
    Column("description", "string", "The services it pays for", required=True),
    Column("buyer", "string", "Who let the contract", required=True),
    Column("supplier_name", "string", "The supplier's name", required=True),
    Column("supplier_id", "string", "The supplier's identifier (its org-id), as in providers.csv", required=True),
    Column("supplier_company_number", "string", "The supplier's number at Companies House"),
    Column("supplier_charity_number", "string", "The supplier's number in the Charity Commission's register of charities"),
    Column("supplier_organisation_type", "string", "The kind of organisation the supplier is, as a code: " + _listed(codes.ORGANISATION_TYPES), required=True),
    Column("supplier_organisation_type_label", "string", "The kind of organisation the supplier is, in words, e.g. Charity", required=True),
    Column("vcse", "boolean", "yes if the supplier is a voluntary, community or social enterprise organisation", required=True),
    Column("sme", "boolean", "yes if the supplier is a small or medium-sized enterprise, no if not; empty if not known "
           "(voluntary and community organisations are marked in vcse)"),
    Column("value", "number", "The sum to be paid over the length of the contract, in pounds", required=True),
    Column("annual_value", "number", "The value spread over a year of the contract, in pounds", required=True),
    Column("vat_not_recoverable", "number", "The VAT that cannot be recovered, in pounds; empty if none is known"),
    Column("award_date", "date", "The date the contract was awarded", required=True),
    Column("start_date", "date", "The date the contract starts", required=True),
    Column("end_date", "date", "The date the contract ends", required=True),
    Column("review_date", "date", "The date the contract is next reviewed; empty if none is set"),
    Column("route", "string", "How it was awarded, as a code: " + _listed(codes.ROUTES), required=True),
    Column("route_label", "string", "How it was awarded, in words, e.g. Open tender", required=True),
    Column("invitation_to_tender", "boolean", "yes if it followed a published invitation to tender or an invitation to quote; no for a direct award or single tender action", required=True),
    Column("find_a_tender", "string", "Its notice on Find a Tender, the government's website for public contracts, e.g. 012345-2025"),
    Column("find_a_tender_url", "string", "The web address of its notice on Find a Tender"),
    Column("justification", "string", "Why there was no competition, where there was none"),
    Column("co_commissioners", "string", "Partners who commission it with us, separated by ;"),
    Column("contract_document", "string", "The web address of the published contract"),
    Column("url", "string", "The contract's page on this site", required=True),
]
PROVIDER_KEY = {"fields": ["provider_id"], "reference": {"resource": "providers", "fields": ["id"]}}


def page_url(site, path: str) -> str:
    """A page's address for a download: absolute where the site has a public address (a production
    build), else from the site's root."""
    return f"{site.settings.public_url or site.settings.site_url}/{path}"


def _label(labels: dict[str, str], code: str | None) -> str | None:
    return labels[code] if code else None


def register_row(award, site) -> dict:
    provider = award.provider
    # The model's fields, read from its __dict__: a column that is not a field (all set below) made
    # pydantic raise and catch an AttributeError, 15 a row.
    fields = award.model.__dict__
    row = {column.name: fields.get(column.name) for column in REGISTER_COLUMNS}
    row.update(provider_name=provider.name, organisation_type=provider.organisation_type,
               organisation_type_label=provider.type_label, funding_stream_title=award.stream.title,
               priority_titles="; ".join(p.title for p in award.priority_views),
               award_type_label=codes.AWARD_TYPES[award.award_type], route_label=award.route_label,
               area_names="; ".join(a.name for a in award.area_views) or None,
               find_a_tender_url=find_a_tender_url(award.find_a_tender),
               recommissioning_label=_label(codes.RECOMMISSIONING, award.recommissioning),
               recommissioning_route_label=_label(codes.ROUTES, award.recommissioning_route),
               status=award.status, status_label=award.status_label,
               grant_id=award.grant_id if award.award_type == "grant" else None,
               url=page_url(site, award.url))
    return row


def provider_row(provider) -> dict:
    return {**provider.model.model_dump(), "organisation_type_label": provider.type_label}


def contract_row(award, site) -> dict:
    supplier, funder = award.provider, site.funder
    return {
        "reference": award.id, "title": award.title, "description": award.description, "buyer": funder.name,
        "supplier_name": supplier.name, "supplier_id": supplier.id,
        "supplier_company_number": supplier.company_number, "supplier_charity_number": supplier.charity_number,
        "supplier_organisation_type": supplier.organisation_type, "supplier_organisation_type_label": supplier.type_label,
        "vcse": supplier.is_vcse, "sme": supplier.sme,
        "value": award.amount_awarded, "annual_value": award.yearly_equivalent,
        "vat_not_recoverable": award.vat_not_recoverable, "award_date": award.award_date,
        "start_date": award.start_date, "end_date": award.end_date, "review_date": award.review_date,
        "route": award.route, "route_label": award.route_label, "invitation_to_tender": award.competed,
        "find_a_tender": award.find_a_tender, "find_a_tender_url": find_a_tender_url(award.find_a_tender),
        "justification": award.justification,
        "co_commissioners": award.co_commissioners, "contract_document": award.contract_document,
        "url": page_url(site, award.url),
    }


def table(columns: list[Column], rows: list[dict]) -> dict[str, list]:
    """Rows as columns of typed values: what the CSV file and the Excel workbook are both made from."""
    return {column.name: [row.get(column.name) for row in rows] for column in columns}


def files(site, files_so_far) -> list[Download]:
    """The funding register, the providers and the contracts, as CSV."""
    changed = Changed.of(site)
    awards = sorted(site.awards, key=lambda a: a.id)
    contracts = [a for a in awards if a.award_type == "contract"]
    register = table(REGISTER_COLUMNS, [register_row(a, site) for a in awards])
    providers = table(PROVIDER_COLUMNS, [provider_row(p) for p in site.providers])
    contract_table = table(CONTRACT_COLUMNS, [contract_row(a, site) for a in contracts])
    return [
        Download("data/funding-register.csv", csv_columns_bytes(REGISTER_COLUMNS, register), changed.records(awards),
                 title="Funding register",
                 description="Every grant and contract awarded: what it pays for, the provider, the funding stream, "
                             "how it was awarded, the amount and the term, with its status today.",
                 rows=len(awards), columns=REGISTER_COLUMNS, primary_key=["id"],
                 foreign_keys=[PROVIDER_KEY,
                               {"fields": ["extends"], "reference": {"resource": "", "fields": ["id"]}},
                               {"fields": ["opportunity_id"], "reference": {"resource": "opportunities", "fields": ["id"]}}],
                 values=register),
        Download("data/providers.csv", csv_columns_bytes(PROVIDER_COLUMNS, providers), changed.records(awards),
                 title="Providers",
                 description="Every organisation that holds or has held funding, with its charity and company "
                             "numbers and which provider expectations it has confirmed.",
                 rows=len(site.providers), columns=PROVIDER_COLUMNS, primary_key=["id"], values=providers),
        Download("data/contracts.csv", csv_columns_bytes(CONTRACT_COLUMNS, contract_table), changed.records(contracts),
                 title="Contracts",
                 description="Every contract (not grants), in the shape the Local Government Transparency Code "
                             "asks for: the supplier and whether it is a small or medium-sized enterprise or a "
                             "voluntary organisation, the value and the VAT that cannot be recovered, the start, "
                             "end and review dates, and whether it followed an invitation to tender.",
                 rows=len(contracts), columns=CONTRACT_COLUMNS, primary_key=["reference"],
                 foreign_keys=[{"fields": ["reference"], "reference": {"resource": "funding-register", "fields": ["id"]}},
                               {"fields": ["supplier_id"], "reference": {"resource": "providers", "fields": ["id"]}}],
                 values=contract_table),
    ]
