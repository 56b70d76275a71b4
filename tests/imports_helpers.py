"""Running the import commands as staff do, in a project folder, and reading what they wrote."""

from __future__ import annotations

import argparse
import contextlib
import io
import os
from dataclasses import dataclass
from pathlib import Path

from commissioning.load.loader import load_dataset
from commissioning.settings import build_time

FIXTURES = Path(__file__).resolve().parent / "fixtures"
REAL = FIXTURES / "real-data"
SPEND = FIXTURES / "spend"
SAMPLE_NOW = "2026-11-24T09:00"


@dataclass
class Ran:
    code: int
    out: str
    err: str


def run_command(module, *argv) -> Ran:
    """A command's run(args) with its arguments parsed as the command line would, the clock pinned."""
    parser = argparse.ArgumentParser()
    module.add_arguments(parser)
    args = parser.parse_args([str(a) for a in argv])
    out, err = io.StringIO(), io.StringIO()
    before = os.environ.get("SITE_NOW")
    os.environ["SITE_NOW"] = SAMPLE_NOW
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = module.run(args)
    finally:
        if before is None:
            os.environ.pop("SITE_NOW", None)
        else:
            os.environ["SITE_NOW"] = before
    return Ran(code, out.getvalue(), err.getvalue())


def dataset(root: Path):
    """The project's data as the build loads it (raises DataError if the build would refuse it)."""
    return load_dataset(root / "data", root / "content", root, now=build_time(SAMPLE_NOW))


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
