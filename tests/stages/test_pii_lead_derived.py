"""No lead-derived name survives in its own conversation, whatever the lead's fields look like
and however the chat writes the name.

Leads are built from invented names (composed syllables, ``pii_syllable_names``: no list holds
them) in many field shapes: a full name, a first name only, a middle name, a hyphenated first
name or surname, an ``O'`` or ``van`` surname, the name in capitals; e-mail local parts
``first.last62``, ``firstlast``, ``f.last``, ``first_last1990``, ``last.first``, ``flast``; no name
at all but an e-mail and a CRM note (``Spoke with Kaitlyn``, ``Kaitlyn wants the Pro plan``).
Each lead-derived token is then written in a user message in many forms (case, possessive,
punctuation, a handle, a URL, digits glued to it, underscores, first and last joined, a line
break, diacritics added or decomposed) and the real stage runs on the conversation. A token
survives when it is still a run of letters of the output (folded as the evaluation folds).
"""

from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import dataclass

import pytest

from dsbuild.counters import RunCounters
from dsbuild.records import ChatMessage, ChatRecord, Lead, Role
from dsbuild.stages.pii import PiiScrubber
from dsbuild.stages.pii.leadfields import COMMON_TOKENS
from tests.benchmarks.pii_names import fold
from tests.benchmarks.pii_syllable_names import SyllableNameMaker

# A sentence of each language around the written name, and one before it (so the conversation's
# language is detected as that language).
CARRIER = {
    "en": ("Hello, I have a question about the invoice for last month, it looks wrong to me.",
           "ok so {x} will call you back tomorrow about it"),
    "de": ("Hallo, ich habe eine Frage zu der Rechnung vom letzten Monat, sie scheint falsch zu sein.",
           "also {x} ruft Sie morgen deswegen zurück"),
    "fr": ("Bonjour, j'ai une question sur la facture du mois dernier, elle me semble fausse.",
           "donc {x} vous rappelle demain à ce sujet"),
    "es": ("Hola, tengo una pregunta sobre la factura del mes pasado, me parece que está mal.",
           "entonces {x} te llama mañana por eso"),
    "nl": ("Hallo, ik heb een vraag over de factuur van vorige maand, die klopt volgens mij niet.",
           "dus {x} belt jullie morgen daarover terug"),
    "it": ("Buongiorno, ho una domanda sulla fattura del mese scorso, mi sembra sbagliata.",
           "quindi {x} vi richiama domani per questo"),
}
SEED = 1111
LEADS_PER_LANGUAGE = 6
_WORDS = frozenset(fold(w) for pair in CARRIER.values() for s in pair for w in re.findall(r"[^\W\d_]+", s))


@dataclass
class Case:
    lang: str
    lead: Lead
    tokens: list[str]  # what the lead gives away, as written in its fields
    first: str
    last: str


def _accented(tok: str) -> str:
    """The token with an accent on its first plain vowel ("Braylen" → "Bráylen")."""
    for i, c in enumerate(tok):
        if c in "aeiou":
            return tok[:i] + {"a": "á", "e": "é", "i": "í", "o": "ó", "u": "ú"}[c] + tok[i + 1:]
    return tok


def forms(tok: str) -> list[tuple[str, list[str]]]:
    """(how the chat writes one token, the folded letter runs that must not be left)."""
    low, cap = tok.lower(), tok[:1].upper() + tok[1:].lower()
    need = [fold(tok)] if "-" not in tok and "'" not in tok else [fold(p) for p in re.split(r"['-]", tok)
                                                                     if len(p) >= 3]
    out = [(x, need) for x in (
        low, cap, tok.upper(), f"{cap}'s", f"{low}’s", f"({cap})", f"“{cap}”", f"{cap}!", f"{low}?",
        f"@{low}", f"#{low}", f"{low}62", f"{cap}2024", f"{low}_", f"_{low}_", f"{low}\n", f"{cap},\n",
        f"https://instagram.com/{low}", f"www.facebook.com/{low}.{low}", f"<{low}>",
        _accented(cap), unicodedata.normalize("NFD", cap), unicodedata.normalize("NFD", _accented(cap)),
    )]
    return out


