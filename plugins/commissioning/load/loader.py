"""Load: read and model every file in `data/`, then run every rule, reporting every problem at once."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

from .. import collector, timing
from ..problems import DataError, Problem, errors, group_repeats, warnings
from .read import read_csv, read_front_matter, read_yaml_mapping
from .validate import build, build_table
from .dataset import Dataset, display_name
from .models import Award, Funder, Opportunity, Payment, Provider
from .duties import read_duties
from .history import new_files
from .monitoring import read_monitoring
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


class FileCache:
    """What reading and modelling each data file gave, kept between the preview's rebuilds.

    Models are frozen, so a file's models can be shared by one data set and the next: only a file
    whose size or modification time changed is read and modelled again.
    """

    def __init__(self):
        self._kept: dict[Path, tuple] = {}

    def get(self, path: Path, work):
        try:
            stat = path.stat()
            key = (stat.st_mtime_ns, stat.st_size, stat.st_ino)
        except OSError:
            key = None
        kept = self._kept.get(path)
        if kept is not None and key is not None and kept[0] == key:
            return kept[1]
        result = work()
        self._kept[path] = (key, result)
        return result


def _file(cache: FileCache | None, path: Path, problems: list[Problem], work):
    """work() for one file, (what it gave, its problems), from the cache when the file is unchanged."""
    value, found = work() if cache is None else cache.get(path, work)
    problems.extend(found)
    return value


def read_dataset(data_dir: Path, content_dir: Path, root: Path, now: datetime | None = None,
                 cache: FileCache | None = None) -> tuple[Dataset, list[Problem]]:
    """Load and model every data file; return what is valid and every problem found.

    now: the build's clock (UK time), kept on the dataset for the rules that depend on it.
    cache: the preview's, so that only the files changed since the last rebuild are read again.
    """
    problems: list[Problem] = []
    name = lambda p: display_name(p, root)  # noqa: E731
    if not data_dir.is_dir():
        problems.append(Problem(name(data_dir), 0, "", "folder is missing; it should hold funder.yaml, providers.csv, awards.csv, opportunities/ and payments/"))
        return Dataset(None, [], [], [], {}, content_dir, root, now=now), problems

    def funder_file(path: Path):
        found: list[Problem] = []
        record = _guarded(found, read_yaml_mapping, path, name(path))
        if record is None:
            return None, found
        with timing.stage("model", "Funder"):
            return build(Funder, record, found), found

    def table_file(path: Path, model):
        found: list[Problem] = []
        table = _guarded(found, read_csv, path, name(path))
        with timing.stage("model", model.__name__):
            rows = build_table(model, table, found) if table else []
        # table None: not UTF-8, binary, empty or missing: its own problem says so, once
        return (rows, table.ids() if table else set(), table is None), found

    def opportunity_file(path: Path):
        found: list[Problem] = []
        read = _guarded(found, read_front_matter, path, name(path))
        if read is None:
            return (None, path.stem), found  # its id is its file's name; an award naming it is not wrong too
        record, body, body_line = read
        with timing.stage("model", "Opportunity"):
            opportunity = build(Opportunity, record, found)
        if opportunity is not None:
            opportunity._body = body
            opportunity._body_line = body_line
        return (opportunity, record.values.get("id")), found

    funder = _file(cache, data_dir / "funder.yaml", problems, lambda: funder_file(data_dir / "funder.yaml"))
    seen: dict[str, set[str]] = {}
    unread: set[str] = set()
    tables = {}
    for kind, model in (("providers", Provider), ("awards", Award)):
        path = data_dir / f"{kind}.csv"
        tables[kind], seen[kind], unreadable = _file(cache, path, problems, lambda: table_file(path, model))
        if unreadable:
            unread.add(kind)

    opportunities = []
    seen["opportunities"] = set()
    for path in sorted((data_dir / "opportunities").glob("*.md")):
        opportunity, identifier = _file(cache, path, problems, lambda: opportunity_file(path))
        seen["opportunities"].add(identifier)
        if opportunity is not None:
            opportunities.append(opportunity)

    payments: dict[str, list[Payment]] = {}
    for path in sorted((data_dir / "payments").glob("*.csv")):
        payments[path.stem], _, _ = _file(cache, path, problems, lambda: table_file(path, Payment))

    monitoring, found = read_monitoring(data_dir / "monitoring", name)
    problems.extend(found)
    duties, found = read_duties(data_dir / "duties.yaml", name(data_dir / "duties.yaml"))
    problems.extend(found)
    dataset = Dataset(funder, tables["providers"], tables["awards"], opportunities, payments, content_dir, root, seen,
                      unread=unread, now=now, monitoring=monitoring, duties=duties, new_files=new_files(root) if now else None)
    return dataset, problems


# --- a whole column in another format: one message, one fix ----------------------------------------

COLUMN_AT_LEAST = 3  # cells in one column written the same other way before it is one message
_VALUE = re.compile(r"'([^']*)'")
_UK_DATE = re.compile(r"\d{1,2}/\d{1,2}/\d{2,4}")
_FORMATTED_MONEY = re.compile(r"\(?-?£?-?\(?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?\)?")


def _column_format(message: str) -> str | None:
    """'uk-date' or 'formatted-money' when a cell's problem is that shape of value, else None."""
    found = _VALUE.match(message)
    if not found:
        return None
    value, advice = found.group(1), message[found.end():]
    if advice.startswith(" is not a date;") and _UK_DATE.fullmatch(value):
        return "uk-date"
    if advice.startswith(" is not an amount in pounds;") and _FORMATTED_MONEY.fullmatch(value) \
            and ("£" in value or "," in value or value.startswith("(")):
        return "formatted-money"
    return None


