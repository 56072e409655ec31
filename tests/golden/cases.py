"""Byte-identity goldens: the same input and config give the same output, byte for byte.

``tests/golden/golden.json`` holds, for every case below, the sha256 of every file the build
wrote (the output directory and the ``--quarantine`` / ``--pii-review`` files next to it) and the
manifest itself, so that a difference reads as a diff of counts and settings.
``tests/test_golden.py`` rebuilds every case with the current code and compares: so they also
prove that two runs of a build agree byte for byte, in every format (jsonl, parquet, hf).

The cases come from two refactors that had to keep every byte (issue 14: steps and typed
config; issue 13: streaming sources and side files):

* ``demo_default``, ``kto_parquet_user``, ``sharegpt_hf_config``, ``openai_last``: PII off, so
  they guard the pipeline, config, targets, formats, manifest and card (charts included)
  without moving whenever PII recall improves;
* ``envelope``, ``jsonl``, ``shards``, ``parquet``: PII on, the bundled demo export in every
  shape the parser accepts (an envelope with lone surrogate escapes, JSONL with bad and envelope
  lines, a shard directory);
* ``incremental``: the raw export cache after an API fetch and an ``--incremental`` one.

Normalised, because they differ between two runs of the same build by design: the manifest's
``created_at``, its ``versions`` (of the installed packages) and each step's ``seconds``; the
card's "built at" row; the random ``_fingerprint`` in a saved ``datasets`` split's state.json.

A change that alters the output ON PURPOSE (a new PII rule, a new drop reason) re-records the
file, with the code whose output is the new reference, and says why in its commit message::

    PYTHONPATH=$PWD .venv/bin/python -m tests.golden.cases tests/golden/golden.json
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
import sys
import tempfile
from pathlib import Path
from typing import Any

import orjson

GOLDEN_FILE = Path(__file__).with_name("golden.json")
# The default id key is a per-machine secret (issue 12): goldens use a fixed salt instead.
GOLDEN_ENV = {"DSBUILD_ID_SALT": "golden"}
VOLATILE_MANIFEST_KEYS = ("created_at", "versions")
# The options whose value is a file the build writes outside its output directory.
SIDE_FILE_FLAGS = ("--quarantine", "--pii-review")

NO_PII_YAML = """\
pii:
  enabled: false
"""

CONFIG_YAML = """\
select:
  feedback: [positive, negative, unset]
  negative_turns: drop
  include_test: true
convert:
  rich_messages: text
  system_prompt: You are the shop's helpful assistant.
pii:
  enabled: false
card:
  plots: false
  pretty_name: Golden case
