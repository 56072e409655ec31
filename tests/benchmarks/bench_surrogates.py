"""How varied the surrogates are: the largest share one fake takes of the replacements of its type.

    python tests/benchmarks/bench_surrogates.py                 # the demo and a 10k export
    python tests/benchmarks/bench_surrogates.py --n 10000 --seed 11 --keys 50

A *replacement* is one value of one conversation: a conversation that names the same person
three times gets one fake for it (consistency is the point), which is one replacement, not
three. What must not happen is many replacements (different people, or one person in many
conversations) sharing one fake: that is the fake a model would memorise.

Builds each export in one process with the default PII style, recording in memory (never
printed) what :class:`~dsbuild.stages.pii.surrogates.Surrogates` is asked to render, then

* checks the written rows: no assistant reply may hold a placeholder token;
* reports per type the replacements, the top fake's count and share of them under this
  machine's key, and, replaying the same requests under ``--keys`` other keys (fakes are keyed,
  so the share depends on the key), the median and worst top share and how many keys give one
  fake to more than one replacement and over 1% of them; the mentions column is the top fake's
  share of raw mentions, for reference.

Fakes are drawn by slot (dsbuild/stages/pii/draws.py): a keyed permutation of the pool indexed
by the conversation's position in the export, so two replacements share a fake only once the
pool is exhausted (or the conversation holds more values of a kind than it has lanes). A type
with fewer than 100 replacements cannot pass a 1% bar with even one shared pair: there the check
is that no fake is given twice.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from click.testing import CliRunner

from dsbuild.cli import main as cli
from dsbuild.samples.generate import dump_export, generate_export
from dsbuild.stages.pii import surrogates

DEMO = Path(__file__).resolve().parents[2] / "dsbuild" / "samples" / "demo_export.json"
PLACEHOLDER = re.compile(r"<[A-Z][A-Z_]*(?:_\d+)?>")
LIMIT = 0.01


@dataclass
class Conversation:
    """What one conversation's Surrogates was built with and asked for (in memory only)."""

    secret: str
    scope: str
    language: str
    avoid: list[str]
    position: int
    regions: tuple[str, ...]
    calls: list[tuple[str, str, str]] = field(default_factory=list)


def record(export: Path, out: Path, target: str) -> tuple[list[Conversation], int]:
    log: list[Conversation] = []
    init, render = surrogates.Surrogates.__init__, surrogates.Surrogates.render
    mine: dict[int, Conversation] = {}

    def recording_init(self: surrogates.Surrogates, secret: str, scope: str,
                       language: str = "en", avoid: object = (), position: int = 0, *,
                       regions: object = ()) -> None:
        values = list(avoid)  # type: ignore[call-overload]
        regs = tuple(regions)  # type: ignore[call-overload]
        init(self, secret, scope, language, values, position, regions=regs)
        mine[id(self)] = Conversation(secret, scope, language, values, position, regs)
        log.append(mine[id(self)])

    def recording_render(self: surrogates.Surrogates, type_: str, value: str, key: str = "") -> str:
        mine[id(self)].calls.append((type_, value, key))
        return render(self, type_, value, key)

    surrogates.Surrogates.__init__ = recording_init  # type: ignore[method-assign]
    surrogates.Surrogates.render = recording_render  # type: ignore[method-assign]
    try:
        res = CliRunner().invoke(cli, ["make", "--agent", "bench", "--input", str(export),
                                       "--out", str(out), "--workers", "1", "--target", target,
                                       "--overwrite", "-q"])  # the default style
    finally:
        surrogates.Surrogates.__init__ = init  # type: ignore[method-assign]
        surrogates.Surrogates.render = render  # type: ignore[method-assign]
    if res.exit_code != 0:
        raise SystemExit(f"make failed: {res.output}")
    leaks = 0
    for path in out.glob("*.jsonl"):
        for line in path.read_text().splitlines():
            row = json.loads(line)
            msgs = [*(row.get("messages") or []), *(row.get("prompt") or []),
                    *(row.get("completion") or []), *(row.get("conversations") or [])]
            leaks += sum(1 for m in msgs if (m.get("role") == "assistant" or m.get("from") == "gpt")
                         and PLACEHOLDER.search(m.get("content") or m.get("value") or ""))
    return [c for c in log if c.calls], leaks


def shares(log: list[Conversation], secret: str | None) -> dict[str, tuple[int, int, float]]:
    """type → (replacements, the top fake's count of them, its share of mentions), under
    ``secret`` (None: the key the build used)."""
    by_value: dict[str, dict[tuple[str, str], str]] = defaultdict(dict)
    mentions: dict[str, Counter[str]] = defaultdict(Counter)
    seen: set[str] = set()
    for conv in log:
        if conv.scope in seen:  # a copy of a conversation (same text): dedup drops it
            continue
        seen.add(conv.scope)
        fakes = surrogates.Surrogates(conv.secret if secret is None else secret, conv.scope,
                                      conv.language, conv.avoid, conv.position,
                                      regions=conv.regions)
        for type_, value, key in conv.calls:
            fake = fakes.render(type_, value, key).casefold()
            by_value[type_][(conv.scope, " ".join(value.casefold().split()))] = fake
            mentions[type_][fake] += 1
    out = {}
    for type_, pairs in by_value.items():
        top = Counter(pairs.values()).most_common(1)[0][1]
        n_mentions = sum(mentions[type_].values())
        out[type_] = (len(pairs), top,
                      mentions[type_].most_common(1)[0][1] / n_mentions)
    return out


def shared(top: int, n: int) -> bool:
    """A fake given to more than one replacement and to more than 1% of them (below 100
    replacements, any fake given twice)."""
    return top > 1 and top / n > LIMIT


def report(name: str, log: list[Conversation], leaks: int, keys: int) -> bool:
    ok = leaks == 0
    print(f"{name}: assistant replies holding a placeholder token: {leaks}")
    here = shares(log, None)
    replays = [shares(log, f"bench-key-{i}") for i in range(keys)]
    for type_, (n, top, by_mention) in sorted(here.items()):
        tops = sorted(r[type_][1] for r in replays if type_ in r)
        over = sum(shared(t, n) for t in tops)
        flag = "  > 1%" if shared(top, n) else ""
        ok = ok and not flag
        print(f"  {type_:15} replacements {n:6}  top fake {top:3} = {top / n:6.2%}{flag}"
              f"   {keys} keys: median {statistics.median(tops) / n:6.2%}"
              f" worst {tops[-1]:3} = {tops[-1] / n:6.2%}, over 1% {over:3}/{keys}"
              f"   (mentions: top {by_mention:6.2%})")
    return ok


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=11)  # not the demo's seed (7)
    ap.add_argument("--keys", type=int, default=20, help="other keys to replay the demo under")
    ap.add_argument("--target", default="messages")
    args = ap.parse_args()
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        ok &= report(f"demo ({DEMO.name})", *record(DEMO, Path(tmp) / "demo", args.target),
                     args.keys)
        print(f"  ({time.perf_counter() - t:.1f} s)")
        big = Path(tmp) / "big.json"
        dump_export(generate_export(args.n, args.seed), big)
        t = time.perf_counter()
        ok &= report(f"generated export, n={args.n}, seed={args.seed}",
                     *record(big, Path(tmp) / "big", args.target), max(1, args.keys // 4))
        print(f"  ({time.perf_counter() - t:.1f} s)")
    print("OK" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
