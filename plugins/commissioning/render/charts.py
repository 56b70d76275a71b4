"""Charts drawn at build time as inline SVG: horizontal bars, each labelled with what it is and how much.

No JavaScript, and nothing said by colour alone: every bar carries its own label and figure, so a
chart reads in black and white and on paper, and its viewBox lets it scale at any zoom. Each chart
has a title and a description for screen readers (role="img" and aria-labelledby), and the page
shows the same figures in a table beside it. Every text is escaped here, before the SVG is Markup.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from markupsafe import Markup, escape

from .filters import money

WIDTH = 440  # viewBox units; the SVG is as wide as its column (up to 36rem) and scales with it
LABEL_WIDTH = 76  # bar labels (a year, a month) to the left of the bars
VALUE_WIDTH = 96  # the figure after the longest bar
ROW = 26
BAR = 18
GROUP = 30  # a group's heading line
HEADING_LIMIT = 55  # longer headings are shortened in the chart; the table beside it has them in full


@dataclass
class Bar:
    label: str
    value: Decimal


@dataclass
class Group:
    heading: str | None
    bars: list[Bar]


def whole_pounds(value: Decimal) -> str:
    """A figure for a bar: rounded to the pound (the table beside the chart has the pence)."""
    return money(Decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _number(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def _text(x: float, y: float, text: str, css: str, anchor: str = "start") -> str:
    return (f'<text class="{css}" x="{_number(x)}" y="{_number(y)}" text-anchor="{anchor}">'
            f"{escape(text)}</text>")


def bar_chart(chart_id: str, title: str, description: str, groups: list[Group]) -> Markup:
    """An SVG chart of horizontal bars in groups; negative values (refunds) extend left of the zero line."""
    values = [bar.value for group in groups for bar in group.bars]
    low, high = min([Decimal(0), *values]), max([Decimal(0), *values])
    span = (high - low) or Decimal(1)
    plot = WIDTH - LABEL_WIDTH - VALUE_WIDTH

    def x(value: Decimal) -> float:
        return LABEL_WIDTH + float((value - low) / span) * plot

    zero = x(Decimal(0))
    parts: list[str] = []
    y = 4.0
    for group in groups:
        if group.heading is not None:
            heading = group.heading if len(group.heading) <= HEADING_LIMIT else group.heading[:HEADING_LIMIT - 1] + "…"
            parts.append(_text(0, y + 20, heading, "app-chart__label app-spend-chart__group"))
            y += GROUP
        for bar in group.bars:
            end = x(bar.value)
            middle = y + ROW / 2
            parts.append(_text(LABEL_WIDTH - 8, middle + 5, bar.label, "app-chart__label", "end"))
            css = "app-chart__bar" + (" app-chart__bar--alt" if bar.value < 0 else "")
            parts.append(f'<rect class="{css}" x="{_number(min(zero, end))}" y="{_number(middle - BAR / 2)}" '
                         f'width="{_number(abs(end - zero))}" height="{BAR}"/>')
            parts.append(_text(max(zero, end) + 6, middle + 5, whole_pounds(bar.value), "app-chart__value"))
            y += ROW
    height = y + 4
    parts.append(f'<line class="app-chart__axis" x1="{_number(zero)}" y1="0" x2="{_number(zero)}" y2="{_number(height)}"/>')
    ident = escape(chart_id)
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="app-spend-chart__svg" viewBox="0 0 {WIDTH} {_number(height)}" '
        f'width="100%" height="{_number(height)}" role="img" aria-labelledby="{ident}-title {ident}-desc">'
        f'<title id="{ident}-title">{escape(title)}</title><desc id="{ident}-desc">{escape(description)}</desc>'
        + "".join(parts) + "</svg>"
    )
    return Markup(svg)
