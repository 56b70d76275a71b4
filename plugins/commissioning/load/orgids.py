"""Organisation identifiers (org-ids): the lists a provider id may be drawn from, and the shape of
the registered numbers that go in them.

An org-id is a list's prefix, a hyphen and the organisation's number in that list:
GB-CHC-1000001 is charity 1000001 in the Charity Commission's register for England and Wales.

The prefixes are those of org-id.guide (https://org-id.guide/) for UK registers, as listed there on
2025-06-01, and checked again on 2026-12-02 against the guide's own source, the org-id/register
repository (each prefix here has its file in lists/gb/ or lists/xi/); check org-id.guide when a
provider's register is not here, and add its prefix. 360Giving's
own identifiers (`360G-` and a funder's or a group's name) are accepted in any capitals.
"""

from __future__ import annotations

import re

# prefix: the register it names. Source: org-id.guide, UK lists (2025-06-01; checked 2026-12-02).
PREFIXES: dict[str, str] = {
    "GB-CHC": "Charity Commission (England and Wales)",
    "GB-SC": "Office of the Scottish Charity Regulator",
    "GB-NIC": "Charity Commission for Northern Ireland",
    "GB-COH": "Companies House",
    "GB-MPR": "Mutuals Public Register (FCA): co-operatives and community benefit societies",
    "GB-LAE": "Local authorities in England",
    "GB-LAS": "Local authorities in Scotland",
    "GB-LANI": "Local authorities in Northern Ireland",
    "GB-PLA": "Principal local authorities in Wales",
    "GB-NHS": "NHS organisations (ODS codes)",
    "GB-GOR": "Government Organisation Register",
    "GB-EDU": "Schools in England (Get Information About Schools)",
    "GB-UKPRN": "UK Register of Learning Providers",
    "GB-SHPE": "Social housing providers in England (Regulator of Social Housing)",
    "GB-REV": "HMRC charitable status (charities not registered elsewhere)",
    "XI-PB": "Public bodies (confirm on org-id.guide before relying on it)",
}
THREESIXTYGIVING = "360G-"

_TAIL = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]*")
# Underscores too: real published 360Giving ids hold them (Trafford's 360G-trafford-altrincham_childrens_choir).
_360G = re.compile(r"360G-[A-Za-z0-9][A-Za-z0-9_-]*", re.IGNORECASE)
COMPANY_NUMBER = re.compile(r"\d{8}|[A-Z]{2}\d{6}")
CHARITY_NUMBER = re.compile(r"\d{6,8}")  # England and Wales (GB-CHC) and Northern Ireland (GB-NIC)
SCOTTISH_CHARITY_NUMBER = re.compile(r"SC\d{6}")  # GB-SC


def split(org_id: str) -> tuple[str, str] | None:
    """(prefix as the list writes it, the rest) of an org-id with a known prefix, else None."""
    upper = org_id.upper()
    for prefix in sorted(PREFIXES, key=len, reverse=True):
        if upper.startswith(prefix + "-"):
            rest = org_id[len(prefix) + 1:]
            return (prefix, rest) if _TAIL.fullmatch(rest) else None
    return None


def is_360giving(org_id: str) -> bool:
    """`360G-` followed by letters, digits and hyphens, in any capitals: 360G-OxfordCC-Cutteslowe-Seniors."""
    return bool(_360G.fullmatch(org_id))


def looks_like_org_id(org_id: str) -> bool:
    """Shaped like an org-id (XX-ABC-...) whatever its prefix: for saying the prefix is the problem."""
    return bool(re.fullmatch(r"[A-Za-z]{2}-[A-Za-z]{2,6}-[A-Za-z0-9][A-Za-z0-9-]*", org_id))


def company_number(value: str) -> str | None:
    """A company number as Companies House writes it (8 characters), or None if it is not one.

    Digits only and shorter than 8 have lost their leading zeros (Excel drops them): padded back.
    """
    text = value.strip().upper().replace(" ", "")
    if text.isdigit() and len(text) < 8:
        text = text.zfill(8)
    return text if COMPANY_NUMBER.fullmatch(text) else None
