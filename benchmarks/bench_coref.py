"""Speaker resolution on gold coreference: GUM test (the source of every speech verb
in news and interviews: resolved to the right named entity, or to a wrong one) and
GAP test (standard F1, overall and by gender, and the female/male ratio). The
resolver is the quotes component's (`SpeakerResolver`) over spaCy's parse and
entities, as in the pipeline. Exits cleanly when ../shared is missing.

    .venv/bin/python benchmarks/bench_coref.py [--limit N]
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from spinlens.attribution.entities import cluster_entities
from spinlens.attribution.lexicon import SPEECH_VERBS
from spinlens.attribution.rules import Candidate, source_range, subject_of
from spinlens.attribution.speakers import SpeakerResolver
from spinlens.model import Entity
from spinlens.pipeline.linguistic import DEFAULT_MODEL, load_spacy

COREF = Path(__file__).resolve().parents[2] / "shared" / "data" / "coref"
GUM = COREF / "gum"
GAP_TEST = COREF / "gap" / "gap-test.tsv"
GENRES = ("news", "interview")
OPEN = re.compile(r"\((\w+)-(\d+)(?:-([^()\s]+))?")
CLOSE = re.compile(r"(\w+)-(\d+)(?:-[^()\s]+)?\)")


@dataclass
class GumDoc:
    """A GUM document as text (tokens joined by spaces, a sentence a line) with its
    gold mentions: (start, end, entity number), and the entities that have a name."""

    name: str
    text: str
    mentions: list[tuple[int, int, str]] = field(default_factory=list)
    named: set[str] = field(default_factory=set)


def test_documents() -> list[str]:
    """GUM's test list, news and interviews only (splits.md)."""
    lines = (GUM / "splits.md").read_text(encoding="utf-8").split("## test\n", 1)[1]
    names = re.findall(r"\* (GUM_\w+)", lines.split("##", 1)[0])
    return [n for n in names if n.split("_")[1] in GENRES]


def read_gum(name: str) -> GumDoc:
    """One document of gum/conll: tokens, and bracketed mentions `(type-ID-Name …)`."""
    doc = GumDoc(name, "")
    pieces: list[str] = []
    offset = 0
    stack: dict[str, list[int]] = {}
    for line in (GUM / "conll" / f"{name}.conll").read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            continue
        if not line.strip():
            if pieces and pieces[-1] == " ":
                pieces[-1] = "\n"
            continue
        _, token, marks = line.split("\t")[:3]
        start, end = offset, offset + len(token)
        for _, number, ident in OPEN.findall(marks):
            stack.setdefault(number, []).append(start)
            if ident:
                doc.named.add(number)
        for _, number in CLOSE.findall(marks):
            if stack.get(number):
                doc.mentions.append((stack[number].pop(), end, number))
        pieces += [token, " "]
        offset = end + 1
    doc.text = "".join(pieces)
    return doc


def entities_of(doc: Doc) -> list[Entity]:
    return [Entity(e.start_char, e.end_char, e.label_, e.text) for e in doc.ents]


def gold_entity(gum: GumDoc, start: int, end: int) -> str | None:
    """The gold entity of the smallest gold mention around a source's head."""
    around = [(e - s, n) for s, e, n in gum.mentions if s <= start and end <= e]
    return min(around)[1] if around else None


