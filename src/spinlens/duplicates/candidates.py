"""Finding what a fingerprint is compared with, at a cost bounded whatever the
store holds: a key is held by at most MAX_POSTINGS texts (the first to claim it),
and at most MAX_COMPARED candidates are kept, those sharing the most keys first."""

from __future__ import annotations

from collections import Counter, defaultdict

from sqlalchemy import Connection, select

from spinlens.duplicates.fingerprint import MIN_ANCHORS, Fingerprint
from spinlens.duplicates.tables import dup_keys

MAX_POSTINGS = 64
"""Texts holding one key at most: a key shared by more (a site template, one text
republished many times with a line of its own) stops widening the search there.
The busiest key of the real test set is shared by 42."""
MAX_COMPARED = 64
"""Candidates compared per indexed text (the most in the real test set: 46)."""
CHUNK = 500


def postings(conn: Connection, keys: list[int]) -> dict[int, list[int]]:
    """The docs holding each key (MAX_POSTINGS at most), in doc order."""
    found: dict[int, list[int]] = defaultdict(list)
    for i in range(0, len(keys), CHUNK):
        query = select(dup_keys.c.key, dup_keys.c.doc).where(
            dup_keys.c.key.in_(keys[i : i + CHUNK])
        )
        for key, doc in conn.execute(query.order_by(dup_keys.c.key, dup_keys.c.doc)):
            found[key].append(doc)
    return found


def claim(found: dict[int, list[int]], adding: dict[int, list[int]]) -> list[tuple[int, int]]:
    """The (key, doc) rows of new docs that take a free place under their keys
    (earliest doc first), added to `found` (the postings read before)."""
    rows: list[tuple[int, int]] = []
    for key, docs in adding.items():
        held = found.setdefault(key, [])
        taking = sorted(docs)[: max(0, MAX_POSTINGS - len(held))]
        held.extend(taking)
        rows.extend((key, doc) for doc in taking)
    return rows


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
