"""Per-language PII: names no list holds, local address and phone shapes, card/IBAN cues,
national ids, and the business sentences that must survive, through the real analyzer."""

from __future__ import annotations

import re

import pytest

from dsbuild.stages.pii import PiiScrubber
from dsbuild.stages.pii.boosters import cue_names, money_numbers, street_addresses
from dsbuild.stages.pii.langdata import LANGUAGES, lang_data
from dsbuild.stages.pii.names import is_name

# (language, sentence, the planted values that must not survive). Every name is invented and
# absent from the gazetteer (checked below): recall comes from the context, not the list.
PLANTED = [
    ("en", "Please also add my colleague Darnell Quibbly (darnell@quibbly.org, 599-275-7430)",
     ["Darnell", "Quibbly", "599-275-7430"]),
    ("en", "call 03 291-1354 or 001-676-956-2917, or my mobile +441632 960271",
     ["03 291-1354", "001-676-956-2917", "+441632 960271"]),
    ("en", "Send it to Studio 40f, Georgia Stravenue, Lake Paige, HU3 1NW please",
     ["Studio 40f", "Georgia Stravenue", "Lake Paige", "HU3 1NW"]),
    ("en", "card 4111.1111.1111.1111, IBAN DE 89 370 400 440 532 013 000",
     ["4111.1111.1111.1111", "DE 89 370 400 440 532 013 000"]),
    ("de", "Ich bin Tjark Oberhuber und möchte mein Abo kündigen.", ["Tjark", "Oberhuber"]),
    ("de", "gruß jorvik", ["jorvik"]),
    ("de", "Bitte schicken Sie die Lieferung an Hansa-Allee 107, 74068 Gelnhausen.",
     ["Hansa-Allee 107", "74068", "Gelnhausen"]),
    ("de", "Mein Kollege Quirin Babelsdorf meldet sich morgen.", ["Quirin", "Babelsdorf"]),
    ("de", "Kreditkarte 4111 1111 1111 1112, Handy 0171 2345678", ["4111 1111 1111 1112", "0171 2345678"]),
    ("fr", "bonjour c'est odalric", ["odalric"]),
    ("fr", "Je m'appelle Aurélien Fouquemberg, j'habite 12 rue de la Paix, 75002 Paris",
     ["Aurélien", "Fouquemberg", "12 rue de la Paix", "75002"]),
    ("fr", "Ma collègue Solène Vaurigard vous écrira. Cordialement, Maëlys",
     ["Solène", "Vaurigard", "Maëlys"]),
    ("fr", "carte bancaire 4970 1012 3456 7890, mon portable 06 12 34 56 78",
     ["4970 1012 3456 7890", "06 12 34 56 78"]),
    ("es", "Me llamo Xabier Urkiola y vivo en Calle Mayor, 5, 28013 Madrid",
     ["Xabier", "Urkiola", "Calle Mayor, 5", "28013"]),
    ("es", "mi compañero Ander Zubeldia llamará. Saludos, Fermina", ["Ander", "Zubeldia", "Fermina"]),
    ("es", "Mi DNI es 12345678Z y mi móvil 612 345 678", ["12345678Z", "612 345 678"]),
    ("nl", "hoi met marnix", ["marnix"]),
    ("nl", "Mijn naam is Marnix Hoebeek, Thomstraat 189, 2763 FB Udenhout",
     ["Marnix", "Hoebeek", "Thomstraat 189", "2763 FB", "Udenhout"]),
    ("nl", "Mijn collega Jelmer Pannekeet belt u op 06-12345678", ["Pannekeet", "06-12345678"]),
    ("nl", "Met vriendelijke groet, Wieger van Wabeke", ["Wieger", "Wabeke"]),
    ("it", "Mi chiamo Tancredi Brunamonti, abito in Via Roma 10, 00184 Roma",
     ["Tancredi", "Brunamonti", "Via Roma 10", "00184"]),
    ("it", "il mio collega Gianmaria Vanzetti, codice fiscale RSSMRA85T10A562S",
     ["Gianmaria", "Vanzetti", "RSSMRA85T10A562S"]),
    ("it", "carta di credito 4111 1111 1111 1112. Saluti, Gualtiero", ["4111 1111 1111 1112", "Gualtiero"]),
    # obfuscated emails, customer and order numbers, national ids Presidio lacks (FR NIR, NL BSN)
    ("de", "mail: quirin.b [at] web [dot] de, Kundennummer KDNR-383211", ["quirin.b [at] web [dot] de", "KDNR-383211"]),
    ("fr", "où en est la commande a34-79318 ? NIR 1 91 05 16 777 631 07", ["a34-79318", "1 91 05 16 777 631 07"]),
    ("nl", "mail me op marnix.h at gmail dot com, BSN 111222333", ["marnix.h at gmail dot com", "111222333"]),
    # vocatives, name slots, lower-case towns after a street
    ("de", "Kein Problem, Tjark. Noch etwas?", ["Tjark"]),
    ("es", "¿odalrico también puede entrar con nuestra cuenta?", ["odalrico"]),
    ("it", "il mio nuovo indirizzo è Via Pelissou 12 - 95517 sansepolcro (rm)", ["Pelissou", "95517", "sansepolcro"]),
    # a rejected cue word may itself be a cue; particles inside names; dash sign-offs
    ("es", "hola soy Jovidad otra vez", ["Jovidad"]),
    ("nl", "Sylvier van den Wabeke zei dat de factuur niet klopt", ["Sylvier van den Wabeke"]),
    ("en", "refund it please - danie", ["danie"]),
    ("fr", "mon collègue tric grent vous rappellera demain", ["tric grent"]),
]
BENIGN = [
    ("en", "We have offices in several cities, including Manchester and Leeds."),
    ("en", "Our support team is available Monday to Friday, 9am to 6pm CET."),
    ("en", "You can reach us via WhatsApp 24/7."),
    ("de", "Wie sind Ihre Öffnungszeiten am Samstag?"),
    ("de", "Ich bin Kunde seit 2019 und sehr zufrieden."),
    ("de", "Am Montag um 10 Uhr passt es mir."),
    ("fr", "Avez-vous une agence à Lyon ?"),
    ("fr", "c'est urgent pour ma commande"),
    ("fr", "Nos horaires : du lundi au vendredi de 9h à 18h."),
    ("es", "El horario es de lunes a viernes, de 9 a 18 h."),
    ("nl", "Hebben jullie een winkel in Utrecht?"),
    ("nl", "Zijn jullie open op zaterdag?"),
    ("it", "Avete un negozio a Milano?"),
    ("it", "Siamo aperti dal lunedì al venerdì."),
    ("it", "Grazie dell'attesa, ho inoltrato la richiesta all'ufficio fatture."),
    ("en", "I'm at home.Thanks for the quick answer"),
    ("de", "Die Lieferung 10000 Euro frei Haus, Bestellungen ab 50 Euro."),
    ("de", "mein mann hat das konto eröffnet"),
    ("en", "my colleague needs access too, thanks, that helps a lot"),
    ("nl", "Mijn collega belt u morgen terug."),
]


