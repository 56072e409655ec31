"""Charts drawn by a helper process started with the build, so that matplotlib's import and
the drawing take little of the build's wall time.

Importing matplotlib (~0.5 s of CPU) and drawing the five charts (~0.8 s) came after everything
else in a build, on one core. :func:`plot_workers` starts a helper process when the build
begins; it imports matplotlib at once, on the core the build's start leaves idle (the driver is
importing spaCy and loading the model then), and waits. When the card is written,
:meth:`PlotWorkers.write_plots` sends it the statistics; it forks once per extra core (two
shares at most, matplotlib already loaded in both) and the shares are drawn at the same time.
The charts are drawn by the same code (:func:`dsbuild.report.plots.write_chart`) and are the
same bytes as when drawn in the build's process; a chart the helper could not draw (it failed
to start, died or raised) is drawn in the build's process, so an error is raised as it would be
without the helper.

The helper reads requests on stdin and answers on stdout (pickle: it is this process's own
child); what crosses is :class:`~dsbuild.report.dataset_stats.DatasetStats` (counts, lengths,
label, entity-type and drop-reason names, never a personal value). It ignores SIGINT (the build
handles it), serves the builds of its process and is stopped when one fails or the process
exits; it also ends at EOF, or with the process (Linux).
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import pickle
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from dsbuild.report.dataset_stats import DatasetStats
from dsbuild.report.plots import CHARTS, chart_file, write_plots

# Rough relative cost of drawing each chart (the histograms have one panel per split), to share
# them out evenly: a chart goes to the helper with the least work so far, the costliest first.
_COST = {"messages_per_record": 3, "assistant_tokens": 3}
MAX_WORKERS = 2
NICE = 10  # the helper's priority below the build's (see serve)

_BOOT = ("import sys, json; sys.path[:] = json.loads(sys.argv[1]); "
         "from dsbuild.report.plot_workers import serve; serve()")


def share(keys: list[str], n: int) -> list[list[str]]:
    """``keys`` in ``n`` lists of about equal cost, each in catalogue order."""
    loads = [0] * n
    shares: list[list[str]] = [[] for _ in range(n)]
    for key in sorted(keys, key=lambda k: -_COST.get(k, 1)):  # stable: ties in catalogue order
        i = loads.index(min(loads))
        shares[i].append(key)
        loads[i] += _COST.get(key, 1)
    return [sorted(s, key=keys.index) for s in shares]


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class PlotWorkers:
    """A helper process that draws the charts (forking once per extra share); see the module's note."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.pid = os.getpid()  # a forked process inherits this object, not the helper
        self.lock = threading.Lock()  # one request at a time (builds in threads)
        self.proc: subprocess.Popen[bytes] | None = None
        try:
            self.proc = subprocess.Popen([sys.executable, "-c", _BOOT, json.dumps(sys.path)],
                                         stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                         stderr=subprocess.DEVNULL)
        except OSError:  # no helper: the charts are drawn here
            pass

    def write_plots(self, stats: DatasetStats, directory: Path) -> dict[str, Path]:
        """Every chart of :data:`CHARTS` into ``directory``, as
        :func:`dsbuild.report.plots.write_plots` writes them; returns key → file."""
        directory.mkdir(parents=True, exist_ok=True)
        keys = list(CHARTS)
        left: list[str] = keys
        with self.lock:
            proc = self.proc if self.alive() else None
            if proc is not None and _send(proc.stdin, (stats, str(directory), share(keys, self.n))):
                answer = _answer(proc.stdout)
                if isinstance(answer, list):  # the charts the helper could not draw
                    left = [k for k in keys if k in answer]
        if left:  # drawn here, raising here what failed there
            write_plots(stats, directory, keys=left)
        return {key: directory / chart_file(key) for key in keys}

    def alive(self) -> bool:
        return self.proc is not None and self.pid == os.getpid() and self.proc.poll() is None

    def close(self) -> None:
        """Stop the helper: idle between requests, or still importing when the build failed
        early, it has nothing to finish or flush (a chart it was drawing when the build was
        interrupted is in the temporary output, removed with it)."""
        proc, self.proc = self.proc, None
        if proc is None or self.pid != os.getpid():
            return
        proc.kill()
        proc.wait()
        for pipe in (proc.stdin, proc.stdout):
            if pipe is not None:
                with contextlib.suppress(OSError):
                    pipe.close()


