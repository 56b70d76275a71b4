"""What every import command shares: where data/ is, reading funder.yaml, and ending with a report and
an exit code, never a traceback."""

from __future__ import annotations

import functools
import sys
from pathlib import Path

from ..load.models import Funder
from ..load.read import read_yaml_mapping
from ..load.validate import build
from ..problems import DataError, Problem, warnings_report
from ..settings import SettingsError, build_time
from .staging import Checked

PROBLEMS, SETTINGS, MACHINE, STOPPED = 1, 2, 4, 130


def add_data_arguments(parser) -> None:
    parser.add_argument("--data", type=Path, default=Path("data"), help="the data folder (default data)")


def content_of(data_dir: Path) -> Path:
    """The content folder beside data/."""
    return Path(data_dir).resolve().parent / "content"


def funder_of(data_dir: Path) -> Funder:
    """funder.yaml as a model; its problems, if it has any, as a DataError."""
    name = f"{Path(data_dir).resolve().name}/funder.yaml"
    record = read_yaml_mapping(Path(data_dir) / "funder.yaml", name)
    problems: list[Problem] = []
    funder = build(Funder, record, problems)
    if funder is None:
        raise DataError(problems)
    return funder


def now():
    """The clock the rules judge by: SITE_NOW if it is set, as the build does."""
    return build_time(None)


def guarded(run):
    """A command that reports problems and faults as lines of text with an exit code, never a traceback."""
    @functools.wraps(run)
    def wrapper(args) -> int:
        try:
            return run(args)
        except DataError as exc:
            print(DataError(exc.problems).report().replace("nothing was published", "nothing was written"), file=sys.stderr)
            return PROBLEMS
        except SettingsError as exc:
            print(f"settings: {exc}", file=sys.stderr)
            return SETTINGS
        except OSError as exc:
            where = f"{exc.filename}: " if exc.filename else ""
            print(f"{where}{exc.strerror or exc}; nothing was written", file=sys.stderr)
            return MACHINE
        except KeyboardInterrupt:
            print("stopped (Ctrl+C) before it finished; nothing was written", file=sys.stderr)
            return STOPPED
    return wrapper


def finish(checked: Checked, done: str) -> int:
    """The end of a command that checked and wrote data/: its warnings, then what was written or why not."""
    if checked.warnings:
        print(warnings_report(checked.warnings))
    if checked.errors:
        raise DataError(checked.errors)
    if checked.written:
        print(f"Wrote {', '.join(checked.written)}. {done}")
    else:
        print(f"Nothing to change: data/ already holds all of it. {done}")
    return 0
