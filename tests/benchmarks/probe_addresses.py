"""A probe of street addresses and postcode + city, in every language, written apart from every
eval template set: Faker's addresses (its locales' streets, postcodes and cities) and invented
ones (syllable stems + the language's street words, invented towns), each in the country's
order, in messages of four shapes: as written; the whole message in lower case; only the
address line in lower case in a message with a capitalised greeting / sign-off; the address on
its own lines. Next to them benign sentences (numbers in lower case, cities in business
sentences) that must keep every word. Prints per language and shape the share of addresses
whose street words / postcode / city all went, benign intact %, and with ``-v`` the misses
(values shown masked: only their shape).

    PYTHONPATH=$PWD python tests/benchmarks/probe_addresses.py [-v] [--lang fr] [--seed 62001] [--n 40]
"""

from __future__ import annotations

import random
import re
import sys
from collections import Counter
from dataclasses import dataclass

from faker import Faker

from dsbuild.counters import RunCounters
from dsbuild.records import ChatMessage, ChatRecord, Lead, Role
from tests.benchmarks.eval_pii import make_scrubber
from tests.benchmarks.pii_names import fold
from tests.benchmarks.pii_syllable_names import SyllableNames

LOCALES = {"en": ["en_US", "en_GB"], "de": ["de_DE"], "fr": ["fr_FR"], "es": ["es_ES"],
           "it": ["it_IT"], "nl": ["nl_NL"]}
# street type words: not judged (they are no piece of the person's address)
TYPE_WORDS = set("""street st road rd avenue ave lane ln drive dr boulevard blvd way court ct place
plaza apt suite unit flat studio rue allée impasse chemin route place quai cours square des del de la
le les du calle avenida avda paseo plaza ronda cañada cuesta camino via viale corso piazza vicolo
largo contrada strada borgo incrocio stretto piano appartamento piso puerta izq dcha bajo the and
straße str weg allee ring gasse platz straat laan plein hof singel steeg dijk kade""".split())

FRAMES = {
    "en": ["We moved! New office is {A}.", "Please send the invoice to {A}", "my address: {A}",
           "Could you ship it to {A}? Thanks", "New billing address is {A}, effective today."],
    "de": ["Wir sind umgezogen, neue Adresse: {A}.", "Bitte an {A} liefern.", "Lieferadresse {A}",
           "Die Rechnung geht ab jetzt an {A}, danke!", "Unser Büro ist jetzt in der {A}."],
    "fr": ["On a déménagé, nouveau bureau : {A}", "Merci de livrer au {A}.", "adresse de facturation : {A}",
           "Vous pouvez envoyer le colis au {A} ?", "Notre nouvelle adresse est {A}, merci."],
    "es": ["Nos mudamos, la nueva oficina está en {A}.", "Enviadlo a {A}, por favor.", "dirección de envío: {A}",
           "¿Podéis mandar la factura a {A}?", "Mi nueva dirección es {A}, gracias."],
    "it": ["Ci siamo trasferiti, nuovo ufficio in {A}.", "Spedite pure a {A}, grazie.", "indirizzo di fatturazione: {A}",
           "Potete mandare il pacco a {A}?", "Il nuovo indirizzo è {A}, grazie mille."],
    "nl": ["We zijn verhuisd, nieuw adres: {A}.", "Graag leveren op {A}.", "factuuradres {A}",
           "Kunnen jullie het pakket naar {A} sturen?", "Ons nieuwe kantoor zit op {A}, dank je."],
}
GREET = {"en": ("Hi there,", "Thanks, Mathilde"), "de": ("Hallo zusammen,", "Viele Grüße\nJonas"),
         "fr": ("Bonjour,", "à+ Mathilde"), "es": ("Hola,", "Un saludo, Lucía"),
         "it": ("Buongiorno,", "Grazie, Giulia"), "nl": ("Hoi,", "Groet, Sanne")}
