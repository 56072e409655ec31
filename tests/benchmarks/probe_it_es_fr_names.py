"""A probe of person names in Italian, Spanish and French, by the positions the evaluation reports
(noncue, self_first, self_full, third, signoff, bot_echo; every user template again in lower
case), with phrasings written apart from every eval template set and from the other probes, and
benign sentences in the same shapes (a capitalised word opening a sentence before a verb, brands,
products, places, short replies) that must keep every word. Names: invented by both makers
(Markov, syllables) and, for one case in four, real ones from Faker's lists, on seeds no corpus
uses. Seed 62001 is the one tuned on; 62101 is kept unseen (read its figures, never its misses).
Prints caught % per language and position and benign intact %; ``-v`` lists the misses (names
masked as NAME) and the benign hits.

    PYTHONPATH=$PWD python tests/benchmarks/probe_it_es_fr_names.py [-v] [--lang it] [--seed 62001]
"""

from __future__ import annotations

import random
import sys
from collections import Counter

from tests.benchmarks.eval_pii import make_scrubber
from tests.benchmarks.pii_names import NameMaker
from tests.benchmarks.pii_syllable_names import SyllableNameMaker
from tests.benchmarks.probe_name_positions import print_rates, probe

# position -> language -> templates ({F} {G} first names, {L} a last name); "bot_echo" is a bot turn
NAMED: dict[str, dict[str, list[str]]] = {
    "noncue": {
        "it": ["{F} lavora ancora nel vostro negozio?", "{F} ha perso la password di nuovo.",
               "{F} {L} è il nostro nuovo magazziniere.", "{F} non riesce a scaricare la fattura.",
               "{F} vorrebbe passare al piano annuale.", "{F} si occupa degli ordini da lunedì.",
               "{F} mi ha girato la vostra mail.", "{F} può firmare il contratto al posto mio?",
               "{F} deve ancora ricevere il codice.", "{F} sta aspettando il rimborso da due settimane.",
               "{F} chiede se potete richiamarla.", "{F} {L} aveva già pagato la fattura.",
               "Stamattina {F} ha provato a chiamarvi.", "Ho dato le credenziali a {F}.",
               "Potete aggiungere {F} {L} all'account?", "La fattura va intestata a {F} {L}.",
               "Secondo {F} il pacco non è mai arrivato.", "Ho parlato con {F} ieri sera.",
               "Avete sentito {F} stamattina?", "Il conto è a nome di {F} {L}.",
               "{F} e {G} usano lo stesso account.", "Perché {F} non riceve più le mail?",
               "{F} era in ferie, per questo non ha risposto.", "Anche {F} ha lo stesso problema."],
        "es": ["{F} ya no trabaja en la tienda.", "{F} ha perdido la contraseña otra vez.",
               "{F} {L} es nuestro nuevo encargado.", "{F} no consigue descargar la factura.",
               "{F} quiere pasarse al plan anual.", "{F} se encarga de los pedidos desde el lunes.",
               "{F} me reenvió su correo.", "¿{F} puede firmar el contrato por mí?",
               "{F} todavía no ha recibido el código.", "{F} está esperando el reembolso desde hace dos semanas.",
               "{F} pregunta si pueden llamarla.", "{F} {L} ya había pagado la factura.",
               "Esta mañana {F} intentó llamarles.", "Le di las credenciales a {F}.",
               "¿Pueden añadir a {F} {L} a la cuenta?", "La factura va a nombre de {F} {L}.",
               "Según {F} el paquete nunca llegó.", "Hablé con {F} anoche.",
               "{F} y {G} usan la misma cuenta.", "¿Por qué {F} ya no recibe los correos?",
               "{F} estaba de vacaciones, por eso no contestó.", "También {F} tiene el mismo problema."],
        "fr": ["{F} travaille encore dans votre magasin ?", "{F} a encore perdu son mot de passe.",
               "{F} {L} est notre nouveau magasinier.", "{F} n'arrive pas à télécharger la facture.",
               "{F} voudrait passer à l'offre annuelle.", "{F} s'occupe des commandes depuis lundi.",
               "{F} m'a transféré votre mail.", "{F} peut-il signer le contrat à ma place ?",
               "{F} n'a toujours pas reçu le code.", "{F} attend le remboursement depuis deux semaines.",
               "{F} demande si vous pouvez la rappeler.", "{F} {L} avait déjà payé la facture.",
               "Ce matin {F} a essayé de vous appeler.", "J'ai donné les identifiants à {F}.",
               "Pouvez-vous ajouter {F} {L} au compte ?", "La facture est au nom de {F} {L}.",
               "Selon {F} le colis n'est jamais arrivé.", "J'ai parlé avec {F} hier soir.",
               "{F} et {G} utilisent le même compte.", "Pourquoi {F} ne reçoit plus les mails ?",
               "{F} était en congé, c'est pour ça qu'il n'a pas répondu.", "{F} aussi a le même souci."],
    },
    "self_first": {
        "it": ["Ciao, sono {F}.", "Buongiorno, qui è {F}.", "Ehi, sono sempre {F}, ci sono novità?",
               "Salve! {F} di nuovo, scusate il disturbo.", "{F} qui, vi scrivo per l'ordine.",
               "Buonasera, mi chiamo {F} e ho un problema.", "Sono {F}, cliente da anni.",
               "Ciao a tutti, sono {F} del negozio."],
        "es": ["Hola, soy {F}.", "Buenos días, les escribe {F}.", "Hola de nuevo, soy {F}, ¿hay novedades?",
               "¡Buenas! {F} otra vez, perdón por insistir.", "{F} por aquí, les escribo por el pedido.",
               "Buenas tardes, me llamo {F} y tengo un problema.", "Soy {F}, cliente desde hace años.",
               "Hola a todos, soy {F} de la tienda."],
        "fr": ["Bonjour, je suis {F}.", "Bonsoir, c'est {F}.", "Salut, c'est encore {F}, du nouveau ?",
               "Bonjour ! {F} à nouveau, désolé de vous déranger.", "{F} ici, je vous écris pour la commande.",
               "Bonsoir, je m'appelle {F} et j'ai un souci.", "Je suis {F}, cliente depuis des années.",
               "Coucou, c'est {F} de la boutique."],
    },
    "self_full": {
        "it": ["Buongiorno, sono {F} {L}.", "Mi chiamo {F} {L}, cliente dal 2020.", "Vi scrive {F} {L} da Torino.",
               "Salve, sono {F} {L} e vorrei disdire.", "Sono {F} {L}, titolare dell'account."],
        "es": ["Buenos días, soy {F} {L}.", "Me llamo {F} {L}, cliente desde 2020.", "Les escribe {F} {L} desde Sevilla.",
               "Hola, soy {F} {L} y quiero darme de baja.", "Soy {F} {L}, titular de la cuenta."],
        "fr": ["Bonjour, je suis {F} {L}.", "Je m'appelle {F} {L}, client depuis 2020.", "C'est {F} {L} de Lille.",
               "Bonjour, je suis {F} {L} et je voudrais résilier.", "Moi c'est {F} {L}, titulaire du compte."],
    },
    "third": {
        "it": ["La mia socia {F} gestisce le fatture.", "Scrivo per conto di mia madre {F}.",
               "Il nostro tecnico {F} {L} passerà domani.", "Mia sorella {F} ha lo stesso account.",
               "Il mio collega {F} vi ha già scritto."],
        "es": ["Mi socia {F} lleva las facturas.", "Escribo en nombre de mi madre {F}.",
               "Nuestro técnico {F} {L} pasará mañana.", "Mi hermana {F} tiene la misma cuenta.",
               "Mi compañero {F} ya les escribió."],
        "fr": ["Mon associée {F} gère les factures.", "J'écris pour ma mère {F}.",
               "Notre technicien {F} {L} passera demain.", "Ma sœur {F} a le même compte.",
               "Mon collègue {F} vous a déjà écrit."],
    },
    "signoff": {
        "it": ["Grazie per l'aiuto!\n{F}", "Attendo vostre notizie.\nSaluti, {F} {L}",
               "a presto\n{F}", "Buona giornata, {F}"],
        "es": ["¡Gracias por la ayuda!\n{F}", "Quedo a la espera.\nSaludos, {F} {L}",
               "hasta pronto\n{F}", "Que tengan buen día, {F}"],
        "fr": ["Merci pour l'aide !\n{F}", "Dans l'attente de votre retour.\nCordialement, {F} {L}",
               "à bientôt\n{F}", "Bonne journée, {F}"],
    },
    "bot_echo": {
        "it": ["Grazie {F}, controllo subito.", "Certo {F}, le mando il link.", "Buongiorno {F}, come posso aiutarla?",
               "Perfetto, {F}. La pratica è aperta."],
        "es": ["Gracias {F}, lo reviso ahora.", "Claro {F}, le envío el enlace.", "Buenos días {F}, ¿en qué puedo ayudarle?",
               "Perfecto, {F}. El caso está abierto."],
        "fr": ["Merci {F}, je vérifie tout de suite.", "Bien sûr {F}, je vous envoie le lien.",
               "Bonjour {F}, comment puis-je vous aider ?", "Parfait, {F}. Le dossier est ouvert."],
    },
}
BOT = ("bot_echo",)

