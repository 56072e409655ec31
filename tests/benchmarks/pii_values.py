"""Personal values for the multilingual PII corpus, in each country's own shapes.

Phones in national, international and odd shapes; street addresses in local order with postcode
and city in the country's shape; IBANs that pass mod-97 (various separators); Luhn-valid card
numbers (Visa, Mastercard 5- and 2-series, Amex; various separators); customer/order numbers;
national ids with valid check characters (ES DNI/NIE, IT codice fiscale, NL BSN, FR NIR, DE
Steuer-ID, UK NINO); email addresses built from the person's name (plain and obfuscated);
company names. Every generator takes the corpus's seeded ``random.Random``.
"""

from __future__ import annotations

import random
import string
from dataclasses import dataclass

from tests.benchmarks.pii_names import fold

D = string.digits


def digits(r: random.Random, n: int, first_nonzero: bool = False) -> str:
    s = "".join(r.choice(D) for _ in range(n))
    return (r.choice("123456789") + s[1:]) if first_nonzero and n else s


# ---------------------------------------------------------------- phones
def phone(r: random.Random, lang: str) -> str:
    d = lambda n: digits(r, n)
    shapes = {
        "en": [lambda: f"07{d(3)} {d(6)}", lambda: f"+44 7{d(3)} {d(6)}", lambda: f"+447{d(9)}",
               lambda: f"020 7946 {d(4)}", lambda: f"(0161) 496 {d(4)}", lambda: f"+441632 {d(6)}",
               lambda: f"{r.randint(201, 989)}-{r.randint(200, 999)}-{d(4)}",
               lambda: f"001-{r.randint(201, 989)}-{r.randint(200, 999)}-{d(4)}",
               lambda: f"+353 8{r.randint(3, 9)} {d(3)} {d(4)}", lambda: f"03 {d(3)}-{d(4)}"],
        "de": [lambda: f"0171 {d(7)}", lambda: f"+49 151 {d(8)}", lambda: f"030/{d(8)}",
               lambda: f"+49 (0)30 {d(7)}", lambda: f"0049 89 {d(7)}", lambda: f"0152-{d(8)}",
               lambda: f"0176 {d(3)} {d(2)} {d(3)}", lambda: f"+4917{r.randint(0, 9)}{d(7)}",
               lambda: f"0221 / {d(3)} {d(2)} {d(2)}", lambda: f"+43 664 {d(7)}"],
        "fr": [lambda: f"06 {d(2)} {d(2)} {d(2)} {d(2)}", lambda: f"07.{d(2)}.{d(2)}.{d(2)}.{d(2)}",
               lambda: f"+33 6 {d(2)} {d(2)} {d(2)} {d(2)}", lambda: f"06{d(8)}",
               lambda: f"+33 (0)1 {d(2)} {d(2)} {d(2)} {d(2)}", lambda: f"06-{d(2)}-{d(2)}-{d(2)}-{d(2)}",
               lambda: f"0033 7 {d(2)} {d(2)} {d(2)} {d(2)}", lambda: f"+336{d(8)}",
               lambda: f"04 {d(2)} {d(2)} {d(2)} {d(2)}", lambda: f"+32 470 {d(2)} {d(2)} {d(2)}"],
        "es": [lambda: f"6{d(2)} {d(2)} {d(2)} {d(2)}", lambda: f"6{d(8)}", lambda: f"+34 6{d(2)} {d(3)} {d(3)}",
               lambda: f"91 {d(3)} {d(2)} {d(2)}", lambda: f"0034 6{d(2)} {d(2)} {d(2)} {d(2)}",
               lambda: f"+34 93 {d(3)} {d(2)} {d(2)}", lambda: f"7{d(2)}-{d(3)}-{d(3)}",
               lambda: f"(+34) 6{d(2)}.{d(3)}.{d(3)}", lambda: f"6{d(2)} {d(3)} {d(3)}",
               lambda: f"+346{d(8)}"],
        "nl": [lambda: f"06-{d(8)}", lambda: f"06 {d(4)} {d(4)}", lambda: f"+31 6 {d(8)}",
               lambda: f"020-{d(7)}", lambda: f"0031 6 {d(4)} {d(4)}", lambda: f"(020) {d(3)} {d(4)}",
               lambda: f"+316{d(8)}", lambda: f"010 {d(3)} {d(2)} {d(2)}", lambda: f"06{d(8)}",
               lambda: f"+32 4{d(2)} {d(2)} {d(2)} {d(2)}"],
        "it": [lambda: f"3{r.randint(20, 49)} {d(3)} {d(4)}", lambda: f"+39 3{r.randint(20, 49)} {d(7)}",
               lambda: f"06 {d(4)} {d(4)}", lambda: f"3{r.randint(20, 49)}{d(7)}",
               lambda: f"0039 3{r.randint(20, 49)} {d(3)} {d(2)} {d(2)}", lambda: f"02-{d(8)}",
               lambda: f"+39 02 {d(4)} {d(4)}", lambda: f"3{r.randint(20, 49)}.{d(3)}.{d(4)}",
               lambda: f"+393{r.randint(20, 49)}{d(7)}", lambda: f"011 {d(3)} {d(4)}"],
    }
    return r.choice(shapes[lang])()


