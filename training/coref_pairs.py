"""Pronoun-ranking examples with the shared encoder's vectors (for
training/probe_coref_vectors.py): per he/she pronoun, every person named within reach
as the pipeline's ranker sees it (`ranking.candidates`), described by the encoder's
vectors of the pronoun and of the person's nearest mention and by the ranker's
FEATURES, and whether each is its referent. From GUM (every he/she pronoun of a gold
person) and GAP (the example's pronoun; A and B given as people). Parsing and encoding
are the slow part: the groups of each split are kept in a cache folder (numpy arrays)
and read from there when present."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
from spacy.language import Language
from spacy.tokens import Doc, Token

from spinlens.attribution.entities import cluster_entities
from spinlens.attribution.ranking import candidates
from spinlens.attribution.sources import pronoun_gender
from spinlens.attribution.speakers import SpeakerResolver
from spinlens.encoder import Encoder, Encoding
from spinlens.evaluation.coref import entities_with_names, read_gap, read_gum, split_documents


@dataclass(frozen=True)
class Group:
    """One pronoun's candidates: their pair inputs, whether each is its referent, and
    whether each is scored (GAP: only A and B; GUM: everyone); `gender` the pronoun's
    ("f"/"m"), `gold` whether it has a referent at all (GAP: A or B; GUM: a named
    person)."""

    inputs: np.ndarray
    labels: np.ndarray
    scored: np.ndarray
    gender: str
    gold: bool


def parsed(nlp: Language, encoder: Encoder, texts: list[str]) -> Iterator[tuple[Doc, Encoding]]:
    """Each text's parse and encoding, as the pipeline makes them."""
    for doc in nlp.pipe(texts):
        yield doc, encoder.encode([doc.text])[0]


def span_vector(encoding: Encoding, start: int, end: int) -> np.ndarray:
    """The mean encoder vector of the tokens over characters [start, end) (zeros when
    the encoder read none there)."""
    first, last = encoding.token_range(start, end)
    if last <= first:
        return np.zeros(encoding.vectors.shape[1], np.float32)
    return np.asarray(encoding.vectors[first:last], np.float32).mean(axis=0)


def pronoun_group(
    resolver: SpeakerResolver,
    encoding: Encoding,
    pronoun: Token,
    refers: Callable[[str], bool],
    scored: Callable[[str], bool],
    gold: bool,
) -> Group:
    """One pronoun's candidates, each a row [pronoun vector, mention vector, FEATURES]
    (no rows when no one is within reach); `refers` and `scored` say it of an entity id."""
    gender = pronoun_gender(pronoun.text) or "m"
    found = candidates(resolver, pronoun, gender)
    if not found.features:
        return Group(np.zeros((0, 0), np.float32), np.zeros(0), np.zeros(0, bool), gender, gold)
    said = span_vector(encoding, pronoun.idx, pronoun.idx + len(pronoun))
    inputs = np.stack(
        [
            np.concatenate(
                [said, span_vector(encoding, *found.spans[i]), np.asarray(features, np.float32)]
            )
            for i, features in found.features.items()
        ]
    )
    labels = np.array([refers(i) for i in found.features], dtype=float)
    return Group(inputs, labels, np.array([scored(i) for i in found.features]), gender, gold)


def gum_groups(nlp: Language, encoder: Encoder, gum: Path, split: str) -> list[Group]:
    """Every he/she pronoun of a person in GUM `split`, against the people the parse names."""
    groups = []
    names = split_documents(gum, split)
    documents = [read_gum(gum, name) for name in names]
    for gold_doc, (doc, encoding) in zip(
        documents, parsed(nlp, encoder, [d.text for d in documents]), strict=True
    ):
        _, clusters = cluster_entities(entities_with_names(doc, []))
        resolver = SpeakerResolver(doc, clusters)
        for token in doc:
            gold = gold_doc.entity_at(token.idx, token.idx + len(token))
            if not pronoun_gender(token.text) or gold is None:
                continue
            if gold_doc.types.get(gold) != "person":
                continue
            spans = gold_doc.spans_of(gold)
            referents = {
                c.entity_id
                for c in clusters
                if any(s < m.end and m.start < e for m in c.mentions for s, e in spans)
            }
            everyone = resolver.by_id.__contains__
            named = gold in gold_doc.named
            groups.append(
                pronoun_group(resolver, encoding, token, referents.__contains__, everyone, named)
            )
    return groups


def gap_groups(nlp: Language, encoder: Encoder, path: Path) -> list[Group]:
    """Every GAP example of a file: the cluster of A is the referent when A is, same for B."""
    examples = list(read_gap(path))
    groups = []
    for example, (doc, encoding) in zip(
        examples, parsed(nlp, encoder, [e.text for e in examples]), strict=True
    ):
        linked, clusters = cluster_entities(entities_with_names(doc, example.names))
        resolver = SpeakerResolver(doc, clusters)
        pronoun = next(t for t in doc if t.idx <= example.offset < t.idx + len(t))
        ids = [
            {e.entity_id for e in linked if e.start < end and start < e.end}
            for start, end in example.names
        ]
        referents = set().union(*(i for i, yes in zip(ids, example.refers, strict=True) if yes))
        named = ids[0] | ids[1]
        group = pronoun_group(
            resolver,
            encoding,
            pronoun,
            referents.__contains__,
            named.__contains__,
            any(example.refers),
        )
        groups.append(replace(group, gender=example.gender))
    return groups


def save(groups: list[Group], path: Path) -> None:
    sizes = [len(g.labels) for g in groups]
    width = max((g.inputs.shape[1] for g in groups if len(g.labels)), default=0)
    rows = [g.inputs for g in groups if len(g.labels)]
    np.savez(
        path,
        inputs=np.concatenate(rows) if rows else np.zeros((0, width), np.float32),
        labels=np.concatenate([g.labels for g in groups]),
        scored=np.concatenate([g.scored for g in groups]),
        sizes=np.asarray(sizes),
        genders=np.asarray([g.gender for g in groups]),
        gold=np.asarray([g.gold for g in groups]),
    )


def load(path: Path) -> list[Group]:
    with np.load(path, allow_pickle=False) as data:
        cuts = np.cumsum(data["sizes"])[:-1]
        inputs = np.split(data["inputs"], cuts)
        labels = np.split(data["labels"], cuts)
        scored = np.split(data["scored"], cuts)
        return [
            Group(*arrays, str(gender), bool(gold))
            for *arrays, gender, gold in zip(
                inputs, labels, scored, data["genders"], data["gold"], strict=True
            )
        ]


def cached(cache: Path, name: str, make: Callable[[], list[Group]]) -> list[Group]:
    """The groups of one split, made once and then read from `cache`."""
    path = cache / f"{name}.npz"
    if not path.exists():
        cache.mkdir(parents=True, exist_ok=True)
        save(make(), path)
    return load(path)
