"""The export parser, one test per applicable edge case of convocore-api.md §4."""

from __future__ import annotations

from datetime import datetime, timezone

import orjson
import pytest

from dsbuild.convocore.export_file import BadItem, decode_export
from dsbuild.convocore.parser import MalformedConversation, ParseOptions, parse_conversation
from dsbuild.counters import RunCounters
from dsbuild.errors import InputDataError
from dsbuild.records import Feedback, Role
from tests.helpers import envelope, item, text, turn


def parse(raw, **opts):
    stats = RunCounters()
    return parse_conversation(raw, ParseOptions(**opts), stats), stats


# --- file shapes (§2.2, §2.3, §4 #27) ---------------------------------------------------------

def test_v3_envelope_bare_list_single_envelope_and_jsonl_give_the_same_items() -> None:
    a, b = item(turn("user", text("hi")), id="a"), item(turn("user", text("yo")), id="b")
    shapes = [
        orjson.dumps(envelope(a, b)),
        orjson.dumps([a, b]),
        orjson.dumps(a) + b"\n" + orjson.dumps(b) + b"\n",
    ]
    for data in shapes:
        assert list(decode_export(data, "f")) == [a, b]
    single = {"success": True, "message": "Conversation exported successfully", "data": a}
    assert list(decode_export(orjson.dumps(single), "f")) == [a]


def test_empty_data_is_no_conversations_not_an_error() -> None:
    assert list(decode_export(orjson.dumps(envelope()), "f")) == []


@pytest.mark.parametrize("data, needle", [
    (b'{"success": false, "message": "Agent not found", "code": "NOT_FOUND"}', "error response"),
    (b'{"success": true, "message": "ok", "data": "convo_id,timestamb\\n1,2"}', "CSV"),
    (b"convo_id,timestamb,user_name\n1,2,3\n", "CSV"),
    (b'{"success": true, "data": [{"turns": [', "truncated"),
    (b"", "empty"),
])
def test_unusable_files_raise_one_clear_input_error(data: bytes, needle: str) -> None:
    with pytest.raises(InputDataError) as exc:
        list(decode_export(data, "export.json"))
    assert needle in str(exc.value) and "export.json" in str(exc.value)


def test_a_bad_jsonl_line_is_one_bad_item_not_a_failed_file() -> None:
    good = orjson.dumps(item(turn("user", text("hi"))))
    items = list(decode_export(good + b"\n{not json\n" + good + b"\n", "f"))
    assert len(items) == 3 and isinstance(items[1], BadItem)


def test_lone_surrogate_escapes_are_read_and_repaired() -> None:
    data = b'[{"metadata":{"convo":{"id":"x"}},"turns":[{"from":"user","messages":[' \
           b'{"type":"text","payload":{"message":"hi \\ud83d there \\ud83d\\ude00"}}]}]}]'
    convo, _ = parse(next(iter(decode_export(data, "f"))))
    assert convo.turns[0].messages[0].text == "hi  there 😀"
    convo.turns[0].messages[0].text.encode("utf-8")  # valid UTF-8


# --- roles (#1) and turns (#2, #3) --------------------------------------------------------------

def test_roles_user_human_bot_system_map_and_unknown_is_counted() -> None:
    convo, stats = parse(item(turn("human", text("a")), turn("bot", text("b")), turn("system", text("c")),
                              turn("user", text("d")), turn("operator", text("e"))))
    assert [t.role for t in convo.turns] == [Role.USER, Role.ASSISTANT, Role.SYSTEM, Role.USER]
    assert stats.section("unknown_roles") == {"operator": 1}


def test_several_messages_in_one_turn_keep_their_order() -> None:
    convo, _ = parse(item(turn("bot", text("one"), text("two"))))
    assert [m.text for m in convo.turns[0].messages] == ["one", "two"]


# --- message types (#4 – #8, #28) -------------------------------------------------------------

def test_control_and_unknown_types_are_dropped_and_counted_by_type() -> None:
    msgs = [{"type": t, "payload": {"message": "internal"}} for t in
            ("launch", "debug", "debug:tell", "info:default", "end", "no-reply", "path", "SetRuntime",
             "brandNewType")]
    convo, stats = parse(item(turn("bot", *msgs, text("real"))))
    assert [m.text for m in convo.turns[0].messages] == ["real"]
    # Known types by name; free-text families and unknown types never become a key (#12).
    assert stats.section("message_types_dropped") == {
        "launch": 1, "debug": 1, "debug:tell": 1, "info:default": 1, "end": 1, "no-reply": 1, "path": 1,
        "SetRuntime": 1, "other": 1}


