"""Models: the data contract, field by field. The field descriptions are the documentation.

`docs/data-contract.md` is generated from these classes (`python -m commissioning contract`) and a
test keeps it in step, so the contract lives in one place.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, create_model, model_validator

from . import codes
from .fields import (
    UK, Closing, Code, Email, FindATenderId, IsoDate, Money, Month, MultilineText, Opening, SignedMoney, Text, TextList, Title,
    SupplierType, UKDateTime, Unit, Url, WholeNumber, YesNo,
)
from .read import Source


# The code lists, as pydantic types: a value outside the list is refused with the list in the message.
OrganisationType = Literal[tuple(codes.ORGANISATION_TYPES)]
AwardType = Literal[tuple(codes.AWARD_TYPES)]
Route = Literal[tuple(codes.ROUTES)]
Recommissioning = Literal[tuple(codes.RECOMMISSIONING)]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)
    _source: Optional[Source] = PrivateAttr(default=None)

    @property
    def origin(self) -> Source:
        # Straight from pydantic's private store: the attribute path is 25 times slower, and rules
        # read it for every one of hundreds of thousands of payments.
        return self.__pydantic_private__["_source"]


# --- funder.yaml ------------------------------------------------------------------------------


class Priority(Model):
    code: Code = Field(description="short code used in awards and opportunities, e.g. `prevention`")
    title: Text = Field(description="the priority as the Police and Crime Plan names it")
    description: MultilineText = Field(description="one or two sentences on what it means")


class FundingStream(Model):
    code: Code = Field(description="short code used in awards and opportunities, e.g. `community-safety-fund`")
    title: Text = Field(description="the stream's name")
    source: Text = Field(description="where the money comes from, e.g. Ministry of Justice")
    description: MultilineText = Field(description="what the stream pays for")


# One entry of `tender_thresholds`. Its first field is called `from`, a word Python keeps for itself,
# so the model is made with create_model; read it with `getattr(entry, "from")` or `.starts`.
TenderThreshold = create_model(
    "TenderThreshold",
    __base__=Model,
    **{
        "from": (IsoDate, Field(description="the date these thresholds apply from, e.g. 2026-01-01")),
        "standard": (Money, Field(description="a contract whose total value (including VAT) exceeds it is tendered, e.g. 207720")),
        "light_touch": (Money, Field(description="the same for light-touch services (most victim and community services), e.g. 663540")),
    },
)
TenderThreshold.starts = property(lambda self: getattr(self, "from"))


class SharedMeasure(Model):
    """One of funder.yaml's `measures`: a measure every service that delivers it counts the same way."""

    code: Code = Field(description="short code used in the measures files, e.g. `people-supported`")
    title: Text = Field(description="what it counts, as the site shows it, e.g. People supported")
    unit: Unit = Field(description="people, referrals or sessions: a shared measure is a count, so it can be added up across services")
    meaning: Text = Field(description=(
        "exactly what is counted, so every service counts it the same way, e.g. people who began receiving "
        "support in the quarter, each counted once"))


class Area(Model):
    """One of funder.yaml's `areas`: a place the funder serves, with its official code."""

    code: Code = Field(description="short code used in awards and opportunities, e.g. `luton`")
    name: Text = Field(description="the area's name, e.g. Luton")
    geo_code: Optional[Text] = Field(None, description="its official (ONS) code, e.g. E06000032")
    geo_code_type: Optional[Text] = Field(None, description=(
        "the kind of code, from 360Giving's geoCodeType list, e.g. `UA` (unitary authority), `NMD` (district), `MD`, "
        "`LONB`, `CTY` (county), `PFA` (police force area)"))
    whole: YesNo = Field(None, description="`yes` for the area that covers all the others (the default for awards and opportunities)")


