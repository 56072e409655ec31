"""PII stage speed: plain Presidio vs dsbuild, and dsbuild vs the NER model's own limit.

    .venv/bin/python tests/benchmarks/bench_pii.py [--n 2000] [--workers 0] [--baseline-max 3000]
                                                    [--unique 3000] [--e2e 10000]

(1) Realistic export (``dsbuild.samples.generate``, N conversations): the same message texts go
    through (a) the plain-Presidio loop a new user writes — ``BatchAnalyzerEngine.analyze_iterator``
    + ``AnonymizerEngine`` with the same spaCy package, one process — and (b) dsbuild's PII stage
    (known values, cache, gating, ``nlp.pipe``, process pool). The baseline runs on the first
    ``--baseline-max`` messages to keep the run short; msgs/s is what is compared.
(2) All-unique messages: dsbuild's stage vs spaCy ``nlp.pipe`` with only ``ner`` enabled over
    the same texts and the same number of processes (the model's limit).
(3) ``dsbuild make`` end to end on ``--e2e`` conversations (comma list), wall time and peak RSS.

The machine is shared and noisy: every comparison runs side by side in this one run; quote ratios.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from dsbuild.config import load_config  # noqa: E402
from dsbuild.counters import RunCounters  # noqa: E402
from dsbuild.engines.local import resolve_workers, run_local  # noqa: E402
from dsbuild.process import ConversationProcessor  # noqa: E402
from dsbuild.records import ChatMessage, ChatRecord, Lead, Role  # noqa: E402
from dsbuild.samples.generate import dump_export, generate_export  # noqa: E402
from dsbuild.stages.pii import PiiScrubber, pii_settings  # noqa: E402
from tests.benchmarks.pii_chat_corpus import ChatCorpus  # noqa: E402


def peak_rss_mb() -> tuple[float, float]:
    me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return me, kids


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
    records = [o for o in out if isinstance(o, ChatRecord)]
    for r in records:
        r.language = None  # detected again inside the timed PII stage, as in a real run
    return records


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


class _Stage:
    """dsbuild's PII stage as the pool runs it: batches of records in, scrubbed records out."""

    def __init__(self, settings):
        self.settings = settings
        self.scrubber = None

    def warm_up(self):
        if self.scrubber is None:
            self.scrubber = PiiScrubber(self.settings)

    def __getstate__(self):
        return {"settings": self.settings, "scrubber": None}

    def __call__(self, batch):
        self.warm_up()
        stats = RunCounters()
        return self.scrubber.scrub_batch(batch, stats), stats


def dsbuild_stage(settings, records: list[ChatRecord], workers: int) -> tuple[float, RunCounters]:
    stage = _Stage(settings)
    if workers == 1:
        stage.warm_up()
    msgs = sum(len(r.messages) for r in records)
    stats = RunCounters()
    # the pool's workers build their engine in the initialiser, before the clock matters less:
    # we include pool start-up in the timing, as a real run pays it too
    t0 = time.perf_counter()
    for _, s in run_local(stage, records, batch_size=64, workers=workers):
        stats += s
    return msgs / (time.perf_counter() - t0), stats


def ner_limit(model: str, texts: list[str], workers: int) -> float:
    import spacy
    nlp = spacy.load(model, enable=["ner"])
    list(nlp.pipe(texts[:20]))
    t0 = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=64, n_process=workers):
        pass
    return len(texts) / (time.perf_counter() - t0)


def unique_records(n: int) -> list[ChatRecord]:
    corpus = ChatCorpus(777)
    seen: set[str] = set()
    out: list[ChatRecord] = []
    i = 0
    while len(out) < n:
        s = corpus.sample(i)
        i += 1
        for k, m in enumerate(s.record.messages):
            text = f"{m.content} (ref {i}-{k})"  # unique, same shape
            if text not in seen and len(out) < n:
                seen.add(text)
                out.append(ChatRecord(f"u{i}-{k}", "", [ChatMessage(Role.USER, text)], Lead()))
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
    args = ap.parse_args()
    workers = resolve_workers(args.workers)
    settings = pii_settings(load_config(env={}))
    model = settings.model

    records = realistic_records(args.n)
    texts = [m.content for r in records for m in r.messages]
    print(f"(1) realistic export: {args.n:,} conversations, {len(records):,} records, "
          f"{len(texts):,} messages ({len(set(texts)):,} unique), model {model}, {workers} workers")
    base = baseline(model, texts[: args.baseline_max])
    print(f"  plain Presidio (BatchAnalyzerEngine + AnonymizerEngine, 1 process): {base:,.0f} msgs/s"
          f" on {min(len(texts), args.baseline_max):,} messages")
    one, _ = dsbuild_stage(settings, [r for r in realistic_records(args.n)], 1)
    print(f"  dsbuild PII stage, 1 process: {one:,.0f} msgs/s  ({one / base:.1f}x baseline)")
    many, stats = dsbuild_stage(settings, realistic_records(args.n), workers)
    cache = stats.section("pii_cache")
    hit = cache.get("hit", 0) / max(1, sum(cache.values()))
    tier = stats.section("pii_tier")
    print(f"  dsbuild PII stage, {workers} workers: {many:,.0f} msgs/s  ({many / base:.1f}x baseline),"
          f" cache hit rate {hit:.1%}, unique texts sent to NER {tier.get('ner', 0):,} of "
          f"{sum(tier.values()):,}")
    me, kids = peak_rss_mb()
    print(f"  peak RSS: this process {me:,.0f} MB, largest worker {kids:,.0f} MB")

    uniq = unique_records(args.unique)
    utexts = [r.messages[0].content for r in uniq]
    print(f"\n(2) all-unique messages: {len(utexts):,}")
    for procs in sorted({1, workers}):
        limit = ner_limit(model, utexts, procs)
        ours, _ = dsbuild_stage(settings, uniq, procs)
        print(f"  {procs} process(es): spaCy nlp.pipe ner-only (the model's limit) {limit:,.0f} msgs/s;"
              f" dsbuild PII stage {ours:,.0f} msgs/s = {ours / limit:.2f} of the limit")

    if args.e2e:
        print("\n(3) end to end")
        for n in (int(x) for x in args.e2e.split(",") if x):
            e2e(n, workers)


if __name__ == "__main__":
    main()
