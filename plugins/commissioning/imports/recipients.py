"""The organisations a 360Giving file's grants went to, as providers: one per organisation, whatever
spelling of its id or registered number each grant gives, and of the organisation type its register
and legal form say (or that staff give in the mapping where neither says)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..load import orgids
from ..load.fields import parse_url
from .grants_file import Grant
from .report import Report

_CIC = re.compile(r"(?i)\b(?:c\.?\s?i\.?\s?c\b\.?|community interest company)")
_CIO = re.compile(r"(?i)\bc\.?i\.?o\b|charitable incorporated organi[sz]ation")
# A legal form as 360Giving files write it (organisationType and the like), and the type it is.
LEGAL_FORMS = (
    (re.compile(r"(?i)charitable incorporated|\bcio\b"), "charitable-incorporated-organisation"),
    (re.compile(r"(?i)community interest|\bcic\b"), "community-interest-company"),
    (re.compile(r"(?i)registered charity|^charity$|charitable (?:company|trust)"), "charity"),
    (re.compile(r"(?i)social enterprise|community benefit|co-?operative|mutual"), "social-enterprise"),
    (re.compile(r"(?i)unincorporated|community group|voluntary group|club|association"), "community-group"),
    (re.compile(r"(?i)local authority|council|nhs|public|government|school|police|university|college"), "public-body"),
    (re.compile(r"(?i)limited by shares|private (?:limited )?company|plc|sole trader|partnership"), "private-company"),
)
PUBLIC_REGISTERS = ("GB-LAE", "GB-LAS", "GB-LANI", "GB-PLA", "GB-NHS", "GB-GOR", "GB-EDU", "GB-UKPRN", "XI-PB")
CHARITY_REGISTERS = ("GB-CHC", "GB-SC", "GB-NIC")


def organisation_type(org_id: str, name: str, charity_number: str, legal_form: str) -> tuple[str | None, str]:
    """The type an organisation is, and how we know (None when nothing says: staff are asked)."""
    for pattern, kind in LEGAL_FORMS:
        if legal_form and pattern.search(legal_form):
            return kind, "from its legal form"
    register = (orgids.split(org_id) or ("", ""))[0]
    if register in PUBLIC_REGISTERS:
        return "public-body", "from its register"
    if _CIO.search(name) and (register in CHARITY_REGISTERS or charity_number):
        return "charitable-incorporated-organisation", "from its name and register"
    if _CIC.search(name):
        return "community-interest-company", "from its name (CIC)"
    if register in CHARITY_REGISTERS or charity_number:
        return "charity", "from its register (a charity)"
    if orgids.is_360giving(org_id) or org_id.upper().startswith(orgids.THREESIXTYGIVING):
        return "community-group", "an unregistered group (a 360Giving id)"
    return None, ""


def fixed_id(org_id: str) -> str:
    """An org-id as the data contract writes it: a company number that lost its leading zero gets it back,
    and a 360Giving id with characters the contract refuses (such as `_`) has hyphens for them."""
    found = orgids.split(org_id)
    if found and found[0] == "GB-COH":
        number = orgids.company_number(found[1])
        if number and number != found[1]:
            return f"GB-COH-{number}"
    if org_id.upper().startswith(orgids.THREESIXTYGIVING) and not orgids.is_360giving(org_id):
        written = org_id[:5] + re.sub(r"[^A-Za-z0-9-]+", "-", org_id[5:]).strip("-")
        if orgids.is_360giving(written):
            return written
    return org_id


def _numbers(org_id: str, charity: str, company: str) -> list[tuple[str, str]]:
    register, number = orgids.split(org_id) or ("", "")
    out = []
    if register == "GB-COH" and orgids.company_number(number):
        out.append(("company", orgids.company_number(number)))
    if register in CHARITY_REGISTERS:
        out.append(("charity", number.upper()))
    if company and orgids.company_number(company):
        out.append(("company", orgids.company_number(company)))
    if charity:
        out.append(("charity", charity.strip().upper()))
    return out


@dataclass
class Recipients:
    """Each grant's provider id, and a row for each provider the import adds."""

    provider_of: dict[int, str] = field(default_factory=dict)  # grant index -> provider id
    rows: dict[str, dict[str, str]] = field(default_factory=dict)  # provider id -> its row
    asked: dict[str, str] = field(default_factory=dict)  # provider id -> name: a type only staff can give
    how: dict[str, str] = field(default_factory=dict)  # provider id -> how its type is known


