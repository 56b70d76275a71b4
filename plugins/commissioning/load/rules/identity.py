"""Identity: every record has an id of its own, in a form that can be a web address or an org-id."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Iterator

from ...problems import Problem
from ..dataset import Dataset
from ..models import Model
from .. import orgids
from .common import at


def unique_ids(data: Dataset) -> Iterator[Problem]:
    """Every provider, award and opportunity id is used once (ignoring case, as web addresses do)."""
    for records in (data.providers, data.awards, data.opportunities):
        first: dict[str, Model] = {}
        for record in records:
            key = record.id.lower()
            if key in first:
                other = first[key].origin
                yield at(record, "id", f"'{record.id}' is already used at {other.file}:{other.line}; give each one its own id")
            else:
                first[key] = record
    if data.funder:
        for kind in ("priorities", "funding_streams"):
            counts = Counter(item.code for item in getattr(data.funder, kind))
            for index, item in enumerate(getattr(data.funder, kind)):
                if counts[item.code] > 1:
                    yield at(data.funder, kind, f"code '{item.code}' is used more than once; give each its own code", index)
                    counts[item.code] = 1


def ids_can_be_web_addresses(data: Dataset) -> Iterator[Problem]:
    """Award and opportunity ids use only letters, digits and hyphens: each becomes a web address."""
    for record in [*data.awards, *data.opportunities]:
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9-]*", record.id):
            yield at(record, "id", f"'{record.id}' has characters a web address cannot hold; use only letters, digits and hyphens, for example BPCC-2025-014")


def opportunity_id_matches_file_name(data: Dataset) -> Iterator[Problem]:
    """An opportunity's id is the name of its file (OPP-2026-003 lives in OPP-2026-003.md)."""
    for opportunity in data.opportunities:
        stem = Path(opportunity.origin.file).stem
        if opportunity.id != stem:
            yield at(opportunity, "id", f"'{opportunity.id}' does not match the file name '{stem}'; rename the file or change the id")


def provider_ids_are_org_ids(data: Dataset) -> Iterator[Problem]:
    """A provider id is an org-id from a register org-id.guide lists (GB-CHC-1234567, GB-COH-01234567), or a 360Giving id (360G-...)."""
    prefix = data.funder.grant_id_prefix + "-" if data.funder else None
    for provider in data.providers:
        found = orgids.split(provider.id)
        if found:
            yield from _number_in_id(provider, *found)
            continue
        if orgids.is_360giving(provider.id):
            continue
        if orgids.looks_like_org_id(provider.id):
            register = "-".join(provider.id.split("-")[:2])
            yield at(provider, "id", (
                f"'{provider.id}' starts with {register}, which is not a register org-id.guide lists; "
                f"use one of {', '.join(orgids.PREFIXES)}, or check the prefix on org-id.guide"))
            continue
        example = f"{prefix}{'riverside-youth-club'}" if prefix else "<grant_id_prefix>-riverside-youth-club"
        yield at(provider, "id", f"'{provider.id}' is not an org-id; use GB-CHC-<charity number>, GB-COH-<company number>, or {example} for an unregistered group")


def _number_in_id(provider: Model, register: str, number: str) -> Iterator[Problem]:
    if register == "GB-COH":
        written = orgids.company_number(number)
        if written and written != number.upper():
            yield at(provider, "id", f"'{provider.id}' has lost the leading zero of its company number: write GB-COH-{written}")
        elif not written:
            yield at(provider, "id", (
                f"'{provider.id}' does not end in a company number (8 characters: 8 digits, or 2 letters and 6 digits "
                "such as SC123456); check the number on the Companies House register"))
    elif register in ("GB-CHC", "GB-NIC") and not orgids.CHARITY_NUMBER.fullmatch(number):
        yield at(provider, "id", (
            f"'{provider.id}' does not end in a charity number (6 to 8 digits); check the number on the charity register"))


def registered_numbers_are_well_formed(data: Dataset) -> Iterator[Problem]:
    """A company_number has 8 characters (01234567, SC123456), a charity_number 6 to 8 digits (SC and 6 digits in Scotland), and each is the number in the provider's org-id."""
    for provider in data.providers:
        found = orgids.split(provider.id) or ("", "")
        value = provider.company_number
        if value:
            written = orgids.company_number(value)
            if written is None:
                yield at(provider, "company_number", (
                    f"'{value}' is not a company number; it has 8 characters: 8 digits, or 2 letters and 6 digits, "
                    "for example 01234567 or SC123456"))
            elif written != value.strip().upper():
                yield at(provider, "company_number", (
                    f"'{value}' has lost its leading zero: write {written} (Excel drops leading zeros: "
                    "format the column as Text before typing)"))
            elif found[0] == "GB-COH" and orgids.company_number(found[1]) not in (None, written):
                yield at(provider, "company_number", f"'{value}' is not the company number in the id {provider.id}; check both")
        value = provider.charity_number
        if value:
            number = value.strip().upper()
            if not (orgids.CHARITY_NUMBER.fullmatch(number) or orgids.SCOTTISH_CHARITY_NUMBER.fullmatch(number)):
                yield at(provider, "charity_number", (
                    f"'{value}' is not a charity number; one registered in England and Wales has 6 to 8 digits, "
                    "for example 1000001 (in Scotland: SC and 6 digits)"))
            elif found[0] in ("GB-CHC", "GB-NIC", "GB-SC") and found[1].upper() != number:
                yield at(provider, "charity_number", f"'{value}' is not the charity number in the id {provider.id}; check both")


def _registrations(provider) -> Iterator[tuple[str, str, str]]:
    """(field, register, number) for each registered number a provider row gives, in its id or its columns."""
    register, number = orgids.split(provider.id) or ("", "")
    if register == "GB-COH" and orgids.company_number(number):
        yield "id", "company", orgids.company_number(number)
    if register in ("GB-CHC", "GB-NIC", "GB-SC"):
        yield "id", "charity", number.upper()
    if provider.company_number and orgids.company_number(provider.company_number):
        yield "company_number", "company", orgids.company_number(provider.company_number)
    if provider.charity_number:
        yield "charity_number", "charity", provider.charity_number.strip().upper()


def one_provider_per_registered_number(data: Dataset) -> Iterator[Problem]:
    """No two providers give the same company or charity number: one organisation is one provider row."""
    first: dict[tuple[str, str], Model] = {}
    for provider in data.providers:
        for field, register, number in _registrations(provider):
            owner = first.setdefault((register, number), provider)
            if owner is not provider:
                where = owner.origin
                yield at(provider, field, (
                    f"{register} number {number} is also that of {owner.id} at {where.file}:{where.line}; "
                    "one organisation is one provider: keep one row, and use its id in awards and payments"))
                break
