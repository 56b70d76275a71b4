"""The finder: the ways to filter funding opportunities, and what each list item says about itself.

A static site cannot answer a query, so both halves of the finder are made here, from the same
facets: a page for each value of each facet (`opportunities/<facet>/<value>/`, plain links that work
without JavaScript), and, for theme/js/finder.js, the checkboxes of every facet and, on each list
item, the values it has (`data-finder-<facet>`) and what it sorts by. Within a facet the values
ticked are alternatives (a charity or a community group); across facets they all apply.

Without JavaScript, the first three questions a bidder asks (can we apply, here, for this much)
also combine two at a time: a page for each pair of values that any opportunity has both of
(`opportunities/who/charity/area/luton/`), linked from each value's page. Every pair of every facet
would be hundreds of pages at scale for questions few ask together.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from ..derive.opportunity import OpportunityView
from ..load import codes
from ..render.filters import and_list, money

# Award sizes as GOV.UK Find a grant bands them. An opportunity is in every band its range of award
# sizes reaches, so "up to £90,000" is found by someone looking for £5,000 as well.
BANDS: tuple[tuple[str, str, Decimal | None, Decimal | None], ...] = (
    # (code, words, more than, up to)
    ("up-to-10000", "Up to £10,000", None, Decimal(10_000)),
    ("10001-to-50000", "£10,001 to £50,000", Decimal(10_000), Decimal(50_000)),
    ("50001-to-100000", "£50,001 to £100,000", Decimal(50_000), Decimal(100_000)),
    ("100001-to-500000", "£100,001 to £500,000", Decimal(100_000), Decimal(500_000)),
    ("over-500000", "More than £500,000", Decimal(500_000), None),
)

# Who can apply, as a sentence names them: an organisation reads its own kind in a list item.
PLURALS = {
    "charity": "charities",
    "charitable-incorporated-organisation": "charitable incorporated organisations",
    "community-interest-company": "community interest companies",
    "social-enterprise": "social enterprises",
    "community-group": "community groups",
    "public-body": "public bodies",
    "private-company": "private companies",
}
VCSE_TYPES = tuple(code for code in codes.ORGANISATION_TYPES if code not in codes.NOT_VCSE)

SORTS = (("closes", "Closing date"), ("amount", "Largest award"))


@dataclass
class Value:
    """One value of a facet: a checkbox in the form, and a page of its own."""

    key: str
    code: str
    text: str
    url: str  # the single-value page, e.g. opportunities/who/charity/
    members: list[OpportunityView]
    about_url: str | None = None  # the stream's or priority's own page

    @property
    def open(self) -> int:
        return sum(1 for o in self.members if o.is_open)


@dataclass
class Facet:
    key: str  # in the address (?who=charity) and in the list items' data-finder-<key>
    title: str
    links: list[Value] = field(default_factory=list)  # only values with any opportunities
    hint: str | None = None


# The pairs of facets combined on pages of their own, each in facets()'s order; and how a pair's
# page names the facet it leaves out when it links to one value alone ("Luton, any award size").
COMBINED = (("who", "area"), ("who", "size"), ("area", "size"))
ANY = {"who": "any organisation", "area": "any area", "size": "any award size"}


@dataclass
class Pair:
    """Two values of two facets at once: a page listing the opportunities that have both."""

    first: Value
    second: Value
    title: str  # the two facets' titles, e.g. "Who can apply and area"
    members: list[OpportunityView]
    about_url: None = None

    @property
    def own(self) -> bool:
        """Whether the pair lists fewer than either value alone; if not, it is that value's page."""
        return len(self.members) < min(len(self.first.members), len(self.second.members))

    @property
    def url(self) -> str:
        if not self.own:
            return (self.first if len(self.members) == len(self.first.members) else self.second).url
        return f"{self.first.url}{self.second.key}/{self.second.code}/"

    @property
    def text(self) -> str:
        return f"{self.first.text}, {self.second.text}"

    @property
    def open(self) -> int:
        return sum(1 for o in self.members if o.is_open)

    def other(self, value: Value) -> Value:
        return self.second if value is self.first else self.first

    @property
    def wider(self) -> list[tuple[Value, str]]:
        """Each value alone, with the words for the facet it leaves out: the pair's page links to both."""
        return [(self.first, ANY[self.second.key]), (self.second, ANY[self.first.key])]


def pairs(facets_: list[Facet]) -> list[Pair]:
    """Every pair of values of COMBINED's facets that some opportunity has both of."""
    by_key = {f.key: f for f in facets_}
    found = []
    for one, two in COMBINED:
        if one not in by_key or two not in by_key:
            continue
        title = f"{by_key[one].title} and {by_key[two].title.lower()}"
        for first in by_key[one].links:
            ids = {o.id for o in first.members}
            for second in by_key[two].links:
                members = [o for o in second.members if o.id in ids]
                if members:
                    found.append(Pair(first, second, title, members))
    return found


