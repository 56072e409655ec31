"""A probe of lead names that are ordinary words ("Grace Hill", "Ernst Koch", "Rosa Blanco",
"Roos Bakker", "Sole Fontana", "Pierre Boulanger"), written apart from every eval template set.

Each conversation has a lead (full name or first name only, an e-mail whose local part carries
the name tokens) and runs through the whole stage as ``dsbuild make`` builds it. Its user and bot
messages name the lead in name positions (a greeting, a title before the surname, a list, deep in
a long sentence, twice in one message, a signature block with company and phone, a form, at the
start of a message, in brackets, after a dash), capitalised and in lower case; the same
conversation also uses the lead's words as words ("the grace period", "ein ernstes Problem",
"una rosa roja"). Prints, per language and for the tuned and the unseen part, the share of
named messages in which a lead name token survives and the share of benign lines left intact.

The unseen part: other name words (drawn from each pool by seed) and templates marked ``!``
that the rules were not tuned on; the fresh part: the same name words, templates marked ``?``
written after the first rules and run once blind. ``-v`` prints the misses of the tuned and fresh parts.

    PYTHONPATH=$PWD python tests/benchmarks/probe_lead_words.py [-v] [--lang de] [--part tuned|unseen|fresh]
"""

from __future__ import annotations

import random
import re
import sys
from collections import Counter

from dsbuild.counters import RunCounters
from dsbuild.records import ChatMessage, ChatRecord, Lead, Role
from dsbuild.stages.pii.leadfields import common_words
from tests.benchmarks.eval_pii import make_scrubber
from tests.benchmarks.pii_names import fold

