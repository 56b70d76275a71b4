"""Funded services as open data: the funding register, the providers, and the contracts in the shape
the Local Government Transparency Code asks for.
"""

from __future__ import annotations

from ..load import codes
from ..load.models import Award, Provider
from ..open_data.csv_writer import csv_bytes
from ..open_data.files import Column, Download, model_columns
from .changed import Changed

REGISTER_COLUMNS = [
    *model_columns(Award, ["id", "title", "description", "provider_id"]),
    Column("provider_name", "string", "The provider's name", required=True),
    Column("organisation_type", "string", "The provider's type: " + ", ".join(codes.ORGANISATION_TYPES), required=True),
    *model_columns(Award, [
        "funding_stream", "priorities", "award_type", "route", "amount_awarded", "award_date", "start_date",
        "end_date", "opportunity_id", "co_commissioners", "justification", "contract_document", "extends",
    ], overrides={
        "priorities": "priority codes from funder.yaml, separated by ;",
        "co_commissioners": "partner names, separated by ;",
    }),
    Column("status", "string", "current (in its term on the day the data was published), previous (ended) or future (not yet started)", required=True),
    Column("grant_id", "string", "For a grant, its identifier in 360giving.json; empty for a contract"),
]
PROVIDER_COLUMNS = model_columns(Provider)
# The Local Government Transparency Code 2015's contract fields (part 2, "contracts").
CONTRACT_COLUMNS = [
    Column("reference", "string", "Our reference for the contract: the id in funding-register.csv", required=True),
    Column("title", "string", "Title of the agreement", required=True),
    Column("description", "string", "Description of the services provided", required=True),
    Column("buyer", "string", "Who let the contract", required=True),
    Column("supplier_name", "string", "The supplier's name", required=True),
    Column("supplier_id", "string", "The supplier's organisation identifier (org-id): the id in providers.csv", required=True),
    Column("supplier_company_number", "string", "The supplier's number at Companies House"),
    Column("supplier_charity_number", "string", "The supplier's number with the Charity Commission"),
    Column("supplier_organisation_type", "string", "One of: " + ", ".join(codes.ORGANISATION_TYPES), required=True),
    Column("vcse", "boolean", "yes if the supplier is a voluntary, community or social enterprise organisation", required=True),
    Column("value", "number", "Sum to be paid over the length of the contract, in pounds", required=True),
    Column("annual_value", "number", "The value spread over a year of the contract, in pounds", required=True),
    Column("award_date", "date", "Date the contract was awarded", required=True),
    Column("start_date", "date", "Start date", required=True),
    Column("end_date", "date", "End date", required=True),
    Column("route", "string", "How it was awarded: " + ", ".join(codes.ROUTES), required=True),
    Column("invitation_to_tender", "boolean", "yes if it followed a published invitation to tender or an invitation to quote; no for a direct award or single tender action", required=True),
    Column("justification", "string", "Why there was no competition, where there was none"),
    Column("co_commissioners", "string", "Partners who commission it with us, separated by ;"),
    Column("contract_document", "string", "Web address of the published contract"),
]
PROVIDER_KEY = {"fields": ["provider_id"], "reference": {"resource": "providers", "fields": ["id"]}}


def register_row(award) -> dict:
    provider = award.provider
    row = {column.name: getattr(award.model, column.name, None) for column in REGISTER_COLUMNS}
    row.update(provider_name=provider.name, organisation_type=provider.organisation_type, status=award.status,
               grant_id=award.grant_id if award.award_type == "grant" else None)
    return row


def contract_row(award, funder) -> dict:
    supplier = award.provider
    return {
        "reference": award.id, "title": award.title, "description": award.description, "buyer": funder.name,
        "supplier_name": supplier.name, "supplier_id": supplier.id,
        "supplier_company_number": supplier.company_number, "supplier_charity_number": supplier.charity_number,
        "supplier_organisation_type": supplier.organisation_type, "vcse": supplier.is_vcse,
        "value": award.amount_awarded, "annual_value": award.yearly_equivalent, "award_date": award.award_date,
        "start_date": award.start_date, "end_date": award.end_date, "route": award.route,
        "invitation_to_tender": award.competed, "justification": award.justification,
        "co_commissioners": award.co_commissioners, "contract_document": award.contract_document,
    }


def files(site, files_so_far) -> list[Download]:
    """The funding register, the providers and the contracts, as CSV."""
    changed = Changed(site)
    awards = sorted(site.awards, key=lambda a: a.id)
    contracts = [a for a in awards if a.award_type == "contract"]
    register, count = csv_bytes(REGISTER_COLUMNS, (register_row(a) for a in awards))
    providers, provider_count = csv_bytes(PROVIDER_COLUMNS, (p.model.model_dump() for p in site.providers))
    contract_file, contract_count = csv_bytes(CONTRACT_COLUMNS, (contract_row(a, site.funder) for a in contracts))
    return [
        Download("data/funding-register.csv", register, changed.records(awards), title="Funding register",
                 description="Every grant and contract awarded: what it pays for, the provider, the funding stream, "
                             "how it was awarded, the amount and the term, with its status today.",
                 rows=count, columns=REGISTER_COLUMNS, primary_key=["id"],
                 foreign_keys=[PROVIDER_KEY,
                               {"fields": ["extends"], "reference": {"resource": "", "fields": ["id"]}},
                               {"fields": ["opportunity_id"], "reference": {"resource": "opportunities", "fields": ["id"]}}]),
        Download("data/providers.csv", providers, changed.records(awards),
                 title="Providers",
                 description="Every organisation that holds or has held funding, with its charity and company "
                             "numbers and which provider expectations it has confirmed.",
                 rows=provider_count, columns=PROVIDER_COLUMNS, primary_key=["id"]),
        Download("data/contracts.csv", contract_file, changed.records(contracts), title="Contracts",
                 description="Every contract (not grants), in the shape the Local Government Transparency Code "
                             "asks for: supplier, value, dates, and whether it followed an invitation to tender.",
                 rows=contract_count, columns=CONTRACT_COLUMNS, primary_key=["reference"],
                 foreign_keys=[{"fields": ["reference"], "reference": {"resource": "funding-register", "fields": ["id"]}},
                               {"fields": ["supplier_id"], "reference": {"resource": "providers", "fields": ["id"]}}]),
    ]
