"""How varied the surrogates are: the largest share one fake takes of the replacements of its type.

    python tests/benchmarks/bench_surrogates.py                 # the demo and a 10k export
    python tests/benchmarks/bench_surrogates.py --n 10000 --seed 11

Builds each export in one process with the default PII style (counting every fake
:class:`~dsbuild.stages.pii.surrogates.Surrogates` renders, by type: values only in memory, never
printed), then checks the written rows: no assistant reply may hold a placeholder token, and no
fake may exceed 1% of its type (reported per type with the count of replacements).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

from click.testing import CliRunner

from dsbuild.cli import main as cli
from dsbuild.samples.generate import dump_export, generate_export
from dsbuild.stages.pii import surrogates

DEMO = Path(__file__).resolve().parents[2] / "dsbuild" / "samples" / "demo_export.json"
PLACEHOLDER = re.compile(r"<[A-Z][A-Z_]*(?:_\d+)?>")
LIMIT = 0.01


Counts = dict[str, Counter[str]]


def measure(export: Path, out: Path, target: str = "messages") -> tuple[Counts, Counts, int]:
    counts: Counts = defaultdict(Counter)  # type → fake → mentions
    scopes: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    original = surrogates.Surrogates.render

    def counting(self: surrogates.Surrogates, type_: str, value: str, key: str = "") -> str:
        fake = original(self, type_, value, key)
        counts[type_][fake] += 1
        scopes[type_][fake].add(self.scope)
        return fake

    surrogates.Surrogates.render = counting  # type: ignore[method-assign]
    try:
        res = CliRunner().invoke(cli, ["make", "--agent", "bench", "--input", str(export),
                                       "--out", str(out), "--workers", "1", "--target", target,
                                       "--overwrite", "-q"])  # the default style
    finally:
        surrogates.Surrogates.render = original  # type: ignore[method-assign]
    if res.exit_code != 0:
        raise SystemExit(f"make failed: {res.output}")
    leaks = 0
    for split in ("train", "test"):
        path = out / f"{split}.jsonl"
        if not path.is_file():
            continue
        for line in path.read_text().splitlines():
            row = json.loads(line)
            msgs = row.get("messages") or row.get("completion") or []
            leaks += sum(1 for m in msgs if m.get("role") == "assistant"
                         and PLACEHOLDER.search(m.get("content") or ""))
    convs: Counts = {t: Counter({f: len(s) for f, s in by_fake.items()})
                     for t, by_fake in scopes.items()}
    return counts, convs, leaks


def report(name: str, counts: Counts, convs: Counts, leaks: int) -> bool:
    """Fails on a fake over 1% of its type's replacements, once the type has 100 or more (below
    that one mention is already over 1%: the table shows the most conversations one fake is in)."""
    ok = leaks == 0
    print(f"{name}: assistant replies holding a placeholder token: {leaks}")
    for type_, c in sorted(counts.items()):
        total = sum(c.values())
        top = c.most_common(1)[0][1]
        share = top / total
        flag = "" if share <= LIMIT or total < 1 / LIMIT else "  > 1%"
        ok = ok and not flag
        conv_total = sum(convs[type_].values())
        conv_top = convs[type_].most_common(1)[0][1]
        print(f"  {type_:15} replacements {total:6}  distinct {len(c):6}  top fake {top:4}"
              f" = {share:6.2%}{flag}   (in {conv_top} of {conv_total} conversation mentions)")
    return ok


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=11)  # not the demo's seed (7)
    args = ap.parse_args()
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        ok &= report(f"demo ({DEMO.name})", *measure(DEMO, Path(tmp) / "demo"))
        print(f"  ({time.perf_counter() - t:.1f} s)")
        big = Path(tmp) / "big.json"
        dump_export(generate_export(args.n, args.seed), big)
        t = time.perf_counter()
        ok &= report(f"generated export, n={args.n}, seed={args.seed}",
                     *measure(big, Path(tmp) / "big"))
        print(f"  ({time.perf_counter() - t:.1f} s)")
    print("OK" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
