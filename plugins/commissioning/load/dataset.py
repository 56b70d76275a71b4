"""The data set: everything the funder publishes, as valid models, with the views of payments the rules share."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any
from datetime import datetime
from functools import cached_property
from operator import attrgetter
from pathlib import Path

from ..problems import Problem
from .models import Award, Funder, Opportunity, Payment, Provider
from .monitoring import Monitoring


@dataclass
class Dataset:
    """Everything the funder publishes, as valid models."""

    funder: Funder | None
    providers: list[Provider]
    awards: list[Award]
    opportunities: list[Opportunity]
    payments: dict[str, list[Payment]]  # by financial year, as the file is named: "2025-26"
    content_dir: Path
    root: Path = Path(".")
    # Ids seen in the files even where their row had other problems, so a reference to them is not
    # reported as well: one mistake, one message.
    seen_ids: dict[str, set[str]] = field(default_factory=dict)
    # Kinds ("providers", "awards") whose file could not be read at all: its ids are unknown, so
    # nothing is reported as naming one that does not exist (the file's own problem says why).
    unread: set[str] = field(default_factory=set)
    # The build's clock (UK time); None skips the rules that depend on it.
    now: datetime | None = None
    # What the rules warn about: the site is published, and these are printed.
    warnings: list[Problem] = field(default_factory=list)
    # The quarterly monitoring returns of data/monitoring/ (empty when the folder is not there).
    monitoring: Monitoring = field(default_factory=Monitoring)
    # data/duties.yaml: the duties met on the funder's own website (load/duties.py); None without the file.
    duties: Any = None
    # The data files the change being checked adds (history.py); None when git cannot tell.
    new_files: frozenset[str] | None = None
    _payment_values: dict[str, list] = field(default_factory=dict, repr=False)

    @property
    def published_elsewhere(self) -> list:
        """duties.yaml's entries, or none."""
        return self.duties.published_elsewhere if self.duties else []

    @cached_property
    def all_payments(self) -> list[Payment]:
        """Every payment, file by file in name order, each file in line order."""
        return [p for year in sorted(self.payments) for p in self.payments[year]]

    @cached_property
    def payments_by_date(self) -> list[Payment]:
        """Every payment by date; a stable sort, so date, then file, then line. Several rules walk it."""
        order = self._by_date
        if order is None:
            return sorted(self.all_payments, key=attrgetter("date"))
        return list(map(self.all_payments.__getitem__, order))

    @cached_property
    def _by_date(self) -> list[int] | None:
        """Where each of payments_by_date is in all_payments, from the files' columns; None without them."""
        dates = self._column("date")
        return None if dates is None else sorted(range(len(dates)), key=dates.__getitem__)

    def _column(self, name: str) -> list | None:
        """One field of every payment in all_payments' order, from the columns each file's models
        were made from (validate.Rows); None if a file's rows were not all made that way."""
        files = [self.payments[year] for year in sorted(self.payments)]
        if any(getattr(rows, "columns", None) is None for rows in files):
            return None
        return [value for rows in files for value in rows.columns[name]]

    @cached_property
    def payments_by_award(self) -> dict[str, list[int]]:
        """For each award id, where its payments are in payments_by_date (so by date); payments with
        no award_id are not here. Several rules judge an award's payments together."""
        by_award: defaultdict[str, list[int]] = defaultdict(list)
        for position, award_id in enumerate(self.payment_values("award_id")):
            if award_id is not None:
                by_award[award_id].append(position)
        return dict(by_award)

    def payment_values(self, name: str) -> list:
        """One field of every payment, in payments_by_date order.

        Read once, in the order the payments lie in memory: rules that then jump from award to award
        read these lists, not the payments, which at 80,000 payments and more no longer fit in the
        processor's cache (the rules took 8 to 11 times as long for 4 times the payments).
        """
        if name not in self._payment_values:
            column = self._column(name) if self._by_date is not None else None
            self._payment_values[name] = (list(map(attrgetter(name), self.payments_by_date)) if column is None
                                          else list(map(column.__getitem__, self._by_date)))
        return self._payment_values[name]


def display_name(path: Path, root: Path) -> str:
    """A path as staff see it in the repository: `data/awards.csv`."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()
