"""Every lead field gives its values, and they are found in any writing (no model needed)."""

from __future__ import annotations

import re

import pytest

from dsbuild.records import Lead
from dsbuild.stages.pii.known import KnownValues
from dsbuild.stages.pii.leadfields import lead_values
from dsbuild.stages.pii.spans import resolve


def values(lead: Lead) -> dict[str, str]:
    vals, _ = lead_values(lead)
    return {v.value: v.type for v in vals}


def found(lead: Lead, text: str) -> list[str]:
    return [text[s.start:s.end] for s in KnownValues(lead).find(text)]


def redacted(lead: Lead, text: str) -> list[str]:
    """What the stage replaces (overlapping finds resolved)."""
    return [text[s.start:s.end] for s in resolve(KnownValues(lead).find(text))]


def test_name_tokens_from_the_email_local_part() -> None:
    lead = Lead(email="kaitlyn.conree62@gmail.com")
    assert values(lead).items() >= {("kaitlyn", "PERSON"), ("conree", "PERSON")}
    assert found(lead, "hey its kaitlyn again") == ["kaitlyn"]
    assert found(lead, "Conree here") == ["Conree"]


def test_a_surname_glued_to_a_known_first_name_in_the_local_part() -> None:
    lead = Lead(name="Michella", email="michellaverhekkers@ziggo.nl")
    assert redacted(lead, "Groeten, Michella Verhekkers") == ["Michella Verhekkers"]
    lead = Lead(email="tesswendt@gmail.com", notes="Spoke with Tess about the Pro plan")
    assert redacted(lead, "groetjes tess wendt") == ["tess wendt"]


def test_mailbox_names_are_not_people() -> None:
    assert "info" not in values(Lead(email="info@kestrel-dental.de"))


@pytest.mark.parametrize("text,value", [
    ("my customer number is KD-572912", "KD-572912"), ("it's kd 572912", "kd 572912"),
    ("Kundennummer KD572912", "KD572912"), ("Nummer 572912 bitte", "572912"),
    ("order A12B34 arrived", "A12B34"), ("ticket 44512", "44512"),
])
def test_identifiers_in_notes_and_tags(text: str, value: str) -> None:
    lead = Lead(notes="Spoke with Kaitlyn, customer no KD-572912 (ticket 44512), since 2019",
                tags=("vip", "A12B34"))
    assert value in found(lead, text)


def test_plain_words_and_years_in_notes_are_not_identifiers() -> None:
    vals = values(Lead(notes="Lead from Kestrel Dental, customer since 2019", tags=("vip", "lead")))
    assert not [v for v, t in vals.items() if t == "PERSONAL_ID"]
    assert found(Lead(notes="customer since 2019"), "we opened in 2019") == []


@pytest.mark.parametrize("note,name", [
    ("Spoke with Kaitlyn about the Pro plan", "Kaitlyn"),
    ("Gespräch mit Tjark Oberhuber am Montag", "Tjark Oberhuber"),
    ("parlé avec Amélie Rousseau hier", "Amélie Rousseau"),
    ("Hablé con Iñigo Zabala por teléfono", "Iñigo Zabala"),
    ("Gesproken met Joost van der Heijden", "Joost van der Heijden"),
    ("Parlato con Ilaria Brambilla", "Ilaria Brambilla"),
])
def test_the_name_in_a_note_in_each_language(note: str, name: str) -> None:
    lead = Lead(notes=note)
    assert values(lead).get(name) == "PERSON"
    last = name.split()[-1]
    assert found(lead, f"hi it's {last.lower()} again") == [last.lower()]


@pytest.mark.parametrize("address,postcode,city", [
    ("Thomstraat 189, 2763 FB Udenhout", "2763 FB", "Udenhout"),
    ("Hansa-Allee 107, 74068 Gelnhausen", "74068", "Gelnhausen"),
    ("Studio 40f, Georgia Stravenue, Lake Paige, HU3 1NW", "HU3 1NW", "Lake Paige"),
    ("0487 Hull Village Suite 759, Lake Joseph, NC 27226", "27226", "Lake Joseph"),
    ("123 Main St, Springfield IL 62704", "62704", "Springfield"),
    ("Via Roma 10, 00184 Roma", "00184", "Roma"),
    ("12 rue de la Paix, 75002 Paris, France", "75002", "Paris"),
    ("Calle Mayor, 5, 28013 Madrid", "28013", "Madrid"),
])
def test_postcode_and_city_in_any_countrys_order(address: str, postcode: str, city: str) -> None:
    vals = values(Lead(address=address))
    assert vals.get(postcode) == "STREET_ADDRESS"
    assert vals.get(city) == "LOCATION"
    assert "France" not in vals  # a country is no one's address
    text = f"bitte an {postcode.lower()} {city.upper()} schicken"
    assert found(Lead(address=address), text) == [postcode.lower(), city.upper()]


