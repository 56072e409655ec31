"""Consistent pseudonyms: the same value gets the same token everywhere in a conversation.

* ``surrogate`` (default): a realistic fake that keeps the shape of what it replaces (see
  :mod:`.surrogates`), drawn from the conversation language's pools by a keyed permutation
  indexed by the conversation's position in the export: consistent within a conversation,
  distinct between conversations until a pool runs out (so no fake dominates its type), the
  same whatever the engine or the number of workers, and unpredictable without the secret.
* ``placeholder``: ``<PERSON_1>``, ``<EMAIL_ADDRESS_1>``, numbered per conversation in order of
  first mention; the lead's name, its tokens and its mentions share one number. For audits: a
  model trained on placeholders learns to write them.
* ``redact``: ``<PERSON>`` with no number: mentions cannot be linked.

No reverse mapping is kept: the table lives for one conversation, in memory.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import get_args

from dsbuild.config import PiiStyle
from dsbuild.stages.pii.spans import Span
from dsbuild.stages.pii.surrogates import Surrogates
from dsbuild.stages.pii.taken import TakenNumbers

STYLES: tuple[str, ...] = get_args(PiiStyle)  # the choices and the default: dsbuild.config


def normalise(type_: str, value: str) -> str:
    if type_ == "PHONE_NUMBER":
        return re.sub(r"\D", "", value)[-9:]
    return " ".join(value.casefold().split())


class Pseudonymizer:
    """One conversation's table: (type, key) → token.

    ``scope`` identifies the conversation (a digest of its content: never written) and
    ``position`` is its place in the export (it indexes the surrogates' draws); ``avoid`` holds
    the conversation's own known values, which a surrogate must never coincide with;
    ``regions`` the countries a phone number in national form may be from (pii.phone_regions);
    ``taken`` every lead's numbers in the export, which no fake may be (:mod:`.taken`).
    """

    def __init__(self, style: str, secret: str, language: str = "en", *, scope: str = "",
                 position: int = 0, avoid: Iterable[str] = (), regions: Iterable[str] = (),
                 taken: TakenNumbers | None = None):
        self.style = style
        self.secret = secret
        self.language = language
        self._tokens: dict[tuple[str, str], str] = {}
        self._counts: dict[str, int] = {}
        self._fakes = (Surrogates(secret, scope, language, avoid, position, regions=regions, taken=taken)
                       if style == "surrogate" else None)

    def token(self, span: Span, value: str) -> str:
        label = "EMAIL" if span.type == "EMAIL_ADDRESS" else span.type
        if self.style == "redact":
            return f"<{label}>"
        if self._fakes is not None:
            # the shape comes from this mention ("emma" → "lena", "Emma Bellamy" → "Lena
            # Hoffmann"); the identity (span.key, the lead's value) keeps phones in any format
            # and the name's tokens consistent
            return self._fakes.render(span.type, value, span.key)
        ident = (span.type, span.key or normalise(span.type, value))
        tok = self._tokens.get(ident)
        if tok is None:
            self._counts[label] = self._counts.get(label, 0) + 1
            tok = f"<{label}_{self._counts[label]}>"
            self._tokens[ident] = tok
        return tok

    def produced(self) -> set[str]:
        if self._fakes is not None:
            return self._fakes.produced()
        return set(self._tokens.values())

    def apply(self, text: str, spans: list[Span]) -> str:
        out, pos = [], 0
        for s in spans:
            out.append(text[pos:s.start])
            out.append(self.token(s, text[s.start:s.end]))
            pos = s.end
        out.append(text[pos:])
        return "".join(out)