class Funder(Model):
    name: Text = Field(description="who publishes, e.g. Bedfordshire Police and Crime Commissioner")
    short_name: Optional[Text] = Field(None, description="a shorter name for the header, e.g. Bedfordshire OPCC (added field)")
    org_id: Text = Field(description="the funder's org-id.guide identifier")
    grant_id_prefix: Text = Field(description="360Giving prefix for grant identifiers, e.g. `360G-bedfordshirepcc`")
    website: Url = Field(description="the funder's main website")
    contact_email: Email = Field(description="where questions about funding go")
    licence: Url = Field(description="URL of the open data's licence (Open Government Licence v3.0)")
    tender_thresholds: list[TenderThreshold] = Field([], description=(
        "the tender thresholds over time: a list of `from` (a date), `standard` and `light_touch` (pounds); "
        "a contract above the one in force on its award date is tendered"))
    tender_threshold: Optional[Money] = Field(None, description=(
        "replaced by `tender_thresholds`: one threshold for every date, still read, with a warning; "
        "when it is not given, the standard threshold in force today"))
    payment_terms_days: WholeNumber = Field(description="days within which invoices are paid, e.g. 30")
    priorities: list[Priority] = Field(description="the Police and Crime Plan priorities: `code`, `title`, `description`")
    funding_streams: list[FundingStream] = Field(description="the funding streams: `code`, `title`, `source`, `description`")
    illustrative: YesNo = Field(None, description="`yes` while the data is an illustrative sample: the site says so on every page (added field)")
    expectations_title: Optional[Text] = Field(None, description="the name of the provider expectations, e.g. A fairer Bedfordshire (added field)")
    procurement_portal: Optional[Url] = Field(None, description="where tenders are also advertised (added field)")
    measures: list[SharedMeasure] = Field([], description=(
        "the shared measures of quarterly monitoring: a list of `code`, `title`, `unit` (people, referrals or sessions) "
        "and `meaning`, counted the same way by every service, so they add up across services (added field)"))
    return_due_days: Optional[WholeNumber] = Field(None, description=(
        "days after a quarter ends by which its monitoring return is due; 30 when not given (added field)"))
    areas: list[Area] = Field([], description=(
        "the areas served: a list of `code`, `name`, `geo_code`, `geo_code_type` and, for the one that covers the others, "
        "`whole: yes`; awards and opportunities name theirs (added field)"))
    statutory_from: Optional[IsoDate] = Field(None, description=(
        "grants made on or after this date must record `conditions`, `reasons` and `decision_record` (the Specified "
        "Information Order); older ones are shown as not recorded (added field)"))
    pays_in_arrears: YesNo = Field(None, description="`yes` when regular payments are made monthly in arrears, for the month before (added field)")
    ocds_prefix: Optional[Text] = Field(None, description="the funder's prefix registered with the Open Contracting Partnership, e.g. `ocds-abc123` (added field)")
    alerts_signup_url: Optional[Url] = Field(None, description="where people sign up to the funder's own email bulletin, offered on the alerts page (added field)")
    panel_text: Optional[MultilineText] = Field(None, description="how bids are scored and by whom, shown on every opportunity unless it gives its own `panel` (added field)")
    forward_plan_months: WholeNumber = Field(18, description="how many months ahead the forward plan looks; 18 when not given (added field)")
    published_contacts: TextList = Field([], description="the funder's own published contact details (a phone number, an address) that may appear in pages and data: the personal-data check allows them (added field)")

    _tender_threshold_written: bool = PrivateAttr(default=False)

    @model_validator(mode="after")
    def _current_tender_threshold(self):
        # Templates and code that read funder.tender_threshold keep working: when only
        # tender_thresholds is given, it is the standard threshold in force today.
        self._tender_threshold_written = self.tender_threshold is not None
        if self.tender_threshold is None and self.tender_thresholds:
            object.__setattr__(self, "tender_threshold", self.threshold_on(datetime.now(UK).date()))
        return self

    @property
    def tender_threshold_written(self) -> bool:
        """Whether funder.yaml gives the old single tender_threshold itself."""
        return self._tender_threshold_written

    def threshold_on(self, day: date, light_touch: bool = False) -> Decimal | None:
        """The tender threshold in force on a day (the light-touch one for light-touch services).

        Before the first `from` date, the first entry's; with no tender_thresholds, the single
        tender_threshold (which has no light-touch value); None if neither is given.
        """
        entries = sorted(self.tender_thresholds, key=lambda t: t.starts)
        if not entries:
            return self.tender_threshold
        current = entries[0]
        for entry in entries:
            if entry.starts <= day:
                current = entry
        return current.light_touch if light_touch else current.standard

    @property
    def whole_area(self) -> Area | None:
        return next((a for a in self.areas if a.whole), None)

    def areas_for(self, area_codes: list[str]) -> list[Area]:
        """The areas a record names; when it names none, the whole area (every area if none is marked whole)."""
        if area_codes:
            by_code = {a.code: a for a in self.areas}
            return [by_code[c] for c in area_codes if c in by_code]
        whole = self.whole_area
        return [whole] if whole else list(self.areas)

    @property
    def display_name(self) -> str:
        return self.short_name or self.name


