"""Process settings of a serving process (web worker, and the benchmark that measures it)."""

from __future__ import annotations

import gc

# The first generation is collected after this many new container objects (CPython's
# default: 700). A page of sessions with their counts makes tens of thousands; with
# the default every tenth request paid a full collection (60-250 ms on 2 cores).
GC_THRESHOLD = (20_000, 20, 10)


def tune_gc() -> None:
    """After the app is loaded: move everything alive now (modules, URLconf, settings)
    out of the collector's view and collect less often (as Instagram's Django does)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLD)