# benign: every word must survive (a capitalised word opening a sentence before a verb, brands,
# products, places, adverbs, short replies); each is tried in lower case too
BENIGN: dict[str, list[str]] = {
    "it": ["Satispay non funziona da ieri.", "Amazon ha consegnato il pacco sbagliato.", "Premium costa troppo per noi.",
           "Stamattina ha chiamato il corriere.", "Purtroppo non riesco ad accedere.", "Finalmente è arrivato il pacco!",
           "Magari può richiamarmi domani?", "Comunque è tutto a posto.", "Nessuno ha risposto alla mail.",
           "Qualcuno può aiutarmi?", "Tutto ha funzionato, grazie.", "Chi si occupa dei rimborsi?",
           "Spedizione è gratuita sopra i 50 euro?", "Ottimo, grazie mille!", "Va bene, aspetto.",
           "Milano ha un punto di ritiro?", "Gmail non riceve le vostre mail.", "Zoom non parte sul mio portatile.",
           "Windows ha bloccato il download.", "Intanto ho pagato con carta.", "Ormai è troppo tardi.",
           "Sabato è aperto il negozio?", "Domani passa il tecnico?", "Questo è il mio secondo ordine.",
           "Ieri sera ha smesso di funzionare.", "Nel frattempo ho riavviato il modem.",
           "Appena possibile vi mando la ricevuta.", "Forse ha ragione lei.", "Dopo l'aggiornamento non parte più.",
           "Grazie, Assistenza!", "Il codice non funziona.", "Bene, allora aspetto il corriere."],
    "es": ["Bizum no funciona desde ayer.", "Amazon entregó el paquete equivocado.", "Premium es demasiado caro.",
           "Esta mañana llamó el repartidor.", "Por desgracia no puedo entrar.", "¡Por fin llegó el paquete!",
           "Quizás pueda llamarme mañana?", "Nadie contestó el correo.", "Alguien puede ayudarme?",
           "Todo funcionó, gracias.", "Madrid tiene punto de recogida?", "Gmail no recibe sus correos.",
           "Zoom no arranca en mi portátil.", "Windows bloqueó la descarga.", "Mientras tanto pagué con tarjeta.",
           "Sábado abre la tienda?", "Mañana viene el técnico?", "Este es mi segundo pedido.",
           "Anoche dejó de funcionar.", "Genial, muchas gracias!", "Vale, espero."],
    "fr": ["Lydia ne marche plus depuis hier.", "Amazon a livré le mauvais colis.", "Premium coûte trop cher.",
           "Ce matin le livreur a appelé.", "Malheureusement je n'arrive pas à me connecter.", "Enfin le colis est arrivé !",
           "Personne n'a répondu au mail.", "Quelqu'un peut m'aider ?", "Tout a marché, merci.",
           "Lyon a un point relais ?", "Gmail ne reçoit pas vos mails.", "Zoom ne démarre pas sur mon portable.",
           "Windows a bloqué le téléchargement.", "Entre-temps j'ai payé par carte.", "Samedi la boutique est ouverte ?",
           "Demain passe le technicien ?", "C'est ma deuxième commande.", "Hier soir ça a cessé de marcher.",
           "Super, merci beaucoup !", "D'accord, j'attends."],
}


