"""The trainers' loaders run as ``make test-trainers`` sets them up (see the Makefile).

LLaMA-Factory imports ``torchaudio`` at module level (for audio inputs only). No torchaudio wheel
matches the test venv's CPU torch, and the text loaders these tests exercise never call it, so
when it cannot be imported an empty stand-in module takes its place: a test that reached audio
code would fail on it, not pass. Only where LLaMA-Factory is installed (the trainers venv):
``make test`` collects this folder too, and its other tests must see the real environment.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import os
import sys
import types

TRAINERS_VENV = importlib.util.find_spec("llamafactory") is not None

if TRAINERS_VENV and "torchaudio" not in sys.modules:
    try:
        import torchaudio  # noqa: F401
    except (ImportError, OSError):
        _stub = types.ModuleType("torchaudio")
        _stub.__spec__ = importlib.machinery.ModuleSpec("torchaudio", None)
        sys.modules["torchaudio"] = _stub

if TRAINERS_VENV:
    os.environ.setdefault("DISABLE_VERSION_CHECK", "1")  # LLaMA-Factory pins transformers<=5.6
    os.environ.setdefault("AXOLOTL_DO_NOT_TRACK", "1")  # axolotl's telemetry is opt-out
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
