"""Shared by the safety tests (issue 12): a small export and an in-process ``dsbuild``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result

from dsbuild.cli import main
from tests.helpers import envelope, item, text, turn

# No charts: they cost seconds and say nothing about paths or leaks.
FAST_CONFIG = "card:\n  plots: false\n"


def small_export(n: int = 4, **convo: Any) -> dict[str, Any]:
    return envelope(*[item(turn("user", text(f"How do I reset my password, attempt {i}?")),
                           turn("bot", text(f"Open Settings, then Security ({i}).")),
                           id=f"c{i}", **convo) for i in range(n)])


def write_json(path: Path, doc: Any) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def dsbuild(*args: str, config: Path | None = None) -> Result:
    """``dsbuild ARGS`` in this process (the caller chdirs where it should run)."""
    extra = ["--config", str(config)] if config is not None and args[:1] == ("make",) else []
    return CliRunner().invoke(main, [*args, *extra])


def fast_config(tmp_path: Path, extra: str = "") -> Path:
    path = tmp_path / "fast.yaml"
    path.write_text(FAST_CONFIG + extra, encoding="utf-8")
    return path


def tree(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` with its bytes: a before/after picture."""
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}
