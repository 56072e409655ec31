"""``--engine ray``: the same dataset as the local engine, built on a local Ray with 2 CPUs.

One Ray instance serves the whole session (starting one costs seconds). Actors take half a CPU
each, so two fit next to the test process; the timeout makes a hang fail fast instead of eating
CI time.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest

from dsbuild.config import Config, RayConfig, load_config
from dsbuild.convocore.export_file import read_export
from dsbuild.counters import RunCounters
from dsbuild.engines.ray_engine import WINDOW_PER_ACTOR, run_ray
from dsbuild.errors import DsbuildError, InputDataError
from dsbuild.pipeline import build
from dsbuild.process import ConversationProcessor
from tests.conftest import run_dsbuild, run_dsbuild_process

# `make test` runs pytest-xdist with --dist loadfile: this module's tests share one worker and Ray.
# 420 s: beside a second xdist worker on a busy two-core machine the engine comparison took
# 160-180 s (72 s alone); a hang still fails before the suite's 600 s.
pytestmark = [pytest.mark.slow, pytest.mark.timeout(420)]

RAY_ENV = {"RAY_AUTH_MODE": "disabled", "RAY_USAGE_STATS_ENABLED": "0"}
SMALL_POOL = {"ray.actors": 2, "ray.cpus_per_actor": 0.5, "ray.batch_size": 16}


@pytest.fixture(scope="session")
def ray_address() -> Iterator[str]:
    """A local Ray for the session; yields its address so a CLI run can join it."""
    with pytest.MonkeyPatch.context() as mp:
        for k, v in RAY_ENV.items():
            mp.setenv(k, v)
        import ray

        ray.init(num_cpus=2, include_dashboard=False, logging_level="WARNING", log_to_driver=False)
        try:
            yield ray.get_runtime_context().gcs_address
        finally:
            ray.shutdown()


def _config(export: Path, out: Path, **overrides: Any) -> Config:
    return load_config(None, {"agent": "a", "input": str(export), "out": str(out), **overrides},
                       env={})


def _rows(path: Path) -> list[dict[str, Any]]:
    return [orjson.loads(line) for line in path.read_bytes().splitlines()]


# Counters of the run rather than the data (the PII branch's per-process analysis cache, and
# the tiers of the texts it analysed on a miss) depend on how batches were spread over workers,
# as they do between --workers 1 and 2 locally. Every count about the data must match.
RUN_COUNTERS = ("pii_cache", "pii_tier")


def _manifest(out: Path) -> dict[str, Any]:
    m = json.loads((out / "manifest.json").read_text())
    # the config names the engine; per-step seconds are wall times
    for volatile in ("created_at", "config", "config_sha256"):
        m.pop(volatile, None)
    for step in m.get("steps", {}).values():
        step.pop("seconds", None)
        for section in RUN_COUNTERS:
            step["counts"].pop(section, None)
    for section in RUN_COUNTERS:
        m.get("stats", {}).pop(section, None)
    return m


def test_ray_engine_builds_the_same_dataset_as_local(tmp_path: Path, make_export, ray_address: str) -> None:
    export = make_export(n=240, seed=5)
    local = build(_config(export, tmp_path / "local"), quarantine=tmp_path / "local.q.jsonl")
    on_ray = build(_config(export, tmp_path / "ray", engine="ray", **SMALL_POOL),
                   quarantine=tmp_path / "ray.q.jsonl")

    # The export repeats conversations under other ids, many batches apart: dedup must be global.
    assert local.counts()["duplicates"] > 0
    assert on_ray.counts() == local.counts()
    for split in ("train", "test"):
        mine, theirs = _rows(tmp_path / "ray" / f"{split}.jsonl"), _rows(tmp_path / "local" / f"{split}.jsonl")
        assert mine, split
        key = lambda r: r["conversation_id"]  # noqa: E731
        assert sorted(mine, key=key) == sorted(theirs, key=key)
        # Stronger still: the same rows in the same order, byte for byte.
        ray_rows, local_rows = (tmp_path / e / f"{split}.jsonl" for e in ("ray", "local"))
        assert ray_rows.read_bytes() == local_rows.read_bytes()
    assert _manifest(tmp_path / "ray") == _manifest(tmp_path / "local")
    assert (tmp_path / "ray.q.jsonl").read_bytes() == (tmp_path / "local.q.jsonl").read_bytes()


def test_cli_make_engine_ray_joins_a_cluster_by_address(tmp_path: Path, make_export,
                                                        ray_address: str, no_pii_config: Path) -> None:
    export = make_export(n=80, seed=9)
    # PII in the actors is the test above; this one is about the CLI finding the cluster
    base = ["make", "--agent", "a", "--input", str(export), "--quiet", "--config", str(no_pii_config)]
    local = run_dsbuild(*base, "--out", str(tmp_path / "local"))
    on_ray = run_dsbuild_process(*base, "--out", str(tmp_path / "ray"), "--engine", "ray",
                         env={**RAY_ENV, "RAY_ADDRESS": ray_address}, timeout=400)
    assert local.returncode == 0 and on_ray.returncode == 0, on_ray.stderr
    assert on_ray.stdout.strip().splitlines()[-1] == str(tmp_path / "ray")
    for split in ("train.jsonl", "test.jsonl"):
        assert (tmp_path / "ray" / split).read_bytes() == (tmp_path / "local" / split).read_bytes()
    manifest = json.loads((tmp_path / "ray" / "manifest.json").read_text())
    assert manifest["config"]["engine"] == "ray"
    assert ray_address not in json.dumps(manifest)  # a cluster's host name is not dataset metadata


class CountingProcessor(ConversationProcessor):
    """Builds a stand-in for heavy state (the PII engine) lazily and counts where and how often."""

    _engine: int | None = None

    def __call__(self, batch: Any) -> tuple[list[Any], RunCounters]:
        outcomes, stats = super().__call__(batch)
        if self._engine is None:
            self._engine = os.getpid()
            stats.add("engine_builds", str(os.getpid()))
        stats.add("batches_run", str(os.getpid()))
        return outcomes, stats


def test_heavy_state_is_built_once_per_actor_not_per_batch(tmp_path: Path, make_export,
                                                           ray_address: str) -> None:
    _, items = read_export(make_export(n=200, seed=2))
    settings = RayConfig(actors=2, cpus_per_actor=0.5, batch_size=10)
    total = RunCounters()
    n_batches = 0
    for _, stats in run_ray(CountingProcessor(Config(agent="a")), list(items), settings):
        total += stats
        n_batches += 1
    builds, ran = total.section("engine_builds"), total.section("batches_run")
    assert n_batches >= 20 and sum(ran.values()) == n_batches
    assert os.getpid() not in {int(pid) for pid in ran}  # the work ran in actors
    assert set(builds) == set(ran) and set(builds.values()) == {1}  # one build per actor
    assert 1 <= len(builds) <= 2


class Tagging(ConversationProcessor):
    """Hands back each item's number; the first batch is slow, so later ones finish first."""

    def warm_up(self) -> None:
        pass

    def __call__(self, batch: Any) -> tuple[list[Any], RunCounters]:
        if batch[0]["n"] == 0:
            time.sleep(1.0)
        return [it["n"] for it in batch], RunCounters()


