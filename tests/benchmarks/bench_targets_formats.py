"""Wall time and peak memory of `dsbuild make` per target and storage format, and of
`dsbuild validate`, on a generated export. Prints numbers; asserts nothing.

    .venv/bin/python tests/benchmarks/bench_targets_formats.py [--n 5000]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from dsbuild.samples.generate import dump_export, generate_export

DSBUILD = str(Path(sys.executable).parent / "dsbuild")


def run(*args: str) -> tuple[float, float]:
    """(seconds, peak RSS in MiB) of one dsbuild process."""
    t0 = time.perf_counter()
    proc = subprocess.Popen([DSBUILD, *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0, 1):
        sys.exit(f"dsbuild {' '.join(args)} failed: {proc.stderr.read().decode()}")
    return time.perf_counter() - t0, usage.ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=5000)
    n = ap.parse_args().n
    tmp = Path(tempfile.mkdtemp(prefix="bench-targets-"))
    try:
        export = tmp / "export.json"
        dump_export(generate_export(n, 11), export)
        print(f"export: {n:,} conversations, {export.stat().st_size / 2**20:.1f} MiB")
        print(f"{'target':<10} {'format':<8} {'seconds':>8} {'peak MiB':>9} {'rows':>8}")
        for target in ("messages", "openai", "sharegpt", "kto"):
            for fmt in ("jsonl", "hf", "parquet"):
                out = tmp / f"{target}-{fmt}"
                secs, mib = run("make", "--agent", "bench", "--input", str(export), "--out",
                                str(out), "--target", target, "--format", fmt, "--quiet")
                import json
                rows = sum(json.loads((out / "manifest.json").read_text())["counts"]
                           ["records"].values())
                print(f"{target:<10} {fmt:<8} {secs:>8.2f} {mib:>9.0f} {rows:>8,}")
        big = tmp / "big.jsonl"
        with open(big, "wb") as f:
            for _ in range(20):
                f.write((tmp / "messages-jsonl" / "train.jsonl").read_bytes())
        lines = sum(1 for _ in open(big, "rb"))
        secs, mib = run("validate", str(big), "--target", "messages")
        print(f"validate messages: {lines:,} rows in {secs:.2f}s "
              f"({lines / secs:,.0f} rows/s), peak {mib:.0f} MiB")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
