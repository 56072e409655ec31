"""A broad probe of BENIGN support and sales chat lines (no personal value in them) in en, de, fr,
es, nl, it, written apart from every eval template set: frames x fillers, each line also in lower
case and with a typo. Categories: payment brands, carriers, software and SaaS names, plans and
products, brands, words that are also names (months, "bill", "mark", "Reyes", "Noël", holidays),
name particles as ordinary words (van, de, von, di, ter, o'clock), role words with no name ("my
boss"), capitalised German nouns, cities no list holds, weekdays/months in every case, business
hours, greetings and sign-offs with no name, sentence-initial imperatives.

Two parts: TUNE (frames and fillers whose changed lines may be read while fixing) and UNSEEN
(other frames with other fillers; only its figure is printed, never its lines). Each line is
judged twice: alone through the text analysis (any find at all changes it), and inside a
conversation through the whole stage (``PiiScrubber.scrub``: a message introducing an invented
writer, and for half of the conversations lead fields), where it must come out unchanged.

    PYTHONPATH=$PWD python tests/benchmarks/probe_benign.py [-v] [--lang de] [--part tune|unseen]
"""

from __future__ import annotations

import random
import re
import sys
from collections import Counter

from dsbuild.counters import RunCounters
from dsbuild.records import ChatMessage, ChatRecord, Lead, Role
from dsbuild.stages.pii import PiiScrubber
from tests.benchmarks.eval_pii import make_scrubber
from tests.benchmarks.pii_names import NameMaker

LANGS = ("en", "de", "fr", "es", "nl", "it")

# ---------------------------------------------------------------- fillers (part -> slot -> values)
COMMON: dict[str, dict[str, list[str]]] = {
    "tune": {
        "PAY": ["Klarna", "PayPal", "Apple Pay", "Lydia", "Bizum", "Tikkie", "Satispay", "iDEAL", "Revolut",
                "Bancontact", "Scalapay", "Mastercard", "Amex", "Twint", "Sofort", "Alma"],
        "CARRIER": ["DPD", "DHL", "Colissimo", "Correos", "PostNL", "BRT", "GLS", "UPS", "Hermes", "SEUR",
                    "Chronopost", "Mondial Relay", "InPost", "Evri", "Nacex", "Bpost"],
        "SAAS": ["Shopify", "Slack", "Zoom", "HubSpot", "Zendesk", "Notion", "Xero", "QuickBooks", "DATEV",
                 "Lexoffice", "Holded", "Pennylane", "Moneybird", "WooCommerce", "Mailchimp", "Calendly",
                 "Dropbox", "WhatsApp", "Outlook", "Excel"],
        "BRAND": ["Dyson", "Nespresso", "Thermomix", "Bosch", "Miele", "Philips", "Samsung", "Lego", "Ikea",
                  "Decathlon", "Zalando", "Coolblue", "Fnac", "Tefal", "Garmin", "Sonos"],
        "PLAN": ["Basic", "Premium", "Business", "Starter", "Pro", "Team", "Family", "Gold"],
    },
    "unseen": {
        "PAY": ["Google Pay", "Giropay", "Wise", "Paysafecard", "Sumup", "Stripe", "Mollie", "Postepay",
                "Oney", "Afterpay", "Payconiq", "Cofidis", "Nexi", "Maestro"],
        "CARRIER": ["FedEx", "TNT", "Royal Mail", "Yodel", "Relais Colis", "MRW", "SDA", "Poste Italiane",
                    "Packeta", "Budbee", "Trunkrs", "Sendcloud", "Homerr", "Paack"],
        "SAAS": ["Salesforce", "Trello", "Asana", "Jira", "Sage", "Exact", "Wix", "Squarespace", "Magento",
                 "Teams", "Gmail", "Canva", "Typeform", "Airtable", "Pipedrive", "Freshdesk"],
        "BRAND": ["Kärcher", "Vorwerk", "Delonghi", "Braun", "Siemens", "Lenovo", "Logitech", "Playmobil",
                  "Rituals", "Bugaboo", "Smeg", "Rowenta", "Krups", "Fitbit"],
        "PLAN": ["Plus", "Enterprise", "Silver", "Platinum", "Essential", "Advanced", "Unlimited"],
    },
}

