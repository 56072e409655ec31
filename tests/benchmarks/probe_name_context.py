"""A third probe of invented names in German, Dutch and English, written apart from every eval
template set and from the other probes: names as the object of a verb or a preposition, after a
job or role noun ("unsere Technikerin X", "onze monteur X", "our intern X"), as the subject
before a verb, in lists, after a dash or on a sign-off line, introductions without the usual
cues, and every user sentence again in lower case; benign sentences in the same shapes (German
nouns after verbs and roles, brands, places, products) that must keep every word. Invented names
from both makers (Markov, syllables).

Two seed groups: ``--seed`` (default 64001, for tuning: read its misses with ``-v``) and
``--unseen`` (default 64901: run it for the figures only, never read its misses), so a rule
can be checked to generalise to names it was not written against.

    PYTHONPATH=$PWD python tests/benchmarks/probe_name_context.py [-v] [--lang de] [--seed N] [--unseen]
"""

from __future__ import annotations

import random
import sys
from collections import Counter

from tests.benchmarks.eval_pii import make_scrubber
from tests.benchmarks.pii_names import NameMaker
from tests.benchmarks.pii_syllable_names import SyllableNameMaker
from tests.benchmarks.probe_name_positions import print_rates, probe

LANGS = ("de", "nl", "en")
# position -> language -> templates ({F} {G} first names, {L} a last name); "bot" is a bot turn
NAMED: dict[str, dict[str, list[str]]] = {
    "object": {  # after a verb or a preposition
        "de": ["Bitte leiten Sie die Mail an {F} weiter.", "Können Sie {F} {L} Bescheid geben?",
               "Wir haben {F} letzte Woche eingestellt.", "Ich vertrete diese Woche {F}.",
               "Bitte fügen Sie {F} {L} als Nutzerin hinzu.", "Die Rechnung ging versehentlich an {F}.",
               "Ich habe {F} gebeten, das Formular auszufüllen.", "Schreiben Sie bitte direkt {F} {L} an.",
               "Zuständig ist bei uns {F}.", "Fragen Sie am besten bei {F} nach.",
               "Ich bestelle das für {F} {L}.", "Zusammen mit {F} haben wir das getestet.",
               "Der Techniker hat mit {F} telefoniert.", "Rufen Sie bitte {F} zurück.",
               "Das Passwort hat {F} {L} geändert."],
        "nl": ["Kunnen jullie de mail doorsturen naar {F}?", "Laat {F} {L} even weten wanneer het klaar is.",
               "We hebben {F} vorige maand aangenomen.", "Deze week neem ik het over van {F}.",
               "Voeg {F} {L} alsjeblieft toe als gebruiker.", "De factuur is per ongeluk naar {F} gegaan.",
               "Ik heb {F} gevraagd het formulier in te vullen.", "Mail {F} {L} maar rechtstreeks.",
               "Bij ons regelt {F} dat.", "Vraag het maar aan {F}.", "Ik bestel het voor {F} {L}.",
               "Samen met {F} hebben we het getest.", "De monteur heeft {F} gebeld.",
               "Kunt u {F} terugbellen?", "Het wachtwoord is door {F} {L} gewijzigd."],
        "en": ["Please forward the email to {F}.", "Can you let {F} {L} know when it is ready?",
               "We hired {F} last month.", "I'm covering for {F} this week.",
               "Please add {F} {L} as a user.", "The invoice went to {F} by mistake.",
               "I asked {F} to fill in the form.", "Just email {F} {L} directly.",
               "Over here {F} handles that.", "Best to check with {F}.", "I'm ordering this for {F} {L}.",
               "Together with {F} we tested it.", "The engineer phoned {F} yesterday.",
               "Could you call {F} back?", "The password was changed by {F} {L}."],
    },
    "role": {  # after a job or role noun
        "de": ["Unsere Technikerin {F} hat das Problem gemeldet.", "Mein Vermieter {F} {L} braucht die Rechnung.",
               "Die Praktikantin {F} kommt nicht ins System.", "Unser Steuerberater {F} {L} hat Fragen.",
               "Meine Nachbarin {F} hat das Paket angenommen.", "Ihr Kollege {F} hat mir das versprochen.",
               "Unsere Geschäftsführerin {F} {L} möchte kündigen.", "Der Fahrer {F} war sehr freundlich."],
        "nl": ["Onze monteur {F} heeft het probleem gemeld.", "Mijn huisbaas {F} {L} wil de factuur.",
               "De stagiaire {F} komt niet in het systeem.", "Onze accountant {F} {L} heeft vragen.",
               "Mijn buurvrouw {F} heeft het pakket aangenomen.", "Uw collega {F} had het beloofd.",
               "Onze directeur {F} {L} wil opzeggen.", "De bezorger {F} was erg vriendelijk."],
        "en": ["Our technician {F} reported the problem.", "My landlord {F} {L} needs the invoice.",
               "The intern {F} can't get into the system.", "Our accountant {F} {L} has questions.",
               "My neighbour {F} took the parcel.", "Your colleague {F} promised me that.",
               "Our managing director {F} {L} wants to cancel.", "The driver {F} was very friendly."],
    },
    "subject": {  # a name opening the sentence before a verb, and lists
        "de": ["{F} ist diese Woche im Urlaub.", "{F} {L} kümmert sich ab jetzt um die Abrechnung.",
               "Danke! {F} meldet sich dann bei Ihnen.", "{F}, {G} und ich brauchen je einen Zugang.",
               "Heute ist {F} krank, deshalb schreibe ich.", "{F} {L} übernimmt ab morgen."],
        "nl": ["{F} is deze week op vakantie.", "{F} {L} doet vanaf nu de administratie.",
               "Dank je! {F} neemt dan contact op.", "{F}, {G} en ik hebben elk een account nodig.",
               "Vandaag is {F} ziek, daarom schrijf ik.", "{F} {L} neemt het morgen over."],
        "en": ["{F} is on holiday this week.", "{F} {L} looks after billing from now on.",
               "Thanks! {F} will get back to you.", "{F}, {G} and I each need an account.",
               "{F} is off sick today, so I'm writing.", "{F} {L} takes over tomorrow."],
    },
    "intro": {
        "de": ["Guten Abend, {F} {L} ist mein Name.", "Hallo, am Telefon war vorhin {F}.",
               "Hi, hier meldet sich {F} wegen des Vertrags.", "Grüß Gott, {F} aus Linz, ich hätte eine Frage.",
               "Moin moin, {F} {L} von der Firma nebenan.", "Tag, ich wäre die {F}."],
        "nl": ["Goedenavond, {F} {L} is mijn naam.", "Hallo, aan de telefoon was net {F}.",
               "Hoi, hier meldt {F} zich over het contract.", "Dag, {F} uit Gent, ik heb een vraag.",
               "Hallo hallo, {F} {L} van het bedrijf hiernaast.", "Hoi, ik ben de {F} van gisteren."],
        "en": ["Good evening, {F} {L} is my name.", "Hi, you spoke to {F} on the phone earlier.",
               "Hello, {F} getting in touch about the contract.", "Hey, {F} from Leeds, quick question.",
               "Hiya, {F} {L} from the company next door.", "Hi, it's {F} from yesterday."],
    },
    "signoff": {
        "de": ["Das wäre alles.\n{F}", "Danke euch!\n{F} {L}", "Bis morgen\n- {F}", "Gruß aus Köln\n{F}",
               "Viele Grüße und ein schönes Wochenende\n{F} {L}", "Ich warte auf Ihre Antwort.\n\n{F}"],
        "nl": ["Dat was het.\n{F}", "Bedankt allemaal!\n{F} {L}", "Tot morgen\n- {F}", "Groet uit Gent\n{F}",
               "Groetjes en een fijn weekend\n{F} {L}", "Ik wacht op jullie antwoord.\n\n{F}"],
        "en": ["That's all.\n{F}", "Thanks all!\n{F} {L}", "See you tomorrow\n- {F}", "Greetings from Leeds\n{F}",
               "Best wishes and have a nice weekend\n{F} {L}", "Looking forward to your reply.\n\n{F}"],
    },
    "bot": {
        "de": ["Danke für Ihre Geduld, {F}.", "Guten Morgen {F}, ich habe nachgesehen.",
               "Ich habe {F} {L} als Nutzerin angelegt.", "Das Konto von {F} ist wieder frei."],
        "nl": ["Bedankt voor je geduld, {F}.", "Goedemorgen {F}, ik heb het nagekeken.",
               "Ik heb {F} {L} als gebruiker aangemaakt.", "Het account van {F} is weer vrij."],
        "en": ["Thanks for your patience, {F}.", "Good morning {F}, I've checked.",
               "I've set {F} {L} up as a user.", "{F}'s account is unlocked again."],
    },
}
BOT = {"bot"}  # written by the bot: capitalised as written, not lowered

