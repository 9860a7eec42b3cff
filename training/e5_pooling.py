"""Vectors of parts of an article from its encoding (numpy only): the mean of the
token vectors over each part's characters."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from spinlens.encoder import Encoding


def line_spans(text: str) -> list[tuple[int, int]]:
    """Character range [start, end) of each line of `text` (as `text.split("\\n")`)."""
    spans, start = [], 0
    for line in text.split("\n"):
        spans.append((start, start + len(line)))
        start += len(line) + 1
    return spans


def span_means(encoding: Encoding, spans: Sequence[tuple[int, int]]) -> np.ndarray:
    """For each character span, the mean vector of the tokens overlapping it (zeros
    where no token does: an empty or blank line)."""
    out = np.zeros((len(spans), encoding.vectors.shape[1]), np.float32)
    for row, (start, end) in enumerate(spans):
        first, last = encoding.token_range(start, end)
        if last > first:
            out[row] = encoding.vectors[first:last].mean(0)
    return out
