"""The statutory record: what the Specified Information Order needs of grants and of spend, and the duties' dates."""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import Iterator

from ...problems import Problem
from ..codes import PERSONAL_SUPPLIER_TYPES
from ..dataset import Dataset
from ..duties import (
    DUTIES, PAYMENTS_COMPLIANCE_FROM, SIGNIFICANT_PAYMENTS_FROM, compliance_notice_due, significant_payments_due, spend_due,
)
from .common import WARNING, at

# A name that starts with a personal title is a person's name, whatever supplier_type says.
PERSONAL_TITLE = re.compile(r"(?i)^(mr|mrs|ms|miss|mx|dr|prof|professor|sir|dame|rev|revd|lady|lord)\.?\s+\S")
STATUTORY_FIELDS = ("conditions", "reasons", "decision_record")


def grants_record_conditions_reasons_and_decision(data: Dataset) -> Iterator[Problem]:
    """A grant made on or after funder.yaml `statutory_from` records its conditions, reasons and decision_record."""
    since = data.funder.statutory_from if data.funder else None
    if since is None:
        return
    for award in data.awards:
        if award.award_type != "grant" or award.award_date < since:
            continue
        missing = [name for name in STATUTORY_FIELDS if not getattr(award, name)]
        if missing:
            # One message for the award, naming every missing field: they have one cause and one fix.
            yield at(award, missing[0], (
                f"is empty, and {', '.join(missing)} must be recorded for grants made since {since:%-d %B %Y} "
                "(the Specified Information Order); add the grant's conditions (or a link to them), why it will help "
                "reduce crime and disorder, and the decision record's reference"))


def payments_name_one_payee(data: Dataset) -> Iterator[Problem]:
    """Each payment names its payee once: a provider_id for a funded provider, or a supplier for anyone else."""
    providers = data.payment_values("provider_id")
    if all(providers) and not any(data.payment_values("supplier")):
        return  # the usual case, without a Python step per payment
    for payment in data.all_payments:
        if not payment.provider_id and not payment.supplier:
            yield at(payment, "provider_id", "is empty, and so is supplier; give the provider's id, or the supplier's name for anyone else")
        elif payment.provider_id and payment.supplier:
            yield at(payment, "supplier", (
                f"is given as well as provider_id '{payment.provider_id}'; keep provider_id for a funded provider "
                "and clear supplier"))


def people_are_marked_as_individuals(data: Dataset) -> Iterator[Problem]:
    """A supplier whose name starts with a personal title (Mr, Mrs, Dr ...) is marked as an individual, so their name is withheld."""
    if not any(data.payment_values("supplier")):
        return
    for payment in data.all_payments:
        if payment.supplier and PERSONAL_TITLE.match(payment.supplier) and payment.supplier_type not in PERSONAL_SUPPLIER_TYPES:
            yield at(payment, "supplier", (
                "starts with a personal title, so it looks like a person's name, which is never published; "
                "set supplier_type to individual (or sole-trader), and the site shows 'Redacted: payment to an individual'"))


def payments_in_arrears_are_for_a_past_month(data: Dataset) -> Iterator[Problem]:
    """Where funder.yaml says payments are made in arrears, a payment's period is before the month it was paid (a warning)."""
    if not (data.funder and data.funder.pays_in_arrears) or not any(data.payment_values("period")):
        return
    # Payments repeat a few thousand pairs of period and date: each pair is judged once, and the
    # payments are gone through only when one is in advance.
    pairs = set(zip(data.payment_values("period"), data.payment_values("date")))
    ahead = {(period, paid) for period, paid in pairs if period and (period.year, period.month) >= (paid.year, paid.month)}
    for payment in data.all_payments if ahead else ():
        if (payment.period, payment.date) in ahead:
            yield at(payment, "period", (
                f"says the payment of {payment.date:%-d %B %Y} was for {payment.period:%B %Y}, in advance, but "
                "data/funder.yaml says payments are made in arrears; check the period (it is published as written)"),
                severity=WARNING)


def duties_published_elsewhere_are_known(data: Dataset) -> Iterator[Problem]:
    """Each entry of duties.yaml names a duty of DUTIES once, and was published by the build's day."""
    keys = [d.key for d in DUTIES]
    seen: set[str] = set()
    for index, entry in enumerate(data.published_elsewhere):
        if entry.duty not in keys:
            yield at(data.duties, "published_elsewhere", f"'{entry.duty}' is not a duty we know; use one of {', '.join(keys)}", index, "duty")
        elif entry.duty in seen:
            yield at(data.duties, "published_elsewhere", f"'{entry.duty}' is given twice; keep one entry for each duty", index, "duty")
        seen.add(entry.duty)
        if data.now is not None and entry.published > data.now.date():
            yield at(data.duties, "published_elsewhere", (f"'{entry.published}' is after today ({data.now.date()}); give the day it was last "
                              "brought up to date"), index, "published")


def duties_are_not_overdue(data: Dataset) -> Iterator[Problem]:
    """A warning when a duty is overdue: the month's spending or the payments compliance notice, or an entry of duties.yaml past its next_due."""
    if data.now is None:
        return
    today = data.now.date()
    for index, entry in enumerate(data.published_elsewhere):
        if entry.next_due and today > entry.next_due:
            yield at(data.duties, "published_elsewhere", (
                f"'{entry.next_due}' has passed, so {entry.title or entry.duty} is overdue; publish it, then change "
                "published and next_due"), index, "next_due", severity=WARNING)
    # payments_by_date is sorted: the latest payment on or before today, without a step per payment.
    published = bisect_right(data.payment_values("date"), today)
    if not published:
        return
    latest = data.payments_by_date[published - 1]
    month_due, overdue_after = spend_due(latest.date)
    period_end, notice_due = compliance_notice_due(today)
    late = []
    if today > overdue_after:
        late.append(f"the spending over £500 for {month_due:%B %Y} was due by {overdue_after:%-d %B %Y}")
    if period_end > PAYMENTS_COMPLIANCE_FROM and today > notice_due \
            and (latest.date.year, latest.date.month) < (period_end.year, period_end.month):
        late.append(f"the payments compliance notice to {period_end:%-d %B %Y} was due by {notice_due:%-d %B %Y}")
    quarter_end, payments_due = significant_payments_due(today)
    if quarter_end > SIGNIFICANT_PAYMENTS_FROM and today > payments_due \
            and (latest.date.year, latest.date.month) < (quarter_end.year, quarter_end.month):
        late.append(f"the payments over £30,000 under contracts to {quarter_end:%-d %B %Y} were due by {payments_due:%-d %B %Y}")
    if late:
        # One message: all are late for one reason, the payments not yet published.
        yield at(latest, "date", (
            f"is the latest payment published ({latest.date:%-d %B %Y}), and {_listed(late)}; add the payments "
            "made since then to data/payments/ (the site is published, and says what is overdue)"), severity=WARNING)


def _listed(parts: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"
