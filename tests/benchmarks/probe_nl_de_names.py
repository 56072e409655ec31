"""A second probe of invented names in Dutch and German, by the positions the evaluation reports
(noncue, self_first, self_full, signoff, bot_echo; every user template again in lower case),
with phrasings written apart from every eval template set and from ``probe_name_positions``,
and benign sentences in the same shapes (capitalised nouns, brands, places, products, short
replies) that must keep every word. Invented names from both makers (Markov, syllables) on
seeds no corpus uses. Prints caught % per language and position, benign intact %, and with
``-v`` the misses (names masked as NAME) and the benign hits.

    PYTHONPATH=$PWD python tests/benchmarks/probe_nl_de_names.py [-v] [--lang nl] [--seed 61001]
"""

from __future__ import annotations

import random
import sys
from collections import Counter

from tests.benchmarks.eval_pii import make_scrubber
from tests.benchmarks.pii_names import NameMaker
from tests.benchmarks.pii_syllable_names import SyllableNameMaker
from tests.benchmarks.probe_name_positions import print_rates, probe

# position -> language -> templates ({F} {G} first names, {L} a last name); "bot" is a bot turn
NAMED: dict[str, dict[str, list[str]]] = {
    "noncue": {
        "nl": ["Ik heb {F} gisteren de code gestuurd.", "{F} {L} kan niet meer inloggen.",
               "Heeft {F} de factuur al ontvangen?", "{F} belt jullie morgen over de levering.",
               "Volgens {F} is het pakket nooit aangekomen.", "Wil {F} ook een account?",
               "De bestelling staat op naam van {F} {L}.", "{F} heeft het abonnement vorige week opgezegd.",
               "Ik werk samen met {F} en {G} aan dit project.", "Kunnen jullie {F} {L} toevoegen aan ons team?",
               "Mag {F} de facturen ook inzien?", "Het account van {F} is geblokkeerd.",
               "{F} en {G} willen allebei een licentie.", "Ik stuur {F} even een berichtje.",
               "Gisteren kwam {F} {L} langs in de winkel.", "Waarom krijgt {F} geen mails meer?",
               "Dat heeft {F} mij verteld.", "{F} {L} is onze nieuwe boekhouder.",
               "Vanaf maandag neemt {F} het over.", "Is {F} al toegevoegd als gebruiker?"],
        "de": ["Ich habe {F} gestern den Code geschickt.", "{F} {L} kann sich nicht mehr anmelden.",
               "Hat {F} die Rechnung schon bekommen?", "{F} ruft Sie morgen wegen der Lieferung an.",
               "Laut {F} ist das Paket nie angekommen.", "Will {F} auch ein Konto?",
               "Die Bestellung läuft auf {F} {L}.", "{F} hat das Abo letzte Woche gekündigt.",
               "Ich arbeite mit {F} und {G} an dem Projekt.", "Können Sie {F} {L} zu unserem Team hinzufügen?",
               "Darf {F} die Rechnungen auch sehen?", "Das Konto von {F} ist gesperrt.",
               "{F} und {G} wollen beide eine Lizenz.", "Ich schicke {F} kurz eine Nachricht.",
               "Gestern war {F} {L} bei Ihnen im Laden.", "Warum bekommt {F} keine Mails mehr?",
               "Das hat mir {F} erzählt.", "{F} {L} ist unsere neue Buchhalterin.",
               "Ab Montag übernimmt {F} das.", "Ist {F} schon als Nutzer eingetragen?"],
    },
    "self_first": {
        "nl": ["Hoi, ik ben {F}.", "Hallo, {F} hier.", "Goedemiddag, je spreekt met {F}.",
               "Hey, dit is {F} van de bakkerij.", "Met {F}, ik heb een vraag.", "{F} hier, even over mijn bestelling.",
               "Hoi! {F} weer, sorry voor het storen.", "Ik ben {F} en ik heb een probleem met de app.",
               "Hallo daar, mijn naam is {F}.", "Dag, u spreekt met {F}.", "Goedemorgen, {F} van kantoor hier.",
               "Hoi, ik heet {F}, ik bel over mijn factuur."],
        "de": ["Hallo, ich bin {F}.", "Hi, {F} hier.", "Guten Tag, hier spricht {F}.",
               "Hey, hier ist {F} von der Bäckerei.", "Moin, {F} hier, kurze Frage.", "{F} hier, wegen meiner Bestellung.",
               "Hallo! {F} nochmal, sorry für die Störung.", "Ich bin {F} und habe ein Problem mit der App.",
               "Hallo zusammen, mein Name ist {F}.", "Guten Morgen, hier ist {F}.", "Servus, ich bin der {F}.",
               "Hi, ich heiße {F}, es geht um meine Rechnung."],
    },
    "self_full": {
        "nl": ["Goedendag, mijn naam is {F} {L}.", "Ik ben {F} {L}, klant sinds 2019.", "Met {F} {L}, goedemiddag.",
               "Hallo, {F} {L} hier, ik wil opzeggen.", "Hier is {F} {L} van het verhuurbedrijf.",
               "Dit is {F} {L}, ik heb gisteren gebeld."],
        "de": ["Guten Tag, mein Name ist {F} {L}.", "Ich bin {F} {L}, Kundin seit 2019.", "Hier spricht {F} {L}, guten Tag.",
               "Hallo, {F} {L} hier, ich möchte kündigen.", "Hier ist {F} {L} von der Hausverwaltung.",
               "Mein Name ist {F} {L} und ich habe gestern angerufen."],
    },
    "signoff": {
        "nl": ["Kunnen jullie dit oplossen?\nGroet, {F}", "Alvast bedankt!\n{F}", "Graag snel antwoord.\nMvg {F} {L}",
               "dat is alles\ngroetjes {F}", "Met vriendelijke groet,\n{F} {L}", "Fijne dag nog, {F}",
               "Dank je wel!\nGr. {F}", "Tot horens, {F}", "Hartelijke groet,\n{F}", "Groeten uit Zwolle, {F}",
               "Ik hoor het graag. Groet {F} {L}", "Bedankt voor de hulp! {F}"],
        "de": ["Können Sie das lösen?\nGruß, {F}", "Danke im Voraus!\n{F}", "Bitte um schnelle Antwort.\nMfG {F} {L}",
               "das wars\nlg {F}", "Mit freundlichen Grüßen\n{F} {L}", "Schönen Tag noch, {F}",
               "Vielen Dank!\nViele Grüße {F}", "Bis bald, {F}", "Beste Grüße,\n{F}", "Grüße aus Bremen, {F}",
               "Ich freue mich auf Ihre Antwort. Gruß {F} {L}", "Danke für die Hilfe! {F}"],
    },
    "bot_echo": {
        "nl": ["Dank je wel, {F}! Ik kijk het na.", "Hoi {F}, wat kan ik voor je doen?", "Prima {F}, ik zoek het op.",
               "Helemaal goed, {F}.", "{F}, ik heb je bestelling gevonden.", "Beste {F}, je factuur is verstuurd.",
               "Welkom terug, {F}!", "Een momentje {F}, ik kijk even.", "Goed nieuws {F}: het pakket is onderweg.",
               "Sorry voor het ongemak, {F}.", "Oké {F}, dan zet ik dat voor je klaar.", "Graag gedaan, {F}!"],
        "de": ["Vielen Dank, {F}! Ich schaue nach.", "Hallo {F}, wie kann ich helfen?", "Alles klar {F}, ich suche das heraus.",
               "Gerne, {F}.", "{F}, ich habe Ihre Bestellung gefunden.", "Liebe {F}, Ihre Rechnung ist unterwegs.",
               "Willkommen zurück, {F}!", "Einen Moment bitte, {F}.", "Gute Nachrichten {F}: das Paket ist unterwegs.",
               "Entschuldigung für die Umstände, {F}.", "Okay {F}, dann richte ich das ein.", "Gern geschehen, {F}!"],
    },
}
BOT = {"bot_echo"}  # positions written by the bot: capitalised as written, not lowered

