"""Speaker resolution on gold coreference: GUM test (the source of every speech verb
in news and interviews — the owner for a document: "Cornyn's statement" — resolved to
the right named entity, or to a wrong one; with --pronouns, every he/she pronoun of a
person in all genres) and GAP test (standard F1, overall and by gender, and the
female/male ratio; --gap-split for validation or development). The
resolver is the quotes component's (`SpeakerResolver`) over spaCy's parse and
entities, as in the pipeline. Exits cleanly when ../shared is missing.

    .venv/bin/python benchmarks/bench_coref.py [--limit N] [--gum-split dev]
        [--gap-split validation] [--pronouns]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from _common import require_shared
from spacy.language import Language
from spacy.tokens import Doc, Token

from spinlens.attribution.entities import cluster_entities
from spinlens.attribution.lexicon import REPORT_NOUNS, SPEECH_VERBS
from spinlens.attribution.rules import Candidate
from spinlens.attribution.sources import pronoun_gender
from spinlens.attribution.speakers import SpeakerResolver
from spinlens.attribution.syntax import source_range, subject_of
from spinlens.evaluation.coref import (
    GapExample,
    entities_with_names,
    read_gap,
    read_gum,
    split_documents,
)
from spinlens.pipeline.linguistic import DEFAULT_MODEL, load_spacy

GENRES = ("news", "interview")
NAMES = ("PERSON", "ORG")
"""A gold entity is named when GUM gives it an identifier or one of its mentions ends
in a name the parse finds ("Environment Canada spokesperson Julie Hahn")."""


def ends_in_name(doc: Doc, end: int) -> bool:
    last = doc.char_span(end - 1, end, alignment_mode="expand")
    return last is not None and last[-1].ent_type_ in NAMES


def issuer(subject: Token) -> tuple[int, int]:
    """The source mention whose referent is the speaker: the owner of a document
    ("Cornyn's statement": Cornyn), else the subject itself."""
    owner = next((t for t in subject.lefts if t.dep_ == "poss"), None)
    if owner is not None and subject.lemma_.lower() in REPORT_NOUNS:
        subject = owner
    return subject.idx, subject.idx + len(subject)


def gum_scores(nlp: Language, gum_dir: Path, split: str) -> None:
    """Per speech-verb source: right named entity, a wrong name, or unresolved."""
    right = wrong = named_total = total = 0
    for name in split_documents(gum_dir, split, GENRES):
        gum = read_gum(gum_dir, name)
        doc = nlp(gum.text)
        _, clusters = cluster_entities(entities_with_names(doc, []))
        resolver = SpeakerResolver(doc, clusters)
        for token in doc:
            subject = subject_of(token) if token.lemma_.lower() in SPEECH_VERBS else None
            if token.pos_ != "VERB" or subject is None:
                continue
            gold = gum.entity_at(*issuer(subject))
            if gold is None:
                continue
            source = source_range(doc.text, subject)
            cue = (token.idx, token.idx + len(token))
            speaker = resolver.resolve(Candidate((0, 0), cue, source, subject, "indirect", 1.0))
            total += 1
            named = gold in gum.named or any(ends_in_name(doc, e) for _, e in gum.spans_of(gold))
            named_total += named
            if speaker is None or speaker.entity_id is None:
                continue
            gold_spans = gum.spans_of(gold)
            found = next(c for c in clusters if c.entity_id == speaker.entity_id)
            hit = any(s < m.end and m.start < e for m in found.mentions for s, e in gold_spans)
            if hit and named:
                right += 1
            elif not hit:
                wrong += 1
    print(
        f"GUM {split} ({', '.join(GENRES)}): {total} speech-verb sources, {named_total} of "
        f"named entities\n  resolved to the right named entity {right / named_total:.3f} "
        f"({right}/{named_total}); wrong name {wrong / total:.3f} ({wrong}/{total})"
    )


def gum_pronouns(nlp: Language, gum_dir: Path, split: str) -> None:
    """Per he/she pronoun of a person (all genres): resolved to one of that person's
    mentions, to someone else, or left unresolved."""
    right = wrong = total = 0
    documents = [read_gum(gum_dir, name) for name in split_documents(gum_dir, split)]
    for gum, doc in zip(documents, nlp.pipe(d.text for d in documents), strict=True):
        _, clusters = cluster_entities(entities_with_names(doc, []))
        resolver = SpeakerResolver(doc, clusters)
        for token in doc:
            gold = gum.entity_at(token.idx, token.idx + len(token))
            if not pronoun_gender(token.text) or gold is None or gum.types.get(gold) != "person":
                continue
            total += 1
            speaker = resolver.speaker_for(token, (token.idx, token.idx + len(token)))
            if speaker.entity_id is None:
                continue
            found = resolver.by_id[speaker.entity_id].mentions
            gold_spans = gum.spans_of(gold)
            hit = any(s < m.end and m.start < e for m in found for s, e in gold_spans)
            right += hit
            wrong += not hit
    print(
        f"GUM {split} (all genres): {total} he/she pronouns of a person\n  resolved to them "
        f"{right / total:.3f} ({right}); to someone else {wrong / total:.3f} ({wrong})"
    )


def gap_prediction(doc: Doc, example: GapExample) -> tuple[bool, bool]:
    """Whether the pronoun is resolved to A, and to B (A and B join the entities as
    people where the parse misses them)."""
    linked, clusters = cluster_entities(entities_with_names(doc, example.names))
    resolver = SpeakerResolver(doc, clusters)
    pronoun = next(t for t in doc if t.idx <= example.offset < t.idx + len(t))
    speaker = resolver.speaker_for(pronoun, (pronoun.idx, pronoun.idx + len(pronoun)))
    hits = [
        speaker.entity_id is not None
        and any(e.entity_id == speaker.entity_id for e in linked if e.start < end and start < e.end)
        for start, end in example.names
    ]
    return hits[0], hits[1]


def f1(counts: list[int]) -> float:
    tp, fp, fn = counts
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def gap_scores(nlp: Language, path: Path, split: str, limit: int | None) -> None:
    """GAP's F1: per candidate name, whether the pronoun refers to it."""
    examples = list(read_gap(path, limit))
    counts = {"all": [0, 0, 0], "f": [0, 0, 0], "m": [0, 0, 0]}
    for example, doc in zip(examples, nlp.pipe(e.text for e in examples), strict=True):
        for said, truth in zip(gap_prediction(doc, example), example.refers, strict=True):
            for key in ("all", example.gender):
                counts[key][0] += said and truth
                counts[key][1] += said and not truth
                counts[key][2] += truth and not said
    overall, women, men = (f1(counts[k]) for k in ("all", "f", "m"))
    print(
        f"GAP {split} ({len(examples)} examples): F1 {overall:.3f}; feminine {women:.3f}, "
        f"masculine {men:.3f}, F/M {women / men if men else 0.0:.3f}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, help="Only the first N GAP examples.")
    parser.add_argument("--gum-split", default="test", help="GUM's split (test, dev).")
    parser.add_argument(
        "--gap-split", default="test", help="GAP's split (test, validation, development)."
    )
    parser.add_argument(
        "--pronouns", action="store_true", help="Also every he/she pronoun of a GUM person."
    )
    args = parser.parse_args()
    gum = require_shared("coref/gum")
    gap = require_shared(f"coref/gap/gap-{args.gap_split}.tsv")
    nlp = load_spacy(DEFAULT_MODEL)
    gum_scores(nlp, gum, args.gum_split)
    if args.pronouns:
        gum_pronouns(nlp, gum, args.gum_split)
    gap_scores(nlp, gap, args.gap_split, args.limit)
    return 0


if __name__ == "__main__":
    sys.exit(main())
