"""A probe of invented names by position, written apart from every eval template set: names in
no cue position (a sentence's subject or object, after a verb, in a list), writers introducing
themselves without an English-like cue, all lower case, and benign sentences in the same shapes
with capitalised nouns, products and places. Invented names from both makers (Markov, seed 51973;
syllables, seed 51974; no corpus uses them). Prints caught % per language and position, benign
intact %, and with ``-v`` the misses (names masked as NAME) and the benign hits.

    PYTHONPATH=$PWD python tests/benchmarks/probe_name_positions.py [-v] [--lang de]
"""

from __future__ import annotations

import random
import sys
from collections import Counter
from collections.abc import Callable, Collection

from dsbuild.stages.pii import PiiScrubber
from tests.benchmarks.eval_pii import make_scrubber
from tests.benchmarks.pii_names import NameMaker, fold
from tests.benchmarks.pii_syllable_names import SyllableNameMaker

# position -> language -> templates ({F} {L}: capitalised first/last; {f} {l}: lower case)
NAMED: dict[str, dict[str, list[str]]] = {
    "noncue": {
        "en": ["{F} {L} sent us the contract on Friday.", "I asked {F} whether the parcel came.",
               "Yesterday {F} called your hotline twice.", "The refund should go to {F} {L}, not me.",
               "Both {F} and {G} need a login.", "Tell {F} the meeting moved to Monday.",
               "{F} wants to know if the upgrade is free.", "Could {F} {L} get the invoice too?"],
        "de": ["{F} {L} hat uns den Vertrag geschickt.", "Ich habe {F} gefragt, ob das Paket da ist.",
               "Gestern hat {F} zweimal bei Ihnen angerufen.", "Die Erstattung geht an {F} {L}, nicht an mich.",
               "Sowohl {F} als auch {G} brauchen einen Zugang.", "Sagen Sie {F} bitte, dass der Termin verschoben ist.",
               "{F} möchte wissen, ob das Upgrade kostenlos ist.", "Kann {F} {L} die Rechnung auch bekommen?",
               "Wir haben {F} {L} als Ansprechpartner eingetragen.", "Das Paket hat {F} angenommen."],
        "fr": ["{F} {L} nous a envoyé le contrat vendredi.", "J'ai demandé à {F} si le colis était arrivé.",
               "Hier {F} a appelé deux fois.", "Le remboursement doit aller à {F} {L}, pas à moi.",
               "{F} et {G} ont besoin d'un accès.", "Dites à {F} que le rendez-vous est déplacé.",
               "{F} voudrait savoir si la mise à niveau est gratuite.", "Est-ce que {F} {L} peut aussi recevoir la facture ?"],
        "es": ["{F} {L} nos mandó el contrato el viernes.", "Le pregunté a {F} si llegó el paquete.",
               "Ayer {F} llamó dos veces.", "El reembolso tiene que ir a {F} {L}, no a mí.",
               "{F} y {G} necesitan acceso.", "Díganle a {F} que la cita se cambió.",
               "{F} quiere saber si la mejora es gratis.", "¿Puede {F} {L} recibir también la factura?",
               "Hemos puesto a {F} {L} como contacto.", "El paquete lo recogió {F}."],
        "nl": ["{F} {L} heeft ons het contract gestuurd.", "Ik heb {F} gevraagd of het pakket er is.",
               "Gisteren heeft {F} twee keer gebeld.", "De terugbetaling moet naar {F} {L}, niet naar mij.",
               "{F} en {G} hebben allebei toegang nodig.", "Zeg tegen {F} dat de afspraak verzet is.",
               "{F} wil weten of de upgrade gratis is.", "Kan {F} {L} de factuur ook krijgen?",
               "We hebben {F} {L} als contactpersoon opgegeven.", "Het pakket is door {F} aangenomen."],
        "it": ["{F} {L} ci ha mandato il contratto venerdì.", "Ho chiesto a {F} se il pacco è arrivato.",
               "Ieri {F} ha chiamato due volte.", "Il rimborso deve andare a {F} {L}, non a me.",
               "{F} e {G} hanno bisogno di un accesso.", "Dite a {F} che l'appuntamento è spostato.",
               "{F} vorrebbe sapere se l'upgrade è gratuito.", "Anche {F} {L} può ricevere la fattura?",
               "Abbiamo indicato {F} {L} come referente.", "Il pacco l'ha ritirato {F}."],
    },
    "self": {
        "en": ["{F} again, any news on my ticket?", "Hi, {F} {L} writing, the app crashes.",
               "It's me, {F}, about the refund.", "Morning! {F} from the bakery here."],
        "de": ["{F} nochmal, gibt es schon was Neues?", "Hallo, {F} {L} schreibt Ihnen wegen der Rechnung.",
               "Ich bin es, {F}, wegen der Erstattung.", "Servus, {F} aus der Buchhaltung.",
               "Hier schreibt {F} {L}, ich komme nicht rein.", "Grüß Gott, {F} {L} mein Name."],
        "fr": ["{F} à nouveau, du nouveau pour mon ticket ?", "Bonjour, {F} {L} de la compta.",
               "C'est moi, {F}, pour le remboursement.", "Ici {F} {L}, je n'arrive pas à me connecter.",
               "Moi c'est {F}, j'ai une question."],
        "es": ["{F} otra vez, ¿hay novedades?", "Hola, les escribe {F} {L} por la factura.",
               "Soy yo, {F}, por lo del reembolso.", "Buenas, {F} de contabilidad.",
               "Les saluda {F} {L}, no puedo entrar.", "Aquí {F} {L}, tengo un problema con el pedido.",
               "Me presento: {F} {L}, nuevo cliente.", "Hola, mi nombre: {F} {L}."],
        "nl": ["{F} weer, al nieuws over mijn ticket?", "Hallo, {F} {L} van de administratie.",
               "Ik ben het, {F}, over de terugbetaling.", "Goedemorgen, hier {F} {L}, ik kan niet inloggen."],
        "it": ["{F} di nuovo, novità sul ticket?", "Salve, vi scrive {F} {L} per la fattura.",
               "Sono io, {F}, per il rimborso.", "Buongiorno, {F} dell'ufficio acquisti.",
               "Qui {F} {L}, non riesco ad entrare.", "Mi presento: {F} {L}, nuovo cliente."],
    },
    "start": {  # a name opening the message or sentence, before a preposition, a verb or a conjunction
        "en": ["{F} from accounting asked me to write.", "{F} {L} at the front desk has the parcel.",
               "Thanks! {F} in our Leeds office will sign."],
        "de": ["{F} aus der Buchhaltung hat mich gebeten zu schreiben.", "{F} {L} vom Empfang hat das Paket.",
               "Danke! {F} in unserem Büro unterschreibt.", "{F} und ich brauchen einen Zugang.",
               "{F} von der IT sagt, das geht nicht."],
        "fr": ["{F} de la compta m'a demandé d'écrire.", "{F} {L} à l'accueil a le colis.",
               "Merci ! {F} dans notre bureau va signer.", "{F} et moi avons besoin d'un accès."],
        "es": ["{F} de contabilidad me pidió que escribiera.", "{F} {L} en recepción tiene el paquete.",
               "¡Gracias! {F} en nuestra oficina firmará.", "{F} y yo necesitamos acceso."],
        "nl": ["{F} van de boekhouding vroeg me te mailen.", "{F} {L} bij de receptie heeft het pakket.",
               "Bedankt! {F} op ons kantoor tekent.", "{F} en ik hebben toegang nodig.",
               "{F} uit Utrecht belt u nog."],
        "it": ["{F} dell'amministrazione mi ha chiesto di scrivere.", "{F} {L} alla reception ha il pacco.",
               "Grazie! {F} nel nostro ufficio firmerà.", "{F} e io abbiamo bisogno di un accesso.",
               "{F} da Milano vi richiama."],
    },
    "particle": {
        "en": ["My accountant {F} {P} {L} will email you.", "{F} {P} {L} paid the invoice."],
        "de": ["Mein Steuerberater {F} {P} {L} meldet sich.", "{F} {P} {L} hat die Rechnung bezahlt.",
               "Bitte schicken Sie die Unterlagen an {F} {P} {L}."],
        "fr": ["Mon comptable {F} {P} {L} vous écrira.", "{F} {P} {L} a payé la facture."],
        "es": ["Mi gestor {F} {P} {L} les escribirá.", "{F} {P} {L} ya pagó la factura."],
        "nl": ["Mijn boekhouder {F} {P} {L} mailt u nog.", "{F} {P} {L} heeft de factuur betaald.",
               "Stuur de papieren naar {F} {P} {L}."],
        "it": ["Il mio commercialista {F} {P} {L} vi scriverà.", "{F} {P} {L} ha pagato la fattura."],
    },
}
PARTICLES = {"en": ["van", "de"], "de": ["von", "von der", "van"], "fr": ["de", "du", "Le"],
             "es": ["de", "del", "de la"], "nl": ["van", "van der", "de", "ter", "van den"],
             "it": ["di", "De", "Lo", "del"]}
