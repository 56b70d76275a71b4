"""Share a list of independent work between this process and forked copies of it, one per core.

Writing the pages is the longest stage of a large build, every page is independent of the others,
and a forked copy of the process already holds everything the pages need. Fork is dependable on
Linux only, and costs more than it saves for a small site, so elsewhere, and below PARALLEL_FROM
items, the work is done here. A copy's warnings and errors are logged here, so a warning still
fails the build and an error still stops it with nothing published. `forked`, which runs one
function in a forked copy and brings back what it returns, serves `cli.build` as well.
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import os
import sys
import traceback
from typing import Any, Callable, Sequence

from . import timing

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
    return len(shared(items, work))


def shared(items: Sequence, work: Callable[[Sequence], Any]) -> list:
    """As share, and what work returned for each part, this process's part first: a copy's answer
    comes back through its pipe (the live preview's pages send back what each read)."""
    count = cores() if len(items) >= PARALLEL_FROM and sys.platform.startswith("linux") else 1
    if count < 2:
        return [work(items)]
    # A copy shares this process's memory until it writes to it; the collector, walking every object,
    # would write to them all. Frozen, what exists now is left out of every collection.
    gc.freeze()
    try:
        copies = [forked(_copy, work, items[index::count]) for index in range(1, count)]
        try:
            answers = [work(items[0::count])]
        except BaseException:
            for copy in copies:
                copy.stop()
            raise
        finished = [_finish(copy) for copy in copies]
    finally:
        gc.unfreeze()
    failures = [failure for failure, _ in finished if failure]
    if failures:
        raise WorkerError("\n".join(failures))
    return answers + [answer for _, answer in finished]


class Stopped(RuntimeError):
    """A forked process ended without sending what it made: killed, or out of memory."""

    def __init__(self, exitcode: int | None):
        super().__init__(f"stopped unexpectedly (exit code {exitcode})")
        self.exitcode = exitcode


class Forked:
    """A function running in a forked copy of this process (see `forked`)."""

    def __init__(self, function: Callable, args: tuple):
        context = multiprocessing.get_context("fork")
        self._receiving, sending = context.Pipe(duplex=False)
        self._process = context.Process(target=_send, args=(sending, function, args))
        self._process.start()
        sending.close()

    def result(self):
        """Wait for the process and return what the function returned; Stopped if it never said."""
        try:
            value, measured = self._receiving.recv()
        except EOFError:
            self._process.join()
            raise Stopped(self._process.exitcode)
        self._process.join()
        timing.merge(measured)  # what the copy measured counts as this build's (timing.py)
        return value

    def stop(self) -> None:
        self._process.terminate()
        self._process.join()


def forked(function: Callable, *args) -> Forked:
    """function(*args) started in a forked copy of this process, which inherits everything already
    made; what it returns comes back through a pipe. Linux only: fork is dependable nowhere else."""
    return Forked(function, args)


def _send(sending, function: Callable, args: tuple) -> None:
    timing.take()  # the copy starts with what this process had measured: that is counted here already
    value = function(*args)
    sending.send((value, timing.take()))
    sending.close()


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


def _copy(work: Callable[[Sequence], Any], part: Sequence) -> tuple[str | None, list[logging.LogRecord], Any]:
    """work(part) in a copy: what it raised, as text, what it logged, and what it returned."""
    kept = _Kept()
    logging.getLogger().addHandler(kept)
    answer = None
    try:
        answer = work(part)
        error = None
    except BaseException:  # noqa: BLE001  (sent to the parent, which raises)
        error = traceback.format_exc()
    finally:
        logging.getLogger().removeHandler(kept)
    return error, kept.records, answer


def _finish(copy: Forked) -> tuple[str | None, Any]:
    """Wait for a copy, log its warnings here; how it failed, if it did, and what its work returned."""
    try:
        error, records, answer = copy.result()
    except Stopped as exc:
        return f"A process writing pages {exc}.", None
    for record in records:
        logging.getLogger(record.name).handle(record)
    return (f"A process writing pages failed:\n{error}" if error else None), answer
