"""Business sentences come out of the PII stage unchanged, in every language, through the real
analyzer (French with its spaCy pipeline): weekdays, months and holidays, plan and product names,
cities, salutations and short replies, sign-offs without a name. And the rules that keep them
do not cost the names standing in the same positions."""

from __future__ import annotations

import pytest

from dsbuild.stages.pii import PiiScrubber

BENIGN = [
    # English cues mixed into German must not read "im" as "I'm"
    ("de", "Können wir im Juli von Basis auf Premium wechseln?"),
    ("de", "Bieten Sie im Mai Kurse an?"),
    ("de", "Sehr geehrte Damen und Herren, die Rechnung fehlt."),
    ("de", "Gern geschehen, bis Donnerstag!"),
    ("de", "Haben Sie über Ostern geöffnet?"),
    ("de", "Kann ich mit Klarna zahlen?"),
    # a sign-off is a whole word: "gr" (Dutch) is not the start of "Groningen"
    ("nl", "We hebben vestigingen in Zwolle, Groningen en Assen."),
    ("nl", "oké, duidelijk"),
    ("nl", "Zijn jullie met Pasen open?"),
    # French: NER takes a sentence-initial word or a verb before its pronoun for a name
    ("fr", "Désolé pour le retard de livraison."),
    ("fr", "Livrez-vous le samedi à Toulouse ?"),
    ("fr", "Pouvez-vous me rappeler jeudi ?"),
    ("fr", "La version Lite suffit pour nous."),
    ("fr", "Vous avez un magasin à Nancy ?"),
    ("fr", "Vous êtes ouverts entre Noël et le jour de l'an ?"),
    ("fr", "super, merci bcp"),
    ("fr", "Parfait, c'est réglé."),
    ("es", "¿El IVA va incluido?"),
    ("es", "genial, perfecto"),
    ("es", "Saludos cordiales"),
    ("it", "benissimo, chiaro"),
    ("it", "Siete aperti a Pasquetta?"),
    ("en", "How much is the Pro Max bundle?"),
    ("en", "Is the Standard package enough for ten users?"),
    ("en", "perfect, cheers"),
    ("en", "Dear Sir or Madam, my invoice is missing."),
    ("en", "Thanks, speak Monday!"),
    ("de", "Liebe Grüße und danke nochmal"),
    ("de", "Haben Sie Abholstationen in Nürnberg?"),
    ("fr", "Veuillez agréer mes salutations distinguées."),
    ("fr", "Strasbourg, c'est desservi ?"),
    ("nl", "Geachte heer, mevrouw,"),
    ("nl", "bedankt alvast"),
    ("de", "Danke fürs Warten!"),
    ("es", "soy autónomo y necesito factura"),
    ("it", "Gentile cliente, la informiamo che il pacco è partito."),
    # a superlative of a dictionary word is no rare word (lang inflections): "lentísimo" = "lento"
    ("es", "el panel va lentísimo desde la semana pasada"),
    ("es", "la entrega fue rapidísima, gracias"),
    ("it", "la dashboard è lentissima dalla settimana scorsa"),
    ("it", "il servizio è velocissimo"),
]

# (language, sentence, name): the same positions hold a name
NAMES = [
    ("fr", "je demande pour mon mari Noël", "Noël"),
    ("fr", "Bonjour, c'est Quentoine Vaurigard", "Vaurigard"),
    ("de", "danke Tjark, bis morgen", "Tjark"),
    ("de", "Gruß Quirin", "Quirin"),
    ("nl", "Groeten, Wieger", "Wieger"),
    ("it", "perfetto, Gualtiero", "Gualtiero"),
    ("en", "Thanks, Darnell", "Darnell"),
    ("en", "ask my wife April Quibbly", "Quibbly"),
    ("en", "She named him Frank", "Frank"),
    ("en", "Follow up with Jan Jílek in a couple of months.", "Jan Jílek"),
    ("es", "Hola, me llamo Efrain Mer y tengo una duda", "Efrain Mer"),
    ("nl", "Geachte mevrouw Jansen,", "Jansen"),
]


@pytest.mark.parametrize("lang,text", BENIGN)
def test_a_business_sentence_comes_out_unchanged(scrubber: PiiScrubber, lang: str, text: str) -> None:
    found = scrubber.texts.analyze_many([text], lang=lang)[text]
    assert found == (), [text[s.start:s.end] for s in found]


@pytest.mark.parametrize("lang,text,name", NAMES)
def test_a_name_in_the_same_position_is_still_found(scrubber: PiiScrubber, lang: str, text: str,
                                                    name: str) -> None:
    found = scrubber.texts.analyze_many([text], lang=lang)[text]
    start = text.index(name)
    assert any(s.type == "PERSON" and s.start <= start and s.end >= start + len(name) for s in found), found
