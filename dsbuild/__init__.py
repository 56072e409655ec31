"""dsbuild: turn Convocore agent conversations into fine-tuning datasets."""

from dsbuild.lean_imports import install as _lean_imports

__version__ = "0.1.0"

_lean_imports()  # a build never needs torch or transformers; see dsbuild/lean_imports.py