def _send(pipe: IO[bytes] | None, request: Any) -> bool:
    try:
        assert pipe is not None
        pickle.dump(request, pipe, protocol=pickle.HIGHEST_PROTOCOL)
        pipe.flush()
    except (OSError, pickle.PicklingError):  # the helper is gone
        return False
    return True


def _answer(pipe: IO[bytes] | None) -> Any:
    try:
        assert pipe is not None
        return pickle.load(pipe)
    except Exception:  # noqa: BLE001 - the helper died or answered nonsense: draw here
        return None


_shared: PlotWorkers | None = None  # one helper per process, for every build it runs


@contextlib.contextmanager
def plot_workers(enabled: bool = True) -> Iterator[PlotWorkers | None]:
    """The helper for the charts of the build inside, or None (no charts, or a single core,
    where a helper would only take CPU time from the build). A process that runs many builds
    (a notebook, a test suite) keeps one helper, so matplotlib loads once as it did in-process;
    a build that fails stops it (it may be mid-request), and the process's exit too."""
    global _shared
    n = min(MAX_WORKERS, _cores())
    if not enabled or n < 2:
        yield None
        return
    if _shared is None or not _shared.alive():
        _shared = PlotWorkers(n)
    try:
        yield _shared
    except BaseException:
        _close_shared()
        raise


def _close_shared() -> None:
    global _shared
    if _shared is not None:
        _shared.close()
        _shared = None


atexit.register(_close_shared)


def serve() -> None:
    """The helper's main loop: import matplotlib now, then draw what each request asks, one
    share per process (forked from this one, matplotlib already loaded); answers the charts
    that failed."""
    from dsbuild.interrupt import worker_signals
    from dsbuild.report.plots import preload

    worker_signals()
    stdin, stdout = sys.stdin.buffer, os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # whatever else prints goes to stderr, not into the answers
    # below the build's processes: matplotlib's import waits for the CPU that the model load,
    # the language detector and the workers leave (the charts are drawn at the end, when the
    # build only waits for them)
    with contextlib.suppress(OSError, AttributeError):
        os.nice(NICE)
    preload()
    while True:
        try:
            stats, directory, shares = pickle.load(stdin)
        except EOFError:  # the build is over; nothing here to flush or finalise
            stdout.close()
            os._exit(0)
        pickle.dump(_draw_shares(stats, Path(directory), shares), stdout)
        stdout.flush()


def _draw_shares(stats: DatasetStats, directory: Path, shares: list[list[str]]) -> list[str]:
    from dsbuild.interrupt import worker_signals

    forked: list[tuple[int, list[str]]] = []
    if hasattr(os, "fork"):
        for keys in shares[1:]:
            pid = os.fork()
            if pid == 0:  # the child: draw this share, exit without cleanup of the parent's state
                code = 1
                try:
                    worker_signals()  # and die with the helper
                    write_plots(stats, directory, keys=keys)
                    code = 0
                finally:
                    os._exit(code)
            forked.append((pid, keys))
        mine = shares[0]
    else:
        mine = [k for keys in shares for k in keys]
    failed: list[str] = []
    try:
        write_plots(stats, directory, keys=mine)
    except Exception:  # noqa: BLE001 - the build draws these charts itself, and raises
        failed += mine
    for pid, keys in forked:
        if os.waitpid(pid, 0)[1] != 0:
            failed += keys
    return failed
