"""Load: read and model every file in `data/`, then run every rule, reporting every problem at once."""

from __future__ import annotations

import gc
from pathlib import Path

from .. import timing
from ..problems import DataError, Problem
from .read import read_csv, read_front_matter, read_yaml_mapping
from .validate import build, build_table
from .dataset import Dataset, display_name
from .models import Award, Funder, Opportunity, Payment, Provider
from .rules import check_all


def _guarded(problems: list[Problem], reader, *args):
    """Run a reader, turning a DataError into problems so the other files are still read.

    A CSV file with a badly shaped row still gives its other rows, so one mistake is one message.
    """
    try:
        with timing.stage("read", "payments" if reader is read_csv and "payments/" in args[1] else reader.__name__):
            return reader(*args)
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
    record = _guarded(problems, read_yaml_mapping, data_dir / "funder.yaml", name(data_dir / "funder.yaml"))
    if record is not None:
        with timing.stage("model", "Funder"):
            funder = build(Funder, record, problems)

    seen: dict[str, set[str]] = {}
    tables = {}
    for kind, model in (("providers", Provider), ("awards", Award)):
        path = data_dir / f"{kind}.csv"
        table = _guarded(problems, read_csv, path, name(path))
        with timing.stage("model", model.__name__):
            tables[kind] = build_table(model, table, problems) if table else []
        seen[kind] = table.ids() if table else set()

    opportunities = []
    seen["opportunities"] = set()
    for path in sorted((data_dir / "opportunities").glob("*.md")):
        found = _guarded(problems, read_front_matter, path, name(path))
        if found is None:
            continue
        record, body, body_line = found
        seen["opportunities"].add(record.values.get("id"))
        with timing.stage("model", "Opportunity"):
            opportunity = build(Opportunity, record, problems)
        if opportunity is not None:
            opportunity._body = body
            opportunity._body_line = body_line
            opportunities.append(opportunity)

    payments: dict[str, list[Payment]] = {}
    for path in sorted((data_dir / "payments").glob("*.csv")):
        table = _guarded(problems, read_csv, path, name(path))
        with timing.stage("model", "Payment"):
            payments[path.stem] = build_table(Payment, table, problems) if table else []

    dataset = Dataset(funder, tables["providers"], tables["awards"], opportunities, payments, content_dir, root, seen)
    return dataset, problems


def load_dataset(data_dir: Path, content_dir: Path, root: Path) -> Dataset:
    """Read, model and cross-check all the data, or raise one DataError listing every problem."""
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
