"""Known lead values are redacted wherever and however they are written."""

from __future__ import annotations

import pytest

from dsbuild.records import Lead
from tests.stages.conftest import scrub

LEAD = Lead(name="Olivia Hartley", email="olivia.hartley12@example.com", phone="+44 20 7946 0123",
            company="Kestrel Dental", address="12 Elm Street, Springfield",
            website="https://www.kestrel-4.example.com/team")


@pytest.mark.parametrize("text", [
    "call me on 020 7946 0123", "call me on +44 (0)20-7946-0123", "it's 00442079460123",
    "my number: 2079460123", "+44.20.7946.0123 is my cell",
])
def test_phone_by_its_digits_whatever_the_separators_or_prefix(scrubber, text: str) -> None:
    (out,) = scrub(scrubber, [text], LEAD)
    assert "<PHONE_NUMBER_1>" in out
    assert "7946" not in out and "0123" not in out


@pytest.mark.parametrize("text,gone", [
    ("hey its olivia", "olivia"), ("HARTLEY HERE", "HARTLEY"), ("ask for Olivia  Hartley", "Hartley"),
    ("mail OLIVIA.HARTLEY12@EXAMPLE.COM", "OLIVIA"), ("my handle is olivia.hartley12", "hartley12"),
    ("we are kestrel dental", "kestrel"), ("see kestrel-4.example.com", "kestrel"),
    ("I live at 12 elm street", "elm street"), ("I'm in springfield", "springfield"),
])
def test_name_email_company_site_address_any_case(scrubber, text: str, gone: str) -> None:
    (out,) = scrub(scrubber, [text], LEAD)
    assert gone.lower() not in out.lower(), out


def test_common_word_names_are_redacted_only_where_they_are_the_name(scrubber) -> None:
    lead = Lead(name="Will May")
    out = scrub(scrubber, ["you will get an email, may I ask more?", "thanks, Will",
                           "sure, I'm will", "call me may"], lead)
    assert out[0] == "you will get an email, may I ask more?"
    assert out[1] == "thanks, <PERSON_1>"
    assert out[2] == "sure, I'm <PERSON_1>"
    assert out[3] == "call me <PERSON_1>"


@pytest.mark.parametrize("name, kept, named", [
    ("Jan", "het is 2 jan, ik regel het", ["helder, jan. ik regel het meteen.", "tot ziens jan"]),
    ("Will", "you will get an email, will you?", ["thanks, will. speak soon", "cheers will"]),
    ("Nice", "che nice, vero?", ["perfetto, nice, me ne occupo", "a presto nice"]),
])
def test_a_common_word_lead_name_is_redacted_when_addressed_or_signing_off(
        scrubber, name: str, kept: str, named: list[str]) -> None:
    """A vocative after the sentence's first word and a comma, and a sign-off phrase of any
    language before the name, make the lead's common-word name the name; elsewhere the word
    stays."""
    out = scrub(scrubber, [kept, *named], Lead(name=name, email=f"kisman.{name.lower()}@example.org"))
    assert isinstance(out, list) and out[0] == kept, out
    assert all(name.lower() not in o.lower() for o in out[1:]), out


def test_one_lead_one_token_across_messages(scrubber) -> None:
    out = scrub(scrubber, ["hi, Olivia Hartley here", "Hello Olivia!",
                           "my mail is olivia.hartley12@example.com", "Noted: olivia.hartley12@example.com"],
                LEAD)
    assert out == ["hi, <PERSON_1> here", "Hello <PERSON_1>!", "my mail is <EMAIL_1>",
                   "Noted: <EMAIL_1>"]


def test_different_people_get_different_numbers(scrubber) -> None:
    out = scrub(scrubber, ["My name is Priya Patel, my colleague is Tomasz Kowalski",
                           "Thanks Priya Patel"], None)
    assert out[0] == "My name is <PERSON_1>, my colleague is <PERSON_2>"
    assert out[1] == "Thanks <PERSON_1>"


def test_surrogates_are_natural_and_deterministic(surrogate_scrubber) -> None:
    msgs = ["My name is Olivia Hartley, mail olivia.hartley12@example.com", "Bye Olivia"]
    a = scrub(surrogate_scrubber, msgs, LEAD)
    b = scrub(surrogate_scrubber, msgs, LEAD)
    assert a == b
    assert "<" not in a[0] and "Olivia" not in a[0] and "hartley" not in a[0].lower()
    first_name = a[0].split("My name is ")[1].split(",")[0]
    assert a[1] == f"Bye {first_name.split()[0]}"  # a first name alone stays a first name


def test_an_email_holding_the_lead_name_is_an_email_not_a_name(scrubber) -> None:
    lead = Lead(name="Sofia Fischer")  # no email on the lead: the address is found by pattern
    (out,) = scrub(scrubber, ["reach me at sofia.fischer6@example.com, Sofia"], lead)
    assert out == "reach me at <EMAIL_1>, <PERSON_1>"


def test_every_lead_field_gives_known_values(scrubber) -> None:
    lead = Lead(email="kaitlyn.conree62@gmail.com", notes="Spoke with Kaitlyn, customer no KD-572912",
                address="Thomstraat 189, 2763 FB Udenhout")
    out = scrub(scrubber, ["hey its kaitlyn again", "my number is kd 572912",
                           "send it to 2763 FB udenhout please"], lead)
    assert out[0] == "hey its <PERSON_1> again"
    assert "572912" not in out[1]
    assert "2763" not in out[2] and "udenhout" not in out[2].lower()


def test_a_name_particle_is_not_a_person_outside_the_name(scrubber) -> None:
    lead = Lead(name="Joost van der Heijden")
    (out,) = scrub(scrubber, ["Het pakket van maandag is van mij, zegt Joost van der Heijden"], lead)
    assert out.startswith("Het pakket van maandag is van mij")
    assert "Heijden" not in out
