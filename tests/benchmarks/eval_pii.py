"""PII evaluation: recall/precision on presidio-research, leak rate on planted chat PII.

    .venv/bin/python tests/benchmarks/eval_pii.py [--dataset PATH] [--seeds 5101,5102,5103] [--n 400]

(a) presidio-research ``synth_dataset_v2.json``: per-type and overall recall/precision for
    PERSON, STREET_ADDRESS, PHONE_NUMBER, EMAIL_ADDRESS, CREDIT_CARD, IBAN_CODE, US_SSN,
    IP_ADDRESS. Matching is by character overlap with the same type (a gold span counts as found
    if a prediction of its type overlaps it; a prediction is correct if it overlaps a gold span
    of its type). Predictions overlapping a gold span of a type outside the list (GPE, ORG, ZIP,
    DATE_TIME, ...) are not counted either way; "overall (any type)" ignores the type.
Caveat: the boosters were tuned while looking at misses on (a) and on chat seeds 9001-9002, so
(a) is a development set; the default seeds of (b) were not looked at while tuning.

(b) chat conversations from :mod:`pii_chat_corpus` on held-out seeds, through the full stage
    (known values, analysis, residual scan): leak rate per planted type, lead-value leaks, and
    the share of benign business messages that come through unchanged. A quarantined
    conversation counts as not leaked (it is not written) and its benign messages as changed.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from dsbuild.config import load_config  # noqa: E402
from dsbuild.counters import RunCounters  # noqa: E402
from dsbuild.records import ChatRecord  # noqa: E402
from dsbuild.stages.pii import PiiScrubber, pii_settings  # noqa: E402
from dsbuild.stages.pii.known import COMMON_WORD_NAMES  # noqa: E402
from tests.benchmarks.pii_chat_corpus import ChatCorpus  # noqa: E402

TYPES = ["PERSON", "STREET_ADDRESS", "PHONE_NUMBER", "EMAIL_ADDRESS", "CREDIT_CARD", "IBAN_CODE",
         "US_SSN", "IP_ADDRESS"]
DATASET = Path("/work/shared/benchmarks/presidio-research/synth_dataset_v2.json")
ALLOW = ("Nova", "Acme Cloud", "Acme", "support@acme.example", "+1 800 555 0100")


def make_scrubber() -> PiiScrubber:
    """The stage exactly as ``dsbuild make`` builds it from the default config + an allow list."""
    settings = pii_settings(load_config(overrides={"pii.allow": list(ALLOW)}, env={}))
    assert settings is not None
    return PiiScrubber(settings)


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def eval_presidio_research(scrubber: PiiScrubber, path: Path) -> dict:
    data = json.loads(path.read_text())
    t0 = time.perf_counter()
    found = scrubber.texts.analyze_many([d["full_text"] for d in data])
    secs = time.perf_counter() - t0
    tp_g, n_g, tp_p, n_p = Counter(), Counter(), Counter(), Counter()
    any_tp_g = any_tp_p = any_n_p = 0
    for d in data:
        gold = [(s["start_position"], s["end_position"], s["entity_type"]) for s in d["spans"]]
        ev_gold = [g for g in gold if g[2] in TYPES]
        preds = [(s.start, s.end, s.type) for s in found[d["full_text"]]]
        for g in ev_gold:
            n_g[g[2]] += 1
            tp_g[g[2]] += any(p[2] == g[2] and _overlap(p[:2], g[:2]) for p in preds)
            any_tp_g += any(_overlap(p[:2], g[:2]) for p in preds)
        for p in preds:
            if any(_overlap(p[:2], g[:2]) for g in ev_gold):
                any_tp_p += 1
                any_n_p += 1
            elif not any(_overlap(p[:2], g[:2]) for g in gold):
                any_n_p += 1
            if p[2] not in TYPES:
                continue
            same = any(g[2] == p[2] and _overlap(p[:2], g[:2]) for g in gold)
            other = any(g[2] not in TYPES and _overlap(p[:2], g[:2]) for g in gold)
            if same or not other:
                n_p[p[2]] += 1
                tp_p[p[2]] += same
    rows = {t: (tp_g[t] / n_g[t] if n_g[t] else 0.0, tp_p[t] / n_p[t] if n_p[t] else 0.0, n_g[t], n_p[t])
            for t in TYPES}
    rows["overall (type-aware)"] = (sum(tp_g.values()) / sum(n_g.values()),
                                    sum(tp_p.values()) / max(1, sum(n_p.values())),
                                    sum(n_g.values()), sum(n_p.values()))
    rows["overall (any type)"] = (any_tp_g / sum(n_g.values()), any_tp_p / max(1, any_n_p),
                                  sum(n_g.values()), any_n_p)
    return {"rows": rows, "texts": len(data), "seconds": secs}


def _leaked(kind: str, value: str, text: str) -> bool:
    low = text.casefold()
    if kind in ("PHONE_NUMBER", "CREDIT_CARD", "IBAN_CODE", "IP_ADDRESS"):
        return sum(c.isdigit() for c in text) >= 4  # the planted message holds no other digits
    if kind == "EMAIL_ADDRESS":
        return value.split("@")[0].casefold() in low
    if kind == "STREET_ADDRESS":
        words = [w for w in re.findall(r"[^\W\d_]{3,}", value)
                 if w.lower() not in ("street", "avenue", "road", "lane", "close", "flat", "apt",
                                      "calle", "rue", "des", "del", "nagar", "apartments", "boulevard")]
        return any(re.search(rf"(?i)\b{re.escape(w)}\b", text) for w in words)
    return any(re.search(rf"(?i)(?<!\w){re.escape(w)}(?!\w)", text) for w in value.split()
               if w.lower() not in COMMON_WORD_NAMES)


def eval_chat(scrubber: PiiScrubber, seeds: list[int], n: int) -> dict:
    planted, leaked = Counter(), Counter()
    lead_planted = lead_leaks = benign_total = benign_same = quarantined = 0
    stats = RunCounters()
    for seed in seeds:
        corpus = ChatCorpus(seed)
        samples = [corpus.sample(i) for i in range(n)]
        originals = [[m.content for m in s.record.messages] for s in samples]
        outs = scrubber.scrub_batch([s.record for s in samples], stats)
        for s, orig, out in zip(samples, originals, outs):
            benign_total += len(s.benign)
            if isinstance(out, str):
                quarantined += 1
                for p in s.planted:
                    planted[p.type] += 1
                    lead_planted += p.known
                continue
            texts = [m.content for m in out.messages]
            benign_same += sum(texts[i] == orig[i] for i in s.benign)
            for p in s.planted:
                planted[p.type] += 1
                leak = _leaked(p.type, p.value, texts[p.msg])
                leaked[p.type] += leak
                if p.known:
                    lead_planted += 1
                    lead_leaks += leak
    rows = {t: (leaked[t], planted[t]) for t in sorted(planted)}
    return {"rows": rows, "total": (sum(leaked.values()), sum(planted.values())),
            "lead": (lead_leaks, lead_planted), "benign": (benign_same, benign_total),
            "quarantined": quarantined, "conversations": n * len(seeds)}


def eval_sample_generator(scrubber: PiiScrubber, seed: int, n: int) -> tuple[int, int]:
    """Benign text written by someone else: the sample generator's (the lead's) FAQ questions,
    answers, greetings and follow-ups, wherever they appear verbatim in a generated export."""
    from dsbuild.config import Config
    from dsbuild.process import ConversationProcessor
    from dsbuild.samples import generate as g

    benign = {t for pair in g.EXCHANGES + g.FOLLOWUPS for t in pair} | set(g.GREETINGS)
    items = g.generate_export(n, seed)["data"]
    cfg = Config()
    cfg.select.feedback = ["positive", "negative", "unset"]
    cfg.select.negative_turns = "keep"
    records = [o for o in ConversationProcessor(cfg, None)(items)[0] if isinstance(o, ChatRecord)]
    before = [[m.content for m in r.messages] for r in records]
    same = total = 0
    for orig, out in zip(before, scrubber.scrub_batch(records, RunCounters())):
        for i, text in enumerate(orig):
            if text in benign:
                total += 1
                same += not isinstance(out, str) and out.messages[i].content == text
    return same, total


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--dataset", type=Path, default=DATASET)
    ap.add_argument("--seeds", default="5101,5102,5103")
    ap.add_argument("--n", type=int, default=400)
    args = ap.parse_args()
    scrubber = make_scrubber()
    print(f"model: {scrubber.s.model}")
    if args.dataset.exists():
        a = eval_presidio_research(scrubber, args.dataset)
        print(f"\n(a) presidio-research {args.dataset.name}: {a['texts']} texts, "
              f"{a['texts'] / a['seconds']:.0f} texts/s")
        print(f"  {'type':<22} {'recall':>7} {'precision':>9} {'gold':>6} {'pred':>6}")
        for t, (rec, prec, ng, np_) in a["rows"].items():
            print(f"  {t:<22} {rec:>7.3f} {prec:>9.3f} {ng:>6} {np_:>6}")
    else:
        print(f"(a) skipped: {args.dataset} not found")
    b = eval_chat(scrubber, [int(s) for s in args.seeds.split(",")], args.n)
    print(f"\n(b) planted chat PII: {b['conversations']} conversations, seeds {args.seeds}, "
          f"{b['quarantined']} quarantined")
    print(f"  {'type':<22} {'leaked':>7} {'planted':>8} {'leak rate':>9}")
    for t, (lk, pl) in b["rows"].items():
        print(f"  {t:<22} {lk:>7} {pl:>8} {lk / pl:>9.2%}")
    lk, pl = b["total"]
    print(f"  {'overall':<22} {lk:>7} {pl:>8} {lk / pl:>9.2%}")
    ll, lp = b["lead"]
    print(f"  lead-value leaks: {ll} of {lp} planted lead values")
    same, total = b["benign"]
    print(f"  benign messages unchanged: {same} of {total} = {same / total:.2%}")
    same, total = eval_sample_generator(scrubber, seed=31337, n=args.n)
    print(f"  benign messages of dsbuild.samples.generate (seed 31337, allow list"
          f" Nova + Acme Cloud), unchanged: {same} of {total} = {same / total:.2%}")


if __name__ == "__main__":
    main()