# ---------------------------------------------------------------- addresses
STREET_STEMS = {
    "en": ["Georgia", "Hawthorn", "Kingfisher", "Aldermoor", "Brackley", "Wexcombe", "Larkspur",
           "Pennington", "Thistledown", "Ravensworth", "Coldharbour", "Ashgrove"],
    "de": ["Linden", "Birken", "Ahorn", "Kastanien", "Holunder", "Eichendorff", "Wacholder",
           "Brunnen", "Mühlen", "Hansa", "Rosenheimer", "Quellen"],
    "fr": ["des Tilleuls", "de la Fontaine", "des Acacias", "du Moulin", "des Glycines",
           "Pasteur", "des Peupliers", "du Lavoir", "de Verdun", "des Marronniers", "Bellevue"],
    "es": ["de los Almendros", "del Olivar", "de la Fuensanta", "Zurbarán", "de Alfonso XII",
           "del Pilar", "de los Naranjos", "Arrabal", "de la Alameda", "Camino Hondo"],
    "nl": ["Kastanje", "Thom", "Meidoorn", "Wilgen", "Vlinder", "Zonnebloem", "Beuken",
           "Klaver", "Dorps", "Molen", "Esdoorn", "Hazelaar"],
    "it": ["dei Glicini", "Garibaldi", "delle Ortensie", "San Rocco", "dei Mille", "Mazzini",
           "del Carmine", "delle Viole", "Cavour", "dei Tigli", "Fontanella"],
}
# Small towns (never used in the benign business sentences) and a few big cities.
TOWNS = {
    "en": ["Lake Paige", "Tewkesbury", "Bridlington", "Haslemere", "Kettering", "Ballymena",
           "Ludlow", "Skegness", "Market Harborough", "Wokingham"],
    "de": ["Gelnhausen", "Bad Kissingen", "Tuttlingen", "Wolfenbüttel", "Neustadt an der Orla",
           "Biberach", "Zwiesel", "Meppen", "Schwäbisch Hall", "Oberursel"],
    "fr": ["Montbrison", "Pontarlier", "Saint-Flour", "Lons-le-Saunier", "Vierzon", "Dax",
           "Guingamp", "Issoudun", "Sarlat-la-Canéda", "Figeac"],
    "es": ["Villarrobledo", "Tomelloso", "Medina del Campo", "Alcañiz", "Tafalla", "Lucena",
           "Écija", "Benavente", "Olot", "Plasencia"],
    "nl": ["Udenhout", "Hoogeveen", "Zierikzee", "Meppel", "Oisterwijk", "Harderwijk",
           "Culemborg", "Winterswijk", "Heerenveen", "Veghel"],
    "it": ["Fabriano", "Sulmona", "Bassano del Grappa", "Chiavari", "Lanciano", "Orvieto",
           "Sansepolcro", "Vigevano", "Montepulciano", "Ceglie Messapica"],
}
# Big cities: in benign business sentences ("Avez-vous une agence à Lyon ?") and, for a quarter
# of the addresses, as the address's city (never both in one conversation).
BIG_CITIES = {"en": ["London", "Manchester", "Leeds", "Bristol", "Dublin", "Glasgow"],
              "de": ["Berlin", "Köln", "München", "Hamburg", "Frankfurt", "Wien"],
              "fr": ["Paris", "Lyon", "Lille", "Marseille", "Toulouse", "Bruxelles"],
              "es": ["Madrid", "Sevilla", "Barcelona", "Valencia", "Bilbao", "Zaragoza"],
              "nl": ["Amsterdam", "Utrecht", "Rotterdam", "Eindhoven", "Den Haag", "Antwerpen"],
              "it": ["Roma", "Torino", "Milano", "Napoli", "Firenze", "Bologna"]}


