"""Config → the picklable settings a worker builds its scrubber from, and the manifest entry."""

from __future__ import annotations

from importlib import metadata
from typing import Any

from dsbuild.config import Config
from dsbuild.errors import UsageError
from dsbuild.stages.pii.model import resolve_model
from dsbuild.stages.pii.pseudonyms import STYLES
from dsbuild.stages.pii.scrubber import PiiSettings


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
        secret=f"{cfg.privacy.id_salt}\x00{cfg.split.seed}",
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
