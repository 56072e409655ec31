"""Counters that every stage adds to and the manifest and summary read.

Keys are (section, name): ``("dropped", "negative_feedback")``, ``("message_types", "debug")``.
Counters from worker processes are merged with ``+=``, so totals are global, not per batch.
"""

from __future__ import annotations

from collections import Counter


class Stats:
    def __init__(self) -> None:
        self._c: Counter[tuple[str, str]] = Counter()

    def add(self, section: str, name: str, n: int = 1) -> None:
        if n:
            self._c[(section, name)] += n

    def get(self, section: str, name: str) -> int:
        return self._c.get((section, name), 0)

    def section(self, section: str) -> dict[str, int]:
        return dict(sorted((k[1], v) for k, v in self._c.items() if k[0] == section))

    def __iadd__(self, other: Stats) -> Stats:
        self._c.update(other._c)
        return self

    def as_dict(self) -> dict[str, dict[str, int]]:
        out: dict[str, dict[str, int]] = {}
        for (section, name), v in sorted(self._c.items()):
            out.setdefault(section, {})[name] = v
        return out