@dataclass(frozen=True)
class Address:
    text: str        # as written
    street: str      # the street's distinctive word(s), checked as words
    number: str
    postcode: str
    city: str

    @property
    def street_line(self) -> str:
        return self.text.split(",")[0]


def address(r: random.Random, lang: str) -> Address:
    n = str(r.randint(1, 240))
    stem = r.choice(STREET_STEMS[lang])
    city = r.choice(TOWNS[lang]) if r.random() < 0.75 else r.choice(BIG_CITIES[lang])
    if lang == "de":
        suffix = r.choice(["straße", "str.", "weg", "allee", "ring", "-Allee"])
        street = f"{stem}{suffix}"
        pc = digits(r, 5, True)
        num = n + r.choice(["", "", "a", "b"])
        text = f"{street} {num}, {pc} {city}"
        key = street.replace("str.", "str")
    elif lang == "fr":
        kind = r.choice(["rue", "avenue", "boulevard", "allée", "impasse", "chemin"])
        num = n + r.choice(["", "", " bis", " ter"])
        street = f"{kind} {stem}"
        pc = digits(r, 5, True)
        text = f"{num} {street}, {pc} {city.upper() if r.random() < 0.3 else city}"
        key = stem
    elif lang == "es":
        kind = r.choice(["Calle", "C/", "Avenida", "Avda.", "Paseo", "Plaza"])
        street = f"{kind} {stem}"
        pc = r.choice(["28", "08", "41", "46", "13", "50"]) + digits(r, 3)
        floor = r.choice(["", ", 3º B", ", 2º izq.", ", bajo"])
        text = f"{street}, {n}{floor}, {pc} {city}" if r.random() < 0.6 else f"{street} {n}{floor}, {pc} {city}"
        num = n
        key = stem
    elif lang == "nl":
        suffix = r.choice(["straat", "weg", "laan", "plein", "hof", "singel"])
        street = f"{stem}{suffix}"
        pc = f"{r.randint(1000, 9999)}{' ' if r.random() < 0.6 else ''}{r.choice('ABCDEFGHJKLMNPRSTVWXZ')}{r.choice('ABCDEFGHJKLMNPRSTVWXZ')}"
        num = n + r.choice(["", "", "-2", "A", " bis"])
        text = f"{street} {num}, {pc} {city}"
        key = street
    elif lang == "it":
        kind = r.choice(["Via", "Viale", "Piazza", "Corso", "Vicolo", "Largo"])
        street = f"{kind} {stem}"
        pc = digits(r, 5)
        prov = r.choice(["", " (AN)", " (RM)", " (TO)"])
        text = f"{street} {n}, {pc} {city}{prov}" if r.random() < 0.6 else f"{street}, {n} - {pc} {city}{prov}"
        num = n
        key = stem
    else:
        if r.random() < 0.7:  # UK
            kind = r.choice(["Road", "Street", "Lane", "Close", "Stravenue", "Crescent", "Gardens"])
            a = r.choice("ABCDEFGHJKLMNPRSTUWYZ") + r.choice("ABCDEFGHJKLMNPRSTUWY")
            pc = f"{a}{r.randint(1, 19)} {r.randint(1, 9)}{r.choice('ABDEFGHJLNPQRSTUWXYZ')}{r.choice('ABDEFGHJLNPQRSTUWXYZ')}"
            pre = r.choice(["", "", f"Flat {r.randint(1, 30)}, ", f"Studio {r.randint(1, 60)}{r.choice('abcdef')}, "])
            street = f"{stem} {kind}"
            text = f"{pre}{n} {street}, {city}, {pc}"
        else:  # US
            kind = r.choice(["Street", "Avenue", "Ave", "Blvd", "Drive"])
            street = f"{stem} {kind}"
            pc = f"{r.choice(['NY', 'CA', 'TX', 'OH', 'WA'])} {digits(r, 5, True)}"
            text = f"{n} {street}, {city}, {pc}"
        num = n
        key = stem
    return Address(text, key, num, pc, city)