# --- providers.csv ----------------------------------------------------------------------------


class Provider(Model):
    id: Text = Field(description="org-id: `GB-CHC-1234567` (charity), `GB-COH-01234567` (company), or `<grant_id_prefix>-<slug>` for unregistered groups; unique")
    name: Text = Field(description="the organisation's name")
    organisation_type: OrganisationType = Field(description="one of: " + ", ".join(codes.ORGANISATION_TYPES))
    charity_number: Optional[Text] = Field(None, description="as registered with the Charity Commission")
    company_number: Optional[Text] = Field(None, description="as registered at Companies House")
    website: Optional[Url] = Field(None, description="http(s) URL")
    locality: Optional[Text] = Field(None, description="town or area; never a street address")
    area: Optional[Code] = Field(None, description="the `code` of the funder.yaml area it is based in, e.g. `luton` (its 360Giving recipient location; added field)")
    real_living_wage: YesNo = Field(None, description="pays the Real Living Wage: `yes`, `no`, or empty (not yet confirmed)")
    pension_scheme: YesNo = Field(None, description="has a pension scheme for all employees: `yes`, `no` or empty")
    no_zero_hours: YesNo = Field(None, description="employs no one on zero-hours contracts: `yes`, `no` or empty")
    policies_in_place: YesNo = Field(None, description="has the required policies in place: `yes`, `no` or empty")
    sme: YesNo = Field(None, description="a small or medium-sized enterprise: `yes`, `no` or empty (the Transparency Code's SME flag; added field)")


# --- awards.csv -------------------------------------------------------------------------------


