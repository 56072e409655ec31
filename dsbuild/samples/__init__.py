"""A bundled synthetic export (``demo_export.json``) and the generator that made it."""

from importlib import resources
from pathlib import Path


def demo_export_path() -> Path:
    return Path(str(resources.files(__name__) / "demo_export.json"))
