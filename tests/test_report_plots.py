"""Charts are real PNG files with the expected titles, also when there is nothing to draw."""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from dsbuild.report.dataset_stats import compute_stats
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
