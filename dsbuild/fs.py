"""Files and directories, written so that nothing half-done or world-readable is left behind.

The bottom layer: it imports nothing of dsbuild. :func:`write_private_file` (mode 0600, atomic
rename; :func:`private_writer` streams one), :func:`private_mkdir` (mode 0700) and
:class:`AtomicDir` (a directory built beside its target and renamed into place at the end; on
failure nothing is left, not even the parent directories it created).

Every temporary name carries the pid of the run that made it (``.NAME.tmp-<pid>-<random>``), so
:func:`remove_stale_temps` can remove what a run killed with SIGKILL left, and leave a live
run's alone. A run that also streams private files elsewhere (``--quarantine``) claims them
beside its temporary directory (:meth:`AtomicDir.claim`): the next run of the same target
removes that run's temporaries of those files too, and nothing else.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import BinaryIO


def temp_prefix(name: str, pid: int | None = None) -> str:
    """The prefix of the temporary siblings of ``name`` (a directory or a file) that the run
    ``pid`` (default: this one) makes."""
    return f".{name}.tmp-{os.getpid() if pid is None else pid}-"


CLAIMS = ".claims"  # suffix of the list, beside a temporary directory, of its run's private files


_TEMP = re.compile(r"\.(?P<name>.+)\.(?:tmp|old)-(?P<pid>\d+)(?:-.*)?")


def pid_alive(pid: int) -> bool:
    """Whether the process ``pid`` runs (another user's counts as running)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: alive
        return True
    except OverflowError:
        return False
    return True


def remove_stale_temps(target: Path) -> list[Path]:
    """Remove temporaries of ``target`` left by runs that are gone; return what was removed."""
    parent = target.parent
    if not parent.is_dir():
        return []
    removed = []
    for entry in parent.iterdir():
        m = _TEMP.fullmatch(entry.name)
        if not m or m.group("name") != target.name or pid_alive(int(m.group("pid"))):
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            if entry.name.endswith(CLAIMS) and entry.is_file() and not entry.is_symlink():
                removed += _remove_claimed(entry, int(m.group("pid")))
            entry.unlink(missing_ok=True)
        removed.append(entry)
    return removed


def _remove_claimed(claims: Path, pid: int) -> list[Path]:
    """The temporaries of the files that the dead run ``pid`` claimed: only regular files whose
    name carries that pid, beside a file it named."""
    try:
        paths = json.loads(claims.read_bytes())
    except (OSError, ValueError):
        return []
    removed = []
    for claimed in (p for p in paths if isinstance(p, str)) if isinstance(paths, list) else ():
        target = Path(claimed)
        prefix = temp_prefix(target.name, pid)
        try:
            entries = list(target.parent.iterdir())
        except OSError:
            continue
        for entry in entries:
            if entry.name.startswith(prefix) and entry.is_file() and not entry.is_symlink():
                entry.unlink(missing_ok=True)
                removed.append(entry)
    return removed


def private_mkdir(path: Path) -> None:
    """Create ``path`` (and missing parents) readable by the owner only."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)


def write_private_file(path: Path, data: bytes) -> None:
    """Atomically write a file only the owner can read (quarantine, PII review, raw cache)."""
    with private_writer(path) as f:
        f.write(data)


@contextlib.contextmanager
def private_writer(path: Path) -> Iterator[BinaryIO]:
    """Write a file only the owner can read as it comes; it appears, renamed, only when complete."""
    path.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temps(path)  # a partial copy a killed run left: it may hold personal data
    fd, tmp = tempfile.mkstemp(prefix=temp_prefix(path.name), dir=path.parent)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as f:
            yield f
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class AtomicDir:
    """``with AtomicDir(target) as tmp:`` fill ``tmp``; on success it replaces ``target``."""

    def __init__(self, target: Path) -> None:
        self.target = target.resolve()  # `--out .` has no name to build a sibling from
        self.tmp: Path | None = None
        self._created: list[Path] = []
        self._claims: list[str] = []

    def __enter__(self) -> Path:
        parent = self.target.parent
        missing = []
        p = parent
        while not p.exists():
            missing.append(p)
            p = p.parent
        parent.mkdir(parents=True, exist_ok=True)
        self._created = missing  # deepest first
        self.tmp = Path(tempfile.mkdtemp(prefix=temp_prefix(self.target.name), dir=parent))
        os.chmod(self.tmp, 0o755)
        return self.tmp

    def claim(self, path: Path) -> None:
        """Record, beside the temporary directory and before the file is opened, that this run
        streams a temporary sibling of ``path``: if the run is killed, the next run of the same
        target removes it (a private file holds raw text), whether or not it writes ``path``."""
        assert self.tmp is not None
        self._claims.append(str(path.absolute()))
        fd = os.open(self._claims_file(), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(self._claims, f)

    def _claims_file(self) -> Path:
        assert self.tmp is not None
        return self.tmp.with_name(self.tmp.name + CLAIMS)

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        try:
            self._finish(exc_type)
        finally:
            if self._claims:  # the claimed files were completed or removed by their writers
                self._claims_file().unlink(missing_ok=True)

    def _finish(self, exc_type: type[BaseException] | None) -> None:
        assert self.tmp is not None
        if exc_type is not None:
            shutil.rmtree(self.tmp, ignore_errors=True)
            for d in self._created:
                try:
                    d.rmdir()
                except OSError:
                    break
            return
        old = None
        if self.target.exists():
            old = self.target.parent / f".{self.target.name}.old-{os.getpid()}-0"
            os.rename(self.target, old)
        os.rename(self.tmp, self.target)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
