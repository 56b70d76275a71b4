"""Rules for payments that need the awards: the date an award was made, and the amount awarded.

The other payment rules (date inside the file's financial year, known provider and award, the
award's own provider, amounts that are numbers, not paid before the invoice) are in rules.py.
"""

from __future__ import annotations

from itertools import accumulate
from typing import Iterator

from .dataset import Dataset
from .models import Payment
from .problems import Problem
from .rules import rule


def _at(payment: Payment, field: str, message: str) -> Problem:
    source = payment.origin
    return Problem(source.file, source.line_of(field), field, message)


@rule
def payment_not_zero(data: Dataset) -> Iterator[Problem]:
    """A payment is for some amount: a row of 0 pays nothing."""
    if all(data.payment_values("amount")):  # the usual case, without a Python step per payment
        return
    for payment in data.all_payments:
        if not payment.amount:
            yield _at(payment, "amount", "is 0, which pays nothing; give the amount paid, or delete the row")


@rule
def payment_not_before_award(data: Dataset) -> Iterator[Problem]:
    """A payment against an award is not dated before the award was made."""
    awards = {a.id: a for a in data.awards}
    dates = data.payment_values("date")
    for award_id, positions in data.payments_by_award.items():
        award = awards.get(award_id)
        if award is None:
            continue
        for position in positions:  # by date: the early ones come first
            if dates[position] >= award.award_date:
                break
            payment = data.payments_by_date[position]
            yield _at(payment, "date", (
                f"'{payment.date}' is before award {award.id} was made on {award.award_date}; "
                "check the date, the award_id, or the award's award_date"))


@rule
def payments_within_amount_awarded(data: Dataset) -> Iterator[Problem]:
    """Payments against an award, after refunds, add up to no more than its amount_awarded."""
    awards = {a.id: a for a in data.awards}
    amounts = data.payment_values("amount")
    for award_id, positions in data.payments_by_award.items():
        award = awards.get(award_id)
        if award is None:
            continue
        totals = list(accumulate(map(amounts.__getitem__, positions)))  # running totals, date by date
        if max(totals) <= award.amount_awarded:
            continue
        # Report the payment that first takes the total over, once: later ones follow from it.
        index, total = next((i, t) for i, t in enumerate(totals) if t > award.amount_awarded)
        yield _at(data.payments_by_date[positions[index]], "amount", (
            f"takes payments against award {award.id} to {total:.2f}, more than its amount_awarded "
            f"of {award.amount_awarded:.2f}; check the amounts, or if the award was increased, "
            "change amount_awarded in data/awards.csv"))


