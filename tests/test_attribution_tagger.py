"""The attribution tagger's decoding: BIO runs into segments, segments into attributions."""

from __future__ import annotations

import numpy as np

from spinlens.attribution.tagger import TAGS, constrained, link, segments

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


def tag_names(tags: np.ndarray) -> list[str]:
    return [TAGS[t] for t in tags.tolist()]


def mixed(rows: list[dict[str, float]]) -> np.ndarray:
    """Probabilities with the given tags' mass per token, the rest spread evenly."""
    out = np.zeros((len(rows), len(TAGS)), np.float32)
    for i, row in enumerate(rows):
        out[i] = (1 - sum(row.values())) / (len(TAGS) - len(row))
        for tag, p in row.items():
            out[i, TAGS.index(tag)] = p
    return out


def test_an_i_tag_after_another_role_is_read_as_the_runs_start():
    probs = mixed(
        [
            {"B-cue": 0.9},
            {"I-content": 0.6, "B-content": 0.3},
            {"I-content": 0.9},
        ]
    )
    assert tag_names(probs.argmax(-1)) == ["B-cue", "I-content", "I-content"]
    assert tag_names(constrained(probs)) == ["B-cue", "B-content", "I-content"]


def test_no_text_opens_with_an_i_tag_and_a_lone_one_is_dropped():
    probs = mixed([{"I-source": 0.6, "B-source": 0.3}, {"O": 0.5, "I-content": 0.45}])
    assert tag_names(constrained(probs)) == ["B-source", "O"]


def test_constrained_tags_always_follow_the_bio_scheme():
    rng = np.random.default_rng(7)
    probs = rng.dirichlet(np.full(len(TAGS), 0.3), size=400).astype(np.float32)
    names = tag_names(constrained(probs))
    assert names != tag_names(probs.argmax(-1))
    for before, tag in zip(["O", *names], names, strict=False):
        if tag.startswith("I-"):
            assert before in (f"B-{tag[2:]}", tag)


def test_repaired_runs_stay_within_the_text():
    probs = mixed([{"I-content": 0.8}] * len(WORDS))
    found = segments(TEXT, probs, np.asarray(WORDS, dtype=np.int64))
    assert [TEXT[s.start : s.end] for s in found] == [
        "Officials said the port would reopen",
        "It did not",
    ]
    assert all(0 <= s.start < s.end <= len(TEXT) for s in found)
    assert constrained(np.zeros((0, len(TAGS)), np.float32)).shape == (0,)