LOCAL: dict[str, dict[str, dict[str, list[str]]]] = {
    "en": {
        "tune": {"CITY": ["Swindon", "Harrogate", "Stockport", "Telford", "Basingstoke", "Kendal", "Tamworth"],
                 "MONTH": ["May", "April", "June", "March", "August", "January"],
                 "DAY": ["Monday", "Friday", "Saturday", "Tuesday"],
                 "HOLIDAY": ["Easter", "Christmas", "Boxing Day", "Black Friday"],
                 "ROLE": ["my boss", "the accountant", "our neighbour", "my husband", "the courier", "our IT guy"]},
        "unseen": {"CITY": ["Keswick", "Wolverhampton", "Bournemouth", "Penrith", "Ipswich", "Wrexham"],
                   "MONTH": ["July", "September", "October", "December", "February", "November"],
                   "DAY": ["Wednesday", "Thursday", "Sunday"],
                   "HOLIDAY": ["New Year", "Halloween", "Cyber Monday", "the bank holiday"],
                   "ROLE": ["my manager", "the bookkeeper", "our landlord", "my wife", "the driver", "the receptionist"]},
    },
    "de": {
        "tune": {"CITY": ["Gelnhausen", "Paderborn", "Lüdenscheid", "Bamberg", "Gütersloh", "Rosenheim", "Fulda"],
                 "MONTH": ["Mai", "April", "Juni", "März", "August", "Januar"],
                 "DAY": ["Montag", "Freitag", "Samstag", "Dienstag"],
                 "HOLIDAY": ["Ostern", "Weihnachten", "Pfingsten", "Silvester"],
                 "ROLE": ["mein Chef", "der Steuerberater", "unser Nachbar", "meine Frau", "der Paketbote", "unsere IT"],
                 "NOUN": ["Rechnung", "Lieferung", "Kundennummer", "Rücksendung", "Gutschrift", "Abholstation",
                          "Sendungsverfolgung", "Bestellbestätigung", "Ersatzlieferung", "Garantie"]},
        "unseen": {"CITY": ["Cottbus", "Kempten", "Detmold", "Ingolstadt", "Bad Kreuznach", "Wetzlar"],
                   "MONTH": ["Juli", "September", "Oktober", "Dezember", "Februar", "November"],
                   "DAY": ["Mittwoch", "Donnerstag", "Sonntag"],
                   "HOLIDAY": ["Karfreitag", "Heiligabend", "Fronleichnam", "Neujahr"],
                   "ROLE": ["meine Chefin", "die Buchhalterin", "unser Vermieter", "mein Mann", "der Fahrer", "die Hausverwaltung"],
                   "NOUN": ["Mahnung", "Zahlungserinnerung", "Paketschein", "Kaufvertrag", "Widerruf",
                            "Lieferadresse", "Retoure", "Vorkasse", "Ratenzahlung"]},
    },
    "fr": {
        "tune": {"CITY": ["Villeurbanne", "Roubaix", "Quimper", "Angers", "Chambéry", "Niort", "Vannes"],
                 "MONTH": ["mai", "avril", "juin", "mars", "août", "janvier"],
                 "DAY": ["lundi", "vendredi", "samedi", "mardi"],
                 "HOLIDAY": ["Noël", "Pâques", "la Toussaint", "le 14 juillet"],
                 "ROLE": ["mon patron", "le comptable", "notre voisin", "mon mari", "le livreur", "notre informaticien"]},
        "unseen": {"CITY": ["Colmar", "Bayonne", "Annecy", "Brive", "Pau", "Saint-Brieuc"],
                   "MONTH": ["juillet", "septembre", "octobre", "décembre", "février", "novembre"],
                   "DAY": ["mercredi", "jeudi", "dimanche"],
                   "HOLIDAY": ["la Pentecôte", "le jour de l'an", "l'Ascension", "la Saint-Sylvestre"],
                   "ROLE": ["ma patronne", "la comptable", "notre propriétaire", "ma femme", "le chauffeur", "la secrétaire"]},
    },
    "es": {
        "tune": {"CITY": ["Móstoles", "Alcobendas", "Getafe", "Badajoz", "Logroño", "Huesca", "Ponferrada"],
                 "MONTH": ["mayo", "abril", "junio", "marzo", "agosto", "enero"],
                 "DAY": ["lunes", "viernes", "sábado", "martes"],
                 "HOLIDAY": ["Reyes", "Navidad", "Semana Santa", "el Pilar"],
                 "ROLE": ["mi jefe", "el gestor", "nuestro vecino", "mi marido", "el repartidor", "el informático"]},
        "unseen": {"CITY": ["Cáceres", "Jaén", "Lugo", "Ourense", "Talavera", "Torrejón"],
                   "MONTH": ["julio", "septiembre", "octubre", "diciembre", "febrero", "noviembre"],
                   "DAY": ["miércoles", "jueves", "domingo"],
                   "HOLIDAY": ["Nochebuena", "San Juan", "Nochevieja", "Todos los Santos"],
                   "ROLE": ["mi jefa", "la gestora", "nuestro casero", "mi mujer", "el transportista", "la recepcionista"]},
    },
    "nl": {
        "tune": {"CITY": ["Amersfoort", "Duiven", "Zoetermeer", "Hoorn", "Deventer", "Veenendaal", "Helmond"],
                 "MONTH": ["mei", "april", "juni", "maart", "augustus", "januari"],
                 "DAY": ["maandag", "vrijdag", "zaterdag", "dinsdag"],
                 "HOLIDAY": ["Pasen", "Kerst", "Koningsdag", "Sinterklaas"],
                 "ROLE": ["mijn baas", "de boekhouder", "onze buurman", "mijn man", "de bezorger", "onze ICT'er"]},
        "unseen": {"CITY": ["Apeldoorn", "Roosendaal", "Purmerend", "Harderwijk", "Emmen", "Venlo"],
                   "MONTH": ["juli", "september", "oktober", "december", "februari", "november"],
                   "DAY": ["woensdag", "donderdag", "zondag"],
                   "HOLIDAY": ["Pinksteren", "Hemelvaart", "Oud en Nieuw", "Tweede Kerstdag"],
                   "ROLE": ["mijn bazin", "de administratie", "onze verhuurder", "mijn vrouw", "de chauffeur", "de receptie"]},
    },
    "it": {
        "tune": {"CITY": ["Pordenone", "Lecce", "Treviso", "Cuneo", "Viterbo", "Rovigo", "Matera"],
                 "MONTH": ["maggio", "aprile", "giugno", "marzo", "agosto", "gennaio"],
                 "DAY": ["lunedì", "venerdì", "sabato", "martedì"],
                 "HOLIDAY": ["Natale", "Pasqua", "Ferragosto", "Santo Stefano"],
                 "ROLE": ["il mio capo", "il commercialista", "il nostro vicino", "mio marito", "il corriere", "il tecnico"]},
        "unseen": {"CITY": ["Crotone", "Avellino", "Bergamo", "Sondrio", "Trapani", "Faenza"],
                   "MONTH": ["luglio", "settembre", "ottobre", "dicembre", "febbraio", "novembre"],
                   "DAY": ["mercoledì", "giovedì", "domenica"],
                   "HOLIDAY": ["Capodanno", "la Befana", "Pasquetta", "Carnevale"],
                   "ROLE": ["la mia capa", "la commercialista", "il padrone di casa", "mia moglie", "l'autista", "la segretaria"]},
    },
}

