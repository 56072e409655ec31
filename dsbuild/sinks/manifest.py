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


def manifest_doc(content: dict[str, Any]) -> dict[str, Any]:
    """``content`` stamped with the time of the build and the versions that made it."""
    return {"created_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "versions": package_versions(), **content}


def write_manifest(path: Path, doc: dict[str, Any]) -> None:
    path.write_bytes(orjson.dumps(doc, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE))
