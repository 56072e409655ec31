"""``make fuzz``: the fuzz property of tests/test_fuzz.py for a fixed time (default 600 s).

    python -m tests.fuzz_run --seconds 600

Runs rounds of hypothesis examples until the time is up, then prints how many examples ran.
A failure stops the run with hypothesis' falsifying example and exit 1.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fuzz_export import check_build, hostile_export


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seconds", type=float, default=600.0)
    ap.add_argument("--round", type=int, default=50, help="examples per hypothesis round")
    args = ap.parse_args()
    os.environ.setdefault("DSBUILD_CONFIG_DIR", tempfile.mkdtemp(prefix="dsbuild-fuzz-config-"))
    count = {"examples": 0, "pii": 0, "exit3": 0}

    @settings(max_examples=args.round, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(hostile_export(), st.sampled_from([False, False, False, False, True]))
    def one(export: bytes, pii: bool) -> None:
        check_build(export, pii)
        count["examples"] += 1
        count["pii"] += pii

    start = time.monotonic()
    rounds = 0
    while time.monotonic() - start < args.seconds:
        one()
        rounds += 1
    took = time.monotonic() - start
    print(f"fuzz: {count['examples']} examples ({count['pii']} with the PII stage) in"
          f" {rounds} rounds, {took:.0f} s: no failure")


if __name__ == "__main__":
    main()