def test_the_driver_reads_a_bounded_window_ahead_and_yields_in_input_order(ray_address: str) -> None:
    read = 0

    def export() -> Iterator[dict[str, int]]:
        nonlocal read
        for n in range(300):
            read += 1
            yield {"n": n}

    settings = RayConfig(actors=2, cpus_per_actor=0.5, batch_size=10)
    handed: list[int] = []
    ahead = []
    for outcomes, _ in run_ray(Tagging(Config(agent="a")), export(), settings):
        handed += outcomes
        ahead.append(read - len(handed))
    assert handed == list(range(300))  # in order, although batch 0 finished last of its window
    # Never the whole export in flight: the window, plus the batch being cut.
    assert max(ahead) <= (WINDOW_PER_ACTOR * 2 + 1) * 10
    assert max(ahead) >= 10  # and batches did overlap


def _python(code: str, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code, *args], cwd=cwd, text=True,
                          capture_output=True, timeout=120)


def test_engine_ray_without_ray_installed_says_how_to_install(tmp_path: Path, make_export) -> None:
    # Ray is installed here, so its absence is simulated: a None entry in sys.modules makes
    # `import ray` fail exactly as it does when the package is missing.
    code = ("import sys; sys.modules['ray'] = None; from dsbuild.cli import main;"
            " sys.argv = ['dsbuild', *sys.argv[1:]]; main()")
    out = tmp_path / "out"
    r = _python(code, "make", "--agent", "a", "--input", str(make_export(n=10)), "--out", str(out),
                "--engine", "ray", cwd=tmp_path)
    assert r.returncode == 2, r.stderr
    assert "pip install 'dsbuild[ray]'" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    assert not out.exists()