# ---------------------------------------------------------------- frames (language -> tuned, unseen)
FRAMES: dict[str, tuple[list[str], list[str]]] = {
    "en": ([
        "Can I pay with {PAY}?", "{PAY} keeps declining my payment.", "Do you accept {PAY} or only cards?",
        "The parcel was shipped via {CARRIER} on {DAY}.", "{CARRIER} says the address is incomplete.",
        "Is there a {CARRIER} tracking number?", "Does it integrate with {SAAS}?", "We moved our invoices to {SAAS} last month.",
        "{SAAS} sync stopped working after the update.", "My {BRAND} order hasn't arrived.",
        "Is the {BRAND} warranty handled by you?", "What's the difference between {PLAN} and {PLAN2}?",
        "Upgrade me to {PLAN} please.", "Do you deliver to {CITY}?", "Is there a pickup point in {CITY}?",
        "Are you open on {HOLIDAY}?", "Will it arrive before {HOLIDAY}?", "The invoice from {MONTH} is wrong.",
        "Can we start in {MONTH}?", "We're closed on {DAY} afternoons.", "{ROLE} asked me to check the invoice.",
        "I'll ask {ROLE} and get back to you.", "Please bill me monthly instead.", "Mark the order as urgent please.",
        "Can you mark this as resolved?", "There's a grace period of 14 days.", "To be frank, the app is too slow.",
        "I will call back tomorrow.", "The van comes at 9 o'clock.", "Is the van from {CARRIER} or yours?",
        "Check your spam folder first.", "Click Reset and try again.", "Send us a photo of the label.",
        "Good morning, quick question about my order.", "Thanks a lot, have a nice day!", "Cheers, speak soon.",
        "Our shop opens at 9 and closes at 6.", "We are open Monday to Friday, 9am to 5pm.",
        "may i change the delivery date?", "Open the Settings page and choose Billing.",
        "Merry Christmas and thanks for the help!", "Hi team, any update?",
    ], [
        "Payment through {PAY} failed twice.", "Is {PAY} available at checkout?", "I'd like to switch to {PAY}.",
        "{CARRIER} left a card saying nobody was home.", "Which carrier do you use, {CARRIER}?",
        "Can you connect it to {SAAS}?", "Our team lives in {SAAS} all day.", "The {BRAND} charger is faulty.",
        "Is {PLAN} enough for five users?", "Switch us to the {PLAN} tier.", "Any stores near {CITY}?",
        "Shipping to {CITY} takes how long?", "Closed over {HOLIDAY}?", "Prices change in {MONTH}.",
        "See you {DAY}!", "{ROLE} will sign the contract.", "Sorry, {ROLE} paid twice by mistake.",
        "Will the bill be sent by email?", "Please mark my address as the default.", "Any chance of a grace period?",
        "Restart the router and log in again.", "Have a great weekend, everyone!", "Kind regards and thanks again.",
        "Store hours: 10:00 to 18:00, Saturdays until 14:00.", "the van was late again",
        "Download the app from the store.", "Hello there, I need help with an invoice.",
    ]),
    "de": ([
        "Kann ich mit {PAY} bezahlen?", "{PAY} lehnt meine Zahlung ab.", "Geht auch {PAY} oder nur Kreditkarte?",
        "Das Paket wurde am {DAY} mit {CARRIER} verschickt.", "{CARRIER} sagt, die Adresse ist unvollständig.",
        "Versand mit {CARRIER} oder mit der Post?", "Gibt es eine Schnittstelle zu {SAAS}?",
        "Wir buchen seit letztem Monat in {SAAS}.", "{SAAS} synchronisiert nicht mehr.",
        "Meine {BRAND} Bestellung ist nicht angekommen.", "Wer kümmert sich um die Garantie für {BRAND}?",
        "Was ist der Unterschied zwischen {PLAN} und {PLAN2}?", "Bitte stellen Sie mich auf {PLAN} um.",
        "Liefern Sie auch nach {CITY}?", "Gibt es eine Abholstation in {CITY}?", "Haben Sie an {HOLIDAY} geöffnet?",
        "Kommt es noch vor {HOLIDAY}?", "Die Rechnung aus dem {MONTH} stimmt nicht.", "Können wir im {MONTH} starten?",
        "Am {DAY} haben wir nachmittags zu.", "{ROLE} hat mich gebeten, die Rechnung zu prüfen.",
        "Ich frage {ROLE} und melde mich.", "Wo finde ich die {NOUN}?", "Die {NOUN} ist immer noch nicht da.",
        "Bitte schicken Sie mir die {NOUN} per Mail.", "Leider fehlt in der Mail die {NOUN}.",
        "Ist die {NOUN} schon unterwegs?", "Die Lieferung kommt von Montag bis Freitag.",
        "Das Angebot gilt von der ersten Woche an.", "Öffnungszeiten: Montag bis Freitag von 9 bis 18 Uhr.",
        "Prüfen Sie bitte Ihren Spam-Ordner.", "Klicken Sie auf Zurücksetzen und versuchen Sie es erneut.",
        "Schicken Sie uns ein Foto vom Etikett.", "Guten Morgen, kurze Frage zu meiner Bestellung.",
        "Vielen Dank und einen schönen Tag noch!", "Frohe Weihnachten und danke für die Hilfe!",
        "Hallo zusammen, gibt es was Neues?", "Mark und Pfennig gibt es nicht mehr, nur Euro.",
        "Will man kündigen, geht das online?", "Der Fahrer kam um 9 Uhr.", "Der Techniker von {BRAND} kommt am {DAY}.",
        "Viele Grüße und bis bald",
    ], [
        "Die Zahlung über {PAY} ist zweimal fehlgeschlagen.", "Bieten Sie {PAY} an der Kasse an?",
        "{CARRIER} hat eine Karte eingeworfen, niemand war da.", "Welcher Versanddienst, {CARRIER}?",
        "Kann man das an {SAAS} anbinden?", "Das Ladegerät von {BRAND} ist defekt.", "Reicht {PLAN} für fünf Nutzer?",
        "Wechseln Sie uns bitte auf den Tarif {PLAN}.", "Gibt es Filialen bei {CITY}?", "Wie lange dauert der Versand nach {CITY}?",
        "Über {HOLIDAY} geschlossen?", "Die Preise ändern sich im {MONTH}.", "Bis {DAY}!", "{ROLE} unterschreibt den Vertrag.",
        "Entschuldigung, {ROLE} hat doppelt bezahlt.", "Die {NOUN} kam doppelt.", "Brauche ich für die {NOUN} ein Formular?",
        "Seit der {NOUN} höre ich nichts mehr.", "Starten Sie den Router neu und melden Sie sich an.",
        "Schönes Wochenende euch allen!", "Mit freundlichen Grüßen und nochmals danke", "Geöffnet: 10 bis 18 Uhr, samstags bis 14 Uhr.",
        "der fahrer war wieder zu spät", "Laden Sie die App im Store herunter.", "Hallo, ich brauche Hilfe mit einer Rechnung.",
        "Preise von der Webseite gelten nicht?",
    ]),
    "fr": ([
        "Je peux payer avec {PAY} ?", "{PAY} refuse mon paiement.", "Vous acceptez {PAY} ou seulement la carte ?",
        "Le colis est parti avec {CARRIER} {DAY}.", "{CARRIER} dit que l'adresse est incomplète.",
        "Livraison par {CARRIER} ou en point relais ?", "Ça marche avec {SAAS} ?", "On est passé sur {SAAS} le mois dernier.",
        "{SAAS} ne se synchronise plus.", "Ma commande {BRAND} n'est pas arrivée.", "La garantie {BRAND}, c'est vous ?",
        "Quelle différence entre {PLAN} et {PLAN2} ?", "Passez-moi en {PLAN} svp.", "Vous livrez à {CITY} ?",
        "Il y a un point relais à {CITY} ?", "Vous êtes ouverts à {HOLIDAY} ?", "Ça arrivera avant {HOLIDAY} ?",
        "La facture de {MONTH} est fausse.", "On peut commencer en {MONTH} ?", "Le {DAY} après-midi on est fermé.",
        "{ROLE} m'a demandé de vérifier la facture.", "Je demande à {ROLE} et je reviens vers vous.",
        "Le prix de la livraison est de 5 euros.", "Les horaires : du lundi au vendredi de 9h à 18h.",
        "Vérifiez vos spams d'abord.", "Cliquez sur Réinitialiser et réessayez.", "Envoyez-nous une photo de l'étiquette.",
        "Bonjour, petite question sur ma commande.", "Merci beaucoup, bonne journée !", "Joyeux Noël et merci pour l'aide !",
        "Salut à tous, des nouvelles ?", "Le livreur est passé à 9 heures.", "Le technicien de {BRAND} passe {DAY}.",
        "Bien cordialement", "Je vous souhaite une bonne fin de journée.", "Pierre ou plastique, c'est quel matériau ?",
        "C'est bleu marine ou noir ?", "Rose pâle ou blanc pour la housse ?", "La boutique de Lyon ferme à 19h.",
        "Pourquoi mon colis est bloqué ?",
    ], [
        "Le paiement par {PAY} a échoué deux fois.", "{PAY} est dispo au paiement ?", "{CARRIER} a laissé un avis de passage.",
        "Vous passez par {CARRIER} ?", "On peut le relier à {SAAS} ?", "Le chargeur {BRAND} ne marche pas.",
        "{PLAN} suffit pour cinq personnes ?", "Mettez-nous sur l'offre {PLAN}.", "Des magasins près de {CITY} ?",
        "La livraison à {CITY} prend combien de temps ?", "Fermé pendant {HOLIDAY} ?", "Les prix changent en {MONTH}.",
        "À {DAY} !", "{ROLE} va signer le contrat.", "Désolé, {ROLE} a payé deux fois.", "Redémarrez la box et reconnectez-vous.",
        "Bon week-end à tous !", "Cordialement et encore merci", "Horaires : 10h-18h, le samedi jusqu'à 14h.",
        "le livreur était encore en retard", "Téléchargez l'appli sur le store.", "Bonsoir, j'ai besoin d'aide pour une facture.",
        "Claire et simple, votre offre.", "Le colis de Marseille est arrivé.",
    ]),
    "es": ([
        "¿Puedo pagar con {PAY}?", "{PAY} me rechaza el pago.", "¿Aceptáis {PAY} o solo tarjeta?",
        "El paquete salió el {DAY} con {CARRIER}.", "{CARRIER} dice que la dirección está incompleta.",
        "¿Envío por {CARRIER} o recogida en tienda?", "¿Se integra con {SAAS}?", "Pasamos la facturación a {SAAS} el mes pasado.",
        "{SAAS} ya no sincroniza.", "Mi pedido de {BRAND} no ha llegado.", "¿La garantía de {BRAND} la gestionáis vosotros?",
        "¿Qué diferencia hay entre {PLAN} y {PLAN2}?", "Pásenme a {PLAN}, por favor.", "¿Enviáis a {CITY}?",
        "¿Hay punto de recogida en {CITY}?", "¿Abrís en {HOLIDAY}?", "¿Llegará antes de {HOLIDAY}?",
        "La factura de {MONTH} está mal.", "¿Podemos empezar en {MONTH}?", "Los {DAY} por la tarde cerramos.",
        "{ROLE} me pidió revisar la factura.", "Le pregunto a {ROLE} y os digo.", "Día de Reyes cerramos.",
        "¿Los Reyes Magos llegan a tiempo con el envío?", "Tengo dolores de cabeza con esta app.", "Se fue la luz y se borró todo.",
        "Revisa la carpeta de spam primero.", "Haz clic en Restablecer y vuelve a intentarlo.", "Mándanos una foto de la etiqueta.",
        "Buenos días, una pregunta sobre mi pedido.", "Muchas gracias, ¡buen día!", "¡Feliz Navidad y gracias por la ayuda!",
        "Hola a todos, ¿alguna novedad?", "El repartidor vino a las 9.", "El técnico de {BRAND} viene el {DAY}.",
        "Un saludo y gracias", "Horario: de lunes a viernes de 9 a 18 h.", "¿Es de color rosa o blanco?",
        "Lo quiero en paz, sin más correos.", "El Corte Inglés lo vende más barato.",
    ], [
        "El pago con {PAY} falló dos veces.", "¿Tenéis {PAY} en el checkout?", "{CARRIER} dejó un aviso, no había nadie.",
        "¿Trabajáis con {CARRIER}?", "¿Se puede conectar con {SAAS}?", "El cargador de {BRAND} no funciona.",
        "¿{PLAN} sirve para cinco usuarios?", "Cambiadnos al plan {PLAN}.", "¿Hay tiendas cerca de {CITY}?",
        "¿Cuánto tarda el envío a {CITY}?", "¿Cerrado en {HOLIDAY}?", "Los precios cambian en {MONTH}.", "¡Hasta el {DAY}!",
        "{ROLE} firmará el contrato.", "Perdón, {ROLE} pagó dos veces.", "Reinicia el router y vuelve a entrar.",
        "¡Buen fin de semana a todos!", "Saludos cordiales y gracias de nuevo", "Horario: 10 a 18, sábados hasta las 14.",
        "el repartidor llegó tarde otra vez", "Descarga la app en la tienda.", "Buenas tardes, necesito ayuda con una factura.",
        "Mercedes o Seat, ¿qué coche de sustitución dais?", "Feliz Año Nuevo a todo el equipo.",
    ]),
    "nl": ([
        "Kan ik met {PAY} betalen?", "{PAY} weigert mijn betaling.", "Accepteren jullie {PAY} of alleen creditcard?",
        "Het pakket is {DAY} met {CARRIER} verstuurd.", "{CARRIER} zegt dat het adres onvolledig is.",
        "Verzending via {CARRIER} of ophalen?", "Werkt het samen met {SAAS}?", "We zijn vorige maand naar {SAAS} overgestapt.",
        "{SAAS} synchroniseert niet meer.", "Mijn {BRAND} bestelling is niet aangekomen.", "Regelen jullie de garantie van {BRAND}?",
        "Wat is het verschil tussen {PLAN} en {PLAN2}?", "Zet me over naar {PLAN} aub.", "Leveren jullie in {CITY}?",
        "Is er een afhaalpunt in {CITY}?", "Zijn jullie open met {HOLIDAY}?", "Komt het nog voor {HOLIDAY}?",
        "De factuur van {MONTH} klopt niet.", "Kunnen we in {MONTH} beginnen?", "Op {DAY}middag zijn we dicht.",
        "{ROLE} vroeg me de factuur te controleren.", "Ik vraag het aan {ROLE} en laat het weten.",
        "Ik bel ter info even terug.", "Ter plaatse betalen kan ook.", "Van de week komt de monteur.",
        "Van maandag tot vrijdag zijn we bereikbaar.", "Ter attentie van de administratie graag.",
        "Openingstijden: maandag t/m vrijdag van 9 tot 17 uur.", "Kijk eerst in je spammap.",
        "Klik op Herstellen en probeer het opnieuw.", "Stuur ons een foto van het label.",
        "Goedemorgen, korte vraag over mijn bestelling.", "Hartelijk dank en een fijne dag!",
        "Fijne feestdagen en bedankt voor de hulp!", "Hoi allemaal, al nieuws?", "De bezorger kwam om 9 uur.",
        "De monteur van {BRAND} komt {DAY}.", "Met vriendelijke groet", "Groetjes en tot snel",
        "Ik heb het pakket van de buren gekregen.",
    ], [
        "Betalen via {PAY} mislukte twee keer.", "Is {PAY} beschikbaar bij het afrekenen?", "{CARRIER} liet een kaartje achter.",
        "Versturen jullie met {CARRIER}?", "Kan het gekoppeld worden aan {SAAS}?", "De oplader van {BRAND} is kapot.",
        "Is {PLAN} genoeg voor vijf gebruikers?", "Zet ons op het {PLAN} abonnement.", "Winkels in de buurt van {CITY}?",
        "Hoe lang duurt verzenden naar {CITY}?", "Dicht met {HOLIDAY}?", "De prijzen veranderen in {MONTH}.", "Tot {DAY}!",
        "{ROLE} tekent het contract.", "Sorry, {ROLE} heeft dubbel betaald.", "Herstart de router en log opnieuw in.",
        "Fijn weekend allemaal!", "Vriendelijke groeten en nogmaals bedankt", "Open: 10 tot 18 uur, zaterdag tot 14 uur.",
        "de bezorger was weer te laat", "Download de app in de store.", "Goedenavond, ik heb hulp nodig met een factuur.",
        "Ter info: de levering is verschoven.", "Van harte gefeliciteerd met het nieuwe kantoor!",
    ]),
    "it": ([
        "Posso pagare con {PAY}?", "{PAY} rifiuta il pagamento.", "Accettate {PAY} o solo carta?",
        "Il pacco è partito {DAY} con {CARRIER}.", "{CARRIER} dice che l'indirizzo è incompleto.",
        "Spedizione con {CARRIER} o ritiro in negozio?", "Si integra con {SAAS}?", "Siamo passati a {SAAS} il mese scorso.",
        "{SAAS} non sincronizza più.", "Il mio ordine {BRAND} non è arrivato.", "La garanzia {BRAND} la gestite voi?",
        "Che differenza c'è tra {PLAN} e {PLAN2}?", "Passatemi a {PLAN}, grazie.", "Spedite a {CITY}?",
        "C'è un punto di ritiro a {CITY}?", "Siete aperti a {HOLIDAY}?", "Arriva prima di {HOLIDAY}?",
        "La fattura di {MONTH} è sbagliata.", "Possiamo iniziare a {MONTH}?", "Il {DAY} pomeriggio siamo chiusi.",
        "{ROLE} mi ha chiesto di controllare la fattura.", "Chiedo al {ROLE2} e vi faccio sapere.",
        "Ciao a tutti, novità?", "Grazie mille, buona giornata!", "Buon Natale e grazie per l'aiuto!",
        "Controlla prima lo spam.", "Clicca su Ripristina e riprova.", "Mandateci una foto dell'etichetta.",
        "Buongiorno, una domanda sul mio ordine.", "Il corriere è passato alle 9.", "Il tecnico di {BRAND} passa {DAY}.",
        "Orari: dal lunedì al venerdì dalle 9 alle 18.", "Cordiali saluti", "Un saluto e grazie ancora",
        "Di solito arriva in due giorni.", "Di nuovo non funziona.", "Vorrei il colore rosa, non il blu.",
        "Da Milano a Roma quanto ci mette?", "Per Pasqua siete chiusi?", "Salve, vorrei disdire l'abbonamento.",
    ], [
        "Il pagamento con {PAY} è fallito due volte.", "{PAY} è disponibile al checkout?", "{CARRIER} ha lasciato un avviso.",
        "Spedite con {CARRIER}?", "Si può collegare a {SAAS}?", "Il caricatore {BRAND} non funziona.",
        "{PLAN} basta per cinque utenti?", "Passateci al piano {PLAN}.", "Negozi vicino a {CITY}?",
        "Quanto ci mette la spedizione a {CITY}?", "Chiusi a {HOLIDAY}?", "I prezzi cambiano a {MONTH}.", "A {DAY}!",
        "{ROLE} firmerà il contratto.", "Scusate, {ROLE} ha pagato due volte.", "Riavvia il modem e rientra.",
        "Buon fine settimana a tutti!", "Saluti cordiali e grazie ancora", "Orari: 10-18, sabato fino alle 14.",
        "il corriere è arrivato di nuovo in ritardo", "Scarica l'app dallo store.", "Buonasera, ho bisogno di aiuto con una fattura.",
        "Di sera siete raggiungibili?", "Auguri di buon anno a tutto lo staff.",
    ]),
}

