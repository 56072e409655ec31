"""Collision-free draws: which fake the k-th value of a kind in a conversation gets.

Independent keyed draws collide by the birthday bound: n draws from a pool of N share a fake
after about sqrt(2N) of them, so one fake name could be 1.5% of the 130 names of the demo.
Instead each draw gets a *slot*: the k-th value of kind K (``k < LANES[K]``) of the conversation
at position p in the export takes slot ``p * LANES[K] + k``, and a keyed permutation of the pool
(:func:`dsbuild.hashing.keyed_permutation`, one per kind) maps the slot to a fake. Distinct slots
give distinct fakes until the pool is exhausted; past that, the slots are cut into epochs of the
pool's size, each with its own permutation, so a fake comes back at most once per epoch.

The position comes from the export, not from the engine (:class:`dsbuild.records.Batch`), so the
draws are the same whatever the number of workers. A conversation with more than ``LANES[K]``
values of one kind (rare) takes one *spare* slot, then draws the rest by a keyed hash. Slots are
numbered across the export, whatever the conversation's language, and no entry is in two
languages' pools (:func:`dsbuild.stages.pii.names.pools`), so a German and an English
conversation do not meet on one fake either.

The spare slot: a fake rejected in its conversation (it is a known value there, or holds one)
takes the next slot, and a conversation past its lanes used to draw that one by hash, which
meets a fake another conversation's slot gave with the odds (fakes used)/(pool size): in the
demo, under 1 key in 300, one fake twice among its 130 names, or among its 29 companies. So a
pool keeps its last :data:`SPARE_SHARE`-th apart: lane slots map onto the rest, and the spare
lane (one per conversation: slot ``p``, in epochs of the reserve's size) onto the reserve, where
only another spare draw can meet it. The keyed hash past the spare draws from the whole pool
(:mod:`.surrogates` keeps the fakes of one conversation distinct).

Values made of characters (phone digits, postcodes, card numbers) are a mixed-radix number: one
digit per free character; the slot is permuted over their product, in chunks of at most
:data:`CHUNK` so a long value stays cheap.
"""

from __future__ import annotations

from dsbuild.hashing import keyed_choice, keyed_permutation

# Slots a conversation reserves per kind: how many distinct values of that kind one conversation
# usually holds. Each reserved slot that goes unused wastes pool: in the demo and a generated
# export 7% of the conversations with a first name have two (the lead and the agent), 11% with a
# last name two and 1% three, under 1% two companies, none two phones, streets or cities.
LANES = {"first": 2, "last": 3}
DEFAULT_LANES = 1
CHUNK = 1 << 60
SPARE_SHARE = 16  # a pool of n keeps n // 16 apart for spare draws (pools of 64 and more)


class Draws:
    """One conversation's slots: ``position`` in the export, ``key`` its hashed fallback."""

    def __init__(self, secret: str, position: int, key: str) -> None:
        self.secret = secret
        self.position = position
        self.key = key
        self._next: dict[str, int] = {}  # kind → lanes used

    def slot(self, kind: str, ident: str) -> int:
        """The next slot of ``kind`` in this conversation (every call takes a new one)."""
        lane = self._next.get(kind, 0)
        self._next[kind] = lane + 1
        lanes = LANES.get(kind, DEFAULT_LANES)
        if lane < lanes:
            return self.position * lanes + lane
        return keyed_choice(self.secret, f"{self.key}\x00{kind}\x00{ident}\x00{lane}", CHUNK)

    def skip(self, kind: str, n: int) -> None:
        """Pass over the next ``n`` slots of ``kind``, as ``n`` draws would."""
        self._next[kind] = self._next.get(kind, 0) + n

    def index(self, kind: str, n: int, ident: str) -> int:
        """An index in [0, n) for the next value of ``kind`` (a pool of ``n``): a lane slot
        maps below ``n - spare``, the spare lane at or above it, a hashed draw anywhere."""
        spare = n // SPARE_SHARE if n >= 4 * SPARE_SHARE else 0
        lane, lanes = self._next.get(kind, 0), LANES.get(kind, DEFAULT_LANES)
        if lane < lanes:
            return self.mixed(kind, [n - spare], ident)[0]
        if lane == lanes and spare:
            self._next[kind] = lane + 1
            epoch, rest = divmod(self.position, spare)
            return n - spare + keyed_permutation(self.secret, f"{kind}\x00spare\x00{epoch}", spare,
                                                 rest)
        return self.mixed(kind, [n], ident)[0]

    def mixed(self, kind: str, radices: list[int], ident: str) -> list[int]:
        """One digit per radix (``radices[i]`` values each) for the next value of ``kind``."""
        x = self.slot(kind, ident)
        out: list[int] = []
        chunk: list[int] = []
        size = 1
        for r in [*radices, 0]:
            if r and size * r <= CHUNK:
                chunk.append(r)
                size *= r
                continue
            if chunk:
                epoch, rest = divmod(x, size)
                v = keyed_permutation(self.secret, f"{kind}\x00{len(out)}\x00{epoch}", size, rest)
                for c in chunk:
                    v, d = divmod(v, c)
                    out.append(d)
            chunk, size = ([r], r) if r else ([], 1)
        return out