# name words per language: (word, a benign line that uses it as a word); first names, surnames
FIRST: dict[str, list[tuple[str, str]]] = {
    "en": [("Grace", "Is there a grace period for the payment?"), ("Mark", "Please mark the invoice as paid."),
           ("Bill", "The bill for March is wrong."), ("Will", "I will call you tomorrow."),
           ("Rose", "The price rose again last month."), ("Hope", "I hope the parcel arrives soon."),
           ("Frank", "To be frank, the app is slow."), ("Ruby", "We run the site on Ruby on Rails."),
           ("Joy", "The new plan is a joy to use."), ("Dawn", "The courier came at dawn."),
           ("Faith", "I have faith in your team."), ("Sandy", "The delivery area is sandy and hard to reach.")],
    "de": [("Ernst", "Das ist ein ernst gemeinter Vorschlag."), ("Frank", "Die Lieferung war frank und frei."),
           ("Horst", "Der Vogel baut einen Horst auf dem Dach."), ("Heide", "Wir wohnen direkt an der Heide."),
           ("Rosa", "Ich hätte den Pullover gern in rosa."), ("Kurt", "Die Antwort war kurz und knapp."),
           ("Sonne", "Die Sonne scheint, der Versand klappt."), ("Ehre", "Es ist uns eine Ehre."),
           ("Traute", "Sie traute sich nicht anzurufen."), ("Hoffnung", "Ich habe wenig Hoffnung auf eine Antwort.")],
    "fr": [("Pierre", "La pierre de la façade est abîmée."), ("Rose", "Je voudrais la robe en rose."),
           ("Claire", "La réponse n'est pas claire."), ("Constant", "Le débit est constant maintenant."),
           ("Fleur", "La fleur sur la carte est jolie."), ("Olive", "L'huile d'olive est en rupture."),
           ("Blanche", "La page reste blanche."), ("Aimé", "J'ai beaucoup aimé le service."),
           ("Victoire", "C'est une petite victoire pour nous."), ("Reine", "La reine des offres, vraiment.")],
    "es": [("Rosa", "Quiero la camiseta en rosa."), ("Luz", "No hay luz en la tienda."),
           ("Paz", "Déjenme en paz con los correos."), ("Dolores", "Tengo dolores de cabeza con la app."),
           ("Pilar", "El pilar de la entrada está roto."), ("Soledad", "La soledad del cliente en espera."),
           ("Alba", "El repartidor vino al alba."), ("Blanca", "La pantalla se queda blanca."),
           ("Cruz", "Marque la cruz en la casilla."), ("Esperanza", "Tengo esperanza de que llegue.")],
    "nl": [("Roos", "Ik wil graag een roos op de kaart."), ("Wil", "Ik wil mijn abonnement opzeggen."),
           ("Bas", "De bas van de speaker kraakt."), ("Mark", "De mark is al lang weg."),
           ("Fleur", "Dat geeft de kamer wat fleur."), ("Jan", "Dat is jan en alleman."),
           ("Ben", "Ik ben klant sinds vorig jaar."), ("Lot", "Het lot van mijn pakket is onbekend."),
           ("Hoop", "Ik hoop dat het snel komt."), ("Kees", "Ik heb kees gekocht, geen kaas.")],
    "it": [("Rosa", "Vorrei la maglia rosa."), ("Sole", "Il sole ha rovinato la scatola."),
           ("Bianca", "La pagina resta bianca."), ("Serena", "La giornata è serena."),
           ("Gioia", "Che gioia ricevere il pacco."), ("Felice", "Sono felice del servizio."),
           ("Stella", "Vi do una stella sola."), ("Viola", "La maglia viola è finita?"),
           ("Franco", "Il prezzo franco magazzino?"), ("Primo", "Il primo ordine è arrivato.")],
}
LAST: dict[str, list[tuple[str, str]]] = {
    "en": [("Hill", "The depot is on top of the hill."), ("Wood", "Is the table real wood?"),
           ("Black", "Do you have it in black?"), ("Young", "My kids are too young for this."),
           ("Stone", "The counter is made of stone."), ("Bell", "The door bell did not ring."),
           ("Field", "Fill in the field with your order number."), ("Baker", "The baker next door took the parcel."),
           ("Fox", "A fox tore the parcel open."), ("Marsh", "The road by the marsh was closed."),
           ("Long", "How long does delivery take?"), ("Sharp", "The knife is not sharp.")],
    "de": [("Koch", "Der Koch im Restaurant mag das Gerät."), ("Wolf", "Der Wolf im Logo ist schön."),
           ("Vogel", "Ein Vogel sitzt auf dem Paket."), ("Klein", "Die Schrift ist zu klein."),
           ("Braun", "Gibt es das Sofa in braun?"), ("Stein", "Der Stein ist gesprungen."),
           ("Fuchs", "Ein Fuchs hat das Paket zerrissen."), ("Winter", "Im Winter liefern Sie langsamer."),
           ("Kraft", "Der Motor hat keine Kraft."), ("Busch", "Das Paket lag im Busch.")],
    "fr": [("Boulanger", "Le boulanger d'à côté a pris le colis."), ("Petit", "Le carton est trop petit."),
           ("Fontaine", "La fontaine à eau fuit."), ("Renard", "Un renard a ouvert le colis."),
           ("Berger", "Le chien de berger aboie."), ("Meunier", "Le meunier du village vend en ligne."),
           ("Blanc", "Vous l'avez en blanc ?"), ("Marchand", "Le marchand n'a rien envoyé."),
           ("Chevalier", "Le chevalier du jeu est bloqué."), ("Poirier", "Le poirier du jardin a cassé la clôture.")],
    "es": [("Moreno", "El chico moreno recogió el paquete."), ("Blanco", "Lo quiero en blanco."),
           ("Castillo", "El castillo de juguete llegó roto."), ("Herrero", "El herrero arregló la puerta."),
           ("Rubio", "Mi hijo es rubio, la talla es para él."), ("Vega", "La vega del río se inundó."),
           ("Cordero", "El cordero llegó congelado."), ("Lobo", "El lobo del peluche está roto."),
           ("Bravo", "¡Bravo por el equipo!"), ("Fuentes", "Las fuentes del documento no cargan.")],
    "nl": [("Bakker", "De bakker op de hoek nam het pakket aan."), ("Visser", "De visser verkoopt ook online."),
           ("Boer", "De boer leverde de eieren."), ("Kok", "De kok gebruikt het apparaat dagelijks."),
           ("Vos", "Een vos heeft het pakket opengescheurd."), ("Boom", "Het pakket lag onder de boom."),
           ("Groen", "Heeft u deze ook in groen?"), ("Hoek", "Het pakket stond om de hoek."),
           ("Klein", "De letters zijn te klein."), ("Steen", "De steen is gebarsten.")],
    "it": [("Fontana", "La fontana in giardino perde."), ("Costa", "Quanto costa la spedizione?"),
           ("Ponte", "Il ponte è chiuso, il corriere è in ritardo."), ("Porta", "La porta del negozio era chiusa."),
           ("Leone", "Il leone di peluche è rotto."), ("Colombo", "Un colombo è entrato in magazzino."),
           ("Bruno", "Lo vorrei in color bruno."), ("Basso", "Il prezzo è basso."),
           ("Riva", "Il negozio è sulla riva del lago."), ("Testa", "Mi fa male la testa con questa app.")],
}
# invented names that happen to be ordinary words (no list holds them as names)
INVENTED: dict[str, list[tuple[str, str, str, str]]] = {  # first, its benign line, last, its benign line
    "en": [("Clove", "Add a clove of garlic.", "Harrow", "The harrow on the farm broke."),
           ("Tide", "The tide was high at the port.", "Brick", "The wall is brick.")],
    "de": [("Tanne", "Die Tanne im Garten ist krank.", "Halm", "Ein Halm steckt im Gerät."),
           ("Wiese", "Das Paket lag auf der Wiese.", "Kamm", "Der Kamm ist zerbrochen.")],
    "fr": [("Brume", "La brume retarde les livraisons.", "Galet", "Un galet a rayé l'écran."),
           ("Aube", "Le livreur passe à l'aube.", "Ruche", "La ruche du jardin est vide.")],
    "es": [("Brisa", "La brisa tiró el paquete.", "Roble", "La mesa es de roble."),
           ("Nube", "Los datos están en la nube.", "Peral", "El peral del jardín está seco.")],
    "nl": [("Wolk", "Er hangt een wolk boven het magazijn.", "Duin", "Het pakket lag in het duin."),
           ("Zon", "De zon scheen op het pakket.", "Kreek", "De kreek achter het huis is vol.")],
    "it": [("Nebbia", "La nebbia rallenta i corrieri.", "Rovere", "Il tavolo è di rovere."),
           ("Onda", "Un'onda ha bagnato il pacco.", "Grotta", "La grotta è chiusa al pubblico.")],
}

