"""Issue 12 §4 and §5: no export string reaches a side channel; ids and surrogates are keyed."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from dsbuild.hashing import conversation_id
from dsbuild.secret import secret_path
from tests.helpers import envelope, item, split_files, split_rows, text, turn
from tests.safety_helpers import dsbuild, fast_config, small_export, write_json

CANARY = "Zanzibar Quokka"  # a value that must appear nowhere but in message text
CANARY_MAIL = "quokka.zanzibar@example.org"


@pytest.fixture(autouse=True)
def _here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def _make(tmp_path: Path, doc: dict, *extra: str, config: str = "", out: str = "out"):
    return dsbuild("make", "--agent", "a", "--input", str(write_json(tmp_path / "x.json", doc)),
                   "--out", out, *extra, config=fast_config(tmp_path, config))


def _side_channels(out: str = "out") -> str:
    """Everything a build writes that is not message text: manifest, card, row metadata."""
    rows = [{k: v for k, v in r.items() if k != "messages"} for r in split_rows(out)]
    return (Path(f"{out}/manifest.json").read_text() + Path(f"{out}/README.md").read_text()
            + json.dumps(rows))


def _hostile_export() -> dict:
    """Free text from the export in every field that is not message text."""
    bot = turn("bot", text("Happy to help."))
    return envelope(
        item(turn("user", text("Hi, my order is late.")), bot, id=f"whatsapp:{CANARY}",
             origin=f"whatsapp:+49151{CANARY}", userName=CANARY, tags=[CANARY], state=CANARY),
        item(turn(CANARY, text("I am a person's name used as a role")),
             turn("user", text("Where is my refund?")), bot, id="r2", origin=CANARY_MAIL),
        item(turn("user", {"type": CANARY_MAIL, "payload": {"message": "x"}},
                  {"type": f"info:{CANARY}", "payload": {}}, text("Can I change my plan?")),
             bot, id="r3", origin="web-chat"),
    )


def test_no_export_string_reaches_manifest_card_summary_or_row_metadata(tmp_path: Path) -> None:
    r = _make(tmp_path, _hostile_export())
    assert r.exit_code == 0, r.output
    leaked = _side_channels() + r.output
    for needle in (CANARY, "Zanzibar", "Quokka", "quokka", "+49151"):
        assert needle not in leaked
    m = json.loads(Path("out/manifest.json").read_text())
    assert m["stats"]["unknown_roles"] == {"other": 1}
    assert m["stats"]["message_types_dropped"] == {"info:*": 1, "other": 1}
    assert sorted(r["origin"] for r in split_rows()) == ["other", "web-chat", "whatsapp"]


def test_origin_is_reduced_to_a_channel_name(tmp_path: Path) -> None:
    doc = small_export(1, origin="whatsapp:+4915123456789")
    r = _make(tmp_path, doc)
    assert r.exit_code == 0, r.output
    assert [row["origin"] for row in split_rows()] == ["whatsapp"]
    assert not any("4915123456789" in p.read_text() for p in split_files())


def test_channel_selection_uses_the_channel_name(tmp_path: Path) -> None:
    doc = envelope(*small_export(2, origin="whatsapp:+4915123456789")["data"],
                   item(turn("user", text("Web question?")), turn("bot", text("Web answer.")),
                        id="w", origin="web-chat"))
    r = _make(tmp_path, doc, config="select:\n  origins: [whatsapp]\n")
    assert r.exit_code == 0, r.output
    assert {row["origin"] for row in split_rows()} == {"whatsapp"} and len(split_rows()) == 2


def test_allow_list_and_system_prompt_are_a_count_and_a_hash(tmp_path: Path) -> None:
    cfg = (f"pii:\n  allow: ['{CANARY}', 'help@acme.example', '+1 555 0100']\n"
           f"convert:\n  system_prompt: 'You are {CANARY}, the support bot.'\n")
    r = _make(tmp_path, small_export(2), config=cfg)
    assert r.exit_code == 0, r.output
    m = json.loads(Path("out/manifest.json").read_text())
    assert m["config"]["pii"]["allow"]["count"] == 3 and len(m["config"]["pii"]["allow"]["sha256"]) == 64
    assert m["config"]["convert"]["system_prompt"]["count"] == 1
    side = Path("out/manifest.json").read_text() + Path("out/README.md").read_text() + r.output
    for needle in (CANARY, "help@acme.example", "555 0100"):
        assert needle not in side


def test_an_error_envelope_is_not_quoted(tmp_path: Path) -> None:
    doc = {"success": False, "message": f"No agent for {CANARY_MAIL}", "code": CANARY}
    r = _make(tmp_path, doc)
    assert r.exit_code == 3 and "error response" in r.stderr
    assert CANARY_MAIL not in r.output and CANARY not in r.output


# --- keyed by default (§5) -----------------------------------------------------------------------

def test_ids_are_keyed_by_a_private_per_agent_secret(tmp_path: Path) -> None:
    doc = small_export(3, origin="web")
    assert _make(tmp_path, doc, out="one").exit_code == 0
    assert _make(tmp_path, doc, out="two").exit_code == 0
    ids = sorted(r["conversation_id"] for r in split_rows("one"))
    assert ids == sorted(r["conversation_id"] for r in split_rows("two"))  # stable on this machine
    assert not set(ids) & {conversation_id("a", f"c{i}") for i in range(3)}  # not the unkeyed hash
    key = secret_path("a")
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert stat.S_IMODE(key.parent.stat().st_mode) == 0o700
    secret = key.read_text().strip()
    written = "".join(p.read_bytes().decode("utf-8", "replace") for p in Path("one").rglob("*")
                      if p.is_file())
    assert secret not in written and secret[:16] not in written
    assert json.loads(Path("one/manifest.json").read_text())["config"]["privacy"]["id_key"] == "agent_secret"


def test_another_machine_has_other_ids_unless_the_salt_is_shared(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    doc = small_export(2)
    assert _make(tmp_path, doc, out="here").exit_code == 0
    monkeypatch.setenv("DSBUILD_CONFIG_DIR", str(tmp_path / "other-machine"))
    assert _make(tmp_path, doc, out="there").exit_code == 0
    here = {r["conversation_id"] for r in split_rows("here")}
    assert here.isdisjoint(r["conversation_id"] for r in split_rows("there"))
    monkeypatch.setenv("DSBUILD_ID_SALT", "team-salt")
    monkeypatch.setenv("DSBUILD_CONFIG_DIR", str(tmp_path / "third-machine"))
    assert _make(tmp_path, doc, out="salted").exit_code == 0
    assert sorted(r["conversation_id"] for r in split_rows("salted")) == sorted(
        conversation_id("a", f"c{i}", "team-salt") for i in range(2))
    assert not (tmp_path / "third-machine").exists()  # a salt needs no secret file


def test_surrogates_are_keyed_by_the_secret(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    doc = envelope(item(turn("user", text(f"Reach me at {CANARY_MAIL} please")),
                        turn("bot", text("Noted.")), id="s"))
    outs = []
    for machine in ("m1", "m2"):
        monkeypatch.setenv("DSBUILD_CONFIG_DIR", str(tmp_path / f"config-{machine}"))
        r = _make(tmp_path, doc, "--pii-style", "surrogate", out=machine)
        assert r.exit_code == 0, r.output
        outs.append(split_rows(machine)[0]["messages"][0]["content"])
    assert CANARY_MAIL not in outs[0] and outs[0] != outs[1]


# --- every free field of the export at once (§4, "Done when") -----------------------------------

class _Canaries:
    """A distinct hostile value per free field, to name the field that leaked."""

    def __init__(self) -> None:
        self.fields: list[str] = []

    def __call__(self, field: str, shape: str = "{}") -> str:
        self.fields.append(field)
        return shape.format(f"Quokka{len(self.fields) - 1:02d}Zanzibar")

    def leaked(self, text: str) -> list[str]:
        low = text.lower()
        found = [f for i, f in enumerate(self.fields) if f"quokka{i:02d}zanzibar" in low]
        stray = ("quokka" in low or "zanzibar" in low) and not found
        return found + (["(a part of a value)"] if stray else [])


def _every_free_field(c: _Canaries) -> dict:
    """Real export shapes (v1 envelope, v2 flat metadata) with a hostile string in every field
    that is not message text: ids, origin, roles, message types, lead fields, metadata keys
    and values, tags, feedback, timestamps as strings, envelope keys."""
    bot = turn("bot", text("Happy to help with that.", feedback=c("message.feedback")))
    lead = {key: c(f"convo.{key}", shape) for key, shape in (
        ("userName", "Anna {}"), ("userEmail", "{}@example.org"), ("userPhone", "+49 151 {} 2345678"),
        ("userCompany", "{} GmbH"), ("userAddress", "Hauptstr. 5, {}"), ("userWebsite", "https://{}.example"),
        ("notes", "{}"), ("userID", "{}"), ("socialHandle", "@{}"), ("userImage", "https://img/{}.png"),
        ("userProfilePic", "{}"), ("summary", "{}"), ("note", "{}"), ("state", "{}"),
        ("firstMessageTS", "{}"), ("agentName", "{}"))}
    rich = {"type": "choice", "payload": {"buttons": [{"name": c("choice.button")}]}}
    v1 = item(
        turn("user", text("Hi, my order is late.", ts=c("message.ts"), **{c("payload key"): c("payload value")}),
             {"type": c("message.type"), "payload": {"message": c("unknown type's message")}},
             {"type": c("debug family", "debug:{}"), "payload": {"message": c("debug message")}},
             {"type": c("info family", "info:{}"), "payload": {}},
             {"type": "image", "payload": {"message": c("image caption"), "url": c("image url")}},
             rich, {"type": "text", "isLoading": False, "sendError": c("sendError"), "payload": {"message": "x"}},
             {"type": "text", "ts": c("message.ts as text"), "payload": {"message": "Is it shipped?",
                                                                         "aiGenerated": c("aiGenerated")}}),
        turn(c("turn.from", "{} Smith"), text("I am a person's name used as a role")),
        {"from": "user", c("turn key"): c("turn value"), "messages": [text("And where is my refund?")]},
        bot, id=c("convo.id", "whatsapp:+4915123456789:{}"), feedback=c("metadata.feedback"),
        origin=c("convo.origin", "whatsapp:+4915123456789 {}"), ts=c("convo.ts"),
        tags=[c("convo.tags[0]"), c("convo.tags[1]")], isTest=c("convo.isTest"),
        capturedVariables={c("capturedVariables key"): c("capturedVariables value")},
        vapi={"callerPhoneNumber": c("vapi.callerPhoneNumber"), c("vapi key"): c("vapi value")},
        **{c("convo key"): c("convo value")}, **lead)
    v1["metadata"]["sessions"] = [{"id": c("sessions.id"), "userAgent": c("sessions.userAgent")}]
    v1["metadata"][c("metadata key")] = c("metadata value")
    v2 = {"metadata": {"ID": c("v2 metadata.ID"), "origin": c("v2 origin", "{}-chat"),
                       "userName": c("v2 userName", "Bob {}"), "ts": c("v2 ts", "2024-13-45 {}")},
          "turns": [turn("user", text("Can I change my plan?")), turn("bot", text("Yes, in Settings.")),
                    turn("human", text("Thanks!", feedback=c("v2 feedback"))),
                    turn("assistant", text("You are welcome.", feedback="positive"))],
          c("item key"): c("item value")}
    dup = item(turn("user", text("Hi, my order is late.")), bot, id=c("duplicated id"), origin="web-chat")
    broken = {"metadata": {"convo": {"id": c("malformed item id")}}, "turns": c("malformed turns")}
    doc = envelope(v1, v2, dup, dup, broken)
    doc["message"] = c("envelope.message")
    doc[c("envelope key")] = c("envelope value")
    return doc


@pytest.mark.parametrize("target", ["messages", "kto"])
def test_no_string_of_any_free_field_reaches_a_side_channel(tmp_path: Path, target: str) -> None:
    canaries = _Canaries()
    r = _make(tmp_path, _every_free_field(canaries), "--target", target)
    assert r.exit_code == 0, r.output
    rows = split_rows()
    assert len(rows) >= (1 if target == "kto" else 3)  # v1, v2 and the later duplicate
    meta = [{k: v for k, v in row.items() if k not in ("messages", "prompt", "completion")} for row in rows]
    side = {"manifest.json": Path("out/manifest.json").read_text(), "README.md": Path("out/README.md").read_text(),
            "summary": r.output, "dsbuild stats": dsbuild("stats", "out").output, "rows": json.dumps(meta)}
    assert {name: canaries.leaked(t) for name, t in side.items() if canaries.leaked(t)} == {}
    # message texts keep their words; nothing but message text came from the export
    texts = json.dumps([row.get("messages", row.get("prompt")) for row in rows])
    assert "change my plan" in texts and canaries.leaked(texts) == []
    for needle in ("4915123456789", "2345678"):
        assert needle not in "".join(side.values()) + texts
