"""Cross-record rules: each a small named function that yields the problems it finds.

Field-level rules (types, required fields, code lists) are declared in `models.py`; these are the
rules that need more than one field or more than one record. `RULES` is the registry, in the order
the rules run; the docstring of each is its one-line description for the staff guide.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Callable, Iterable, Iterator

from .dataset import Dataset, display_name
from .fields import financial_year_bounds
from .models import COMPETITIVE_ROUTES, UNCOMPETED_ROUTES, Model
from .problems import Problem
from .validate import field_name

Rule = Callable[[Dataset], Iterable[Problem]]
RULES: list[Rule] = []


def rule(function: Rule) -> Rule:
    RULES.append(function)
    return function


# Modules that register rules of their own, imported when the rules first run.
RULE_MODULES = ("personal_data", "content_check", "spend_rules")


def load_rule_modules() -> list[Rule]:
    import importlib

    for module in RULE_MODULES:
        importlib.import_module(f"{__package__}.{module}")
    # The same order however the modules came to be imported: this file's, then RULE_MODULES', each as written.
    modules = [__name__] + [f"{__package__}.{m}" for m in RULE_MODULES]
    RULES.sort(key=lambda r: (modules.index(r.__module__), r.__code__.co_firstlineno))
    return RULES


def check_all(data: Dataset) -> list[Problem]:
    load_rule_modules()
    problems: list[Problem] = []
    for each in RULES:
        problems.extend(each(data))
    return problems


def _at(record: Model, field: str, message: str, *path) -> Problem:
    source = record.origin
    return Problem(source.file, source.line_of(field, *path), field_name((field, *path)), message)


# --- identity ---------------------------------------------------------------------------------


@rule
def unique_ids(data: Dataset) -> Iterator[Problem]:
    """Every provider, award and opportunity id is used once (ignoring case, as web addresses do)."""
    for records in (data.providers, data.awards, data.opportunities):
        first: dict[str, Model] = {}
        for record in records:
            key = record.id.lower()
            if key in first:
                other = first[key].origin
                yield _at(record, "id", f"'{record.id}' is already used at {other.file}:{other.line}; give each one its own id")
            else:
                first[key] = record
    if data.funder:
        for kind in ("priorities", "funding_streams"):
            counts = Counter(item.code for item in getattr(data.funder, kind))
            for index, item in enumerate(getattr(data.funder, kind)):
                if counts[item.code] > 1:
                    yield _at(data.funder, kind, f"code '{item.code}' is used more than once; give each its own code", index)
                    counts[item.code] = 1


@rule
def ids_can_be_web_addresses(data: Dataset) -> Iterator[Problem]:
    """Award and opportunity ids use only letters, digits and hyphens: each becomes a web address."""
    for record in [*data.awards, *data.opportunities]:
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9-]*", record.id):
            yield _at(record, "id", f"'{record.id}' has characters a web address cannot hold; use only letters, digits and hyphens, for example BPCC-2025-014")


@rule
def opportunity_id_matches_file_name(data: Dataset) -> Iterator[Problem]:
    """An opportunity's id is the name of its file (OPP-2026-003 lives in OPP-2026-003.md)."""
    for opportunity in data.opportunities:
        stem = Path(opportunity.origin.file).stem
        if opportunity.id != stem:
            yield _at(opportunity, "id", f"'{opportunity.id}' does not match the file name '{stem}'; rename the file or change the id")


@rule
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
        yield _at(provider, "id", f"'{provider.id}' is not an org-id; use GB-CHC-<charity number>, GB-COH-<company number>, or {example} for an unregistered group")


# --- references -------------------------------------------------------------------------------


def _reference(record: Model, field: str, value: str | None, known: set, what: str, where: str, *path) -> Iterator[Problem]:
    if value is not None and value not in known:
        yield _at(record, field, f"'{value}' is not {what}; check the spelling, or add it to {where} first", *path)