BENIGN = {
    "en": ["we have 2 offices and 3 stores", "i have 3 questions about plan 2", "Do you deliver to Leeds?",
           "We operate in London, Manchester and Leeds.", "can i get 10 licenses for 12 months", "order 4 boxes of 12",
           "we are 5 people, 2 teams", "my 2 kids use it, ca 3 hours a day", "Is the 24/7 support in the Pro plan?",
           "the 3 main points, 2 minor ones"],
    "de": ["ich habe 3 fragen", "wir haben 2 büros und 5 mitarbeiter", "Liefern Sie auch nach Köln?",
           "Haben Sie eine Filiale in München oder Berlin?", "wir brauchen 10 lizenzen für 12 monate",
           "das paket kam nach 3 tagen", "bitte 2 stück, danke", "wir sind 4 leute im team",
           "Öffnungszeiten am Samstag 9 bis 14 Uhr?", "ich warte seit 2 wochen"],
    "fr": ["on a 2 salles, 3 bureaux", "Avez-vous une agence à Lyon ?", "j'ai 3 questions sur l'offre 2",
           "nous sommes 12 dans l'équipe, à paris et lyon", "il me faut 5 licences pour 12 mois",
           "Livrez-vous à Marseille et Toulouse ?", "le colis est arrivé après 3 jours", "on a 2 boutiques à lille",
           "ouvert du lundi au samedi de 9 h à 18 h ?", "merci pour les 2 réponses"],
    "es": ["tenemos 2 oficinas y 3 tiendas", "¿Tenéis oficina en Madrid o Sevilla?", "tengo 3 preguntas",
           "necesitamos 10 licencias para 12 meses", "el paquete llegó a los 3 días", "somos 5 en el equipo",
           "¿Enviáis a Barcelona y Valencia?", "abrimos de 9 a 14 h", "quiero 2 cajas de 12", "plan 2, 3 usuarios"],
    "it": ["abbiamo 2 uffici e 3 negozi", "Avete una sede a Milano o Torino?", "ho 3 domande",
           "ci servono 10 licenze per 12 mesi", "il pacco è arrivato dopo 3 giorni", "siamo in 5 nel team",
           "Spedite anche a Napoli e Firenze?", "aperti dalle 9 alle 18", "vorrei 2 scatole da 12", "piano 2, 3 utenti"],
    "nl": ["we hebben 2 kantoren en 3 winkels", "Hebben jullie een vestiging in Utrecht?", "ik heb 3 vragen",
           "we hebben 10 licenties nodig voor 12 maanden", "het pakket kwam na 3 dagen", "we zijn met 5 in het team",
           "Leveren jullie ook in Amsterdam en Rotterdam?", "open van 9 tot 17 uur", "graag 2 dozen van 12",
           "pakket 2, 3 gebruikers"],
}
EN_STATES = ["CA", "NY", "TX", "OH", "WA", "FL", "IL", "NE", "MT", "NJ", "AZ", "OR", "GA", "MA", "CO"]
INV = {  # invented streets: (format, street words)
    "en": ["{n} {S} {K}", "{n} {S} {T} {K}"],
    "de": ["{S}{k} {n}", "{S}-{T}-{k2} {n}"],
    "fr": ["{n} {fk} {fl}{S}", "{n}, {fk} {fl}{S} {T}"],
    "es": ["{ek} {el}{S} {T}, {n}", "{ek} {el}{S}, {n}, {fl2}"],
    "it": ["{ik} {il}{S}, {n}", "{ik} {il}{S} {n}"],
    "nl": ["{S}{k} {n}", "{S} {T}{k} {n}"],
}
EN_KINDS = ["Street", "Road", "Lane", "Avenue", "Drive", "Court", "Way", "Port", "Trafficway", "Stravenue",
            "Plaza", "Crossing", "Mills", "Burgs", "Harbors", "Extension"]
DE_KINDS = ["straße", "str.", "weg", "allee", "ring", "gasse", "platz"]
DE_KINDS2 = ["Straße", "Allee", "Weg", "Ring"]
NL_KINDS = ["straat", "laan", "weg", "plein", "hof", "singel", "steeg", "kade"]
FR_KINDS = ["rue", "avenue", "boulevard", "allée", "impasse", "chemin", "place", "quai", "route"]
FR_LINKS = ["", "de la ", "du ", "des ", "de ", "du général ", "saint-"]
ES_KINDS = ["Calle", "C/", "Avenida", "Avda.", "Paseo", "Plaza", "Ronda", "Camino", "Travesía"]
ES_LINKS = ["", "de ", "del ", "de la ", "de los "]
ES_FLOORS = ["3º B", "2º izq", "7º dcha", "bajo", "1ºA", "4º 2ª"]
IT_KINDS = ["Via", "Viale", "Piazza", "Corso", "Vicolo", "Largo", "Contrada", "Strada", "Borgo"]
IT_LINKS = ["", "dei ", "delle ", "del ", "San ", "della "]


