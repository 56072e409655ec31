"""Keep spaCy and Presidio from importing torch and transformers in a build.

Both probe optional deep-learning packages at import time whenever they are installed (the
training extra installs them): thinc (``thinc/compat.py``: ``try: import torch``), Presidio's
device detector (``import torch`` to look for CUDA, run when ``presidio_analyzer`` is imported)
and Presidio's Hugging Face token pipe (``from transformers import pipeline``). A build uses
neither: the spaCy pipelines are thinc/numpy, Presidio runs on them on the CPU. Those probes
cost several hundred MB and seconds in every build process and worker.

:func:`install` (run when ``dsbuild`` is imported) makes those probes, and only those, find
nothing: a hidden import fails only while it is made from one of :data:`PROBES`, and only if
the package is not imported yet. ``import torch`` or ``import transformers`` anywhere else,
before or after, works as usual, so a notebook that imports dsbuild, builds, then trains with
transformers or TRL is unaffected. What such a process loses is the probing packages' own
torch interop (spaCy models that wrap PyTorch layers such as ``spacy-transformers``, Presidio's
transformers NER, Presidio on a GPU). Set ``DSBUILD_DEEP_IMPORTS=1`` before importing dsbuild
to keep them.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from importlib.abc import MetaPathFinder
from importlib.machinery import ModuleSpec
from types import ModuleType

ENV = "DSBUILD_DEEP_IMPORTS"
HIDDEN = ("torch", "transformers")
PROBES = frozenset({"thinc.compat", "presidio_analyzer.nlp_engine.device_detector",
                    "presidio_analyzer.nlp_engine.huggingface_token_pipe",
                    "presidio_analyzer.predefined_recognizers.ner.huggingface_ner_recognizer"})


class _HideFromProbes(MetaPathFinder):
    def find_spec(self, fullname: str, path: Sequence[str] | None = None,
                  target: ModuleType | None = None) -> ModuleSpec | None:
        top = fullname.partition(".")[0]
        if top in HIDDEN and top not in sys.modules and _probe_importing():
            raise ModuleNotFoundError(f"{top} is not used by a dsbuild build (dsbuild/lean_imports.py)",
                                      name=fullname)
        return None


def _probe_importing() -> bool:
    frame = sys._getframe(1)
    while frame is not None:
        if frame.f_globals.get("__name__") in PROBES:
            return True
        frame = frame.f_back  # type: ignore[assignment]
    return False


def install() -> None:
    """Hide :data:`HIDDEN` from :data:`PROBES`, unless the user asked not to."""
    if os.environ.get(ENV) == "1":
        return
    if not any(isinstance(f, _HideFromProbes) for f in sys.meta_path):
        sys.meta_path.insert(0, _HideFromProbes())
