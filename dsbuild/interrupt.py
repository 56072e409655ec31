"""SIGINT and SIGTERM end a run like an error: every ``with`` block unwinds, so the temporary
output directory and any partial private file are removed, then the CLI prints one line and
exits 130 (SIGINT) or 143 (SIGTERM). SIGKILL cannot be caught: what it leaves is a temporary
directory named with the dead run's pid, which the next run of the same OUT removes, and the
temporary ``--quarantine`` / ``--pii-review`` files, which the next run writing the same file
removes (:func:`dsbuild.fs.remove_stale_temps`).
"""

from __future__ import annotations

import contextlib
import ctypes
import signal
import sys
import threading
from collections.abc import Iterator
from types import FrameType
from typing import Any

_PR_SET_PDEATHSIG = 1


class Terminated(BaseException):
    """SIGTERM, raised where the main thread was (a BaseException, like KeyboardInterrupt)."""

    exit_code = 143


# The exceptions the signals raised inside terminate_raises, in order. A signal that arrives while
# Python runs a finaliser (a ``__del__`` during garbage collection: the regex module's sets have
# one) raises there, and Python prints "Exception ignored in ..." and goes on: the build ran to
# the end and exited 0. The build's loop asks :func:`raise_caught` between batches and before it
# finishes, so a swallowed signal still ends it.
_caught: list[type[BaseException]] = []


def _raise(signum: int, frame: FrameType | None) -> None:
    exc: type[BaseException] = Terminated if signum == signal.SIGTERM else KeyboardInterrupt
    _caught.append(exc)
    raise exc()


def raise_caught() -> None:
    """Raise again the exception of a signal caught inside :func:`terminate_raises` (a no-op
    if none came: its exception unwinds the build where it lands, unless a finaliser ate it)."""
    if _caught:
        raise _caught[-1]()


@contextlib.contextmanager
def terminate_raises() -> Iterator[None]:
    """While inside, SIGTERM raises :class:`Terminated` and SIGINT KeyboardInterrupt, both
    remembered for :func:`raise_caught`. A no-op outside the main thread, where signals cannot
    be handled."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    _caught.clear()
    previous = {s: signal.signal(s, _raise) for s in (signal.SIGTERM, signal.SIGINT)}
    hook = sys.unraisablehook

    def quiet(unraisable: Any) -> None:  # the swallowed signal is raised again: no traceback
        if not isinstance(unraisable.exc_value, (Terminated, KeyboardInterrupt)):
            hook(unraisable)

    sys.unraisablehook = quiet
    try:
        yield
    finally:
        sys.unraisablehook = hook
        for s, handler in previous.items():
            signal.signal(s, handler)
        _caught.clear()


def worker_signals(on_parent_death: int = signal.SIGKILL) -> None:
    """In a pool worker: leave SIGINT to the parent (which stops the pool), let SIGTERM end the
    worker at once without a traceback of its own, and (Linux) die with the parent: a parent
    killed with SIGKILL must not leave workers scrubbing the queued batches for minutes.
    ``on_parent_death``: the signal the worker then gets (a helper with files to remove asks
    for SIGTERM and handles it)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, on_parent_death)
        except (OSError, AttributeError):  # no prctl: workers end when the queue closes
            pass
