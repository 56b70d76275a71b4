"""Python's cyclic garbage collector, paused while a stage makes many objects and frees few.

The collector runs after every few hundred allocations, and each full pass walks every object alive.
Reading 200,000 payments, deriving the site from them and making its files allocate millions of
objects that all stay alive: the passes over a heap that keeps growing find almost nothing, and cost
a third of loading and a fifth of deriving and making the files at the benchmark's default size.
What such a stage leaves in cycles is collected once it ends.
"""

from __future__ import annotations

import contextlib
import gc


@contextlib.contextmanager
def paused():
    """No collection within; the collector as it was after (a pause inside a pause stays paused)."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def settle() -> None:
    """What is garbage collected, and everything still alive set aside (gc.freeze), so that later
    passes do not walk it again: for a process that keeps a large site between rebuilds."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()