# named templates: {F} {L} the lead's first and last name, {f} {l} in lower case; {C} a company,
# {P} a phone. "!" first: the unseen part's templates.
NAMED: dict[str, list[str]] = {
    "en": ["Hi {F}, thanks for reaching out! How can I help?", "hey {f}, any news on my refund?",
           "Hello {F}. Yes, {F} is the account holder.", "users: me, {f}, and an intern",
           "We spoke last week about moving the shared mailbox and I think {F} said the migration would be done before the end of the month.",
           "Dear Mrs {L}, your order has shipped.", "so i'm {l}, {f} {l}",
           "Kind regards\n{F}\nOffice manager, {C}\nTel. {P}", "{F}\n{C} | {P}",
           "First name: {F}\nLast name: {L}\nAddress: 12 Mill Road, Leeds\nPhone: {P}",
           "{F}, can you check the invoice?", "(for {F}) please send the label", "- {F}, accounting",
           "Thanks {F}! Your ticket is closed.", "Please ask for Mr {L} at the desk.",
           "!hi {f} how are you", "!The courier gave it to {F} {L} and then {F} lost it.",
           "!Best,\n{F} {L}\n{C}\n{P}", "!Name: {F} {L}, street: 3 Oak Lane, phone {P}",
           "!invoice to mr {l} please", "![{F}] cannot log in", "!Good morning {F}, your parcel is on its way.", "Name: {L}, {F}", "Dr {L} will call you back.", "i told {f} about the refund yesterday", "{f}'s account is locked", "{F} | {C} | {P}", "{F}: is the invoice ready?", "the person to ask – {f} – is away today", "ship to: {f}\n12 Mill Road, Leeds", "cc {f} please", "!{L}, {F} (account owner)", "!please ask {f} to sign", "!Prof. {L} is our contact", "!{f} | {C}", "!we need {f}'s signature", "good afternoon {f}!", "{f} mentioned the invoice last week", "?morning {f}, quick one about the box", "?as {f} wrote yesterday, the box was empty", "?Contact person: {F} {L}", "?p.s. {f} says hi", "?forwarding this for {f} - see below", "?{L} (Mrs) called earlier about the order"],
    "de": ["Hallo {F}, danke für Ihre Nachricht!", "hallo {f}, gibt es was neues?",
           "Guten Tag Frau {L}, Ihre Bestellung ist unterwegs.", "Benutzer: ich, {f} und ein Praktikant",
           "Wir hatten letzte Woche über den Umzug des Postfachs gesprochen und ich glaube {F} meinte, das sei bis Monatsende erledigt.",
           "also ich bin {l}, {f} {l}", "Mit freundlichen Grüßen\n{F}\nBüroleitung, {C}\nTel. {P}",
           "Vorname: {F}\nNachname: {L}\nAdresse: Hauptstraße 12, 10115 Berlin\nTelefon: {P}",
           "{F}, können Sie die Rechnung prüfen?", "(für {F}) bitte das Etikett senden", "- {F}, Buchhaltung",
           "Danke {F}! Ihr Ticket ist geschlossen.", "Bitte fragen Sie nach Herrn {L}.",
           "!hi {f} wie geht's", "!Der Bote gab es {F} {L} und dann hat {F} es verloren.",
           "!Name: {F} {L}, Straße: Lindenweg 3, Tel. {P}", "!rechnung bitte an frau {l}",
           "!Guten Morgen {F}, Ihr Paket ist unterwegs.", "Name: {L}, {F}", "Dr. {L} ruft Sie zurück.", "{F} | {C} | {P}", "{F}: ist die Rechnung fertig?", "Lieferung an: {f}\nHauptstraße 12", "!{L}, {F} (Inhaber)", "!{f} | {C}", "!Prof. {L} ist unser Ansprechpartner.", "guten abend {f}, kurze frage", "{f} meinte, das passt so", "?moin {f}, kurze Frage zum Paket", "?wie {f} gestern schrieb, war der Karton leer", "?Ansprechpartner: {F} {L}", "?PS: {f} lässt grüßen", "?leite das für {f} weiter - siehe unten", "?Frau {L} hat vorhin angerufen"],
    "fr": ["Bonjour {F}, merci pour votre message !", "salut {f}, du nouveau pour mon remboursement ?",
           "Chère Mme {L}, votre commande est partie.", "utilisateurs : moi, {f} et un stagiaire",
           "On a parlé la semaine dernière du transfert de la boîte partagée et je crois que {F} a dit que ce serait fini avant la fin du mois.",
           "donc je suis {l}, {f} {l}", "Cordialement\n{F}\nResponsable administratif, {C}\nTél. {P}",
           "Prénom : {F}\nNom : {L}\nAdresse : 12 rue de la Paix, 75002 Paris\nTéléphone : {P}",
           "{F}, pouvez-vous vérifier la facture ?", "(pour {F}) merci d'envoyer l'étiquette", "- {F}, comptabilité",
           "Merci {F} ! Votre ticket est fermé.", "Demandez M. {L} à l'accueil.",
           "!coucou {f} ça va", "!Le livreur l'a donné à {F} {L} et puis {F} l'a perdu.",
           "!Nom : {F} {L}, rue : 3 allée des Chênes, tél. {P}", "!facture au nom de mme {l} svp",
           "!Bonsoir {F}, votre colis est en route.", "Nom : {L}, {F}", "Le Dr {L} vous rappelle.", "{F} | {C} | {P}", "{F} : la facture est prête ?", "!{L}, {F} (titulaire)", "!{f} | {C}", "!Mlle {L} est notre contact.", "bonsoir {f}, une question", "{f} a dit que ça marchait", "?salut {f}, petite question sur le colis", "?comme {f} l'a écrit hier, le carton était vide", "?Contact : {F} {L}", "?ps : {f} vous salue", "?je transfère pour {f} - voir ci-dessous", "?Mme {L} a appelé tout à l'heure"],
    "es": ["Hola {F}, ¡gracias por escribirnos!", "hola {f}, ¿hay novedades del reembolso?",
           "Estimada Sra. {L}, su pedido ha salido.", "usuarios: yo, {f} y un becario",
           "Hablamos la semana pasada del traslado del buzón compartido y creo que {F} dijo que estaría listo antes de fin de mes.",
           "pues soy {l}, {f} {l}", "Saludos\n{F}\nResponsable de oficina, {C}\nTel. {P}",
           "Nombre: {F}\nApellido: {L}\nDirección: Calle Mayor, 5, 28013 Madrid\nTeléfono: {P}",
           "{F}, ¿puede revisar la factura?", "(para {F}) manden la etiqueta por favor", "- {F}, contabilidad",
           "¡Gracias {F}! Su ticket está cerrado.", "Pregunten por el Sr. {L} en recepción.",
           "!buenas {f} qué tal", "!El repartidor se lo dio a {F} {L} y luego {F} lo perdió.",
           "!Nombre: {F} {L}, calle: Calle Luna 3, tel. {P}", "!factura a nombre de la sra. {l} por favor",
           "!Buenos días {F}, su paquete está en camino.", "Nombre: {L}, {F}", "El Dr. {L} le llamará.", "{F} | {C} | {P}", "{F}: ¿está lista la factura?", "!{L}, {F} (titular)", "!{f} | {C}", "!La Dra. {L} es nuestro contacto.", "buenas tardes {f}, una pregunta", "{f} me dijo que funcionaba", "?buenas {f}, una pregunta sobre el paquete", "?como {f} escribió ayer, la caja estaba vacía", "?Contacto: {F} {L}", "?pd: {f} les manda saludos", "?reenvío esto para {f} - ver abajo", "?la Sra. {L} llamó antes"],
    "nl": ["Hallo {F}, bedankt voor je bericht!", "hoi {f}, is er al nieuws over mijn terugbetaling?",
           "Beste mevrouw {L}, uw bestelling is verzonden.", "gebruikers: ik, {f} en een stagiair",
           "We hebben vorige week over de verhuizing van de gedeelde mailbox gesproken en ik denk dat {F} zei dat het voor het eind van de maand klaar zou zijn.",
           "dus ik ben {l}, {f} {l}", "Met vriendelijke groet\n{F}\nOfficemanager, {C}\nTel. {P}",
           "Voornaam: {F}\nAchternaam: {L}\nAdres: Kerkstraat 12, 1017 GC Amsterdam\nTelefoon: {P}",
           "{F}, kunt u de factuur controleren?", "(voor {F}) stuur het label aub", "- {F}, boekhouding",
           "Bedankt {F}! Je ticket is gesloten.", "Vraag naar meneer {L} bij de balie.",
           "!hey {f} hoe gaat het", "!De bezorger gaf het aan {F} {L} en toen is {F} het kwijtgeraakt.",
           "!Naam: {F} {L}, straat: Eikenlaan 3, tel. {P}", "!factuur op naam van mevrouw {l} graag",
           "!Goedemorgen {F}, je pakket is onderweg.", "Naam: {L}, {F}", "Dr. {L} belt u terug.", "{F} | {C} | {P}", "{F}: is de factuur klaar?", "!{L}, {F} (eigenaar)", "!{f} | {C}", "!Mw. {L} is onze contactpersoon.", "goedemiddag {f}, een vraag", "{f} zei dat het werkte", "?hoi {f}, korte vraag over het pakket", "?zoals {f} gisteren schreef, was de doos leeg", "?Contactpersoon: {F} {L}", "?ps: {f} doet de groeten", "?ik stuur dit door voor {f} - zie hieronder", "?mevrouw {L} belde net"],
    "it": ["Ciao {F}, grazie per il messaggio!", "ciao {f}, novità sul rimborso?",
           "Gentile sig.ra {L}, il suo ordine è partito.", "utenti: io, {f} e uno stagista",
           "Abbiamo parlato la settimana scorsa del trasferimento della casella condivisa e credo che {F} abbia detto che sarebbe pronto entro fine mese.",
           "allora sono {l}, {f} {l}", "Cordiali saluti\n{F}\nResponsabile ufficio, {C}\nTel. {P}",
           "Nome: {F}\nCognome: {L}\nIndirizzo: Via Roma 10, 00184 Roma\nTelefono: {P}",
           "{F}, può controllare la fattura?", "(per {F}) mandate l'etichetta per favore", "- {F}, contabilità",
           "Grazie {F}! Il ticket è chiuso.", "Chiedete del sig. {L} alla reception.",
           "!salve {f} come va", "!Il corriere l'ha dato a {F} {L} e poi {F} l'ha perso.",
           "!Nome: {F} {L}, via: Via Verdi 3, tel. {P}", "!fattura intestata alla sig.ra {l} grazie",
           "!Buongiorno {F}, il pacco è in viaggio.", "Nome: {L}, {F}", "Il dott. {L} la richiamerà.", "{F} | {C} | {P}", "{F}: la fattura è pronta?", "!{L}, {F} (titolare)", "!{f} | {C}", "!La dott.ssa {L} è il nostro referente.", "buonasera {f}, una domanda", "{f} ha detto che funzionava", "?ciao {f}, una domanda sul pacco", "?come {f} ha scritto ieri, la scatola era vuota", "?Referente: {F} {L}", "?ps: {f} vi saluta", "?inoltro per {f} - vedi sotto", "?la sig.ra {L} ha chiamato prima"],
}
COMPANY = {"en": "Northwind Ltd", "de": "Nordwind GmbH", "fr": "Vent du Nord SARL", "es": "Viento Norte S.L.",
           "nl": "Noordwind B.V.", "it": "Vento Nord S.r.l."}
