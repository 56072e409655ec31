"""How many records the residual scan quarantines: this checkout's scan next to an older one's.

    PYTHONPATH=$PWD .venv/bin/python tests/benchmarks/residual_quarantine.py [demo|tuning] [--old-ref c5bfe16]

The build runs once, in process (one worker), with this checkout's detectors; every scrubbed
message goes through both residual scans (the old one is ``dsbuild/stages/pii/residual.py`` as
of ``--old-ref``, read with ``git show``), and the build follows the new one. ``demo`` is the
bundled demo export; ``tuning`` is pii-eval's TUNING corpus (never the held-out one). Prints
the share quarantined by each and writes the messages only the new scan flags to
``--flagged`` (synthetic data; for inspection).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import types
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import dsbuild.stages.pii.scrubber as scrubber
from dsbuild.config import load_config
from dsbuild.pipeline import build

ROOT = Path(__file__).resolve().parents[2]


def old_residual(ref: str) -> types.ModuleType:
    source = subprocess.run(["git", "show", f"{ref}:dsbuild/stages/pii/residual.py"], cwd=ROOT,
                            check=True, capture_output=True, text=True).stdout
    module = types.ModuleType("old_residual")
    exec(compile(source, f"{ref}:residual.py", "exec"), module.__dict__)  # noqa: S102 - our own code
    return module


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus", choices=["demo", "tuning"])
    ap.add_argument("--old-ref", default="c5bfe16")
    ap.add_argument("--flagged", type=Path, default=Path("/tmp/residual_new_only.txt"))
    args = ap.parse_args()
    old_hit: Callable[..., str | None] = old_residual(args.old_ref).residual_hit
    new_hit = scrubber.residual_hit
    first: dict[str, str | None] = {"old": None, "new": None}
    pairs: Counter[tuple[str | None, str | None]] = Counter()
    flagged: list[str] = []

    def both(text: str, known: Any, produced: set[str], allowed: Callable[[str], bool]) -> str | None:
        o, n = old_hit(text, known, produced, allowed), new_hit(text, known, produced, allowed)
        first["old"] = first["old"] or o
        if n and not first["new"]:
            first["new"] = n
            if not o:
                flagged.append(f"{n}\t{text!r}")
        return n

    scrub = scrubber.PiiScrubber.scrub

    def counting(self: scrubber.PiiScrubber, record: Any, found: Any, stats: Any) -> Any:
        first.update(old=None, new=None)
        out = scrub(self, record, found, stats)
        pairs[(first["old"], first["new"])] += 1
        return out

    scrubber.residual_hit = both  # type: ignore[assignment]
    scrubber.PiiScrubber.scrub = counting  # type: ignore[method-assign]
    with tempfile.TemporaryDirectory() as d:
        overrides: dict[str, Any] = {"agent": "residual-ab", "out": str(Path(d) / "out"), "workers": 1,
                                     "select.feedback": ["positive", "negative", "unset"]}
        if args.corpus == "demo":
            overrides["input"] = str(ROOT / "dsbuild/samples/demo_export.json")
        else:
            sys.path.insert(0, str(ROOT))
            from tests.benchmarks.eval_pii import ALLOW
            from tests.benchmarks.pii_chat_corpus import TUNING_SEEDS, MultiCorpus, to_export
            convs = [c for seed in TUNING_SEEDS for c in MultiCorpus(seed, "tuning", 80).conversations()]
            export = Path(d) / "export.json"
            export.write_text(json.dumps(to_export(convs, 17), ensure_ascii=False))
            overrides.update({"input": str(export), "pii.allow": list(ALLOW)})
        build(load_config(overrides=overrides, env={}), overwrite=True, quarantine=Path(d) / "q.jsonl")
    n = sum(pairs.values())
    for name, i in (("old", 0), ("new", 1)):
        kinds = Counter(k[i] for k in pairs.elements() if k[i])
        q = sum(kinds.values())
        print(f"{args.corpus}: {n} records, {name} residual quarantines {q} ({100 * q / max(n, 1):.2f}%) "
              f"{dict(kinds)}")
    args.flagged.write_text("\n".join(flagged) + "\n" if flagged else "")
    print(f"messages only the new scan flags: {len(flagged)} (in {args.flagged})")


if __name__ == "__main__":
    main()
