"""Python's cycle collector, paused for a burst of allocation."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cycle collector while the block runs, and restore it after (if it was on).

    Its passes grow with every object alive — a layout's expression trees, a sheet's cells — and
    found nothing to free mid-way: they cost 10–20 % of a Målstyring recalculation and half of a
    100,000-row UDF result's lists. Memory freed by reference counting is freed as before; a cycle
    made meanwhile waits for the first collection after."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()
