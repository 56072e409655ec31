"""PII stage speed: plain Presidio vs dsbuild, dsbuild vs the NER model's own limit, and this
checkout's stage vs an older commit's, side by side in one run.

    .venv/bin/python tests/benchmarks/bench_pii.py [--n 2000] [--workers 0] [--baseline-max 3000]
                                                    [--unique 3000] [--e2e 10000]
                                                    [--against c5bfe16]

(1) Realistic export (``dsbuild.samples.generate``, N conversations): the same message texts go
    through (a) the plain-Presidio loop a new user writes — ``BatchAnalyzerEngine.analyze_iterator``
    + ``AnonymizerEngine`` with the same spaCy package, one process — and (b) dsbuild's PII stage
    (language detection, known values, cache, gating, ``nlp.pipe``, process pool). The baseline
    runs on the first ``--baseline-max`` messages to keep the run short; msgs/s is what is
    compared.
(2) All-unique messages: the English chat corpus's conversations with every message made unique
    (a reference appended), so nothing is served from the cache: dsbuild's stage vs spaCy
    ``nlp.pipe`` with only ``ner`` enabled over the same texts and the same number of processes
    (the model's limit). Records are whole conversations, as an export has them: the language is
    detected per conversation, as in a real run.
(3) ``dsbuild make`` end to end on ``--e2e`` conversations (comma list), wall time and peak RSS.

Every dsbuild stage run is a fresh process (``pii_stage_child.py``) over the same pickled
records, once with this checkout and once with ``--against`` (a ``git archive`` of that commit
in a temporary directory, on ``PYTHONPATH``; default c5bfe16, the stage before the multilingual
work; '' to skip), each with its own default config. Each prints wall and CPU seconds (its own,
its workers' and, during the run, its helpers': the language detector's process, whose share
is printed too): the ratio of CPU msgs/s is the one the load of a shared machine disturbs least.
The throughput of each process count is timed with the stage built beforehand (``warm``); with
more than one process, also with the start as a build has it (``start``: the stage built, the
pool forked and the language detector's models loaded inside the timing, the detector's helper
started before the imports as a build starts it), whose difference is the fixed cost a build
pays once.

The machine is shared and noisy: every comparison runs side by side in this one run; quote ratios.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import pickle
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from dsbuild.config import load_config  # noqa: E402
from dsbuild.engines.local import resolve_workers  # noqa: E402
from dsbuild.process import ConversationProcessor  # noqa: E402
from dsbuild.records import ChatMessage, ChatRecord  # noqa: E402
from dsbuild.samples.generate import dump_export, generate_export  # noqa: E402
from dsbuild.stages.pii import pii_settings  # noqa: E402
from tests.benchmarks.pii_chat_corpus import ChatCorpus  # noqa: E402


def realistic_records(n: int) -> list[ChatRecord]:
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "export.json"
        dump_export(generate_export(n, seed=2026), path)
        cfg = load_config(overrides={"input": str(path), "agent": "bench", "pii.enabled": False}, env={})
        from dsbuild.convocore.export_file import read_export
        _, items = read_export(path)
        items = list(items)  # the export streams: read it before the directory goes
    proc = ConversationProcessor(cfg, None)
    out, _ = proc(items)
    return [o for o in out if isinstance(o, ChatRecord)]  # the stage detects their language


def baseline(model: str, texts: list[str]) -> float:
    from presidio_analyzer import AnalyzerEngine, BatchAnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider
    from presidio_anonymizer import AnonymizerEngine

    nlp_engine = NlpEngineProvider(nlp_configuration={
        "nlp_engine_name": "spacy", "models": [{"lang_code": "en", "model_name": model}]}).create_engine()
    analyzer = BatchAnalyzerEngine(AnalyzerEngine(nlp_engine=nlp_engine))
    anonymizer = AnonymizerEngine()
    analyzer.analyze_iterator(texts[:5], language="en")  # warm up (tldextract, lazy loads)
    t0 = time.perf_counter()
    results = analyzer.analyze_iterator(texts, language="en")
    for text, res in zip(texts, results):
        anonymizer.anonymize(text=text, analyzer_results=res)
    return len(texts) / (time.perf_counter() - t0)


CHILD = Path(__file__).with_name("pii_stage_child.py")


def plain(records: list[ChatRecord]) -> list[tuple]:
    """Records as tuples of builtins: an older checkout's classes read them too."""
    return [(r.conversation_id, r.source_id,
             [(m.role.value, m.content, m.feedback.value, m.human_agent) for m in r.messages],
             {f.name: getattr(r.lead, f.name) for f in dataclasses.fields(r.lead)}) for r in records]


def checkout(rev: str, into: Path) -> Path:
    """The tree of ``rev`` (a ``git archive``: the repository's worktrees are left alone)."""
    root = Path(__file__).resolve().parents[2]
    dest = into / rev
    dest.mkdir()
    archive = subprocess.run(["git", "-C", str(root), "archive", rev], check=True, capture_output=True)
    subprocess.run(["tar", "-x", "-C", str(dest)], input=archive.stdout, check=True)
    return dest


