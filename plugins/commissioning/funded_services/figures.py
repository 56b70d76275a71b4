"""The register's figures: its order, totals, key facts and the headings it groups awards under."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from ..render.filters import about_money, money

SECTIONS = {"current": "Current services", "future": "Not yet started", "previous": "Previous services"}


def ordered(awards: list) -> list:
    """Current services first, then those not yet started, then previous ones; newest first in each."""
    order = list(SECTIONS)
    return sorted(awards, key=lambda a: order.index(a.status))  # stable: keeps derive's newest-first order


def total(awards) -> Decimal:
    return sum((a.amount_awarded for a in awards), Decimal(0))


def by_year(awards) -> list[dict]:
    """Awards made in each financial year: how many and how much, earliest year first."""
    years: dict[str, list] = defaultdict(list)
    for award in awards:
        years[award.financial_year].append(award)
    return [{"year": year, "count": len(made), "amount": total(made)} for year, made in sorted(years.items())]


def key_facts(awards) -> list[dict]:
    current = [a for a in awards if a.status == "current"]
    yearly = sum((a.yearly_equivalent for a in current), Decimal(0))
    return [
        {"label": "Current services", "value": f"{len(current):,}"},
        {"label": "Awarded to current services", "value": money(total(current)), "note": f"about {about_money(yearly)} a year"},
        {"label": "All services", "value": f"{len(awards):,}", "note": f"{money(total(awards))} awarded in all"},
    ]


def sections(awards) -> list[dict]:
    """The awards grouped under the register's headings, in order, leaving out empty groups."""
    groups: dict[str, list] = defaultdict(list)
    for award in awards:
        groups[award.status].append(award)
    return [{"key": key, "heading": heading, "awards": groups[key], "total": total(groups[key])}
            for key, heading in SECTIONS.items() if groups[key]]
