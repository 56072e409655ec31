"""Target renderers: thin projections of a ChatRecord into one trainer's row format."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from dsbuild.records import ChatRecord
from dsbuild.targets import messages

Renderer = Callable[[ChatRecord], list[dict[str, Any]]]

RENDERERS: dict[str, Renderer] = {"messages": messages.render}

# Column names trainers reserve (TRL detects the dataset type from them): never metadata.
RESERVED_COLUMNS = frozenset({"prompt", "completion", "chosen", "rejected", "label", "messages"})
