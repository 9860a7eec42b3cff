"""Indexes that find the entity clusters a name may join without comparing it with
every cluster (issue #16: that comparison made long articles quadratic).

Each index returns a superset of the clusters `Cluster.matches` can accept; the
caller still asks `matches`, so the clustering is exactly what a full scan gives."""

from __future__ import annotations

from collections import defaultdict

NAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "FAC", "LOC", "EVENT", "PRODUCT"})
"""Labels whose mentions are clustered by name similarity; others by exact form."""


def allowed_edits(shortest: int) -> int:
    """The edits `entities.similar` allows between two words or names (by the
    shorter one's length)."""
    return 2 if shortest >= TWO_EDITS else 1 if shortest >= ONE_EDIT[0] else 0


def pieces(length: int, parts: int) -> list[tuple[int, int]]:
    """A string of this length cut into `parts` consecutive ranges [start, end)."""
    bounds = [length * i // parts for i in range(parts + 1)]
    return list(zip(bounds, bounds[1:], strict=False))


def deletions(text: str) -> set[str]:
    """The string and every string one character shorter that it contains."""
    return {text, *(text[:i] + text[i + 1 :] for i in range(len(text)))}


ONE_EDIT = range(5, 9)
"""Lengths of strings that may be one edit from another (the shorter of 5 to 7)."""
TWO_EDITS = 8
"""Strings of this length or longer may be two edits from one as long."""
PIECES = 5
"""Pieces a string that may be two edits away is cut into: three stay unedited."""


class Variants:
    """Strings that may be `similar` to a query, found by their pieces: the same
    string; for one edit (short strings), a shared string of one character less;
    for two edits, by the pigeonhole principle, at least three of five pieces of the
    known string, unedited in the query and shifted by at most two characters."""

    def __init__(self) -> None:
        self.by_piece: dict[tuple[int, int, str], list[int]] = defaultdict(list)

    def add(self, text: str, item: int) -> None:
        self.by_piece[0, 0, text].append(item)
        if len(text) in ONE_EDIT:
            for shorter in deletions(text):
                self.by_piece[1, 0, shorter].append(item)
        if len(text) >= TWO_EDITS:
            for i, (start, end) in enumerate(pieces(len(text), PIECES)):
                self.by_piece[len(text), i + 1, text[start:end]].append(item)

    def near(self, text: str) -> set[int]:
        found = set(self.by_piece.get((0, 0, text), ()))
        if len(text) in ONE_EDIT:
            for shorter in deletions(text):
                found.update(self.by_piece.get((1, 0, shorter), ()))
        if len(text) < TWO_EDITS:
            return found
        for length in range(max(len(text) - 2, TWO_EDITS), len(text) + 3):
            shared: dict[int, set[int]] = defaultdict(set)
            for i, (start, end) in enumerate(pieces(length, PIECES)):
                for shift in range(max(-2, -start), min(2, len(text) - end) + 1):
                    piece = text[start + shift : end + shift]
                    for item in self.by_piece.get((length, i + 1, piece), ()):
                        shared[item].add(i)
            found.update(item for item, seen in shared.items() if len(seen) >= PIECES - 2)
        return found


class ClusterIndex:
    """The clusters of `cluster_entities` (by their position in its list), indexed by
    their name keys and labels for each way `Cluster.matches` accepts a key: the same
    key (and label, for labels not matched by name), a similar spelling of the whole
    name, a longer key that starts with it (organisations), or a one-word name
    similar to a family name (people)."""

    def __init__(self) -> None:
        self.unnamed: dict[tuple[str, ...], list[int]] = defaultdict(list)
        self.named: dict[tuple[str, ...], list[int]] = defaultdict(list)
        self.prefixes: dict[tuple[str, ...], list[int]] = defaultdict(list)
        self.spellings = Variants()
        self.family_names = Variants()
        self.single_names = Variants()

    def add(self, key: tuple[str, ...], cluster: int, label: str) -> None:
        """Index one more key of a cluster labelled `label`."""
        if label not in NAME_LABELS:
            self.unnamed[key].append(cluster)
            return
        self.named[key].append(cluster)
        self.spellings.add(" ".join(key), cluster)
        if label == "ORG":
            for size in range(2, len(key)):
                self.prefixes[key[:size]].append(cluster)
        if label == "PERSON" and len(key) > 1:
            self.family_names.add(key[-1], cluster)
        elif label == "PERSON" and key:
            self.single_names.add(key[0], cluster)

    def candidates(self, key: tuple[str, ...], label: str) -> list[int]:
        """The clusters that may match `key` of a mention labelled `label`, in the
        order they were made."""
        if label not in NAME_LABELS:
            return sorted(set(self.unnamed.get(key, ())))
        found = set(self.named.get(key, ())) | self.spellings.near(" ".join(key))
        if label == "ORG":
            found.update(self.prefixes.get(key, ()))
        if label == "PERSON" and len(key) == 1:
            found |= self.family_names.near(key[0])
        elif label == "PERSON" and key:
            found |= self.single_names.near(key[-1])
        return sorted(found)
