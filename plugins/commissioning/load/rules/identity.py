"""Identity: every record has an id of its own, in a form that can be a web address or an org-id."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Iterator

from ...problems import Problem
from ..dataset import Dataset
from ..models import Model
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
    """A provider id is an org-id (GB-CHC-1234567, GB-COH-01234567) or the funder's prefix and a slug."""
    prefix = data.funder.grant_id_prefix + "-" if data.funder else None
    for provider in data.providers:
        if re.fullmatch(r"[A-Z]{2}-[A-Z]{2,6}-[A-Za-z0-9][A-Za-z0-9-]*", provider.id):
            continue
        if prefix and provider.id.startswith(prefix) and re.fullmatch(r"[a-z0-9][a-z0-9-]*", provider.id[len(prefix):]):
            continue
        if prefix is None and provider.id.startswith("360G-"):
            continue  # funder.yaml has its own problem; do not guess at its prefix
        example = f"{prefix}{'riverside-youth-club'}" if prefix else "<grant_id_prefix>-riverside-youth-club"
        yield at(provider, "id", f"'{provider.id}' is not an org-id; use GB-CHC-<charity number>, GB-COH-<company number>, or {example} for an unregistered group")
