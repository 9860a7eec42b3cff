"""The article vector stories are linked by: the mean of the shared encoder's token
vectors over the headline and lead, from the pass the pipeline already makes.

It travels in the article's JSON result (`story_vector`, base64 of float16), so that
worker processes, Ray, `spinlens store` imports and store migrations all keep it."""

from __future__ import annotations

import base64
from collections.abc import Sequence

import numpy as np

from spinlens.model import Article

FIELD = "story_vector"
"""The JSON result's field holding the vector."""
LEAD_CHARS = 1200
"""Characters from the start of the text whose tokens are pooled (headline and lead:
B-cubed best on the PolNeAR story set, docs/benchmarks.md)."""
DTYPE = np.dtype("<f2")


def lead_vector(vectors: np.ndarray, offsets: np.ndarray) -> np.ndarray | None:
    """The L2-normalised mean of the token vectors starting before LEAD_CHARS, as
    float16; None when there is no such token."""
    lead = vectors[offsets[:, 0] < LEAD_CHARS] if len(offsets) else vectors[:0]
    if not len(lead):
        return None
    mean = lead.astype(np.float64).mean(axis=0)
    norm = np.linalg.norm(mean)
    return (mean / norm).astype(DTYPE) if norm else None


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
    """Pools each encoded article's lead into its story vector (`article.extra`)."""

    name = "story-vector"
    version = f"lead{LEAD_CHARS}"
    requires = ("encoding",)
    assigns = (FIELD,)

    def __call__(self, articles: Sequence[Article]) -> None:
        for article in articles:
            if article.encoding is None:
                continue
            vector = lead_vector(article.encoding.vectors, article.encoding.offsets)
            if vector is not None:
                article.extra[FIELD] = encode(vector)