"""

# name -> the arguments of `dsbuild make` after ``--out``; ``{file}`` is a file of
# :func:`write_inputs` (or, after a side-file flag, a file next to the output).
_OLD = ["--agent", "golden-agent", "--quiet"]
_STREAM = ["--agent", "golden", "--workers", "1"]
CASES: dict[str, list[str]] = {
    "demo_default": [*_OLD, "--input", "{demo}", "--config", "{no-pii.yaml}"],
    "kto_parquet_user": [*_OLD, "--input", "{gen.json}", "--target", "kto", "--format", "parquet",
                         "--group-by", "user", "--seed", "3", "--eval-ratio", "0.25",
                         "--config", "{no-pii.yaml}"],
    "sharegpt_hf_config": [*_OLD, "--input", "{gen.json}", "--target", "sharegpt", "--format", "hf",
                           "--config", "{golden.yaml}"],
    "openai_last": [*_OLD, "--input", "{gen.json}", "--target", "openai", "--turns", "last",
                    "--feedback", "any", "--config", "{no-pii.yaml}"],
    "envelope": [*_STREAM, "--input", "{envelope.json}", "--quarantine", "{quarantine.jsonl}",
                 "--pii-review", "{review.jsonl}"],
    "jsonl": [*_STREAM, "--input", "{export.jsonl}", "--quarantine", "{q2.jsonl}"],
    "shards": [*_STREAM, "--input", "{shards}", "--feedback", "any", "--target", "sharegpt"],
    "parquet": [*_STREAM, "--input", "{envelope.json}", "--format", "parquet", "--turns", "last"],
}
FETCH_CASES = ("incremental",)


# --- inputs -----------------------------------------------------------------------------------

def _dumps(doc: Any) -> bytes:
    return json.dumps(doc, ensure_ascii=True).encode()


def write_inputs(root: Path) -> None:
    """The exports and configs the cases read, written under ``root`` from the bundled demo
    export and the sample generator (no fixture file is needed)."""
    from dsbuild.samples import demo_export_path
    from dsbuild.samples.generate import dump_export, generate_export

    root.mkdir(parents=True, exist_ok=True)
    (root / "golden.yaml").write_text(CONFIG_YAML)
    (root / "no-pii.yaml").write_text(NO_PII_YAML)
    dump_export(generate_export(240, 11), root / "gen.json")
    raw = demo_export_path().read_bytes()
    (root / "envelope.json").write_bytes(raw)  # it holds lone surrogate escapes
    demo = json.loads(raw)
    items = demo["data"]
    lines = [_dumps(i) for i in items[:200]]
    lines.insert(5, b"{not json")
    lines.insert(9, b"")
    lines.append(_dumps({"success": True, "message": "page", "data": items[200:260]}))
    lines += [_dumps(i) for i in items[260:]]
    (root / "export.jsonl").write_bytes(b"\n".join(lines) + b"\n")
    shards = root / "shards"
    shards.mkdir(exist_ok=True)
    (shards / "part-00000.jsonl").write_bytes(b"".join(_dumps(i) + b"\n" for i in items[:150]))
    (shards / "part-00001.json").write_bytes(_dumps({**demo, "data": items[150:300]}))
    (shards / "part-00002.jsonl").write_bytes(b"\n")
    (shards / "part-00003.jsonl").write_bytes(b"".join(_dumps(i) + b"\n" for i in items[300:]))


def case_args(name: str, inputs: Path, work: Path) -> list[str]:
    """``dsbuild make`` arguments of case ``name``: it reads ``inputs``, writes ``work/name``
    (and its side files next to it)."""
    from dsbuild.samples import demo_export_path

    args = ["make", "--out", str(work / name)]
    for arg in CASES[name]:
        if arg == "{demo}":
            arg = str(demo_export_path())
        elif arg.startswith("{"):
            arg = str((work if args[-1] in SIDE_FILE_FLAGS else inputs) / arg[1:-1])
        args.append(arg)
    return args


def side_files(args: list[str]) -> list[Path]:
    return [Path(args[i + 1]) for i, a in enumerate(args) if a in SIDE_FILE_FLAGS]


# --- digests ----------------------------------------------------------------------------------

def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def stable_manifest(data: bytes) -> dict[str, Any]:
    """The manifest without what differs between two runs; its key order is kept."""
    doc = orjson.loads(data)
    for key in VOLATILE_MANIFEST_KEYS:
        doc.pop(key, None)
    for step in (doc.get("steps") or {}).values():
        step.pop("seconds", None)
    return dict(doc)


def _stable_bytes(rel: str, data: bytes) -> bytes:
    if rel == "manifest.json":
        return orjson.dumps(stable_manifest(data), option=orjson.OPT_INDENT_2)
    if rel == "README.md":
        return re.sub(rb"\| built at \| [^|]* \|", b"| built at | - |", data)
    if rel.endswith("state.json"):  # datasets' random fingerprint of a saved split
        return re.sub(rb'"_fingerprint": "[0-9a-f]+"', b'"_fingerprint": ""', data)
    return data


def digest_build(out: Path, extra: list[Path]) -> dict[str, Any]:
    """Every file of ``out`` (and the side files, by name) as a sha256, and the manifest."""
    files = {}
    for p in sorted(out.rglob("*")):
        if p.is_file():
            rel = p.relative_to(out).as_posix()
            files[rel] = _sha(_stable_bytes(rel, p.read_bytes()))
    files.update({f"../{p.name}": _sha(p.read_bytes()) for p in extra})
    return {"files": files, "manifest": stable_manifest((out / "manifest.json").read_bytes())}


# --- running the cases ------------------------------------------------------------------------

def run_case(name: str, inputs: Path, work: Path) -> dict[str, Any]:
    """Build case ``name`` in process (``dsbuild make`` as a user runs it) into ``work``."""
    if name in FETCH_CASES:
        return incremental_cache(work)
    from click.testing import CliRunner

    from dsbuild.cli import main

    args = case_args(name, inputs, work)
    extra = side_files(args)
    r = CliRunner(env=GOLDEN_ENV).invoke(main, args, catch_exceptions=False)
    if r.exit_code != 0:
        raise AssertionError(f"golden case {name}: exit {r.exit_code}\n{r.output}")
    return digest_build(work / name, extra)


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
    return {"files": {"export.json": _sha(export.read_bytes())}}


def load_golden() -> dict[str, Any]:
    golden: dict[str, Any] = json.loads(GOLDEN_FILE.read_text())
    return golden


def record(dest: Path) -> None:
    """Re-record every case with the code first on ``sys.path``, isolated from this machine as
    the tests are (:func:`tests.helpers.isolated_environment`)."""
    from tests.helpers import isolated_environment

    with tempfile.TemporaryDirectory() as tmp, isolated_environment(Path(tmp) / "home"):
        inputs, work = Path(tmp) / "in", Path(tmp) / "work"
        write_inputs(inputs)
        work.mkdir()
        result = {name: run_case(name, inputs, work) for name in (*CASES, *FETCH_CASES)}
    dest.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    record(Path(sys.argv[1]) if len(sys.argv) > 1 else GOLDEN_FILE)
