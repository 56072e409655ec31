"""Fetch throughput against the fake Convocore API on 127.0.0.1, and the cost of the cache.

    .venv/bin/python tests/benchmarks/bench_fetch.py [--n 3000]

Prints, per page size: pages, MB, seconds, MB/s and conversations/s for a cold fetch, then the
time to read the cached export back (what ``make --from-cache`` pays instead of a download).
Loopback HTTP: this measures dsbuild's overhead (streaming, hashing, parsing, merge, atomic
writes), not a real network.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from dsbuild.config import load_config  # noqa: E402
from dsbuild.convocore.cache import RawCache  # noqa: E402
from dsbuild.convocore.fetch import Window, fetch_to_cache  # noqa: E402
from dsbuild.samples.generate import generate_export  # noqa: E402
from tests.fake_convocore import FakeConvocore  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=3000)
    args = ap.parse_args()
    items = generate_export(args.n, seed=11)["data"]
    print(f"{len(items):,} items served by the fake API")
    print(f"{'page_limit':>10} {'pages':>6} {'MB':>7} {'s':>7} {'MB/s':>7} {'conv/s':>9}"
          f" {'read cache s':>13}")
    for limit in (0, 100, 500):
        with FakeConvocore(items, agents=("bench",), api_key="k") as fake, \
                tempfile.TemporaryDirectory() as tmp:
            cfg = load_config(None, {"agent": "bench", "source.api_base": fake.base_url,
                                     "source.page_limit": limit, "source.cache_dir": tmp}, env={})
            t0 = time.perf_counter()
            result = fetch_to_cache(cfg, Window(), env={"CONVOCORE_API_KEY": "k"})
            dt = time.perf_counter() - t0
            t1 = time.perf_counter()
            n = sum(1 for _ in RawCache(Path(tmp), "bench").newest_export().items)
            dr = time.perf_counter() - t1
            assert n == len(items)
            mb = result.bytes / 1e6
            print(f"{limit or 'all':>10} {result.pages:>6} {mb:>7.1f} {dt:>7.2f} {mb / dt:>7.1f}"
                  f" {result.fetched / dt:>9,.0f} {dr:>13.2f}")


if __name__ == "__main__":
    main()
