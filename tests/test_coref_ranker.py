"""The pronoun ranker's candidates (#17): each person within reach, described by the
features of its nearest mention before the pronoun, whose span comes with them."""

from __future__ import annotations

from spinlens.attribution.entities import cluster_entities
from spinlens.attribution.ranking import FEATURES, candidates
from spinlens.attribution.speakers import SpeakerResolver
from spinlens.model import Entity
from spinlens.pipeline.linguistic import DEFAULT_MODEL, load_spacy


def test_candidates_carry_the_span_of_the_mention_their_features_describe():
    text = "Mary Jones met Tom Reyes in Ohio. Mary Jones spoke first. She said it was over."
    doc = load_spacy(DEFAULT_MODEL)(text)
    names = [Entity(e.start_char, e.end_char, e.label_, e.text) for e in doc.ents]
    linked, clusters = cluster_entities(names)
    she = next(t for t in doc if t.text == "She")
    found = candidates(SpeakerResolver(doc, clusters), she, "f")
    mary = next(e.entity_id for e in linked if e.text == "Mary Jones")
    nearest = text.index("Mary Jones", 1)
    assert found.spans[mary] == (nearest, nearest + len("Mary Jones"))
    assert set(found.spans) == set(found.features)
    assert all(len(row) == len(FEATURES) for row in found.features.values())
    assert found.features[mary][FEATURES.index("nearest")] == 1.0