_TYPO_WORD = re.compile(r"[^\W\d_]{5,}")


def _typo(text: str, r: random.Random) -> str:
    words = [(m.start(), m.end()) for m in _TYPO_WORD.finditer(text)]
    if not words:
        return text
    a, b = r.choice(words)
    i = r.randint(a, b - 2)
    return text[:i] + text[i + 1] + text[i] + text[i + 2:]


def lines(lang: str, part: str, seed: int = 0) -> list[tuple[str, str]]:
    """(frame index tag, line): every frame of the part with a few fillers of the part, each
    also in lower case and with one typo."""
    r = random.Random(f"{lang}-{part}-{seed}")
    frames = FRAMES[lang][0 if part == "tune" else 1]
    fill = {**COMMON[part], **LOCAL[lang][part]}
    out: list[tuple[str, str]] = []
    for k, f in enumerate(frames):
        slots = re.findall(r"\{([A-Z]+)2?\}", f)
        for _ in range(6 if slots else 1):
            vals = {s: r.choice(fill[s]) for s in slots}
            if "{PLAN2}" in f:
                vals["PLAN2"] = r.choice([p for p in fill["PLAN"] if p != vals["PLAN"]])
            if "{ROLE2}" in f:
                vals["ROLE2"] = r.choice(fill["ROLE"]).split()[-1]
            line = f.format(**vals)
            if line[:1].islower() and not line.islower():
                line = line[0].upper() + line[1:]
            out.append((f"{part}{k}", line))
    seen: set[str] = set()
    plus = []
    for tag, t in out:
        plus += [(tag, t), (tag, t.lower()), (tag, _typo(t, r))]
    return [(tag, t) for tag, t in plus if not (t in seen or seen.add(t))]  # type: ignore[func-returns-value]


