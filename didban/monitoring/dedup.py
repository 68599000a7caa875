"""Near-duplicate detection: word shingles, a vectorised MinHash and LSH band keys.

Shingles are 4-word windows of the normalised tokens. Each word is hashed once with CRC-32
(stable across processes, unlike ``hash()``; a bounded cache keeps the hashes of the words seen
recently), and a window's hash mixes its four word hashes in order (multiply by odd constants,
add, then the splitmix64 finaliser), all windows at once with numpy: ``shingle_array`` gives
the sorted distinct 32-bit values. The MinHash signature uses 64 multiply-add-shift hash
functions ``(a·x + b) mod 2^64 >> 32`` (a 2-independent family, Dietzfelbinger 1996) evaluated
for all shingles at once; 16 bands of 4 rows give LSH candidates from a Jaccard similarity of
about 0.5 upwards. Band keys are stored with each article (``ArticleBand``), so the index lives
in the database and survives restarts. ``VERSION`` names this scheme: stored signatures and
band keys of another version are recomputed by a migration.

Pickups are judged by *containment* (how much of our item's shingles appear in the article),
not Jaccard, because an outlet adds its own intro and outro or keeps only part of the text.
"""

from __future__ import annotations

import zlib

import numpy as np

VERSION = 2
SHINGLE = 4
PERMUTATIONS = 64
BANDS = 16
ROWS = PERMUTATIONS // BANDS
MAX_HASH = (1 << 32) - 1

_rng = np.random.RandomState(20240226)  # fixed: signatures stored in the database must agree
_A = _rng.randint(1, 1 << 63, size=PERMUTATIONS, dtype=np.uint64) | np.uint64(1)
_B = _rng.randint(0, 1 << 63, size=PERMUTATIONS, dtype=np.uint64)
# Odd multipliers for the four positions of a window, and for the band keys.
_POSITION = np.array(
    [0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0xD6E8FEB86659FD93],
    dtype=np.uint64,
)
_BAND_ROW = np.array(
    [0xFF51AFD7ED558CCD, 0xC4CEB9FE1A85EC53, 0x94D049BB133111EB, 0xBF58476D1CE4E5B9],
    dtype=np.uint64,
)
_BAND_SALT = (np.arange(BANDS, dtype=np.uint64) + np.uint64(1)) * np.uint64(0x9E3779B97F4A7C15)
_EMPTY = np.zeros(0, dtype=np.uint64)

_WORD_CACHE_SIZE = 200_000
_word_hashes: dict[str, int] = {}


def _word_hash(word: str) -> int:
    if len(_word_hashes) >= _WORD_CACHE_SIZE:
        _word_hashes.clear()  # bounded; the common words come back at once
    value = _word_hashes[word] = zlib.crc32(word.encode())
    return value


def _mix(x: np.ndarray) -> np.ndarray:
    """The splitmix64 finaliser, elementwise on uint64 (wrapping)."""
    x = x ^ (x >> np.uint64(30))
    x = x * np.uint64(0xBF58476D1CE4E5B9)
    x = x ^ (x >> np.uint64(27))
    x = x * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


def shingle_array(words: list[str], size: int = SHINGLE) -> np.ndarray:
    """The sorted distinct 32-bit hashes (uint64) of the word windows (short texts: the whole
    text as one window)."""
    if not words:
        return _EMPTY
    found = list(map(_word_hashes.get, words))
    if None in found:
        found = [_word_hash(w) if h is None else h for w, h in zip(words, found, strict=True)]
    hashed = np.fromiter(found, dtype=np.uint64, count=len(found))
    if len(hashed) < size:
        windows = (hashed * _POSITION[: len(hashed)]).sum(keepdims=True, dtype=np.uint64)
    else:
        count = len(hashed) - size + 1
        windows = hashed[:count] * _POSITION[0]
        for k in range(1, size):
            windows = windows + hashed[k : k + count] * _POSITION[k]
    return np.unique(_mix(windows) >> np.uint64(32))


def shingles(words: list[str], size: int = SHINGLE) -> set[int]:
    """The shingle hashes of a token list as a set of ints (see ``shingle_array``)."""
    return set(shingle_array(words, size).tolist())


def _as_array(hashes) -> np.ndarray:
    if isinstance(hashes, np.ndarray):
        return hashes
    return np.fromiter(hashes, dtype=np.uint64, count=len(hashes))


def signature(hashes) -> np.ndarray:
    """The MinHash signature (PERMUTATIONS uint32 values) of shingle hashes (array or set)."""
    x = _as_array(hashes)
    if not len(x):
        return np.full(PERMUTATIONS, MAX_HASH, dtype=np.uint32)
    # (a·x + b) mod 2^64, its high 32 bits: numpy's uint64 arithmetic wraps.
    values = (np.outer(_A, x) + _B[:, None]) >> np.uint64(32)
    return values.min(axis=1).astype(np.uint32)


def band_keys(sig: np.ndarray) -> list[int]:
    """One non-negative 63-bit key per band (band number mixed in), for an indexed column."""
    rows = sig.astype(np.uint64).reshape(BANDS, ROWS)
    keys = (rows * _BAND_ROW).sum(axis=1, dtype=np.uint64) + _BAND_SALT
    return (_mix(keys) >> np.uint64(1)).tolist()


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