PHONE = {"en": "+44 20 7946 0{n:03d}", "de": "+49 30 901820{n:02d}", "fr": "+33 1 42 68 5{n:03d}",
         "es": "+34 912 34 5{n:03d}", "nl": "+31 20 794 6{n:03d}", "it": "+39 06 6982 {n:04d}"}
DOMAIN = {"en": "example.co.uk", "de": "beispiel.de", "fr": "exemple.fr", "es": "ejemplo.es",
          "nl": "voorbeeld.nl", "it": "esempio.it"}


# the parts whose misses ``-v`` prints: the fresh part was run blind once (survival 7.7%, main
# 14.1%), then read
SHOWN = ("tuned", "fresh")


def _ascii(s: str) -> str:
    return fold(s).replace(" ", "")


def _split(pool: list, seed: int) -> tuple[list, list]:
    """(tuned, unseen): a third of each pool, drawn by seed, is unseen."""
    idx = list(range(len(pool)))
    random.Random(seed).shuffle(idx)
    cut = len(pool) // 3
    return [pool[i] for i in sorted(idx[cut:])], [pool[i] for i in sorted(idx[:cut])]


def conversations(lang: str, part: str, seed: int = 1111) -> list[tuple[Lead, list[str], list[int], list[str]]]:
    """(lead, messages, indices of named messages, the lead's name tokens) per conversation."""
    r = random.Random(f"{seed}-{lang}-{part}")
    firsts = _split(FIRST[lang], seed)[part != "tuned"]
    lasts = _split(LAST[lang], seed + 1)[part != "tuned"]
    inv = INVENTED[lang][:1] if part == "tuned" else INVENTED[lang][1:]
    pairs = [(f, fb, la, lb) for (f, fb), (la, lb) in zip(firsts, lasts * 3)] + list(inv)
    pairs += [(f, fb, la, lb) for (f, fb), (la, lb) in zip(reversed(firsts), lasts)]
    mark = {"tuned": "", "unseen": "!", "fresh": "?"}[part]
    tpls = [t[len(mark):] for t in NAMED[lang] if (t[:1] in "!?" and t[:1] == mark) or (not mark and t[:1] not in "!?")]
    out = []
    for n, (first, fbenign, last, lbenign) in enumerate(pairs):
        f, la = _ascii(first), _ascii(last)
        local = r.choice([f"{f}.{la}", f"{la}.{f}", f"{f}{la}{r.randint(1, 99)}", f"{f}_{la}", f"{f[0]}.{la}"])
        full = r.random() < 0.75
        lead = Lead(name=f"{first} {last}" if full else first, email=f"{local}@{DOMAIN[lang]}",
                    phone=PHONE[lang].format(n=n))
        msgs: list[str] = []
        named: list[int] = []
        for t in r.sample(tpls, min(len(tpls), 5)):
            text = t.format(F=first, L=last, f=first.lower(), l=last.lower(), C=COMPANY[lang],
                            P=PHONE[lang].format(n=n))
            if r.random() < 0.3:
                text = text.lower()
            named.append(len(msgs))
            msgs.append(text)
            msgs.append(fbenign if r.random() < 0.5 else lbenign)
        benign_at = [i for i in range(len(msgs)) if i not in named]
        tokens = [first, last]  # the surname is the e-mail's when the name field has none
        out.append((lead, msgs, named, tokens, benign_at))  # type: ignore[arg-type]
    return out  # type: ignore[return-value]


