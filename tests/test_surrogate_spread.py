"""No fake is given to more than 1% of the replacements of its type (issue 15), on the demo.

A model trained on a dataset where one fake name stands for many people learns that name. The
demo is built twice with one key, with placeholders and with surrogates (the default); aligning
the two outputs row by row gives, for every placeholder, the fake written in its place. A
*replacement* is one fake in one conversation (a conversation names its lead many times with
one fake: that is consistency, not repetition).
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from pathlib import Path

from dsbuild.samples import demo_export_path
from tests.conftest import run_dsbuild

PLACEHOLDER = re.compile(r"<([A-Z][A-Z_]*?)_\d+>")
LIMIT = 0.01
# A key under which the demo's surrogates drawn by independent keyed hashes shared a fake
# between two people (so the test fails on that design; 14 keys in 40 did).
SALT = "spread-2"


def rows(out: Path) -> dict[tuple[str, int], str]:
    """(conversation id, message index) → content, over both splits."""
    got = {}
    for path in sorted(out.glob("*.jsonl")):
        for line in path.read_text().splitlines():
            row = json.loads(line)
            for i, m in enumerate(row["messages"]):
                got[(row["conversation_id"], i)] = m["content"]
    return got


def fakes_in(placeholder: str, surrogate: str) -> list[tuple[str, str]] | None:
    """(type, fake) for each placeholder of ``placeholder``, read off ``surrogate``; None if the
    two texts do not align (two placeholders with nothing between them)."""
    parts = PLACEHOLDER.split(placeholder)
    literals, types = parts[0::2], parts[1::2]
    if any(not lit for lit in literals[1:-1]):
        return None
    rx = "(.+?)".join(map(re.escape, literals))
    m = re.fullmatch(rx, surrogate, re.DOTALL)
    return None if m is None else list(zip(types, m.groups()))


def build(tmp: Path, style: str) -> Path:
    out = tmp / style
    r = run_dsbuild("make", "--agent", "spread", "--input", str(demo_export_path()), "--out",
                    str(out), "--pii-style", style, "--workers", "1",
                    env={"DSBUILD_ID_SALT": SALT})
    assert r.returncode == 0, r.stderr
    return out


def test_no_fake_is_given_to_more_than_one_percent_of_its_type(tmp_path: Path) -> None:
    placeholders, surrogates = rows(build(tmp_path, "placeholder")), rows(build(tmp_path, "surrogate"))
    replacements: dict[str, set[tuple[str, str]]] = defaultdict(set)
    aligned = unaligned = 0
    for (conv, i), text in placeholders.items():
        if not PLACEHOLDER.search(text) or (conv, i) not in surrogates:
            continue
        pairs = fakes_in(text, surrogates[(conv, i)])
        if pairs is None:
            unaligned += 1
            continue
        aligned += 1
        for type_, fake in pairs:
            replacements[type_].add((conv, " ".join(fake.casefold().split())))
    assert aligned > 120 and unaligned < aligned / 20  # the comparison saw the demo's fakes
    assert len(replacements["PERSON"]) >= 100
    for type_, pairs in replacements.items():
        top = Counter(f for _, f in pairs).most_common(1)[0][1]
        # below 100 replacements one fake is already over 1%: there no fake may come twice
        assert top == 1 or top / len(pairs) <= LIMIT, (type_, top, len(pairs))
