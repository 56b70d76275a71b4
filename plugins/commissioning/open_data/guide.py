"""The column guide: what each column of a download means, worded for the person reading the data,
for the About sheet of each Excel workbook (the data page's "What each column means" says the same,
from the same Columns).

It is made from the sections' `Column`s, so a new column is explained without a word written here.
"""

from __future__ import annotations

from dataclasses import dataclass

from .files import Column, Download

# A Table Schema type in words (theme/templates/open_data/data.html says the same; a test keeps them in step).
TYPE_WORDS = {
    "string": "Text",
    "money": "Amount in pounds",  # a "number" column that is money (is_money)
    "number": "Number",
    "integer": "Whole number",
    "date": "Date",
    "datetime": "Date and time, UK time",
    "time": "Time of day, UK time",
    "boolean": "Yes or no",
}


@dataclass(frozen=True)
class ColumnGuide:
    """One column explained: its heading, its type in words, what it means, whether it is always filled in."""

    name: str
    kind: str
    meaning: str
    always: bool


def is_money(column: Column) -> bool:
    """Whether a column is an amount of money: a Table Schema number whose description says it is in
    pounds (a Column has no unit of its own: every amount's description here says so)."""
    return column.type == "number" and "pounds" in column.description.lower()


def kind(column: Column) -> str:
    """The column's type as this guide and the workbook know them: its Table Schema type, or money."""
    return "money" if is_money(column) else column.type


def type_words(column: Column) -> str:
    return TYPE_WORDS.get(kind(column), column.type.capitalize())


def meaning(column: Column) -> str:
    """The column's description as a sentence: a capital first and a full stop last."""
    text = " ".join(column.description.split())
    if not text:
        return ""
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "?", "!")) else text + "."


def columns(download: Download) -> list[ColumnGuide]:
    """Every column of a download, explained, in the file's order."""
    return [ColumnGuide(c.name, type_words(c), meaning(c), c.required) for c in download.columns]