@rule
def references_resolve(data: Dataset) -> Iterator[Problem]:
    """Every provider_id, award_id, opportunity_id and extends names a record that exists."""
    providers = data.seen_ids.get("providers", set())
    awards = data.seen_ids.get("awards", set())
    opportunities = data.seen_ids.get("opportunities", set())
    for award in data.awards:
        yield from _reference(award, "provider_id", award.provider_id, providers, "a provider id", "data/providers.csv")
        yield from _reference(award, "opportunity_id", award.opportunity_id, opportunities, "an opportunity id", "data/opportunities/")
        yield from _reference(award, "extends", award.extends, awards, "an award id", "data/awards.csv")
        if award.extends == award.id:
            yield _at(award, "extends", "names the award itself; name the earlier award it renews")
    # Most data sets refer to nothing unknown: find the unknown values first, then the rows that hold them.
    unknown_providers = set(data.payment_values("provider_id")) - providers
    unknown_awards = set(data.payment_values("award_id")) - awards - {None}
    if unknown_providers or unknown_awards:
        for payment in data.all_payments:
            if payment.provider_id in unknown_providers:
                yield from _reference(payment, "provider_id", payment.provider_id, providers, "a provider id", "data/providers.csv")
            if payment.award_id in unknown_awards:
                yield from _reference(payment, "award_id", payment.award_id, awards, "an award id", "data/awards.csv")


@rule
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
            yield _at(record, "funding_stream", f"'{record.funding_stream}' is not a funding stream in data/funder.yaml; use one of {stream_list}")
        if not record.priorities:
            yield _at(record, "priorities", f"names no priority; give at least one of {priority_list}")
        for code in record.priorities:
            if code not in priorities:
                yield _at(record, "priorities", f"'{code}' is not a priority in data/funder.yaml; use codes from {priority_list}")


@rule
def who_can_apply_are_organisation_types(data: Dataset) -> Iterator[Problem]:
    """who_can_apply lists organisation types from the contract."""
    from .models import OrganisationType

    allowed = OrganisationType.__args__
    for opportunity in data.opportunities:
        if not opportunity.who_can_apply:
            yield _at(opportunity, "who_can_apply", f"is empty; list at least one of {', '.join(allowed)}")
        for value in opportunity.who_can_apply:
            if value not in allowed:
                yield _at(opportunity, "who_can_apply", f"'{value}' is not an organisation type; use {', '.join(allowed)}")


@rule
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
                yield _at(by_id[current], "extends", f"makes a loop ({' -> '.join(loop + [current])}); an award can only extend an earlier one")


# --- dates ------------------------------------------------------------------------------------


@rule
def award_ends_after_it_starts(data: Dataset) -> Iterator[Problem]:
    """An award's end_date is not before its start_date."""
    for award in data.awards:
        if award.end_date < award.start_date:
            yield _at(award, "end_date", f"'{award.end_date}' is before start_date {award.start_date}; check both dates")


@rule
def opportunity_closes_after_it_opens(data: Dataset) -> Iterator[Problem]:
    """An opportunity closes after it opens, and any clarification deadline falls between."""
    for opportunity in data.opportunities:
        if opportunity.closes <= opportunity.opens:
            yield _at(opportunity, "closes", f"'{opportunity.closes:%Y-%m-%dT%H:%M}' is not after opens {opportunity.opens:%Y-%m-%dT%H:%M}; check both")
        deadline = opportunity.clarification_deadline
        if deadline and not (opportunity.opens <= deadline <= opportunity.closes):
            yield _at(opportunity, "clarification_deadline", "is not between opens and closes; check the dates")


@rule
def events_end_after_they_start(data: Dataset) -> Iterator[Problem]:
    """An engagement event ends after it starts."""
    for opportunity in data.opportunities:
        for index, event in enumerate(opportunity.events):
            if event.end <= event.start:
                yield _at(opportunity, "events", f"ends at {event.end:%Y-%m-%dT%H:%M}, not after it starts at {event.start:%Y-%m-%dT%H:%M}; check both", index, "end")


@rule
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
                yield _at(payment, "date", f"'{payment.date}' is outside the financial year {year} ({first} to {last}); move the row to the right year's file")


@rule
def payment_not_before_invoice(data: Dataset) -> Iterator[Problem]:
    """A payment is not made before its invoice arrived."""
    for payment in data.all_payments:
        if payment.invoice_received and payment.invoice_received > payment.date:
            yield _at(payment, "invoice_received", f"'{payment.invoice_received}' is after the date paid {payment.date}; check both dates")


# --- money and routes -------------------------------------------------------------------------