class Award(Model):
    id: Text = Field(description="our reference, unique, e.g. `BPCC-2025-014` (the 360Giving id is `<grant_id_prefix>-<id>`)")
    title: Title = Field(description="under 140 characters")
    description: MultilineText = Field(description="plain text: what the award pays for")
    provider_id: Text = Field(description="an `id` in providers.csv")
    funding_stream: Code = Field(description="a funding stream `code` in funder.yaml")
    priorities: TextList = Field(description="`;`-separated priority codes from funder.yaml")
    award_type: AwardType = Field(description="`grant` or `contract`")
    route: Route = Field(description="one of: " + ", ".join(codes.ROUTES))
    amount_awarded: Money = Field(description="total for the whole term, in pounds")
    award_date: IsoDate = Field(description="date the award was made")
    start_date: IsoDate = Field(description="date the funded service starts")
    end_date: IsoDate = Field(description="date it ends; not before the start")
    opportunity_id: Optional[Text] = Field(None, description="the `id` of the opportunity it came from")
    co_commissioners: TextList = Field([], description="`;`-separated partner names (NHS, local authorities, Probation ...)")
    justification: Optional[MultilineText] = Field(None, description="why there was no competition: required for direct-award and single-tender-action")
    contract_document: Optional[Url] = Field(None, description="URL of the published contract")
    extends: Optional[Text] = Field(None, description="`id` of an earlier award that this one renews or extends")
    light_touch: YesNo = Field(None, description="`yes` for a contract for light-touch services (the higher tender threshold applies); empty or `no` otherwise (added field)")
    areas: TextList = Field([], description="`;`-separated area codes from funder.yaml where the service is delivered; empty means the whole area (added field)")
    conditions: Optional[MultilineText] = Field(None, description=(
        "the conditions attached to a grant, or the https URL of the published grant conditions (added field)"))
    reasons: Optional[MultilineText] = Field(None, description="why the commissioner considers the grant will help reduce crime and disorder (added field)")
    decision_record: Optional[Text] = Field(None, description="the reference of the published decision, e.g. `PCC/D/2025/014` (added field)")
    decision_record_url: Optional[Url] = Field(None, description="where the decision record is published (added field)")
    vat_not_recoverable: Optional[Money] = Field(None, description="VAT on a contract that cannot be recovered, in pounds (added field)")
    review_date: Optional[IsoDate] = Field(None, description="when the contract is next reviewed (added field)")
    find_a_tender: Optional[FindATenderId] = Field(None, description="its notice on Find a Tender, e.g. `012345-2025` (added field)")
    recommissioning: Optional[Recommissioning] = Field(None, description=(
        "what happens when it ends: `recommission`, `extend`, `end` or `undecided`; empty means not yet decided (added field)"))
    recommissioning_route: Optional[Route] = Field(None, description="the planned route for recommissioning, as `route` (added field)")
    recommissioning_date: Optional[IsoDate] = Field(None, description="when the new opportunity is expected to be published (added field)")
    recommissioning_note: Optional[Text] = Field(None, description="a sentence on the plan, e.g. Market engagement in spring 2027 (added field)")


# --- opportunities/<id>.md --------------------------------------------------------------------


class Criterion(Model):
    criterion: Text = Field(description="what is scored")
    weight: WholeNumber = Field(description="its share of the score, in per cent")
    description: Optional[MultilineText] = Field(None, description="what a strong answer shows")


class Event(Model):
    title: Text = Field(description="e.g. Provider engagement event")
    start: UKDateTime = Field(description="date-time, UK time")
    end: UKDateTime = Field(description="date-time, UK time; not before the start")
    location: Text = Field(description="a venue or Online; never a refuge or safe-house address")
    booking_url: Optional[Url] = Field(None, description="where to book a place")


class Document(Model):
    title: Text = Field(description="the document's name")
    url: Text = Field(description="absolute https URL, or a path under content/, e.g. documents/spec.pdf")


class Clarification(Model):
    question: MultilineText = Field(description="the question, with anything that identifies who asked removed")
    answer: MultilineText = Field(description="our answer, shared with every bidder")
    published: IsoDate = Field(description="the date it was answered")


class Update(Model):
    date: UKDateTime = Field(description="date-time of the change (UK time), e.g. 2026-11-20T10:00")
    change: MultilineText = Field(description="what changed, e.g. Closing date moved to 14 December")


