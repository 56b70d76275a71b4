"""The output folder: one build at a time in a folder, and a whole site at output/ whatever happens.

A build writes the site into a staging folder beside output/ (output.building-XXXX) and puts it in
place only when every stage has succeeded (cli.build). This module makes that safe against faults:

- `locked(target)`: an exclusive lock (flock) on the file .output.lock beside output/, held for the
  whole build. A second build in the same folder is refused (Busy) instead of overlapping. The lock is
  the kernel's and goes with the process, so a killed build never leaves a stale lock; the file stays
  (an empty, hidden file: deleting it would let two builds lock two different files).
- `recover(target)`: run at the start of every build, holding the lock: puts back an output/ that a
  swap was cut short of (below), then deletes whatever a killed build left: output.building-*
  (staging folders, with the folders of pages shown to the search indexer inside their names),
  output.search-* and output.old-*.
- `swap(staging, target)`: the new site in for the old. On Linux this is one step: renameat2 with
  RENAME_EXCHANGE swaps the two folders atomically, so output/ is the old site until the instant it is
  the new one, and a kill at any moment leaves one or the other there; the old site, now at the
  staging folder's name, is then deleted (or by `recover`, if the build is killed first). Where the
  exchange is not available (another system, or a file system without it), two renames: output/ to
  output.old-XXXX, then the staging folder to output/. A kill between the two leaves no output/ until
  the next build starts, when `recover` renames output.old-XXXX back.
  Why not output/ as a link to a versioned folder, switched with one rename: output/ would be a link,
  not a folder, for web servers, rsync and everyone else, and the gate refuses links on principle.

A fault of the machine (a full disk, a read-only folder, no permission, Ctrl+C) becomes one Problem
naming the cause (`fault`), printed as one line, instead of a traceback.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import secrets
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Iterator

from .problems import Problem

LEFTOVERS = ("building", "search", "old")  # output.<kind>-XXXX: what a killed build leaves beside output/


class Busy(Exception):
    """Another build holds the lock of this output folder."""


def lock_file(target: Path) -> Path:
    return target.parent / f".{target.name}.lock"


@contextlib.contextmanager
def locked(target: Path) -> Iterator[None]:
    """Hold the build lock of target for the duration; Busy at once if another build holds it."""
    try:
        import fcntl
    except ImportError:  # not a POSIX system: builds are not kept apart there
        yield
        return
    descriptor = os.open(lock_file(target), os.O_RDONLY | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise Busy(str(target)) from None
        yield
    finally:
        os.close(descriptor)  # closing releases the lock


def leftovers(target: Path) -> list[Path]:
    """Every folder a build of target makes beside it and removes again, if any is still there."""
    found: list[Path] = []
    with contextlib.suppress(OSError):
        for entry in os.scandir(target.parent):
            if any(entry.name.startswith(f"{target.name}.{kind}-") for kind in LEFTOVERS):
                found.append(Path(entry.path))
    return sorted(found)


def recover(target: Path) -> None:
    """Put output/ back if a swap was cut short, then delete what killed builds left. Hold the lock."""
    found = leftovers(target)
    retired = [p for p in found if p.name.startswith(f"{target.name}.old-") and p.is_dir() and not p.is_symlink()]
    if not os.path.lexists(target) and retired:
        newest = max(retired, key=lambda p: p.stat().st_mtime_ns)
        os.rename(newest, target)
        found.remove(newest)
    for path in found:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            with contextlib.suppress(OSError):
                path.unlink()


def staging_folder(target: Path) -> Path:
    """A new, empty folder beside target to build into."""
    return Path(tempfile.mkdtemp(prefix=f"{target.name}.building-", dir=target.parent))


def swap(staging: Path, target: Path) -> None:
    """Put staging in target's place, leaving a whole site at target at every moment (see the module)."""
    staging.chmod(0o755)  # mkdtemp made it private; the web server must read it
    if not os.path.lexists(target):
        os.rename(staging, target)
    elif exchange(staging, target):
        shutil.rmtree(staging, ignore_errors=True)  # the old site, now under the staging folder's name
    else:
        old = retire(target)
        try:
            os.rename(staging, target)
        except BaseException:
            os.rename(old, target)  # the old site back, as it was
            raise
        shutil.rmtree(old, ignore_errors=True)


def retire(target: Path) -> Path:
    """The first of the two renames: target moved aside to output.old-XXXX, which `recover` puts back."""
    old = target.parent / f"{target.name}.old-{secrets.token_hex(4)}"
    os.rename(target, old)
    return old


_AT_FDCWD, _RENAME_EXCHANGE = -100, 2


def exchange(first: Path, second: Path) -> bool:
    """Swap two folders in one atomic step (Linux's renameat2); False where that cannot be done."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):  # a C library without it
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV):
        return False
    raise OSError(code, os.strerror(code), str(second))


# --- faults, as one line each ------------------------------------------------------------------

_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}
_DENIED = {errno.EACCES, errno.EPERM}


def fault(exc: BaseException, target: Path, root: Path) -> Problem | None:
    """The Problem to print for a fault of the machine, naming its cause; None if exc is not one."""
    if isinstance(exc, KeyboardInterrupt):
        return Problem(shown(target, target, root), 0, "", "the build was stopped (Ctrl+C) before it finished; "
                       "nothing was published, and the site in this folder is as it was")
    if isinstance(exc, Busy):
        return Problem(shown(target, target, root), 0, "", "another build is running in this folder; "
                       "wait for it to finish, then build again")
    if not isinstance(exc, OSError) or exc.errno is None:
        return None
    where = shown(Path(exc.filename) if exc.filename else target, target, root)
    if exc.errno in _FULL:
        message = "cannot be written: the disk is full; free some space, then build again"
    elif exc.errno == errno.EROFS:
        message = "cannot be written: the disk is read-only; build in a folder on a disk you can write to"
    elif exc.errno in _DENIED:
        message = ("cannot be written: permission denied; build as a user who may write to this folder, "
                   "or change its permissions")
    else:
        message = f"cannot be written or read ({exc.strerror}); check the disk and the folder, then build again"
    return Problem(where, 0, "", f"{message} (nothing was published: the site is as it was)")


def shown(path: Path, target: Path, root: Path) -> str:
    """A path in a fault's message: the output folder for anything a build of it makes, else as staff see it."""
    path = Path(os.path.abspath(path))
    target = Path(os.path.abspath(target))
    for made in (path, *path.parents):
        if made.parent == target.parent and (made == target or made.name.startswith((f"{target.name}.", f".{target.name}."))):
            path = target
            break
    for base in (os.path.abspath(root), os.path.realpath(root)):
        with contextlib.suppress(ValueError):
            return path.relative_to(base).as_posix() or "."
    return path.as_posix()
