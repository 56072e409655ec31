"""Multilingual chat corpus with planted PII, written as a Convocore export, for ``make eval-pii``.

Conversations in en, de, fr, es, nl, it written the way EU customers of a support/sales bot write
(lower case sometimes, typos), from one of four template sets (``pii_tuning_templates``,
``pii_tuning2_templates``, and the held-out ``pii_heldout_templates`` and
``pii_heldout2_templates``). Every planted value is recorded with its type, so the evaluation
can look for it in the built dataset. Half of the people have INVENTED names (see
``pii_names``; set ``tuning2``: ``pii_syllable_names``; set ``heldout2``:
``pii_heldout2_names``), half real ones; half of the conversations carry lead fields (name, email whose
local part holds the name tokens, phone, address, company, notes with a customer number and the
first name, tags), and in those the speaker's values are the lead's (``known``).

``ChatCorpus`` (the older English-only generator) is kept for ``bench_pii.py``.
"""

from __future__ import annotations

import importlib
import random
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

from tests.benchmarks import pii_values as V
from tests.benchmarks.pii_en_corpus import ChatCorpus, Planted, Sample  # noqa: F401  (bench_pii)
from tests.benchmarks.pii_heldout2_names import ImmigrantNameMaker
from tests.benchmarks.pii_names import NameMaker, fold
from tests.benchmarks.pii_syllable_names import SyllableNameMaker

LANGS = ("en", "de", "fr", "es", "nl", "it")
TEMPLATE_SETS = {"tuning": "tests.benchmarks.pii_tuning_templates",
                 "tuning2": "tests.benchmarks.pii_tuning2_templates",
                 "heldout": "tests.benchmarks.pii_heldout_templates",
                 "heldout2": "tests.benchmarks.pii_heldout2_templates"}
# Seeds: the PII helpers tune on TUNING_SEEDS with the tuning templates and on TUNING2_SEEDS with
# the second tuning set (written apart, with a second family of invented names: a check that a
# fix generalises); HELDOUT_SEEDS (with the held-out templates) and HELDOUT2_SEEDS (with the second
# held-out set, written by someone who had not seen the detector's rules, with a third family of
# invented names) are run only by the evaluation, never tuned on.
TUNING_SEEDS = (1101, 1102)
TUNING2_SEEDS = (2201, 2202)
HELDOUT_SEEDS = (7301, 7302)
HELDOUT2_SEEDS = (7401, 7402)
SET_SEEDS = {"tuning": TUNING_SEEDS, "tuning2": TUNING2_SEEDS, "heldout": HELDOUT_SEEDS,
             "heldout2": HELDOUT2_SEEDS}
HELD_OUT = frozenset({"heldout", "heldout2"})  # never tuned on: no examples, no other seeds
# How each set invents names: the Markov chain over Faker's lists of the set's locale (default),
# composed syllables, or order-2 chains over other EU locales' names.
NAME_MAKERS: dict[str, type[NameMaker]] = {"tuning2": SyllableNameMaker, "heldout2": ImmigrantNameMaker}
PARTICLES = {"nl": ["van", "van der", "de", "van den", "ter"], "de": ["von"], "it": ["di", "De"],
             "fr": ["de", "Le"], "es": ["de", "del"], "en": ["O'"]}
PARTICLE_WORDS = {"van", "der", "den", "de", "ter", "von", "di", "le", "del", "o"}
PLANT_WEIGHTS = {"self_full": 3, "self_first": 3, "third": 2, "noncue": 2, "email": 2, "email_obf": 1,
                 "phone": 3, "colleague_contact": 1, "address": 3, "iban": 2, "card": 2, "custno": 2, "ticket": 1,
                 "order": 1, "natid": 1, "company": 1}
SLOT_TYPE = {"full": "PERSON", "first": "PERSON", "last": "PERSON", "cfull": "PERSON", "cfirst": "PERSON",
             "clast": "PERSON", "email": "EMAIL_ADDRESS", "email_obf": "EMAIL_ADDRESS",
             "cemail": "EMAIL_ADDRESS", "phone": "PHONE_NUMBER", "cphone": "PHONE_NUMBER",
             "address": "STREET_ADDRESS", "iban": "IBAN_CODE", "card": "CREDIT_CARD",
             "custno": "CUSTOMER_ID", "order": "ORDER_ID", "ticket": "TICKET_ID", "natid": "NATIONAL_ID", "company": "COMPANY"}