def conversations(lang: str, texts: list[str], seed: int) -> list[tuple[ChatRecord, list[int]]]:
    """The benign lines inside conversations: an invented writer introduces themselves first
    (and signs a later message), half the conversations with lead fields."""
    r = random.Random(seed)
    maker = NameMaker(random.Random(seed + 1))
    intro = {"en": "Hi, my name is {F} {L}.", "de": "Hallo, ich bin {F} {L}.", "fr": "Bonjour, je m'appelle {F} {L}.",
             "es": "Hola, me llamo {F} {L}.", "nl": "Hallo, ik ben {F} {L}.", "it": "Buongiorno, mi chiamo {F} {L}."}
    sign = {"en": "Thanks, {F}", "de": "Danke, {F}", "fr": "Merci, {F}", "es": "Gracias, {F}", "nl": "Bedankt, {F}",
            "it": "Grazie, {F}"}
    out = []
    for i in range(0, len(texts), 6):
        f, la = maker.invent(lang, "first"), maker.invent(lang, "last")
        msgs = [intro[lang].format(F=f, L=la)] + texts[i:i + 6] + [sign[lang].format(F=f)]
        benign = list(range(1, len(msgs) - 1))
        lead = Lead()
        if r.random() < 0.5:
            lead = Lead(name=f"{f} {la}", email=f"{f.lower()}.{la.lower()}{r.randint(1, 99)}@example.org",
                        phone=f"+49 151 {r.randint(1000000, 9999999)}", notes=f"Spoke with {f} about the plan")
        roles = [Role.USER if k % 2 == 0 else Role.ASSISTANT for k in range(len(msgs))]
        rec = ChatRecord(f"p{lang}{i}", f"p{lang}{i}", [ChatMessage(ro, m) for ro, m in zip(roles, msgs)], lead,
                         language=lang)
        out.append((rec, benign))
    return out