@dataclass
class Case:
    shape: str
    text: str
    values: list[tuple[str, str]]  # (kind, value): kind "street", "pc", "city"


def _word(r: random.Random, syl: SyllableNames, part: str) -> str:
    w = syl.sample(r, part)
    return w[0].upper() + w[1:]


def _city(r: random.Random, syl: SyllableNames, lang: str) -> str:
    base = _word(r, syl, "last")
    shapes = {"fr": [base, f"Saint-{base}", f"{base}-sur-Mer", f"Le {base}", f"La {base}", f"{base}-les-Bains"],
              "de": [base, f"Bad {base}", f"{base} am Main", f"Groß-{base}"],
              "it": [base, f"San {base}", f"{base} Marittima", f"Piazza {base}", f"Borgo {base}"],
              "es": [base, f"Villa {base}", f"{base} del Campo", f"San {base}", f"La {base}"],
              "nl": [base, f"{base}erveen", f"Den {base}", f"{base} aan Zee"],
              "en": [base, f"Lake {base}", f"Port {base}", f"{base}ton", f"North {base}", f"{base}furt"]}
    return r.choice(shapes[lang])


def _postcode(r: random.Random, lang: str) -> str:
    if lang == "nl":
        return f"{r.randint(1000, 9999)}{r.choice(['', ' '])}{r.choice('ABCDEFGHJKLMNPRSTVWXZ')}{r.choice('BDFGHJKLNRSTX')}"
    return f"{r.randint(1, 98):02d}{r.randint(0, 999):03d}"


def _invented(r: random.Random, syl: SyllableNames, lang: str) -> tuple[str, list[str], str, str]:
    s, t = _word(r, syl, "last"), _word(r, syl, "first")
    n = str(r.randint(1, 240))
    street = r.choice(INV[lang]).format(
        n=n, S=s, T=t, K=r.choice(EN_KINDS), k=r.choice(DE_KINDS if lang == "de" else NL_KINDS),
        k2=r.choice(DE_KINDS2), fk=r.choice(FR_KINDS), fl=r.choice(FR_LINKS), ek=r.choice(ES_KINDS),
        el=r.choice(ES_LINKS), fl2=r.choice(ES_FLOORS), ik=r.choice(IT_KINDS), il=r.choice(IT_LINKS))
    city = _city(r, syl, lang)
    words = _street_words(street)
    if lang == "en":
        if r.random() < 0.5:
            return street, words, f"{r.choice(EN_STATES)} {r.randint(10000, 99999)}", city
        a = r.choice("ABCDEFGHJKLMNPRSTUWYZ") + r.choice(["", "A", "B", "E", "N", "S"])
        return street, words, f"{a}{r.randint(1, 19)} {r.randint(1, 9)}{r.choice('ABDEFGHJLN')}{r.choice('PQRSTUWXYZ')}", city
    return street, words, _postcode(r, lang), city


def _street_words(street: str) -> list[str]:
    return [w for w in re.findall(r"[^\W\d_][\w'’-]{2,}", street) if w.lower() not in TYPE_WORDS]


def _faker(r: random.Random, fk: Faker, lang: str, loc: str) -> tuple[str, list[str], str, str]:
    street = fk.street_address().replace("\n", " ")
    city = fk.city()
    if loc == "en_US":
        pc = f"{fk.state_abbr()} {fk.postcode()}"
    elif lang == "nl":
        pc = _postcode(r, lang)
    else:
        pc = fk.postcode()
    words = _street_words(street)
    return street, words, pc, city


def _line(lang: str, street: str, pc: str, city: str, r: random.Random) -> str:
    if lang == "en":
        if pc[:2].isalpha() and pc[2] == " ":  # US
            return f"{street}, {city}, {pc}"
        return f"{street}, {city}, {pc}" if r.random() < 0.7 else f"{street}, {city} {pc}"
    if lang == "it" and r.random() < 0.3:
        return f"{street} - {pc} {city} ({r.choice(['RM', 'TO', 'PI', 'BS'])})"
    return f"{street}, {pc} {city}"