BENIGN: dict[str, list[str]] = {
    "nl": ["Ik heb Coolblue gisteren de retour gestuurd.", "Werkt het ook met Google Agenda?",
           "Heeft Excel een koppeling met jullie app?", "Spotify en Netflix staan op mijn creditcard.",
           "Volgens PostNL is het pakket nooit aangekomen.", "Wil Finance ook een account?",
           "Ik werk samen met Marketing en Sales aan dit project.", "Leveren jullie ook in Nieuwegein en Houten?",
           "Mag Boekhouding de facturen ook inzien?", "Het account van onze stichting is geblokkeerd.",
           "Ik stuur Support even een berichtje.", "Dat heeft de klantenservice mij verteld.",
           "Vanaf maandag neemt de nieuwe collega het over.", "Is het Pro-abonnement al actief?",
           "Hoi, ik ben nieuw hier.", "Hallo, iemand hier?", "Met PayPal betalen lukt niet.",
           "Dank je wel! Ik kijk het na.", "Prima, ik zoek het op.", "Helemaal goed.", "Welkom terug!",
           "Graag snel antwoord.\nMvg", "Alvast bedankt!", "Fijne dag nog!", "Groeten uit Zwolle!",
           "Ik gebruik een iPhone 13 met iOS 17.", "Kan ik betalen met Klarna of Apple Pay?",
           "Ons kantoor in Amersfoort is dicht op Koningsdag.", "De Starter-versie mist de export naar Exact.",
           "Goed nieuws: het pakket is onderweg.", "Bedankt voor de hulp!", "Zit Teams in het Business-pakket?",
           # capitalised words inside a sentence that are no person: brands, departments, languages, products
           "Ik gebruik Excel voor de export.", "Heeft Facturatie mijn betaling al gezien?",
           "Kan Exact Online gekoppeld worden?", "Wij betalen altijd via Mollie.", "Spreken jullie ook Engels?",
           "Ik heb Windows 11 en Office 365.", "Doen jullie mee met Black Friday?", "Werkt de app op Android en iOS?",
           "We gebruiken Slack en Teams intern.", "Stuur het maar naar Inkoop.", "Kan Marketing ook inloggen?",
           "Is Zakelijk duurder dan Premium?", "Werkt het ook met Outlook?", "Mijn zoon speelt graag Fortnite.",
           "Wij zitten sinds kort in Nieuwegein.", "Komt de monteur ook naar Houten?",
           "Ik heb het via Marktplaats gekocht.", "Sinds de update werkt Chrome niet meer.",
           "Het pakket kwam vandaag aan, top!", "Betalen kan met iDEAL, creditcard of PayPal?", "Alles geregeld, bedankt!",
           "We leveren alleen op werkdagen, maandag tot vrijdag."],
    "de": ["Ich habe Zalando gestern die Retoure geschickt.", "Geht das auch mit Google Kalender?",
           "Hat Excel eine Schnittstelle zu Ihrer App?", "Spotify und Netflix laufen über meine Kreditkarte.",
           "Laut DHL ist das Paket nie angekommen.", "Will die Buchhaltung auch ein Konto?",
           "Ich arbeite mit Marketing und Vertrieb an dem Projekt.", "Liefern Sie auch nach Gelnhausen und Fulda?",
           "Darf unser Steuerbüro die Rechnungen auch sehen?", "Das Konto unseres Vereins ist gesperrt.",
           "Ich schicke dem Support kurz eine Nachricht.", "Das hat mir der Kundendienst erzählt.",
           "Ab Montag übernimmt die neue Kollegin das.", "Ist der Pro-Tarif schon aktiv?",
           "Hallo, ich bin neu hier.", "Hallo, jemand da?", "Mit PayPal zahlen klappt nicht.",
           "Vielen Dank! Ich schaue nach.", "Alles klar, ich suche das heraus.", "Gerne.", "Willkommen zurück!",
           "Bitte um schnelle Antwort.\nMfG", "Danke im Voraus!", "Schönen Tag noch!", "Grüße aus Bremen!",
           "Ich nutze ein iPhone 13 mit iOS 17.", "Kann ich mit Klarna oder Apple Pay zahlen?",
           "Unser Büro in Augsburg ist am Rosenmontag zu.", "Der Starter-Version fehlt der Export nach DATEV.",
           "Gute Nachrichten: das Paket ist unterwegs.", "Danke für die Hilfe!", "Ist Teams im Business-Paket enthalten?",
           "Ich nutze Excel für den Export.", "Hat die Buchhaltung meine Zahlung schon gesehen?",
           "Kann man DATEV anbinden?", "Wir zahlen immer über Mollie.", "Sprechen Sie auch Englisch?",
           "Ich habe Windows 11 und Office 365.", "Machen Sie bei Black Friday mit?", "Läuft die App auf Android und iOS?",
           "Wir nutzen Slack und Teams intern.", "Schicken Sie es an den Einkauf.", "Kann Marketing sich auch anmelden?",
           "Seit dem Update geht Chrome nicht mehr.", "Wir sitzen seit kurzem in Eschborn.",
           "Kommt der Techniker auch nach Hanau?", "Ich habe es über Kleinanzeigen gekauft.",
           # a capitalised noun after a comma that ends the sentence
           "Das Paket kam heute an, Klasse!", "Danke für die schnelle Hilfe, Kompliment!",
           "Zahlung per Überweisung, Karte oder PayPal?", "Alles erledigt, Danke!", "Wir liefern nur werktags, Montag bis Freitag.",
           "Bitte mit Rechnung, Lieferschein reicht nicht.", "Es fehlt noch etwas, Schrauben."],
}


def _names(maker: NameMaker, lang: str) -> dict[str, str]:
    return {"F": maker.invent(lang, "first"), "G": maker.invent(lang, "first"), "L": maker.invent(lang, "last")}


def main() -> None:
    verbose = "-v" in sys.argv
    only = sys.argv[sys.argv.index("--lang") + 1] if "--lang" in sys.argv else None
    seed = int(sys.argv[sys.argv.index("--seed") + 1]) if "--seed" in sys.argv else 61001
    scrubber = make_scrubber()
    caught: Counter[tuple[str, str]] = Counter()
    total: Counter[tuple[str, str]] = Counter()
    misses: list[str] = []
    langs = [x for x in ("nl", "de") if not only or x == only]
    for lang in langs:
        makers = [NameMaker(random.Random(seed)), SyllableNameMaker(random.Random(seed + 1))]
        probe(scrubber, lang, NAMED, BENIGN[lang], makers, _names, BOT, caught, total, misses)
    print_rates(caught, total, langs, list(NAMED) + ["lower", "benign"])
    if verbose:
        print("\n".join(misses))


if __name__ == "__main__":
    main()
