"""Span features used beside the encoder vectors (the same in training and at run time)."""

from __future__ import annotations

import math

from spinlens.sides import View

QUOTES = "\"'“”‘’«»„"
N_FEATURES = 4


def span_features(view: View, start: int, end: int, n_tokens: int) -> list[float]:
    """Repetition in the article, length, quotation, and whether the span is in the
    headline (the first line), of the span [start, end) of the text `view` was made
    from. All are read in the side-neutral view, and none depends on text far from
    the span but the repetition count."""
    start, end = view.view_span(start, end)
    text = view.text
    piece = view.lowered[start:end].strip()
    repeats = view.lowered.count(piece) - 1 if len(piece) >= 3 else 0
    before = text[max(start - 1, 0) : start]
    quoted = 1.0 if (before and before in QUOTES) or text[start:end][:1] in QUOTES else 0.0
    first_line = text.find("\n")
    return [
        math.log1p(max(repeats, 0)),
        math.log1p(n_tokens) / 4,
        quoted,
        1.0 if 0 <= start < first_line else 0.0,
    ]