# ---------------------------------------------------------------- IBAN
def _iban_check(country: str, bban: str) -> str:
    num = int("".join(str(int(c, 36)) for c in bban + country + "00"))
    return f"{98 - num % 97:02d}"


def iban_valid(iban: str) -> bool:
    s = "".join(c for c in iban if c.isalnum()).upper()
    return len(s) > 4 and int("".join(str(int(c, 36)) for c in s[4:] + s[:4])) % 97 == 1


def iban(r: random.Random, lang: str) -> str:
    up = lambda n: "".join(r.choice(string.ascii_uppercase) for _ in range(n))
    country = {"en": r.choice(["GB", "IE"]), "de": r.choice(["DE", "DE", "AT"]), "fr": r.choice(["FR", "FR", "BE"]),
               "es": "ES", "nl": r.choice(["NL", "NL", "BE"]), "it": "IT"}[lang]
    bban = {"GB": lambda: up(4) + digits(r, 14), "IE": lambda: up(4) + digits(r, 14),
            "DE": lambda: digits(r, 18), "AT": lambda: digits(r, 16), "FR": lambda: digits(r, 23),
            "BE": lambda: digits(r, 12), "ES": lambda: digits(r, 20), "NL": lambda: up(4) + digits(r, 10),
            "IT": lambda: up(1) + digits(r, 22)}[country]()
    compact = country + _iban_check(country, bban) + bban
    style = r.random()
    if style < 0.35:
        out = " ".join(compact[i:i + 4] for i in range(0, len(compact), 4))
    elif style < 0.55:
        out = compact
    elif style < 0.65:
        out = ".".join(compact[i:i + 4] for i in range(0, len(compact), 4))
    elif style < 0.75:
        out = "-".join(compact[i:i + 4] for i in range(0, len(compact), 4))
    elif style < 0.85:
        out = compact[:2] + " " + compact[2:4] + " " + " ".join(compact[i:i + 3] for i in range(4, len(compact), 3))
    else:
        out = " ".join(compact[i:i + 4] for i in range(0, len(compact), 4)).lower()
    assert iban_valid(out)
    return out


# ---------------------------------------------------------------- cards
def luhn_valid(number: str) -> bool:
    ds = [int(c) for c in number if c.isdigit()]
    total = 0
    for i, dd in enumerate(reversed(ds)):
        if i % 2:
            dd = dd * 2 - 9 if dd > 4 else dd * 2
        total += dd
    return total % 10 == 0


def _luhn_complete(prefix: str) -> str:
    for check in D:
        if luhn_valid(prefix + check):
            return prefix + check
    raise AssertionError


def card(r: random.Random) -> str:
    kind = r.random()
    groups: tuple[int, ...]
    if kind < 0.45:
        num, groups = _luhn_complete("4" + digits(r, 14)), (4, 4, 4, 4)
    elif kind < 0.65:
        num, groups = _luhn_complete(str(r.randint(51, 55)) + digits(r, 13)), (4, 4, 4, 4)
    elif kind < 0.8:
        num, groups = _luhn_complete(str(r.randint(2221, 2720)) + digits(r, 11)), (4, 4, 4, 4)
    else:
        num, groups = _luhn_complete(r.choice(["34", "37"]) + digits(r, 12)), (4, 6, 5)
    parts, i = [], 0
    for g in groups:
        parts.append(num[i:i + g])
        i += g
    sep = r.choice([" ", " ", "-", ".", "/", "", "  "])
    out = sep.join(parts)
    assert luhn_valid(out)
    return out


