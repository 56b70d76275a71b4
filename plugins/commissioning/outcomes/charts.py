"""The outcomes section's charts: a measure quarter by quarter against its target, and the shared
measures year by year.

Drawn like the spend charts (render/charts.py): inline SVG of horizontal bars, each labelled with its
figure, with a title and description for screen readers and a table of the same figures beside it.
Only a published figure has a bar: a protected one ("fewer than 5", "not shown") is its words alone,
so neither a bar's length nor the text alternative can give it away. A target is a short upright
line across the bar's row, described in the text alternative too.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from markupsafe import Markup

from ..derive.outcomes import AwardOutcomes, Measure, Outcomes, Shown
from ..render.charts import BAR, GROUP, ROW, WIDTH, axis, heading, number, svg, text
from ..render.filters import and_list

LABEL_WIDTH = 92  # "2025-26 Q1" at the chart's type size
VALUE_WIDTH = 112  # "not yet received" after the longest bar


@dataclass
class ChartBar:
    label: str
    figure: Shown | None  # None: no figure (the return is not yet received)
    target: Shown | None = None
    missing: str = "not yet received"

    @property
    def text(self) -> str:
        return self.figure.text if self.figure is not None else self.missing

    @property
    def value(self) -> Decimal | None:
        return self.figure.number if self.figure is not None else None


def figures_chart(chart_id: str, title: str, description: str, groups: list[tuple[str | None, list[ChartBar]]]) -> Markup:
    """An SVG chart of bars in groups; a bar only for a published figure, a line for each target."""
    numbers = [b.value for _, bars in groups for b in bars if b.value is not None]
    numbers += [b.target.number for _, bars in groups for b in bars if b.target is not None and b.target.number is not None]
    high = max([Decimal(0), *numbers]) or Decimal(1)
    plot = WIDTH - LABEL_WIDTH - VALUE_WIDTH

    def x(value: Decimal) -> float:
        return LABEL_WIDTH + float(value / high) * plot

    parts: list[str] = []
    y = 4.0
    for title_of_group, bars in groups:
        if title_of_group is not None:
            parts.append(heading(y, title_of_group))
            y += GROUP
        top = y
        for bar in bars:
            middle = y + ROW / 2
            parts.append(text(LABEL_WIDTH - 8, middle + 5, bar.label, "app-chart__label", "end"))
            end = x(Decimal(0))
            if bar.value is not None:
                end = x(bar.value)
                parts.append(f'<rect class="app-chart__bar" x="{number(LABEL_WIDTH)}" y="{number(middle - BAR / 2)}" '
                             f'width="{number(end - LABEL_WIDTH)}" height="{BAR}"/>')
            if bar.target is not None and bar.target.number is not None:
                at = x(bar.target.number)
                parts.append(f'<line class="app-outcomes-chart__target" x1="{number(at)}" y1="{number(middle - BAR / 2 - 3)}" '
                             f'x2="{number(at)}" y2="{number(middle + BAR / 2 + 3)}"/>')
                end = max(end, at)
            css = "app-chart__value" if bar.value is not None else "app-chart__value app-outcomes-chart__withheld"
            parts.append(text(end + 6, middle + 5, bar.text, css))
            y += ROW
        if bars:
            parts.append(axis(LABEL_WIDTH, top, y))
    return svg(chart_id, title, description, y + 4, parts)


def _described(bar: ChartBar) -> str:
    target = f" against a target of {bar.target.text}" if bar.target is not None else ""
    return f"{bar.label}: {bar.text}{target}"


def measure_chart(outcomes: AwardOutcomes, measure: Measure) -> Markup:
    """One measure of one service, quarter by quarter, against its targets."""
    bars = []
    for quarter, cell in outcomes.cells(measure):
        if cell is None:
            missing = "not reported" if quarter.is_received else "not yet received"
            bars.append(ChartBar(quarter.quarter.label, None, None, missing))
        else:
            bars.append(ChartBar(quarter.quarter.label, cell.actual, cell.target))
    targets = any(b.target is not None for b in bars)
    description = (f"Bar chart of {measure.title.lower()} ({measure.unit}) in each quarter"
                   f"{', with each quarter’s target marked by an upright line' if targets else ''}. "
                   + "; ".join(_described(b) for b in bars) + ". The table after the chart has the same figures.")
    return figures_chart(f"chart-{outcomes.award.slug}-{measure.code}", f"{measure.title}, quarter by quarter",
                         description, [(None, bars)])


def shared_measures_chart(outcomes: Outcomes) -> Markup:
    """Each shared measure added up across every service, one bar a financial year."""
    if not outcomes.measures or not outcomes.years:
        return Markup("")
    groups, sentences = [], []
    for measure in outcomes.measures:
        bars = [ChartBar(year if year in outcomes.complete_years else f"{year}*", outcomes.total("all", "", measure.code, year),
                         None, "none reported") for year in outcomes.years]
        groups.append((measure.title, bars))
        sentences.append(f"{measure.title}: " + and_list([f"{b.text} in {year}" for b, year in zip(bars, outcomes.years)]) + ".")
    unfinished = [year for year in outcomes.years if year not in outcomes.complete_years]
    note = f" {and_list(unfinished)}, marked *, {'is' if len(unfinished) == 1 else 'are'} not over: figures so far." if unfinished else ""
    description = ("Bar chart of each shared measure added up across every funded service, one bar for each financial "
                   f"year.{note} " + " ".join(sentences))
    return figures_chart("chart-shared-measures", "Shared measures in each financial year", description, groups)