def gum_scores(nlp: Language) -> None:
    """Per speech-verb source: right named entity, a wrong name, or unresolved."""
    right = wrong = named_total = total = 0
    for name in test_documents():
        gum = read_gum(name)
        doc = nlp(gum.text)
        linked, clusters = cluster_entities(entities_of(doc))
        resolver = SpeakerResolver(doc, clusters)
        for token in doc:
            subject = subject_of(token) if token.lemma_.lower() in SPEECH_VERBS else None
            if token.pos_ != "VERB" or subject is None:
                continue
            gold = gold_entity(gum, subject.idx, subject.idx + len(subject))
            if gold is None:
                continue
            source = source_range(doc.text, subject)
            cue = (token.idx, token.idx + len(token))
            speaker = resolver.resolve(Candidate((0, 0), cue, source, subject, "indirect", 1.0))
            total += 1
            named_total += gold in gum.named
            if speaker is None or speaker.entity_id is None:
                continue
            gold_spans = {(s, e) for s, e, n in gum.mentions if n == gold}
            found = next(c for c in clusters if c.entity_id == speaker.entity_id)
            hit = any(s < m.end and m.start < e for m in found.mentions for s, e in gold_spans)
            if hit and gold in gum.named:
                right += 1
            elif not hit:
                wrong += 1
    print(
        f"GUM test ({', '.join(GENRES)}): {total} speech-verb sources, {named_total} of "
        f"named entities\n  resolved to the right named entity {right / named_total:.3f} "
        f"({right}/{named_total}); wrong name {wrong / total:.3f} ({wrong}/{total})"
    )


def gap_rows(limit: int | None) -> Iterator[dict[str, str]]:
    with GAP_TEST.open(encoding="utf-8", newline="") as handle:
        for n, row in enumerate(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)):
            if limit is not None and n >= limit:
                return
            yield row


def gap_prediction(doc: Doc, row: dict[str, str]) -> tuple[bool, bool]:
    """Whether the pronoun is resolved to A, and to B. A and B join the entities
    (as people) where the parser's entities miss them."""
    ents = entities_of(doc)
    spans = [(int(row[k + "-offset"]), int(row[k + "-offset"]) + len(row[k])) for k in "AB"]
    for start, end in spans:
        if not any(e.start < end and start < e.end for e in ents):
            ents.append(Entity(start, end, "PERSON", doc.text[start:end]))
    ents.sort(key=lambda e: e.start)
    linked, clusters = cluster_entities(ents)
    resolver = SpeakerResolver(doc, clusters)
    offset = int(row["Pronoun-offset"])
    pronoun = next(t for t in doc if t.idx <= offset < t.idx + len(t))
    speaker = resolver.speaker_for(pronoun, (pronoun.idx, pronoun.idx + len(pronoun)))
    hits = []
    for start, end in spans:
        linked_to = {e.entity_id for e in linked if e.start < end and start < e.end}
        hits.append(speaker.entity_id is not None and speaker.entity_id in linked_to)
    return hits[0], hits[1]


def f1(counts: list[int]) -> float:
    tp, fp, fn = counts
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def gap_scores(nlp: Language, limit: int | None) -> None:
    """GAP's F1: per candidate name, whether the pronoun refers to it."""
    rows = list(gap_rows(limit))
    counts = {"all": [0, 0, 0], "f": [0, 0, 0], "m": [0, 0, 0]}
    for row, doc in zip(rows, nlp.pipe(r["Text"] for r in rows), strict=True):
        gender = "f" if row["Pronoun"].lower() in ("she", "her", "hers") else "m"
        for said, gold in zip(
            gap_prediction(doc, row), (row["A-coref"], row["B-coref"]), strict=True
        ):
            truth = gold.upper() == "TRUE"
            for key in ("all", gender):
                counts[key][0] += said and truth
                counts[key][1] += said and not truth
                counts[key][2] += truth and not said
    overall, women, men = (f1(counts[k]) for k in ("all", "f", "m"))
    print(
        f"GAP test ({len(rows)} examples): F1 {overall:.3f}; feminine {women:.3f}, "
        f"masculine {men:.3f}, F/M {women / men if men else 0.0:.3f}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, help="Only the first N GAP examples.")
    args = parser.parse_args()
    if not GUM.is_dir() or not GAP_TEST.exists():
        print(f"skipped: {COREF} not found")
        return 0
    nlp = load_spacy(DEFAULT_MODEL)
    gum_scores(nlp)
    gap_scores(nlp, args.limit)
    return 0


if __name__ == "__main__":
    sys.exit(main())
