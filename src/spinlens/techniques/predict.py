"""From token vectors to technique spans, and techniques for given spans."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

import numpy as np
from spacy.lang.en.stop_words import STOP_WORDS

from spinlens.encoder import Encoding
from spinlens.evaluation.ptc import Label
from spinlens.model import Span, Technique
from spinlens.techniques import NAMES
from spinlens.techniques.heads import TechniqueHeads

WORD = re.compile(r"[\w'’]+")


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
    """Whether a passage holds a word that is not a function word (spaCy's English
    stop words); a word in capitals counts ("NO", "ALL" are emphasis). Of PTC's 4,866
    training spans, 55 hold function words only, mostly such capitals."""
    return any(
        word.lower() not in STOP_WORDS or (len(word) > 1 and word.isupper())
        for word in WORD.findall(passage)
    )


def split_at(
    spans: list[tuple[int, int, float]], sentences: Sequence[Span]
) -> list[tuple[int, int, float]]:
    """Cut each span where a sentence ends; pieces shorter than 2 characters go."""
    if not sentences:
        return spans
    out = []
    for start, end, score in spans:
        for sentence in sentences:
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
