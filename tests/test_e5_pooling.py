"""Paragraph vectors from token offsets (training/e5_pooling.py)."""

from __future__ import annotations

import numpy as np
from test_e5_training import load

from spinlens.encoder import Encoding
from spinlens.sides import View

e5_pooling = load("e5_pooling")


def test_line_spans_index_each_line() -> None:
    text = "One two.\nThree\n\nfour"
    spans = e5_pooling.line_spans(text)
    assert spans == [(0, 8), (9, 14), (15, 15), (16, 20)]
    assert [text[a:b] for a, b in spans] == text.split("\n")


def test_span_means_pool_the_tokens_of_each_span() -> None:
    text = "ab cd\n\nef"
    offsets = np.array([[0, 2], [3, 5], [7, 9]])
    vectors = np.array([[1.0, 0.0], [3.0, 2.0], [5.0, 5.0]], np.float32)
    encoding = Encoding(vectors, offsets, View(text))
    pooled = e5_pooling.span_means(encoding, e5_pooling.line_spans(text))
    assert pooled.tolist() == [[2.0, 1.0], [0.0, 0.0], [5.0, 5.0]]


def test_span_means_take_tokens_that_overlap_a_span() -> None:
    encoding = Encoding(np.array([[2.0], [4.0]], np.float32), np.array([[0, 4], [4, 8]]), View("x"))
    assert e5_pooling.span_means(encoding, [(3, 5), (6, 7)]).tolist() == [[3.0], [4.0]]
