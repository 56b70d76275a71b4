"""Payments: in the right file's year, after the invoice and the award, to the award's provider, and within its amount."""

from __future__ import annotations

from itertools import accumulate
from typing import Iterator

from ...problems import Problem
from ..dataset import Dataset
from ..fields import financial_year_bounds
from .common import WARNING, at


def payment_within_its_financial_year(data: Dataset) -> Iterator[Problem]:
    """A payments file is named for a financial year (2025-26.csv) and every date in it falls in that year."""
    for year, payments in data.payments.items():
        bounds = financial_year_bounds(year)
        if bounds is None:
            file = payments[0].origin.file if payments else f"data/payments/{year}.csv"
            yield Problem(file, 0, "", f"is not named for a financial year; name it like 2025-26.csv (1 April 2025 to 31 March 2026)")
            continue
        first, last = bounds
        for payment in payments:
            if not first <= payment.date <= last:
                yield at(payment, "date", f"'{payment.date}' is outside the financial year {year} ({first} to {last}); move the row to the right year's file")


def payment_not_before_invoice(data: Dataset) -> Iterator[Problem]:
    """A payment is not made before its invoice arrived."""
    for payment in data.all_payments:
        if payment.invoice_received and payment.invoice_received > payment.date:
            yield at(payment, "invoice_received", f"'{payment.invoice_received}' is after the date paid {payment.date}; check both dates")


def payments_match_their_award(data: Dataset) -> Iterator[Problem]:
    """A payment against an award goes to that award's provider."""
    provider_of = {a.id: a.provider_id for a in data.awards}
    providers = data.payment_values("provider_id")
    known = data.seen_ids.get("providers", set())
    for award_id, positions in data.payments_by_award.items():
        expected = provider_of.get(award_id)
        if not expected or set(map(providers.__getitem__, positions)) == {expected}:
            continue
        if expected not in known and "providers" not in data.unread:
            continue  # the award names no provider we know: references_resolve says so, once
        for position in positions:
            if providers[position] != expected:
                payment = data.payments_by_date[position]
                if payment.provider_id is None:
                    if payment.supplier:  # with neither, payments_name_one_payee says so, once
                        yield at(payment, "supplier", (
                            f"is not the provider of award {award_id} ({expected}); a payment against an award goes "
                            f"to its provider: give provider_id {expected}, or clear award_id"))
                    continue
                yield at(payment, "provider_id", f"'{payment.provider_id}' is not the provider of award {award_id} ({expected}); check the provider or the award")


def payment_not_zero(data: Dataset) -> Iterator[Problem]:
    """A payment is for some amount: a row of 0 pays nothing."""
    if all(data.payment_values("amount")):  # the usual case, without a Python step per payment
        return
    for payment in data.all_payments:
        if not payment.amount:
            yield at(payment, "amount", "is 0, which pays nothing; give the amount paid, or delete the row")


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
            yield at(payment, "date", (
                f"'{payment.date}' is before award {award.id} was made on {award.award_date}; "
                "check the date, the award_id, or the award's award_date"))


def payments_within_amount_awarded(data: Dataset) -> Iterator[Problem]:
    """A warning when payments against an award, after refunds, add up to more than its amount_awarded: the site is still published, and says so."""
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
        yield at(data.payments_by_date[positions[index]], "amount", (
            f"takes payments against award {award.id} to {total:.2f}, more than its amount_awarded "
            f"of {award.amount_awarded:.2f}; this is published, and the award's page says more was paid than awarded; "
            "check the amounts, or if the award was increased, change amount_awarded in data/awards.csv"),
            severity=WARNING)
