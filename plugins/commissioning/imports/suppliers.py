"""Who a spend export's payee is: a provider in providers.csv, matched by org-id, then by company or
charity number, then by name written the same way (each such match reported for a person to confirm);
anyone else is a supplier of the spend listing."""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass

from ..load import orgids

# Words that say what kind of body it is, not which: "Harbourlight Ltd" and "Harbourlight Limited" are one.
_FORM_WORDS = frozenset({"the", "ltd", "limited", "plc", "llp", "cic", "cio", "inc", "uk"})
_FORM_PHRASES = re.compile(r"\b(?:community interest company|charitable incorporated organi[sz]ation|company limited by guarantee)\b")
CLOSE = 0.88  # how alike two names must be to be offered as a possible match (difflib's ratio)


def normalised(name: str) -> str:
    """A name as it is compared: letters and digits only, lower case, without Ltd, CIC, The and the like."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower().replace("&", " and ")
    text = _FORM_PHRASES.sub(" ", re.sub(r"[^a-z0-9 ]+", " ", text.replace(".", "")))
    return " ".join(word for word in text.split() if word not in _FORM_WORDS)


def registered(value: str) -> tuple[str, str] | None:
    """A supplier id that is a register's number: ('org-id', id), ('company', number) or None."""
    text = (value or "").strip()
    if not text:
        return None
    if orgids.split(text) or orgids.is_360giving(text):
        return "org-id", text
    if re.fullmatch(r"[0-9]{8}|[A-Za-z]{2}[0-9]{6}", text):  # 7 digits could be a charity or a company: neither
        return "company", text.upper()
    return None


@dataclass(frozen=True)
class Match:
    provider_id: str | None
    how: str = ""  # "org-id", "company number", "charity number", "exact name", "name" (written alike), or ""
    close: str = ""  # a provider whose name is close but not the same, offered for a person to confirm


class Matcher:
    """Providers indexed every way a payee may be matched to one."""

    def __init__(self, providers: list[dict[str, str]]):
        self.ids = {row["id"].lower(): row["id"] for row in providers}
        self.numbers: dict[tuple[str, str], str] = {}
        self.names: dict[str, str | None] = {}
        self.exact: dict[str, str | None] = {}
        self.alike: dict[str, list[str]] = {}
        for row in providers:
            register, number = orgids.split(row["id"]) or ("", "")
            if register == "GB-COH" and orgids.company_number(number):
                self.numbers.setdefault(("company", orgids.company_number(number)), row["id"])
            if register in ("GB-CHC", "GB-SC", "GB-NIC"):
                self.numbers.setdefault(("charity", number.upper()), row["id"])
            if row.get("company_number") and orgids.company_number(row["company_number"]):
                self.numbers.setdefault(("company", orgids.company_number(row["company_number"])), row["id"])
            if row.get("charity_number"):
                self.numbers.setdefault(("charity", row["charity_number"].strip().upper()), row["id"])
            # Two providers of one name: a name alone cannot say which (None).
            exact = " ".join(row.get("name", "").split()).casefold()
            if exact:
                self.exact[exact] = None if exact in self.exact and self.exact[exact] != row["id"] else row["id"]
            key = normalised(row.get("name", ""))
            if key:
                self.names[key] = None if key in self.names and self.names[key] != row["id"] else row["id"]
                self.alike.setdefault(key, []).append(row["id"])

    def match(self, name: str, supplier_id: str = "", company: str = "", charity: str = "") -> Match:
        found = registered(supplier_id)
        if found and found[0] == "org-id" and found[1].lower() in self.ids:
            return Match(self.ids[found[1].lower()], "org-id")
        companies = [orgids.company_number(company)] if company and orgids.company_number(company) else []
        if found and found[0] == "company":
            companies.append(found[1])
        if found and found[0] == "org-id":
            register, number = orgids.split(found[1]) or ("", "")
            if register == "GB-COH" and orgids.company_number(number):
                companies.append(orgids.company_number(number))
            if register in ("GB-CHC", "GB-SC", "GB-NIC"):
                charity = charity or number
        for number in companies:
            if ("company", number) in self.numbers:
                return Match(self.numbers[("company", number)], "company number")
        if charity and ("charity", charity.strip().upper()) in self.numbers:
            return Match(self.numbers[("charity", charity.strip().upper())], "charity number")
        exact = " ".join(name.split()).casefold()
        if self.exact.get(exact):
            return Match(self.exact[exact], "exact name")
        key = normalised(name)
        if key and self.names.get(key):
            return Match(self.names[key], "name")
        if key in self.names:  # the name of two providers, written alike (Ashbury CIC and Ashbury CIO)
            return Match(None, "", " or ".join(self.alike[key]))
        close = difflib.get_close_matches(key, [k for k, v in self.names.items() if v], n=1, cutoff=CLOSE) if key else []
        return Match(None, "", self.names[close[0]] if close else "")
