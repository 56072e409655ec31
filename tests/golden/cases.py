"""Builds whose outputs were recorded from main's code before issue 14 landed (``golden.json``).

The refactor into steps and typed config must not change a byte of any output. Each case is a
``dsbuild make`` command line; ``python tests/golden/cases.py OUTFILE WORKDIR`` re-records the
digests (run it only on purpose: with the code whose output is the reference).

The cases switch PII scrubbing off: what they guard is the pipeline, the config, the targets,
formats, manifest and card, and PII work elsewhere changes the scrubbed text on purpose (the PII
stage has its own tests). Issue 14 was also checked with PII on, against main at 7917a58.
"""

from __future__ import annotations

import hashlib
import re
import sys
from pathlib import Path
from typing import Any

import orjson

# Fields that differ between two runs of the same build by design (also: the card's
# "built at" row and the random ``_fingerprint`` of a saved ``datasets`` split).
VOLATILE_MANIFEST_KEYS = ("created_at",)
# The default id key is a per-machine secret (issue 12): goldens use a fixed salt instead.
GOLDEN_ENV = {"DSBUILD_ID_SALT": "golden"}

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

# name -> (export: "demo" | "generated", extra flags)
CASES: dict[str, tuple[str, list[str]]] = {
    "demo_default": ("demo", ["--config", "{nopii}"]),
    "kto_parquet_user": ("generated", ["--target", "kto", "--format", "parquet",
                                       "--group-by", "user", "--seed", "3", "--eval-ratio", "0.25",
                                       "--config", "{nopii}"]),
    "sharegpt_hf_config": ("generated", ["--target", "sharegpt", "--format", "hf",
                                         "--config", "{config}"]),
    "openai_last": ("generated", ["--target", "openai", "--turns", "last", "--feedback", "any",
                                  "--config", "{nopii}"]),
}


def manifest_normalised(data: bytes) -> bytes:
    doc = orjson.loads(data)
    for key in VOLATILE_MANIFEST_KEYS:
        doc.pop(key, None)
    _drop_seconds(doc)
    return orjson.dumps(doc, option=orjson.OPT_INDENT_2)


def _drop_seconds(doc: Any) -> None:
    """Per-step wall times (added by issue 14) are the only new, volatile manifest fields."""
    if isinstance(doc, dict):
        doc.pop("steps", None)
        for v in doc.values():
            _drop_seconds(v)


def digest_tree(out: Path) -> dict[str, str]:
    files = {}
    for p in sorted(out.rglob("*")):
        if not p.is_file():
            continue
        rel = p.relative_to(out).as_posix()
        data = p.read_bytes()
        if rel == "manifest.json":
            data = manifest_normalised(data)
        elif rel == "README.md":
            data = re.sub(rb"\| built at \| [^|]* \|", b"| built at | - |", data)
        elif rel.endswith("state.json"):  # datasets' random fingerprint of a saved split
            data = re.sub(rb'"_fingerprint": "[0-9a-f]+"', b'"_fingerprint": ""', data)
        files[rel] = hashlib.sha256(data).hexdigest()
    return files


def case_args(name: str, export: Path, out: Path, config: Path) -> list[str]:
    _, flags = CASES[name]
    nopii = config.with_name("no-pii.yaml")
    flags = [f.replace("{config}", str(config)).replace("{nopii}", str(nopii)) for f in flags]
    return ["make", "--agent", "golden-agent", "--input", str(export), "--out", str(out),
            "--quiet", *flags]


def generated_export(path: Path) -> Path:
    from dsbuild.samples.generate import dump_export, generate_export

    dump_export(generate_export(240, 11), path)
    return path


def record(dest: Path, work: Path) -> None:
    import os
    import subprocess

    from dsbuild.samples import demo_export_path

    work.mkdir(parents=True, exist_ok=True)
    config = work / "golden.yaml"
    config.write_text(CONFIG_YAML)
    config.with_name("no-pii.yaml").write_text(NO_PII_YAML)
    exports = {"demo": demo_export_path(), "generated": generated_export(work / "gen.json")}
    env = {**{k: v for k, v in os.environ.items()
              if k not in ("DSBUILD_ID_SALT", "CONVOCORE_API_BASE", "RAY_ADDRESS")}, **GOLDEN_ENV}
    result = {}
    for name, (export, _) in CASES.items():
        out = work / name
        cmd = [str(Path(sys.executable).parent / "dsbuild"),
               *case_args(name, exports[export], out, config), "--overwrite"]
        subprocess.run(cmd, check=True, env=env, cwd=work)
        result[name] = digest_tree(out)
    dest.write_bytes(orjson.dumps(result, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE))


if __name__ == "__main__":
    record(Path(sys.argv[1]), Path(sys.argv[2]))
