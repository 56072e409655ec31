"""A language detector in a process of its own, so that loading its models costs no wall time.

Lingua's Rust code holds the GIL while it loads its models (lingua-language-detector 2.1.1:
~1.6 s of CPU for the high-accuracy models of the six default languages, ~0.2 s for the wide
detector's), so a thread that loads them stops the process's other threads for as long: in a
build, the PII stage's import of Presidio and spaCy and the NER model's load waited for it.
:func:`start` starts a helper process (a new interpreter, like the chart helper of
:mod:`dsbuild.report.plot_workers`) that builds the detector and answers detections over a Unix
socket, while the build's process imports and loads the rest on the other core. Every process
of the build asks it (the driver, and the pool workers forked from the driver later, each on a
connection of its own): one batch of texts per request, answered in order with what the same
detector says in-process (the same models; a detection depends on the text alone).

A new interpreter, not a fork: Lingua preloads models on a pool of Rust threads, which a fork
does not copy, so a forked child of a process that had preloaded would wait for them forever.

Where it cannot start (no Unix sockets, or not called from the main thread: on Linux the helper
dies with the thread that started it) :func:`start` returns None, and where it stops answering
(killed, or it failed to build the detector) :meth:`Service.detect_many` returns None: the
caller then builds a detector in its own process, with the same results (and the error, if
building one fails, raised there).

What crosses the socket is each conversation's user text (JSON, no pickle) and the language
codes found; nothing is written anywhere. The socket is in a private temporary directory
(mode 0700, named for the build's pid), removed when the helper ends; one that a build killed
together with its helper (SIGKILL to both) left is removed by the next build that starts one,
if it holds nothing but the socket. The helper ignores SIGINT (the build handles it)
and ends with the process that started it (Linux: the parent-death signal, SIGTERM; elsewhere it
checks every few seconds), or when that process exits normally.
"""

from __future__ import annotations

import atexit
import contextlib
import importlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection
from typing import Any, Protocol

import orjson

from dsbuild.fs import pid_alive

_SOCKET = "detect.sock"
_PREFIX = "dsbuild-lang-"
_DIRECTORY = re.compile(re.escape(_PREFIX) + r"(\d+)-[\w]+")
_PARENT_CHECK_SECONDS = 5.0
_BOOT = ("import sys, json; sys.path[:] = json.loads(sys.argv[1]); "
         "from dsbuild.stages.language_service import main; main(sys.argv[2:])")
# Lingua preloads its models on a pool of Rust threads, one per core by default: on two cores
# both, while the build's process imports Presidio and spaCy and loads the NER model on one of
# them. One thread loads them in about twice the wall time (0.4 -> 0.75 s), which the build's
# start (1.2 s and more before its first detection) covers, and leaves the build its core: the
# demo's wall time 2.44 -> 2.18 s (mean of 6, alternated, 2 cores). Detection uses no pool.
HELPER_ENV = {"RAYON_NUM_THREADS": "1"}


class Detects(Protocol):
    def detect(self, text: str) -> tuple[str, str | None]: ...


Answer = list[tuple[str, str | None]]


class Service:
    """The helper of :func:`start`, as seen from the process that started it and from the
    processes forked from that one."""

    def __init__(self, proc: subprocess.Popen[bytes], directory: str) -> None:
        self.proc: subprocess.Popen[bytes] | None = proc
        self.owner = os.getpid()
        self.directory = directory
        self.path = os.path.join(directory, _SOCKET)
        self._conns: dict[int, Connection | None] = {}  # per process: a fork has its own
        atexit.register(self.stop)

    def detect_many(self, texts: Sequence[str]) -> Answer | None:
        """What the helper's detector says of each text, in order; None if it does not answer
        (the caller detects in-process from then on)."""
        conn = self._connection()
        if conn is None:
            return None
        try:
            conn.send_bytes(orjson.dumps(list(texts)))
            reply = orjson.loads(conn.recv_bytes())
        except (OSError, EOFError, orjson.JSONDecodeError):
            reply = None
        if not isinstance(reply, list) or len(reply) != len(texts):  # gone, or it failed to load
            self._conns[os.getpid()] = None
            with contextlib.suppress(OSError):
                conn.close()
            return None
        return [(str(lang), None if other is None else str(other)) for lang, other in reply]

    def _connection(self) -> Connection | None:
        pid = os.getpid()
        if pid not in self._conns:
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                sock.connect(self.path)
            except OSError:
                sock.close()
                self._conns[pid] = None
            else:
                self._conns[pid] = Connection(sock.detach())
        return self._conns[pid]

    def stop(self) -> None:
        """Stop the helper (only from the process that started it; a fork's copy does nothing)."""
        proc, self.proc = self.proc, None
        if proc is None or os.getpid() != self.owner:
            return
        for conn in self._conns.values():
            if conn is not None:
                with contextlib.suppress(OSError):
                    conn.close()
        self._conns.clear()
        proc.kill()
        proc.wait()
        shutil.rmtree(self.directory, ignore_errors=True)


