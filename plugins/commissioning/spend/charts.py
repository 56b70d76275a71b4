"""The spend section's charts: money paid by funding stream over the years, and month by month in a year."""

from __future__ import annotations

from datetime import date

from markupsafe import Markup

from ..derive.spend_figures import Line, YearSpend
from ..render.charts import Bar, Group, bar_chart, whole_pounds
from ..render.filters import and_list, uk_date

PART_MONTH = "part month"


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


def published_months(year: YearSpend) -> list[Line]:
    """The months whose payments are published: in a year not yet over, none after the last payment's month.
    Those later months have no payments yet because they are not published, not because nothing was paid."""
    if year.complete or year.last_payment is None:
        return year.by_month
    last = f"{year.last_payment:%Y-%m}"
    return [line for line in year.by_month if line.key <= last]


def part_month(year: YearSpend, today: date | None) -> str:
    """The key (YYYY-MM) of the month of the last payment when its records may not be whole, else ''.
    Without the build's date, the last payment's month of a year not yet over is taken to be part of one."""
    if year.complete or year.last_payment is None:
        return ""
    last = f"{year.last_payment:%Y-%m}"
    return last if today is None or last >= f"{today:%Y-%m}" else ""


def month_chart(year: YearSpend, today: date | None = None) -> Markup:
    """Spend in each published month of one financial year, April first, the month still going marked."""
    lines = published_months(year)
    part = part_month(year, today)
    bars = [Bar(f"{date.fromisoformat(line.key + '-01'):%b %Y}", line.amount, PART_MONTH if line.key == part else "")
            for line in lines]
    paid = [line for line in lines if line.count]
    description = f"Bar chart of money paid in each month of {year.label}, from {lines[0].label} to {lines[-1].label}."
    if len(lines) < len(year.by_month):
        later = year.by_month[len(lines):]
        description += (f" Payments from {later[0].label} are not published yet, so "
                        f"{'that month is' if len(later) == 1 else 'those months are'} left out.")
    if part:
        partial = next(line for line in lines if line.key == part)
        description += f" {partial.label} is a part month: payments to {uk_date(year.last_payment)}."
    if paid:
        highest = max(paid, key=lambda line: line.amount)
        lowest = min(paid, key=lambda line: line.amount)
        description += (f" The most was {whole_pounds(highest.amount)} in {highest.label}; the least was "
                        f"{whole_pounds(lowest.amount)} in {lowest.label}.")
    empty = [line.label for line in lines if not line.count]
    if empty:
        description += f" No payments in {and_list(empty)}."
    description += " The table after the chart gives every month's figure to the penny."
    return bar_chart(f"chart-months-{year.label}", f"Money paid each month in {year.label}", description, [Group(None, bars)])
