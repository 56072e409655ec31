"""Throughput of ``--engine ray`` with 1 and 2 actors against the local engine, in one run.

    .venv/bin/python tests/benchmarks/bench_ray_engine.py --n 2000 --seed 3

Builds the same generated export with each engine (same config, output checked identical to
the first run's) and prints wall time per build, the ratio to local, the time to the first
batch (actor start and the processor's build) and the rate after it. Ray's start-up is
timed apart: a cluster is started once and serves many builds. Actor start-up (and the build
of each actor's processor, e.g. the PII engine) is inside the first build on each pool, as a
user would see it.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

os.environ.setdefault("RAY_AUTH_MODE", "disabled")
os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")

from dsbuild.config import load_config  # noqa: E402
from dsbuild.pipeline import build  # noqa: E402
from dsbuild.samples.generate import dump_export, generate_export  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=2000, help="conversations to generate")
    ap.add_argument("--seed", type=int, default=3)
    ap.add_argument("--cpus", type=int, default=2, help="CPUs of the local Ray")
    ap.add_argument("--batch-size", type=int, default=64)
    args = ap.parse_args()

    import ray

    with tempfile.TemporaryDirectory() as tmp:
        export = Path(tmp) / "export.json"
        dump_export(generate_export(args.n, args.seed), export)
        print(f"load average (1, 5, 15 min) at the start: {os.getloadavg()}")
        print(f"export: {args.n} generated conversations (seed {args.seed}) + duplicates/malformed;"
              f" {os.cpu_count()} cores")
        # `workers` sizes the local engine's process pool where it has one (else it is ignored).
        runs = [("local, 1 proc", {"workers": 1}),
                ("local, 2 procs", {"workers": 2}),
                ("ray, 1 actor", {"engine": "ray", "ray.actors": 1}),
                ("ray, 2 actors", {"engine": "ray", "ray.actors": 2})]
        base_time = None
        reference: dict[str, bytes] = {}
        print(f"{'engine':<16}{'seconds':>8}{'conv/s':>8}{'vs local':>9}"
              f"{'1st batch s':>12}{'then conv/s':>12}  same output")
        for label, overrides in runs:
            if overrides.get("engine") == "ray" and not ray.is_initialized():
                # Started after the local runs: a process pool forked from a process with
                # Ray's threads running is asking for trouble.
                t0 = time.perf_counter()
                ray.init(num_cpus=args.cpus, include_dashboard=False, logging_level="WARNING",
                         log_to_driver=False)
                print(f"(ray.init(num_cpus={args.cpus}): {time.perf_counter() - t0:.2f} s,"
                      " once per cluster, not in the times below)")
            out = Path(tmp) / label.replace(" ", "").replace(",", "-")
            cfg = load_config(None, {"agent": "bench", "input": str(export), "out": str(out),
                                     "ray.batch_size": args.batch_size, **overrides}, env={})
            marks: list[tuple[float, int]] = []
            t = time.perf_counter()
            result = build(cfg, progress=lambda n, marks=marks: marks.append((time.perf_counter(), n)))
            dt = time.perf_counter() - t
            files = {p.name: p.read_bytes() for p in out.glob("*.jsonl")}
            reference = reference or files
            base_time = base_time or dt
            read = result.stats.get("conversations", "read")
            # After the first batch (actor start, processor and PII engine build): steady rate.
            (t1, n1), (t2, n2) = marks[0], marks[-1]
            steady = (n2 - n1) / (t2 - t1) if t2 > t1 else float("nan")
            print(f"{label:<16}{dt:8.2f}{read / dt:8.0f}{base_time / dt:8.2f}x"
                  f"{t1 - t:12.2f}{steady:12.0f}  {files == reference}")
        print(f"load average (1, 5, 15 min) at the end: {os.getloadavg()}")
        ray.shutdown()


if __name__ == "__main__":
    main()