@rule
def evaluation_weights_sum_to_100(data: Dataset) -> Iterator[Problem]:
    """Evaluation criteria weights add up to 100."""
    for opportunity in data.opportunities:
        total = sum(c.weight for c in opportunity.evaluation_criteria)
        if opportunity.evaluation_criteria and total != 100:
            yield _at(opportunity, "evaluation_criteria", f"weights add up to {total}; they must add up to 100")
        if not opportunity.evaluation_criteria:
            yield _at(opportunity, "evaluation_criteria", "is empty; list each criterion with its weight")


@rule
def large_contracts_are_tendered(data: Dataset) -> Iterator[Problem]:
    """A contract above the funder's tender threshold is tendered (open-tender or competitive-dialogue) or justified."""
    if not data.funder:
        return
    threshold = data.funder.tender_threshold
    for award in data.awards:
        if award.award_type == "contract" and award.amount_awarded > threshold \
                and award.route not in COMPETITIVE_ROUTES and not award.justification:
            yield _at(award, "route", (
                f"'{award.route}' for a contract of {award.amount_awarded} (above the tender threshold of {threshold}); "
                "use open-tender or competitive-dialogue, or explain in justification why it was not tendered"))
    for opportunity in data.opportunities:
        if opportunity.award_type == "contract" and opportunity.funding_envelope > threshold \
                and opportunity.route not in COMPETITIVE_ROUTES:
            yield _at(opportunity, "route", (
                f"'{opportunity.route}' for a contract of {opportunity.funding_envelope} (above the tender threshold of {threshold}); "
                "use open-tender or competitive-dialogue"))


@rule
def uncompeted_awards_are_justified(data: Dataset) -> Iterator[Problem]:
    """A direct-award or single-tender-action says why there was no competition."""
    for award in data.awards:
        if award.route in UNCOMPETED_ROUTES and not award.justification:
            yield _at(award, "justification", f"is required for route {award.route}; say why there was no competition")


@rule
def award_limits_fit_the_envelope(data: Dataset) -> Iterator[Problem]:
    """min_award is not above max_award, and neither is above the funding envelope."""
    for opportunity in data.opportunities:
        low, high, envelope = opportunity.min_award, opportunity.max_award, opportunity.funding_envelope
        if low is not None and high is not None and low > high:
            yield _at(opportunity, "min_award", f"{low} is more than max_award {high}; check both")
        for name, value in (("min_award", low), ("max_award", high)):
            if value is not None and value > envelope:
                yield _at(opportunity, name, f"{value} is more than the funding_envelope {envelope}; check both")


@rule
def opportunity_can_be_applied_for(data: Dataset) -> Iterator[Problem]:
    """An opportunity gives apply_url or apply_email."""
    for opportunity in data.opportunities:
        if not opportunity.apply_url and not opportunity.apply_email:
            yield _at(opportunity, "apply_url", "is missing: give apply_url (a web address) or apply_email so bidders know how to apply")


@rule
def payments_match_their_award(data: Dataset) -> Iterator[Problem]:
    """A payment against an award goes to that award's provider."""
    provider_of = {a.id: a.provider_id for a in data.awards}
    providers = data.payment_values("provider_id")
    for award_id, positions in data.payments_by_award.items():
        expected = provider_of.get(award_id)
        if not expected or set(map(providers.__getitem__, positions)) == {expected}:
            continue
        for position in positions:
            if providers[position] != expected:
                payment = data.payments_by_date[position]
                yield _at(payment, "provider_id", f"'{payment.provider_id}' is not the provider of award {award_id} ({expected}); check the provider or the award")


@rule
def local_documents_exist(data: Dataset) -> Iterator[Problem]:
    """A document given as a path (not a web address) exists under content/."""
    for opportunity in data.opportunities:
        for index, document in enumerate(opportunity.documents):
            url = document.url
            if re.match(r"https?://", url):
                continue
            if re.match(r"[a-z]+:", url, re.IGNORECASE) or url.startswith("//"):
                yield _at(opportunity, "documents", f"'{url}' is not a web address or a file; use https:// or a path under content/", index, "url")
                continue
            path = (data.content_dir / url.lstrip("/")).resolve()
            inside = data.content_dir.resolve() in path.parents
            if not inside or not path.is_file():
                where = display_name(data.content_dir, data.root)
                yield _at(opportunity, "documents", f"'{url}' is not a file under {where}/; add the file or correct the path", index, "url")
