"""The evidence for a candidate pair: the passages two texts share, word for word,
found by seed-and-extend over shingles (so moved paragraphs are found too), with
character offsets into each text."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from spinlens.duplicates.fingerprint import SHINGLE, Shingled

MIN_PASSAGE_WORDS = 25
"""Shortest shared run that makes two texts share a passage (a short paragraph)."""
MIN_RUN_WORDS = 10
"""Shortest shared run a near-duplicate's passages include (between cut paragraphs)."""
GAP = 8
"""Words that may differ inside one passage (a changed or inserted word)."""
NEAR_DUPLICATE = 0.7
"""Share of each text's words a near-duplicate pair has in shared passages."""
MAX_REPEATS = 16
"""Positions of one repeated shingle followed (bounds the work on repetitive text)."""


@dataclass(frozen=True)
class Run:
    """Shared words: ``a[a0:a1]`` matches ``b[b0:b1]`` (word indices, end exclusive)."""

    a0: int
    a1: int
    b0: int
    b1: int

    @property
    def words(self) -> int:
        return min(self.a1 - self.a0, self.b1 - self.b0)


@dataclass(frozen=True)
class Match:
    """What two texts share."""

    kind: str
    similarity: float
    passages: list[dict[str, dict[str, int]]]

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "similarity": self.similarity, "passages": self.passages}


def diagonal_runs(a: list[int], b: list[int]) -> list[Run]:
    """Runs of shingles equal in both texts at a constant offset, bridging gaps of
    up to GAP words, as word ranges (each shingle of `b` seeded at the first
    MAX_REPEATS positions of its hash in `a`)."""
    hashes_a, hashes_b = np.asarray(a, dtype=np.int64), np.asarray(b, dtype=np.int64)
    order = np.argsort(hashes_a, kind="stable")
    ranked = hashes_a[order]
    lo = np.searchsorted(ranked, hashes_b, "left")
    counts = np.minimum(np.searchsorted(ranked, hashes_b, "right"), lo + MAX_REPEATS) - lo
    if not counts.sum():
        return []
    j = np.repeat(np.arange(len(b)), counts)
    nth = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    i = order[np.repeat(lo, counts) + nth]
    offset = j - i
    by_diagonal = np.lexsort((i, offset))
    offset, i = offset[by_diagonal], i[by_diagonal]
    starts = np.flatnonzero(np.r_[True, (np.diff(offset) != 0) | (np.diff(i) > GAP + 1)])
    ends = np.r_[starts[1:], len(i)] - 1
    return [
        Run(int(i[f]), int(i[e]) + SHINGLE, int(i[f] + offset[f]), int(i[e] + offset[f]) + SHINGLE)
        for f, e in zip(starts, ends, strict=True)
    ]


def chain(runs: list[Run]) -> list[Run]:
    """Join runs that follow each other in both texts within GAP words (a few words
    inserted or cut shift the offset)."""
    joined: list[Run] = []
    for run in sorted(runs, key=lambda r: (r.a0, r.b0)):
        for k in range(len(joined) - 1, -1, -1):
            last = joined[k]
            if -SHINGLE <= run.a0 - last.a1 <= GAP and -SHINGLE <= run.b0 - last.b1 <= GAP:
                joined[k] = Run(last.a0, max(last.a1, run.a1), last.b0, max(last.b1, run.b1))
                break
        else:
            joined.append(run)
    return joined


def disjoint(runs: list[Run]) -> list[Run]:
    """The longest runs first, each trimmed at its ends where it overlaps one kept
    before (in either text) and dropped if it still does, in order of `a`."""
    used_a: set[int] = set()
    used_b: set[int] = set()
    kept = []
    for run in sorted(runs, key=lambda r: (-r.words, r.a0, r.b0)):
        a0, a1, b0, b1 = run.a0, run.a1, run.b0, run.b1
        while a0 < a1 and b0 < b1 and (a0 in used_a or b0 in used_b):
            a0, b0 = a0 + 1, b0 + 1
        while a0 < a1 and b0 < b1 and (a1 - 1 in used_a or b1 - 1 in used_b):
            a1, b1 = a1 - 1, b1 - 1
        span_a, span_b = range(a0, a1), range(b0, b1)
        if span_a and span_b and used_a.isdisjoint(span_a) and used_b.isdisjoint(span_b):
            used_a.update(span_a)
            used_b.update(span_b)
            kept.append(Run(a0, a1, b0, b1))
    return sorted(kept, key=lambda r: (r.a0, r.b0))


def compare(text_a: Shingled, text_b: Shingled) -> Match | None:
    """The passages of at least MIN_PASSAGE_WORDS words the two texts share, and
    whether they make the pair near-duplicates; None when they share none."""
    runs = chain(diagonal_runs(text_a.hashes, text_b.hashes))
    found = [r for r in disjoint(runs) if r.words >= MIN_RUN_WORDS]
    if not any(r.words >= MIN_PASSAGE_WORDS for r in found):
        return None
    words_a, words_b = text_a.spans, text_b.spans
    covered_a = sum(r.a1 - r.a0 for r in found) / len(words_a)
    covered_b = sum(r.b1 - r.b0 for r in found) / len(words_b)
    near = min(covered_a, covered_b) >= NEAR_DUPLICATE
    passages = found if near else [r for r in found if r.words >= MIN_PASSAGE_WORDS]
    shared = sum((r.a1 - r.a0 + r.b1 - r.b0) / 2 for r in passages)
    similarity = round(shared / (len(words_a) + len(words_b) - shared), 4)
    return Match(
        "near-duplicate" if near else "shared-passage",
        similarity,
        [offsets(r, words_a, words_b) for r in passages],
    )


def identical(text: Shingled) -> Match | None:
    """What two copies of one text share: all of it, when it is long enough to be a
    passage (as `compare` finds it, without aligning)."""
    words = text.spans
    if len(words) < MIN_PASSAGE_WORDS:
        return None
    whole = Run(0, len(words), 0, len(words))
    return Match("near-duplicate", 1.0, [offsets(whole, words, words)])


def offsets(
    run: Run, words_a: list[tuple[int, int]], words_b: list[tuple[int, int]]
) -> dict[str, dict[str, int]]:
    """A run as character spans into each text."""
    return {
        "a": {"start": words_a[run.a0][0], "end": words_a[run.a1 - 1][1]},
        "b": {"start": words_b[run.b0][0], "end": words_b[run.b1 - 1][1]},
    }
