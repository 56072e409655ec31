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
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from dsbuild.samples import demo_export_path
from dsbuild.samples.generate import dump_export, generate_export
from tests.helpers import isolated_environment

DSBUILD = shutil.which("dsbuild", path=str(Path(sys.executable).parent)) or "dsbuild"


@pytest.fixture(autouse=True, scope="session")
def isolated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """For the whole session (session-scoped builds included); a test's own ``monkeypatch``
    changes are undone back to this state."""
    with isolated_environment(tmp_path_factory.getbasetemp() / "home"):
        yield


@pytest.fixture(scope="session")
def no_pii_config(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``--config`` for tests about something else than PII and charts: both off (faster)."""
    path = tmp_path_factory.mktemp("config") / "no-pii.yaml"
    path.write_text("pii:\n  enabled: false\ncard:\n  plots: false\n")
    return path


@pytest.fixture(scope="session")
def no_charts_config(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("config") / "no-charts.yaml"
    path.write_text("card:\n  plots: false\n")
    return path


@dataclass(frozen=True)
class SampleBuild:
    out: Path
    quarantine: Path
    result: subprocess.CompletedProcess[str]


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory: pytest.TempPathFactory, isolated: None) -> SampleBuild:
    """One default build of the bundled sample (with ``--quarantine``), shared by the tests that
    only read what it wrote."""
    base = tmp_path_factory.mktemp("sample-build")
    out, q = base / "out", base / "quarantine.jsonl"
    r = run_dsbuild("make", "--agent", "a", "--input", str(demo_export_path()), "--out", str(out),
                    "--quarantine", str(q), cwd=base)
    assert r.returncode == 0, r.stderr
    return SampleBuild(out, q, r)


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
