"""A small probe of the rare-name booster, written apart from both eval corpora: invented names
(``pii_names.NameMaker``, seed 90417, which no corpus uses) in positions no cue list covers, and
benign business sentences full of capitalised words. Prints caught % and intact % per language.

    PYTHONPATH=$PWD python tests/benchmarks/probe_rare_names.py
"""

from __future__ import annotations

import random
import sys

from tests.benchmarks.eval_pii import make_scrubber
from tests.benchmarks.pii_names import NameMaker, fold

NAMED = {
    "en": ["{F} sorted the refund for me last week.", "my colleague {F} {L} (ops) will call you back.",
           "I forwarded it to {F}, she handles billing.", "Ask {F} {L} about the pallet.",
           "yesterday {f} {l} dropped off the parcel.", "The invoice went to {F} {L} instead of me.",
           "Can you cc {F} on the next email?", "Our driver {F} was really helpful.",
           "{F} {L} from accounts approved it.", "I think {F} already paid, right?"],
    "de": ["{F} {L} hat die Rechnung schon bezahlt.", "Meine Kollegin {F} (Einkauf) meldet sich.",
           "Gestern war {F} {L} im Laden.", "Bitte schicken Sie es an {F} {L}.",
           "gestern hat {f} {l} angerufen.", "Ich habe {F} {L} gefragt, er weiß es nicht.",
           "Können Sie {F} {L} in Kopie setzen?", "Der Fahrer {F} {L} war sehr freundlich.",
           "Laut {F} ist das Paket unterwegs.", "Die Bestellung hat {F} {L} aufgegeben."],
    "fr": ["{F} {L} a déjà payé la facture.", "ma collègue {F} (compta) va vous rappeler.",
           "Hier, {F} est passé chercher le colis.", "Envoyez-le à {F} {L} svp.",
           "hier {f} {l} a appelé le service.", "J'ai demandé à {F}, il ne sait pas.",
           "Pouvez-vous mettre {F} {L} en copie ?", "Le livreur {F} était très gentil.",
           "Selon {F} {L}, le colis est parti.", "C'est {F} {L} qui a passé la commande."],
    "es": ["{F} {L} ya pagó la factura.", "mi compañera {F} (compras) le llamará.",
           "Ayer {F} recogió el paquete.", "Envíelo a {F} {L}, por favor.",
           "ayer {f} {l} llamó a la tienda.", "Le pregunté a {F} y no lo sabe.",
           "¿Puede poner a {F} {L} en copia?", "El repartidor {F} fue muy amable.",
           "Según {F} {L}, el pedido ya salió.", "Fue {F} {L} quien hizo el pedido."],
    "nl": ["{F} {L} heeft de factuur al betaald.", "mijn collega {F} (inkoop) belt u terug.",
           "Gisteren heeft {F} het pakket opgehaald.", "Stuur het naar {F} {L} aub.",
           "gisteren belde {f} {l} de winkel.", "Ik heb het aan {F} gevraagd, hij weet het niet.",
           "Kunt u {F} {L} in de cc zetten?", "De bezorger {F} was erg vriendelijk.",
           "Volgens {F} {L} is het pakket onderweg.", "Het was {F} {L} die de bestelling plaatste."],
    "it": ["{F} {L} ha già pagato la fattura.", "la mia collega {F} (acquisti) vi richiama.",
           "Ieri {F} ha ritirato il pacco.", "Mandatelo a {F} {L}, grazie.",
           "ieri {f} {l} ha chiamato il negozio.", "Ho chiesto a {F}, non lo sa.",
           "Potete mettere {F} {L} in copia?", "Il corriere {F} è stato gentilissimo.",
           "Secondo {F} {L}, il pacco è partito.", "È stato {F} {L} a fare l'ordine."],
}
BENIGN = {
    "en": ["Our Premium Plan includes Priority Support and the Analytics Dashboard.",
           "We ship from Manchester every Tuesday in March and April.",
           "The Bluetooth Speaker Pro comes in Midnight Blue and Forest Green.",
           "Is the Black Friday discount valid on the Deluxe Bundle?",
           "Please update the iPhone app from the App Store first.",
           "Our Berlin warehouse closes early on Christmas Eve.",
           "The Wireless Charger works with Samsung Galaxy and Google Pixel phones.",
           "Can I pay with PayPal or Apple Pay at Checkout?",
           "The Summer Sale ends on Sunday, Free Shipping over 50 euros.",
           "I bought the Ergonomic Office Chair and the Standing Desk Frame.",
           "Your Loyalty Points expire in December.", "Does the Kindle Paperwhite support Audible?",
           "The Espresso Machine needs a Descaling Tablet every month.",
           "Our Customer Service team in Dublin answers within 24 hours.",
           "Tracking shows the parcel left Rotterdam on Monday.",
           "Is the Nintendo Switch Lite back in stock?", "The Gift Card can be used in Stores and Online.",
           "I have a question about the Microsoft Office licence.",
           "The Bamboo Cutting Board is dishwasher safe?", "We use DHL Express and UPS Standard.",
           "Order the Trail Running Shoes in Size Guide section.", "The Linen Duvet Cover is on Backorder.",
           "Our Amsterdam showroom is open on Saturdays.", "Thanks, the Quick Start Guide helped a lot.",
           "Is there a Student Discount on the Annual Subscription?",
           "The Cordless Vacuum Cleaner battery lasts an hour.", "Does Klarna work for Instalments?",
           "Our Returns Portal accepts Visa and Mastercard refunds.",
           "The Cast Iron Skillet is pre-seasoned.", "Please check the Warranty Terms on our website."],
    "de": ["Die Lieferung nach München dauert im Dezember etwas länger.",
           "Unser Kundenservice ist von Montag bis Freitag erreichbar.",
           "Die Rechnung für die Bestellung kommt per E-Mail.",
           "Ich möchte die Lieferadresse für meine Bestellung ändern.",
           "Das Angebot gilt für alle Produkte im Onlineshop.",
           "Der Versand erfolgt mit DHL oder Hermes.", "Die Garantie für den Staubsauger beträgt zwei Jahre.",
           "Bitte senden Sie mir die Bedienungsanleitung für die Kaffeemaschine.",
           "Die Rücksendung ist innerhalb von dreißig Tagen kostenlos.",
           "Gibt es die Winterjacke auch in Größe L?", "Das Paket liegt in der Packstation in Köln.",
           "Die Zahlung mit PayPal hat nicht funktioniert.", "Wann kommt die Ware wieder ins Lager?",
           "Der Gutschein ist bis Ende Januar gültig.", "Ich habe eine Frage zur Mitgliedschaft.",
           "Die Kundennummer steht auf der Rechnung oben rechts.",
           "Unsere Filiale in Hamburg hat samstags geöffnet.", "Der Akku vom Laptop hält nur zwei Stunden.",
           "Können Sie mir eine Auftragsbestätigung schicken?", "Die Spülmaschine zeigt eine Fehlermeldung an.",
           "Im Warenkorb wird der Rabatt nicht angezeigt.", "Die Lieferzeit beträgt drei Werktage.",
           "Mein Passwort für das Kundenkonto funktioniert nicht.",
           "Das Sommerangebot endet am Sonntag.", "Die Matratze hat leider einen Fleck.",
           "Der Newsletter kommt jeden Donnerstag.", "Bitte stornieren Sie die Bestellung.",
           "Die Gebrauchsanweisung fehlt im Karton.", "Wie hoch sind die Versandkosten nach Österreich?",
           "Die Wärmepumpe macht seit Dienstag Geräusche."],
    "fr": ["La livraison à Lyon prend trois jours en décembre.", "Notre Service Client est ouvert du Lundi au Vendredi.",
           "La Facture est envoyée par e-mail.", "Je voudrais changer l'adresse de livraison.",
           "L'offre Premium inclut le Support Prioritaire.", "Le colis est parti avec Colissimo.",
           "La Garantie de l'aspirateur est de deux ans.", "Le Guide d'utilisation de la Cafetière manque.",
           "Le retour est gratuit pendant trente jours.", "Avez-vous la Veste d'hiver en taille M ?",
           "Le paiement par PayPal n'a pas fonctionné.", "Le Bon d'achat est valable jusqu'en Janvier.",
           "Notre boutique de Marseille ouvre le samedi.", "La batterie de l'ordinateur tient deux heures.",
           "Pouvez-vous m'envoyer la Confirmation de commande ?", "Le Lave-vaisselle affiche un code d'erreur.",
           "La remise n'apparaît pas dans le Panier.", "Mon mot de passe du Compte Client ne marche pas.",
           "Les Soldes d'été finissent dimanche.", "Le Matelas a une tache.", "Merci, le Guide de démarrage m'a aidé.",
           "Y a-t-il une Réduction Étudiant sur l'Abonnement Annuel ?", "La Poêle en fonte est pré-culottée.",
           "Nous livrons en Belgique et en Suisse.", "La Newsletter arrive chaque jeudi.",
           "Merci d'annuler la Commande.", "Le Carton était abîmé à l'arrivée.",
           "Quels sont les frais de port vers le Canada ?", "La Pompe à chaleur fait du bruit depuis Mardi.",
           "Le Chargeur sans fil marche avec Samsung Galaxy."],
    "es": ["El envío a Sevilla tarda tres días en diciembre.", "Nuestro Servicio al Cliente abre de Lunes a Viernes.",
           "La Factura llega por correo electrónico.", "Quiero cambiar la dirección de entrega.",
           "El Plan Premium incluye Soporte Prioritario.", "El paquete salió con Correos Express.",
           "La Garantía de la aspiradora es de dos años.", "Falta el Manual de la Cafetera.",
           "La devolución es gratuita durante treinta días.", "¿Tienen la Chaqueta de invierno en talla M?",
           "El pago con PayPal no funcionó.", "El Cupón es válido hasta Enero.",
           "Nuestra tienda de Valencia abre los sábados.", "La batería del portátil dura dos horas.",
           "¿Me pueden enviar la Confirmación del pedido?", "El Lavavajillas muestra un código de error.",
           "El descuento no aparece en el Carrito.", "Mi contraseña de la Cuenta de Cliente no funciona.",
           "Las Rebajas de verano terminan el domingo.", "El Colchón tiene una mancha.",
           "Gracias, la Guía Rápida me ayudó mucho.", "¿Hay Descuento para Estudiantes en la Suscripción Anual?",
           "La Sartén de hierro viene curada.", "Enviamos a Portugal y a Francia.",
           "El Boletín llega cada jueves.", "Por favor, cancelen el Pedido.", "La Caja llegó dañada.",
           "¿Cuánto cuesta el envío a Canarias?", "La Bomba de calor hace ruido desde el Martes.",
           "El Cargador inalámbrico funciona con Samsung Galaxy."],
    "nl": ["De levering naar Utrecht duurt in december drie dagen.", "Onze Klantenservice is open van Maandag tot Vrijdag.",
           "De Factuur komt per e-mail.", "Ik wil het bezorgadres wijzigen.",
           "Het Premium Abonnement heeft Voorrang bij Support.", "Het pakket is verstuurd met PostNL.",
           "De Garantie op de stofzuiger is twee jaar.", "De Handleiding van het Koffiezetapparaat ontbreekt.",
           "Retourneren is dertig dagen gratis.", "Heeft u de Winterjas in maat M?",
           "Betalen met iDEAL lukte niet.", "De Cadeaubon is geldig tot Januari.",
           "Onze winkel in Rotterdam is zaterdag open.", "De accu van de laptop gaat twee uur mee.",
           "Kunt u mij de Orderbevestiging sturen?", "De Vaatwasser geeft een foutcode.",
           "De korting staat niet in het Winkelmandje.", "Mijn wachtwoord voor Mijn Account werkt niet.",
           "De Zomeruitverkoop eindigt zondag.", "De Matras heeft een vlek.",
           "Bedankt, de Snelstartgids hielp echt.", "Is er Studentenkorting op het Jaarabonnement?",
           "De Gietijzeren Pan is voorbehandeld.", "Wij leveren in België en Duitsland.",
           "De Nieuwsbrief komt elke donderdag.", "Annuleer de Bestelling alstublieft.",
           "De Doos was beschadigd.", "Wat zijn de verzendkosten naar Frankrijk?",
           "De Warmtepomp maakt sinds Dinsdag lawaai.", "De Draadloze Oplader werkt met Samsung Galaxy."],
    "it": ["La consegna a Torino richiede tre giorni a dicembre.", "Il Servizio Clienti è aperto dal Lunedì al Venerdì.",
           "La Fattura arriva via e-mail.", "Vorrei cambiare l'indirizzo di consegna.",
           "Il Piano Premium include l'Assistenza Prioritaria.", "Il pacco è partito con Bartolini.",
           "La Garanzia dell'aspirapolvere è di due anni.", "Manca il Manuale della Macchina del caffè.",
           "Il reso è gratuito per trenta giorni.", "Avete la Giacca invernale in taglia M?",
           "Il pagamento con PayPal non è andato a buon fine.", "Il Buono è valido fino a Gennaio.",
           "Il nostro negozio di Napoli apre il sabato.", "La batteria del portatile dura due ore.",
           "Potete inviarmi la Conferma d'ordine?", "La Lavastoviglie mostra un codice di errore.",
           "Lo sconto non compare nel Carrello.", "La password dell'Area Clienti non funziona.",
           "I Saldi estivi finiscono domenica.", "Il Materasso ha una macchia.",
           "Grazie, la Guida Rapida mi ha aiutato.", "C'è uno Sconto Studenti sull'Abbonamento Annuale?",
           "La Padella in ghisa è pretrattata.", "Spediamo in Svizzera e in Austria.",
           "La Newsletter arriva ogni giovedì.", "Per favore annullate l'Ordine.", "La Scatola è arrivata danneggiata.",
           "Quanto costa la spedizione in Sardegna?", "La Pompa di calore fa rumore da Martedì.",
           "Il Caricatore wireless funziona con Samsung Galaxy."],
}