def _invented(values: list[str]) -> list[str]:
    return [w for v in values for w in re.findall(r"[^\W\d_]{4,}", v)]


@pytest.mark.parametrize("lang,text,values", PLANTED)
def test_planted_values_are_found(scrubber: PiiScrubber, lang: str, text: str,
                                  values: list[str]) -> None:
    found = scrubber.texts.analyze_many([text], lang=lang)[text]
    for value in values:
        start = text.index(value)
        covered = [s for s in found if s.start < start + len(value) and start < s.end]
        assert covered and min(s.start for s in covered) <= start \
            and max(s.end for s in covered) >= start + len(value), (value, found)


def test_planted_names_are_not_in_the_gazetteer() -> None:
    known = {"Marnix", "Roma", "Paris", "Madrid", "Mayor", "Paix", "Stravenue", "Georgia", "Lake",
             "Paige", "Studio", "Allee", "Hansa", "Jelmer", "Wieger", "Tancredi", "Gianmaria",
             "Ander", "Xabier", "Thomstraat", "Calle", "Gelnhausen", "Udenhout"}
    names = [w for lang, text, values in PLANTED for w in _invented(values)
             if w[0].isupper() or w.islower()]
    assert [w for w in names if is_name(w) and w not in known] == []


@pytest.mark.parametrize("lang,text", BENIGN)
def test_business_sentences_survive(scrubber: PiiScrubber, lang: str, text: str) -> None:
    assert scrubber.texts.analyze_many([text], lang=lang)[text] == ()


def test_every_language_has_its_data_file() -> None:
    for lang in LANGUAGES:
        d = lang_data(lang)
        assert d.code == lang and d.region
    assert lang_data("pt").code == "en"  # an unconfigured language falls back, never fails


def test_cues_are_per_language() -> None:
    # a German sign-off is not an English one: "gruß" means nothing to English text
    assert cue_names("gruß jorvik", "de") and not cue_names("gruß jorvik", "en")
    assert street_addresses("Via Roma 10, 00184 Roma", "it")
    assert money_numbers("Kreditkarte 4111 1111 1111 1112", "de")
    assert not money_numbers("Kreditkarte 4111 1111 1111 1112", "en")


def test_name_particles_alone_are_words() -> None:
    from dsbuild.stages.pii.business import BusinessFilter
    from dsbuild.stages.pii.langdata import name_particles
    from dsbuild.stages.pii.spans import NER, Span

    assert {"van", "de", "von", "di"} <= name_particles()
    text = "De levering komt van het magazijn, van maandag tot vrijdag."
    keep = BusinessFilter([]).keep
    assert not keep(Span(17, 20, "PERSON", 0.85, NER), text, "nl")  # "van" alone
    assert keep(Span(0, 7, "PERSON", 0.85, NER), "Jan van der Berg", "nl")


def test_common_words_read_by_block_are_every_line_of_the_file() -> None:
    """The shipped word lists, read one language's block at a time, hold what reading the file
    line by line gives; a file whose languages are not in blocks is read line by line."""
    import gzip
    from importlib import resources

    from dsbuild.stages.pii import langdata

    blob = resources.files("dsbuild.stages.pii").joinpath("lang/common_words.txt.gz").read_bytes()
    text = gzip.decompress(blob).decode("utf-8")
    by_line: dict[str, set[str]] = {}
    for line in text.splitlines():
        lang, _, word = line.partition("\t")
        by_line.setdefault(lang, set()).add(word)
    assert langdata.dictionary_words() == by_line
    assert set(langdata.LANGUAGES) <= set(by_line)
    assert langdata._dictionary_words_by_line("en\ta\nde\tc\nen\tb\n") == {
        "en": frozenset({"a", "b"}), "de": frozenset({"c"})}
