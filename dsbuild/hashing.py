"""The one place that hashes: output ids, split buckets, group keys, file digests."""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path
from typing import Any

import orjson

_ID_BYTES = 16


def conversation_id(agent: str, source_id: str, salt: str = "") -> str:
    """A stable id that cannot be read back into the export's id (which may hold a phone number).

    With an empty salt the id is only as hard to reverse as the source id is to guess; set
    ``privacy.id_salt`` to make it a keyed hash.
    """
    h = hashlib.blake2b(digest_size=_ID_BYTES, key=salt.encode()[:64], person=b"dsbuild-convid")
    h.update(agent.encode())
    h.update(b"\x00")
    h.update(source_id.encode("utf-8", "surrogatepass"))
    return h.hexdigest()


def unit_interval(seed: int, key: str) -> float:
    """Map (seed, key) to a float in [0, 1), uniformly and stably across runs and machines."""
    h = hashlib.blake2b(digest_size=8, person=b"dsbuild-split")
    h.update(str(seed).encode())
    h.update(b"\x00")
    h.update(key.encode("utf-8", "surrogatepass"))
    return int.from_bytes(h.digest(), "big") / 2**64


def content_digest(parts: tuple[tuple[str, str], ...]) -> bytes:
    h = hashlib.blake2b(digest_size=16, person=b"dsbuild-dedup")
    for role, content in parts:
        h.update(role.encode())
        h.update(b"\x00")
        h.update(content.encode("utf-8", "surrogatepass"))
        h.update(b"\x01")
    return h.digest()


def file_sha256(path: Path) -> str:
    return files_sha256([path])


def files_sha256(paths: list[Path]) -> str:
    """sha256 of the files' concatenation, read in 1 MB chunks."""
    h = hashlib.sha256()
    for path in paths:
        with open(path, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                h.update(chunk)
    return h.hexdigest()


def bytes_sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _blake_key(secret: str) -> bytes:
    """blake2b takes a key of at most 64 bytes: a longer secret (the 64-hex-digit agent secret
    plus the split seed) is hashed to 64 instead of cut, so every part of it counts."""
    raw = secret.encode("utf-8", "surrogatepass")
    return raw if len(raw) <= 64 else hashlib.blake2b(raw, person=b"dsbuild-key").digest()


def keyed_choice(secret: str, key: str, n: int) -> int:
    """A stable index in [0, n) for ``key`` under ``secret`` (PII surrogates)."""
    h = hashlib.blake2b(digest_size=8, key=_blake_key(secret), person=b"dsbuild-pseudo")
    h.update(key.encode("utf-8", "surrogatepass"))
    return int.from_bytes(h.digest(), "big") % n


def keyed_digits(secret: str, key: str, n: int, base: int = 10) -> list[int]:
    """``n`` stable pseudo-random numbers in [0, base) for ``key`` under ``secret``."""
    out: list[int] = []
    block = 0
    secret_key = _blake_key(secret)
    while len(out) < n:
        h = hashlib.blake2b(digest_size=64, key=secret_key, person=b"dsbuild-pseudo")
        h.update(f"{key}\x00{block}".encode("utf-8", "surrogatepass"))
        out.extend(b % base for b in h.digest() if b < 256 - 256 % base)
        block += 1
    return out[:n]


_ROUNDS = 8


@functools.lru_cache(maxsize=4096)
def _feistel_rounds(secret: str, key: str, n: int) -> tuple[Any, ...]:
    """The keyed round functions (hash states, copied before use) of one permutation."""
    base = hashlib.blake2b(digest_size=8, key=_blake_key(secret), person=b"dsbuild-perm")
    base.update(f"{key}\x00{n}\x00".encode("utf-8", "surrogatepass"))
    rounds = []
    for r in range(_ROUNDS):
        h = base.copy()
        h.update(bytes([r]))
        rounds.append(h)
    return tuple(rounds)


def keyed_permutation(secret: str, key: str, n: int, x: int) -> int:
    """The image of ``x`` in [0, n) under a keyed bijection of [0, n) (PII surrogates).

    Format-preserving encryption of a small domain: a balanced Feistel network over the
    smallest even number of bits that covers ``n``, keyed by (``secret``, ``key``), with
    cycle-walking (an image outside [0, n) is encrypted again until it falls inside, which keeps
    it a bijection). So distinct ``x`` always get distinct images, which independent keyed
    draws (:func:`keyed_choice`) cannot promise: n draws from a pool of N collide after about
    sqrt(N).
    """
    if not 0 <= x < n:
        raise ValueError(f"{x} is outside [0, {n})")
    half = max(1, ((n - 1).bit_length() + 1) // 2)
    mask = (1 << half) - 1
    rounds = _feistel_rounds(secret, key, n)
    y = x
    while True:
        left, right = y >> half, y & mask
        for h in rounds:
            f = h.copy()
            f.update(right.to_bytes(8, "big"))
            left, right = right, left ^ (int.from_bytes(f.digest(), "big") & mask)
        y = (left << half) | right
        if y < n:
            return y


def config_digest(config: dict[str, Any]) -> str:
    """sha256 of a resolved public config, independent of key order (the manifest's config hash)."""
    return hashlib.sha256(orjson.dumps(config, option=orjson.OPT_SORT_KEYS)).hexdigest()


def text_digest(values: list[str]) -> dict[str, Any]:
    """How many strings and the sha256 of them (NUL-joined): what a manifest records of a list
    it must not copy (``pii.allow``, ``convert.system_prompt``)."""
    joined = "\x00".join(values).encode("utf-8", "surrogatepass")
    return {"count": len(values), "sha256": hashlib.sha256(joined).hexdigest()}
