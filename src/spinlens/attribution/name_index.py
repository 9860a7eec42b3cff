"""Indexes that find the entity clusters a name may join without comparing it with
every cluster (issue #16: that comparison made long articles quadratic).

Each index returns a superset of the clusters `Cluster.matches` can accept; the
caller still asks `matches`, so the clustering is exactly what a full scan gives."""

from __future__ import annotations

from collections import defaultdict


def allowed_edits(shortest: int) -> int:
    """The edits `entities.similar` allows between two words or names (by the
    shorter one's length)."""
    return 2 if shortest >= 8 else 1 if shortest >= 5 else 0


def pieces(length: int, parts: int) -> list[tuple[int, int]]:
    """A string of this length cut into `parts` consecutive ranges [start, end)."""
    bounds = [length * i // parts for i in range(parts + 1)]
    return list(zip(bounds, bounds[1:], strict=False))


class Variants:
    """Strings that may be within `allowed_edits` of a query. Pigeonhole: with d
    edits between two strings, one of d + 1 pieces of the known string is unedited,
    so it appears in the query, shifted by at most d characters."""

    def __init__(self) -> None:
        self.by_piece: dict[tuple[int, int, int, str], list[int]] = defaultdict(list)

    def add(self, text: str, item: int) -> None:
        for parts in (1, 2, 3):
            for i, (start, end) in enumerate(pieces(len(text), parts)):
                self.by_piece[len(text), parts, i, text[start:end]].append(item)

    def near(self, text: str) -> set[int]:
        found: set[int] = set()
        for length in range(max(len(text) - 2, 0), len(text) + 3):
            edits = allowed_edits(min(length, len(text)))
            if abs(length - len(text)) > edits:
                continue
            for i, (start, end) in enumerate(pieces(length, edits + 1)):
                for shift in range(max(-edits, -start), min(edits, len(text) - end) + 1):
                    piece = text[start + shift : end + shift]
                    found.update(self.by_piece.get((length, edits + 1, i, piece), ()))
        return found


class ClusterIndex:
    """The clusters of `cluster_entities` (by their position in its list), indexed by
    their name keys for each way `Cluster.matches` accepts a key: the same key, a
    key that starts with it (organisations), a similar spelling of the whole name,
    or a one-word name similar to a family name (people)."""

    def __init__(self) -> None:
        self.prefixes: dict[tuple[str, ...], list[int]] = defaultdict(list)
        self.spellings = Variants()
        self.family_names = Variants()
        self.single_names = Variants()

    def add(self, key: tuple[str, ...], cluster: int) -> None:
        for size in {len(key), *range(2, len(key) + 1)}:
            self.prefixes[key[:size]].append(cluster)
        self.spellings.add(" ".join(key), cluster)
        if len(key) > 1:
            self.family_names.add(key[-1], cluster)
        elif key:
            self.single_names.add(key[0], cluster)

    def candidates(self, key: tuple[str, ...]) -> list[int]:
        """The clusters that may match `key`, in the order they were made."""
        found = set(self.prefixes.get(key, ())) | self.spellings.near(" ".join(key))
        if len(key) == 1:
            found |= self.family_names.near(key[0])
        elif key:
            found |= self.single_names.near(key[-1])
        return sorted(found)
