"""A build imports neither torch nor transformers; a process that trains afterwards still can."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(importlib.util.find_spec("torch") is None
                                or importlib.util.find_spec("transformers") is None,
                                reason="the training extra (torch, transformers) is not installed")


def run(code: str, tmp_path: Path) -> str:
    r = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=False,
                       timeout=600)
    assert r.returncode == 0, r.stderr[-2000:]
    return r.stdout


def test_a_pii_build_loads_no_torch_and_training_after_it_still_works(tmp_path: Path) -> None:
    out = run("""
import sys
from click.testing import CliRunner
from dsbuild.cli import main
from dsbuild.samples import demo_export_path
res = CliRunner().invoke(main, ["make", "--agent", "a", "--input", str(demo_export_path()),
                                "--out", "out", "--workers", "1", "-q"])
assert res.exit_code == 0, res.output
print("after build:", "torch" in sys.modules, "transformers" in sys.modules)
import torch, transformers
model = transformers.LlamaForCausalLM(transformers.LlamaConfig(
    vocab_size=32, hidden_size=8, intermediate_size=16, num_hidden_layers=1,
    num_attention_heads=2, num_key_value_heads=2))
loss = model(input_ids=torch.tensor([[1, 2, 3]]), labels=torch.tensor([[1, 2, 3]])).loss
loss.backward()
print("trained:", float(loss) > 0)
""", tmp_path)
    assert "after build: False False" in out and "trained: True" in out


def test_torch_imported_first_is_left_to_spacy(tmp_path: Path) -> None:
    out = run("import torch, dsbuild, spacy, thinc.compat; print(thinc.compat.has_torch)", tmp_path)
    assert out.strip() == "True"


def test_the_probes_can_be_kept(tmp_path: Path) -> None:
    code = ("import os; os.environ['DSBUILD_DEEP_IMPORTS'] = '1'\n"
            "import dsbuild, spacy, thinc.compat; print(thinc.compat.has_torch)")
    assert run(code, tmp_path).strip() == "True"
