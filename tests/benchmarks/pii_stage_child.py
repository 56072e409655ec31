"""One timed run of the PII stage of whichever dsbuild is first on ``PYTHONPATH`` (bench_pii.py).

    PYTHONPATH=TREE python tests/benchmarks/pii_stage_child.py RECORDS.pickle WORKERS MODE

``RECORDS.pickle`` holds plain tuples (conversation id, source id, [(role, content, feedback,
human agent)], lead fields), so an older checkout reads the same records as this one. ``MODE``:

- ``warm`` (throughput): the stage is built, and its language detector loaded, before the
  timing; the timing holds the batches (and, with WORKERS > 1, the pool's start);
- ``start`` (with the start, as a build has it): the language helper is started before the
  stage's imports (``ConversationProcessor.start_helpers`` at a build's start), and the stage is
  built inside the timing, in this process before the pool forks.

Prints one JSON line: messages, wall seconds, CPU seconds (this process, its workers and, while
the run lasted, its helpers: the language detector's process; also on its own as
``helpers_cpu``), the languages whose pipeline was loaded. This file does not put its own
checkout on ``sys.path``: the dsbuild measured is the one on ``PYTHONPATH``.
"""

from __future__ import annotations

import json
import os
import pickle
import resource
import sys
import time
from typing import Any

from dsbuild.config import load_config
from dsbuild.engines.local import run_local
from dsbuild.records import ChatMessage, ChatRecord, Feedback, Lead, Role


def start_helpers_early() -> None:
    """``start``: the language helper started before the PII stage's imports, as a build does
    (``ConversationProcessor.start_helpers``, then the imports and the model load in the
    warm-up). A checkout without the helper has nothing to start."""
    try:
        from dsbuild.stages.language import check_languages, detector_for
    except ImportError:  # before the multilingual work (c5bfe16)
        return
    detector_for(check_languages(load_config(env={}).pii.languages))


MODES = ("warm", "start")
if __name__ == "__main__" and sys.argv[3:] == ["start"]:
    start_helpers_early()

from dsbuild.stages.pii import PiiScrubber, pii_settings  # noqa: E402

try:
    from dsbuild.counters import RunCounters as Counters
except ImportError:  # before the multilingual work (c5bfe16): dsbuild.stats.Stats
    from dsbuild.stats import Stats as Counters  # type: ignore[no-redef]


class Stage:
    """dsbuild's PII stage as the pool runs it: batches of records in, scrubbed records out."""

    def __init__(self, settings: Any):
        self.settings = settings
        self.scrubber: Any = None

    def warm_up(self) -> None:
        if self.scrubber is None:
            self.scrubber = PiiScrubber(self.settings)

    def __getstate__(self) -> dict[str, Any]:
        return {"settings": self.settings, "scrubber": None}

    def __call__(self, batch: list[ChatRecord]) -> tuple[list[Any], Any]:
        self.warm_up()
        stats = Counters()
        return self.scrubber.scrub_batch(batch, stats), stats


def records(path: str) -> list[ChatRecord]:
    with open(path, "rb") as f:
        plain = pickle.load(f)
    return [ChatRecord(cid, sid, [ChatMessage(Role(r), c, Feedback(fb), h) for r, c, fb, h in msgs],
                       Lead(**lead)) for cid, sid, msgs, lead in plain]


def cpu() -> float:
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def helpers_cpu() -> float:
    """CPU seconds so far of this process's children that are still running: the helpers (the
    language detector's process), which ``RUSAGE_CHILDREN`` counts only once they are reaped,
    after the run (Linux ``/proc``; 0 elsewhere)."""
    total = 0
    for pid in os.listdir("/proc") if os.path.isdir("/proc") else ():
        try:
            with open(f"/proc/{pid}/stat") as f:
                stat = f.read()
        except OSError:  # not a process, or gone
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        if int(fields[1]) == os.getpid():  # its parent
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / os.sysconf("SC_CLK_TCK")


def main() -> None:
    recs, workers, mode = records(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    if mode not in MODES:
        raise SystemExit(f"MODE: one of {', '.join(MODES)}")
    stage = Stage(pii_settings(load_config(env={})))
    if mode == "warm":
        stage.warm_up()
    msgs = sum(len(r.messages) for r in recs)
    stats = Counters()
    t0, c0, h0 = time.perf_counter(), cpu(), helpers_cpu()
    for _, s in run_local(stage, recs, batch_size=64, workers=workers):
        stats += s
    wall, used, helpers = time.perf_counter() - t0, cpu() - c0, helpers_cpu() - h0
    cache = stats.section("pii_cache")
    tier = stats.section("pii_tier")
    loaded = sorted(getattr(stage.scrubber.texts, "nlps", {})) if stage.scrubber else []
    print(json.dumps({"msgs": msgs, "wall": wall, "cpu": used + helpers, "helpers_cpu": helpers, "hit": cache.get("hit", 0),
                      "lookups": sum(cache.values()), "ner": tier.get("ner", 0),
                      "tiered": sum(tier.values()), "pipelines": loaded}))


if __name__ == "__main__":
    main()
