"""From token vectors to technique spans, and techniques for given spans."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

import numpy as np

from spinlens.encoder import Encoding
from spinlens.evaluation.ptc import Label
from spinlens.model import Span, Technique
from spinlens.techniques import NAMES
from spinlens.techniques.heads import TechniqueHeads
from spinlens.textspans import Intervals

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


def predict_spans(
    heads: TechniqueHeads,
    text: str,
    encoding: Encoding,
    sentences: Sequence[Span] = (),
) -> list[Technique]:
    """Detected spans, each with its most likely technique (and the second one
    when that is likely too); score = span probability x technique probability.

    Spans are cut at the given sentence boundaries (PTC spans stay within a
    sentence; the training articles have one sentence a line), and spans of
    function words only ("and", "of the") are dropped."""
    lowered = text.lower()
    out = []
    for start, end, span_score in split_at(heads.find_spans(text, encoding), sentences):
        if not has_content(text[start:end]):
            continue
        probs = heads.classify(text, lowered, encoding, start, end)
        ranked = np.argsort(-probs)
        for rank, index in enumerate(ranked[:2]):
            if rank == 0 or probs[index] >= heads.second_threshold:
                score = round(float(span_score * probs[index]), 4)
                out.append(Technique(start, end, NAMES[index], score))
    return out


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
    texts: Mapping[str, str],
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
    lowered: dict[str, str] = {}
    for (aid, start, end), indices in lines_at.items():
        text = texts[aid]
        low = lowered.setdefault(aid, text.lower())
        ranked = np.argsort(-heads.classify(text, low, encodings[aid], start, end))
        for rank, index in enumerate(indices):
            out[index] = (aid, NAMES[ranked[rank % len(NAMES)]], start, end)
    return [label for label in out if label is not None]