def test_rich_messages_skipped_by_default_rendered_on_request() -> None:
    choice = {"type": "choice", "payload": {"buttons": [{"name": "Pricing"}, {"name": "Sales"}]}}
    card = {"type": "cardV2", "payload": {"title": "Pro plan", "description": {"text": "SSO included"},
                                          "buttons": [{"name": "Start"}]}}
    carousel = {"type": "carousel", "payload": {"cards": [{"title": "A"}, {"title": "B"}]}}
    raw = item(turn("bot", choice, card, carousel))
    skipped, stats = parse(raw)
    assert skipped.turns == [] and stats.section("message_types_dropped") == {"choice": 1, "cardV2": 1, "carousel": 1}
    rendered, _ = parse(raw, rich_messages="text")
    assert [m.text for m in rendered.turns[0].messages] == [
        "- Pricing\n- Sales", "Pro plan\nSSO included\n- Start", "A\n\nB"]


@pytest.mark.parametrize("payload, expected", [
    ({"message": "dict payload"}, "dict payload"),
    ("string payload", "string payload"),
    (None, None),
    ({"message": None}, None),
    ({"message": "   \u00a0 "}, None),
])
def test_payload_may_be_object_string_or_null(payload, expected) -> None:
    convo, _ = parse(item(turn("user", {"type": "text", "payload": payload})))
    texts = [m.text for t in convo.turns for m in t.messages]
    assert texts == ([expected] if expected else [])


def test_info_items_as_plain_strings_do_not_crash() -> None:
    convo, stats = parse(item(turn("bot", "Will execute query: hi", {"type": "info:default", "payload": "x"},
                                   text("ok"))))
    assert [m.text for m in convo.turns[0].messages] == ["ok"]
    assert stats.section("message_types_dropped") == {"non_object": 1, "info:default": 1}


def test_loading_placeholders_and_failed_deliveries_are_dropped() -> None:
    convo, _ = parse(item(turn("bot", {**text("..."), "isLoading": True},
                                   {**text("lost"), "sendError": {"message": "x"}}, text("sent"))))
    assert [m.text for m in convo.turns[0].messages] == ["sent"]


# --- text content (#9, #10, #26) ----------------------------------------------------------------

def test_html_is_turned_into_text_and_markdown_is_kept() -> None:
    convo, _ = parse(item(turn("bot", text("<p>Hi!<br>See <b>this</b> &amp; **that**</p>"))))
    assert convo.turns[0].messages[0].text == "Hi!\nSee this & **that**"


def test_ui_engine_json_leaking_into_text_keeps_only_its_text_parts() -> None:
    leaked = '[{"type":"text","payload":{"message":"Here are our plans"}},{"type":"choice","payload":{"buttons":[]}}]'
    convo, _ = parse(item(turn("bot", text(leaked))))
    assert convo.turns[0].messages[0].text == "Here are our plans"


def test_nbsp_crlf_zero_width_and_emoji_are_normalised() -> None:
    convo, _ = parse(item(turn("user", text("\u200bhello\u00a0there\r\nline two \U0001F469\u200d\U0001F4BB\u200d"))))
    assert convo.turns[0].messages[0].text == "hello there\nline two \U0001F469\u200d\U0001F4BB"


# --- human agents (#11), timestamps (#12, #13) -------------------------------------------------

def test_ai_generated_false_marks_a_human_agent_reply() -> None:
    convo, _ = parse(item(turn("bot", text("human", aiGenerated=False), text("bot", aiGenerated=True), text("old"))))
    assert [m.ai_generated for m in convo.turns[0].messages] == [False, True, None]


@pytest.mark.parametrize("ts, expected", [
    ("December 1st 2024, 10:30:00 am", datetime(2024, 12, 1, 10, 30, tzinfo=timezone.utc)),
    ("March 22nd 2025, 12:05:09 am", datetime(2025, 3, 22, 0, 5, 9, tzinfo=timezone.utc)),
    ("March 23rd 2025, 12:05:09 pm", datetime(2025, 3, 23, 12, 5, 9, tzinfo=timezone.utc)),
    ("January 11th 2025, 1:00:00 PM", datetime(2025, 1, 11, 13, 0, tzinfo=timezone.utc)),
    ("Invalid date", None),
])
def test_moment_timestamps_parse_or_stay_raw(ts: str, expected) -> None:
    convo, _ = parse(item(turn("user", text("x", ts=ts))))
    m = convo.turns[0].messages[0]
    assert (m.ts, m.ts_raw) == (expected, ts)