def recipients(grants: list[Grant], existing: list[dict[str, str]], answers: dict, report: Report) -> Recipients:
    """One provider per organisation, matched to providers.csv by id, then by charity or company number.

    answers: the mapping's organisations (id -> {organisation_type}). Names and details come from the
    organisation's latest grant.
    """
    found = Recipients()
    by_key: dict[str, str] = {}
    by_number: dict[tuple[str, str], str] = {}
    for row in existing:
        by_key[row["id"].lower()] = row["id"]
        for number in _numbers(row["id"], row.get("charity_number", ""), row.get("company_number", "")):
            by_number.setdefault(number, row["id"])
    known = set(by_key.values())
    latest: dict[str, tuple[str, dict]] = {}
    names: dict[str, set[str]] = {}
    for grant in sorted(grants, key=lambda g: str(g.data.get("awardDate") or "")):
        organisation = grant.first("recipientOrganization")
        written = str(organisation.get("id") or "").strip()
        org_id = fixed_id(written)
        if org_id != written:
            report.add("changed", "recipient ids the data contract does not accept as written (a company number that lost "
                       "its leading zero, or a character such as _ in a 360Giving id), written so it does", f"{written} as {org_id}")
        charity = str(organisation.get("charityNumber") or "").strip()
        company = str(organisation.get("companyNumber") or "").strip()
        provider = by_key.get(org_id.lower())
        if provider is None:
            provider = next((by_number[n] for n in _numbers(org_id, charity, company) if n in by_number), None)
            if provider is not None:
                if provider in known:
                    report.add("confirm", "recipients matched to a provider already in providers.csv by charity or "
                               "company number: check each is the same organisation", f"{written} as {provider}")
                else:
                    report.add("changed", "recipients given two ids in the file, one organisation by its charity or "
                               "company number: one provider kept", f"{written} as {provider}")
        provider = provider or org_id
        by_key.setdefault(org_id.lower(), provider)
        for number in _numbers(org_id, charity, company):
            by_number.setdefault(number, provider)
        found.provider_of[grant.index] = provider
        if provider in known:
            continue
        latest[provider] = (str(organisation.get("name") or "").strip(), organisation)
        names.setdefault(provider, set()).add(str(organisation.get("name") or "").strip())
    for provider, (name, organisation) in latest.items():
        if len(names[provider]) > 1:
            report.add("defaulted", "recipients named differently in different grants: the name in the latest grant is kept",
                       f"{provider} ({name})")
        found.rows[provider] = _row(provider, name, organisation, answers.get(provider), found, report)
    return found


def _row(provider: str, name: str, organisation: dict, answer, found: Recipients, report: Report) -> dict[str, str]:
    charity = str(organisation.get("charityNumber") or "").strip()
    company_written = str(organisation.get("companyNumber") or "").strip()
    company = orgids.company_number(company_written) if company_written else ""
    if company_written and not company:
        report.add("dropped", "company numbers that are not company numbers (8 characters), not kept", f"{provider}: {company_written}")
    elif company and company != company_written:
        report.add("changed", "company numbers that had lost their leading zero, given it back", f"{company_written} to {company}")
    website = str(organisation.get("url") or "").strip()
    try:
        website = parse_url(website) if website else ""
    except ValueError:
        report.add("dropped", "recipient web addresses that are not full https:// addresses, not kept", f"{provider}: {website}")
        website = ""
    for private in ("streetAddress", "postalCode"):
        if organisation.get(private):
            report.add("dropped", f"recipient {private} values, never published (a locality is kept)", provider)
    given = str(answer.get("organisation_type") or "").strip() if isinstance(answer, dict) else ""
    kind, how = organisation_type(provider, name, charity, str(organisation.get("organisationType") or ""))
    if given:
        kind, how = given, "as the mapping says"
    if kind is None:
        found.asked[provider] = name
    else:
        found.how[provider] = how
        report.add("defaulted" if how != "as the mapping says" else "imported", f"organisation types {how}", provider)
    return {
        "id": provider, "name": name, "organisation_type": kind or "", "charity_number": charity,
        "company_number": company or "", "website": website,
        "locality": str(organisation.get("addressLocality") or "").strip(),
    }
