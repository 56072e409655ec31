"""Config → the picklable settings a worker builds its scrubber from, and the manifest entry.

Light on purpose: no spaCy or Presidio import, so the CLI starts fast and a pool's parent
process never loads the model."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import metadata
from typing import Any

from dsbuild.config import Config
from dsbuild.errors import UsageError
from dsbuild.secret import privacy_key
from dsbuild.stages.pii.model import resolve_model
from dsbuild.stages.pii.pseudonyms import STYLES


@dataclass(frozen=True)
class PiiSettings:
    """Small and picklable: what a worker needs to build its own scrubber."""

    model: str  # resolved spaCy package name
    style: str = "placeholder"
    secret: str = ""
    allow: tuple[str, ...] = ()
    phone_regions: tuple[str, ...] = ("US", "GB")
    cache_size: int = 100_000
    review_size: int = 0
    batch_size: int = 64


def pii_settings(cfg: Config) -> PiiSettings | None:
    """None when PII scrubbing is switched off (the CLI says so loudly)."""
    p = cfg.pii
    if not p.enabled:
        return None
    if p.style not in STYLES:
        raise UsageError(f"pii.style: {p.style!r} is not one of {', '.join(STYLES)}")
    return PiiSettings(
        model=resolve_model(p.spacy_model),
        style=p.style,
        secret=f"{privacy_key(cfg.agent, cfg.privacy.id_salt)}\x00{cfg.split.seed}",
        allow=tuple(p.allow),
        phone_regions=tuple(r.upper() for r in p.phone_regions),
        cache_size=p.cache_size,
        review_size=p.review_size if p.review else 0,
    )


def pii_manifest(settings: PiiSettings | None) -> dict[str, Any]:
    if settings is None:
        return {"enabled": False}
    try:
        version = metadata.version(settings.model.replace("_", "-"))
    except metadata.PackageNotFoundError:
        version = None
    return {"enabled": True, "spacy_model": settings.model, "spacy_model_version": version,
            "spacy_components": ["ner"], "style": settings.style,
            "phone_regions": list(settings.phone_regions), "allow_list_size": len(settings.allow)}