BENIGN: dict[str, list[str]] = {
    "de": ["Bitte leiten Sie die Mail an den Vertrieb weiter.", "Können Sie der Buchhaltung Bescheid geben?",
           "Wir haben Verstärkung letzte Woche eingestellt.", "Ich vertrete diese Woche die Zentrale.",
           "Bitte fügen Sie Lesezugriff für alle hinzu.", "Die Rechnung ging versehentlich an Amazon.",
           "Ich habe Support gebeten, das Formular zu prüfen.", "Zuständig ist bei uns Marketing.",
           "Fragen Sie am besten bei DHL nach.", "Ich bestelle das für Weihnachten.",
           "Zusammen mit Shopify haben wir das getestet.", "Der Techniker hat mit Vodafone telefoniert.",
           "Unsere Technikerin hat das Problem gemeldet.", "Die Praktikantin kommt nicht ins System.",
           "Der Fahrer war sehr freundlich.", "Diese Woche ist Inventur.", "Heute ist Feiertag, deshalb schreibe ich.",
           "Danke! Wir melden uns dann bei Ihnen.", "Outlook, Teams und Excel brauchen je eine Lizenz.",
           "Das wäre alles.", "Danke euch!", "Bis morgen", "Gruß aus Köln", "Ich warte auf Ihre Antwort.",
           "Danke für Ihre Geduld.", "Guten Morgen, ich habe nachgesehen.", "Das Konto ist wieder frei.",
           "Hallo, am Telefon war vorhin niemand.", "Moin moin, kurze Frage zum Vertrag.",
           "Bitte rufen Sie morgen Vormittag zurück.", "Der Export nach Lexware klappt nicht.",
           "Wir haben Filialen in Bamberg und Passau.", "Die Lieferung kam mit Hermes statt mit GLS.",
           "Ich habe die Bestellung storniert, Grund: Doppelbestellung."],
    "nl": ["Kunnen jullie de mail doorsturen naar Verkoop?", "Laat de administratie even weten wanneer het klaar is.",
           "We hebben versterking vorige maand aangenomen.", "Deze week neem ik het over van de receptie.",
           "Voeg leesrechten alsjeblieft toe voor iedereen.", "De factuur is per ongeluk naar Bol gegaan.",
           "Bij ons regelt Marketing dat.", "Vraag het maar aan PostNL.", "Ik bestel het voor Sinterklaas.",
           "Samen met Shopify hebben we het getest.", "De monteur heeft KPN gebeld.",
           "Onze monteur heeft het probleem gemeld.", "De stagiaire komt niet in het systeem.",
           "De bezorger was erg vriendelijk.", "Deze week is het inventaris.", "Vandaag is het Pasen, daarom schrijf ik.",
           "Dank je! We nemen dan contact op.", "Outlook, Teams en Excel hebben elk een licentie nodig.",
           "Dat was het.", "Bedankt allemaal!", "Tot morgen", "Groet uit Gent", "Ik wacht op jullie antwoord.",
           "Bedankt voor je geduld.", "Goedemorgen, ik heb het nagekeken.", "Het account is weer vrij.",
           "Hallo, aan de telefoon was net niemand.", "Hallo hallo, korte vraag over het contract.",
           "Kunt u morgenochtend terugbellen?", "De export naar Exact lukt niet.",
           "We hebben winkels in Zwolle en Breda.", "Het pakket kwam met DHL in plaats van PostNL."],
    "en": ["Please forward the email to Sales.", "Can you let accounting know when it is ready?",
           "We hired two contractors last month.", "I'm covering for reception this week.",
           "Please add read access for everyone.", "The invoice went to Amazon by mistake.",
           "Over here Marketing handles that.", "Best to check with FedEx.", "I'm ordering this for Christmas.",
           "Together with Shopify we tested it.", "The engineer phoned Vodafone yesterday.",
           "Our technician reported the problem.", "The intern can't get into the system.",
           "The driver was very friendly.", "This week is stocktaking.", "Today is a bank holiday, so I'm writing.",
           "Thanks! We will get back to you.", "Outlook, Teams and Excel each need a licence.",
           "That's all.", "Thanks all!", "See you tomorrow", "Greetings from Leeds", "Looking forward to your reply.",
           "Thanks for your patience.", "Good morning, I've checked.", "The account is unlocked again.",
           "Hi, you spoke to nobody on the phone earlier.", "Hiya, quick question about the contract.",
           "Could you call back tomorrow morning?", "The export to Xero fails.",
           "We have shops in Swindon and Bristol.", "The parcel came with DPD instead of Royal Mail."],
}


