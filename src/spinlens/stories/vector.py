"""The article vector stories are linked by: the mean of the shared encoder's token
vectors over the headline and lead, from the pass the pipeline already makes, less
the mean of such vectors over news articles (`models/stories/center.npy`: the
encoder's vectors of any two articles are alike until it is taken away), of unit
length.

It travels in the article's JSON result (`story_vector`, base64 of float16), so that
worker processes, Ray and store migrations all keep it."""

from __future__ import annotations

import base64
from collections.abc import Sequence
from functools import cache
from pathlib import Path

import numpy as np

from spinlens.model import Article
from spinlens.weights import weights_digest

FIELD = "story_vector"
"""The JSON result's field holding the vector."""
LEAD_CHARS = 1200
"""Characters from the start of the text whose tokens are pooled (headline and lead:
B-cubed best on the PolNeAR story set, docs/benchmarks.md)."""
DTYPE = np.dtype("<f2")
CENTER = Path(__file__).resolve().parent.parent / "models" / "stories" / "center.npy"
"""The mean lead vector of 839 PolNeAR articles (training/story_center.py)."""


@cache
def center() -> np.ndarray:
    return np.load(CENTER).astype(np.float64)


def lead_mean(vectors: np.ndarray, offsets: np.ndarray) -> np.ndarray | None:
    """The mean of the token vectors starting before LEAD_CHARS (None: no such token)."""
    lead = vectors[offsets[:, 0] < LEAD_CHARS] if len(offsets) else vectors[:0]
    return lead.astype(np.float64).mean(axis=0) if len(lead) else None


def lead_vector(vectors: np.ndarray, offsets: np.ndarray, mean: np.ndarray) -> np.ndarray | None:
    """The lead mean less `mean`, of unit length, as float16 (None: no lead)."""
    lead = lead_mean(vectors, offsets)
    if lead is None:
        return None
    pooled = lead - mean
    norm = np.linalg.norm(pooled)
    return (pooled / norm).astype(DTYPE) if norm else None


def encode(vector: np.ndarray) -> str:
    return base64.b64encode(vector.astype(DTYPE).tobytes()).decode("ascii")


def decode(value: object) -> np.ndarray | None:
    """The vector of a JSON result's field; None when absent or malformed."""
    if not isinstance(value, str):
        return None
    try:
        raw = base64.b64decode(value, validate=True)
    except ValueError:
        return None
    if not raw or len(raw) % DTYPE.itemsize:
        return None
    return np.frombuffer(raw, DTYPE)


class StoryVectors:
    """Pools each encoded article's lead into its story vector (`article.story_vector`)."""

    name = "story-vector"
    requires = ("encoding",)
    assigns = (FIELD,)

    def __init__(self) -> None:
        self.mean = center()
        self.version = f"lead{LEAD_CHARS}-{weights_digest(CENTER, 'story vector centre')}"

    def __call__(self, articles: Sequence[Article]) -> None:
        for article in articles:
            if article.encoding is None:
                continue
            encoding = article.encoding
            vector = lead_vector(encoding.vectors, encoding.offsets, self.mean)
            if vector is not None:
                article.story_vector = encode(vector)
