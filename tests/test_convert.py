"""Converter: every record is a valid chat for any export (property-based) plus the policies."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dsbuild.config import Config, ConvertConfig, SelectConfig
from dsbuild.convocore.parser import ParseOptions, parse_conversation
from dsbuild.counters import RunCounters
from dsbuild.process import ConversationProcessor
from dsbuild.records import ChatRecord, Feedback, Role
from dsbuild.stages.convert import to_messages
from tests.helpers import item, text, turn

texts = st.one_of(st.text(max_size=30), st.sampled_from(["", "  ", "\u00a0", "\u200b", "hi", "<b></b>"]))
feedbacks = st.sampled_from(["Positive", "Negative", "Unset", True, False, None])
messages = st.one_of(
    st.builds(lambda t, f, ai: text(t, feedback=f, **({} if ai is None else {"aiGenerated": ai})),
              texts, feedbacks, st.sampled_from([True, False, None])),
    st.builds(lambda ty, t: {"type": ty, "payload": {"message": t}},
              st.sampled_from(["launch", "debug", "choice", "end", "weird"]), texts),
    st.builds(lambda t: {"type": "text", "payload": t}, st.one_of(texts, st.none())),
)
turns = st.builds(lambda frm, msgs: turn(frm, *msgs),
                  st.sampled_from(["user", "human", "bot", "system", "alien"]),
                  st.lists(messages, max_size=3))
exports = st.lists(st.builds(lambda ts, fb, i: item(*ts, id=f"c{i}", feedback=fb),
                             st.lists(turns, max_size=8), feedbacks, st.integers(0, 10**6)),
                   max_size=6)
configs = st.builds(
    lambda neg, human, lead, sysp, rich: Config(
        agent="a",
        select=SelectConfig(feedback=["positive", "negative", "unset"], negative_turns=neg, human_turns=human),
        convert=ConvertConfig(system_prompt=sysp, leading_assistant=lead, rich_messages=rich)),
    st.sampled_from(["truncate", "drop", "keep"]), st.sampled_from(["keep", "drop", "drop_conversation"]),
    st.sampled_from(["drop", "keep"]), st.sampled_from([None, "You are Nova."]),
    st.sampled_from(["skip", "text"]))


@pytest.mark.slow  # a long fuzz run: 300 generated exports x configs
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(exports, configs)
def test_every_record_is_a_valid_chat(export, cfg: Config) -> None:
    outcomes, _ = ConversationProcessor(cfg)(export)
    for rec in outcomes:
        if not isinstance(rec, ChatRecord):
            continue
        roles = [m.role for m in rec.messages]
        body = roles[1:] if cfg.convert.system_prompt else roles
        if cfg.convert.system_prompt:
            assert roles[0] is Role.SYSTEM
        assert Role.SYSTEM not in body
        assert Role.USER in body and Role.ASSISTANT in body
        assert body[-1] is Role.ASSISTANT
        assert all(a is not b for a, b in zip(body, body[1:]))
        assert all(m.content.strip() for m in rec.messages)
        if cfg.convert.leading_assistant == "drop":
            assert body[0] is Role.USER
        if cfg.select.negative_turns != "keep":
            assert all(m.feedback is not Feedback.NEGATIVE for m in rec.messages if m.role is Role.ASSISTANT)
        if cfg.select.human_turns != "keep":
            assert not any(m.human_agent for m in rec.messages)


def convert(raw, **kw):
    select_kw = {k: kw.pop(k) for k in ("negative_turns", "human_turns") if k in kw}
    convo = parse_conversation(raw, ParseOptions(), RunCounters())
    return to_messages(convo, SelectConfig(**select_kw), ConvertConfig(**kw))


def pairs(msgs):
    return [(m.role.value, m.content) for m in msgs]


EXAMPLE = item(
    turn("bot", text("Hello! I'm Nova.")),
    turn("user", text("hi"), text("are you there?")),
    turn("bot", text("Yes!", feedback="Positive")),
    turn("user", text("price?")),
    turn("bot", text("Error.", feedback="Negative")),
    turn("user", text("hello??")),
    turn("bot", text("It is $49.")),
    turn("user", text("bye")),
)


def test_merge_leading_and_trailing_rules() -> None:
    assert pairs(convert(EXAMPLE, negative_turns="keep")) == [
        ("user", "hi\n\nare you there?"), ("assistant", "Yes!"), ("user", "price?"),
        ("assistant", "Error."), ("user", "hello??"), ("assistant", "It is $49.")]
    assert pairs(convert(EXAMPLE, negative_turns="keep", leading_assistant="keep"))[0] == (
        "assistant", "Hello! I'm Nova.")


def test_negative_reply_truncates_by_default() -> None:
    assert pairs(convert(EXAMPLE)) == [("user", "hi\n\nare you there?"), ("assistant", "Yes!")]


def test_negative_reply_drop_removes_the_exchange() -> None:
    assert pairs(convert(EXAMPLE, negative_turns="drop")) == [
        ("user", "hi\n\nare you there?"), ("assistant", "Yes!"), ("user", "hello??"),
        ("assistant", "It is $49.")]


def test_first_reply_negative_leaves_nothing_and_says_why() -> None:
    raw = item(turn("user", text("q")), turn("bot", text("bad", feedback="Negative")))
    assert convert(raw) == "nothing_left_after_negative_reply"
    assert convert(item(turn("user", text("only a question")))) == "no_assistant_reply"
    assert convert(item(turn("bot", text("greeting only")))) == "no_user_message"


def test_system_prompt_and_export_system_turns() -> None:
    raw = item(turn("system", text("internal")), turn("user", text("q")), turn("bot", text("a")))
    assert pairs(convert(raw, system_prompt="You are Nova.")) == [
        ("system", "You are Nova."), ("user", "q"), ("assistant", "a")]


def test_human_agent_turns_keep_or_drop() -> None:
    raw = item(turn("user", text("q")), turn("bot", text("bot answer")), turn("user", text("human please")),
               turn("bot", text("Sam here", aiGenerated=False)))
    kept = convert(raw)
    assert pairs(kept)[-1] == ("assistant", "Sam here") and kept[-1].human_agent
    assert pairs(convert(raw, human_turns="drop")) == [("user", "q"), ("assistant", "bot answer")]