LOWER_OF = ("noncue", "self", "start", "particle")  # every template of these again in lower case

BENIGN: dict[str, list[str]] = {
    "en": ["Klarna in the checkout fails.", "Zoom from your app crashes.", "Tell Support the meeting moved to Monday.",
           "Yesterday Finance called your hotline twice.", "The Starter plan wants a credit card?",
           "Hi, Accounting writing, the app crashes.", "I asked Logistics whether the parcel came."],
    "de": ["Zalando in Berlin liefert schneller.", "Vinted aus Litauen schickt das auch.", "Retourenlabel für Österreich fehlt.",
           "Expressversand nach Polen ist teurer?", "Kundenkonto von meinem Mann ist gesperrt.",
           "Die Erstattung geht an die Buchhaltung, nicht an mich.", "Gestern hat der Kundendienst zweimal angerufen.",
           "Sowohl Vertrieb als auch Einkauf brauchen einen Zugang.", "Ich habe im Lager gefragt, ob das Paket da ist.",
           "Wir haben Rückfragen zur Mehrwertsteuer.", "Haben Sie Ersatzteile für den Wasserkocher?",
           "Nochmal wegen der Gutschrift: ist sie schon gebucht?", "Das Paket hat der Nachbar angenommen.",
           "Hallo, Buchhaltung schreibt Ihnen wegen der Rechnung.", "Lieferschein und Rechnung fehlen.",
           "Bitte Rückruf wegen Kündigung.", "Die Zahnbürstenaufsätze passen nicht.",
           "Servus, wann kommt die Wartungsfirma?", "Das Ladekabel ist defekt, Umtausch möglich?",
           "Kann mein Steuerberater die Belege auch bekommen?", "Mein Mann möchte wissen, ob das Upgrade kostenlos ist."],
    "fr": ["Vinted en France marche mieux.", "Cdiscount de Bordeaux a livré.", "Leboncoin et vous, c'est pareil ?",
           "Le remboursement doit aller à la Comptabilité.", "Hier le Service Technique a appelé deux fois.",
           "Premium et Business ont besoin d'un accès.", "Bonjour, Logistique ici, une question sur la livraison.",
           "J'ai demandé à la Direction si le colis était arrivé."],
    "es": ["Wallapop en Madrid va mejor.", "Glovo de mi barrio tarda.", "Bizum y tarjeta no funcionan.",
           "El reembolso tiene que ir a Contabilidad, no a mí.", "Ayer Logística llamó dos veces.",
           "Premium y Business necesitan acceso.", "Buenas, les escribo por la Factura de Marzo.",
           "Otra vez, ¿hay novedades?", "Aquí está el Ticket del pedido.",
           "Hola, soy yo otra vez.", "Soy cliente desde Enero.", "Les saluda atentamente el Departamento de Compras."],
    "nl": ["Bol in Utrecht levert sneller.", "Marktplaats van mijn buurman is raar.", "Tikkie en iDEAL werken niet.",
           "De terugbetaling moet naar Boekhouding, niet naar mij.", "Gisteren heeft Klantenservice twee keer gebeld.",
           "Premium en Zakelijk hebben allebei toegang nodig.", "Ik heb Magazijn gevraagd of het pakket er is.",
           "Hallo, Inkoop hier, over de levering.", "Het pakket is door de Buren aangenomen."],
    "it": ["Subito da Milano spedisce.", "Satispay e carta non funzionano.", "Vinted in Italia va meglio.",
           "Il rimborso deve andare alla Contabilità, non a me.", "Ieri l'Assistenza ha chiamato due volte.",
           "Premium e Business hanno bisogno di un accesso.", "Ho chiesto al Magazzino se il pacco è arrivato.",
           "Salve, vi scrivo per la Fattura di Marzo.", "Qui tutto bene, grazie."],
}

