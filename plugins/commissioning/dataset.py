"""Read and validate everything in `data/` (and check `content/`), reporting every problem at once."""

from __future__ import annotations

import gc
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from operator import attrgetter
from pathlib import Path

from . import load, validate
from .models import Award, Funder, Opportunity, Payment, Provider
from .problems import DataError, Problem


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
    _payment_values: dict[str, list] = field(default_factory=dict, repr=False)

    @cached_property
    def all_payments(self) -> list[Payment]:
        """Every payment, file by file in name order, each file in line order."""
        return [p for year in sorted(self.payments) for p in self.payments[year]]

    @cached_property
    def payments_by_date(self) -> list[Payment]:
        """Every payment by date; a stable sort, so date, then file, then line. Several rules walk it."""
        return sorted(self.all_payments, key=lambda p: p.date)

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
            self._payment_values[name] = list(map(attrgetter(name), self.payments_by_date))
        return self._payment_values[name]


def display_name(path: Path, root: Path) -> str:
    """A path as staff see it in the repository: `data/awards.csv`."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _guarded(problems: list[Problem], read, *args):
    """Run a reader, turning a DataError into problems so the other files are still read.

    A CSV file with a badly shaped row still gives its other rows, so one mistake is one message.
    """
    try:
        return read(*args)
    except DataError as exc:
        problems.extend(exc.problems)
        return getattr(exc, "table", None)


def read_dataset(data_dir: Path, content_dir: Path, root: Path) -> tuple[Dataset, list[Problem]]:
    """Load and model every data file; return what is valid and every problem found."""
    problems: list[Problem] = []
    name = lambda p: display_name(p, root)  # noqa: E731
    if not data_dir.is_dir():
        problems.append(Problem(name(data_dir), 0, "", "folder is missing; it should hold funder.yaml, providers.csv, awards.csv, opportunities/ and payments/"))
        return Dataset(None, [], [], [], {}, content_dir, root), problems

    funder = None
    record = _guarded(problems, load.read_yaml_mapping, data_dir / "funder.yaml", name(data_dir / "funder.yaml"))
    if record is not None:
        funder = validate.build(Funder, record, problems)

    seen: dict[str, set[str]] = {}
    tables = {}
    for kind, model in (("providers", Provider), ("awards", Award)):
        path = data_dir / f"{kind}.csv"
        table = _guarded(problems, load.read_csv, path, name(path))
        tables[kind] = validate.build_table(model, table, problems) if table else []
        seen[kind] = table.ids() if table else set()

    opportunities = []
    seen["opportunities"] = set()
    for path in sorted((data_dir / "opportunities").glob("*.md")):
        read = _guarded(problems, load.read_front_matter, path, name(path))
        if read is None:
            continue
        record, body, body_line = read
        seen["opportunities"].add(record.values.get("id"))
        opportunity = validate.build(Opportunity, record, problems)
        if opportunity is not None:
            opportunity._body = body
            opportunity._body_line = body_line
            opportunities.append(opportunity)

    payments: dict[str, list[Payment]] = {}
    for path in sorted((data_dir / "payments").glob("*.csv")):
        table = _guarded(problems, load.read_csv, path, name(path))
        payments[path.stem] = validate.build_table(Payment, table, problems) if table else []

    dataset = Dataset(funder, tables["providers"], tables["awards"], opportunities, payments, content_dir, root, seen)
    return dataset, problems


def load_dataset(data_dir: Path, content_dir: Path, root: Path) -> Dataset:
    """Read, model and cross-check all the data, or raise one DataError listing every problem."""
    from .rules import check_all  # rules import Dataset from here

    # Loading makes a few objects per row and frees almost none: the collector's repeated passes over
    # a growing heap cost a third of the time for 200,000 payments, and find nothing to collect.
    collecting = gc.isenabled()
    gc.disable()
    try:
        dataset, problems = read_dataset(data_dir, content_dir, root)
        problems.extend(check_all(dataset))
    finally:
        if collecting:
            gc.enable()
    if problems:
        raise DataError(problems)
    return dataset