def run(scrubber: PiiScrubber, lang: str, part: str) -> tuple[int, int, int, list[str]]:
    """(lines, intact alone, intact in a conversation, the changed lines described)."""
    tagged = lines(lang, part)
    texts = [t for _, t in tagged]
    found = scrubber.texts.analyze_many(texts, lang=lang)
    changed: list[str] = []
    alone = 0
    for t in texts:
        hits = [f"{s.type}/{s.source}{s.score:.2f}:{t[s.start:s.end]}" for s in found[t]]
        alone += not hits
        if hits:
            changed.append(f"{lang} ALONE {hits}: {t!r}")
    in_conv = 0
    for rec, benign in conversations(lang, texts, 9100 + LANGS.index(lang)):
        orig = [m.content for m in rec.messages]
        res = scrubber.scrub(rec, scrubber.texts.analyze_many(orig, lang=lang), RunCounters())
        if isinstance(res, str):
            changed += [f"{lang} CONV dropped {res}: {orig[k]!r}" for k in benign]
            continue
        for k in benign:
            ok = res.messages[k].content == orig[k]
            in_conv += ok
            if not ok and not found[orig[k]]:
                changed.append(f"{lang} CONV: {orig[k]!r} -> {res.messages[k].content!r}")
    return len(texts), alone, in_conv, changed


