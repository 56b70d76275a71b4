"""How the site works out, for each duty of load/duties.py's DUTIES, how complete its data is and
whether it is up to date: a `measure` function each, named by the duty.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..load.duties import DUTIES, Duty, spend_due  # noqa: F401  (the sections read DUTIES here)
from ..render.filters import plural, uk_date

ACT_IN_FORCE = date(2025, 2, 24)  # procurements begun from this day are under the Procurement Act 2023
CONTRACT_COPY_OVER = 10_000  # the Order asks for a copy of each contract over £10,000
NOTICE_OVER = 30_000  # the Act's contract details notices: a sub-central body's contracts over £30,000 (with VAT)


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


def elsewhere(site, transparency, duty):
    """A duty met on the funder's own website: when data/duties.yaml says it was last brought up to date and is next due."""
    entry = next((e for e in site.dataset.published_elsewhere if e.duty == duty.key), None)
    if entry is None:
        return [], None, None, "elsewhere"
    overdue = entry.next_due is not None and site.today > entry.next_due
    return [], entry.published, entry.next_due, "overdue" if overdue else "up to date"


MEASURES = {f.__name__: f for f in (grant_records, monthly_spend, contract_copies, decision_records, compliance_periods,
                                     tender_notices, elsewhere)}