OTHER_SLOTS = {"cfull", "cfirst", "clast", "cemail", "cphone"}
_SLOT = re.compile(r"\{(\w+)\}")


def load_templates(name: str) -> dict[str, dict[str, Any]]:
    mod = importlib.import_module(TEMPLATE_SETS[name])
    return mod.TEMPLATES  # type: ignore[no-any-return]


def template_words(templates: dict[str, dict[str, Any]]) -> frozenset[str]:
    """Every word of every template (folded), so no real or invented name equals one."""
    out: set[str] = set()

    def walk(x: Any) -> None:
        if isinstance(x, str):
            out.update(fold(w) for w in re.findall(r"[^\W\d_]+", _SLOT.sub(" ", x)))
        elif isinstance(x, dict):
            for v in x.values():
                walk(v)
        elif isinstance(x, list):
            for v in x:
                walk(v)
    walk(templates)
    return frozenset(out)


@dataclass
class Value:
    """One planted value: ``checks`` are the folded strings whose survival is a leak."""
    type: str
    text: str
    checks: list[tuple[str, str]]  # (mode, needle): mode word | digits | alnum | sub
    known: bool = False            # the lead's own value
    invented: bool = False
    kind: str = ""                 # the template kind it was planted by (self_first, signoff, ...)
    lower: bool = False            # written in lower case


@dataclass
class Person:
    first: str
    last: str
    invented: bool
    email: str
    local: str
    phone: str
    address: V.Address
    iban: str
    card: str
    custno: str
    ticket: str      # the lead's tags carry it
    order: str
    natid: tuple[str, str]
    company: str

    @property
    def full(self) -> str:
        return f"{self.first} {self.last}"


@dataclass
class Conversation:
    cid: str
    lang: str
    lead: dict[str, Any] | None
    messages: list[tuple[str, str]] = field(default_factory=list)  # (role, text)
    planted: list[tuple[int, Value]] = field(default_factory=list)  # (message index, value)
    benign: list[int] = field(default_factory=list)
    lead_values: list[Value] = field(default_factory=list)


def _name_checks(name: str) -> list[tuple[str, str]]:
    return [("word", fold(w)) for w in re.split(r"[\s'-]+", name) if len(w) > 1 and fold(w) not in PARTICLE_WORDS]


def _digit_checks(text: str, window: int) -> list[tuple[str, str]]:
    ds = "".join(c for c in text if c.isdigit())
    if len(ds) <= window:
        return [("digits", ds)]
    return [("digits", ds[i:i + window]) for i in range(len(ds) - window + 1)]


