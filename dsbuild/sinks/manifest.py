"""``manifest.json``: what was built, from what, with which settings and versions."""

from __future__ import annotations

import platform
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import Any

import orjson

from dsbuild import __version__

KEY_PACKAGES = ("orjson", "click", "httpx", "datasets", "presidio-analyzer", "presidio-anonymizer",
                "spacy", "pyyaml")


def package_versions() -> dict[str, str | None]:
    out: dict[str, str | None] = {"dsbuild": __version__, "python": platform.python_version()}
    for name in KEY_PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = None
    return out


def write_manifest(path: Path, content: dict[str, Any]) -> None:
    doc = {"created_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
           "versions": package_versions(), **content}
    path.write_bytes(orjson.dumps(doc, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE))
