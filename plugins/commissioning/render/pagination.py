"""A listing split into pages of the page size (COMMISSIONING_PAGE_SIZE): each page's address and
the links of GOV.UK pagination (previous, next and numbered pages, with ellipses when there are many).

Page 1 keeps the listing's own address, so links to it from before it grew long still work; page n
is at <base>page/<n>/.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Chunk:
    """One page of a listing: its rows, its address and its links to the others (None on a listing of one page)."""

    rows: list
    url: str
    number: int
    pagination: dict | None


def page_url(base: str, number: int) -> str:
    return base if number == 1 else f"{base}page/{number}/"


def numbered(count: int, current: int) -> list[dict]:
    """The numbered links GOV.UK pagination shows: the first, the last and those next to the current
    page, with an ellipsis for each gap, so that page 40 of 400 does not write 400 links."""
    shown = sorted({1, count, current - 1, current, current + 1} & set(range(1, count + 1)))
    items, last = [], 0
    for number in shown:
        if number - last == 2:
            items.append({"number": last + 1})  # a gap of one page is shown as that page, not an ellipsis
        elif number - last > 2:
            items.append({"ellipsis": True})
        items.append({"number": number})
        last = number
    return [{**item, "current": item.get("number") == current} for item in items]


def chunks(base: str, rows: list, size: int) -> list[Chunk]:
    """The rows in pages of size (at least one page, empty if there are no rows), each with its pagination:
    {previous, next, pages: [{number, url, current} or {ellipsis}], label: "page 2 of 7", number, count}."""
    parts = [rows[i:i + size] for i in range(0, len(rows), size)] or [[]]
    count = len(parts)
    out = []
    for number, part in enumerate(parts, start=1):
        pagination = None
        if count > 1:
            pages = [{**item, "url": page_url(base, item["number"])} if "number" in item else item
                     for item in numbered(count, number)]
            pagination = {
                "previous": page_url(base, number - 1) if number > 1 else None,
                "next": page_url(base, number + 1) if number < count else None,
                "pages": pages,
                "label": f"page {number} of {count}",
                "number": number,
                "count": count,
            }
        out.append(Chunk(part, page_url(base, number), number, pagination))
    return out
