"""What the law asks a funder to publish about funding, commissioning and spend (DUTIES, plain data), and
data/duties.yaml: where the duties published elsewhere (the plan, the annual report, pay) are, and when
each was last brought up to date.

A successor body, or a change in the law, changes DUTIES: the words, where each is met on this site
(paths from the site root, `listing` for the list of spending over the threshold, or `funder` for
the funder's own website), and which `measure` (a function of derive/duties.py, by name) says how
complete the data is. The words are our own summary of the law, not its text.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Optional

from pydantic import Field

from ..problems import DataError, Problem
from .fields import Code, IsoDate, Text, Url
from .models import Model
from .read import read_yaml_mapping
from .validate import build

ORDER = "Elected Local Policing Bodies (Specified Information) Order 2011"
ACT = "Procurement Act 2023"
POLICING_ACT = "Police Reform and Social Responsibility Act 2011"


@dataclass(frozen=True)
class Duty:
    key: str
    law: str
    provision: str
    title: str
    requires: str  # in plain words
    how_often: str
    where: tuple[tuple[str, str], ...]  # (link text, a path on this site, "listing" for the spending list, or "funder")
    measure: str  # the name of a function below: how complete and how up to date
    latest: str = ""  # what the date of its latest entry is, e.g. "Latest grant"


DUTIES: tuple[Duty, ...] = (
    Duty("grants", ORDER, "Schedule, paragraph 3(f)", "Grants to reduce crime and disorder",
         "For each grant we make to reduce crime and disorder: who received it, what it is for, the conditions "
         "attached to it, and why we expect it to reduce crime and disorder.",
         "Every month",
         (("The funding register", "funded-services/"), ("Each award's page", "funded-services/"),
          ("The funding register as a spreadsheet", "data/")),
         "grant_records", "Latest grant"),
    Duty("spend", ORDER, "Schedule, paragraph 3(g)", "Spending over £500",
         "Each item of spending over £500, other than the grants above: who was paid, what for, and why we considered "
         "it good value for money. Our list has the grant payments too, so it is all our spending over £500. A payment "
         "to a person (an individual or a sole trader) is published without their name.",
         "Every month, as soon as we can after the month ends",
         (("Spending over £500", "listing"),),
         "monthly_spend", "Latest payment published"),
    Duty("contracts", ORDER, "Schedule, paragraph 4(b)", "Copies of contracts over £10,000",
         "A copy of each contract worth more than £10,000.",
         "When the contract is made",
         (("The contracts list", "data/"), ("Each contract's page", "funded-services/")),
         "contract_copies", "Latest contract"),
    Duty("decisions", ORDER, "Schedule, paragraph 5(d)", "Decisions of significant public interest",
         "A record of each decision of significant public interest. For an award, that is the decision to make it: "
         "each award's page gives the reference of its decision record, linked to the record.",
         "When the decision is made",
         (("Each award's page", "funded-services/"), ("The commissioner's decisions", "funder")),
         "decision_records", "Latest award"),
    Duty("payments-compliance", ACT, "Section 69", "Payments compliance notice",
         "Every six months (1 April to 30 September and 1 October to 31 March): how many days on average we took to "
         "pay the invoices under our contracts, the share paid within 30 days, in 31 to 60 days and after 60 days, and "
         "the share that were not paid within the agreed terms. The duty began on 1 January 2026, so the first "
         "notice covers 1 January to 31 March 2026; the figures on this site go back further, to show the trend.",
         "Every six months, within 30 days of the period's end",
         (("Paying suppliers on time", "payments-compliance/"),),
         "compliance_periods", "Figures complete to"),
    Duty("notices", ACT, "Sections 50 and 53", "Contract award and contract details notices",
         "Notices on the government's Find a Tender service when we award a contract worth more than £30,000 and "
         "when we enter into it. Our award pages link to each contract's notice.",
         "When the contract is awarded and entered into",
         (("Each contract's page", "funded-services/"),),
         "tender_notices", "Latest contract"),
    Duty("significant-payments", ACT, "Section 70", "Payments over £30,000 under contracts",
         "Each payment of more than £30,000 (VAT included) that we make under a contract procured under the Act, "
         "published on the government's Central Digital Platform within 30 days of the end of the quarter we made it "
         "in. The duty began on 1 April 2026 and covers contracts whose procurement began on or after that day; "
         "smaller payments under the same contract are not added together. Our list of spending over £500 has "
         "every such payment.",
         "Every quarter, within 30 days of the quarter's end",
         (("Spending over £500", "listing"), ("Find a Tender", "https://www.find-tender.service.gov.uk/")),
         "significant_payments", "Payments published to"),
    Duty("contract-performance", ACT, "Section 71", "Contract performance notices",
         "For each contract worth more than £5 million procured under the Act: how the provider performed against "
         "the contract's key performance indicators (at least three), assessed and published on the Central Digital "
         "Platform at least once a year and when the contract ends; and, for any contract, a notice when a provider's "
         "breach or poor performance leads to damages, a settlement or ending part of the contract.",
         "At least once a year for each such contract, and when it ends",
         (("Find a Tender", "https://www.find-tender.service.gov.uk/"),),
         "contract_performance", "Notices last published"),
    Duty("plan", POLICING_ACT, "Section 5", "Police and Crime Plan",
         "The commissioner's plan: the priorities our funding serves.",
         "At least once a term of office, and when it changes",
         (("The commissioner's website", "funder"),),
         "elsewhere"),
    Duty("annual-report", POLICING_ACT, "Section 12", "Annual report",
         "A report each year on what the commissioner has done against the Police and Crime Plan.",
         "Every year",
         (("The commissioner's website", "funder"),),
         "elsewhere"),
    Duty("pay", ORDER, "Schedule, paragraphs 1 and 2", "Pay, allowances and staff",
         "The commissioner's salary and allowances, a register of interests, and the staff, their structure and senior "
         "salaries.",
         "When they change",
         (("The commissioner's website", "funder"),),
         "elsewhere"),
)


# --- when a duty is next due -------------------------------------------------------------------


def month_end(year: int, month: int) -> date:
    year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    return date(year, month, calendar.monthrange(year, month)[1])


def spend_due(last_paid: date) -> tuple[date, date]:
    """The list of spending: the month after the last one published is due once it has ended, and
    overdue a month later. (due from, overdue after)."""
    return month_end(last_paid.year, last_paid.month + 1), month_end(last_paid.year, last_paid.month + 2)


# Section 69 came into force on 1 January 2026 (the Procurement Act 2023 (Commencement No. 4)
# Regulations 2025): no notice is due for a period that ended before its first one, to 31 March 2026.
PAYMENTS_COMPLIANCE_FROM = date(2026, 1, 1)


NOTICE_DAYS = 30  # sections 69 and 70: "before the end of the period of 30 days beginning with the last day" of the period


def notice_due(end: date) -> date:
    """The last day to publish for a period ending on `end`: its 30 days begin with that day, so a
    quarter to 30 June is due by 29 July."""
    return end + timedelta(days=NOTICE_DAYS - 1)


# Section 70 came into force on 1 April 2026, for contracts whose procurement began on or after that day.
SIGNIFICANT_PAYMENTS_FROM = date(2026, 4, 1)


def quarter_end(day: date) -> date:
    """The last day of the calendar quarter a day falls in (quarters end on 30 June, 30 September,
    31 December and 31 March)."""
    return month_end(day.year, (day.month - 1) // 3 * 3 + 3)


def significant_payments_due(today: date) -> tuple[date, date]:
    """The latest quarter that has ended by today (the one before today's) and the day its payments
    are due on the Central Digital Platform. (quarter end, due)."""
    end = month_end(today.year, (today.month - 1) // 3 * 3)  # the month before this quarter's first
    return end, notice_due(end)


def half_year(day: date) -> tuple[date, date]:
    """The reporting period a day falls in: 1 April to 30 September, or 1 October to 31 March."""
    if 4 <= day.month <= 9:
        return date(day.year, 4, 1), date(day.year, 9, 30)
    start_year = day.year if day.month >= 10 else day.year - 1
    return date(start_year, 10, 1), date(start_year + 1, 3, 31)


def compliance_notice_due(today: date) -> tuple[date, date]:
    """The payments compliance notice: the latest half-year that has ended by today (the one before
    today's), and the day its notice is due. (period end, due)."""
    end = half_year(today)[0] - timedelta(days=1)
    return end, notice_due(end)


# --- data/duties.yaml --------------------------------------------------------------------------


class PublishedElsewhere(Model):
    """One of duties.yaml's `published_elsewhere`: a duty met on the funder's own website."""

    duty: Code = Field(description="which duty: " + ", ".join(f"`{d.key}`" for d in DUTIES))
    url: Url = Field(description="where it is published, e.g. the plan's page on the funder's website")
    published: IsoDate = Field(description="when it was last brought up to date, e.g. 2026-07-15")
    next_due: Optional[IsoDate] = Field(None, description="when it is next due; the build warns once it has passed")
    title: Optional[Text] = Field(None, description="what is published there, e.g. Police and Crime Plan 2024 to 2028")


class DutiesFile(Model):
    published_elsewhere: list[PublishedElsewhere] = Field([], description=(
        "the duties published on the funder's own website: a list of `duty`, `url`, `published`, optional `next_due` and `title`"))


def read_duties(path: Path, name: str) -> tuple[DutiesFile | None, list[Problem]]:
    """data/duties.yaml as a model, and its problems; None when there is no such file (it is optional)."""
    if not path.exists():
        return None, []
    problems: list[Problem] = []
    try:
        record = read_yaml_mapping(path, name)
    except DataError as exc:
        return None, exc.problems
    return build(DutiesFile, record, problems), problems
