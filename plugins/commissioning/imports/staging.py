"""Check before writing: the changed files are put into a copy of data/, which is checked exactly as the
build checks it (the gate, then load_dataset); only when that finds no error are they written into data/.

So a command never leaves data/ in a state the build would refuse, and it publishes nothing.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from ..load import files
from ..load.loader import load_dataset
from ..problems import DataError, Problem
from ..whole_file import write_whole


@dataclass
class Checked:
    """What checking the changed data found: errors (nothing was written) and warnings (written all the same)."""

    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    written: list[str] = field(default_factory=list)  # the files written, as staff see them


def check_and_write(data_dir: Path, content_dir: Path, changes: dict[str, str], now: datetime | None,
                    write: bool = True) -> Checked:
    """Check data/ with `changes` (a path inside data/ -> the file's new text); write them if it passes.

    Problems name the files as staff see them (data/awards.csv), relative to data/'s parent folder.
    """
    data_dir = Path(data_dir).resolve()
    with tempfile.TemporaryDirectory(prefix="commissioning-import-") as scratch:
        root = Path(scratch)
        copy = root / data_dir.name
        if data_dir.is_dir():
            shutil.copytree(data_dir, copy, symlinks=True)
        else:
            copy.mkdir()
        content = root / "content"
        if Path(content_dir).is_dir():  # a copy too, so the gate and the rules name its files as staff see them
            shutil.copytree(content_dir, content, symlinks=True)
        for relative, text in changes.items():
            target = copy / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8", newline="")
        checked = Checked()
        refused = list(files.gate(copy, content, root))
        if refused:
            checked.errors = refused
            return checked
        try:
            dataset = load_dataset(copy, content, root, now=now)
        except DataError as exc:
            checked.errors, checked.warnings = exc.problems, exc.warnings
            return checked
        checked.warnings = dataset.warnings
    if write:
        for relative, text in changes.items():
            _write(data_dir / relative, text)
            checked.written.append(f"{data_dir.name}/{relative}")
    return checked


def _write(path: Path, text: str) -> None:
    write_whole(path, text.encode("utf-8"))
