"""From token vectors to technique spans, and techniques for given spans."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from spinlens.encoder import Encoding
from spinlens.evaluation.ptc import Label
from spinlens.model import Span, Technique
from spinlens.sides import ends_with_side_adjective, without_sides
from spinlens.techniques import NAMES
from spinlens.techniques.heads import TechniqueHeads
from spinlens.textspans import Intervals, word_bounds

FUNCTION_WORDS = frozenset(
    """a an the and or but nor so yet of in on at to from by with about as into onto over
    under than through between among against during without within upon after before
    since until via per off out up down is are was were be been being am has have had
    do does did will would shall should can could may might must it its this that these
    those which who whom whose he she they them his her hers their theirs him i me my
    mine you your yours if because while although though whether there then also just
    s t re ll ve d m""".split()  # noqa: SIM905 - a word list reads best as text
)
"""Articles, prepositions, conjunctions, auxiliaries and pronouns, with the pieces of
contractions ("it's" → it, s). Not intensifiers, negations, quantifiers, question words
or "we/our/us" ("never", "very", "no one", "what if", "our"), which PTC marks as
Exaggeration, Loaded Language, Doubt or Flag-Waving."""


JOINERS = "-'’‐‑"
"""Characters inside a word between letters ("anti-Semitism", "don't"): a mark never
cuts such a word."""
DANGLING_START = frozenset(
    """and or but nor yet so then also of in on at to for from by with into about as
    that which who""".split()  # noqa: SIM905 - a word list reads best as text
)
"""Conjunctions, prepositions and relative pronouns a mark does not start on ("of
losses" is "losses"; on the PTC dev fold SI and FLC do not change)."""
DANGLING_END = frozenset(
    """a an the and or but nor yet so of in on at to from by with about as into onto
    than that which who whom whose if because while is are was were be been being am
    has have had will would shall should can could may might must do does did its
    their his her my your our""".split()  # noqa: SIM905 - a word list reads best as text
)
"""Words a mark does not end on: what they lead to lies outside it."""
INTENSIFIERS = frozenset(
    """completely totally utterly absolutely entirely extremely incredibly very really
    truly deeply highly fully so too most""".split()  # noqa: SIM905
)
"""Adverbs that qualify the next word: a mark ending on one (or on a side's adjective,
"American") takes that word in."""
WORD = re.compile(r"\w+(?:[-'’‐‑]\w+)*")


def clean_edges(text: str, start: int, end: int) -> tuple[int, int]:
    """A mark on whole words, not starting on a conjunction nor ending on a word that
    leads elsewhere; ending on an intensifier, it takes in the word it qualifies.
    (start, start) when nothing is left."""
    start, end = word_bounds(text, start, end, JOINERS)
    words = [m.span() for m in WORD.finditer(text, start, end)]
    kept = list(words)
    while kept and text[slice(*kept[0])].lower() in DANGLING_START:
        kept.pop(0)
    while kept and text[slice(*kept[-1])].lower() in DANGLING_END:
        kept.pop()
    if not kept:
        return start, start
    if kept[0] != words[0]:
        start = kept[0][0]
    if kept[-1] != words[-1]:
        end = kept[-1][1]
    qualifier = text[slice(*kept[-1])].lower() in INTENSIFIERS
    if end == kept[-1][1] and (qualifier or ends_with_side_adjective(text, end)):
        following = WORD.match(text, end + 1) if text[end : end + 1] == " " else None
        end = following.end() if following else end
    return start, end


@dataclass(frozen=True)
class RawMark:
    """A detected span with one technique, before calibration."""

    start: int
    end: int
    technique: int
    """Index into `NAMES`."""
    span_probability: float
    """Mean token probability of the run the span was cut from."""
    technique_probability: float


def raw_marks(
    heads: TechniqueHeads, text: str, encoding: Encoding, sentences: Sequence[Span] = ()
) -> list[RawMark]:
    """Detected spans, each with its most likely technique (and the second one
    when that is likely too).

    Spans are cut at the given sentence boundaries (PTC spans stay within a
    sentence; the training articles have one sentence a line), put on clean word
    edges, and spans of function words and side names only ("and", "of the",
    "Americans") are dropped."""
    out = []
    for found_start, found_end, span_score in split_at(heads.find_spans(text, encoding), sentences):
        start, end = clean_edges(text, found_start, found_end)
        if not has_content(without_sides(text[start:end])):
            continue  # function words or the bare name of a side ("the Americans")
        probs = heads.classify(encoding, start, end)
        ranked = np.argsort(-probs)
        for rank, index in enumerate(ranked[:2]):
            if rank == 0 or probs[index] >= heads.second_threshold:
                out.append(RawMark(start, end, int(index), span_score, float(probs[index])))
    return out


def predict_spans(
    heads: TechniqueHeads,
    text: str,
    encoding: Encoding,
    sentences: Sequence[Span] = (),
) -> list[Technique]:
    """The technique marks of a text (see `raw_marks`), with calibrated scores."""
    return [
        Technique(
            m.start,
            m.end,
            NAMES[m.technique],
            round(heads.calibrated(m.technique, m.span_probability, m.technique_probability), 4),
        )
        for m in raw_marks(heads, text, encoding, sentences)
    ]


def has_content(passage: str) -> bool:
    """Whether a passage holds a word that is not a function word; a word in capitals
    counts ("IT IS" is emphasis)."""
    return any(
        word.lower() not in FUNCTION_WORDS or (len(word) > 1 and word.isupper())
        for word in re.findall(r"\w+", passage)
    )


def split_at(
    spans: list[tuple[int, int, float]], sentences: Sequence[Span]
) -> list[tuple[int, int, float]]:
    """Cut each span where a sentence ends; pieces shorter than 2 characters go."""
    if not sentences:
        return spans
    by_start = Intervals((s.start, s.end, s) for s in sentences)
    out = []
    for start, end, score in spans:
        for _, _, sentence in by_start.overlapping(start, end):
            lo, hi = max(start, sentence.start), min(end, sentence.end)
            if hi - lo >= 2:
                out.append((lo, hi, score))
    return out


def predict_techniques_for(
    heads: TechniqueHeads,
    encodings: Mapping[str, Encoding],
    spans: Iterable[Label],
) -> list[Label]:
    """The technique of every given span line (the technique column is ignored).

    A span listed n times gets its n most likely techniques, one per line, as
    PTC lists a span once per technique.
    """
    lines_at: dict[tuple[str, int, int], list[int]] = defaultdict(list)
    spans = list(spans)
    for index, (aid, _tech, start, end) in enumerate(spans):
        lines_at[(aid, start, end)].append(index)
    out: list[Label | None] = [None] * len(spans)
    for (aid, start, end), indices in lines_at.items():
        ranked = np.argsort(-heads.classify(encodings[aid], start, end))
        for rank, index in enumerate(indices):
            out[index] = (aid, NAMES[ranked[rank % len(NAMES)]], start, end)
    return [label for label in out if label is not None]
