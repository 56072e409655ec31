"""Fetch throughput against the fake Convocore API on 127.0.0.1, and the cost of the cache.

    .venv/bin/python tests/benchmarks/bench_fetch.py [--n 3000]

Prints, per page size: pages, MB, seconds, MB/s and conversations/s for a cold fetch, then the
time to read the cached export back (what ``make --from-cache`` pays instead of a download).
Loopback HTTP: this measures dsbuild's overhead (streaming, hashing, parsing, merge, atomic
writes), not a real network.
"""

from __future__ import annotations

import argparse
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from dsbuild.config import load_config  # noqa: E402
from dsbuild.convocore.cache import RawCache  # noqa: E402
from dsbuild.convocore.fetch import Window, fetch_to_cache  # noqa: E402
from dsbuild.samples.generate import dump_export, generate_export  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]


def serve(export: Path, extra: list[str]) -> tuple[subprocess.Popen[str], str]:
    """The fake API in its own process, so its JSON encoding does not share our GIL."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "tests.fake_convocore", "--port", str(port),
                             "--export", str(export), "--key", "k", *extra], cwd=ROOT,
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    proc.stdout.readline()  # "fake Convocore at ..." once it listens
    return proc, f"http://127.0.0.1:{port}/v3"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=3000)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp())
    export = work / "export.json"
    dump_export(generate_export(args.n, seed=11), export)
    n_items = len(generate_export(args.n, seed=11)["data"])
    print(f"{n_items:,} items served by the fake API (separate process)")
    print(f"{'page_limit':>10} {'pages':>6} {'MB':>7} {'s':>7} {'MB/s':>7} {'conv/s':>9}"
          f" {'read cache s':>13}")
    for limit in (0, 100, 500):
        proc, base = serve(export, [])
        try:
            cache_dir = work / f"raw-{limit}"
            cfg = load_config(None, {"agent": "bench", "source.api_base": base,
                                     "source.page_limit": limit,
                                     "source.cache_dir": str(cache_dir)}, env={})
            t0 = time.perf_counter()
            result = fetch_to_cache(cfg, Window(), env={"CONVOCORE_API_KEY": "k"})
            dt = time.perf_counter() - t0
        finally:
            proc.terminate()
            proc.wait()
        t1 = time.perf_counter()
        n = sum(1 for _ in RawCache(cache_dir, "bench").newest_export().items)
        dr = time.perf_counter() - t1
        assert n == n_items
        mb = result.bytes / 1e6
        print(f"{limit or 'all':>10} {result.pages:>6} {mb:>7.1f} {dt:>7.2f} {mb / dt:>7.1f}"
              f" {result.fetched / dt:>9,.0f} {dr:>13.2f}")


if __name__ == "__main__":
    main()
