"""The fine-tuning notebooks really train, in smoke mode, on what `dsbuild make` built.

Each notebook runs top to bottom in a real Jupyter kernel (nbclient): it loads the output, builds
a tiny model offline (tokenizer trained on the data, 2-layer Llama) and trains a few CPU steps
with TRL. ``HF_HUB_OFFLINE=1``: nothing may be downloaded.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # trains a tiny model per notebook

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("trl")

from tests.conftest import run_dsbuild  # noqa: E402

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
STEPS = 3


def run_notebook(name: str, data: Path, tmp_path: Path) -> tuple[dict, str]:
    """Execute a notebook in smoke mode; return its SUMMARY line and all its text output."""
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    env = {**os.environ, "DSBUILD_DATA": str(data), "DSBUILD_MODEL": "smoke",
           "DSBUILD_MAX_STEPS": str(STEPS), "DSBUILD_OUTPUT_DIR": str(tmp_path / "run"),
           "HF_HUB_OFFLINE": "1", "HF_HOME": str(tmp_path / "hf_home"),
           "TOKENIZERS_PARALLELISM": "false", "OMP_NUM_THREADS": "2"}
    client = nbclient.NotebookClient(nb, timeout=240, kernel_name="python3",
                                     resources={"metadata": {"path": str(tmp_path)}})
    client.execute(env=env)
    text = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream":
                text.append(out["text"])
            elif "data" in out and "text/plain" in out["data"]:
                text.append(out["data"]["text/plain"])
    text_out = "\n".join(text)
    line = next(ln for ln in text_out.splitlines() if ln.startswith("SUMMARY "))
    return json.loads(line.removeprefix("SUMMARY ")), text_out


def make_dataset(tmp_path: Path, export: Path,
                 *extra: str) -> tuple[subprocess.CompletedProcess[str], Path]:
    out = tmp_path / "out"
    r = run_dsbuild("make", "--agent", "nb-agent", "--input", str(export), "--out", str(out),
                    "-q", *extra)
    return r, out


def test_sft_notebook_trains_on_assistant_tokens_only(tmp_path: Path, make_export) -> None:
    r, out = make_dataset(tmp_path, make_export(n=60, seed=3))
    assert r.returncode == 0, r.stderr
    summary, text = run_notebook("finetune_sft.ipynb", out, tmp_path)

    train = [json.loads(x) for x in (out / "train.jsonl").read_text().splitlines()]
    assert summary["steps"] == STEPS
    assert summary["train_rows"] == len(train)
    assert summary["eval_loss"] is not None  # the test split was evaluated
    assert 0 < summary["trained_token_share"] < 1  # assistant-only loss: some tokens are masked
    # The notebook printed the tokens that carry loss for the first example: the assistant's
    # replies are in it and the user's messages are not.
    first = train[0]["messages"]
    trained = text.split("tokens carry loss:\n", 1)[1][:600]
    reply = next(m["content"] for m in first if m["role"] == "assistant")
    assert reply[:40] in trained
    for m in first:
        if m["role"] == "user" and m["content"] not in "".join(
                x["content"] for x in first if x["role"] == "assistant"):
            assert m["content"] not in trained
    assert (tmp_path / "run" / "final" / "config.json").exists()
    assert "records" in text  # the manifest counts were shown


def test_kto_notebook_trains_on_the_kto_target(tmp_path: Path, make_export) -> None:
    r, out = make_dataset(tmp_path, make_export(n=80, seed=5), "--target", "kto",
                          "--feedback", "any")
    assert r.returncode == 0, r.stderr
    rows = [json.loads(x) for x in (out / "train.jsonl").read_text().splitlines()]
    summary, text = run_notebook("finetune_kto.ipynb", out, tmp_path)
    assert summary["steps"] == STEPS
    weights = json.loads((out / "manifest.json").read_text())["kto_weights"]
    assert f"desirable_weight={weights['desirable_weight']:.2f}" in text  # the manifest's weights
    assert "ideal range" not in text  # and TRL does not warn about them
    assert summary["desirable"] == sum(r["label"] for r in rows)
    assert summary["undesirable"] == sum(not r["label"] for r in rows)
    assert (tmp_path / "run" / "final" / "config.json").exists()
