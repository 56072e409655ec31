"""Byte-identity goldens for the streaming rewrite (issue 13).

``python tests/golden_outputs.py OUT.json`` builds a few outputs with whatever ``dsbuild`` is
first on ``PYTHONPATH`` and writes their digests; ``tests/data/stream_golden.json`` was made this
way from main (c5bfe16, then re-made from main at each merge that changed the output on
purpose) before the sources streamed. ``tests/test_stream_golden.py`` rebuilds
the same cases with the current code and compares.

Every case writes its inputs from the bundled demo export, in the shapes the parser accepts
(envelope, JSONL with bad and envelope lines, a shard directory), so no fixture file is needed.
"""

from __future__ import annotations

import copy
import hashlib
import json
import sys
from pathlib import Path
from typing import Any

# Keys of manifest.json that depend on the clock, the installed versions or the step timings.
VOLATILE = ("created_at", "versions", "timings", "seconds", "steps")


def _demo() -> dict[str, Any]:
    from dsbuild.samples import demo_export_path

    return json.loads(demo_export_path().read_bytes())


def write_inputs(root: Path) -> dict[str, list[str]]:
    """Write the inputs under ``root``; return case name → ``dsbuild make`` arguments."""
    root.mkdir(parents=True, exist_ok=True)
    from dsbuild.samples import demo_export_path

    demo = _demo()
    items = demo["data"]
    envelope = root / "envelope.json"
    envelope.write_bytes(demo_export_path().read_bytes())  # it holds lone surrogate escapes
    lines = [_dumps(i) for i in items[:200]]
    lines.insert(5, b"{not json")
    lines.insert(9, b"")
    lines.append(_dumps({"success": True, "message": "page", "data": items[200:260]}))
    lines += [_dumps(i) for i in items[260:]]
    jsonl = root / "export.jsonl"
    jsonl.write_bytes(b"\n".join(lines) + b"\n")
    shards = root / "shards"
    shards.mkdir(exist_ok=True)
    (shards / "part-00000.jsonl").write_bytes(b"".join(_dumps(i) + b"\n" for i in items[:150]))
    (shards / "part-00001.json").write_bytes(_dumps({**demo, "data": items[150:300]}))
    (shards / "part-00002.jsonl").write_bytes(b"\n")
    (shards / "part-00003.jsonl").write_bytes(b"".join(_dumps(i) + b"\n" for i in items[300:]))
    q, r = root / "quarantine.jsonl", root / "review.jsonl"
    return {
        "envelope": ["--input", str(envelope), "--quarantine", str(q), "--pii-review", str(r)],
        "jsonl": ["--input", str(jsonl), "--quarantine", str(root / "q2.jsonl")],
        "shards": ["--input", str(shards), "--feedback", "any", "--target", "sharegpt"],
        "parquet": ["--input", str(envelope), "--format", "parquet", "--turns", "last"],
    }


def side_files(case: str, root: Path) -> list[Path]:
    return {"envelope": [root / "quarantine.jsonl", root / "review.jsonl"],
            "jsonl": [root / "q2.jsonl"]}.get(case, [])


def _dumps(doc: Any) -> bytes:
    return json.dumps(doc, ensure_ascii=True).encode()


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def stable_manifest(path: Path) -> dict[str, Any]:
    doc = json.loads(path.read_bytes())
    for key in VOLATILE:
        doc.pop(key, None)
    doc.get("config", {}).pop("out", None)
    return doc


def digest(out: Path, extra: list[Path]) -> dict[str, Any]:
    """Digests of every data file of an output (and of the side files), and the stable manifest."""
    files = {p.relative_to(out).as_posix(): _sha(p.read_bytes()) for p in sorted(out.rglob("*"))
             if p.is_file() and p.suffix in (".jsonl", ".parquet")}
    files.update({p.name: _sha(p.read_bytes()) for p in extra})
    return {"files": files, "manifest": stable_manifest(out / "manifest.json")}


def incremental_cache(root: Path) -> dict[str, Any]:
    """An API fetch of 30 conversations, then ``--incremental`` with 10 new and 1 updated."""
    from dsbuild.config import load_config
    from dsbuild.convocore.fetch import Window, fetch_to_cache
    from dsbuild.samples.generate import generate_export
    from tests.fake_convocore import FakeConvocore

    key, agent = "ck-golden-1", "agent-g"
    convos = [i for i in generate_export(60, 5)["data"] if isinstance(i, dict) and "turns" in i][:40]
    convos.sort(key=lambda i: (i["metadata"].get("convo") or i["metadata"])["ts"])
    with FakeConvocore(convos[:30], agents=(agent,), api_key=key) as fake:
        cfg = load_config(None, {"agent": agent, "source.page_limit": 7,
                                 "source.cache_dir": str(root / "raw"),
                                 "source.api_base": fake.base_url}, env={})
        fetch_to_cache(cfg, Window(), env={"CONVOCORE_API_KEY": key})
        updated = copy.deepcopy(convos[29])
        updated["turns"].append({"from": "user", "messages": [{"type": "text",
                                                               "payload": {"message": "more"}}]})
        fake.conversations = convos[:29] + [updated] + convos[30:] + [convos[3]]
        fetch_to_cache(cfg, Window(incremental=True), env={"CONVOCORE_API_KEY": key})
    export = next((root / "raw").glob("*/export.json"))
    return {"export.json": _sha(export.read_bytes())}


def run_case(args: list[str], out: Path) -> None:
    from click.testing import CliRunner

    from dsbuild.cli import main

    # A fixed salt: the default key is a per-machine secret (issue 12), goldens must not be.
    runner = CliRunner(env={"DSBUILD_ID_SALT": "golden"})
    res = runner.invoke(main, ["make", "--agent", "golden", "--out", str(out), "--workers", "1",
                               "--overwrite", *args], catch_exceptions=False)
    if res.exit_code != 0:
        raise RuntimeError(res.output)


def build_all(root: Path) -> dict[str, Any]:
    cases = write_inputs(root / "in")
    result: dict[str, Any] = {}
    for name, args in cases.items():
        out = root / "out" / name
        run_case(args, out)
        result[name] = digest(out, side_files(name, root / "in"))
    result["incremental"] = incremental_cache(root / "cache")
    return result


if __name__ == "__main__":
    import tempfile

    sys.path.append(str(Path(__file__).resolve().parents[1]))  # for tests.fake_convocore
    with tempfile.TemporaryDirectory() as tmp:
        doc = build_all(Path(tmp))
    Path(sys.argv[1]).write_text(json.dumps(doc, indent=1, sort_keys=True) + "\n")
