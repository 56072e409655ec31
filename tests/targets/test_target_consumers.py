"""Each target's output passes dsbuild's validator and its own consumer's checks.

Consumers: TRL's data utils (format detection and chat templating, as SFTTrainer/KTOTrainer
call them), the OpenAI cookbook's format checks (reproduced from the cookbook notebook), and
LLaMA-Factory's ShareGPT alternation rule (reproduced from its converter).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from trl.data_utils import (
    is_conversational,
    is_conversational_from_value,
    maybe_apply_chat_template,
    maybe_convert_to_chatml,
)

from dsbuild.samples.generate import BAD_REPLIES
from dsbuild.sinks.layout import SPLITS
from tests.conftest import run_dsbuild
from tests.targets.conftest import read_jsonl

TEMPLATE = ("{% for m in messages %}<|{{ m['role'] }}|>{{ m['content'] }}<|end|>{% endfor %}"
            "{% if add_generation_prompt %}<|assistant|>{% endif %}")


@pytest.fixture(scope="module")
def tokenizer():
    """A real tokenizer with a chat template, built offline (no model download)."""
    from tokenizers import Tokenizer
    from tokenizers.models import WordLevel
    from transformers import PreTrainedTokenizerFast

    tok = PreTrainedTokenizerFast(tokenizer_object=Tokenizer(WordLevel({"[UNK]": 0}, "[UNK]")),
                                  unk_token="[UNK]")
    tok.chat_template = TEMPLATE
    return tok


def rows(out: Path) -> list[dict]:
    return [r for s in SPLITS for r in read_jsonl(out / f"{s}.jsonl")]


@pytest.mark.parametrize("flags", [
    ("--target", "messages"), ("--target", "messages", "--turns", "last"),
    ("--target", "openai"), ("--target", "openai", "--turns", "last"),
    ("--target", "sharegpt"), ("--target", "kto"),
])
def test_output_passes_dsbuild_validate(build: Callable[..., Path], flags: tuple[str, ...]) -> None:
    out = build(*flags)
    for split in SPLITS:
        r = run_dsbuild("validate", str(out / f"{split}.jsonl"), "--target", flags[1])
        assert r.returncode == 0, r.stdout
        assert "valid for target" in r.stdout


def test_messages_is_trl_conversational_language_modelling(build, tokenizer) -> None:
    data = rows(build("--target", "messages"))
    assert data
    for row in data:
        assert is_conversational(row)
        text = maybe_apply_chat_template(row, tokenizer)["text"]
        for m in row["messages"]:
            assert f"<|{m['role']}|>{m['content']}<|end|>" in text
        assert not {"prompt", "completion", "label", "chosen", "rejected"} & row.keys()
    # The default --negative-turns truncate keeps thumbs-down replies out of SFT data.
    assert not any(m["content"] in BAD_REPLIES for row in data for m in row["messages"])


def test_messages_last_is_one_prompt_completion_per_conversation(build, tokenizer) -> None:
    full = rows(build("--target", "messages"))
    last = rows(build("--target", "messages", "--turns", "last"))
    assert len(last) == len(full)
    by_id = {r["conversation_id"]: r for r in full}
    for row in last:
        assert is_conversational(row)
        templated = maybe_apply_chat_template(row, tokenizer)
        assert templated["prompt"].endswith("<|assistant|>")  # generation prompt after the user
        assert row["prompt"][-1]["role"] == "user"
        assert row["prompt"] + row["completion"] == by_id[row["conversation_id"]]["messages"]


def test_kto_rows_are_rated_replies_labelled_by_thumbs(build, tokenizer) -> None:
    data = rows(build("--target", "kto"))
    labels = [row["label"] for row in data]
    assert True in labels and False in labels
    for row in data:
        assert is_conversational(row)
        templated = maybe_apply_chat_template(row, tokenizer)
        assert set(templated) >= {"prompt", "completion", "label"}
        assert row["prompt"][-1]["role"] == "user"
        assert [m["role"] for m in row["completion"]] == ["assistant"]
        # The generator plants thumbs-down replies from BAD_REPLIES and never rates them up.
        assert (row["completion"][0]["content"] in BAD_REPLIES) is (not row["label"])


def test_kto_respects_an_explicit_negative_turns(build) -> None:
    data = rows(build("--target", "kto", "--negative-turns", "truncate"))
    assert data and all(row["label"] for row in data)


def cookbook_format_errors(dataset: list[dict]) -> dict[str, int]:
    """The format checks of openai-cookbook examples/Chat_finetuning_data_prep.ipynb."""
    from collections import defaultdict

    format_errors: dict[str, int] = defaultdict(int)
    for ex in dataset:
        if not isinstance(ex, dict):
            format_errors["data_type"] += 1
            continue
        messages = ex.get("messages", None)
        if not messages:
            format_errors["missing_messages_list"] += 1
            continue
        for message in messages:
            if "role" not in message or "content" not in message:
                format_errors["message_missing_key"] += 1
            if any(k not in ("role", "content", "name", "function_call", "weight")
                   for k in message):
                format_errors["message_unrecognized_key"] += 1
            if message.get("role", None) not in ("system", "user", "assistant", "function"):
                format_errors["unrecognized_role"] += 1
            content = message.get("content", None)
            function_call = message.get("function_call", None)
            if (not content and not function_call) or not isinstance(content, str):
                format_errors["missing_content"] += 1
        if not any(message.get("role", None) == "assistant" for message in messages):
            format_errors["example_missing_assistant_message"] += 1
    return dict(format_errors)


@pytest.mark.parametrize("turns", ["all", "last"])
def test_openai_passes_cookbook_checks_with_weights_from_feedback(build, turns: str) -> None:
    out = build("--target", "openai", "--turns", turns)
    train = read_jsonl(out / "train.jsonl")
    assert len(train) >= 10  # the API's minimum
    data = rows(out)
    assert cookbook_format_errors(data) == {}
    assert all(set(row) == {"messages"} for row in data)  # only keys the API allows
    weights = []
    for row in data:
        replies = [m for m in row["messages"] if m["role"] == "assistant"]
        assert all("weight" not in m for m in row["messages"] if m["role"] != "assistant")
        for i, m in enumerate(replies):
            bad = m["content"] in BAD_REPLIES
            if turns == "last" and i < len(replies) - 1:
                assert m["weight"] == 0
            else:
                assert m["weight"] == (0 if bad else 1)
            weights.append(m["weight"])
        assert 1 in [m["weight"] for m in replies]
    assert 0 in weights


def test_sharegpt_alternates_and_ends_on_gpt(build) -> None:
    data = rows(build("--target", "sharegpt"))
    assert data
    for row in data:
        turns = row["conversations"]
        # LLaMA-Factory's converter: human/observation at even positions, gpt at odd, even length.
        assert [t["from"] for t in turns] == ["human", "gpt"] * (len(turns) // 2)
        assert len(turns) % 2 == 0
        assert all(set(t) == {"from", "value"} and t["value"].strip() for t in turns)
        assert "system" not in row  # no system prompt set: no empty system turn for axolotl
        assert is_conversational_from_value(row)
        assert is_conversational(maybe_convert_to_chatml(row))
