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


def test_a_killed_run_leaves_temps_the_next_run_of_that_out_removes(tmp_path: Path, big_export: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "priv").mkdir()
    proc = _start(tmp_path, big_export, "--pii-review", "priv/review.jsonl")
    _wait_for_temp(tmp_path, proc)
    deadline = time.monotonic() + 60
    while not list((tmp_path / "priv").glob(".review.jsonl.tmp-*")):
        assert proc.poll() is None and time.monotonic() < deadline, "the review file never started"
        time.sleep(0.05)
    proc.kill()
    proc.communicate(timeout=60)
    left = _temps(tmp_path) + sorted((tmp_path / "priv").glob(".*tmp-*"))
    # the temp OUT dir and both private files' temps (raw text), all named by the dead run's pid
    assert {p.name.split(".tmp-")[0] for p in left} >= {".out", ".q.jsonl", ".review.jsonl"}
    assert all(f".tmp-{proc.pid}-" in p.name for p in left)
    # Not the killed run's (another pid), or not a file it claimed: the next run leaves them.
    others = [tmp_path / "priv" / ".review.jsonl.tmp-999999999-x", tmp_path / f".notes.tmp-{proc.pid}-x",
              tmp_path / "priv" / f".draft.txt.tmp-{proc.pid}-x"]
    for p in others:
        p.write_text("not the killed run's to remove")
    small = tmp_path / "small.json"
    dump_export(generate_export(20, seed=1), small)
    monkeypatch.chdir(tmp_path)
    # The same OUT again, without --quarantine or --pii-review: it still removes everything the
    # killed run of that OUT left, and nothing else.
    r = dsbuild("make", "--agent", "a", "--input", str(small), "--out", "out",
                config=fast_config(tmp_path))
    assert r.exit_code == 0, r.output
    assert all(not p.exists() for p in left) and all(p.exists() for p in others)
    assert (tmp_path / "out" / "manifest.json").is_file()
    assert not (tmp_path / "q.jsonl").exists() and not (tmp_path / "priv" / "review.jsonl").exists()


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


def test_a_signal_that_a_finaliser_swallowed_still_ends_the_build(capsys: pytest.CaptureFixture[str]) -> None:
    """A signal landing inside a ``__del__`` (garbage collection) raises there, and Python
    prints "Exception ignored" and goes on: CI once saw a SIGTERM'd build run to the end and
    exit 0. The build's loop asks raise_caught between batches, so it still ends, quietly."""
    import os

    from dsbuild.interrupt import Terminated, raise_caught, terminate_raises

    class Finaliser:
        def __del__(self) -> None:
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(0.05)  # the handler runs here, inside the finaliser

    reached = False
    with pytest.raises(Terminated), terminate_raises():
        obj = Finaliser()
        del obj  # the signal's exception is swallowed here
        reached = True
        raise_caught()
    assert reached  # it did not end the block where it landed
    assert "Exception ignored" not in capsys.readouterr().err