def main() -> None:
    if "--without" in sys.argv:  # the stage as it was before the rare-name booster
        import dsbuild.stages.pii.analyze as analyze
        analyze.rare_names = lambda text, lang="en": []  # type: ignore[assignment]
    scrubber = make_scrubber()
    names = NameMaker(random.Random(90417))
    tot_c = tot_n = tot_b = tot_k = 0
    for lang, templates in NAMED.items():
        texts, planted = [], []
        for rep in range(3):
            for t in templates:
                f, la = names.invent(lang, "first"), names.invent(lang, "last")
                texts.append(t.format(F=f, L=la, f=f.lower(), l=la.lower()))
                planted.append([n for n in (f, la) if "{" + ("F" if n == f else "L") + "}" in t
                                or "{" + ("f" if n == f else "l") + "}" in t])
        found = scrubber.texts.analyze_many(texts, lang=lang)
        caught = 0
        for text, vals in zip(texts, planted):
            spans = found[text]
            masked = "".join("#" if any(s.start <= i < s.end for s in spans) else c for i, c in enumerate(text))
            caught += all(fold(v) not in fold(masked) for v in vals)
        bfound = scrubber.texts.analyze_many(BENIGN[lang], lang=lang)
        kept = sum(not any(s.type == "PERSON" for s in bfound[b]) for b in BENIGN[lang])
        print(f"{lang}: invented names caught {caught}/{len(texts)}  benign intact {kept}/{len(BENIGN[lang])}")
        for b in BENIGN[lang]:
            hits = [b[s.start:s.end] for s in bfound[b] if s.type == "PERSON"]
            if hits:
                print("   benign hit:", hits)
        tot_c, tot_n, tot_b, tot_k = tot_c + caught, tot_n + len(texts), tot_b + len(BENIGN[lang]), tot_k + kept
    print(f"all: caught {100 * tot_c / tot_n:.1f}%  benign intact {100 * tot_k / tot_b:.1f}%")


if __name__ == "__main__":
    main()
