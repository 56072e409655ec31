"""Package data built from libraries at build time (``build_data``, ``build_phones``): one
encoding, and one command line that writes the file or checks that the shipped one is current."""

from __future__ import annotations

import argparse
import gzip
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any


def encode(data: dict[str, Any]) -> bytes:
    """Canonical gzip JSON: sorted keys, no spaces, no timestamp (the same bytes for the same data)."""
    raw = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
    return gzip.compress(raw, compresslevel=9, mtime=0)


def write_or_check(build: Callable[[], dict[str, Any]], path: Path, description: str,
                   argv: list[str] | None = None) -> int:
    """``python -m <builder> [--check]``: write ``path`` from ``build()``, or with ``--check``
    exit 1 if the shipped file is not what ``build()`` makes now."""
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("--check", action="store_true", help="exit 1 if the shipped file is stale")
    args = ap.parse_args(argv)
    blob = encode(build())
    if args.check:
        ok = path.is_file() and path.read_bytes() == blob
        print("up to date" if ok else f"{path.name} is stale: rerun without --check")
        return 0 if ok else 1
    path.write_bytes(blob)
    print(f"wrote {path} ({len(blob):,} bytes)")
    return 0