def whole_columns(problems: list[Problem]) -> list[Problem]:
    """A CSV column whose cells Excel wrote another way (UK dates, £ and commas) as one problem.

    Excel re-saving a file formats every date as 31/03/2026 and every amount as £1,250.00: that is
    one mistake with one fix, not one message per cell. The problem is at the column's first such
    cell; cells of that column with other mistakes keep their own messages.
    """
    by_column: dict[tuple, list[Problem]] = {}
    for problem in problems:
        if problem.file.endswith(".csv") and problem.field and problem.line:
            kind = _column_format(problem.message)
            if kind:
                by_column.setdefault((problem.file, problem.field, kind), []).append(problem)
    replaced: set[Problem] = set()
    out = []
    for (file, column, kind), cells in by_column.items():
        if len(cells) < COLUMN_AT_LEAST:
            continue
        replaced.update(cells)
        first = min(cells, key=lambda p: p.line)
        example = _VALUE.match(first.message).group(1)
        if kind == "uk-date":
            message = (f"Excel re-saved this file with UK dates (DD/MM/YYYY) in {column}: {len(cells)} cells, such as '{example}'; "
                       "write them as YYYY-MM-DD, or save from Excel as CSV UTF-8 after formatting the column as yyyy-mm-dd")
        else:
            message = (f"Excel re-saved this file with amounts formatted as money (£ or commas) in {column}: {len(cells)} cells, "
                       f"such as '{example}'; write digits only, for example 1250.00, or format the column as Number "
                       "with no 1000 separator and no £ before saving as CSV UTF-8")
        out.append(Problem(file, first.line, column, message))
    return [p for p in problems if p not in replaced] + out


def load_dataset(data_dir: Path, content_dir: Path, root: Path, now: datetime | None = None,
                 cache: FileCache | None = None) -> Dataset:
    """Read, model and cross-check all the data; raise one DataError listing every error, if any.

    now: the build's clock (settings.now, UK time); None skips the rules that depend on the date.
    Warnings do not stop the build: they are on the dataset returned, as `dataset.warnings`.
    """
    with collector.paused():  # a few objects a row, almost none freed
        dataset, problems = read_dataset(data_dir, content_dir, root, now, cache)
        problems.extend(check_all(dataset))
    problems = group_repeats(whole_columns(problems))
    dataset.warnings = warnings(problems)
    if errors(problems):
        raise DataError(errors(problems), dataset.warnings)
    return dataset