class Opportunity(Model):
    id: Text = Field(description="e.g. `OPP-2026-003`; unique; matches the file name")
    title: Title = Field(description="under 140 characters")
    summary: MultilineText = Field(description="one or two sentences")
    funding_stream: Code = Field(description="a funding stream `code` in funder.yaml")
    priorities: TextList = Field(description="list of priority codes")
    award_type: AwardType = Field(description="`grant` or `contract`")
    route: Route = Field(description="as in awards.csv")
    funding_envelope: Money = Field(description="total available for the whole term, in pounds")
    duration_months: WholeNumber = Field(description="length of the funded term in months")
    extension_months: Optional[WholeNumber] = Field(None, description="possible extension in months")
    min_award: Optional[Money] = Field(None, description="smallest award, in pounds")
    max_award: Optional[Money] = Field(None, description="largest award, in pounds")
    opens: Opening = Field(description="date-time applications open (UK time), e.g. 2026-11-03T09:00")
    closes: Closing = Field(description="date-time applications close (UK time); a date alone means 23:59")
    decision_by: Optional[IsoDate] = Field(None, description="date decisions are expected")
    service_start: Optional[IsoDate] = Field(None, description="date the service is expected to start")
    who_can_apply: TextList = Field(description="list of organisation types")
    evaluation_criteria: list[Criterion] = Field(description="list of `criterion`, `weight` (weights sum to 100), optional `description`")
    events: list[Event] = Field([], description="list of `title`, `start`, `end`, `location`, optional `booking_url`")
    documents: list[Document] = Field([], description="list of `title`, `url` (absolute, or a path under content/)")
    apply_url: Optional[Url] = Field(None, description="where to apply (this or apply_email)")
    apply_email: Optional[Email] = Field(None, description="where to send a bid (this or apply_url)")
    contact_email: Email = Field(description="where to ask questions")
    withdrawn: Optional[MultilineText] = Field(None, description="a reason: the opportunity was withdrawn")
    clarification_deadline: Optional[Closing] = Field(None, description="last date-time for clarification questions (added field)")
    areas: TextList = Field([], description="list of area codes from funder.yaml; empty means the whole area (added field)")
    eligibility: TextList = Field([], description="list of what must be true of an applicant, beyond its type (added field)")
    not_funded: TextList = Field([], description="list of what we will not fund (added field)")
    clarifications: list[Clarification] = Field([], description="questions and answers shared with every bidder: list of `question`, `answer`, `published` (added field)")
    updates: list[Update] = Field([], description="changes after publishing: list of `date`, `change`; subscribers see each one (added field)")
    panel: Optional[MultilineText] = Field(None, description="how bids are scored and by whom; defaults to funder.yaml `panel_text` (added field)")
    find_a_tender: Optional[FindATenderId] = Field(None, description="its notice on Find a Tender, e.g. `012345-2025` (added field)")
    _body: str = PrivateAttr(default="")
    _body_line: int = PrivateAttr(default=0)

    @property
    def body(self) -> str:
        """The specification of need: the Markdown after the front matter."""
        return self._body


# --- payments/<financial year>.csv ------------------------------------------------------------


class Payment(Model):
    date: IsoDate = Field(description="date paid; inside the file's financial year")
    provider_id: Optional[Text] = Field(None, description="an `id` in providers.csv; or, for anyone else, `supplier`")
    award_id: Optional[Text] = Field(None, description="the award it pays for")
    amount: SignedMoney = Field(description="pounds; negative for a refund or correction")
    description: Text = Field(description="purpose")
    invoice_received: Optional[IsoDate] = Field(None, description="date the invoice arrived: gives days to pay")
    period: Optional[Month] = Field(None, description="`YYYY-MM`, the month paid for")
    supplier: Optional[Text] = Field(None, description="who was paid, when it is not a provider in providers.csv (added field)")
    supplier_id: Optional[Text] = Field(None, description="the supplier's org-id or company number, if it has one (added field)")
    supplier_type: Optional[SupplierType] = Field(None, description=(
        "`organisation` (the default), `individual` or `sole-trader`: a payment to a person is published without their name (added field)"))
    expense_area: Optional[Text] = Field(None, description="the Transparency Code's expense area, e.g. Commissioning (added field)")
    expense_type: Optional[Text] = Field(None, description="the Transparency Code's expense type, e.g. Grants to voluntary organisations (added field)")
    value_for_money: Optional[Text] = Field(None, description=(
        "why good value for money was obtained; for a payment against an award, it defaults from how the award was made (added field)"))
    vat_not_recoverable: Optional[Money] = Field(None, description="VAT that cannot be recovered, in pounds (added field)")
