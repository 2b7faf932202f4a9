"""Bulk work without the cyclic garbage collector: reading or writing 100k records allocates millions of
objects that all live on, and each full collection walks every one of them again (10-20 % of an import)."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0
_was_enabled = False


@contextmanager
def collector_paused() -> Iterator[None]:
    """Automatic collection off for the block (nested or concurrent blocks: on again after the last one),
    then one young collection; reference counting frees everything else as usual meanwhile."""
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                gc.enable()
        gc.collect(0)
