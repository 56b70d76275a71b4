"""Charts drawn at build time as inline SVG: horizontal bars, each labelled with what it is and how much.

No JavaScript, and nothing said by colour alone: every bar carries its own label and figure, so a
chart reads in black and white and on paper, and its viewBox lets it scale at any zoom. Each chart
has a title and a description for screen readers (role="img" and aria-labelledby), and the page
shows the same figures in a table beside it. Every text is escaped here, before the SVG is Markup.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from markupsafe import Markup, escape

from .filters import money

WIDTH = 440  # viewBox units; the SVG is as wide as its column (up to 36rem) and scales with it
LABEL_WIDTH = 76  # bar labels (a year, a month) to the left of the bars
VALUE_WIDTH = 96  # the figure after the longest bar
NOTE_WIDTH = 84  # "part month" after a figure
CHARACTER = 9.5  # at most the width of a figure's character at the chart's type size, bold, tabular
ROW = 26
BAR = 18
GROUP = 30  # a group's heading line
HEADING_LIMIT = 55  # longer headings are shortened in the chart; the table beside it has them in full


@dataclass
class Bar:
    label: str
    value: Decimal
    note: str = ""  # said after the figure, e.g. "part month"


@dataclass
class Group:
    heading: str | None
    bars: list[Bar]


def whole_pounds(value: Decimal) -> str:
    """A figure for a bar: rounded to the pound (the table beside the chart has the pence)."""
    return money(Decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def number(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def text(x: float, y: float, words: str, css: str, anchor: str = "start") -> str:
    return (f'<text class="{css}" x="{number(x)}" y="{number(y)}" text-anchor="{anchor}">'
            f"{escape(words)}</text>")


def heading(y: float, words: str) -> str:
    """A group's heading across the top of its bars, shortened where it would run off the chart."""
    short = words if len(words) <= HEADING_LIMIT else words[:HEADING_LIMIT - 1] + "…"
    return text(0, y + 20, short, "app-chart__label app-spend-chart__group")


def axis(x: float, top: float, bottom: float) -> str:
    """The zero line beside a run of bars: drawn a group at a time, so it never crosses a heading."""
    return f'<line class="app-chart__axis" x1="{number(x)}" y1="{number(top)}" x2="{number(x)}" y2="{number(bottom)}"/>'


def svg(chart_id: str, title: str, description: str, height: float, body: list[str]) -> Markup:
    """The wrapper every chart shares: an image to assistive technology, named by its title, described by its desc."""
    ident = escape(chart_id)
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="app-spend-chart__svg" viewBox="0 0 {WIDTH} {number(height)}" '
        f'width="100%" height="{number(height)}" role="img" aria-labelledby="{ident}-title {ident}-desc">'
        f'<title id="{ident}-title">{escape(title)}</title><desc id="{ident}-desc">{escape(description)}</desc>'
        + "".join(body) + "</svg>"
    )


def bar_chart(chart_id: str, title: str, description: str, groups: list[Group]) -> Markup:
    """An SVG chart of horizontal bars in groups; negative values (refunds) extend left of the zero line."""
    values = [bar.value for group in groups for bar in group.bars]
    low, high = min([Decimal(0), *values]), max([Decimal(0), *values])
    span = (high - low) or Decimal(1)
    noted = any(bar.note for group in groups for bar in group.bars)
    plot = WIDTH - LABEL_WIDTH - VALUE_WIDTH - (NOTE_WIDTH if noted else 0)

    def x(value: Decimal) -> float:
        return LABEL_WIDTH + float((value - low) / span) * plot

    zero = x(Decimal(0))
    parts: list[str] = []
    y = 4.0
    for group in groups:
        if group.heading is not None:
            parts.append(heading(y, group.heading))
            y += GROUP
        top = y
        for bar in group.bars:
            end = x(bar.value)
            middle = y + ROW / 2
            parts.append(text(LABEL_WIDTH - 8, middle + 5, bar.label, "app-chart__label", "end"))
            css = "app-chart__bar" + (" app-chart__bar--alt" if bar.value < 0 else "")
            parts.append(f'<rect class="{css}" x="{number(min(zero, end))}" y="{number(middle - BAR / 2)}" '
                         f'width="{number(abs(end - zero))}" height="{BAR}"/>')
            figure = whole_pounds(bar.value)
            parts.append(text(max(zero, end) + 6, middle + 5, figure, "app-chart__value"))
            if bar.note:
                parts.append(text(max(zero, end) + 14 + len(figure) * CHARACTER, middle + 5, bar.note, "app-chart__label app-chart__note"))
            y += ROW
        if group.bars:
            parts.append(axis(zero, top, y))
    return svg(chart_id, title, description, y + 4, parts)