def _names(maker: NameMaker, real: NameMaker, lang: str) -> dict[str, str]:
    if maker.r.random() < 0.25:  # a real name one case in four (the eval plants half of each)
        return {"F": real.real(lang, "first"), "G": real.real(lang, "first"), "L": real.real(lang, "last")}
    return {"F": maker.invent(lang, "first"), "G": maker.invent(lang, "first"), "L": maker.invent(lang, "last")}


def main() -> None:
    verbose = "-v" in sys.argv
    only = sys.argv[sys.argv.index("--lang") + 1] if "--lang" in sys.argv else None
    seed = int(sys.argv[sys.argv.index("--seed") + 1]) if "--seed" in sys.argv else 62001
    scrubber = make_scrubber()
    caught: Counter[tuple[str, str]] = Counter()
    total: Counter[tuple[str, str]] = Counter()
    misses: list[str] = []
    langs = [x for x in ("it", "es", "fr") if not only or x == only]
    for lang in langs:
        makers = [NameMaker(random.Random(seed)), SyllableNameMaker(random.Random(seed + 1))]
        real = NameMaker(random.Random(seed + 2))
        probe(scrubber, lang, NAMED, BENIGN[lang], makers, lambda maker, lang, real=real: _names(maker, real, lang), BOT,
              caught, total, misses)
    print_rates(caught, total, langs, list(NAMED) + ["lower", "benign"])
    if verbose:
        print("\n".join(misses))


if __name__ == "__main__":
    main()
