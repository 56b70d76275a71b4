"""Share a list of independent work between this process and forked copies of it, one per core.

Writing the pages is the longest stage of a large build, every page is independent of the others,
and a forked copy of the process already holds everything the pages need. Fork is dependable on
Linux only, and costs more than it saves for a small site, so elsewhere, and below PARALLEL_FROM
items, the work is done here. A copy's warnings and errors are logged here, so a warning still
fails the build and an error still stops it with nothing published.
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import os
import sys
import traceback
from typing import Callable, Sequence

PARALLEL_FROM = 500  # pages: forking took 6 to 30 ms here; 500 pages take about 0.6 s of CPU to write


class WorkerError(RuntimeError):
    """A forked copy failed: what it raised, or how it ended."""


def cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def share(items: Sequence, work: Callable[[Sequence], None]) -> int:
    """work(part) for parts that together hold every item, each part in its own process; return
    how many processes there were. Items are dealt in turn, so each part has its share of the
    large and the small."""
    count = cores() if len(items) >= PARALLEL_FROM and sys.platform.startswith("linux") else 1
    if count < 2:
        work(items)
        return 1
    context = multiprocessing.get_context("fork")
    copies = []
    # A copy shares this process's memory until it writes to it; the collector, walking every object,
    # would write to them all. Frozen, what exists now is left out of every collection.
    gc.freeze()
    try:
        for index in range(1, count):
            receiving, sending = context.Pipe(duplex=False)
            copy = context.Process(target=_copy, args=(sending, work, items[index::count]))
            copy.start()
            sending.close()
            copies.append((copy, receiving))
        try:
            work(items[0::count])
        except BaseException:
            for copy, _ in copies:
                copy.terminate()
                copy.join()
            raise
        failures = [failure for failure in (_finish(copy, receiving) for copy, receiving in copies) if failure]
    finally:
        gc.unfreeze()
    if failures:
        raise WorkerError("\n".join(failures))
    return count


class _Kept(logging.Handler):
    """Warnings and errors logged in a copy, kept as plain records that can be sent back."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(logging.makeLogRecord({
            "name": record.name, "levelno": record.levelno, "levelname": record.levelname,
            "msg": record.getMessage(), "args": None, "pathname": record.pathname, "lineno": record.lineno,
            "funcName": record.funcName, "created": record.created,
            "exc_text": "".join(traceback.format_exception(*record.exc_info)) if record.exc_info else None,
        }))


def _copy(sending, work: Callable[[Sequence], None], part: Sequence) -> None:
    kept = _Kept()
    logging.getLogger().addHandler(kept)
    try:
        work(part)
        error = None
    except BaseException:  # noqa: BLE001  (sent to the parent, which raises)
        error = traceback.format_exc()
    finally:
        logging.getLogger().removeHandler(kept)
    sending.send((error, kept.records))
    sending.close()


def _finish(copy, receiving) -> str | None:
    """Wait for a copy, log its warnings here, and say how it failed, if it did."""
    try:
        error, records = receiving.recv()
    except EOFError:  # it ended without reporting: killed, or out of memory
        copy.join()
        return f"A process writing pages stopped unexpectedly (exit code {copy.exitcode})."
    copy.join()
    for record in records:
        logging.getLogger(record.name).handle(record)
    return f"A process writing pages failed:\n{error}" if error else None
