"""Freed heap memory handed back to the operating system between batches (glibc only).

A build keeps few objects for long (dedup digests, bounded caches), but each batch allocates
and frees many: spaCy's arrays, docs, parsed conversations. glibc keeps what was freed in its
heaps, where a few long-lived objects pin it, so a process's resident memory kept growing with
the export although what it held did not (~3 KB a conversation on bench_scale's export, about
two thirds of it free heap). ``malloc_trim`` every few batches returns that memory; elsewhere
(macOS, musl) this does nothing.
"""

from __future__ import annotations

import ctypes
from collections.abc import Callable

# Batches between trims: a trim walks the heap (a few ms), a batch takes a second or more.
TRIM_EVERY = 16


def _malloc_trim() -> Callable[[int], int] | None:
    try:
        fn = ctypes.CDLL(None).malloc_trim
    except (AttributeError, OSError):  # not glibc
        return None
    fn.argtypes, fn.restype = [ctypes.c_size_t], ctypes.c_int
    return fn


_TRIM = _malloc_trim()


class Trimmer:
    """``tick()`` after each batch; every :data:`TRIM_EVERY` ticks, free heap goes back."""

    def __init__(self, every: int = TRIM_EVERY):
        self.every, self.ticks = every, 0

    def tick(self) -> None:
        self.ticks += 1
        if _TRIM is not None and self.ticks % self.every == 0:
            _TRIM(0)
