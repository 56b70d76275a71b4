"""References: every id and code a record names exists."""

from __future__ import annotations

from difflib import get_close_matches
from functools import lru_cache
from typing import Iterator

from ...problems import Problem
from .. import codes
from ..dataset import Dataset
from ..models import Model
from .common import at


class _Known:
    """The ids of one kind, with the nearest one to a value that is not among them."""

    def __init__(self, ids: set):
        self.ids = ids
        self._by_lower = {i.lower(): i for i in ids if i}
        self.nearest = lru_cache(maxsize=None)(self._nearest)  # payments repeat an unknown id often

    def __contains__(self, value) -> bool:
        return value in self.ids

    def _nearest(self, value: str) -> str | None:
        if value.lower() in self._by_lower:  # the same id in other capitals
            return self._by_lower[value.lower()]
        close = get_close_matches(value.lower(), list(self._by_lower), n=1, cutoff=0.85)
        return self._by_lower[close[0]] if close else None


class _Anything:
    """The ids of a file that could not be read: every id might be in it."""

    def __contains__(self, value) -> bool:
        return True


def _known(data: Dataset, kind: str):
    return _Anything() if kind in data.unread else _Known(data.seen_ids.get(kind, set()))


def _reference(record: Model, field: str, value: str | None, known, what: str, where: str, *path) -> Iterator[Problem]:
    if value is not None and value not in known:
        match = known.nearest(value)
        hint = f" (did you mean '{match}'?)" if match else ""
        yield at(record, field, f"'{value}' is not {what}; check the spelling{hint}, or add it to {where} first", *path)


def references_resolve(data: Dataset) -> Iterator[Problem]:
    """Every provider_id, award_id, opportunity_id and extends names a record that exists (a near miss is named)."""
    providers = _known(data, "providers")
    awards = _known(data, "awards")
    opportunities = _known(data, "opportunities")
    for award in data.awards:
        yield from _reference(award, "provider_id", award.provider_id, providers, "a provider id", "data/providers.csv")
        yield from _reference(award, "opportunity_id", award.opportunity_id, opportunities, "an opportunity id", "data/opportunities/")
        yield from _reference(award, "extends", award.extends, awards, "an award id", "data/awards.csv")
        if award.extends == award.id:
            yield at(award, "extends", "names the award itself; name the earlier award it renews")
    # Most data sets refer to nothing unknown: find the unknown values first, then the rows that hold them.
    unknown_providers = {v for v in set(data.payment_values("provider_id")) if v is not None and v not in providers}
    unknown_awards = {v for v in set(data.payment_values("award_id")) if v is not None and v not in awards}
    if unknown_providers or unknown_awards:
        for payment in data.all_payments:
            if payment.provider_id in unknown_providers:
                yield from _reference(payment, "provider_id", payment.provider_id, providers, "a provider id", "data/providers.csv")
            if payment.award_id in unknown_awards:
                yield from _reference(payment, "award_id", payment.award_id, awards, "an award id", "data/awards.csv")


def codes_resolve(data: Dataset) -> Iterator[Problem]:
    """Every funding stream and priority code is one that funder.yaml defines."""
    if not data.funder:
        return
    streams = {s.code for s in data.funder.funding_streams}
    priorities = {p.code for p in data.funder.priorities}
    stream_list = ", ".join(sorted(streams))
    priority_list = ", ".join(sorted(priorities))
    for record in [*data.awards, *data.opportunities]:
        if record.funding_stream not in streams:
            yield at(record, "funding_stream", f"'{record.funding_stream}' is not a funding stream in data/funder.yaml; use one of {stream_list}")
        if not record.priorities:
            yield at(record, "priorities", f"names no priority; give at least one of {priority_list}")
        for code in record.priorities:
            if code not in priorities:
                yield at(record, "priorities", f"'{code}' is not a priority in data/funder.yaml; use codes from {priority_list}")


def areas_resolve(data: Dataset) -> Iterator[Problem]:
    """Every area a provider, award or opportunity names is one of funder.yaml's `areas`; funder.yaml marks at most one as whole."""
    if not data.funder:
        return
    known = {a.code for a in data.funder.areas}
    listed = ", ".join(sorted(known)) or "none yet"
    for provider in data.providers:
        if provider.area and provider.area not in known:
            yield at(provider, "area", f"'{provider.area}' is not an area in data/funder.yaml (areas there: {listed}); use one of them")
    for record in [*data.awards, *data.opportunities]:
        for code in record.areas:
            if code not in known:
                yield at(record, "areas", (
                    f"'{code}' is not an area in data/funder.yaml (areas there: {listed}); use one of them, "
                    "or leave areas empty for the whole area"))
    wholes = [i for i, a in enumerate(data.funder.areas) if a.whole]
    for index in wholes[1:]:
        yield at(data.funder, "areas", "marks a second area as whole; only the area that covers all the others has `whole: yes`", index, "whole")


def who_can_apply_are_organisation_types(data: Dataset) -> Iterator[Problem]:
    """who_can_apply lists organisation types from the contract."""
    allowed = tuple(codes.ORGANISATION_TYPES)
    for opportunity in data.opportunities:
        if not opportunity.who_can_apply:
            yield at(opportunity, "who_can_apply", f"is empty; list at least one of {', '.join(allowed)}")
        for value in opportunity.who_can_apply:
            if value not in allowed:
                yield at(opportunity, "who_can_apply", f"'{value}' is not an organisation type; use {', '.join(allowed)}")


def extension_chains_have_no_loops(data: Dataset) -> Iterator[Problem]:
    """Following `extends` from any award ends at an original award, never back where it started."""
    extends = {a.id: a.extends for a in data.awards}
    by_id = {a.id: a for a in data.awards}
    reported: set[str] = set()
    for start in extends:
        path, current = [], start
        while current in extends and current not in path:
            path.append(current)
            current = extends[current]
        if current in path and current not in reported:
            loop = path[path.index(current):]
            reported.update(loop)
            if len(loop) > 1:  # an award extending itself is reported by references_resolve
                yield at(by_id[current], "extends", f"makes a loop ({' -> '.join(loop + [current])}); an award can only extend an earlier one")