def start(factory: str, languages: Sequence[str]) -> Service | None:
    """Start the helper: it builds ``factory(languages)`` (``"module:name"``, a detector class;
    this loads the models) and answers detections. None where it cannot run (see the module's
    note): the caller builds its own detector."""
    if not hasattr(socket, "AF_UNIX") or threading.current_thread() is not threading.main_thread():
        return None
    remove_stale_directories()
    directory = tempfile.mkdtemp(prefix=f"{_PREFIX}{os.getpid()}-")
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        server.bind(os.path.join(directory, _SOCKET))
        server.listen(64)
        proc = subprocess.Popen(
            [sys.executable, "-c", _BOOT, json.dumps(sys.path), str(server.fileno()), str(os.getpid()),
             factory, *languages],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            pass_fds=(server.fileno(),), env={**os.environ, **HELPER_ENV})
    except OSError:
        shutil.rmtree(directory, ignore_errors=True)
        return None
    finally:
        server.close()  # the helper has its own copy
    return Service(proc, directory)


def remove_stale_directories(parent: str | None = None) -> list[str]:
    """Remove the socket directories of builds that are gone (see the module's note): only
    directories of this user, named for a pid that no longer runs, holding at most the socket."""
    parent = parent or tempfile.gettempdir()
    removed: list[str] = []
    try:
        entries = list(os.scandir(parent))
    except OSError:
        return removed
    for entry in entries:
        m = _DIRECTORY.fullmatch(entry.name)
        try:
            if (not m or not entry.is_dir(follow_symlinks=False) or pid_alive(int(m.group(1)))
                    or entry.stat(follow_symlinks=False).st_uid != os.getuid()
                    or not set(os.listdir(entry.path)) <= {_SOCKET}):
                continue
            with contextlib.suppress(FileNotFoundError):
                os.unlink(os.path.join(entry.path, _SOCKET))
            os.rmdir(entry.path)
        except OSError:
            continue
        removed.append(entry.path)
    return removed


def main(argv: list[str]) -> None:
    """The helper: ``FD PARENT_PID MODULE:NAME LANG...`` (see :func:`start`)."""
    from dsbuild.interrupt import worker_signals

    fd, parent, factory, *languages = argv
    server = socket.socket(fileno=int(fd))
    directory = os.path.dirname(server.getsockname())

    def end(signum: int = 0, frame: object = None) -> None:  # the socket's directory goes too
        shutil.rmtree(directory, ignore_errors=True)
        os._exit(0)

    worker_signals(signal.SIGTERM)  # SIGINT is the build's; SIGTERM when the build dies (Linux)
    signal.signal(signal.SIGTERM, end)
    if os.getppid() != int(parent):  # it died before the parent-death signal was set
        end()
    module, _, name = factory.partition(":")
    detector: Detects | None = None
    try:
        detector = getattr(importlib.import_module(module), name)(languages)
    except Exception:  # noqa: BLE001 - every client builds its own and raises the error there
        detector = None
    serve(server, detector, lambda: os.getppid() == int(parent))
    end()


def serve(server: socket.socket, detector: Detects | None, parent_alive: Callable[[], bool]) -> None:
    """Answer every connection, one thread each, while ``parent_alive()``."""
    lock = threading.Lock()  # the detector remembers texts: one detection at a time
    server.settimeout(_PARENT_CHECK_SECONDS)
    while parent_alive():
        try:
            sock, _ = server.accept()
        except TimeoutError:
            continue
        sock.settimeout(None)
        threading.Thread(target=_answer, args=(Connection(sock.detach()), detector, lock),
                         daemon=True).start()


def _answer(conn: Connection, detector: Detects | None, lock: threading.Lock) -> None:
    while True:
        try:
            texts: Any = orjson.loads(conn.recv_bytes())
        except (OSError, EOFError, orjson.JSONDecodeError):
            return
        if detector is None or not isinstance(texts, list):
            reply: Any = {"failed": True}
        else:
            with lock:
                reply = [detector.detect(str(t)) for t in texts]
        try:
            conn.send_bytes(orjson.dumps(reply))
        except OSError:
            return