def test_street_name_without_the_house_number() -> None:
    lead = Lead(address="Thomstraat 189, 2763 FB Udenhout")
    assert "thomstraat" in found(lead, "ik woon aan de thomstraat")
    assert found(Lead(address="Studio 40f, Georgia Stravenue, Lake Paige, HU3 1NW"),
                 "our studio is open") == []


def test_name_particles_are_a_person_only_inside_the_name() -> None:
    lead = Lead(name="Jan van der Berg")
    assert found(lead, "van maandag tot vrijdag, de winkel van mijn vader") == []
    spans = found(lead, "Ik ben Jan van der Berg, meneer Van der Berg dus")
    assert "Jan van der Berg" in spans and "Van der Berg" in spans


@pytest.mark.parametrize("text,hit", [
    ("gruß frank", "frank"), ("Grüße,\nfrank", "frank"), ("ich bin frank", "frank"),
    ("bonjour c'est jean", "jean"), ("c’est jean", "jean"), ("hoi met rob", "rob"),
    ("saludos, rosa", "rosa"), ("mi chiamo rosa", "rosa"), ("thanks, Will", "Will"),
])
def test_common_word_names_after_a_cue_in_any_language(text: str, hit: str) -> None:
    lead = Lead(name="Frank Jean Rob Rosa Will Oberhuber")
    assert found(lead, text) == [hit]


@pytest.mark.parametrize("text", [
    "you will get an email", "das ist frank und frei", "la rosa è bella", "Jean-Luc Godard? no",
    "ik rob de vloer", "Will you help?",
])
def test_common_word_names_elsewhere_are_words(text: str) -> None:
    lead = Lead(name="Frank Jean Rob Rosa Will Oberhuber")
    assert found(lead, text) == []


def test_case_accents_and_spelling_variants() -> None:
    lead = Lead(name="José Müller", address="Hauptstraße 12, 10115 Berlin")
    text = "JOSE MUELLER, hauptstrasse 12, jose  muller"
    got = found(lead, text)
    assert {"JOSE MUELLER", "jose  muller", "hauptstrasse 12"} <= set(got)


@pytest.mark.parametrize("text", [
    "call me on 020 7946 0123", "+44 (0)20-7946-0123", "it's 00442079460123", "2079460123",
    "+44.20.7946.0123 is my cell", "my numbers: 12 020 7946 0123",
])
def test_phone_digits_whatever_the_separators(text: str) -> None:
    spans = KnownValues(Lead(phone="+44 20 7946 0123")).find(text)
    assert [s.type for s in spans] == ["PHONE_NUMBER"]
    rest = text[:spans[0].start] + text[spans[0].end:]
    assert "7946" not in rest and "0123" not in rest


def test_phone_digits_inside_a_longer_number_are_not_the_phone() -> None:
    assert KnownValues(Lead(phone="+44 20 7946 0123")).find("invoice 920794601234") == []


def test_no_regex_is_compiled_per_conversation(monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 13: 11,146 re.compile calls on 800 conversations thrashed the re cache. The patterns
    compiled now (phonenumbers' own, from its cache) do not grow with the number of leads."""
    patterns: set[object] = set()
    real = re.compile

    def counting(pattern: object, flags: int = 0) -> re.Pattern[str]:
        patterns.add(pattern)
        return real(pattern, flags)  # type: ignore[call-overload, no-any-return]

    monkeypatch.setattr(re, "compile", counting)
    for i in range(50):
        lead = Lead(name=f"Kaitlyn{i} Conree", email=f"kaitlyn.conree{i}@gmail.com",
                    phone=f"+44 20 7946 0{100 + i}", address=f"Thomstraat {i}, 2763 FB Udenhout",
                    notes=f"Spoke with Kaitlyn, KD-5729{i:02d}")
        KnownValues(lead).find(f"hi, Kaitlyn{i} Conree here, KD-5729{i:02d}, 020 7946 0{100 + i}")
    assert len(patterns) < 10
