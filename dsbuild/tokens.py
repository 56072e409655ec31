"""Token counts: the documented character estimate, and a real local tokenizer.

**The estimate.** Without a tokenizer, tokens are estimated as ``ceil(characters / 4)`` of a
record's text (summed over its messages, then rounded up once). Four characters per token is
the usual rule of thumb for English with BPE tokenizers (OpenAI's cookbook uses it too); it is
only good for statistics, so ``--max-tokens`` never filters on it.

**A tokenizer** (``--tokenizer PATH_OR_NAME``) counts the tokens of each message's content
without special tokens or chat-template overhead (a few tokens per message, which depend on
the template) and sums them. It is loaded from local files only — nothing is downloaded:
a ``tokenizer.json`` file (``tokenizers``), a saved tokenizer directory or a model name already
in the Hugging Face cache (``transformers.AutoTokenizer``).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

from dsbuild.errors import UsageError

CHARS_PER_TOKEN = 4
ESTIMATE_METHOD = f"estimate: ceil(characters / {CHARS_PER_TOKEN})"


def estimate_tokens(chars: int) -> int:
    return -(-chars // CHARS_PER_TOKEN)


class TokenCounter(Protocol):
    name: str

    def count(self, texts: Sequence[str]) -> int:
        """The tokens of each text, summed."""
        ...


class _TokenizersCounter:
    def __init__(self, tok: Any, name: str):
        self._tok = tok
        self.name = name

    def count(self, texts: Sequence[str]) -> int:
        if not texts:
            return 0
        return sum(len(e.ids) for e in self._tok.encode_batch(list(texts), add_special_tokens=False))


class _TransformersCounter:
    def __init__(self, tok: Any, name: str):
        self._tok = tok
        self.name = name

    def count(self, texts: Sequence[str]) -> int:
        if not texts:
            return 0
        ids = self._tok(list(texts), add_special_tokens=False)["input_ids"]
        return sum(len(x) for x in ids)


_HINT = "install one with: pip install tokenizers  (or transformers for a saved tokenizer dir/name)"


def load_tokenizer(name_or_path: str) -> TokenCounter:
    """A local tokenizer, or a :class:`UsageError` saying what to give instead.

    Its ``name`` (shown in statistics and the card) is the file or directory name, never the
    full path (which may hold a user name).
    """
    path = Path(name_or_path).expanduser()
    if path.is_file():
        return _from_file(path, path.name)
    if not path.exists() and (path.is_absolute() or name_or_path.startswith((".", "~"))):
        raise UsageError(f"--tokenizer {name_or_path}: no such file or directory")
    try:
        from transformers import AutoTokenizer
    except ImportError:
        if (path / "tokenizer.json").is_file():
            return _from_file(path / "tokenizer.json", path.name)
        raise UsageError(f"--tokenizer {name_or_path}: needs the transformers package; {_HINT}") from None
    try:
        tok = AutoTokenizer.from_pretrained(name_or_path, local_files_only=True)
    except Exception:  # OSError, ValueError, ...: transformers' way of saying "not here"
        raise UsageError(
            f"--tokenizer {name_or_path}: no such tokenizer available locally (nothing is downloaded"
            " at run time); give a tokenizer.json file, a saved tokenizer directory, or a model"
            " name already in the Hugging Face cache") from None
    return _TransformersCounter(tok, path.name if path.is_dir() else name_or_path)


def _from_file(path: Path, name: str) -> TokenCounter:
    try:
        from tokenizers import Tokenizer
    except ImportError:
        raise UsageError(f"--tokenizer {name}: needs the tokenizers package; {_HINT}") from None
    try:
        return _TokenizersCounter(Tokenizer.from_file(str(path)), name)
    except Exception:
        raise UsageError(f"--tokenizer {name}: not a tokenizer.json file the tokenizers library"
                         " can read") from None