def _names(maker: NameMaker, lang: str) -> dict[str, str]:
    return {"F": maker.invent(lang, "first"), "G": maker.invent(lang, "first"), "L": maker.invent(lang, "last")}


def run(seed: int, langs: list[str], verbose: bool) -> None:
    scrubber = make_scrubber()
    caught: Counter[tuple[str, str]] = Counter()
    total: Counter[tuple[str, str]] = Counter()
    misses: list[str] = []
    for lang in langs:
        makers = [NameMaker(random.Random(seed)), SyllableNameMaker(random.Random(seed + 1))]
        probe(scrubber, lang, NAMED, BENIGN[lang], makers, _names, BOT, caught, total, misses)
    print(f"seed {seed}")
    print_rates(caught, total, langs, list(NAMED) + ["lower", "benign"])
    if verbose:
        print("\n".join(misses))


def main() -> None:
    verbose = "-v" in sys.argv
    only = sys.argv[sys.argv.index("--lang") + 1] if "--lang" in sys.argv else None
    langs = [x for x in LANGS if not only or x == only]
    if "--unseen" in sys.argv:  # figures only: its misses are never read
        run(64901, langs, verbose=False)
        return
    seed = int(sys.argv[sys.argv.index("--seed") + 1]) if "--seed" in sys.argv else 64001
    run(seed, langs, verbose)


if __name__ == "__main__":
    main()
