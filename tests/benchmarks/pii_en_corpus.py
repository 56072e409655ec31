"""English-only chat records with planted PII (the older generator, kept for bench_pii and the English check of eval_pii).

Several locales (names, phone formats, address formats), half of the planted values are the
lead's own (known) and half belong to someone the export does not know about, casing varies
(normal, lower, upper), cue phrases are sometimes present and sometimes not. Bot turns and many
user turns are benign business sentences that must come through unchanged.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from dsbuild.records import ChatMessage, ChatRecord, Lead, Role

LOCALES = {
    "en_US": (["James", "Olivia", "Ethan", "Madison", "Tyler", "Brianna", "Logan", "Kayla", "Mason",
               "Ashley", "Hunter", "Savannah"],
              ["Johnson", "Whitaker", "Morales", "Caldwell", "Fitzgerald", "Reyes", "Underwood",
               "Holloway", "Brennan", "McAllister"],
              ["+1 (415) 555-{a:04d}", "415-555-{a:04d}", "(212) 555-{a:04d}", "+1 646 555 {a:04d}"],
              ["{n} {street} Street", "{n} {street} Avenue, Apt {u}", "{n} {street} Road"],
              ["Maple", "Cedar", "Lakeview", "Sunset", "Franklin", "Jefferson"], ["Denver", "Austin", "Tampa"]),
    "en_GB": (["Oliver", "Amelia", "Harry", "Isla", "George", "Poppy", "Alfie", "Freya", "Callum",
               "Niamh"],
              ["Thornton", "Pemberton", "Ashworth", "Blackwood", "Cartwright", "Featherstone",
               "Hargreaves", "Oakley"],
              ["07911 {b:06d}", "+44 7700 {b:06d}", "020 7946 {a:04d}", "+44 (0)161 496 {a:04d}"],
              ["{n} {street} Lane", "Flat {u}, {n} {street} Road", "{n} {street} Close"],
              ["Kingsway", "Abbey", "Mill", "Church", "Station"], ["Leeds", "Bristol", "Norwich"]),
    "de_DE": (["Lukas", "Hannah", "Felix", "Lea", "Jonas", "Marie", "Leon", "Johanna", "Maximilian"],
              ["Schneider", "Hoffmann", "Krüger", "Wagner", "Becker", "Schäfer", "Zimmermann"],
              ["+49 30 {c:07d}", "0171 {c:07d}", "+49 (0)89 {c:07d}", "030-{c:07d}"],
              ["{street}straße {n}", "{street}weg {n}", "{street}allee {n}"],
              ["Linden", "Berg", "Kastanien", "Garten", "Schiller"], ["Hamburg", "Köln", "Leipzig"]),
    "fr_FR": (["Louis", "Chloé", "Hugo", "Camille", "Théo", "Manon", "Jules", "Léa", "Mathis"],
              ["Dubois", "Lefèvre", "Moreau", "Girard", "Rousseau", "Fontaine", "Chevalier"],
              ["06 {d2} {d2} {d2} {d2}", "+33 6 {d2} {d2} {d2} {d2}", "01.{d2}.{d2}.{d2}.{d2}"],
              ["{n} rue des {street}", "{n} avenue {street}", "{n} boulevard {street}"],
              ["Lilas", "Victor Hugo", "Pasteur", "Tilleuls"], ["Lyon", "Nantes", "Lille"]),
    "es_ES": (["Lucía", "Mateo", "Sofía", "Hugo", "Martina", "Pablo", "Valeria", "Álvaro"],
              ["García", "Fernández", "Ramírez", "Navarro", "Domínguez", "Castillo"],
              ["+34 612 {e:03d} {e:03d}", "612 {e:03d} {e:03d}", "91 {e:03d} {d2} {d2}"],
              ["Calle {street} {n}", "Avenida {street} {n}", "Calle {street} {n}, {u}º"],
              ["Mayor", "del Prado", "Alcalá", "de la Paz"], ["Valencia", "Sevilla", "Bilbao"]),
    "en_IN": (["Priya", "Arjun", "Ananya", "Rohan", "Aditi", "Vikram", "Kavya", "Siddharth"],
              ["Sharma", "Iyer", "Reddy", "Banerjee", "Chatterjee", "Menon", "Kulkarni"],
              ["+91 98{c:07d}1", "098{c:07d}1", "+91-22-{c:07d}1"],
              ["{n} {street} Road", "{n}, {street} Nagar", "Flat {u}, {street} Apartments"],
              ["MG", "Brigade", "Linking", "Anna Salai"], ["Pune", "Chennai", "Jaipur"]),
}
BENIGN_BOT = [
    "Our support team is available Monday to Friday, 9am to 6pm CET, and this chat is open 24/7.",
    "Yes, we ship to Canada and most of Europe. Delivery takes 5–7 business days.",
    "The Pro plan is $49 per month, or $490 per year if you pay annually.",
    "Next Tuesday we have slots at 10:00 and 14:30. Which suits you?",
    "Hi! I'm Nova, Acme Cloud's assistant. How can I help you today?",
    "We accept Visa, Mastercard, American Express and bank transfer (SEPA).",
    "Yes, every plan comes with a 14-day free trial, no card required.",
    "We do: the Slack integration is available on the Team and Pro plans.",
    "Go to Settings → Data → Export and choose CSV or JSON. The file is emailed to you.",
    "Our warehouse in Rotterdam ships orders placed before 2pm the same day.",
    "The Starter plan costs €19 a month and includes 3 seats.",
    "You can reach our team at support@acme.example or on +1 800 555 0100 during office hours.",
    "We have offices in London, Berlin and Toronto.",
    "The holiday schedule: closed on December 25th and January 1st, open on Boxing Day.",
    "Refunds are processed within 10 business days of the request.",
    "Sure! Nova here, happy to help with billing questions.",
    "Orders to Australia and New Zealand take 10–14 days.",
    "Thanks for waiting! Your ticket has been escalated to our Tier 2 team.",
    "The Enterprise plan adds SSO, audit logs and a 99.9% uptime SLA.",
    "Tomorrow morning between 8 and 11 works for the technician visit.",
]
BENIGN_USER = [
    "What are your opening hours?", "Do you ship to Canada?", "How much is the Pro plan?",
    "Can I cancel anytime?", "Is there a free trial?", "Do you integrate with Slack?",
    "Can I book a demo for next Tuesday?", "do you have an office in paris?",
    "I'm looking for the annual pricing", "this is urgent, my invoice is wrong",
    "I'm not sure which plan fits a team of 12", "will it work on Windows 11?",
    "may I pay by bank transfer?", "how long does shipping to Germany take?",
    "I'm happy with the service, thanks!", "ok great, that works for me",
    "THE APP CRASHES WHEN I EXPORT", "Can you deliver to Spain before Friday?",
    "My order from March 3rd hasn't arrived", "is the Enterprise plan available in India?",
]
NAME_TEMPLATES = [
    "hi, my name is {name}", "This is {name} from accounts", "I'm {first}, I wrote yesterday",
    "please forward this to {name}, our office manager", "{name} said the invoice was wrong",
    "call me {first}", "thanks! - {first}", "can you tell {first} {last} I called?",
    "My colleague {name} will join the call", "regards, {name}",
]
CONTACT_TEMPLATES = {
    "PHONE_NUMBER": ["you can call me on {phone}", "my number is {phone}", "text {phone} please",
                     "reach me at {phone} after 5", "{phone}"],
    "EMAIL_ADDRESS": ["my email is {email}", "send it to {email}", "{email}",
                      "please cc {email} on the invoice"],
    "STREET_ADDRESS": ["I live at {address}", "ship it to {address}", "my new address is {address}",
                       "deliver to {address}, {city} please"],
    "CREDIT_CARD": ["my card is {card}", "charge {card} please"],
    "IBAN_CODE": ["my IBAN is {iban}", "refund to {iban}"],
    "IP_ADDRESS": ["my IP is {ip}", "login fails from {ip}"],
}


def _luhn_complete(prefix: str) -> str:
    digits = [int(c) for c in prefix]
    for check in range(10):
        total = 0
        for i, d in enumerate(reversed(digits + [check])):
            if i % 2:
                d = d * 2 - 9 if d > 4 else d * 2
            total += d
        if total % 10 == 0:
            return prefix + str(check)
    raise AssertionError


def _iban(r: random.Random) -> str:
    bank = "".join(r.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ") for _ in range(4))
    acct = "".join(str(r.randint(0, 9)) for _ in range(14))
    bban = bank + acct
    num = int("".join(str(int(c, 36)) for c in bban + "GB00"))
    return f"GB{98 - num % 97:02d}{bban}"


@dataclass
class Planted:
    type: str
    value: str
    known: bool
    msg: int = 0  # index of the message it was planted in


@dataclass
class Sample:
    record: ChatRecord
    planted: list[Planted]
    benign: list[int]  # message indexes that must come through unchanged


class ChatCorpus:
    def __init__(self, seed: int):
        self.r = random.Random(seed)

    def person(self) -> dict[str, str]:
        r = self.r
        loc = r.choice(list(LOCALES))
        firsts, lasts, phones, addrs, streets, cities = LOCALES[loc]
        first, last = r.choice(firsts), r.choice(lasts)
        d2 = lambda: f"{r.randint(10, 99)}"
        phone = r.choice(phones).format(a=r.randint(100, 9999), b=r.randint(100000, 999999),
                                        c=r.randint(1000000, 9999999), e=r.randint(100, 999),
                                        d2=d2()).replace("{d2}", d2())
        while "{d2}" in phone:
            phone = phone.replace("{d2}", d2(), 1)
        plain = (first + "." + last).lower()
        for a, b in (("é", "e"), ("è", "e"), ("í", "i"), ("á", "a"), ("ü", "ue"), ("ä", "ae"),
                     ("ö", "oe"), ("ó", "o"), ("Á".lower(), "a")):
            plain = plain.replace(a, b)
        domain = r.choice(["gmail.com", "outlook.de", "yahoo.co.uk", "orange.fr", "proton.me"])
        return {
            "first": first, "last": last, "name": f"{first} {last}", "phone": phone,
            "email": f"{plain}{r.randint(1, 99)}@{domain}",
            "address": r.choice(addrs).format(n=r.randint(2, 240), street=r.choice(streets),
                                              u=r.randint(1, 40)),
            "city": r.choice(cities),
            "card": _luhn_complete("4" + "".join(str(r.randint(0, 9)) for _ in range(14))),
            "iban": _iban(r), "ip": f"{r.randint(11, 220)}.{r.randint(0, 255)}.{r.randint(0, 255)}.{r.randint(1, 254)}",
        }

    def _case(self, text: str) -> str:
        roll = self.r.random()
        return text.lower() if roll < 0.2 else text.upper() if roll < 0.27 else text

    def sample(self, i: int) -> Sample:
        r = self.r
        lead_person, other = self.person(), self.person()
        lead = Lead(name=lead_person["name"], email=lead_person["email"], phone=lead_person["phone"],
                    address=f"{lead_person['address']}, {lead_person['city']}")
        msgs: list[tuple[Role, str]] = []
        planted: list[Planted] = []
        benign: list[int] = []
        for k in range(r.randint(2, 5)):
            if r.random() < 0.55:
                who, known = (lead_person, True) if r.random() < 0.5 else (other, False)
                if r.random() < 0.4:
                    text = r.choice(NAME_TEMPLATES).format(**who)
                    p = Planted("PERSON", " ".join(t for t in (who["first"], who["last"]) if t in text),
                                known)
                else:
                    typ = r.choice(list(CONTACT_TEMPLATES))
                    text = r.choice(CONTACT_TEMPLATES[typ]).format(**who)
                    value = {"PHONE_NUMBER": who["phone"], "EMAIL_ADDRESS": who["email"],
                             "STREET_ADDRESS": who["address"], "CREDIT_CARD": who["card"],
                             "IBAN_CODE": who["iban"], "IP_ADDRESS": who["ip"]}[typ]
                    known = known and typ in ("PHONE_NUMBER", "EMAIL_ADDRESS", "STREET_ADDRESS")
                    p = Planted(typ, value, known)
                text = self._case(text)
                p.msg = len(msgs)
                planted.append(p)
            else:
                text = r.choice(BENIGN_USER)
                benign.append(len(msgs))
            msgs.append((Role.USER, text))
            benign.append(len(msgs))
            msgs.append((Role.ASSISTANT, r.choice(BENIGN_BOT)))
        record = ChatRecord(f"c{i}", f"s{i}", [ChatMessage(role, t) for role, t in msgs], lead)
        return Sample(record, planted, benign)
