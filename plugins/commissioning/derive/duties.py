"""How the site works out, for each duty of load/duties.py's DUTIES, how complete its data is and
whether it is up to date: a `measure` function each, named by the duty.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from ..load.duties import (  # noqa: F401  (the sections read DUTIES here)
    DUTIES, SIGNIFICANT_PAYMENTS_FROM, Duty, month_end, notice_due, quarter_end, significant_payments_due, spend_due,
)
from ..render.filters import plural, uk_date

ACT_IN_FORCE = date(2025, 2, 24)  # procurements begun from this day are under the Procurement Act 2023
CONTRACT_COPY_OVER = 10_000  # the Order asks for a copy of each contract over £10,000
NOTICE_OVER = 30_000  # the Act's contract details notices: a sub-central body's contracts over £30,000 (with VAT)
SIGNIFICANT_PAYMENT_OVER = 30_000  # section 70: each payment of more than £30,000 (with VAT) under a contract
PERFORMANCE_OVER = 5_000_000  # sections 52 and 71: key performance indicators, assessed yearly, above £5 million


@dataclass
class Count:
    """How much of a duty's data is recorded: '12 of 14 grants made since 1 April 2025 have their conditions recorded'."""

    done: int
    of: int
    text: str

    @property
    def complete(self) -> bool:
        return self.done == self.of


def _since(site):
    start = site.funder.statutory_from
    return start, (f"made since {uk_date(start)}" if start else "")


def _count(done: int, of: int, noun: str, since: str, what: str, nouns: str | None = None) -> Count:
    return Count(done, of, f"{done:,} of {plural(of, noun, nouns)}{' ' + since if since else ''} {what}")


# --- the measures: (counts, last updated, next due, status) for a duty ------------------------


def grant_records(site, transparency, duty):
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


def monthly_spend(site, transparency, duty):
    listed = [i for year in transparency.years for i in year.items]
    counts = [_count(sum(1 for i in listed if i.value_for_money), len(listed), "payment over £500", "",
                     "say why they were good value for money", "payments over £500")]
    last = transparency.records_to
    if last is None:
        return counts, None, None, "due"
    due_from, next_due = spend_due(last)
    status = "overdue" if site.today > next_due else "due" if site.today > due_from else None
    return counts, last, next_due, status


def contract_copies(site, transparency, duty):
    contracts = [a for a in site.awards if a.award_type == "contract" and a.amount_awarded > CONTRACT_COPY_OVER]
    counts = [_count(sum(1 for a in contracts if a.contract_document), len(contracts), "contract over £10,000", "",
                     "link to a published copy", "contracts over £10,000")]
    last = max((a.award_date for a in contracts if a.award_date <= site.today), default=None)
    return counts, last, None, None


def decision_records(site, transparency, duty):
    start, since = _since(site)
    awards = [a for a in site.awards if start is None or a.award_date >= start]
    counts = [_count(sum(1 for a in awards if a.decision_record), len(awards), "award", since,
                     "give their decision record")]
    last = max((a.award_date for a in awards if a.award_date <= site.today), default=None)
    return counts, last, None, None


def compliance_periods(site, transparency, duty):
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


def tender_notices(site, transparency, duty):
    contracts = [a for a in site.awards if a.award_type == "contract" and a.award_date >= ACT_IN_FORCE
                 and a.amount_awarded > NOTICE_OVER]
    counts = [_count(sum(1 for a in contracts if a.find_a_tender), len(contracts), "contract over £30,000",
                     f"awarded since {uk_date(ACT_IN_FORCE)}", "link to their Find a Tender notice", "contracts over £30,000")]
    last = max((a.award_date for a in contracts if a.award_date <= site.today), default=None)
    return counts, last, None, None


def _procured_from(award) -> date:
    """When an award's procurement began, as far as the data says: the day its opportunity opened, or
    without one (a direct award) the day it was made."""
    opportunity = getattr(award, "opportunity", None)
    opens = getattr(opportunity, "opens", None)
    return opens.date() if opens is not None else award.award_date


def _under_the_act(award, since: date) -> bool:
    return award is not None and award.award_type == "contract" and _procured_from(award) >= since


def significant_payments(site, transparency, duty):
    """Section 70: the payments over £30,000 under contracts procured since it began, and whether the
    published payments cover the latest quarter whose deadline has come."""
    listed = [i for year in transparency.years for i in year.items]
    payments = [i for i in listed if i.amount > SIGNIFICANT_PAYMENT_OVER and _under_the_act(i.award, SIGNIFICANT_PAYMENTS_FROM)]
    counts = [Count(len(payments), len(payments),
                    f"{plural(len(payments), 'payment')} over £30,000 under contracts procured since "
                    f"{uk_date(SIGNIFICANT_PAYMENTS_FROM)}, in our list of spending over £500")]
    ended, due = significant_payments_due(site.today)
    if ended < SIGNIFICANT_PAYMENTS_FROM:
        return counts, None, due, None  # no quarter of the duty has ended yet
    last = transparency.records_to
    # A quarter's payments are whole once its last month's payments are published.
    covered = last is not None and (last.year, last.month) >= (ended.year, ended.month)
    if covered:
        following = quarter_end(ended + timedelta(days=1))
        return counts, ended, notice_due(following), None
    return counts, None if last is None else _quarter_before(last), due, "overdue" if site.today > due else "due"


def _quarter_before(last: date) -> date | None:
    """The last quarter wholly covered by payments published to `last`, if the duty had begun by then."""
    end = quarter_end(last)
    if end != month_end(last.year, last.month):
        end = month_end(end.year, end.month - 3)
    return end if end >= SIGNIFICANT_PAYMENTS_FROM else None


def contract_performance(site, transparency, duty):
    """Sections 52 and 71: the contracts over £5 million procured under the Act (from 24 February 2025),
    whose performance is published on the Central Digital Platform; where and when, data/duties.yaml says."""
    contracts = [a for a in site.awards if a.amount_awarded > PERFORMANCE_OVER and _under_the_act(a, ACT_IN_FORCE)]
    if not contracts:
        return [Count(0, 0, f"No contract over £5 million procured since {uk_date(ACT_IN_FORCE)}, so no notice is due")], \
            None, None, None
    counts = [Count(len(contracts), len(contracts), f"{plural(len(contracts), 'contract')} over £5 million procured since "
                                                    f"{uk_date(ACT_IN_FORCE)}, each with a notice at least once a year")]
    _, published, next_due, status = elsewhere(site, transparency, duty)
    return counts, published, next_due, status


def elsewhere(site, transparency, duty):
    """A duty met on the funder's own website: when data/duties.yaml says it was last brought up to date and is next due."""
    entry = next((e for e in site.dataset.published_elsewhere if e.duty == duty.key), None)
    if entry is None:
        return [], None, None, "elsewhere"
    overdue = entry.next_due is not None and site.today > entry.next_due
    return [], entry.published, entry.next_due, "overdue" if overdue else "up to date"


MEASURES = {f.__name__: f for f in (grant_records, monthly_spend, contract_copies, decision_records, compliance_periods,
                                     tender_notices, significant_payments, contract_performance, elsewhere)}
