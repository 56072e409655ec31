"""SIGINT and SIGTERM end a run like an error: every ``with`` block unwinds, so the temporary
output directory and any partial private file are removed, then the CLI prints one line and
exits 130 (SIGINT) or 143 (SIGTERM). SIGKILL cannot be caught: what it leaves is a temporary
directory named with the dead run's pid, which the next run of the same OUT removes
(:func:`dsbuild.safepaths.remove_stale_temps`).
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from types import FrameType


class Terminated(BaseException):
    """SIGTERM, raised where the main thread was (a BaseException, like KeyboardInterrupt)."""

    exit_code = 143


def _raise_terminated(signum: int, frame: FrameType | None) -> None:
    raise Terminated()


@contextlib.contextmanager
def terminate_raises() -> Iterator[None]:
    """While inside, SIGTERM raises :class:`Terminated` (SIGINT already raises
    KeyboardInterrupt). A no-op outside the main thread, where signals cannot be handled."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def worker_signals() -> None:
    """In a pool worker: leave SIGINT to the parent (which stops the pool) and let SIGTERM end
    the worker at once, without a traceback of its own."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