class MultiCorpus:
    """Seeded generator of conversations from one template set."""

    def __init__(self, seed: int, template_set: str = "tuning", n_per_lang: int = 40):
        self.seed = seed
        self.set = template_set
        self.t = load_templates(template_set)
        self.r = random.Random(f"{template_set}:{seed}")
        self.names = NAME_MAKERS.get(template_set, NameMaker)(self.r, template_words(self.t))
        self.n_per_lang = n_per_lang

    # ------------------------------------------------------------ people
    def person(self, lang: str, invented: bool) -> Person:
        r = self.r
        pick = self.names.invent if invented else self.names.real
        first, last = pick(lang, "first"), pick(lang, "last")
        if r.random() < (0.3 if lang == "nl" else 0.08):
            p = r.choice(PARTICLES[lang])
            last = f"{p}{last}" if p.endswith("'") else f"{p} {last}"
        mail, local = V.email(r, lang, first, last.split()[-1])
        return Person(first, last, invented, mail, local, V.phone(r, lang), V.address(r, lang),
                      V.iban(r, lang), V.card(r), V.customer_number(r, lang), V.ticket(r), V.order_number(r),
                      V.national_id(r, lang), V.company(r, lang, last.split()[-1]))

    # ------------------------------------------------------------ filling
    def _value(self, slot: str, me: Person, other: Person, known: bool) -> tuple[str, Value]:
        r = self.r
        p = other if slot in OTHER_SLOTS else me
        typ = SLOT_TYPE[slot]
        key = slot[1:] if p is other else slot
        inv = p.invented
        if key in ("full", "first", "last"):
            text = {"full": p.full, "first": p.first, "last": p.last}[key]
            return text, Value(typ, text, _name_checks(text), known and p is me, inv)
        if key in ("email", "email_obf"):
            text = V.obfuscate_email(r, p.email) if key == "email_obf" else p.email
            return text, Value(typ, text, [("sub", fold(p.local))], known and p is me)
        if key == "phone":
            return p.phone, Value(typ, p.phone, _digit_checks(p.phone, 7), known and p is me)
        if key == "address":
            a = p.address
            return a.text, Value(typ, a.text, [("word", fold(a.street))], known)
        if key == "iban":
            return p.iban, Value(typ, p.iban, _digit_checks(p.iban, 8))
        if key == "card":
            return p.card, Value(typ, p.card, _digit_checks(p.card, 8))
        if key == "ticket":
            return p.ticket, Value(typ, p.ticket, [("alnum", _alnum(p.ticket))], known)
        if key == "custno":
            return p.custno, Value(typ, p.custno, [("alnum", _alnum(p.custno))], known)
        if key == "order":
            return p.order, Value(typ, p.order, [("alnum", _alnum(p.order))])
        if key == "natid":
            return p.natid[1], Value(p.natid[0] or typ, p.natid[1], [("alnum", _alnum(p.natid[1]))])
        if key == "company":
            return p.company, Value(typ, p.company, [("word", fold(p.last.split()[-1]))], known)
        raise KeyError(slot)

    def fill(self, template: str, lang: str, me: Person, other: Person, known: bool,
             msg: int, conv: Conversation, typos: bool = True, kind: str = "") -> str:
        out: list[str] = []
        pos = 0
        lower = self.r.random() < 0.2
        for m in _SLOT.finditer(template):
            lit = template[pos:m.start()]
            out.append(self._typo(lit) if typos else lit)
            slot = m.group(1)
            if slot == "city":
                out.append(self.r.choice(V.BIG_CITIES[lang]))
            else:
                text, value = self._value(slot, me, other, known)
                if lower:
                    text = text.lower()
                out.append(text)
                value.kind, value.lower = kind, lower
                conv.planted.append((msg, value))
                if value.type == "STREET_ADDRESS":
                    a = (other if slot in OTHER_SLOTS else me).address
                    conv.planted.append((msg, Value("POSTCODE_CITY", f"{a.postcode} {a.city}",
                                                    [("alnum", _alnum(a.postcode)), ("word", fold(a.city))],
                                                    value.known, kind=kind, lower=lower)))
            pos = m.end()
        out.append(self._typo(template[pos:]) if typos else template[pos:])
        text = "".join(out)
        return text.lower() if lower else text

    def _typo(self, lit: str) -> str:
        r = self.r
        if r.random() > 0.12:
            return lit
        words = [(m.start(), m.end()) for m in re.finditer(r"[^\W\d_]{5,}", lit)]
        if not words:
            return lit
        a, b = r.choice(words)
        i = r.randint(a, b - 2)
        return lit[:i] + lit[i + 1] + lit[i] + lit[i + 2:]

    def _benign(self, lang: str, key: str, avoid: set[str]) -> str:
        for _ in range(20):
            text = self.r.choice(self.t[lang][key])
            city = self.r.choice(V.BIG_CITIES[lang])
            if "{city}" in text and city in avoid:
                continue
            return text.replace("{city}", city)
        return self.t[lang][key][0].replace("{city}", "")

    # ------------------------------------------------------------ conversations
    def conversation(self, i: int, lang: str) -> Conversation:
        r = self.r
        t = self.t[lang]
        me = self.person(lang, invented=r.random() < 0.5)
        other = self.person(lang, invented=r.random() < 0.5)
        has_lead = r.random() < 0.5
        cid = f"pii-{self.set}-{self.seed}-{i:05d}"
        conv = Conversation(cid, lang, None)
        avoid = {me.address.city, other.address.city}
        kinds = list(PLANT_WEIGHTS)
        weights = [PLANT_WEIGHTS[k] for k in kinds]
        n_user = r.randint(3, 6)
        used: set[str] = set()
        for k in range(n_user):
            if r.random() < 0.6:
                kind = r.choices(kinds, weights)[0]
                tpl = r.choice(t["plant"][kind])  # type: ignore[index]
                if tpl in used:
                    kind = r.choices(kinds, weights)[0]
                    tpl = r.choice(t["plant"][kind])  # type: ignore[index]
                used.add(tpl)
                msg = len(conv.messages)
                text = self.fill(tpl, lang, me, other, has_lead, msg, conv, kind=kind)
                if r.random() < 0.2:
                    text += self.fill(r.choice(t["signoff"]), lang, me, other, has_lead, msg, conv,  # type: ignore[arg-type]
                                      kind="signoff")
                conv.messages.append(("user", text))
            else:
                conv.benign.append(len(conv.messages))
                conv.messages.append(("user", self._benign(lang, "benign_user", avoid)))
            msg = len(conv.messages)
            if r.random() < 0.15:
                conv.messages.append(("bot", self.fill(r.choice(t["bot_echo"]), lang, me, other,  # type: ignore[arg-type]
                                                       has_lead, msg, conv, typos=False, kind="bot_echo")))
            else:
                conv.benign.append(msg)
                conv.messages.append(("bot", self._benign(lang, "benign_bot", avoid)))
        if has_lead:
            conv.lead = self._lead(lang, me)
            conv.lead_values = self._lead_values(conv.lead, me)
        return conv

    def _lead(self, lang: str, me: Person) -> dict[str, Any]:
        r = self.r
        note = r.choice(self.t[lang]["notes"]).format(first=me.first, custno=me.custno)  # type: ignore[union-attr]
        lead: dict[str, Any] = {
            "userName": me.full if r.random() < 0.8 else me.first,
            "userEmail": me.email, "userPhone": me.phone, "userAddress": me.address.text,
            "userCompany": me.company, "notes": note,
            "tags": [r.choice(["lead", "vip", "newsletter"]), f"crm-{V.digits(r, 5, True)}",
                     _alnum(me.ticket).replace("ticket", "ticket-")],
        }
        for k in ("userPhone", "userAddress", "userCompany"):
            if r.random() < 0.15:
                del lead[k]
        return lead

    def _lead_values(self, lead: dict[str, Any], me: Person) -> list[Value]:
        vals = [Value("PERSON", lead["userName"], _name_checks(lead["userName"]), True, me.invented),
                Value("PERSON", me.local, _name_checks(" ".join(re.findall(r"[a-z]{3,}", me.local))), True),
                Value("EMAIL_ADDRESS", me.email, [("sub", fold(me.local))], True),
                Value("CUSTOMER_ID", me.custno, [("alnum", _alnum(me.custno))], True)]
        for tag in lead["tags"][1:]:
            vals.append(Value("TICKET_ID" if "ticket" in tag else "CUSTOMER_ID", tag, [("alnum", _alnum(tag))], True))
        if "userPhone" in lead:
            vals.append(Value("PHONE_NUMBER", me.phone, _digit_checks(me.phone, 7), True))
        if "userAddress" in lead:
            a = me.address
            vals.append(Value("STREET_ADDRESS", a.text, [("word", fold(a.street)), ("alnum", _alnum(a.postcode))], True))
        return vals

    def conversations(self) -> list[Conversation]:
        return [self.conversation(i, LANGS[i % len(LANGS)]) for i in range(self.n_per_lang * len(LANGS))]