def narrower(value: Value, pairs_: list[Pair], facets_: list[Facet]) -> list[tuple[Facet, list[Pair]]]:
    """From one value's page, the pairs it is in that list fewer than it does, under the other value's
    facet, in facets()'s order: a pair that lists all of the other value's opportunities links to
    that value's own page."""
    out = []
    for facet in facets_:
        found = [p for p in pairs_ if value in (p.first, p.second) and p.other(value).key == facet.key
                 and len(p.members) < len(value.members)]
        if found:
            out.append((facet, found))
    return out


def award_bounds(item: OpportunityView) -> tuple[Decimal, Decimal]:
    """The smallest and largest award it could make; without either, the whole envelope is one award."""
    low, high = item.min_award, item.max_award
    if low is None and high is None:
        return item.funding_envelope, item.funding_envelope
    return (low if low is not None else Decimal(0)), (high if high is not None else item.funding_envelope)


def bands_of(item: OpportunityView) -> list[str]:
    low, high = award_bounds(item)
    return [code for code, _, above, up_to in BANDS
            if (above is None or high > above) and (up_to is None or low <= up_to)]


def award_text(item: OpportunityView) -> str:
    """The award range, or the pot when there is no range: what a bidder asks first after 'can we apply'."""
    return item.award_range or f"Up to {money(item.funding_envelope)} in total"


def who_text(who: list[str]) -> str:
    """'Voluntary and community organisations and public bodies'; types one by one when not all of a group."""
    accepted = [code for code in codes.ORGANISATION_TYPES if code in who]
    if accepted and all(code in accepted for code in VCSE_TYPES):
        rest = [PLURALS[c] for c in accepted if c not in VCSE_TYPES]
        words = and_list(["voluntary, community and social enterprise organisations", *rest])
    else:
        words = and_list([PLURALS.get(c, c) for c in accepted] or list(who))
    return words[:1].upper() + words[1:]


def area_text(site, item: OpportunityView) -> str:
    return item.area_names or ""


def area_codes(site, item: OpportunityView) -> list[str]:
    """Every area it covers: one that serves the whole area is found under each part of it."""
    areas = item.area_views
    if any(getattr(a, "whole", None) for a in areas):
        return [a.code for a in site.funder.areas]
    return [a.code for a in areas]


def part_areas(site) -> list:
    """The areas to filter by: every area but the one covering them all (every call covers part of it)."""
    return [a for a in site.funder.areas if not getattr(a, "whole", None)]


def facets(site, items: list[OpportunityView]) -> list[Facet]:
    """Every way to filter, in the order a bidder asks: can we apply, here, for this much; then the rest."""
    values = {
        "who": [(code, text, None) for code, text in codes.ORGANISATION_TYPES.items()],
        "area": [(a.code, a.name, None) for a in part_areas(site)],
        "size": [(code, text, None) for code, text, _, _ in BANDS],
        "stream": [(s.code, s.title, s.url) for s in site.streams],
        "type": [(code, text, None) for code, text in codes.AWARD_TYPES.items()],
        "priority": [(p.code, p.title, p.url) for p in site.priorities],
    }
    titles = {"who": ("Who can apply", "Select all that describe your organisation"),
              "area": ("Area", "Where the service is delivered"),
              "size": ("Award size", None), "stream": ("Funding stream", None),
              "type": ("Grant or contract", None), "priority": ("Priority", None)}
    of = {o.id: item_values(site, o) for o in items}
    result = []
    for key, choices in values.items():
        links = []
        for code, text, about_url in choices:
            members = [o for o in items if code in of[o.id][key]]
            if members:
                links.append(Value(key, code, text, f"opportunities/{key}/{code}/", members, about_url))
        title, hint = titles[key]
        result.append(Facet(key, title, links, hint))
    return result


def item_values(site, item: OpportunityView) -> dict[str, list[str]]:
    """The codes an opportunity has under each facet."""
    return {
        "who": list(item.who_can_apply),
        "area": area_codes(site, item),
        "size": bands_of(item),
        "stream": [item.funding_stream],
        "type": [item.award_type],
        "priority": list(item.priorities),
    }


@dataclass
class Card:
    """What a list item shows beyond its name and status, and the attributes finder.js reads."""

    award: str
    who: str
    area: str
    attributes: dict[str, str]


def card(site, item: OpportunityView) -> Card:
    values = item_values(site, item)
    _, high = award_bounds(item)
    attributes = {f"data-finder-{key}": " ".join(codes_) for key, codes_ in values.items()}
    attributes["data-finder-amount"] = f"{high:f}"
    return Card(award_text(item), who_text(item.who_can_apply), area_text(site, item), attributes)


def cards(site, items: list[OpportunityView]) -> dict[str, Card]:
    """Each opportunity's card, by id, for the templates' lists."""
    return {o.id: card(site, o) for o in items}
