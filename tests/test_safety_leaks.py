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