def joined(first: str, last: str) -> list[tuple[str, list[str]]]:
    """How the chat writes first and last name together (a handle, an address's local part)."""
    f, la = _ascii(first), _ascii(last)
    both = [fold(f), fold(la)]
    return [
            (f"{f}{la}", [fold(f + la)]), (f"{la}{f}", [fold(la + f)]),
            (f"{f.capitalize()}{la.capitalize()}", [fold(f + la)]),
            (f"{f}_{la}", both), (f"@{f}_{la}", both), (f"{f}.{la}", both), (f"{f}-{la}", both),
            (f"{f}_{la}1990", both), (f"{f}.{la}62", both), (f"@{la}_{f}", both),
        (f"instagram.com/{f}{la}", [fold(f + la)]),
    ]


def _ascii(s: str) -> str:
    s = s.replace("ß", "ss").replace("ä", "ae").replace("ö", "oe").replace("ü", "ue")
    return "".join(c for c in fold(s) if c.isalnum())


def _name(maker: SyllableNameMaker, lang: str, part: str) -> str:
    for _ in range(50):
        n = maker.invent(lang, part)
        if fold(n) not in COMMON_TOKENS and len(n) >= 4:
            return n
    raise RuntimeError("no name")


def cases() -> list[Case]:
    r = random.Random(SEED)
    maker = SyllableNameMaker(r, _WORDS)
    out: list[Case] = []
    for lang in CARRIER:
        for i in range(LEADS_PER_LANGUAGE):
            first, last = _name(maker, lang, "first"), _name(maker, lang, "last")
            second, middle = _name(maker, lang, "first"), _name(maker, lang, "first")
            f, la = _ascii(first), _ascii(last)
            # every local part holds the surname; the first name is in the name field or the note
            toks = [first, last]
            shape = i % 6
            if shape == 0:
                name = f"{first} {last}"
            elif shape == 1:
                name = first
            elif shape == 2:
                name = f"{first} {middle} {last}".upper()
                toks.append(middle)
            elif shape == 3:
                name = f"{first}-{second} {last}"
                toks += [second, f"{first}-{second}"]
            elif shape == 4:
                particle = {"en": "O'", "nl": "van ", "de": "von ", "fr": "de ", "es": "del ", "it": "di "}[lang]
                name = f"{first} {particle}{last}"
            else:
                name = ""  # no name field: the e-mail and the note give it away
            toks += [a for a, b in ((f, first), (la, last)) if fold(a) != fold(b)]  # "mueller" for Müller
            local = r.choice([f"{f}.{la}{r.randint(1, 99)}", f"{f}{la}", f"{f[0]}.{la}",
                              f"{f}_{la}{r.randint(1970, 2005)}", f"{la}.{f}", f"{f}.{la}", f"{f[0]}{la}"])
            notes = r.choice([f"Spoke with {first} on Tuesday", f"Called {first} {last} re: invoice",
                              f"Kontakt: {first} {last}", f"{first} wants the Pro plan, call back",
                              f"Interested in the Pro plan. {first} {last} asked for a callback"])
            lead = Lead(name=name, email=f"{local}@gmail.com", notes=notes, tags=("vip", "crm-48213"))
            out.append(Case(lang, lead, toks, first, last))
    return out


CASES = cases()


def _record(case: Case, text: str) -> ChatRecord:
    """One conversation per written form: a drop by the residual scan is seen per form."""
    msgs = [ChatMessage(Role.USER, CARRIER[case.lang][0]),
            ChatMessage(Role.USER, CARRIER[case.lang][1].format(x=text))]
    return ChatRecord("c", "s", msgs, case.lead)


def _runs(text: str) -> set[str]:
    return set(re.findall(r"[^\W\d_]+", fold(text)))