def test_local_engine_never_imports_ray(tmp_path: Path, make_export) -> None:
    code = ("import sys; from dsbuild.cli import main; sys.argv = ['dsbuild', *sys.argv[1:]]\n"
            "try:\n    main()\nexcept SystemExit as e:\n    assert not e.code, e.code\n"
            "print('ray imported' if 'ray' in sys.modules else 'no ray')")
    r = _python(code, "make", "--agent", "a", "--input", str(make_export(n=10)),
                "--out", str(tmp_path / "out"), "--quiet", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip().splitlines()[-1] == "no ray"


def test_unreachable_cluster_address_fails_fast_with_one_line(tmp_path: Path, make_export) -> None:
    import socket

    with socket.socket() as s:  # a port nothing listens on once closed
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    out = tmp_path / "out"
    r = run_dsbuild_process("make", "--agent", "a", "--input", str(make_export(n=10)), "--out", str(out),
                            "--engine", "ray", "--ray-address", f"127.0.0.1:{port}", env=RAY_ENV, timeout=60)
    assert r.returncode == 4, r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    assert f"cannot reach the Ray cluster at 127.0.0.1:{port}" in r.stderr
    assert not out.exists()


class FailingProcessor(ConversationProcessor):
    """A processor whose input is bad on the third batch, as a stage may find out in a worker."""

    def __call__(self, batch: Any) -> tuple[list[Any], RunCounters]:
        if any(isinstance(it, dict) and it.get("poison") for it in batch):
            raise InputDataError("conversation 42: a stage refused it")
        return super().__call__(batch)


def test_a_users_error_in_an_actor_reaches_the_driver_as_itself(make_export, ray_address: str) -> None:
    _, items = read_export(make_export(n=30, seed=1))
    items = list(items)
    items.insert(25, {"poison": True})
    with pytest.raises(InputDataError, match="conversation 42: a stage refused it"):
        list(run_ray(FailingProcessor(Config(agent="a")), items, RayConfig(actors=1, batch_size=10)))


def test_a_crash_in_an_actor_is_one_error_with_a_hint(make_export, ray_address: str) -> None:
    class Crash(ConversationProcessor):
        def __call__(self, batch: Any) -> tuple[list[Any], RunCounters]:
            raise RuntimeError("bug")

    _, items = read_export(make_export(n=10, seed=1))
    with pytest.raises(DsbuildError, match="a Ray worker failed") as info:
        list(run_ray(Crash(Config(agent="a")), list(items), RayConfig(actors=1, batch_size=10)))
    assert "RuntimeError" in str(info.value.__cause__)


def test_help_documents_the_engine_options() -> None:
    text = " ".join(run_dsbuild("make", "--help").stdout.split())
    for needle in ("--engine [local|ray]", "[default: local]", "--ray-address HOST:PORT",
                   "RAY_ADDRESS", "pip install 'dsbuild[ray]'"):
        assert needle in text, needle
