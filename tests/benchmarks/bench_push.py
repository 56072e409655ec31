"""Time `dsbuild push` of a generated build to the fake Hub (inline and LFS uploads).

Run: .venv/bin/python tests/benchmarks/bench_push.py [N_CONVERSATIONS]
Prints build size, rows, and wall time per push (the console script, as a user runs it).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from dsbuild.samples.generate import dump_export, generate_export  # noqa: E402
from tests.conftest import DSBUILD  # noqa: E402
from tests.fake_hub import FakeHub  # noqa: E402


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    with tempfile.TemporaryDirectory() as tmp_s:
        tmp = Path(tmp_s)
        dump_export(generate_export(n, 11), tmp / "export.json")
        out = tmp / "out"
        t = time.perf_counter()
        subprocess.run([DSBUILD, "make", "--agent", "bench", "--input", str(tmp / "export.json"),
                        "--out", str(out), "-q"], check=True, capture_output=True)
        print(f"make: {n} conversations in {time.perf_counter() - t:.1f}s")
        jsonl = sum(p.stat().st_size for p in out.glob("*.jsonl"))
        print(f"output: {jsonl / 1e6:.2f} MB of JSONL")
        for mode in ("inline", "lfs"):
            with FakeHub() as hub:
                env = {**os.environ, "HF_ENDPOINT": hub.url, "HF_TOKEN": hub.token,
                       "HF_HOME": str(tmp / f"hf_{mode}")}
                if mode == "lfs":
                    hub.lfs_suffixes = (".parquet",)
                    env["HF_HUB_DISABLE_XET"] = "1"
                t = time.perf_counter()
                r = subprocess.run([DSBUILD, "push", str(out), "--repo", "bench/ds"], env=env,
                                   capture_output=True, text=True)
                dt = time.perf_counter() - t
                assert r.returncode == 0, r.stderr
                tree = hub.repos["bench/ds"].branches["main"]
                pq = sum(len(v) for k, v in tree.items() if k.endswith(".parquet"))
                print(f"push ({mode}): {dt:.1f}s, {pq / 1e6:.2f} MB parquet, "
                      f"{r.stdout.splitlines()[0]}")


if __name__ == "__main__":
    main()
