"""Invented names outside any cue position are found by the token itself (rare_names.py)."""

from __future__ import annotations

import pytest

from dsbuild.stages.pii.rare_names import common_words, is_rare, rare_names


def _found(text: str, lang: str) -> list[str]:
    return [text[s.start:s.end] for s in rare_names(text, lang)]


@pytest.mark.parametrize(("text", "lang", "name"), [
    ("My colleague Zorvenk Tamsild (ops@acme.io, 0161 496 0000) will call you.", "en", "Zorvenk Tamsild"),
    ("yesterday jorvik tamsild dropped off the parcel", "en", "jorvik tamsild"),
    ("Die Bestellung hat Brolgan Hetzwik gestern aufgegeben.", "de", "Brolgan Hetzwik"),
    ("Ieri Zorvenk ha ritirato il pacco.", "it", "Zorvenk"),
])
def test_invented_name_in_a_non_cue_position_is_a_person(text: str, lang: str, name: str) -> None:
    assert _found(text, lang) == [name]


@pytest.mark.parametrize(("text", "lang"), [
    ("The Bluetooth Speaker comes in Midnight Blue, see https://shop.example.com/Zorvenk.", "en"),
    ("Die Lieferadressenänderung für die Kaffeemaschine dauert bis Dezember.", "de"),
    ("La Garantie de l'Aspirateur est de deux ans, livraison à Marseille.", "fr"),
    ("El Plan Premium incluye Soporte Prioritario en Sevilla.", "es"),
    ("De Snelstartgids van het Koffiezetapparaat ontbreekt.", "nl"),
    ("Il Servizio Clienti è aperto dal Lunedì al Venerdì a Torino.", "it"),
])
def test_benign_capitalised_sentence_is_kept(text: str, lang: str) -> None:
    assert _found(text, lang) == []


def test_common_words_are_package_data_and_keep_frequent_name_words() -> None:
    words = common_words()
    assert set(words) == {"en", "de", "fr", "es", "nl", "it"}
    assert {"will", "mark"} <= words["en"]
    assert not is_rare("Mark") and is_rare("Zorvenk")
    assert not is_rare("IKEA") and not is_rare("x2go")
