"""Span features used beside the encoder vectors (the same in training and at run time)."""

from __future__ import annotations

import math

QUOTES = "\"'“”‘’«»„"
N_FEATURES = 4


def span_features(text: str, lowered: str, start: int, end: int, n_tokens: int) -> list[float]:
    """Repetition in the article, length, quotation and position of a span.

    `lowered` is `text.lower()`, passed in so that it is computed once per article
    (only searched: lower-casing may change lengths, so offsets index `text`).
    """
    piece = text[start:end].lower().strip()
    repeats = lowered.count(piece) - 1 if len(piece) >= 3 else 0
    before = text[max(start - 1, 0) : start]
    quoted = 1.0 if (before and before in QUOTES) or text[start:end][:1] in QUOTES else 0.0
    return [
        math.log1p(max(repeats, 0)),
        math.log1p(n_tokens) / 4,
        quoted,
        start / max(len(text), 1),
    ]
