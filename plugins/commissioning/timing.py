"""Stages of the build say how long they took, to whoever asks: the benchmark, or no one.

Each stage of the build runs inside `stage(name, detail)`, where `name` is one of STAGES. Nothing is
measured until `start()` is called, so a normal build pays one test of a flag per stage. Forked
copies of the process (workers.py) send what they measured back with their result, and it is added
here, so every second of work reaches `totals()` whichever process did it.

A name that is not in STAGES is refused: a stage renamed in the code without its entry here fails at
once, in the benchmark's own test, rather than vanishing from the benchmark's table.
"""

from __future__ import annotations

import contextlib
import resource
import time
from typing import Iterator

# Every stage the build reports, in the order a build runs them. `detail` says which section or
# file: "pages" with detail "opportunities" is reported as "pages: opportunities".
STAGES = (
    "settings",  # Pelican's settings read and ours parsed, plugins loaded
    "read",  # files read into records and columns of text (detail: which kind of file)
    "model",  # records turned into models, field by field (detail: the model)
    "rules",  # each cross-record rule (detail: the rule)
    "derive",  # statuses, relations and totals
    "spend derive",  # the spend figures, summed a year at a time
    "files",  # each section's open-data files, feeds and calendars made in memory (detail: section)
    "pages",  # each section's list of pages to write (detail: section)
    "render",  # pages rendered and written by Pelican's writer (detail: the template)
    "write files",  # the files made in memory written to disk
    "sitemap",
    "minify",
    "search index",
)

_ON = False
_TOTALS: dict[str, list[float]] = {}  # "name: detail" -> [wall seconds, CPU seconds, calls, user CPU seconds]


def start() -> None:
    """Measure from now on; what was measured before is forgotten."""
    global _ON
    _ON = True
    _TOTALS.clear()


def stop() -> None:
    global _ON
    _ON = False


def running() -> bool:
    return _ON


def _cpu() -> tuple[float, float]:
    """CPU seconds so far, and of them those in the program rather than the kernel: the kernel's share
    of writing files depends on the disk and on what was deleted before (bench/findings.md)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)  # the search indexer, a program of its own
    user = usage.ru_utime + children.ru_utime
    return user + usage.ru_stime + children.ru_stime, user


@contextlib.contextmanager
def stage(name: str, detail: str = "") -> Iterator[None]:
    """Time what runs inside, as `name` (one of STAGES), or `name: detail`."""
    if name not in STAGES:
        raise ValueError(f"{name!r} is not a stage in timing.STAGES; add it there")
    if not _ON:
        yield
        return
    started, (cpu, user) = time.perf_counter(), _cpu()
    try:
        yield
    finally:
        cpu_now, user_now = _cpu()
        add(f"{name}: {detail}" if detail else name, time.perf_counter() - started, cpu_now - cpu, user=user_now - user)


def add(key: str, seconds: float, cpu: float = 0.0, calls: int = 1, user: float = 0.0) -> None:
    entry = _TOTALS.setdefault(key, [0.0, 0.0, 0, 0.0])
    entry[0] += seconds
    entry[1] += cpu
    entry[2] += calls
    entry[3] += user


def take() -> dict[str, list[float]]:
    """What was measured in this process since start(), emptied: a forked copy sends it home."""
    taken = {key: list(value) for key, value in _TOTALS.items()}
    _TOTALS.clear()
    return taken


def merge(measured: dict[str, list[float]]) -> None:
    """Add what another process measured (see take)."""
    for key, (seconds, cpu, calls, user) in measured.items():
        add(key, seconds, cpu, int(calls), user)


def totals() -> dict[str, dict[str, float]]:
    """Each stage measured: wall and CPU seconds, how many times it ran, and its CPU seconds outside the kernel."""
    return {key: {"seconds": s, "cpu": c, "calls": int(n), "user": u} for key, (s, c, n, u) in _TOTALS.items()}


def stage_of(key: str) -> str:
    """The STAGES name of a key of totals(): 'pages: spend' is 'pages'."""
    return key.split(": ", 1)[0]
