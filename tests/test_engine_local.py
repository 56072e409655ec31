"""The local engine's auto mode: every core works on a few hundred conversations, in order."""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from typing import Any

import pytest

from dsbuild.counters import RunCounters
from dsbuild.engines.local import resolve_workers, run_local


class Pid:
    """A processor that records which process handled each item (and when it was warmed up)."""

    warmed_in: int | None = None

    def warm_up(self) -> None:  # like the real one: builds its engine once
        if self.warmed_in is None:
            self.warmed_in = os.getpid()

    def __call__(self, batch: Sequence[Any]) -> tuple[list[Any], RunCounters]:
        time.sleep(0.2)  # like real work: long enough for the other worker to take a batch
        return [(item, os.getpid(), self.warmed_in) for item in batch], RunCounters()


@pytest.mark.skipif(resolve_workers(0) < 2, reason="needs two cores")
def test_auto_splits_three_hundred_conversations_over_the_cores_keeping_order() -> None:
    out = [row for rows, _ in run_local(Pid(), range(300), workers=0) for row in rows]  # type: ignore[arg-type]
    assert [item for item, _, _ in out] == list(range(300))
    assert len({pid for _, pid, _ in out}) >= 2
    assert {warmed for _, _, warmed in out} == {os.getpid()}  # loaded once, here, then inherited


def test_auto_keeps_a_tiny_export_in_this_process() -> None:
    out = [row for rows, _ in run_local(Pid(), range(100), workers=0) for row in rows]  # type: ignore[arg-type]
    assert {pid for _, pid, _ in out} == {os.getpid()}
