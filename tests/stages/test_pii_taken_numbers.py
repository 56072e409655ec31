"""A fake is never another customer's real number (stages/pii/taken.py).

Surrogates keep the shape of a value ("ticket 78019" → "ticket 74054") and never repeat between
conversations, but nothing stopped a fake from being the real ticket number in *another*
conversation's lead. These builds make that happen on purpose: the first learns the fake the
first conversation's ticket gets; the second writes that number into the second conversation's
lead notes, and the fake must move.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from dsbuild.stages.pii.taken import LeadNumbers, number_keys
from tests.conftest import run_dsbuild
from tests.helpers import envelope, item, split_rows, text, turn

ASK = "Hi, any news on my ticket 78019? It has been a week."


def _export(path: Path, note: str) -> Path:
    first = item(turn("human", text(ASK)), turn("bot", text("Let me check that ticket for you.")),
                 id="c1", feedback="positive")
    second = item(turn("human", text("Do you deliver on Saturdays?")),
                  turn("bot", text("Yes, from 9 to 13.")), id="c2", feedback="positive",
                  userName="Wilma Teodorescu", notes=note)
    path.write_text(json.dumps(envelope(first, second)))
    return path


def _ticket_fake(tmp: Path, note: str, name: str) -> str:
    out = tmp / name
    r = run_dsbuild("make", "--agent", "taken", "--input", str(_export(tmp / f"{name}.json", note)),
                    "--out", str(out), "--workers", "1", "--eval-ratio", "0",
                    env={"DSBUILD_ID_SALT": "taken-1"})
    assert r.returncode == 0, r.stderr
    asks = [m["content"] for row in split_rows(out) for m in row["messages"]
            if m["content"].startswith("Hi, any news on my ticket")]
    assert len(asks) == 1, asks
    found = re.fullmatch(r"Hi, any news on my ticket (\d{5})\? It has been a week\.", asks[0])
    assert found, asks[0]  # the ticket replaced by a fake of its shape
    return found.group(1)


def test_a_fake_ticket_is_drawn_again_when_another_lead_holds_it(tmp_path: Path) -> None:
    fake = _ticket_fake(tmp_path, "called about ticket-11111", "before")
    assert fake != "78019"
    # now the other conversation's lead holds that very number
    moved = _ticket_fake(tmp_path, f"called about ticket-{fake}", "after")
    assert moved not in (fake, "78019")
    # and where no lead holds it, the same build gives the same fake again
    assert _ticket_fake(tmp_path, "called about ticket-11111", "again") == fake


def test_the_numbers_of_a_lead_are_read_from_its_fields() -> None:
    leads = LeadNumbers()
    leads.add(item(id="a", userPhone="+49 170 1234567", notes="Kunde KD-572912 seit 2019",
                   tags=["vip", "order A12B3456"]))
    leads.add({"not": "a conversation"})
    leads.add("hostile")
    taken = leads.taken()
    assert taken is not None
    for value in ("KD-572912", "572912", "2019", "A12B3456", "1234567"):
        assert taken.holds(value), value
    assert not taken.holds("KD-572913") and not taken.holds("ticket 123")
    # a phone number in any format, by its last 7 digits; a calling code is no identifier
    for phone in ("+49 170 1234567", "0170/123 45 67", "0049 170 1234567"):
        assert taken.holds_phone(phone), phone
    assert not taken.holds_phone("+49 170 1234568") and not taken.holds("0049 30 7654321")
    assert LeadNumbers().taken() is None  # no lead number: nothing to check


def test_keys_keep_leading_zeros_and_ignore_short_numbers() -> None:
    assert set(number_keys("0123")) != set(number_keys("123")) and not list(number_keys("123"))
    assert list(number_keys("no digits here")) == []
