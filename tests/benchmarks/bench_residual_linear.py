"""The fail-closed residual scan stays linear in the text length (a benchmark, not a test).

    .venv/bin/python tests/benchmarks/bench_residual_linear.py

For each adversarial chunk it times the scan over 1,000 and 16,000 repetitions (best of seven)
and prints the ratio: linear is about 16x, quadratic about 256x. Moved out of the test suite
because a timing assertion fails on a loaded machine.
"""

from __future__ import annotations

import gc
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from dsbuild.records import Lead  # noqa: E402
from dsbuild.stages.pii.known import KnownValues  # noqa: E402
from dsbuild.stages.pii.residual import residual_hit  # noqa: E402

CHUNKS = ["at at at ", "1 2 3 4 ", "de 12 ", "a.b.c.d ", "x@y ", "4111 1111 ", "kd kd 57 "]


def best_time(text: str, known: KnownValues) -> float:
    times = []
    gc.disable()
    try:
        for _ in range(7):
            t0 = time.perf_counter()
            residual_hit(text, known, set())
            times.append(time.perf_counter() - t0)
    finally:
        gc.enable()
    return min(times)


def main() -> None:
    known = KnownValues(Lead(name="Kaitlyn Conree", phone="+44 20 7946 0123", notes="KD-572912"))
    worst = 0.0
    for chunk in CHUNKS:
        small = best_time(chunk * 1_000, known)
        big = best_time(chunk * 16_000, known)
        ratio = big / max(small, 1e-6)
        worst = max(worst, ratio)
        print(f"{chunk!r:14} 1k reps {small * 1e3:8.2f} ms   16k reps {big * 1e3:9.2f} ms   x{ratio:6.1f}")
    print(f"worst ratio x{worst:.1f} (linear ~16, quadratic ~256)")


if __name__ == "__main__":
    main()
