"""Targets: thin projections of a ChatRecord into one trainer's row format, with validators.

See :mod:`dsbuild.targets.base` for what a target declares; ``TARGETS`` is the registry the
config, the pipeline and ``dsbuild validate`` read.
"""

from __future__ import annotations

from dsbuild.errors import UsageError
from dsbuild.targets import kto, messages, openai, sharegpt
from dsbuild.targets.base import RESERVED_COLUMNS, RenderOptions, Row, Target

TARGETS: dict[str, Target] = {t.name: t for t in (messages.TARGET, openai.TARGET,
                                                  sharegpt.TARGET, kto.TARGET)}

__all__ = ["RESERVED_COLUMNS", "TARGETS", "RenderOptions", "Row", "Target", "get_target"]


def get_target(name: str) -> Target:
    try:
        return TARGETS[name]
    except KeyError:
        raise UsageError(f"target {name!r} is not one of {', '.join(TARGETS)}") from None
