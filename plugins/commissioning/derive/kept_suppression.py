"""Which monitoring figures to withhold, kept between builds in cache/suppression.json of the project.

Why: the secondary suppression of a table (suppression.protect) is the same answer for the same
figures, and working it out was most of deriving the sample's site (0.23 s of 0.29 s, one table of
39 figures and 33 totals); monitoring returns change once a quarter, builds run every hour.

What keeps it from publishing a figure it should not:
- an answer is found by a digest of the whole table (every figure, every total's parts, the
  threshold) and of the source of suppression.py and of this file, so a change to any works it out again;
- an answer is stored as the positions of the withheld figures among the table's figures and totals,
  each with its reason, and is used only if every position is in the table and every reason is one
  protect gives; anything else in the file (cut short, edited, from another version) is ignored and
  the answer worked out again;
- the file is written whole and renamed into place, and holds only the last build's tables.

A folder that cannot be read or written makes the build slower, not different.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Hashable

from ..whole_file import write_whole
from . import suppression

FILE = Path("cache") / "suppression.json"  # under the project folder (COMMISSIONING_ROOT), git-ignored
_REASONS = (suppression.SMALL, suppression.SECONDARY)


def _code() -> bytes:
    here = Path(__file__).resolve().parent
    return b"\0".join((here / name).read_bytes() for name in ("suppression.py", "kept_suppression.py"))


CODE = _code()


class KeptAnswers:
    """The answers of the last build, read once; protect() as suppression.protect, reading them first."""

    def __init__(self, root: Path | None):
        self.path = root / FILE if root is not None else None
        self.kept = self._read()
        self.used: dict[str, list] = {}

    def _read(self) -> dict:
        if self.path is None:
            return {}
        try:
            found = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return found if isinstance(found, dict) else {}

    def protect(self, cells: dict[Hashable, int], totals: dict[Hashable, list[Hashable]], below: int) -> dict[Hashable, str]:
        key = hashlib.blake2b(CODE + repr((cells, totals, below)).encode(), digest_size=16).hexdigest()
        keys = [*cells, *totals]
        answer = _answer(self.kept.get(key), keys)
        if answer is None:
            answer = suppression.protect(cells, totals, below)
            position = {k: index for index, k in enumerate(keys)}
            self.used[key] = [[position[k], why] for k, why in answer.items()]
        else:
            self.used[key] = self.kept[key]
        return answer

    def save(self) -> None:
        """This build's answers written for the next, if they differ from those read."""
        if self.path is None or self.used == self.kept:
            return
        try:
            write_whole(self.path, json.dumps(self.used, separators=(",", ":")).encode("utf-8"))
        except OSError:
            pass  # a read-only checkout: the next build works them out again


def _answer(kept, keys: list) -> dict[Hashable, str] | None:
    """A kept answer as protect gives it, or None unless it is sound for this table."""
    if not isinstance(kept, list):
        return None
    answer: dict[Hashable, str] = {}
    for entry in kept:
        if not (isinstance(entry, list) and len(entry) == 2 and type(entry[0]) is int
                and 0 <= entry[0] < len(keys) and entry[1] in _REASONS):
            return None
        answer[keys[entry[0]]] = entry[1]
    return answer
