"""Finding what a fingerprint is compared with, at a cost bounded whatever the
store holds: at most MAX_POSTINGS articles read per key and MAX_COMPARED
candidates kept, those sharing the most keys first."""

from __future__ import annotations

from collections import Counter, defaultdict
from functools import lru_cache

from sqlalchemy import Connection, TextClause, text

from spinlens.duplicates.fingerprint import MIN_ANCHORS, Fingerprint

MAX_POSTINGS = 64
"""Articles read per key, earliest indexed first: a key shared by more texts (a site
template, one text republished many times with a line of its own) stops widening
the search there. The busiest key of the real test set is shared by 42."""
MAX_COMPARED = 64
"""Candidates compared per indexed text (the most in the real test set: 46)."""
TERMS = 400
"""Keys per query (SQLite allows 500 terms in a compound SELECT)."""


@lru_cache(maxsize=TERMS + 1)
def postings_query(keys: int) -> TextClause:
    """The first MAX_POSTINGS docs of each of `keys` keys, one UNION ALL term per
    key, so each term stops after its limit."""
    term = (
        "SELECT key, doc FROM (SELECT key, doc FROM dup_keys WHERE key = :k{0} "
        "ORDER BY doc LIMIT :cap) AS p{0}"
    )
    return text(" UNION ALL ".join(term.format(i) for i in range(keys)))


def postings(conn: Connection, keys: list[int]) -> dict[int, list[int]]:
    """The docs holding each key, at most MAX_POSTINGS of each."""
    found: dict[int, list[int]] = defaultdict(list)
    for i in range(0, len(keys), TERMS):
        chunk = keys[i : i + TERMS]
        params = {f"k{n}": key for n, key in enumerate(chunk)} | {"cap": MAX_POSTINGS}
        for key, doc in conn.execute(postings_query(len(chunk)), params):
            found[key].append(doc)
    return found


def candidate_docs(print_: Fingerprint, doc: int, found: dict[int, list[int]]) -> list[int]:
    """Indexed texts sharing an LSH band or MIN_ANCHORS anchors with a fingerprint:
    the MAX_COMPARED sharing the most keys (then the earliest indexed), in doc order."""
    bands = set(print_.bands)
    shared: Counter[int] = Counter()
    by_band: set[int] = set()
    for key in print_.index_keys():
        for other in found.get(key, ()):
            if other != doc:
                shared[other] += 1
                if key in bands:
                    by_band.add(other)
    kept = [d for d, n in shared.items() if d in by_band or n >= MIN_ANCHORS]
    return sorted(sorted(kept, key=lambda d: (-shared[d], d))[:MAX_COMPARED])
