"""Business sentences come out of the PII stage unchanged, in every language, through the real
analyzer (French with its spaCy pipeline): weekdays, months and holidays, plan and product names,
cities, salutations and short replies, sign-offs without a name. And the rules that keep them
do not cost the names standing in the same positions."""

from __future__ import annotations

import pytest

from dsbuild.records import Lead
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


# Lines nobody tuned on (issue 11, heldout2): a benign line is intact when every word survives.
# (language, line), by category; each is also tried in lower case where the case is the point.
UNTUNED = [
    # payment methods, carriers, software: a brand in a business frame, or written like a brand
    ("en", "Can I pay with Lydia?"),
    ("en", "Does it integrate with Lexoffice?"),
    ("en", "My Thermomix order hasn't arrived."),
    ("de", "Versand mit Evri oder mit der Post?"),
    ("de", "Kann ich mit Alma bezahlen?"),
    ("de", "Gibt es eine Schnittstelle zu Holded?"),
    ("fr", "Vous acceptez Revolut ou seulement la carte ?"),
    ("fr", "La garantie Tefal, c'est vous ?"),
    ("es", "¿Puedo pagar con Revolut?"),
    ("es", "¿Aceptáis Scalapay o solo tarjeta?"),
    ("nl", "Kan ik met Alma betalen?"),
    ("nl", "Mijn Nespresso bestelling is niet aangekomen."),
    ("it", "Posso pagare con Revolut?"),
    ("it", "Il tecnico di Bosch passa martedì."),
    ("it", "Spedizione con InPost o ritiro in negozio?"),
    ("en", "Is the HubSpot sync broken?"),
    ("de", "Wir nutzen QuickBooks seit Mai."),
    # cities no list holds, in a place's frame
    ("fr", "Vous livrez à Quimperlé ?"),
    ("es", "¿Enviáis a Ponferrada?"),
    ("it", "Spedite anche a Pordenone?"),
    ("de", "Liefern Sie auch nach Gelnhausen?"),
    # role words with no name, then a verb or an adverb
    ("it", "la mia collega chiede se c'è uno sconto"),
    ("it", "mio marito preferisce pagare alla consegna"),
    ("de", "Meine Kollegin fragt, ob es Rabatt gibt."),
    ("de", "Ich habe gestern mit Ihrem Kollegen gesprochen."),
    ("en", "I spoke with your colleague yesterday."),
    ("es", "Hablé con su compañero ayer."),
    # holidays named after people, saints' days
    ("it", "Siete aperti a Santo Stefano?"),
    ("es", "Día de Reyes cerramos."),
    ("es", "¿Los Reyes Magos llegan a tiempo con el envío?"),
    ("es", "¿Llega antes de Reyes?"),
    # names that are also words, as verbs and nouns
    ("en", "Bill me monthly please."),
    ("en", "Grace period?"),
    ("en", "Mark it as paid."),
    # greetings to a group, departments signing
    ("it", "ciao ragazzi, una domanda"),
    ("es", "hola chicos, una pregunta"),
    ("de", "Hallo Leute, kurze Frage"),
    ("de", "Viele Grüße, Buchhaltung"),
    ("en", "Kind regards, Purchasing"),
    # colours and models that are names
    ("it", "Vorrei la taglia M in colore Oliva."),
    ("it", "Il modello Bianca è disponibile?"),
    # a typo where the casing says nothing, of a list word anywhere
    ("it", "Psoso pagare con carta?"),
    ("de", "Kmomt es noch vor Weihnachten?"),
    ("en", "Are you open on Eastre?"),
    # dates are no order or phone numbers, "IVA" is VAT
    ("it", "L'ordine del 12/03 non è arrivato."),
    ("de", "Die Bestellung vom 12.03.2024 ist nicht angekommen."),
    ("fr", "Commande du 12.03.2024 toujours pas reçue."),
    ("es", "El pedido del 2024-03-12 no llegó."),
    ("it", "Il prezzo è 19,99 € IVA inclusa."),
    ("de", "Mo-Fr 9.00-18.00 Uhr, Sa 10.00-14.00 Uhr."),
    # verb forms of dictionary verbs in lower case
    ("fr", "vous livrez à quimper ?"),
    ("it", "xero non sincronizza più"),
    # a brand frame's list goes on ("payer par chèque, PayPal, Lydia ou espèces"); a count's noun
    # ("2 bis 4 Werktage"); a month before "von" + a city is no "first name von surname"; a verb's
    # first person plural opening a sentence ("Spediamo", "Enviamos")
    ("fr", "On peut payer par chèque, PayPal, Lydia ou espèces ?"),
    ("de", "Die Rückzahlung dauert 2 bis 4 Werktage."),
    ("de", "Wir sind im Mai von Köln nach Bonn gezogen."),
    ("it", "Spediamo anche a Bari in due giorni."),
    ("es", "Enviamos también a Sevilla los sábados."),
]