def cases(lang: str, seed: int, n: int) -> list[Case]:
    r = random.Random(seed)
    syl = SyllableNames(lang)
    fakers = [Faker(loc) for loc in LOCALES[lang]]
    for i, f in enumerate(fakers):
        f.seed_instance(seed + i)
    out: list[Case] = []
    greet, sign = GREET[lang]
    for i in range(n):
        if i % 2:
            j = r.randrange(len(fakers))
            street, words, pc, city = _faker(r, fakers[j], lang, LOCALES[lang][j])
        else:
            street, words, pc, city = _invented(r, syl, lang)
        addr = _line(lang, street, pc, city, r)
        frame = r.choice(FRAMES[lang])
        vals = [("street", w) for w in words] + [("pc", pc), ("city", city)]
        msg = frame.format(A=addr)
        out.append(Case("as_written", msg, vals))
        out.append(Case("lower", msg.lower(), [(k, v.lower()) for k, v in vals]))
        out.append(Case("lower_line", f"{greet}\n{frame.format(A=addr).lower()}\n{sign}",
                        [(k, v.lower()) for k, v in vals]))
        block = addr.replace(", ", "\n", 1) if r.random() < 0.5 else addr
        out.append(Case("block", f"{greet} {frame.split('{A}')[0].strip()}\n{block}\n{sign}", vals))
    return out


def _alnum(s: str) -> str:
    return re.sub(r"[\W_]", "", s).casefold()


def survives(kind: str, value: str, masked: str) -> bool:
    if kind == "pc":
        return _alnum(value) in _alnum(masked)
    return re.search(r"(?<!\w)" + re.escape(fold(value)) + r"(?!\w)", fold(masked)) is not None


def _written(scrubber: object, cs: list[Case], lang: str) -> dict[str, str]:
    """Each case's text as the stage writes it (surrogates in place)."""
    recs = []
    for i, c in enumerate(cs):
        rec = ChatRecord(f"p{i}", f"p{i}", [ChatMessage(Role.USER, c.text)], Lead())
        rec.language = lang
        recs.append(rec)
    outs = scrubber.scrub_batch(recs, RunCounters())  # type: ignore[attr-defined]
    return {c.text: (o.messages[0].content if isinstance(o, ChatRecord) else "#")
            for c, o in zip(cs, outs)}


def main() -> None:
    verbose = "-v" in sys.argv
    only = sys.argv[sys.argv.index("--lang") + 1] if "--lang" in sys.argv else None
    seed = int(sys.argv[sys.argv.index("--seed") + 1]) if "--seed" in sys.argv else 62001
    n = int(sys.argv[sys.argv.index("--n") + 1]) if "--n" in sys.argv else 40
    full = "--full" in sys.argv
    scrubber = make_scrubber()
    ok: Counter[tuple[str, str]] = Counter()
    total: Counter[tuple[str, str]] = Counter()
    misses: list[str] = []
    langs = [x for x in LOCALES if not only or x == only]
    shapes = ["as_written", "lower", "lower_line", "block"]
    for lang in langs:
        cs = cases(lang, seed + 100 * langs.index(lang), n)
        found = scrubber.texts.analyze_many([c.text for c in cs], lang=lang)
        written = _written(scrubber, cs, lang) if full else {}
        for c in cs:
            spans = found[c.text]
            masked = written.get(c.text) or "".join(
                "#" if any(s.start <= i < s.end for s in spans) else ch for i, ch in enumerate(c.text))
            left = [(k, v) for k, v in c.values if survives(k, v, masked)]
            total[(lang, c.shape)] += 1
            ok[(lang, c.shape)] += not left
            if left:
                misses.append(f"{lang} {c.shape} left {sorted({k for k, _ in left})}: {c.text!r}  [masked: {masked!r}]")
        benign = BENIGN[lang]
        bfound = scrubber.texts.analyze_many(benign, lang=lang)
        for b in benign:
            hits = [b[s.start:s.end] for s in bfound[b]]
            total[(lang, "benign")] += 1
            ok[(lang, "benign")] += not hits
            if hits:
                misses.append(f"{lang} BENIGN HIT {hits}: {b!r}")
    cols = shapes + ["benign"]
    print(f"{'lang':<5}" + "".join(f"{p:>12}" for p in cols))
    for lang in langs:
        print(f"{lang:<5}" + "".join(f"{100 * ok[(lang, p)] / max(1, total[(lang, p)]):11.1f}%" for p in cols))
    if verbose:
        print("\n".join(misses))


if __name__ == "__main__":
    main()
