"""Personal data: free text must not hold an email address, a UK phone number or a full postcode.

Recipients are organisations. Contact and apply emails are the only places an email address may
appear; refuge and safe-house addresses must never appear anywhere, and a full postcode is the
surest sign of one.
"""

from __future__ import annotations

import functools
import re
from typing import Iterator

from ...problems import Problem, field_name
from ..dataset import Dataset
from ..models import Model

EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
# 01234 567890, 020 7946 0000, 07700 900123, +44 (0)1234 567890: a leading 0 or +44 and 9-10 more digits.
PHONE = re.compile(r"(?<![\w.£/-])(?:\+44\s?(?:\(0\)\s?)?|\(?0)\d{2,4}\)?(?:[\s-]?\d){6,8}(?![\w/-])")
POSTCODE = re.compile(r"\b(?:[A-Z]{1,2}\d[A-Z\d]?|GIR)\s?\d[ABD-HJLNP-UW-Z]{2}\b", re.IGNORECASE)

FINDERS = (
    (EMAIL, "an email address", "name the organisation or role instead; contact_email and apply_email are the only places for an address"),
    (PHONE, "a phone number", "remove it: publish no phone numbers"),
    (POSTCODE, "a full postcode", "remove it: give a town or area, never a street address"),
)


@functools.lru_cache(maxsize=65536)
def find_personal_data(text: str) -> tuple[tuple[str, str, str], ...]:
    """Each (match, what it looks like, what to do) in a piece of free text.

    Cached: payment descriptions repeat ("Monthly grant payment") across hundreds of thousands of rows.
    """
    return tuple((match.group(0), what, advice)
                 for pattern, what, advice in FINDERS for match in pattern.finditer(text))


def _scan(record: Model, field: str, text: str | None, *path, line: int | None = None) -> Iterator[Problem]:
    if not text:
        return
    found_here = find_personal_data(text)
    if not found_here:
        return
    source = record.origin
    name = field_name((field, *path))
    for found, what, advice in found_here:
        yield Problem(source.file, line or source.line_of(field, *path), name, f"'{found}' looks like {what}; {advice}")


def no_personal_data_in_free_text(data: Dataset) -> Iterator[Problem]:
    """Free text holds no email address, UK phone number or full postcode (outside contact and apply emails)."""
    for provider in data.providers:
        for field in ("name", "locality"):
            yield from _scan(provider, field, getattr(provider, field))
    for award in data.awards:
        for field in ("title", "description", "justification"):
            yield from _scan(award, field, getattr(award, field))
        yield from _scan(award, "co_commissioners", "; ".join(award.co_commissioners))
    for opportunity in data.opportunities:
        for field in ("title", "summary", "withdrawn"):
            yield from _scan(opportunity, field, getattr(opportunity, field))
        for index, event in enumerate(opportunity.events):
            yield from _scan(opportunity, "events", event.title, index, "title")
            yield from _scan(opportunity, "events", event.location, index, "location")
        for index, criterion in enumerate(opportunity.evaluation_criteria):
            yield from _scan(opportunity, "evaluation_criteria", criterion.description, index, "description")
        for number, text in enumerate(opportunity.body.split("\n")):
            yield from _scan(opportunity, "specification", text, line=opportunity._body_line + number)
    # A few hundred descriptions repeat across hundreds of thousands of payments: scan each once.
    flagged = {text for text in set(data.payment_values("description")) if find_personal_data(text)}
    if flagged:
        for payment in data.all_payments:
            if payment.description in flagged:
                yield from _scan(payment, "description", payment.description)
    if data.funder:
        for kind in ("priorities", "funding_streams"):
            for index, item in enumerate(getattr(data.funder, kind)):
                yield from _scan(data.funder, kind, item.description, index, "description")
