"""Run counters: what every step of a build counts, and how long each step took.

Not to be confused with :mod:`dsbuild.report.dataset_stats`, the statistics of a built dataset.

Keys are (section, name): ``("dropped", "negative_feedback")``, ``("message_types", "debug")``,
each also tagged with the step that counted it. Totals (:meth:`RunCounters.get`,
:meth:`~RunCounters.section`, :meth:`~RunCounters.as_dict`) sum over steps; :meth:`~RunCounters.steps`
gives each step's own counters and wall time. Counters from worker processes are merged with
``+=``, so totals are global, not per batch.
"""

from __future__ import annotations

from collections import Counter
from typing import Any, Protocol


class Tally(Protocol):
    """What a stage needs to count something."""

    def add(self, section: str, name: str, n: int = 1) -> None: ...


class RunCounters:
    def __init__(self) -> None:
        self._c: Counter[tuple[str, str, str]] = Counter()  # (step, section, name)
        self._seconds: dict[str, float] = {}

    def add(self, section: str, name: str, n: int = 1, step: str = "") -> None:
        if n:
            self._c[(step, section, name)] += n

    def step(self, name: str) -> StepCounters:
        self._seconds.setdefault(name, 0.0)
        return StepCounters(self, name)

    def add_seconds(self, step: str, seconds: float) -> None:
        self._seconds[step] = self._seconds.get(step, 0.0) + seconds

    def get(self, section: str, name: str) -> int:
        return sum(v for (_, s, n), v in self._c.items() if s == section and n == name)

    def section(self, section: str) -> dict[str, int]:
        out: Counter[str] = Counter()
        for (_, s, n), v in self._c.items():
            if s == section:
                out[n] += v
        return dict(sorted(out.items()))

    def __iadd__(self, other: RunCounters) -> RunCounters:
        self._c.update(other._c)
        for step, seconds in other._seconds.items():
            self.add_seconds(step, seconds)
        return self

    def as_dict(self) -> dict[str, dict[str, int]]:
        out: dict[str, dict[str, int]] = {}
        for section, name in sorted({(s, n) for _, s, n in self._c}):
            out.setdefault(section, {})[name] = self.get(section, name)
        return out

    def steps(self) -> dict[str, dict[str, Any]]:
        """Each step's wall time (summed over workers) and its own counters, in run order."""
        out: dict[str, dict[str, Any]] = {}
        for name in dict.fromkeys([*self._seconds, *(k[0] for k in self._c if k[0])]):
            counts: dict[str, dict[str, int]] = {}
            for (step, section, key), v in sorted(self._c.items()):
                if step == name:
                    counts.setdefault(section, {})[key] = v
            # microseconds: a step that only flushes a file takes well under a millisecond
            out[name] = {"seconds": round(self._seconds.get(name, 0.0), 6), "counts": counts}
        return out


class StepCounters:
    """The counters of one step: what it adds is tagged with its name."""

    def __init__(self, run: RunCounters, step: str) -> None:
        self.run = run
        self.name = step

    def add(self, section: str, name: str, n: int = 1) -> None:
        self.run.add(section, name, n, step=self.name)

    def add_seconds(self, seconds: float) -> None:
        self.run.add_seconds(self.name, seconds)
