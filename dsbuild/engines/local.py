"""The local engine: ordered batches, processed in this process."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any

from dsbuild.process import ConversationProcessor, Outcome
from dsbuild.stats import Stats


def batched(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    it = iter(items)
    while batch := list(islice(it, size)):
        yield batch


def run_local(processor: ConversationProcessor, items: Iterable[Any],
              batch_size: int = 64) -> Iterator[tuple[list[Outcome], Stats]]:
    for batch in batched(items, batch_size):
        yield processor(batch)
