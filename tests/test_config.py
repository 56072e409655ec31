"""Config: defaults < file < env < flags; bad options are one clear line."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from dsbuild.config import Config, default_yaml, flag_specs, load_config
from dsbuild.errors import UsageError
from dsbuild.targets import TARGETS

ROOT = Path(__file__).resolve().parent.parent


def _keys(d: dict, prefix: str = "") -> set[str]:
    out = set()
    for k, v in d.items():
        if isinstance(v, dict):
            out |= _keys(v, f"{prefix}{k}.")
        else:
            out.add(prefix + k)
    return out


def test_default_yaml_is_generated_from_the_models_and_current() -> None:
    text = (ROOT / "configs" / "default.yaml").read_text()
    assert text == default_yaml(), "configs/default.yaml is stale: python -m dsbuild.config > configs/default.yaml"
    # (the manifest's public_dict replaces some values by a count and a hash: compare the models)
    assert _keys(yaml.safe_load(text)) == _keys(Config().model_dump())
    assert load_config(ROOT / "configs" / "default.yaml") == Config()


def test_make_flags_come_from_the_models() -> None:
    specs = {s.flag: s for s in flag_specs()}
    assert specs["--negative-turns"].choices == ("truncate", "drop", "keep")
    assert specs["--target"].choices == tuple(TARGETS)
    assert specs["--format"].key == "output.format" and "[default: jsonl]" in specs["--format"].help
    cfg = load_config(None, {"select.feedback": "any", "pii.allow": "Acme, Bob", "split.seed": "4"})
    assert cfg.select.feedback == ["positive", "negative", "unset"]
    assert (cfg.pii.allow, cfg.split.seed) == (["Acme", "Bob"], 4)


def test_every_flag_of_a_config_field_is_generated_from_that_field() -> None:
    """No command repeats a config option by hand: its help, choices and default shown are the
    field's, and the options that are no field (--debug, --quiet, ...) read the same everywhere."""
    import click

    from dsbuild.cli import main

    config_flags = {s.flag for name in main.commands for s in flag_specs(name)}
    own_help: dict[str, set[str]] = {}
    for name, command in main.commands.items():
        specs = {s.flag: s for s in flag_specs(name)}
        for param in command.params:
            if not isinstance(param, click.Option) or param.name == "help":
                continue
            flag = param.opts[0]
            if flag in specs:
                assert (param.help, param.name) == (specs[flag].help, specs[flag].param), (name, flag)
                if specs[flag].choices:
                    assert tuple(param.type.choices) == specs[flag].choices  # type: ignore[attr-defined]
            else:
                assert flag not in config_flags, f"{name} {flag}: a hand-written copy of a config option"
                own_help.setdefault(flag, set()).add(param.help.split("Print only")[0] if param.help else "")
    assert all(len(texts) == 1 for texts in own_help.values()), own_help
    assert {s.flag for s in flag_specs("push")} >= {"--repo", "--public", "--revision", "--create-pr",
                                                     "--commit-message"}
    assert "[default: main]" in {s.flag: s for s in flag_specs("push")}["--revision"].help


def test_push_flags_resolve_through_the_hub_section() -> None:
    from dsbuild.cli import config_overrides

    given = {"hub__repo": "acme/x", "hub__private": False, "hub__revision": None,
             "hub__create_pr": True, "hub__commit_message": None}
    hub = load_config(None, config_overrides("push", given), env={}).hub
    assert (hub.repo, hub.private, hub.revision, hub.create_pr) == ("acme/x", True, None, True)
    given["hub__private"] = True  # --public given
    assert load_config(None, config_overrides("push", given), env={}).hub.private is False


def test_target_implies_defaults_only_for_options_not_set() -> None:
    assert load_config(None, {"output.target": "kto"}).select.negative_turns == "keep"
    cfg = load_config(None, {"output.target": "kto", "select.negative_turns": "drop"})
    assert (cfg.select.negative_turns, cfg.select.feedback) == ("drop", ["positive", "negative", "unset"])


def test_flags_override_file_and_env_overrides_file(tmp_path: Path) -> None:
    f = tmp_path / "c.yaml"
    f.write_text("split:\n  seed: 5\n  eval_ratio: 0.3\nprivacy:\n  id_salt: fromfile\n")
    cfg = load_config(f, {"split.seed": 9}, env={"DSBUILD_ID_SALT": "fromenv"})
    assert (cfg.split.seed, cfg.split.eval_ratio, cfg.privacy.id_salt) == (9, 0.3, "fromenv")


@pytest.mark.parametrize("text, message", [
    ("split:\n  sed: 1\n", "unknown option 'split.sed'"),
    ("split:\n  seed: abc\n", "split.seed: expected a whole number"),
    ("select:\n  negative_turns: maybe\n", "select.negative_turns: 'maybe' is not one of"),
    ("split: [1, 2]\n", "'split' must be a section"),
    ("split:\n  eval_ratio: 1.5\n", "must be in [0, 1)"),
    ("output:\n  target: sharegpt\n  turns: last\n", "output.turns: 'last' is not available for target sharegpt"),
    ("pii:\n  style: blur\n", "pii.style: 'blur' is not one of placeholder, surrogate, redact"),
    ("pii:\n  enabled: maybe\n", "pii.enabled: expected true or false"),
    ("workers: -1\n", "workers: must be >= 0"),
    ("a: [unclosed\n", "not valid YAML"),
])
def test_bad_config_is_a_usage_error(tmp_path: Path, text: str, message: str) -> None:
    f = tmp_path / "c.yaml"
    f.write_text(text)
    with pytest.raises(UsageError, match=None) as exc:
        load_config(f)
    assert message in str(exc.value)


def test_manifest_config_keeps_no_local_directory_names(tmp_path: Path) -> None:
    cfg = load_config(None, {"input": "/home/alice/exports/agent7.json", "out": "/home/alice/out/ds",
                             "pii.review": "/home/alice/review.jsonl", "source.cache_dir": "/home/alice/raw"},
                      env={"DSBUILD_ID_SALT": "s3cret"})
    public = cfg.public_dict()
    assert "alice" not in str(public) and "s3cret" not in str(public)
    assert (public["input"], public["out"], public["pii"]["review"]) == ("agent7.json", "ds", "review.jsonl")
