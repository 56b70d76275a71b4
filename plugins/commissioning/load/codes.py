"""Every code list of the data contract, with the words the site shows for each code and the groups
the rules and pages sort codes into. One place: models, rules, pages and downloads read them here.
"""

from __future__ import annotations

ORGANISATION_TYPES = {
    "charity": "Charity",
    "charitable-incorporated-organisation": "Charitable incorporated organisation",
    "community-interest-company": "Community interest company",
    "social-enterprise": "Social enterprise",
    "community-group": "Community group",
    "public-body": "Public body",
    "private-company": "Private company",
}
# Voluntary, community and social enterprise organisations are every type but these.
NOT_VCSE = ("public-body", "private-company")

AWARD_TYPES = {"grant": "Grant", "contract": "Contract"}
AWARD_TYPES_PLURAL = {"grant": "Grants", "contract": "Contracts"}

ROUTES = {
    "open-call": "Open call",
    "invited": "Invited bids",
    "direct-award": "Direct award",
    "single-tender-action": "Single tender action",
    "open-tender": "Open tender",
    "competitive-dialogue": "Competitive dialogue",
}
# How routes group, for the rules, the contracts file and 360Giving:
TENDERED_ROUTES = ("open-tender", "competitive-dialogue")  # a contract over the threshold needs one of these
UNCOMPETED_ROUTES = ("direct-award", "single-tender-action")  # no competition: a justification is required
OPEN_CALL_ROUTES = ("open-call", "open-tender", "competitive-dialogue")  # anyone eligible could apply
COMPETED_ROUTES = ("open-call", "invited", "open-tender", "competitive-dialogue")  # bids were invited

# What happens when an award ends (awards.csv `recommissioning`); empty means not yet decided.
RECOMMISSIONING = {
    "recommission": "To be recommissioned",
    "extend": "To be extended",
    "end": "Not to be recommissioned",
    "undecided": "Not yet decided",
}

# Who a payment went to (payments `supplier_type`). A payment to a person is published without their name.
SUPPLIER_TYPES = {"organisation": "Organisation", "individual": "Individual", "sole-trader": "Sole trader"}
PERSONAL_SUPPLIER_TYPES = ("individual", "sole-trader")
REDACTED_SUPPLIER = "Redacted: payment to an individual"

OPPORTUNITY_STATUSES = {
    "upcoming": "Upcoming",
    "open": "Open",
    "closing-soon": "Closing soon",
    "closed": "Closed",
    "awarded": "Awarded",
    "withdrawn": "Withdrawn",
}
OPEN_STATUSES = ("open", "closing-soon")

AWARD_STATUSES = {"current": "Current", "previous": "Ended", "future": "Not yet started"}

# The provider expectations (the contract's yes/no fields of providers.csv) and how pages name them.
EXPECTATIONS = {
    "real_living_wage": "Pays the Real Living Wage",
    "pension_scheme": "Pension scheme for all employees",
    "no_zero_hours": "No zero-hours contracts",
    "policies_in_place": "Required policies in place",
}

# The units a measure is counted in, with what a row may write for each.
UNITS = {
    "people": "people",
    "referrals": "referrals",
    "sessions": "sessions",
    "per cent": "per cent",
    "pounds": "pounds",
    "days": "days",
}
UNIT_SPELLINGS = {
    **{unit: unit for unit in UNITS}, "per-cent": "per cent", "percent": "per cent", "%": "per cent",
    "£": "pounds", "person": "people", "referral": "referrals", "session": "sessions", "day": "days",
}
# Counts of people and of what they did: a count from 1 to 4 is never published, and these add up.
COUNT_UNITS = frozenset({"people", "referrals", "sessions"})
