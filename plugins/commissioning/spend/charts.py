"""The spend section's charts: money paid by funding stream over the years, and month by month in a year."""

from __future__ import annotations

from datetime import date

from markupsafe import Markup

from ..render.charts import Bar, Group, bar_chart, whole_pounds
from ..render.filters import and_list


def stream_chart(spend) -> Markup:
    """Spend by funding stream, one bar per financial year in each stream's group."""
    if not spend.years:
        return Markup("")
    labels = [year.label for year in spend.years]
    unfinished = [year.label for year in spend.years if not year.complete]
    groups = [Group(series.label, [Bar(label, amount) for label, amount in zip(labels, series.amounts)])
              for series in spend.by_stream]
    sentences = [f"{series.label}: " + and_list([f"{whole_pounds(amount)} in {label}" for label, amount in zip(labels, series.amounts)]) + "."
                 for series in spend.by_stream]
    note = f" {and_list(unfinished)} {'is' if len(unfinished) == 1 else 'are'} not over." if unfinished else ""
    description = (f"Bar chart of money paid by funding stream, one bar for each financial year from {labels[0]} to {labels[-1]}."
                   f"{note} " + " ".join(sentences))
    return bar_chart("chart-streams", "Money paid by funding stream in each financial year", description, groups)


def month_chart(year) -> Markup:
    """Spend in each month of one financial year, April first."""
    bars = [Bar(f"{date.fromisoformat(line.key + '-01'):%b %Y}", line.amount) for line in year.by_month]
    paid = [line for line in year.by_month if line.count]
    description = f"Bar chart of money paid in each month of {year.label}, from {year.by_month[0].label} to {year.by_month[-1].label}."
    if paid:
        highest = max(paid, key=lambda line: line.amount)
        lowest = min(paid, key=lambda line: line.amount)
        description += (f" The most was {whole_pounds(highest.amount)} in {highest.label}; the least was "
                        f"{whole_pounds(lowest.amount)} in {lowest.label}.")
    empty = [line.label for line in year.by_month if not line.count]
    if empty:
        description += f" No payments in {and_list(empty)}."
    description += " The table after the chart gives every month's figure to the penny."
    return bar_chart(f"chart-months-{year.label}", f"Money paid each month in {year.label}", description, [Group(None, bars)])
