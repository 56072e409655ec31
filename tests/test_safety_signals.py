"""Issue 12 §2: an interrupted build leaves nothing; a killed one leaves only what the next run
removes. Real processes and real signals (the console script), nothing else would do."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from dsbuild.samples.generate import dump_export, generate_export
from tests.conftest import DSBUILD
from tests.safety_helpers import dsbuild, fast_config


@pytest.fixture(scope="module")
def big_export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("big") / "export.json"
    dump_export(generate_export(3000, seed=5), path)
    return path


def _start(tmp_path: Path, export: Path, *extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen([DSBUILD, "make", "--agent", "a", "--input", str(export), "--out",
                             "out", "--quarantine", "q.jsonl", *extra], cwd=tmp_path, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _temps(tmp_path: Path) -> list[Path]:
    return sorted(tmp_path.glob(".*tmp-*"))


def _wait_for_temp(tmp_path: Path, proc: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 120
    while not _temps(tmp_path):
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "the build never started writing"
        time.sleep(0.05)
    time.sleep(1.0)  # well inside the build: model loading or conversations


@pytest.mark.parametrize(("sig", "code"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_signal_removes_the_partial_output_and_exits(tmp_path: Path, big_export: Path,
                                                       sig: signal.Signals, code: int,
                                                       workers: str) -> None:
    proc = _start(tmp_path, big_export, "--workers", workers)
    _wait_for_temp(tmp_path, proc)
    proc.send_signal(sig)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == code, err
    word = "terminated" if code == 143 else "interrupted"
    assert err.strip().splitlines() == [f"dsbuild: error: {word}; the partial output was removed"]
    assert "Traceback" not in err and not out
    assert _temps(tmp_path) == [] and not (tmp_path / "out").exists()
    assert not (tmp_path / "q.jsonl").exists()


def test_a_killed_run_leaves_a_temp_dir_the_next_run_removes(tmp_path: Path, big_export: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    proc = _start(tmp_path, big_export)
    _wait_for_temp(tmp_path, proc)
    proc.kill()
    proc.communicate(timeout=60)
    left = _temps(tmp_path)
    assert left and all(str(proc.pid) in p.name for p in left)
    small = tmp_path / "small.json"
    dump_export(generate_export(20, seed=1), small)
    monkeypatch.chdir(tmp_path)
    # The same command again: the killed run's temp OUT dir and its streamed quarantine temp
    # (raw text) are both removed; the quarantine one by the run that writes that file again.
    r = dsbuild("make", "--agent", "a", "--input", str(small), "--out", "out",
                "--quarantine", "q.jsonl", config=fast_config(tmp_path))
    assert r.exit_code == 0, r.output
    assert _temps(tmp_path) == [] and (tmp_path / "out" / "manifest.json").is_file()


def test_a_running_build_keeps_its_temp_dir_from_a_second_run(tmp_path: Path, big_export: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    proc = _start(tmp_path, big_export)
    try:
        _wait_for_temp(tmp_path, proc)
        mine = _temps(tmp_path)
        small = tmp_path / "small.json"
        dump_export(generate_export(20, seed=1), small)
        monkeypatch.chdir(tmp_path)
        r = dsbuild("make", "--agent", "a", "--input", str(small), "--out", "out2",
                    config=fast_config(tmp_path))
        assert r.exit_code == 0, r.output
        assert all(p.exists() for p in mine)  # another OUT's, and alive: untouched
    finally:
        os.kill(proc.pid, signal.SIGTERM)
        proc.communicate(timeout=60)
