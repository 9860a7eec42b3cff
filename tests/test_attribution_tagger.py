"""The attribution tagger's decoding: BIO runs into segments, segments into attributions."""

from __future__ import annotations

import numpy as np

from spinlens.attribution.tagger import TAGS, link, segments

TEXT = "Officials said the port would reopen.\nIt did not."
WORDS = [(0, 9), (10, 14), (15, 18), (19, 23), (24, 29), (30, 36), (38, 40), (41, 44), (45, 48)]


def probs(tags: list[str]) -> np.ndarray:
    out = np.full((len(tags), len(TAGS)), 0.01, np.float32)
    for i, tag in enumerate(tags):
        out[i, TAGS.index(tag)] = 0.9
    return out


def decode(tags: list[str]):
    offsets = np.asarray(WORDS, dtype=np.int64)
    return segments(TEXT, probs(tags), offsets)


def test_runs_become_segments_in_characters():
    found = decode(
        ["B-source", "B-cue", "B-content", "I-content", "I-content", "I-content", "O", "O", "O"]
    )
    assert [(s.role, TEXT[s.start : s.end]) for s in found] == [
        ("source", "Officials"),
        ("cue", "said"),
        ("content", "the port would reopen"),
    ]
    assert [round(s.score, 4) for s in found] == [0.9, 0.9, 0.9]


def test_a_b_tag_or_a_line_break_opens_a_new_run():
    found = decode(
        [
            "O",
            "O",
            "B-content",
            "I-content",
            "B-content",
            "I-content",
            "I-content",
            "I-content",
            "O",
        ]
    )
    assert [TEXT[s.start : s.end] for s in found] == ["the port", "would reopen", "It did"]


def test_contents_and_sources_link_to_the_nearest_cue_of_their_line():
    found = decode(
        [
            "B-source",
            "B-cue",
            "B-content",
            "I-content",
            "I-content",
            "I-content",
            "B-content",
            "I-content",
            "O",
        ]
    )
    (linked,) = link(TEXT, found)
    assert TEXT[linked.cue.start : linked.cue.end] == "said"
    assert linked.source is not None
    assert TEXT[linked.source.start : linked.source.end] == "Officials"
    assert TEXT[slice(*linked.content)] == "the port would reopen"


def test_a_content_without_a_cue_on_its_line_is_no_attribution():
    found = decode(["O", "B-cue", *["O"] * 4, "B-content", "I-content", "O"])
    assert link(TEXT, found) == []


def test_a_cue_without_content_is_no_attribution():
    assert link(TEXT, decode(["B-source", "B-cue", *["O"] * 7])) == []
