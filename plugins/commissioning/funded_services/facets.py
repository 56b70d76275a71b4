"""The ways to filter the register of funded services: each value of each facet (a stream, a priority,
grant or contract, a route, an organisation type) keeps the awards it names and has a page of its own.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any, Callable

from ..load import codes
from .figures import ordered

URL_BASE = "funded-services"


@dataclass(eq=False)
class Filter:
    """One value of one way to filter the register, with the awards it keeps."""

    dimension: str  # in the address: "stream"
    label: str  # "Funding stream"
    value: str  # "moj-victims"
    text: str  # "Ministry of Justice victims funding"
    awards: list
    phrase: str  # completes "Showing 12 services ...": "funded from Ministry of Justice victims funding"
    about: Any = None  # the stream or priority whose own page says more

    @property
    def url(self) -> str:
        return f"{URL_BASE}/{self.dimension}/{self.value}/"


def register_filters(site) -> list[tuple[str, str, list[Filter]]]:
    """Every filter that keeps at least one award, by dimension, in the order the filter panel shows them."""
    labelled = lambda labels: [(value, text, None) for value, text in labels.items()]  # noqa: E731
    dimensions: list[tuple[str, str, str, list, Callable]] = [
        ("stream", "Funding stream", "funded from {}", [(s.code, s.title, s) for s in site.streams],
         lambda a: [a.funding_stream]),
        ("priority", "Priority", "that serve the priority {}", [(p.code, p.title, p) for p in site.priorities],
         lambda a: a.priorities),
        ("type", "Grant or contract", "awarded as {}", labelled(codes.AWARD_TYPES_PLURAL), lambda a: [a.award_type]),
        ("route", "How it was awarded", "awarded by {}", labelled(codes.ROUTES), lambda a: [a.route]),
        ("organisation-type", "Organisation type", "whose provider is of the type {}", labelled(codes.ORGANISATION_TYPES),
         lambda a: [a.provider.organisation_type]),
    ]
    result = []
    for dimension, label, phrase, values, keys_of in dimensions:
        kept: dict[str, list] = defaultdict(list)
        for award in site.awards:
            for key in dict.fromkeys(keys_of(award)):
                kept[key].append(award)
        filters = [Filter(dimension, label, value, text, ordered(kept[value]),
                          phrase.format(text if about else text.lower()), about)
                   for value, text, about in values if kept[value]]
        result.append((dimension, label, filters))
    return result


def filter_panel(dimensions, chosen: Filter | None) -> list[dict]:
    """The filter links, with the chosen one marked and its group open."""
    return [{
        "label": label,
        "open": chosen is not None and chosen.dimension == dimension,
        "options": [{"text": f.text, "url": f.url, "count": len(f.awards), "current": f is chosen} for f in filters],
    } for dimension, label, filters in dimensions]
