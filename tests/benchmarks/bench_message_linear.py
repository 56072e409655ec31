"""Every per-message stage is linear in the text length (issue 12 §3): a benchmark, not a test.

    nice -n 10 .venv/bin/python tests/benchmarks/bench_message_linear.py [--base 50000] [--reps 3]
                                                                       [--kinds prose,plain,...]

One conversation whose user message is ``base`` × 1, 2 and 4 characters of each kind of text
goes through the whole per-conversation chain of a default build (parse with HTML stripping,
select, convert, PII with NER, known lead values, surrogates and the residual scan) with
``convert.max_message_chars: 0`` (no limit), best of ``reps`` with the sizes interleaved. It prints
the CPU seconds and the ratios 2x/1x and 4x/2x (linear is about 2, quadratic about 4), and each
step's wall seconds at 4x. Every run's text is new (every chunk of it differs), so the PII cache
never answers.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from dsbuild.config import load_config  # noqa: E402
from dsbuild.process import ConversationProcessor  # noqa: E402
from dsbuild.records import ChatRecord  # noqa: E402
from dsbuild.stages.pii import pii_settings  # noqa: E402

# What one long message can be made of: real chat with PII (a new person every sentence, so
# the surrogates grow with the text), plain words, HTML, a token without spaces, and the chunks
# that made earlier scans quadratic. Every chunk differs (``i``), so no two pieces of the text are
# the same and the PII cache never answers.
FIRST = ["Anna", "Jean", "Maria", "Pieter", "Kaitlyn", "Luca", "Sofia", "Jonas", "Emma", "Noah",
         "Lea", "Mateo", "Chloe", "Finn", "Ines", "Oskar", "Nora", "Hugo", "Mila", "Theo"]
LAST = ["Schmidt", "Dupont", "Garcia", "de Vries", "Conree", "Rossi", "Novak", "Berg", "Moreau",
        "Keller", "Lopez", "Bakker", "Fischer", "Romano", "Martin", "Weber", "Silva", "Jansen"]


def _word(i: int) -> str:
    out = ""
    while True:
        i, r = divmod(i, 26)
        out += "bcdfghjklmnpqrstvwxz"[r % 20] + "aeiou"[r % 5]
        if not i:
            return out


def _name(i: int) -> str:
    return f"{FIRST[i % len(FIRST)]} {LAST[(i // len(FIRST)) % len(LAST)]}"


KINDS: dict[str, Callable[[int], str]] = {
    "prose": lambda i: (f"Hi, I am {_name(i)} from Berlin, call me at +44 20 7946 {i % 10_000:04d} or write"
                        f" to {_word(i)}.{FIRST[i % 20].lower()}@example.org about order {i}; my colleague"
                        f" {_name(i * 7 + 3)} agrees. "),
    "plain": lambda i: f"the order {_word(i)} was late again and the parcel arrived without the invoice we asked for ",
    "html": lambda i: f"<p>Hello <b>{_name(i)}</b> &amp; {_word(i)},</p><ul><li>item <i>one</i></li></ul><br/>",
    "blob": lambda i: hashlib.sha256(str(i).encode()).hexdigest() + "QUJDREVGR0hJSktMTU5PUFFS",
    "digits": lambda i: f"1 2 3 4 {_word(i)} 4111 1111 de 12 x@y a.b.c.d at at kd kd 57 ",
    "names": lambda i: f"{_name(i)} {_word(i).capitalize()} ",
}


def body(kind: str, chars: int, seed: int) -> str:
    make, parts, n, i = KINDS[kind], [], 0, seed * 1_000_000
    while n < chars:
        parts.append(make(i))
        n += len(parts[-1])
        i += 1
    return "".join(parts)[:chars]


STEPS = ("parse", "select", "convert", "pii")


def conversation(body: str) -> dict[str, Any]:
    def msg(text: str) -> dict[str, Any]:
        return {"type": "text", "ts": "December 1st 2024, 10:30:00 am",
                "payload": {"message": text, "feedback": "Unset"}}

    return {"metadata": {"convo": {"id": "long", "origin": "web-chat", "userName": "Kaitlyn Conree",
                                   "userEmail": "kaitlyn.conree@example.org",
                                   "userPhone": "+44 20 7946 0123", "notes": "KD-572912"},
                         "sessions": []},
            "turns": [{"from": "user", "messages": [msg(body)]},
                      {"from": "bot", "messages": [msg("Thanks, I have passed this on.")]}]}


def run_once(process: Callable[[list[Any]], Any], kind: str, chars: int, seed: int) -> dict[str, float]:
    """CPU seconds of the whole chain for one conversation (CPU time, not wall: other programs
    on a shared machine stretch the wall time of one size and not another), each step's wall
    seconds, and whether the record was kept."""
    text = body(kind, chars, seed)
    gc.collect()
    gc.disable()
    try:
        t0 = time.process_time()
        out, counters = process([conversation(text)])
        cpu = time.process_time() - t0
    finally:
        gc.enable()
    steps = counters.steps()
    # a fail-closed drop (pii_residual:*) still ran every step over the whole text
    return {"cpu": cpu, "kept": float(isinstance(out[0], ChatRecord)),
            **{s: float(steps[s]["seconds"]) for s in STEPS if s in steps}}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", type=int, default=50_000, help="characters of the 1x message")
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--kinds", default=",".join(KINDS))
    args = ap.parse_args()
    cfg = load_config(None, {"agent": "bench", "convert.max_message_chars": 0, "privacy.id_salt": "bench",
                             "workers": 1}, env={})
    process = ConversationProcessor(cfg, pii_settings(cfg))
    process.warm_up()
    process([conversation("warm up the models, Anna Schmidt, anna@example.org")])
    sizes = [args.base, 2 * args.base, 4 * args.base]
    worst = 0.0
    print(f"CPU seconds of parse+select+convert+pii for one message of {', '.join(f'{n:,}' for n in sizes)}"
          f" chars (best of {args.reps}, sizes interleaved), ratios 2x/1x and 4x/2x (linear ~2, quadratic ~4),"
          " and the wall seconds per step at 4x")
    for kind in args.kinds.split(","):
        best: list[dict[str, float]] = [{} for _ in sizes]
        for rep in range(args.reps):
            for b, n in zip(best, sizes):
                r = run_once(process, kind, n, seed=n * 10 + rep)  # no piece shared with another run
                for k, v in r.items():
                    b[k] = min(b.get(k, v), v)
        t = [b["cpu"] for b in best]
        r1, r2 = t[1] / max(t[0], 1e-4), t[2] / max(t[1], 1e-4)
        worst = max(worst, r1, r2)
        steps = " ".join(f"{s} {best[2].get(s, 0.0):.2f}" for s in STEPS)
        kept = "kept" if best[0]["kept"] else "dropped (residual)"
        print(f"{kind:7} {t[0]:7.2f} {t[1]:7.2f} {t[2]:7.2f}   x{r1:4.2f} x{r2:4.2f}   [{steps}] {kept}")
    print(f"worst ratio x{worst:.2f} (linear ~2, quadratic ~4)")


if __name__ == "__main__":
    main()