def _alnum(s: str) -> str:
    return "".join(c for c in fold(s) if c.isalnum())


# ---------------------------------------------------------------- Convocore export
def _moment(dt: datetime) -> str:
    day = dt.day
    suffix = "th" if 11 <= day % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    hour = dt.hour % 12 or 12
    return (f"{dt.strftime('%B')} {day}{suffix} {dt.year}, {hour}:{dt.minute:02d}:{dt.second:02d} "
            f"{'am' if dt.hour < 12 else 'pm'}")


def to_export(convs: list[Conversation], seed: int) -> dict[str, Any]:
    """The conversations as the v3 export endpoint returns them (convocore-api.md)."""
    r = random.Random(seed)
    start = datetime(2026, 3, 2, 8, 0, tzinfo=timezone.utc)
    data = []
    for k, c in enumerate(convs):
        t = start + timedelta(minutes=37 * k)
        turns: list[dict[str, Any]] = [{"from": "user", "messages": [{"type": "launch", "ts": _moment(t), "payload": {}}]}]
        for role, text in c.messages:
            t += timedelta(seconds=r.randint(5, 90))
            turns.append({"from": role, "messages": [{"type": "text", "ts": _moment(t),
                                                      "payload": {"message": text, "feedback": "Unset"}}]})
        turns.append({"from": "bot", "messages": [{"type": "end", "ts": _moment(t), "payload": None}]})
        convo: dict[str, Any] = {"id": c.cid, "origin": r.choice(["web-chat", "whatsapp", "web"]),
                                 "ts": int(t.timestamp())}
        if c.lead:
            convo.update(c.lead)
        data.append({"metadata": {"feedback": "Unset", "convo": convo, "sessions": []}, "turns": turns})
    return {"success": True, "message": "Conversations exported successfully", "data": data}
