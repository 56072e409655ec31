"""How long the statistics, charts and card take on a large output directory (prints numbers).

    .venv/bin/python tests/benchmarks/bench_report.py [--rows 100000]
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

import orjson

from dsbuild.report.dataset_stats import compute_stats
from dsbuild.report.plots import write_plots
from dsbuild.sinks.card import write_report


def _write(out: Path, rows: int) -> int:
    rng = random.Random(0)
    words = "the plan is billed monthly and you can cancel at any time from settings".split()
    size = 0
    for split, n in (("train", rows * 9 // 10), ("test", rows - rows * 9 // 10)):
        with open(out / f"{split}.jsonl", "wb") as f:
            for _ in range(n):
                msgs = [{"role": r, "content": " ".join(rng.choices(words, k=rng.randint(3, 60)))}
                        for r in ["user", "assistant"] * rng.randint(1, 6)]
                f.write(orjson.dumps({"messages": msgs, "conversation_id": "x",
                                      "feedback": rng.choice(["positive", "unset"])},
                                     option=orjson.OPT_APPEND_NEWLINE))
        size += (out / f"{split}.jsonl").stat().st_size
    return size


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=100_000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        out = Path(d)
        size = _write(out, args.rows)
        t0 = time.perf_counter()
        stats = compute_stats(out)
        t1 = time.perf_counter()
        write_plots(stats, out / "plots")
        t2 = time.perf_counter()
        write_report(out)
        t3 = time.perf_counter()
    print(f"rows {args.rows:,}  jsonl {size / 1e6:.1f} MB")
    print(f"compute_stats   {t1 - t0:6.2f} s  ({args.rows / (t1 - t0):,.0f} rows/s)")
    print(f"write_plots     {t2 - t1:6.2f} s  (5 charts, incl. matplotlib import)")
    print(f"write_report    {t3 - t2:6.2f} s  (stats + charts + card, as make runs it)")


if __name__ == "__main__":
    main()