# ---------------------------------------------------------------- identifiers
def customer_number(r: random.Random, lang: str) -> str:
    pre = {"en": ["CUST", "AC", "ACC"], "de": ["KD", "KDNR", "KN"], "fr": ["CLI", "FR"],
           "es": ["CL", "CLI"], "nl": ["KL", "KLNR"], "it": ["CL", "CLI"]}[lang]
    shape = r.random()
    if shape < 0.5:
        return f"{r.choice(pre)}-{digits(r, 6, True)}"
    if shape < 0.7:
        return f"{r.choice(pre)}{digits(r, 7, True)}"
    if shape < 0.85:
        return digits(r, 8, True)
    return f"{r.choice(pre)}-{r.choice(string.ascii_uppercase)}{digits(r, 2)}{r.choice(string.ascii_uppercase)}{digits(r, 3)}"


def ticket(r: random.Random) -> str:
    """A support ticket reference as a user quotes it (the lead's tags carry ``ticket-NNNNN``)."""
    n = digits(r, 5, True)
    return r.choice([f"ticket-{n}", f"Ticket {n}", f"ticket #{n}", f"TICKET-{n}", f"ticket {n}"])


def order_number(r: random.Random) -> str:
    shape = r.random()
    if shape < 0.4:
        return f"ORD-{r.randint(2023, 2026)}-{digits(r, 5, True)}"
    if shape < 0.6:
        return f"#{digits(r, 6, True)}"
    if shape < 0.8:
        return f"A{digits(r, 2)}-{digits(r, 5)}"
    return f"{r.choice(['INV', 'RE', 'FA', 'FAC'])}{digits(r, 6, True)}"


_DNI = "TRWAGMYFPDXBNJZSQVHLCKE"
_CF_ODD = dict(zip(D + string.ascii_uppercase,
                   [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6,
                    8, 12, 14, 16, 10, 22, 25, 24, 23]))


def _codice_fiscale(r: random.Random) -> str:
    up = string.ascii_uppercase
    body = ("".join(r.choice("BCDFGLMNPRST") for _ in range(6)) + digits(r, 2) + r.choice("ABCDEHLMPRST")
            + f"{r.randint(1, 28) + (40 if r.random() < 0.5 else 0):02d}" + r.choice("ABCDEFGHILM")
            + digits(r, 3))
    total = 0
    for i, c in enumerate(body):
        total += _CF_ODD[c] if i % 2 == 0 else (int(c) if c.isdigit() else up.index(c))
    return body + up[total % 26]


def _bsn(r: random.Random) -> str:
    while True:
        ds = digits(r, 8, True)
        for last in D:
            s = ds + last
            if sum(int(c) * w for c, w in zip(s, [9, 8, 7, 6, 5, 4, 3, 2, -1])) % 11 == 0:
                return s


def _nir(r: random.Random) -> str:
    body = (r.choice("12") + digits(r, 2) + f"{r.randint(1, 12):02d}" + f"{r.randint(1, 95):02d}"
            + digits(r, 3) + digits(r, 3))
    key = 97 - int(body) % 97
    s = body + f"{key:02d}"
    return f"{s[0]} {s[1:3]} {s[3:5]} {s[5:7]} {s[7:10]} {s[10:13]} {s[13:]}" if r.random() < 0.6 else s


def _steuer_id(r: random.Random) -> str:
    ds = digits(r, 10, True)
    product = 10
    for c in ds:
        total = (int(c) + product) % 10 or 10
        product = (total * 2) % 11
    check = (11 - product) % 10
    s = ds + str(check)
    return f"{s[:2]} {s[2:5]} {s[5:8]} {s[8:]}" if r.random() < 0.4 else s


