"""Near-duplicate detection: word shingles, a vectorised MinHash and LSH band keys.

Shingles are 4-word windows of the normalised tokens, hashed with CRC-32 (stable across
processes, unlike ``hash()``). The MinHash signature uses 64 universal hash functions
``(a·x + b) mod p`` evaluated for all shingles at once with numpy; 16 bands of 4 rows give
LSH candidates from a Jaccard similarity of about 0.5 upwards. Band keys are stored with
each article (``ArticleBand``), so the index lives in the database and survives restarts.

Pickups are judged by *containment* (how much of our item's shingles appear in the article),
not Jaccard, because an outlet adds its own intro and outro or keeps only part of the text.
"""

from __future__ import annotations

import zlib

import numpy as np

SHINGLE = 4
PERMUTATIONS = 64
BANDS = 16
ROWS = PERMUTATIONS // BANDS
PRIME = (1 << 61) - 1
MAX_HASH = (1 << 32) - 1

_rng = np.random.RandomState(20240226)  # fixed: signatures stored in the database must agree
_A = _rng.randint(1, PRIME, size=PERMUTATIONS, dtype=np.uint64)
_B = _rng.randint(0, PRIME, size=PERMUTATIONS, dtype=np.uint64)


def shingles(words: list[str], size: int = SHINGLE) -> set[int]:
    """CRC-32 hashes of the word windows of a token list (short texts: the whole text)."""
    if not words:
        return set()
    if len(words) < size:
        return {zlib.crc32(" ".join(words).encode())}
    # The same bytes as " ".join(words[i : i + size]).encode() for every i, iterated in C:
    # zip of the shifted lists gives the windows, join and crc32 run through map.
    encoded = list(map(str.encode, words))
    windows = zip(*(encoded[k:] for k in range(size)), strict=False)
    return set(map(zlib.crc32, map(b" ".join, windows)))


def signature(hashes: set[int]) -> np.ndarray:
    """The MinHash signature (PERMUTATIONS uint32 values) of a shingle-hash set."""
    if not hashes:
        return np.full(PERMUTATIONS, MAX_HASH, dtype=np.uint32)
    x = np.fromiter(hashes, dtype=np.uint64, count=len(hashes))
    # (a·x + b) mod p, the product wrapping at 2^64 as in datasketch: a full-width `a` is
    # what spreads the values; a small one leaves the minimum to the smallest shingles.
    values = (np.outer(_A, x) + _B[:, None]) % np.uint64(PRIME)
    return (values.min(axis=1) & np.uint64(MAX_HASH)).astype(np.uint32)


def band_keys(sig: np.ndarray) -> list[int]:
    """One signed 63-bit key per band (band number mixed in), for an indexed integer column."""
    keys = []
    for band in range(BANDS):
        chunk = sig[band * ROWS : (band + 1) * ROWS].tobytes()
        digest = zlib.crc32(chunk, band * 7919) | (band << 32)
        keys.append(digest)
    return keys


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of two signatures."""
    return float(np.count_nonzero(a == b)) / PERMUTATIONS


def to_bytes(sig: np.ndarray) -> bytes:
    return sig.astype("<u4").tobytes()


def from_bytes(data: bytes | memoryview | None) -> np.ndarray:
    if not data:
        return np.full(PERMUTATIONS, MAX_HASH, dtype=np.uint32)
    return np.frombuffer(bytes(data), dtype="<u4")


def containment(item: set[int], article: set[int]) -> float:
    """Share of the item's shingles found in the article."""
    if not item:
        return 0.0
    return len(item & article) / len(item)


def jaccard(a: set[int], b: set[int]) -> float:
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)