def _has_word(text: str, word: str) -> bool:
    return re.search(r"(?<![^\W\d_])" + re.escape(fold(word)) + r"(?![^\W\d_])", fold(text)) is not None


def _row(key: str, c: Counter[str]) -> str:
    return (f"{key:<14}{c['named']:>7}{100 * c['survived'] / max(1, c['named']):>11.1f}"
            f"{c['benign']:>8}{100 * c['benign_ok'] / max(1, c['benign']):>10.1f}"
            f"{c['ordinary']:>10}{100 * c['ordinary_ok'] / max(1, c['ordinary']):>10.1f}{c['dropped']:>9}")


def main() -> None:
    verbose = "-v" in sys.argv
    only = sys.argv[sys.argv.index("--lang") + 1] if "--lang" in sys.argv else None
    parts = [sys.argv[sys.argv.index("--part") + 1]] if "--part" in sys.argv else ["tuned", "unseen", "fresh"]
    scrubber = make_scrubber()
    rows: dict[str, Counter[str]] = {}
    misses: list[str] = []
    for part in parts:
        for lang in ("en", "de", "fr", "es", "nl", "it"):
            if only and lang != only:
                continue
            c = rows.setdefault(f"{part} {lang}", Counter())
            convs = conversations(lang, part)
            records = [ChatRecord(f"probe-{lang}-{i}", "s",
                                  [ChatMessage(Role.USER if j % 2 == 0 else Role.ASSISTANT, m) for j, m in enumerate(msgs)],
                                  lead) for i, (lead, msgs, _, _, _) in enumerate(convs)]
            outs = scrubber.scrub_batch(records, RunCounters())
            for (lead, msgs, named, tokens, benign_at), out in zip(convs, outs):
                if isinstance(out, str):
                    c["dropped"] += 1
                    continue
                texts = [m.content for m in out.messages]
                for i in named:
                    present = [t for t in tokens if _has_word(msgs[i], t)]
                    if not present:
                        continue
                    c["named"] += 1
                    left = [t for t in present if _has_word(texts[i], t)]
                    if left:
                        c["survived"] += 1
                        if verbose and part in SHOWN:
                            misses.append(f"{part} {lang} {left} {msgs[i]!r} -> {texts[i]!r}")
                ordinary = [t for t in tokens if fold(t) in common_words(lang)]
                for i in benign_at:
                    c["benign"] += 1
                    if texts[i] == msgs[i]:
                        c["benign_ok"] += 1
                    if any(_has_word(msgs[i], t) for t in ordinary):  # a word the stage reads as one
                        c["ordinary"] += 1
                        c["ordinary_ok"] += texts[i] == msgs[i]
                    elif verbose and part in SHOWN:
                        misses.append(f"{part} {lang} BENIGN {msgs[i]!r} -> {texts[i]!r}")
    print("benign: every line using a lead's name word as a word; ordinary: those whose word the stage marks"
          " as an ordinary word of the language (the others are the name wherever they stand, by design)")
    print(f"{'part':<14}{'named':>7}{'survive %':>11}{'benign':>8}{'intact %':>10}{'ordinary':>10}{'intact %':>10}"
          f"{'dropped':>9}")
    for part in parts:
        tot: Counter[str] = Counter()
        for key, c in rows.items():
            if key.startswith(part):
                tot.update(c)
                print(_row(key, c))
        print(_row(part + " all", tot))
    for m in misses:
        print(m)


if __name__ == "__main__":
    main()
