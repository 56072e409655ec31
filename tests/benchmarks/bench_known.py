"""Known-value matching and the residual scan: time and re.compile calls per export.

    PYTHONPATH=$PWD .venv/bin/python tests/benchmarks/bench_known.py [--n 800] [--seed 2026] [--repeat 3]

Runs, over every conversation of ``generate_export(n, seed)``: build the lead's ``KnownValues``,
``find`` in each message, then ``residual_hit`` on each message (nothing produced). Prints the
best of ``--repeat`` runs and how many ``re.compile`` calls and distinct patterns one run made.
PYTHONPATH picks the checkout measured: point it at another one (e.g. the baseline) to compare,
the API is the same.
"""

from __future__ import annotations

import argparse
import re
import time
from typing import Any

from dsbuild.convocore.parser import ParseOptions, parse_conversation
from dsbuild.counters import RunCounters
from dsbuild.records import Lead
from dsbuild.samples.generate import generate_export
from dsbuild.stages.pii.known import KnownValues
from dsbuild.stages.pii.residual import residual_hit


def conversations(n: int, seed: int) -> list[tuple[Lead, list[str]]]:
    out = []
    for item in generate_export(n, seed)["data"]:
        try:
            convo = parse_conversation(item, ParseOptions(), RunCounters())
        except Exception:  # noqa: BLE001 - the export's malformed items on purpose
            continue
        out.append((convo.lead, [m.text for t in convo.turns for m in t.messages]))
    return out


def run(convos: list[tuple[Lead, list[str]]]) -> tuple[float, float, int]:
    t0 = time.perf_counter()
    spans = 0
    knowns = []
    for lead, texts in convos:
        known = KnownValues(lead)
        knowns.append(known)
        for text in texts:
            spans += len(known.find(text))
    t1 = time.perf_counter()
    for known, (_, texts) in zip(knowns, convos):
        for text in texts:
            residual_hit(text, known, set())
    return t1 - t0, time.perf_counter() - t1, spans


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=800)
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    convos = conversations(args.n, args.seed)
    messages = sum(len(t) for _, t in convos)

    calls = 0
    patterns: set[Any] = set()
    real = re.compile

    def counting(pattern: Any, flags: int = 0) -> Any:
        nonlocal calls
        calls += 1
        patterns.add((pattern, flags))
        return real(pattern, flags)

    re.compile = counting  # type: ignore[assignment]
    run(convos)
    re.compile = real
    best_find = best_res = float("inf")
    spans = 0
    for _ in range(args.repeat):
        f, r, spans = run(convos)
        best_find, best_res = min(best_find, f), min(best_res, r)
    print(f"{len(convos)} conversations, {messages} messages, {spans} known spans")
    print(f"KnownValues build+find: {best_find:.3f} s   residual_hit: {best_res:.3f} s   "
          f"(best of {args.repeat})")
    print(f"re.compile calls in one run: {calls}, distinct patterns: {len(patterns)}")


if __name__ == "__main__":
    main()
