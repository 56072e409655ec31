"""Street addresses and postcode + city as people type them: a line in lower case in a message
with a capitalised greeting or sign-off, US and UK tails in lower case, Faker-style street
suffixes, floor and door parts, French street and city names with hyphens and titles. Each
address next to an ordinary sentence of the same shape that must keep every word. Every street
and town is invented (no list holds them)."""

from __future__ import annotations

import re

import pytest

from dsbuild.counters import RunCounters
from dsbuild.records import ChatMessage, ChatRecord, Lead, Role
from dsbuild.stages.pii import PiiScrubber

# (language, message, the pieces that must not survive, an ordinary message of the same shape)
CASES = [
    ("fr", "on a déménagé, nouveau bureau : 14 impasse des vorlines, 31200 quessanac\nà+ Mathilde",
     ["14 impasse des vorlines", "31200", "quessanac"], "on a 2 salles, 3 bureaux\nà+ Mathilde"),
    ("fr", "Bonjour,\n59 avenue du général vaudrec, 22149 saint-brelouan\nMerci",
     ["vaudrec", "22149", "saint-brelouan"], "Bonjour,\nnous sommes 12 dans l'équipe, à paris et lyon\nMerci"),
    ("fr", "Notre nouvelle adresse est 142, rue saint-Brairier, 53409 Jaet-les-Bains, merci.",
     ["Brairier", "53409", "Jaet-les-Bains"], "Notre nouvelle offre est à 142 euros, merci."),
    ("fr", "Colis pour chemin de Rossenac, 42699 Lefervion", ["42699", "Lefervion"],
     "Colis pour Lyon, 2 cartons"),
    ("en", "we moved! new office is 412 quorley port, lake vandrise, ca 90210",
     ["412 quorley port", "lake vandrise", "90210"], "we moved! we grew, in 10000 stores"),
    ("en", "Hi,\n15 brandek trafficway, port ellovan, ca 16010\nThanks, Bob",
     ["brandek", "ellovan", "16010"], "Hi,\ni have 3 questions, or 2\nThanks, Bob"),
    ("en", "Hi,\nplease post it to flat 5 quarrenby inlet, north shirlow cw2 0hd\nCheers",
     ["quarrenby", "shirlow", "cw2 0hd"], "Hi,\nmeet me at gate a4 2nd floor\nCheers"),
    ("en", "please ship to apt 5, 412 quorley port, lake vandrise, ca 90210 thanks",
     ["apt 5", "quorley", "vandrise", "90210"], "please ship 5 boxes, ca 10 per pallet thanks"),
    ("de", "Hallo,\nbitte an hans-j.-kuschberg-straße 37, 16078 hechlingen liefern.\nViele Grüße\nJonas",
     ["kuschberg-straße 37", "16078", "hechlingen"], "Hallo,\nich habe 3 fragen, seit 2 wochen\nViele Grüße\nJonas"),
    ("nl", "Hoi,\nnieuw adres: noudbaan 3, 5351 xl 's-heerenhoek.\nGroet, Sanne",
     ["noudbaan 3", "5351 xl", "heerenhoek"], "Hoi,\nwe hebben 2 kantoren en 3 winkels.\nGroet, Sanne"),
    ("it", "Ciao,\nspedite a contrada vergonti 52, 11319 piazza rovelli\nGrazie, Giulia",
     ["vergonti 52", "11319", "rovelli"], "Ciao,\nho pagato via paypal 2 volte\nGrazie, Giulia"),
    ("it", "Nuovo ufficio: Contrada Vergonti 52, 11319 Piazza Rovelli.",
     ["Vergonti 52", "11319", "Piazza Rovelli"], "Ho pagato via PayPal 2 volte."),
    ("es", "Mi dirección: Plaza de Rosendo Pelágez, 76, 7º izq, 27283 Villa Nueva",
     ["Pelágez", "76", "27283", "Villa Nueva"], "Mi pedido: 2 cajas de 12, 7 unidades"),
    ("es", "Hola,\nenvíenlo a avenida del solvar, 12, dcha, 41001 quintanal\nUn saludo",
     ["solvar", "41001", "quintanal"], "Hola,\ntengo 2 preguntas, calle abajo 3 veces\nUn saludo"),
    ("es", "mi nueva dirección es paseo eugenio lebrón 77 puerta 5 , 25614 ourvila, gracias.",
     ["lebrón", "25614", "ourvila"], "mi nuevo plan es de 77 euros , 25 usuarios, gracias."),
    # a lower-case address in a line that a capitalised name ends, and a state + ZIP before a dash
    ("en", "it goes to 87 quorley lodge, brackenfold, yq4 2mx not the old flat x Tamsin",
     ["quorley", "brackenfold", "yq4 2mx"], "it goes to 87 people, not the old flat x Tamsin"),
    ("en", "412 vandrise grove, ellovan, ca 90210 – that's the new billing address",
     ["vandrise", "ellovan", "90210"], "412 users, all of them, ca 90 – that's the new billing size"),
]


def _covered(text: str, found: tuple, piece: str) -> bool:  # type: ignore[type-arg]
    start = text.index(piece)
    spans = [s for s in found if s.start < start + len(piece) and start < s.end]
    return bool(spans) and min(s.start for s in spans) <= start and max(s.end for s in spans) >= start + len(piece)


@pytest.mark.parametrize("lang,text,pieces,ordinary", CASES)
def test_address_is_found_and_the_ordinary_sentence_is_kept(
        scrubber: PiiScrubber, lang: str, text: str, pieces: list[str], ordinary: str) -> None:
    found = scrubber.texts.analyze_many([text, ordinary], lang=lang)
    for piece in pieces:
        assert _covered(text, found[text], piece), (piece, found[text])
    assert [ordinary[s.start:s.end] for s in found[ordinary] if s.type == "STREET_ADDRESS"] == []


def test_the_written_message_holds_no_piece(surrogate_scrubber: PiiScrubber) -> None:
    """Through the whole stage (surrogates): no street word, postcode or town is written back."""
    records = []
    for i, (lang, text, _pieces, _ordinary) in enumerate(CASES):
        record = ChatRecord(f"a{i}", f"a{i}", [ChatMessage(Role.USER, text)], Lead())
        record.language = lang
        records.append(record)
    outs = surrogate_scrubber.scrub_batch(records, RunCounters())
    for (_lang, _text, pieces, _ordinary), out in zip(CASES, outs):
        assert isinstance(out, ChatRecord)
        written = out.messages[0].content.casefold()
        for piece in pieces:
            word = piece.split()[-1] if piece[0].isdigit() and not piece.isdigit() else piece
            assert not re.search(r"(?<!\w)" + re.escape(word.casefold()) + r"(?!\w)", written), (piece, written)
