"""Cross-record rules: each a small named function that yields the problems it finds.

Field-level rules (types, required fields, code lists) are declared in `models.py`; these are the
rules that need more than one field or more than one record. RULES lists them all, in the order they
run; the docstring of each is its one-line description in the data contract.
"""

from __future__ import annotations

from ... import timing
from ...problems import Problem
from ..dataset import Dataset
from . import awards, content, identity, monitoring, opportunities, payments, personal_data, references, statutory
from .common import Rule

RULES: tuple[Rule, ...] = (
    identity.unique_ids,
    identity.ids_can_be_web_addresses,
    identity.opportunity_id_matches_file_name,
    identity.provider_ids_are_org_ids,
    identity.registered_numbers_are_well_formed,
    identity.one_provider_per_registered_number,
    references.references_resolve,
    references.codes_resolve,
    references.areas_resolve,
    references.who_can_apply_are_organisation_types,
    references.extension_chains_have_no_loops,
    awards.award_ends_after_it_starts,
    opportunities.opportunity_closes_after_it_opens,
    opportunities.decisions_come_after_closing,
    opportunities.opportunity_window_is_plausible,
    opportunities.new_opportunity_is_not_already_closed,
    opportunities.events_end_after_they_start,
    payments.payment_within_its_financial_year,
    payments.payment_not_before_invoice,
    opportunities.evaluation_weights_sum_to_100,
    awards.tender_thresholds_are_given,
    awards.large_contracts_are_tendered,
    awards.uncompeted_awards_are_justified,
    awards.awards_follow_their_opportunity,
    awards.award_date_not_in_the_future,
    opportunities.award_limits_fit_the_envelope,
    opportunities.opportunity_can_be_applied_for,
    payments.payments_match_their_award,
    opportunities.local_documents_exist,
    personal_data.no_personal_data_in_free_text,
    content.content_pages_are_sound,
    payments.payment_not_zero,
    payments.payment_not_before_award,
    payments.payments_within_amount_awarded,
    statutory.grants_record_conditions_reasons_and_decision,
    statutory.payments_name_one_payee,
    statutory.people_are_marked_as_individuals,
    statutory.payments_in_arrears_are_for_a_past_month,
    statutory.duties_published_elsewhere_are_known,
    statutory.duties_are_not_overdue,
    *monitoring.RULES,
)


def check_all(data: Dataset, rules: tuple[Rule, ...] = RULES) -> list[Problem]:
    """Every problem every rule finds, rule by rule."""
    problems: list[Problem] = []
    for rule in rules:
        with timing.stage("rules", rule.__name__):
            problems.extend(rule(data))
    return problems
