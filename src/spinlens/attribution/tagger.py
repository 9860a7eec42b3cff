"""The trained attribution tagger: source/cue/content BIO tags over the shared
encoder's token vectors, and the linking of tagged segments into attributions.

The head is a small BiLSTM exported to ONNX (`models/attribution/head.onnx`); it
reads `article.encoding`, so it costs no second encoder pass. Linking is by
distance: every content or source segment goes to the nearest cue in its
paragraph (at most MAX_GAP tokens away). See docs/decisions.md, "Attribution".
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np

from spinlens.encoder import Encoding, cpu_session, owner_bounds, windows
from spinlens.textspans import Intervals, word_bounds
from spinlens.weights import weights_digest

ROLES = ("source", "cue", "content")
TAGS = ("O", *(f"{prefix}-{role}" for role in ROLES for prefix in "BI"))
MAX_GAP = 60
"""Tokens between a segment and the cue it is linked to, at most."""
MIN_SCORE = 0.55
"""Linked attributions with a lower mean tag probability are dropped. Chosen on a
held-out fold of PolNeAR train: from none to 0.55, with-source F1 0.598 → 0.617 and
attribution F1 unchanged (0.735), content soft F1 0.787 → 0.776."""
TAG_WINDOW = 16_384
"""Most tokens tagged in one run of the head (about 70 KB of text). A longer article
is tagged in windows of this many tokens overlapping by 2 × TAG_CONTEXT, each token
taken from the window where it is most central (issue #16: the BiLSTM's memory grows
with the sequence, to over 2 GB for 1 MB of text). Shorter ones are tagged whole."""
TAG_CONTEXT = 512
DECODING_VERSION = "bio-viterbi-1"
"""Part of the quotes component's version: bump when reading tags from the head's
probabilities changes (the head's own version is a digest of its weights)."""
TagChooser = Callable[[np.ndarray], np.ndarray]
"""Picks a tag index per token from the tags' probabilities (tokens × tags)."""
MODEL_DIR = Path(__file__).resolve().parent.parent / "models" / "attribution"


@dataclass(frozen=True)
class Segment:
    """A run of tokens tagged with one role: token indices [first, last), characters
    [start, end), and the mean probability of its tags."""

    role: str
    first: int
    last: int
    start: int
    end: int
    score: float


@dataclass
class Linked:
    """One attribution as tagged: a cue, its content pieces in text order, and its
    nearest source segment."""

    cue: Segment
    contents: list[Segment] = field(default_factory=list)
    source: Segment | None = None

    @property
    def content(self) -> tuple[int, int]:
        """The content as one range, from the first piece to the last."""
        return self.contents[0].start, self.contents[-1].end

    @property
    def score(self) -> float:
        parts = [*self.contents, self.cue, *([self.source] if self.source else [])]
        return sum(s.score for s in parts) / len(parts)


def bio_transitions() -> np.ndarray:
    """Transition scores between tags (from row to column): 0 where the BIO scheme
    allows the pair, -inf where an I tag follows anything but its own role's B or I."""
    scores = np.zeros((len(TAGS), len(TAGS)), np.float32)
    for k, tag in enumerate(TAGS):
        if tag.startswith("I-"):
            role = tag[2:]
            scores[[j for j, t in enumerate(TAGS) if t[2:] != role], k] = -np.inf
    return scores


TRANSITIONS = bio_transitions()
STARTS = np.where([t.startswith("I-") for t in TAGS], -np.inf, 0).astype(np.float32)
"""Score of each tag on the first token: no I tag opens a text."""


def constrained(probs: np.ndarray) -> np.ndarray:
    """The most probable tag sequence the BIO scheme allows (Viterbi over the tags'
    log-probabilities): an I tag after O or another role, which the argmax can give, is
    read as the whole run's likelier reading."""
    if len(probs) == 0:
        return np.zeros(0, np.int64)
    logp = np.log(np.maximum(probs, 1e-9)).astype(np.float32)
    back = np.zeros(probs.shape, np.int64)
    best = logp[0] + STARTS
    for t in range(1, len(probs)):
        paths = best[:, None] + TRANSITIONS
        back[t] = paths.argmax(0)
        best = paths[back[t], np.arange(len(TAGS))] + logp[t]
    tags = np.zeros(len(probs), np.int64)
    tags[-1] = int(best.argmax())
    for t in range(len(probs) - 1, 0, -1):
        tags[t - 1] = back[t, tags[t]]
    return tags


def segments(
    text: str, probs: np.ndarray, offsets: np.ndarray, choose: TagChooser = constrained
) -> list[Segment]:
    """Runs of tokens with the same role within a line, widened to whole words; an I
    tag continues a run, a B tag (or an I tag after another role) opens one. `choose`
    picks each token's tag from the probabilities."""
    best = choose(probs)
    runs: list[list[int]] = []
    for i, tag in enumerate(best.tolist()):
        if tag == 0:
            continue
        role = (tag - 1) // 2
        opens = (tag - 1) % 2 == 0 or "\n" in text[offsets[i - 1][1] : offsets[i][0]]
        if runs and not opens and runs[-1][0] == role and runs[-1][2] == i:
            runs[-1][2] = i + 1
        else:
            runs.append([role, i, i + 1])
    return [
        Segment(
            ROLES[role],
            first,
            last,
            *word_bounds(text, int(offsets[first][0]), int(offsets[last - 1][1])),
            float(probs[np.arange(first, last), best[first:last]].mean()),
        )
        for role, first, last in runs
    ]


def link(text: str, found: list[Segment], max_gap: int = MAX_GAP) -> list[Linked]:
    """Attributions from tagged segments: contents and sources go to the nearest cue
    of their paragraph; a cue keeps its nearest source. Cues without content and
    contents without a cue are dropped (keeping the latter lost 0.02-0.03
    with-source F1 on a held-out train fold and on PolNeAR dev)."""
    cues = [s for s in found if s.role == "cue"]
    groups = [Linked(cue) for cue in cues]
    breaks = [i for i, char in enumerate(text) if char == "\n"]
    paragraph = {s: bisect_right(breaks, s.start) for s in found}
    by_token = Intervals((cue.first, cue.last, k) for k, cue in enumerate(cues))
    for seg in found:
        if seg.role == "cue":
            continue
        around = by_token.overlapping(seg.first - max_gap - 1, seg.last + max_gap + 1)
        near = [
            (gap(seg, cues[k]), k)
            for _, _, k in around
            if paragraph[cues[k]] == paragraph[seg] and gap(seg, cues[k]) <= max_gap
        ]
        if seg.role == "content" and near:
            groups[min(near)[1]].contents.append(seg)
        elif near:
            group = groups[min(near)[1]]
            if group.source is None or gap(seg, group.cue) < gap(group.source, group.cue):
                group.source = seg
    return [g for g in groups if g.contents]


def gap(a: Segment, b: Segment) -> int:
    """Tokens between two segments (0 when they touch or overlap)."""
    return max(a.first - b.last, b.first - a.last, 0)


class SequenceTagger:
    """The ONNX head: token vectors (tokens × dim) → tag probabilities (tokens × 7)."""

    def __init__(self, path: Path, threads: int = 0):
        self.version = f"tagger-{weights_digest(path, 'attribution model')}"
        self.session = cpu_session(path, threads)

    def __call__(self, encoding: Encoding) -> np.ndarray:
        vectors = np.asarray(encoding.vectors, np.float32)
        if len(vectors) <= TAG_WINDOW:
            return self.probabilities(vectors)
        spans = windows(len(vectors), TAG_WINDOW, TAG_WINDOW - 2 * TAG_CONTEXT)
        probs = np.zeros((len(vectors), len(TAGS)), np.float32)
        for (start, end), (lo, hi) in zip(spans, owner_bounds(spans), strict=True):
            probs[lo:hi] = self.probabilities(vectors[start:end])[lo - start : hi - start]
        return probs

    def probabilities(self, vectors: np.ndarray) -> np.ndarray:
        """Tag probabilities of one run of the head over consecutive token vectors."""
        if len(vectors) == 0:
            return np.zeros((0, len(TAGS)), np.float32)
        logits = np.asarray(self.session.run(None, {"vectors": vectors[None]})[0])[0]
        exp = np.exp(logits - logits.max(-1, keepdims=True))
        return np.asarray(exp / exp.sum(-1, keepdims=True))

    def attributions(self, text: str, encoding: Encoding) -> list[Linked]:
        """The linked attributions of one encoded text, those scoring MIN_SCORE or more."""
        return decode(text, self(encoding), encoding.offsets)


def decode(
    text: str, probs: np.ndarray, offsets: np.ndarray, choose: TagChooser = constrained
) -> list[Linked]:
    """The linked attributions of tag probabilities, those scoring MIN_SCORE or more."""
    linked = link(text, segments(text, probs, offsets, choose))
    return [g for g in linked if g.score >= MIN_SCORE]


@cache
def load_tagger(folder: Path = MODEL_DIR) -> SequenceTagger:
    """The shipped tagger, loaded once per process."""
    return SequenceTagger(folder / "head.onnx", threads=1)
