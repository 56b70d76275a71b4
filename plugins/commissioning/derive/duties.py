"""What we must publish by law about funding, commissioning and spend: each duty as plain data (DUTIES),
and how the site works out where it meets each one, how complete its data is and whether it is up to date.

A successor body, or a change in the law, changes DUTIES: the words, where each is met on this site
(paths from the site root, `listing` for the list of spending over the threshold, or `funder` for
the funder's own website), and which `measure` (a function
below, by name) says how complete the data is. The words are our own summary of the law, not its text.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from ..render.filters import plural, uk_date

ORDER = "Elected Local Policing Bodies (Specified Information) Order 2011"
ACT = "Procurement Act 2023"
POLICING_ACT = "Police Reform and Social Responsibility Act 2011"
ACT_IN_FORCE = date(2025, 2, 24)  # procurements begun from this day are under the Procurement Act 2023
CONTRACT_COPY_OVER = 10_000  # the Order asks for a copy of each contract over £10,000
NOTICE_OVER = 30_000  # the Act's contract details notices: a sub-central body's contracts over £30,000 (with VAT)


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
         "the share that were not paid within the agreed terms.",
         "Every six months, within 30 days of the period's end",
         (("Paying suppliers on time", "payments-compliance/"),),
         "compliance_periods", "Figures complete to"),
    Duty("notices", ACT, "Sections 50 and 53", "Contract award and contract details notices",
         "Notices on the government's Find a Tender service when we award a contract worth more than £30,000 and "
         "when we enter into it. Our award pages link to each contract's notice.",
         "When the contract is awarded and entered into",
         (("Each contract's page", "funded-services/"),),
         "tender_notices", "Latest contract"),
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


@dataclass
class Count:
    """How much of a duty's data is recorded: '12 of 14 grants made since 1 April 2025 have their conditions recorded'."""

    done: int
    of: int
    text: str

    @property
    def complete(self) -> bool:
        return self.done == self.of


def _month_end(year: int, month: int) -> date:
    year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    return date(year, month, calendar.monthrange(year, month)[1])


def _since(site):
    start = site.funder.statutory_from
    return start, (f"made since {uk_date(start)}" if start else "")


def _count(done: int, of: int, noun: str, since: str, what: str, nouns: str | None = None) -> Count:
    return Count(done, of, f"{done:,} of {plural(of, noun, nouns)}{' ' + since if since else ''} {what}")


# --- the measures: (counts, last updated, next due, status) for a duty ------------------------


def grant_records(site, transparency):
    start, since = _since(site)
    grants = [a for a in site.awards if a.award_type == "grant" and (start is None or a.award_date >= start)]
    counts = [
        _count(sum(1 for a in grants if a.conditions), len(grants), "grant", since,
               "have their conditions recorded"),
        _count(sum(1 for a in grants if a.reasons), len(grants), "grant", since,
               "say why we expect them to reduce crime and disorder"),
    ]
    last = max((a.award_date for a in site.awards if a.award_type == "grant" and a.award_date <= site.today), default=None)
    return counts, last, None, None


def monthly_spend(site, transparency):
    listed = [i for year in transparency.years for i in year.items]
    counts = [_count(sum(1 for i in listed if i.value_for_money), len(listed), "payment over £500", "",
                     "say why they were good value for money", "payments over £500")]
    last = transparency.records_to
    if last is None:
        return counts, None, None, "due"
    # The month after the last one published is due once it has ended, and overdue a month later.
    due_from, next_due = _month_end(last.year, last.month + 1), _month_end(last.year, last.month + 2)
    status = "overdue" if site.today > next_due else "due" if site.today > due_from else None
    return counts, last, next_due, status


def contract_copies(site, transparency):
    contracts = [a for a in site.awards if a.award_type == "contract" and a.amount_awarded > CONTRACT_COPY_OVER]
    counts = [_count(sum(1 for a in contracts if a.contract_document), len(contracts), "contract over £10,000", "",
                     "link to a published copy", "contracts over £10,000")]
    last = max((a.award_date for a in contracts if a.award_date <= site.today), default=None)
    return counts, last, None, None


def decision_records(site, transparency):
    start, since = _since(site)
    awards = [a for a in site.awards if start is None or a.award_date >= start]
    counts = [_count(sum(1 for a in awards if a.decision_record), len(awards), "award", since,
                     "give their decision record")]
    last = max((a.award_date for a in awards if a.award_date <= site.today), default=None)
    return counts, last, None, None


def compliance_periods(site, transparency):
    compliance = transparency.compliance
    latest = compliance.latest_complete
    if latest is None:
        return [], None, None, None
    counts = [Count(1, 1, f"{plural(latest.contracts.paid, 'contract invoice')} with an invoice date paid between "
                          f"{uk_date(latest.start)} and {uk_date(latest.end)}")]
    last_paid = transparency.records_to
    # A period's figures are whole once its last month's payments are published.
    covered = last_paid is not None and (last_paid.year, last_paid.month) >= (latest.end.year, latest.end.month)
    following = next((p for p in compliance.periods if p.start > latest.end), None)
    if covered:
        return counts, latest.end, following.notice_due if following else None, None
    return counts, None, latest.notice_due, "overdue" if site.today > latest.notice_due else "due"


def tender_notices(site, transparency):
    contracts = [a for a in site.awards if a.award_type == "contract" and a.award_date >= ACT_IN_FORCE
                 and a.amount_awarded > NOTICE_OVER]
    counts = [_count(sum(1 for a in contracts if a.find_a_tender), len(contracts), "contract over £30,000",
                     f"awarded since {uk_date(ACT_IN_FORCE)}", "link to their Find a Tender notice", "contracts over £30,000")]
    last = max((a.award_date for a in contracts if a.award_date <= site.today), default=None)
    return counts, last, None, None


def elsewhere(site, transparency):
    return [], None, None, "elsewhere"


MEASURES = {f.__name__: f for f in (grant_records, monthly_spend, contract_copies, decision_records, compliance_periods,
                                     tender_notices, elsewhere)}