def dsbuild_stage(tree: Path, records_file: Path, workers: int, mode: str) -> dict:
    """One run of ``tree``'s PII stage in a fresh process: msgs, wall, cpu, cache and tiers."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    out = subprocess.run([sys.executable, str(CHILD), str(records_file), str(workers), mode], env=env,
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def side_by_side(trees: dict[str, Path], records: list[ChatRecord], workers: int, tmp: Path,
                 label: str, mode: str = "warm") -> dict[str, dict]:
    """This checkout's stage and every other tree's over the same records, alternated."""
    path = tmp / f"{label}-{workers}.pickle"
    if not path.exists():
        with open(path, "wb") as f:
            pickle.dump(plain(records), f)
    return {name: dsbuild_stage(tree, path, workers, mode) for name, tree in trees.items()}


def modes(procs: int) -> list[tuple[str, str]]:
    """(mode, what the line says) for ``procs`` processes (see the module's note)."""
    out = [("warm", "throughput")]
    if procs > 1:
        out.append(("start", "with the start (stage built, pool forked, detector loaded)"))
    return out


def report(runs: dict[str, dict], base: float | None, what: str) -> None:
    ours = runs["this checkout"]
    for name, r in runs.items():
        rate, cpu_rate = r["msgs"] / r["wall"], r["msgs"] / r["cpu"]
        line = f"    {name}: {rate:,.0f} msgs/s ({cpu_rate:,.0f} per CPU-second"
        line += f"; helper {r['helpers_cpu']:.2f} of {r['cpu']:.2f} CPU-s)" if r.get("helpers_cpu") else ")"
        if base:
            line += f" = {rate / base:.1f}x {what}"
        if name != "this checkout":
            line += (f"; this checkout / {name}: {ours['msgs'] / ours['wall'] / rate:.2f}x wall,"
                     f" {ours['msgs'] / ours['cpu'] / cpu_rate:.2f}x CPU")
        print(line + (f"; pipelines loaded: {', '.join(r['pipelines'])}" if r.get("pipelines") else ""))


def ner_limit(model: str, texts: list[str], workers: int) -> float:
    import spacy
    nlp = spacy.load(model, enable=["ner"])
    list(nlp.pipe(texts[:20]))
    t0 = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=64, n_process=workers):
        pass
    return len(texts) / (time.perf_counter() - t0)


def unique_records(n: int) -> list[ChatRecord]:
    """``n`` unique messages, in the corpus's conversations (the last one cut to fit)."""
    corpus = ChatCorpus(777)
    out: list[ChatRecord] = []
    count = i = 0
    while count < n:
        s = corpus.sample(i)
        i += 1
        msgs = [ChatMessage(m.role, f"{m.content} (ref {i}-{k})")  # unique, same shape
                for k, m in enumerate(s.record.messages)][: n - count]
        count += len(msgs)
        out.append(ChatRecord(f"u{i}", "", msgs, s.record.lead))
    return out


def e2e(n: int, workers: int) -> None:
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "export.json"
        dump_export(generate_export(n, seed=99), path)
        cmd = [str(Path(sys.executable).parent / "dsbuild"), "make", "--agent", "bench", "--input",
               str(path), "--out", str(Path(d) / "out"), "--workers", str(workers), "-q"]
        t0 = time.perf_counter()
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        subprocess.run(cmd, check=True, capture_output=True)
        secs = time.perf_counter() - t0
        after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    rss = max(before, after) / 1024
    print(f"  dsbuild make, {n:,} conversations, {workers} workers: {secs:.1f} s "
          f"({n / secs:,.0f} conversations/s), peak RSS of the largest child {rss:,.0f} MB")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--workers", type=int, default=0)
    ap.add_argument("--baseline-max", type=int, default=3000)
    ap.add_argument("--unique", type=int, default=3000)
    ap.add_argument("--e2e", default="10000", help="comma list of conversation counts; '' to skip")
    ap.add_argument("--against", default="c5bfe16",
                    help="commit whose PII stage runs beside this checkout's; '' to skip")
    args = ap.parse_args()
    workers = resolve_workers(args.workers)
    settings = pii_settings(load_config(env={}))
    model = settings.model
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")

    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        trees = {"this checkout": Path(__file__).resolve().parents[2]}
        if args.against:
            trees[args.against] = checkout(args.against, tmp)

        records = realistic_records(args.n)
        texts = [m.content for r in records for m in r.messages]
        print(f"(1) realistic export: {args.n:,} conversations, {len(records):,} records, "
              f"{len(texts):,} messages ({len(set(texts)):,} unique), model {model}, {workers} workers")
        base = baseline(model, texts[: args.baseline_max])
        print(f"  plain Presidio (BatchAnalyzerEngine + AnonymizerEngine, 1 process): {base:,.0f} msgs/s"
              f" on {min(len(texts), args.baseline_max):,} messages")
        for procs in sorted({1, workers}):
            for mode, what in modes(procs):
                runs = side_by_side(trees, records, procs, tmp, "realistic", mode)
                ours = runs["this checkout"]
                print(f"  dsbuild PII stage, {procs} process(es), {what}: cache hit rate "
                      f"{ours['hit'] / max(1, ours['lookups']):.1%}, unique texts sent to NER "
                      f"{ours['ner']:,} of {ours['tiered']:,}")
                report(runs, base, "baseline")

        uniq = unique_records(args.unique)
        utexts = [m.content for r in uniq for m in r.messages]
        print(f"\n(2) all-unique messages: {len(utexts):,} in {len(uniq):,} conversations")
        for procs in sorted({1, workers}):
            limit = ner_limit(model, utexts, procs)
            print(f"  {procs} process(es): spaCy nlp.pipe ner-only (the model's limit) {limit:,.0f} msgs/s")
            for mode, what in modes(procs):
                print(f"   {what}:")
                report(side_by_side(trees, uniq, procs, tmp, "unique", mode), limit, "the limit")

    if args.e2e:
        print("\n(3) end to end")
        for n in (int(x) for x in args.e2e.split(",") if x):
            e2e(n, workers)
    print(f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
