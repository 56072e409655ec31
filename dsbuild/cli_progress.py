"""Progress bars on stderr (tqdm), for the CLI only: shown on a terminal, never with --quiet.

The library reports progress through small callbacks (:data:`dsbuild.pipeline.Progress`,
:class:`dsbuild.convocore.fetch.DownloadProgress`); only this module draws anything.
"""

from __future__ import annotations

import shutil
import sys

from tqdm import tqdm

from dsbuild.convocore.client import ConvocoreApiError


def on_terminal(quiet: bool) -> bool:
    return not quiet and sys.stderr.isatty()


def _size() -> tuple[int, int]:
    """The terminal's (columns, rows); 80x24 where it reports none (tqdm draws nothing in a pty
    that says 0 rows)."""
    size = shutil.get_terminal_size((80, 24))
    return size.columns or 80, size.lines or 24


class BuildBar:
    """Conversations processed, updated once per batch."""

    def __init__(self) -> None:
        self.bar = tqdm(desc="processed", unit=" conversations", file=sys.stderr, leave=False,
                        ncols=_size()[0], nrows=_size()[1])

    def __call__(self, n: int) -> None:
        self.bar.update(n - self.bar.n)

    def close(self) -> None:
        self.bar.close()


def build_progress(quiet: bool) -> BuildBar | None:
    return BuildBar() if on_terminal(quiet) else None


class DownloadBar:
    """Bytes and pages of a fetch; a retry says why it waits."""

    def __init__(self, agent: str) -> None:
        self.agent = agent
        self.n_page = 0
        self.bar = tqdm(desc=f"downloading {agent}", unit="B", unit_scale=True, file=sys.stderr,
                        ncols=_size()[0], nrows=_size()[1])
        self.done_bytes: float = 0

    def page(self, n: int) -> None:
        self.n_page = n
        self.done_bytes = self.bar.n
        self.bar.set_postfix_str(f"page {n:,}")

    def add_bytes(self, n: int) -> None:
        self.bar.update(n)

    def retry(self, problem: ConvocoreApiError, wait: float) -> None:
        self.bar.n = self.done_bytes  # the page starts over
        what = f"HTTP {problem.status}" if problem.status else "network error"
        self.bar.set_postfix_str(f"page {self.n_page:,}: {what}, retrying in {wait:.0f}s")

    def done(self) -> None:
        self.bar.close()


def download_progress(agent: str, quiet: bool) -> DownloadBar | None:
    return DownloadBar(agent) if on_terminal(quiet) else None


