"""Whom an entity page's name stands for in one article."""

from spinlens.model import Span
from spinlens.speakers.entity import named_in


def test_named_in_matches_mentions_as_the_facet_keeps_them() -> None:
    text = "Joe\nBiden spoke. He left. Jill Biden stayed."
    he, jill = text.index("He"), text.index("Jill")
    data = {
        "text": text,
        "entities": [
            {"start": 0, "end": 9, "label": "PERSON", "entity_id": "e1"},
            {"start": he, "end": he + 2, "label": "PERSON", "entity_id": "e1"},
            {"start": jill, "end": jill + 10, "label": "PERSON", "entity_id": "e2"},
        ],
    }
    who = named_in(data, "joe  Biden")
    assert who.ids == frozenset({"e1"})
    assert who.mentions == (Span(0, 9), Span(he, he + 2))
    assert not named_in(data, "Biden").ids
