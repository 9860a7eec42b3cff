"""What the duplicate index keeps of a text: word shingles, their MinHash LSH band
keys (near-duplicate candidates) and winnowed anchors (shared-passage candidates).

Every key is a signed 64-bit integer derived from the text alone, so two stores
fed the same articles in any order, batch size or worker count hold the same keys.
"""

from __future__ import annotations

import hashlib
import operator
import re
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache

import numpy as np
from datasketch import MinHash

WORD = re.compile(r"\w+")
SHINGLE = 5
"""Words per shingle."""
MULTIPLIER = np.int64(0x100000001B3)
"""The shingle hash's polynomial base (the FNV prime: odd, so no word's hash is lost)."""
BANDS = 16
ROWS = 4
"""MinHash LSH: 16 bands of 4 values (64 permutations); a pair of texts becomes a
candidate with probability 1 - (1 - J^4)^16: 0.5 at Jaccard 0.5, 0.99 at 0.7."""
WINDOW = 24
"""Winnowing window (shingles): a shared run of SHINGLE + WINDOW - 1 = 28 words
always shares an anchor; about 2 / (WINDOW + 1) of the shingles are anchors."""
MIN_ANCHORS = 2
"""Anchors two texts must share to be compared for passages (a shared run of
about 52 words always does)."""


@dataclass(frozen=True)
class Shingled:
    """A text and the hash of every run of SHINGLE words starting at each word, in
    text order."""

    text: str
    hashes: list[int]

    @cached_property
    def spans(self) -> list[tuple[int, int]]:
        """Each word's character span (end exclusive), in text order (found once)."""
        return [m.span() for m in WORD.finditer(self.text)]


@dataclass(frozen=True)
class Fingerprint:
    """The index keys of one text."""

    bands: tuple[int, ...]
    anchors: tuple[int, ...]

    def index_keys(self) -> list[int]:
        return sorted(set(self.bands) | set(self.anchors))


def hash64(data: bytes) -> int:
    """A stable signed 64-bit hash (Python's own `hash` is salted per process)."""
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "big", signed=True)


@lru_cache(maxsize=1 << 16)
def word_hash(word: str) -> int:
    """The hash of a word, case-folded (cached: most words recur)."""
    return hash64(word.casefold().encode())


@lru_cache(maxsize=256)
def shingled(text: str) -> Shingled:
    """Words are case-folded; a shingle's hash is a polynomial over its words'
    hashes, modulo 2**64 (one vector operation per word of the shingle). The latest
    texts are kept: an article is compared with several others, and copies come
    close together."""
    words = WORD.findall(text)
    if len(words) < SHINGLE:
        return Shingled(text, [])
    runs = len(words) - SHINGLE + 1
    word_hashes = np.fromiter(map(word_hash, words), dtype=np.int64, count=len(words))
    hashes = np.zeros(runs, dtype=np.int64)
    with np.errstate(over="ignore"):
        for k in range(SHINGLE):
            hashes = hashes * MULTIPLIER + word_hashes[k : k + runs]
    return Shingled(text, hashes.tolist())


@cache
def permutations() -> tuple[np.ndarray, np.ndarray]:
    """The MinHash permutations (fixed seed), made once."""
    return MinHash(num_perm=BANDS * ROWS, seed=22, scheme="affine64").permutations


def band_keys(hashes: list[int]) -> tuple[int, ...]:
    """One key per LSH band of the MinHash signature of the shingle set."""
    if not hashes:
        return ()
    minhash = MinHash(
        num_perm=BANDS * ROWS,
        hashfunc=operator.index,  # the values are hashes already (a C call, not a lambda)
        scheme="affine64",
        permutations=permutations(),
    )
    minhash.update_batch(np.array(hashes, dtype=np.int64).view(np.uint64).tolist())
    values = minhash.digest()
    return tuple(
        hash64(b"band%d:" % band + values[band * ROWS : (band + 1) * ROWS].tobytes())
        for band in range(BANDS)
    )


def anchors(hashes: list[int]) -> tuple[int, ...]:
    """Winnowing (Schleimer et al. 2003): the smallest hash of every window of
    WINDOW consecutive shingles, each kept once."""
    if not hashes:
        return ()
    width = min(WINDOW, len(hashes))
    windows = np.lib.stride_tricks.sliding_window_view(np.array(hashes, dtype=np.int64), width)
    return tuple(sorted(set(windows.min(axis=1).tolist())))


def fingerprint(text: Shingled) -> Fingerprint:
    return Fingerprint(band_keys(text.hashes), anchors(text.hashes))
