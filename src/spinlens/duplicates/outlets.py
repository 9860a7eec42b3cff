"""Who copies whom: the duplicate pairs summed up by outlet. A pair whose two
articles come from different outlets and were published on different known days
is a flow from the earlier outlet to the later one (the later copies the earlier);
a pair with a missing date or one day for both is counted apart, its order unknown."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import Connection, Engine, select

from spinlens.duplicates.index import CHUNK
from spinlens.duplicates.pairs import all_records, in_pairs, records_of
from spinlens.facets import article_stats


@dataclass(frozen=True)
class Flow:
    """Pairs between two outlets: `earlier` published first, `later` copied it (when
    the order is unknown, the two in alphabetical order)."""

    earlier: str
    later: str
    pairs: int
    near_duplicates: int
    shared_passages: int


@dataclass(frozen=True)
class OutletCopies:
    """For one outlet: whom it copies (it published later), who copies it (it
    published first), and the pairs whose order is unknown; largest first."""

    source: str
    copies_from: list[Flow]
    copied_by: list[Flow]
    order_unknown: list[Flow]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Flows:
    """Every outlet-to-outlet flow of a store, largest first."""

    ordered: list[Flow]
    unordered: list[Flow]


def flows_of(conn: Connection, pairs: Iterable[tuple[str, str, str]]) -> Flows:
    """Sum pairs (a, b, kind) up by the outlets of their articles."""
    pairs = list(pairs)
    ids = sorted({x for a, b, _ in pairs for x in (a, b)})
    meta: dict[str, tuple[str | None, str | None]] = {}
    for i in range(0, len(ids), CHUNK):
        query = select(article_stats.c.article_id, article_stats.c.source, article_stats.c.day)
        rows = conn.execute(query.where(article_stats.c.article_id.in_(ids[i : i + CHUNK])))
        meta.update((row.article_id, (row.source, row.day)) for row in rows)
    ordered: Counter[tuple[str, str, str]] = Counter()
    unordered: Counter[tuple[str, str, str]] = Counter()
    for a, b, kind in pairs:
        (source_a, day_a), (source_b, day_b) = meta.get(a, (None, None)), meta.get(b, (None, None))
        if not source_a or not source_b or source_a == source_b:
            continue
        if day_a and day_b and day_a != day_b:
            first, then = (source_a, source_b) if day_a < day_b else (source_b, source_a)
            ordered[first, then, kind] += 1
        else:
            unordered[min(source_a, source_b), max(source_a, source_b), kind] += 1
    return Flows(summed(ordered), summed(unordered))


def summed(counts: Counter[tuple[str, str, str]]) -> list[Flow]:
    """One flow per pair of outlets, most pairs first."""
    by_outlets: dict[tuple[str, str], Counter[str]] = {}
    for (earlier, later, kind), n in counts.items():
        by_outlets.setdefault((earlier, later), Counter())[kind] += n
    flows = [
        Flow(
            earlier,
            later,
            kinds.total(),
            kinds["near-duplicate"],
            kinds["shared-passage"],
        )
        for (earlier, later), kinds in by_outlets.items()
    ]
    return sorted(flows, key=lambda f: (-f.pairs, f.earlier, f.later))


def copy_flows(engine: Engine) -> Flows:
    """Every flow between outlets over the whole store."""
    with engine.connect() as conn:
        pairs = [(r["a"], r["b"], r["kind"]) for r in all_records(conn, 0.0)]
        return flows_of(conn, pairs)


def outlet_copies(engine: Engine, source: str) -> OutletCopies | None:
    """Whom one outlet copies, who copies it, and the pairs of unknown order; None
    when no stored article comes from it."""
    stats = article_stats.c
    with engine.connect() as conn:
        named = select(stats.source).where(stats.source == source).distinct()
        mine = set(conn.execute(named).scalars())  # as stored (SQLite matches caseless)
        if not mine:
            return None
        # only those in a pair can have one: an outlet's thousands of articles are
        # not read when few of them are copies
        paired = select(stats.article_id).where(
            stats.source == source, stats.article_id.in_(in_pairs())
        )
        ids = sorted(conn.execute(paired).scalars())
        pairs: set[tuple[str, str, str]] = set()
        for i in range(0, len(ids), CHUNK):
            for records in records_of(conn, ids[i : i + CHUNK]).values():
                pairs.update((r["a"], r["b"], r["kind"]) for r in records)
        flows = flows_of(conn, sorted(pairs))
    return OutletCopies(
        min(mine),  # as stored (the template tells the outlet from the other by it)
        [f for f in flows.ordered if f.later in mine],
        [f for f in flows.ordered if f.earlier in mine],
        [f for f in flows.unordered if mine & {f.earlier, f.later}],
    )
