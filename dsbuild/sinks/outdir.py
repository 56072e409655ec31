"""The output directory: never replace a user's files, build atomically beside the target.

An existing non-empty directory is only replaced with ``overwrite=True``; the atomic build itself
is :class:`dsbuild.fs.AtomicDir`.
"""

from __future__ import annotations

from pathlib import Path

from dsbuild.errors import UsageError
from dsbuild.fs import AtomicDir


def check_target(target: Path, overwrite: bool) -> None:
    if target.exists() and not target.is_dir():
        raise UsageError(f"{target}: exists and is not a directory; choose another --out")
    if target.is_dir() and any(target.iterdir()) and not overwrite:
        raise UsageError(f"{target}: output directory is not empty; pass --overwrite to replace it")


class AtomicOutputDir(AtomicDir):
    def __init__(self, target: Path, overwrite: bool = False) -> None:
        super().__init__(target)
        self.overwrite = overwrite

    def __enter__(self) -> Path:
        check_target(self.target, self.overwrite)
        return super().__enter__()