def _leaks(s: PiiScrubber) -> list[str]:
    records: list[ChatRecord] = []
    why: list[tuple[Case, str, list[str]]] = []
    for case in CASES:
        written = [w for tok in case.tokens for w in forms(tok)] + joined(case.first, case.last)
        for text, need in written:
            records.append(_record(case, text))
            why.append((case, text, need))
    out = s.scrub_batch(records, RunCounters())
    leaks: list[str] = []
    for (case, text, need), rec in zip(why, out):
        lead = f"{case.lang} name={case.lead.name!r} email={case.lead.email} notes={case.lead.notes!r}"
        if isinstance(rec, str):
            leaks.append(f"{lead}: {text!r} dropped by the residual scan ({rec})")
            continue
        result = rec.messages[1].content
        if [n for n in need if n in _runs(result)]:
            leaks.append(f"{lead}: {text!r} -> {result!r}")
    return leaks


@pytest.mark.parametrize("style", ["placeholder", "surrogate"])
def test_no_lead_derived_name_survives_in_any_writing(scrubber, surrogate_scrubber, style: str) -> None:
    s = scrubber if style == "placeholder" else surrogate_scrubber
    leaks = _leaks(s)
    assert not leaks, f"{len(leaks)} left:\n" + "\n".join(leaks[:60])


# A lead's surname that is an ordinary word ("Ward", "Her", "Wer") is redacted where it is clearly
# the name: next to the first name (even when only the e-mail joins them), in a company's name.
@pytest.mark.parametrize("lang,name,email,text,word", [
    ("en", "{F}", "{f}.ward62@gmail.com", "hi it's {f} ward, about my order", "ward"),
    ("en", "{F} Ward", "", "we are ward plumbing in leeds", "ward"),
    ("en", "{F} Ward", "", "Ward & Sons here, about the invoice", "ward"),
    ("en", "{F} Young", "", "invoices go to young ltd please", "young"),
    ("de", "{F}", "{f}.wer28@posteo.de", "ich bin {f} wer und möchte mein Abo kündigen.", "wer"),
    ("de", "{F} Her", "{f}her@gmail.com", "wir von autohaus her brauchen 5 weitere Lizenzen", "her"),
    ("de", "{F} Lange", "", "die Lange GmbH braucht eine neue Rechnung", "lange"),
    ("it", "{F} Volta", "", "scrivo per la officina volta, grazie", "volta"),
])
def test_a_surname_that_is_a_word_where_it_is_clearly_the_name(scrubber, lang: str, name: str, email: str,
                                                                 text: str, word: str) -> None:
    first = _name(SyllableNameMaker(random.Random(name + text), _WORDS), lang, "first")
    fmt = {"F": first, "f": _ascii(first)}
    lead = Lead(name=name.format(**fmt), email=email.format(**fmt))
    rec = ChatRecord("c", "s", [ChatMessage(Role.USER, CARRIER[lang][0]),
                                ChatMessage(Role.USER, text.format(**fmt))], lead)
    (out,) = scrubber.scrub_batch([rec], RunCounters())
    assert not isinstance(out, str)
    result = out.messages[1].content
    assert word not in _runs(result) and fold(first) not in _runs(result), result


@pytest.mark.parametrize("lang,name,text", [
    ("en", "{F} Ward", "can you ask her whether the ward is open"),
    ("de", "{F} Her", "Wo kommen Sie her? Wer hat das bestellt?"),
])
def test_the_ordinary_word_elsewhere_stays(scrubber, lang: str, name: str, text: str) -> None:
    first = _name(SyllableNameMaker(random.Random(name + text), _WORDS), lang, "first")
    lead = Lead(name=name.format(F=first), email=f"{_ascii(first)}.x@gmail.com")
    rec = ChatRecord("c", "s", [ChatMessage(Role.USER, CARRIER[lang][0]), ChatMessage(Role.USER, text)], lead)
    (out,) = scrubber.scrub_batch([rec], RunCounters())
    assert not isinstance(out, str) and out.messages[1].content == text