def national_id(r: random.Random, lang: str) -> tuple[str, str]:
    """(kind, value) of the country's id, or ('', '') where the corpus plants none."""
    if lang == "es":
        if r.random() < 0.6:
            n = r.randint(10000000, 99999999)
            return "ES_NIF", f"{n}{'-' if r.random() < 0.2 else ''}{_DNI[n % 23]}"
        lead, n = r.choice("XYZ"), r.randint(1000000, 9999999)
        return "ES_NIE", f"{lead}{n:07d}{_DNI[int(str('XYZ'.index(lead)) + f'{n:07d}') % 23]}"
    if lang == "it":
        cf = _codice_fiscale(r)
        return "IT_FISCAL_CODE", cf if r.random() < 0.8 else cf.lower()
    if lang == "nl":
        return "NL_BSN", _bsn(r)
    if lang == "fr":
        return "FR_NIR", _nir(r)
    if lang == "de":
        return "DE_TAX_ID", _steuer_id(r)
    a = r.choice("ABCEGHJKLMNOPRSTWXYZ") + r.choice("ABCEGHJKLMNPRSTWXYZ")
    nino = f"{a} {digits(r, 2)} {digits(r, 2)} {digits(r, 2)} {r.choice('ABCD')}"
    return "UK_NINO", nino if r.random() < 0.6 else nino.replace(" ", "")


# ---------------------------------------------------------------- email, company
DOMAINS = {"en": ["gmail.com", "yahoo.co.uk", "btinternet.com", "outlook.com", "hotmail.co.uk"],
           "de": ["web.de", "gmx.de", "t-online.de", "gmail.com", "posteo.de"],
           "fr": ["orange.fr", "free.fr", "laposte.net", "gmail.com", "sfr.fr"],
           "es": ["gmail.com", "hotmail.es", "telefonica.net", "yahoo.es", "outlook.es"],
           "nl": ["ziggo.nl", "kpnmail.nl", "gmail.com", "hotmail.nl", "xs4all.nl"],
           "it": ["libero.it", "virgilio.it", "gmail.com", "tiscali.it", "alice.it"]}


def _ascii(s: str) -> str:
    s = s.replace("ß", "ss").replace("ä", "ae").replace("ö", "oe").replace("ü", "ue")
    return "".join(c for c in fold(s) if c.isalnum())


def email(r: random.Random, lang: str, first: str, last: str) -> tuple[str, str]:
    """(address, local part): the local part carries the name tokens."""
    f, l = _ascii(first), _ascii(last)
    local = r.choice([f"{f}.{l}{r.randint(1, 99)}", f"{f}{l}", f"{f[0]}.{l}", f"{f}_{l}{r.randint(1970, 2005)}",
                      f"{l}.{f}", f"{f}.{l}"])
    return f"{local}@{r.choice(DOMAINS[lang])}", local


def obfuscate_email(r: random.Random, address_: str) -> str:
    local, domain = address_.split("@")
    host, _, tld = domain.rpartition(".")
    return r.choice([f"{local} [at] {host} [dot] {tld}", f"{local}(at){domain}", f"{local} at {host} dot {tld}",
                     f"{local}＠{domain}", f"{local} @ {domain}", f"{local} [at] {domain}"])


COMPANY_FORMS = {"en": ["{l} Ltd", "{l} & Sons", "{l} Plumbing", "{l} Consulting Ltd"],
                 "de": ["{l} GmbH", "Bäckerei {l}", "{l} & Söhne KG", "Autohaus {l}"],
                 "fr": ["SARL {l}", "{l} et Fils", "Boulangerie {l}", "{l} Conseil SAS"],
                 "es": ["{l} S.L.", "Talleres {l}", "{l} y Asociados", "Construcciones {l} S.A."],
                 "nl": ["{l} B.V.", "Bakkerij {l}", "{l} Installatietechniek", "{l} & Zn."],
                 "it": ["{l} S.r.l.", "Officina {l}", "{l} & Figli", "Studio {l}"]}


def company(r: random.Random, lang: str, last: str) -> str:
    return r.choice(COMPANY_FORMS[lang]).format(l=last)