# benign in lower case only (every BENIGN sentence is also tried in lower case): bare
# prepositions before places, brands and misspelt nouns
BENIGN_LOWER: dict[str, list[str]] = {
    "en": ["do you deliver to swindon on saturdays?", "i paid with klarna last week",
           "the parcel went to aberystwyth by mistake"],
    "de": ["liefern sie auch nach gelnhausen?", "ich habe per klarna bezahlt", "das paket ist in wolfsburg hängen geblieben",
           "die rechnnung kam nie an", "mit sofortüberweisung geht es nicht"],
    "fr": ["vous livrez à villeurbanne le samedi ?", "j'ai payé avec lydia", "le colis est bloqué à roissy",
           "je n'ai pas reçu la factrue"],
    "es": ["¿envían a móstoles los sábados?", "pagué con bizum ayer", "el paquete se quedó en alcobendas",
           "la factrua no me llegó"],
    "nl": ["leveren jullie ook in amersfoort?", "ik heb met tikkie betaald", "het pakket ligt nog in duiven",
           "de factuuur is niet aangekomen"],
    "it": ["spedite anche a pordenone?", "ho pagato con satispay", "il pacco è fermo a fiumicino",
           "la fatura non è arrivata"],
}


def _names(maker: NameMaker, lang: str) -> dict[str, str]:
    f, g, la = maker.invent(lang, "first"), maker.invent(lang, "first"), maker.invent(lang, "last")
    return {"F": f, "G": g, "L": la, "P": maker.r.choice(PARTICLES[lang])}