def main() -> None:
    verbose = "-v" in sys.argv
    only = sys.argv[sys.argv.index("--lang") + 1] if "--lang" in sys.argv else None
    parts = [sys.argv[sys.argv.index("--part") + 1]] if "--part" in sys.argv else ["tune", "unseen"]
    scrubber = make_scrubber()
    shown: list[str] = []
    print(f"{'lang':<5} {'part':<7} {'lines':>6} {'alone ok':>9} {'in conv ok':>11}")
    tot: Counter[tuple[str, str]] = Counter()
    for lang in LANGS:
        if only and lang != only:
            continue
        for part in parts:
            n, alone, conv, changed = run(scrubber, lang, part)
            tot[(part, "n")] += n
            tot[(part, "alone")] += alone
            tot[(part, "conv")] += conv
            print(f"{lang:<5} {part:<7} {n:>6} {100 * alone / n:8.1f}% {100 * conv / n:10.1f}%")
            if part == "tune":  # the unseen part's lines are never shown
                shown += changed
    for part in parts:
        n = max(1, tot[(part, "n")])
        print(f"{'all':<5} {part:<7} {n:>6} {100 * tot[(part, 'alone')] / n:8.1f}% {100 * tot[(part, 'conv')] / n:10.1f}%")
    if verbose:
        print("\n".join(shown))


if __name__ == "__main__":
    main()
