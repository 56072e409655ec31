"""Structure-aware mutations of real export shapes, and the property every build must keep.

Start from conversations of the bundled sample (every variant the parser knows), then mutate:
swap a value's type, drop a key, blow a value up, nest it deep, put control characters and lone
surrogates in strings, add unknown keys; write the result as an envelope, a bare list or JSONL.
``dsbuild make`` on it must exit 0 or 3 (never 1, never a traceback) and write nothing outside
its output directory and the quarantine file it was given.

Used by tests/test_fuzz.py (bounded, in ``make test``) and ``make fuzz`` (long).
"""

from __future__ import annotations

import json
import math
import os
import shutil
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from hypothesis import strategies as st

from dsbuild.cli import main
from dsbuild.samples import demo_export_path

CONFIG = "card:\n  plots: false\n"
WEIRD_STRINGS = st.sampled_from([
    "", " ", "\x00", "\x1b[31mred\x1b[0m", "\ud83d", "\udc00 lone", "a\u202eb", "\u200b\u200d",
    "\r\n\r\n", "<script>x</script>", "<a href='x'>" * 3, "NaN", "Infinity", "-1", "1e999",
    "December 1st 2024, 10:30:00 am", "Invalid date", "2100-01-01", "0000-00-00", "user", "bot",
    "text", "choice", "debug:tell", "whatsapp:+4915123456789", "[" * 50, "{}", "null",
    "ab" * 3000,
])
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-(2**70), 2**70),
    st.sampled_from([math.nan, math.inf, -math.inf, 0.0, -0.0, 1e308, 4_102_444_800, -5]),
    st.floats(allow_nan=True, allow_infinity=True),
    WEIRD_STRINGS, st.text(max_size=40),
)


@lru_cache(maxsize=1)
def seed_items() -> tuple[str, ...]:
    """A handful of sample conversations of different shapes, as JSON text (immutable)."""
    data = json.loads(demo_export_path().read_text(encoding="utf-8"))["data"]
    picked = data[:6] + data[100:103] + data[300:302]
    return tuple(json.dumps(i) for i in picked)


def _containers(doc: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Paths of every dict and list inside ``doc`` (not below a deep-nesting mutation)."""
    out = [path] if isinstance(doc, (dict, list)) else []
    if len(path) > 40:
        return out
    if isinstance(doc, dict):
        for k, v in doc.items():
            out += _containers(v, (*path, k))
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            out += _containers(v, (*path, i))
    return out


def _get(doc: Any, path: tuple[Any, ...]) -> Any:
    for p in path:
        doc = doc[p]
    return doc


def _nest(value: Any, depth: int) -> Any:
    for i in range(depth):
        value = [value] if i % 2 else {"x": value}
    return value


@st.composite
def mutation(draw: st.DrawFn, doc: Any) -> None:
    """Apply one mutation to ``doc`` in place."""
    paths = _containers(doc)
    node = _get(doc, draw(st.sampled_from(paths)))
    keys = list(node) if isinstance(node, dict) else list(range(len(node)))
    op = draw(st.sampled_from(["swap", "drop", "huge", "deep", "weird", "extra", "dup"]))
    if not keys:
        op = "extra"
    key = draw(st.sampled_from(keys)) if keys else None
    if op == "swap":
        node[key] = draw(st.one_of(SCALARS, st.just([]), st.just({}), st.just([node[key]]),
                                   st.just({"payload": node[key]})))
    elif op == "drop":
        del node[key]
    elif op == "huge":
        node[key] = draw(st.sampled_from(["word " * 6000, "x" * 30_000, 10**40, [1] * 3000]))
    elif op == "deep":
        node[key] = _nest(node[key], draw(st.sampled_from([30, 200, 400, 2000])))
    elif op == "weird":
        node[key] = draw(WEIRD_STRINGS) + (node[key] if isinstance(node[key], str) else "")
    elif op == "extra":
        extra = draw(SCALARS)
        if isinstance(node, dict):
            node[draw(st.one_of(WEIRD_STRINGS, st.text(max_size=8)))] = extra
        else:
            node.append(extra)
    else:  # dup: the same item twice (duplicate ids), or a sibling repeated
        try:
            node[key] = json.loads(json.dumps(node[key]))
        except RecursionError:  # a deep-nesting mutation below: leave it as it is
            pass


@st.composite
def hostile_export(draw: st.DrawFn) -> bytes:
    items = [json.loads(s) for s in draw(st.lists(st.sampled_from(seed_items()), min_size=1,
                                                  max_size=5))]
    doc: Any = {"success": True, "message": "Conversations exported successfully", "data": items}
    for _ in range(draw(st.integers(1, 6))):
        draw(mutation(doc))
    shape = draw(st.sampled_from(["envelope", "list", "jsonl", "single", "raw"]))
    data = doc.get("data", doc) if isinstance(doc, dict) else doc
    ascii_only = draw(st.booleans())  # False: lone surrogates as raw (invalid UTF-8) bytes

    def dumps(value: Any) -> str:
        return json.dumps(value, ensure_ascii=ascii_only)

    try:
        if shape == "list":
            text = dumps(data)
        elif shape == "jsonl" and isinstance(data, list):
            text = "\n".join(dumps(i) for i in data) + "\n"
        elif shape == "single" and isinstance(data, list) and data:
            text = dumps({"success": True, "data": data[0]})
        else:
            text = dumps(doc)
    except (RecursionError, ValueError):
        text = "[" * 3000
    raw = text.encode("utf-8", "surrogatepass")
    if shape == "raw":  # byte-level damage: truncation, a BOM, a stray byte
        cut = draw(st.integers(0, len(raw)))
        raw = draw(st.sampled_from([raw[:cut], b"\xef\xbb\xbf" + raw, raw[:cut] + b"\xff" + raw[cut:]]))
    return raw


def check_build(export: bytes, pii: bool = False) -> None:
    """The property: exit 0 or 3, one error line, no traceback, nothing outside OUT.

    ``pii=False`` skips the PII stage (loading spaCy costs a second per build); the text it
    would see is already normalised, so most examples need not pay for it."""
    work = Path(tempfile.mkdtemp(prefix="dsbuild-fuzz-"))
    old = Path.cwd()
    try:
        os.chdir(work)
        Path("export.json").write_bytes(export)
        Path("fuzz.yaml").write_text(CONFIG + ("" if pii else "pii:\n  enabled: false\n"))
        r = CliRunner().invoke(main, ["make", "--agent", "fuzz", "--input", "export.json", "--out",
                                      "out", "--quarantine", "q.jsonl", "--config", "fuzz.yaml"])
        assert r.exit_code in (0, 3), (r.exit_code, r.output[-2000:])
        assert "Traceback" not in r.output and "a bug" not in r.output, r.output[-2000:]
        errors = [line for line in r.stderr.splitlines() if not line.startswith("dsbuild: WARNING")]
        assert len(errors) == (1 if r.exit_code == 3 else 0), r.stderr
        left = {p.name for p in work.iterdir()}
        assert left <= {"export.json", "fuzz.yaml", "out", "q.jsonl"}, left
        assert r.exit_code != 0 or (work / "out" / "manifest.json").is_file()
    finally:
        os.chdir(old)
        shutil.rmtree(work, ignore_errors=True)