def score(scrubber: PiiScrubber, lang: str, cases: list[tuple[str, str, list[str]]], benign: list[str],
          caught: Counter[tuple[str, str]], total: Counter[tuple[str, str]], misses: list[str]) -> None:
    """Count per (language, position) the cases whose names the analysis covers, and the benign
    sentences without a PERSON find; describe each miss in ``misses``. Shared by the probes."""
    found = scrubber.texts.analyze_many([c[1] for c in cases], lang=lang)
    for pos, text, vals in cases:
        spans = found[text]
        masked = "".join("#" if any(s.start <= i < s.end for s in spans) else c for i, c in enumerate(text))
        ok = all(fold(v) not in fold(masked) for v in vals)
        total[(lang, pos)] += 1
        caught[(lang, pos)] += ok
        if not ok:
            shown = text
            for v in vals:
                shown = shown.replace(v, "NAME")
            misses.append(f"{lang} {pos}: {shown!r}   [masked: {masked!r}]")
    bfound = scrubber.texts.analyze_many(benign, lang=lang)
    for b in benign:
        hits = [b[s.start:s.end] for s in bfound[b] if s.type == "PERSON"]
        caught[(lang, "benign")] += not hits
        if hits:
            misses.append(f"{lang} BENIGN HIT {hits}: {b!r}")
    total[(lang, "benign")] += len(benign)


Names = Callable[[NameMaker, str], dict[str, str]]


