"""A file written whole or not at all: a new file beside it, then renamed over it.

Staff's data files written back by the importers, and what a build keeps for the next in cache/,
are read by whatever runs next; a build or an import stopped half way must leave the file as it was,
never cut short, and no half-written file beside it.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def write_whole(path: Path, content: bytes) -> None:
    """Write content to path whole (its folder made if need be); raises OSError, leaving path as it was."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
