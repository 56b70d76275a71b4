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
    UK, Closing, Code, Email, IsoDate, Money, Month, MultilineText, Opening, SignedMoney, Text, TextList, Title,
    UKDateTime, Unit, Url, WholeNumber, YesNo,
)
from .read import Source


# The code lists, as pydantic types: a value outside the list is refused with the list in the message.
OrganisationType = Literal[tuple(codes.ORGANISATION_TYPES)]
AwardType = Literal[tuple(codes.AWARD_TYPES)]
Route = Literal[tuple(codes.ROUTES)]


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
    real_living_wage: YesNo = Field(None, description="pays the Real Living Wage: `yes`, `no`, or empty (not yet confirmed)")
    pension_scheme: YesNo = Field(None, description="has a pension scheme for all employees: `yes`, `no` or empty")
    no_zero_hours: YesNo = Field(None, description="employs no one on zero-hours contracts: `yes`, `no` or empty")
    policies_in_place: YesNo = Field(None, description="has the required policies in place: `yes`, `no` or empty")


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
    _body: str = PrivateAttr(default="")
    _body_line: int = PrivateAttr(default=0)

    @property
    def body(self) -> str:
        """The specification of need: the Markdown after the front matter."""
        return self._body


# --- payments/<financial year>.csv ------------------------------------------------------------


class Payment(Model):
    date: IsoDate = Field(description="date paid; inside the file's financial year")
    provider_id: Text = Field(description="an `id` in providers.csv")
    award_id: Optional[Text] = Field(None, description="the award it pays for")
    amount: SignedMoney = Field(description="pounds; negative for a refund or correction")
    description: Text = Field(description="purpose")
    invoice_received: Optional[IsoDate] = Field(None, description="date the invoice arrived: gives days to pay")
    period: Optional[Month] = Field(None, description="`YYYY-MM`, the month paid for")
