"""Config → the picklable settings a worker builds its scrubber from, and the manifest entry.

Light on purpose: no spaCy or Presidio import, so the CLI starts fast and a pool's parent
process never loads the model."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from importlib import metadata
from typing import Any

from dsbuild.config import DEFAULT_PII_STYLE, Config
from dsbuild.errors import UsageError
from dsbuild.secret import privacy_key
from dsbuild.stages.language import DEFAULT_LANGUAGES, check_languages
from dsbuild.stages.pii.model import NONE, download_hint, resolve_model, resolve_pipelines


@dataclass(frozen=True)
class PiiSettings:
    """Small and picklable: what a worker needs to build its own scrubber."""

    model: str | None  # resolved English spaCy package (None: English is not configured)
    style: str = DEFAULT_PII_STYLE  # "placeholder" for audits
    secret: str = ""
    allow: tuple[str, ...] = ()
    phone_regions: tuple[str, ...] = ("US", "GB")
    cache_size: int = 100_000
    review_size: int = 0
    batch_size: int = 64
    # pii.languages, in order: the first is the fallback when a conversation gives no clue
    languages: tuple[str, ...] = DEFAULT_LANGUAGES
    # (language, spaCy package or None), resolved in the parent; empty: English runs ``model``
    # and every other language the best pipeline installed for it (resolved in the worker)
    pipelines: tuple[tuple[str, str | None], ...] = ()
    declined: tuple[str, ...] = ()  # languages set to ``none`` on purpose: no install hint

    def pipeline_map(self) -> dict[str, str | None]:
        """Language → spaCy package with NER, or None (patterns, cues and known values only)."""
        if self.pipelines:
            return dict(self.pipelines)
        return {lang: self.model if lang == "en" else resolve_model("auto", lang)
                for lang in self.languages}


def pii_settings(cfg: Config) -> PiiSettings | None:
    """None when PII scrubbing is switched off (the CLI says so loudly)."""
    p = cfg.pii
    if not p.enabled:
        return None
    languages = check_languages(p.languages)
    models = _model_map(p.spacy_models)
    pipelines = resolve_pipelines(languages, models, english=p.spacy_model)
    return PiiSettings(
        model=dict(pipelines).get("en"),
        style=p.style,
        secret=f"{privacy_key(cfg.agent, cfg.privacy.id_salt)}\x00{cfg.split.seed}",
        allow=tuple(p.allow),
        phone_regions=tuple(r.upper() for r in p.phone_regions),
        cache_size=p.cache_size,
        review_size=p.review_size if p.review else 0,
        languages=languages,
        pipelines=pipelines,
        declined=tuple(lang for lang, name in models.items() if name == NONE),
    )


def _model_map(value: Any) -> dict[str, str]:
    if not isinstance(value, Mapping) or not all(isinstance(v, str) for v in value.values()):
        raise UsageError("pii.spacy_models: expected a mapping of language to spaCy package,"
                         " auto or none (e.g. {de: de_core_news_md})")
    return {str(k).lower(): v for k, v in value.items()}


def _version(package: str | None) -> str | None:
    if package is None:
        return None
    try:
        return metadata.version(package.replace("_", "-"))
    except metadata.PackageNotFoundError:
        return None


def pii_manifest(settings: PiiSettings | None) -> dict[str, Any]:
    if settings is None:
        return {"enabled": False}
    pipelines = settings.pipeline_map()
    return {"enabled": True, "spacy_model": settings.model,
            "spacy_model_version": _version(settings.model),
            "spacy_components": ["ner"], "languages": list(settings.languages),
            # which language ran with which pipeline (null: no NER for it)
            "pipelines": {lang: None if name is None else f"{name} {_version(name) or ''}".strip()
                          for lang, name in pipelines.items()},
            "style": settings.style,
            "phone_regions": list(settings.phone_regions), "allow_list_size": len(settings.allow)}


def missing_pipeline_note(settings: PiiSettings | None, conversations: Mapping[str, int]) -> str | None:
    """One line for the end of a run: the languages in the data that ran without NER because no
    pipeline is installed for them, and the command that installs one."""
    if settings is None:
        return None
    pipelines = settings.pipeline_map()
    missing = [lang for lang, n in conversations.items()
               if n and lang in pipelines and pipelines[lang] is None and lang not in settings.declined]
    if not missing:
        return None
    langs = ", ".join(f"{lang} ({conversations[lang]:,} conversations)" for lang in missing)
    commands = "; ".join(download_hint(lang) for lang in missing)
    return (f"dsbuild: note: no spaCy NER pipeline is installed for {langs}: their names and places"
            " were found from patterns, cues, the name list and the lead's values only. For NER"
            f" as well, install one ({commands}) and run again")
