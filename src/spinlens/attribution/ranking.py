"""A small mention-ranking model for "he" and "she": every person named within reach
of the pronoun is scored linearly over cheap features (distance, syntax, gender
agreement, quotation marks, salience) and ranked by softmax against "no one here";
the best one is the referent when its probability reaches the model's threshold. Weights:
src/spinlens/models/coref (trained by training/train_coref.py; numpy only)."""

from __future__ import annotations

import json
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from math import exp, log1p
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from spacy.tokens import Token

from spinlens.attribution.entities import Cluster
from spinlens.attribution.lexicon import CUE_VERBS
from spinlens.weights import weights_digest

if TYPE_CHECKING:
    from spinlens.attribution.speakers import SpeakerResolver

FEATURES = (
    "distance",
    "same_sentence",
    "previous_sentence",
    "after",
    "subject",
    "speaker_subject",
    "nearest",
    "second_nearest",
    "gender_agrees",
    "gender_unknown",
    "quoted",
    "parallel",
    "salience",
    "main_person",
    "possessive_pronoun",
    "possessor",
    "object_of_preposition",
    "governs_pronoun",
    "both_subjects",
    "same_head",
    "opens_sentence",
)
REACH = 2500
"""How far before the pronoun (characters) a person may be named."""
SUBJECTS = frozenset({"nsubj", "nsubjpass"})


@dataclass
class Found:
    """The people a pronoun may refer to: per entity id, the FEATURES of its nearest
    mention and that mention's character span."""

    features: dict[str, list[float]] = field(default_factory=dict)
    spans: dict[str, tuple[int, int]] = field(default_factory=dict)


@dataclass(frozen=True)
class Ranker:
    """A linear score over FEATURES per candidate, ranked by softmax against a "no one
    here" option scored `none`; the best candidate is chosen when its share reaches
    `threshold`."""

    weights: np.ndarray
    none: float
    threshold: float
    version: str

    def choose(self, found: dict[str, list[float]]) -> tuple[str, float] | None:
        """The chosen candidate and its probability, or None."""
        if not found:
            return None
        ids = list(found)
        scores = np.asarray([found[i] for i in ids], dtype=np.float64) @ self.weights
        top = max(float(scores.max()), self.none)
        shares = np.exp(scores - top)
        total = float(shares.sum()) + exp(self.none - top)
        best = int(np.argmax(scores))
        probability = float(shares[best]) / total
        return (ids[best], probability) if probability >= self.threshold else None


@cache
def load_ranker() -> Ranker:
    """The shipped ranker (src/spinlens/models/coref)."""
    path = Path(str(resources.files("spinlens") / "models" / "coref" / "ranker.json"))
    version = weights_digest(path, "the coreference ranker")
    data = json.loads(path.read_text(encoding="utf-8"))
    if tuple(data["features"]) != FEATURES:
        raise ValueError("the coreference ranker was trained on other features")
    weights = np.asarray(data["weights"], dtype=np.float64)
    return Ranker(weights, float(data["none"]), float(data["threshold"]), f"ranker-{version}")


def role(token: Token) -> str:
    dep = token.dep_
    if dep in SUBJECTS:
        return "subject"
    return "possessor" if dep == "poss" else "object" if dep in ("dobj", "pobj") else "other"


def candidates(resolver: SpeakerResolver, pronoun: Token, gender: str | None) -> Found:
    """Per person entity named within reach (before the pronoun, or after it in its
    sentence) and not known to be of the other gender, the features of its nearest
    mention before the pronoun (else its first after it)."""
    doc, offset = resolver.doc, pronoun.idx
    sentence = pronoun.sent
    found = Found()
    order: list[str] = []
    first = bisect_left(resolver.mention_starts, offset - REACH)
    last = bisect_left(resolver.mention_starts, sentence.end_char)
    for start, end, cluster in resolver.mentions[first:last]:
        known = resolver.genders.get(cluster.entity_id)
        clash = gender is not None and known not in (None, gender)
        if cluster.label != "PERSON" or clash or start < offset < end:
            continue
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None:
            continue
        features = mention_features(resolver, pronoun, span.root, cluster, gender)
        if end <= offset:
            order = [i for i in order if i != cluster.entity_id] + [cluster.entity_id]
        if end <= offset or cluster.entity_id not in found.features:
            found.features[cluster.entity_id] = features
            found.spans[cluster.entity_id] = (start, end)
    nearest = order[::-1]
    for entity_id, features in found.features.items():
        features[FEATURES.index("nearest")] = float(nearest[:1] == [entity_id])
        features[FEATURES.index("second_nearest")] = float(nearest[1:2] == [entity_id])
        earlier = bisect_right(resolver.mention_ends[entity_id], offset)
        features[FEATURES.index("salience")] = log1p(earlier) / 3
    return found


def mention_features(
    resolver: SpeakerResolver, pronoun: Token, mention: Token, cluster: Cluster, gender: str | None
) -> list[float]:
    """The features of one mention of a person as the referent of the pronoun."""
    after = mention.idx > pronoun.idx
    gap = abs(pronoun.idx - mention.idx)
    same = mention.sent == pronoun.sent
    known = resolver.genders.get(cluster.entity_id)
    values = {
        "distance": log1p(gap) / 8,
        "same_sentence": float(same),
        "previous_sentence": float(not after and mention.sent.end == pronoun.sent.start),
        "after": float(after),
        "subject": float(mention.dep_ in SUBJECTS),
        "speaker_subject": float(
            mention.dep_ in SUBJECTS and mention.head.lemma_.lower() in CUE_VERBS
        ),
        "gender_agrees": float(known is not None and known == gender),
        "gender_unknown": float(known is None),
        "quoted": float(resolver.quoted(mention.idx)),
        "parallel": float(role(mention) == role(pronoun)),
        "main_person": float(resolver.main is cluster),
        "possessive_pronoun": float(pronoun.dep_ == "poss"),
        "possessor": float(mention.dep_ == "poss"),
        "object_of_preposition": float(mention.dep_ == "pobj"),
        "governs_pronoun": float(same and mention.head in list(pronoun.ancestors)),
        "both_subjects": float(mention.dep_ in SUBJECTS and pronoun.dep_ in SUBJECTS),
        "same_head": float(mention.head == pronoun.head),
        "opens_sentence": float(mention.left_edge.i == mention.sent.start),
    }
    return [values.get(name, 0.0) for name in FEATURES]