def test_messages_keep_export_order_even_when_timestamps_disagree() -> None:
    convo, _ = parse(item(turn("user", text("first", ts="December 2nd 2024, 10:00:00 am")),
                          turn("bot", text("second", ts="December 1st 2024, 10:00:00 am"))))
    assert [t.messages[0].text for t in convo.turns] == ["first", "second"]


@pytest.mark.parametrize("value", [1733049000, 1733049000000, "1733049000"])
def test_conversation_epoch_in_seconds_or_milliseconds(value) -> None:
    convo, _ = parse(item(turn("user", text("x")), ts=value))
    assert convo.ts == datetime(2024, 12, 1, 10, 30, tzinfo=timezone.utc)


# --- metadata (#14, #15, #17, #18, #19) --------------------------------------------------------

def test_id_or_ID_and_v2_metadata_shape() -> None:
    v2 = {"metadata": {"ID": "v2id", "userName": "Ada Lovelace"}, "turns": [turn("human", text("x"))]}
    convo, _ = parse(v2)
    assert (convo.id, convo.lead.name) == ("v2id", "Ada Lovelace")
    convo, _ = parse(item(turn("user", text("x")), id="lower"))
    assert convo.id == "lower"


def test_missing_id_gets_a_stable_stand_in_and_a_warning() -> None:
    raw = {"metadata": {}, "turns": [turn("user", text("x"))]}
    a, stats = parse(raw)
    b, _ = parse(raw)
    assert a.id == b.id and a.id.startswith("noid-") and stats.get("warnings", "missing_id") == 1


def test_missing_null_and_empty_lead_fields_are_tolerated() -> None:
    convo, _ = parse(item(turn("user", text("x")), userName=None, userEmail="", userPhone="+1 555 0100",
                          tags=["a", None, 3], capturedVariables={"city": "Leeds", "n": 1}))
    assert (convo.lead.name, convo.lead.email, convo.lead.phone) == (None, None, "+1 555 0100")
    assert convo.lead.tags == ("a", "3") and "Leeds" in convo.lead.other


@pytest.mark.parametrize("value, expected", [
    ("Positive", Feedback.POSITIVE), ("Negative", Feedback.NEGATIVE), ("Unset", Feedback.UNSET),
    (True, Feedback.POSITIVE), (False, Feedback.NEGATIVE), (None, Feedback.UNSET),
])
def test_feedback_strings_booleans_or_absent(value, expected) -> None:
    convo, _ = parse(item(turn("bot", text("x", feedback=value)), feedback=value))
    assert convo.feedback is expected and convo.turns[0].messages[0].feedback is expected


def test_conversation_label_derived_from_replies_when_absent() -> None:
    convo, _ = parse(item(turn("bot", text("a", feedback="Negative"), text("b", feedback="Positive"))))
    assert convo.feedback is Feedback.POSITIVE
    convo, _ = parse(item(turn("bot", text("a", feedback=False))))
    assert convo.feedback is Feedback.NEGATIVE


def test_test_and_blocked_conversations_are_flagged() -> None:
    for flag in ("isTest", "isLLMStudio", "kbPreview", "isBlocked"):
        convo, _ = parse(item(turn("user", text("x")), **{flag: True}))
        assert convo.is_test


@pytest.mark.parametrize("raw, reason", [
    ("a string", "not_an_object"),
    ({"metadata": {"convo": {"id": "x"}}}, "missing_turns"),
    ({"metadata": {"convo": {"id": "x"}}, "turns": "oops"}, "bad_turns"),
    ({"metadata": "oops", "turns": []}, "bad_metadata"),
])
def test_malformed_conversations_raise_with_a_reason(raw, reason: str) -> None:
    with pytest.raises(MalformedConversation) as exc:
        parse(raw)
    assert exc.value.reason == reason



@pytest.mark.parametrize("raw, expected", [
    (rb'"a\ud83db"', "a\ud83db"),                # a lone half is read (textnorm drops it later)
    (rb'"\ud83d\ude00"', "\U0001F600"),           # a pair is an emoji
    (rb'"\\ud83d"', "\\ud83d"),                   # an escaped backslash, not an escape
])
def test_json_reader_reads_what_javascript_writes(raw, expected) -> None:
    from dsbuild.jsonio import loads

    assert loads(raw) == expected