def probe(scrubber: PiiScrubber, lang: str, named: dict[str, dict[str, list[str]]], benign: list[str],
          makers: list[NameMaker], names: Names, bot: Collection[str], caught: Counter[tuple[str, str]],
          total: Counter[tuple[str, str]], misses: list[str], per_template: int = 3) -> None:
    """Every template of ``named`` in ``lang``, ``per_template`` times with names from each maker
    (``names(maker, lang)``: placeholder → name); a user's template (a position not in ``bot``)
    also in lower case, as position "lower"; the benign lines as written and in lower case; all
    scored by :func:`score`. Shared by the other name probes."""
    cases: list[tuple[str, str, list[str]]] = []
    for pos, by_lang in named.items():
        for t in by_lang.get(lang, []):
            for maker in makers:
                for _ in range(per_template):
                    n = names(maker, lang)
                    vals = [v for k, v in n.items() if "{" + k + "}" in t]
                    cases.append((pos, t.format(**n), vals))
                    if pos not in bot:
                        cases.append(("lower", t.format(**n).lower(), [v.lower() for v in vals]))
    score(scrubber, lang, cases, benign + [b.lower() for b in benign], caught, total, misses)


def print_rates(caught: Counter[tuple[str, str]], total: Counter[tuple[str, str]], langs: list[str],
                positions: list[str]) -> None:
    """Caught % per language and position, and all names caught (every position but "benign")."""
    print(f"{'lang':<5}" + "".join(f"{p:>11}" for p in positions) + "   names caught")
    named = [p for p in positions if p != "benign"]
    for lang in langs:
        c, n = sum(caught[(lang, p)] for p in named), sum(total[(lang, p)] for p in named)
        print(f"{lang:<5}" + "".join(f"{100 * caught[(lang, p)] / max(1, total[(lang, p)]):10.1f}%" for p in positions)
              + f"   {100 * c / max(1, n):.1f}% of {n}")


def main() -> None:
    verbose = "-v" in sys.argv
    only = sys.argv[sys.argv.index("--lang") + 1] if "--lang" in sys.argv else None
    scrubber = make_scrubber()
    makers = [NameMaker(random.Random(51973)), SyllableNameMaker(random.Random(51974))]
    caught: Counter[tuple[str, str]] = Counter()
    total: Counter[tuple[str, str]] = Counter()
    misses: list[str] = []
    for lang in ("en", "de", "fr", "es", "nl", "it"):
        if only and lang != only:
            continue
        cases: list[tuple[str, str, list[str]]] = []
        for pos, by_lang in NAMED.items():
            for t in by_lang.get(lang, []):
                for maker in makers:
                    for _ in range(2):
                        n = _names(maker, lang)
                        vals = [v for k, v in n.items() if "{" + k + "}" in t and k != "P"]
                        cases.append((pos, t.format(**n), vals))
                        if pos in LOWER_OF:
                            cases.append(("lower", t.format(**n).lower(), [v.lower() for v in vals]))
        benign = BENIGN[lang] + [b.lower() for b in BENIGN[lang] + BENIGN_LOWER.get(lang, [])]
        score(scrubber, lang, cases, benign, caught, total, misses)
    poss = list(NAMED) + ["lower", "benign"]
    print(f"{'lang':<5}" + "".join(f"{p:>10}" for p in poss))
    for lang in ("en", "de", "fr", "es", "nl", "it"):
        if only and lang != only:
            continue
        print(f"{lang:<5}" + "".join(f"{100 * caught[(lang, p)] / max(1, total[(lang, p)]):9.0f}%" for p in poss))
    allc = {p: sum(caught[k] for k in caught if k[1] == p) for p in poss}
    allt = {p: sum(total[k] for k in total if k[1] == p) for p in poss}
    print(f"{'all':<5}" + "".join(f"{100 * allc[p] / max(1, allt[p]):9.1f}%" for p in poss))
    if verbose:
        print("\n".join(misses))


if __name__ == "__main__":
    main()
