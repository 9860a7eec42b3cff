"""Gold coreference for speaker resolution: GUM documents (../shared/data/coref/gum:
CoNLL tokens with bracketed mentions `(type-ID-Identifier …)`) and GAP examples
(../shared/data/coref/gap), read for the coreference benchmark and the pronoun
ranker's training."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from spacy.tokens import Doc

from spinlens.model import Entity

OPEN = re.compile(r"\((\w+)-(\d+)(?:-([^()\s]+))?")
CLOSE = re.compile(r"(\w+)-(\d+)(?:-[^()\s]+)?\)")
FEMALE = frozenset({"she", "her", "hers", "herself"})


@dataclass
class GumDoc:
    """A GUM document as text (tokens joined by spaces, a sentence a line) with its
    gold mentions, (start, end, entity number), each entity's type, and the entities
    that have a name (an identifier)."""

    name: str
    text: str = ""
    mentions: list[tuple[int, int, str]] = field(default_factory=list)
    types: dict[str, str] = field(default_factory=dict)
    named: set[str] = field(default_factory=set)

    def entity_at(self, start: int, end: int) -> str | None:
        """The entity of the smallest gold mention around [start, end)."""
        around = [(e - s, n) for s, e, n in self.mentions if s <= start and end <= e]
        return min(around)[1] if around else None

    def spans_of(self, entity: str) -> list[tuple[int, int]]:
        return [(s, e) for s, e, n in self.mentions if n == entity]


def split_documents(gum: Path, split: str, genres: tuple[str, ...] = ()) -> list[str]:
    """The documents of one of GUM's standard splits (splits.md) that are here,
    of `genres` only when given."""
    listing = (gum / "splits.md").read_text(encoding="utf-8")
    section = listing.split(f"## {split}\n", 1)[1].split("\n## ", 1)[0]
    names = re.findall(r"\* (GUM_\w+)", section)
    here = [n for n in names if (gum / "conll" / f"{n}.conll").exists()]
    return [n for n in here if not genres or n.split("_")[1] in genres]


def read_gum(gum: Path, name: str) -> GumDoc:
    """One document of gum/conll."""
    doc = GumDoc(name)
    pieces: list[str] = []
    offset = 0
    opened: dict[str, list[int]] = {}
    for line in (gum / "conll" / f"{name}.conll").read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            continue
        if not line.strip():
            if pieces and pieces[-1] == " ":
                pieces[-1] = "\n"
            continue
        _, token, marks = line.split("\t")[:3]
        start, end = offset, offset + len(token)
        for kind, number, ident in OPEN.findall(marks):
            opened.setdefault(number, []).append(start)
            doc.types[number] = kind
            if ident:
                doc.named.add(number)
        for _, number in CLOSE.findall(marks):
            if opened.get(number):
                doc.mentions.append((opened[number].pop(), end, number))
        pieces += [token, " "]
        offset = end + 1
    doc.text = "".join(pieces)
    return doc


@dataclass(frozen=True)
class GapExample:
    """One GAP example: the snippet, the pronoun's offset, the candidate names' spans
    and whether the pronoun refers to each."""

    text: str
    pronoun: str
    offset: int
    names: tuple[tuple[int, int], tuple[int, int]]
    refers: tuple[bool, bool]

    @property
    def gender(self) -> str:
        return "f" if self.pronoun.lower() in FEMALE else "m"


def read_gap(path: Path, limit: int | None = None) -> Iterator[GapExample]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        for n, row in enumerate(rows):
            if limit is not None and n >= limit:
                return
            a, b = int(row["A-offset"]), int(row["B-offset"])
            yield GapExample(
                row["Text"],
                row["Pronoun"],
                int(row["Pronoun-offset"]),
                ((a, a + len(row["A"])), (b, b + len(row["B"]))),
                (row["A-coref"].upper() == "TRUE", row["B-coref"].upper() == "TRUE"),
            )


def entities_with_names(doc: Doc, spans: Iterable[tuple[int, int]]) -> list[Entity]:
    """The parse's entities, the given names (GAP's candidates) as people in place of
    those overlapping them, in text order."""
    given = [(start, end) for start, end in spans]
    ents = [
        Entity(e.start_char, e.end_char, e.label_, e.text)
        for e in doc.ents
        if not any(e.start_char < end and start < e.end_char for start, end in given)
    ]
    ents += [Entity(start, end, "PERSON", doc.text[start:end]) for start, end in given]
    return sorted(ents, key=lambda e: e.start)
