"""Shared fixtures: the bundled sample, generated exports, and the installed console script."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from dsbuild.samples import demo_export_path
from dsbuild.samples.generate import dump_export, generate_export

DSBUILD = shutil.which("dsbuild", path=str(Path(sys.executable).parent)) or "dsbuild"


def run_dsbuild(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None,
                input_: str | None = None, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """Run the installed ``dsbuild`` console script, as a user would."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run([DSBUILD, *args], cwd=cwd, env=full_env, input=input_, text=True,
                          capture_output=True, timeout=timeout)


@pytest.fixture(autouse=True, scope="session")
def _private_config_dir(tmp_path_factory: pytest.TempPathFactory):
    """Per-agent id secrets (dsbuild/secret.py) go to a temp dir, never the user's ~/.config;
    set in os.environ so console-script subprocesses inherit it."""
    old = os.environ.get("DSBUILD_CONFIG_DIR")
    os.environ["DSBUILD_CONFIG_DIR"] = str(tmp_path_factory.mktemp("dsbuild-config"))
    yield
    if old is None:
        os.environ.pop("DSBUILD_CONFIG_DIR", None)
    else:
        os.environ["DSBUILD_CONFIG_DIR"] = old


@pytest.fixture
def sample_export() -> Path:
    return demo_export_path()


@pytest.fixture
def make_export(tmp_path: Path):
    """Write a generated export (``n`` conversations, ``seed``) and return its path."""

    def _make(n: int = 60, seed: int = 1, name: str = "export.json") -> Path:
        path = tmp_path / name
        dump_export(generate_export(n, seed), path)
        return path

    return _make