# the same frames and shapes hold a name
UNTUNED_NAMES = [
    ("en", "Please send the invoice to Lydia Brolvink.", "Brolvink"),
    ("de", "Ich habe mit Tjark Oberhuber gesprochen.", "Oberhuber"),
    ("it", "Ho parlato con Gualtiero ieri.", "Gualtiero"),
    ("it", "il mio collega galassia gadini vi richiama domani", "gadini"),
    ("de", "danke arm, ich habe das notiert.", "arm"),
    ("en", "please talk to my wife pebble, she handles the account", "pebble"),
    ("fr", "Henrie et moi avons besoin d'un accès.", "Henrie"),
    ("en", "Hi, I'm DeShawn McKenzie.", "McKenzie"),
    ("it", "Mi chiamo Santo Rossi.", "Santo"),
    ("es", "Saludos, Reyes", "Reyes"),
    ("en", "Bill said the invoice is wrong.", "Bill"),
    ("en", "I paid with Visa, Maria paid cash.", "Maria"),
    ("de", "Ich habe mit Lisa von Bergen gesprochen.", "Bergen"),
]


@pytest.mark.parametrize("lang,text", UNTUNED)
def test_a_benign_line_nobody_tuned_on_comes_out_unchanged(scrubber: PiiScrubber, lang: str, text: str) -> None:
    found = scrubber.texts.analyze_many([text], lang=lang)[text]
    assert found == (), [text[s.start:s.end] for s in found]


@pytest.mark.parametrize("lang,text,name", UNTUNED_NAMES)
def test_a_name_in_those_frames_is_still_found(scrubber: PiiScrubber, lang: str, text: str, name: str) -> None:
    found = scrubber.texts.analyze_many([text], lang=lang)[text]
    start = text.index(name)
    assert any(s.type == "PERSON" and s.start <= start and s.end >= start + len(name) for s in found), found


def test_a_benign_line_stays_intact_in_a_conversation_with_a_name_and_a_lead(scrubber: PiiScrubber) -> None:
    """Across the conversation too: the writer's invented name is replaced, the brands, the
    role words and the saint's day elsewhere stay."""
    from tests.stages.conftest import scrub
    lead = Lead(name="Quirin Vaurigard", email="quirin.vaurigard@mail.example")
    lines = ["Buongiorno, mi chiamo Quirin Vaurigard.", "Posso pagare con Revolut?",
             "il mio commercialista chiede la fattura", "Siete aperti a Santo Stefano?", "Grazie, Quirin"]
    out = scrub(scrubber, lines, lead)
    assert isinstance(out, list)
    assert "Quirin" not in out[0] and "Quirin" not in out[4]
    assert out[1:4] == lines[1:4]


@pytest.mark.parametrize("lang,text,number", [("de", "Meine Nummer ist 0151 23456789", "0151 23456789"),
                                              ("fr", "Mon numéro : 06.12.34.56.78", "06.12.34.56.78")])
def test_a_phone_number_shaped_like_no_date_is_still_found(scrubber: PiiScrubber, lang: str, text: str,
                                                           number: str) -> None:
    found = scrubber.texts.analyze_many([text], lang=lang)[text]
    start = text.index(number)
    assert any(s.type == "PHONE_NUMBER" and s.start <= start and s.end >= start + len(number) for s in found), found
