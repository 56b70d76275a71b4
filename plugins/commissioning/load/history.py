"""Which data files are new: added by the change being checked, from git, for rules that judge a file as it first appears.

New means not yet committed (untracked or added), or added by the commit being built compared with
its first parent: on a pull request's merge commit that is every file the pull request adds, and on
main the files the merged change added. Without git, or without the parent commit (a shallow
clone), what is new cannot be told: None, and the rules that need it are skipped.
"""

from __future__ import annotations

import subprocess
from pathlib import Path


def _git(root: Path, *args: str) -> list[str] | None:
    try:
        done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.splitlines() if done.returncode == 0 else None


def new_files(root: Path) -> frozenset[str] | None:
    """The paths (relative to root, as `data/opportunities/OPP-2026-009.md`) that are new; None if unknown."""
    top = _git(root, "rev-parse", "--show-toplevel")
    if not top:
        return None
    status = _git(root, "status", "--porcelain", "--untracked-files=all", "--", ".")
    if status is None:
        return None
    new = {line[3:] for line in status if line[:2] in ("??", "A ", "AM")}
    if _git(root, "rev-parse", "--verify", "--quiet", "HEAD") is not None:  # else nothing is committed yet
        added = _git(root, "diff", "--name-only", "--diff-filter=A", "HEAD^1", "HEAD", "--", ".")
        if added is None:  # the first commit, or a shallow clone without the parent: cannot tell
            return None
        new.update(added)
    # git names paths from the top of the repository; the rules name them from the project root.
    prefix = Path(root).resolve().relative_to(Path(top[0]).resolve()).as_posix()
    strip = "" if prefix == "." else prefix + "/"
    return frozenset(path[len(strip):] if path.startswith(strip) else path for path in new)
