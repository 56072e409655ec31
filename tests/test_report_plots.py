"""Charts are real PNG files with the expected titles, also when there is nothing to draw."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from dsbuild.report.dataset_stats import compute_stats
from dsbuild.report.plot_workers import PlotWorkers, plot_workers, share
from dsbuild.report.plots import CHARTS, write_plots
from tests.report_fixtures import write_small_dataset

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _check_charts(written: dict[str, Path], directory: Path) -> None:
    assert set(written) == set(CHARTS)
    for key, path in written.items():
        assert path.parent == directory
        assert path.read_bytes()[:8] == PNG_SIGNATURE
        with Image.open(path) as img:
            img.load()
            assert img.format == "PNG"
            assert img.size == (800, 450)
            assert img.text["Title"] == CHARTS[key]
            # something was drawn: a blank canvas has a single colour
            assert len(img.convert("L").getcolors(maxcolors=1 << 16) or range(2)) > 1


def test_every_chart_is_a_png_with_its_title(tmp_path: Path) -> None:
    stats = compute_stats(write_small_dataset(tmp_path / "out"))
    _check_charts(write_plots(stats, tmp_path / "charts"), tmp_path / "charts")
    assert {t for t in CHARTS.values()} >= {"Messages per record", "Label balance per split",
                                            "PII entities by type", "Conversations dropped by reason"}


def test_charts_are_written_when_nothing_was_recorded(tmp_path: Path) -> None:
    stats = compute_stats(write_small_dataset(tmp_path / "out", None))
    assert stats.pii_status == "not_recorded" and not stats.drops
    _check_charts(write_plots(stats, tmp_path / "p"), tmp_path / "p")


def _bytes(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir())}


def test_charts_drawn_by_the_helper_processes_are_the_same_bytes(tmp_path: Path) -> None:
    stats = compute_stats(write_small_dataset(tmp_path / "out"))
    write_plots(stats, tmp_path / "here")
    workers = PlotWorkers(2)
    try:
        _check_charts(workers.write_plots(stats, tmp_path / "helper"), tmp_path / "helper")
        assert workers.proc is not None and workers.proc.poll() is None  # it drew them, and waits
        workers.write_plots(stats, tmp_path / "again")  # one helper serves every request
    finally:
        workers.close()
    assert _bytes(tmp_path / "helper") == _bytes(tmp_path / "here") == _bytes(tmp_path / "again")


def test_charts_are_drawn_here_when_the_helper_is_gone(tmp_path: Path) -> None:
    stats = compute_stats(write_small_dataset(tmp_path / "out"))
    workers = PlotWorkers(2)
    assert workers.proc is not None
    workers.proc.kill()
    workers.proc.wait()
    try:
        _check_charts(workers.write_plots(stats, tmp_path / "p"), tmp_path / "p")
    finally:
        workers.close()


def test_the_charts_are_shared_out_by_cost() -> None:
    shares = share(list(CHARTS), 2)
    assert sorted(k for s in shares for k in s) == sorted(CHARTS)
    assert "messages_per_record" in shares[0] and "assistant_tokens" in shares[1]  # the histograms
    assert share(list(CHARTS), 1) == [list(CHARTS)]


def test_the_builds_of_one_process_share_one_helper_until_one_fails(tmp_path: Path) -> None:
    stats = compute_stats(write_small_dataset(tmp_path / "out"))
    with plot_workers() as first:
        if first is None:
            pytest.skip("one core: no helper")
        first.write_plots(stats, tmp_path / "a")
    with plot_workers() as second:
        assert second is first and second.alive()  # matplotlib loaded once per process
    with pytest.raises(KeyError), plot_workers() as third:
        assert third is first
        raise KeyError("a build failed")
    assert not first.alive()
    with plot_workers() as fresh:  # the next build starts a new one
        assert fresh is not None and fresh is not first and fresh.alive()
        _check_charts(fresh.write_plots(stats, tmp_path / "b"), tmp_path / "b")
    assert _bytes(tmp_path / "a") == _bytes(tmp_path / "b")
