"""Outlet profiles: for one source and the filter bar's period (and other filters),
technique density per 1,000 words with a 95 % bootstrap interval against the rest
of the corpus, the share of reported speech, top speakers and entities, and claims
per article."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np

from spinlens.model import UNRESOLVED
from spinlens.web.aggregates import spans_by, top_names
from spinlens.web.cube import Cube

RESAMPLES = 1000
SEED = 21
"""The bootstrap's resamples and seed: the same store gives the same intervals."""
BLOCKS = 1000
"""Most resampling units: a larger set's articles are grouped into this many
blocks (by position in id order), and the blocks are resampled."""


@lru_cache(maxsize=4)
def resampling_weights(n: int) -> np.ndarray:
    """How often each of `n` units is drawn in each of the seeded resamples: a
    (RESAMPLES, n) matrix, the same for every set of `n` units (read-only)."""
    rng = np.random.default_rng(SEED)
    drawn = rng.integers(0, n, (RESAMPLES, n)) + n * np.arange(RESAMPLES)[:, None]
    counts = np.bincount(drawn.ravel(), minlength=RESAMPLES * n).reshape(RESAMPLES, n)
    weights = counts.astype(np.float64)
    weights.setflags(write=False)
    return weights


def interval(units: np.ndarray, words: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """95 % percentile bootstrap intervals of spans per 1,000 words, one per column
    of `units` (spans per unit and technique), resampling the units."""
    weights = resampling_weights(len(words))
    rates = 1000 * (weights @ units) / np.maximum(weights @ words, 1)[:, None]
    low, high = np.percentile(rates, [2.5, 97.5], axis=0)
    return low, high


def side(cube: Cube, chosen: np.ndarray) -> dict[str, Any]:
    """Articles, words, each technique's spans per 1,000 words with its interval,
    share of reported speech and claims per article of the chosen articles."""
    articles, words = int(chosen.sum()), int(cube.words[chosen].sum())
    chars = int(cube.chars[chosen].sum())
    out: dict[str, Any] = {
        "articles": articles,
        "words": words,
        "techniques": {},
        "reported_speech": round(int(cube.quote_chars[chosen].sum()) / chars, 4) if chars else 0.0,
        "claims_per_article": round(int(cube.claims[chosen].sum()) / articles, 3)
        if articles
        else 0.0,
    }
    if not articles:
        return out
    if articles <= BLOCKS:
        units = np.full(len(cube), -1, dtype=np.int64)
        units[chosen] = np.arange(articles)
        size = articles
    else:
        units, size = np.where(chosen, np.arange(len(cube)) % BLOCKS, -1), BLOCKS
    spans = spans_by(cube, chosen, units, size)
    unit_words = np.bincount(units[chosen], weights=cube.words[chosen], minlength=size)
    low, high = interval(spans, unit_words)
    totals = spans.sum(axis=0)
    names = cube.facets["technique"].values.values
    for t in np.nonzero(totals)[0]:
        out["techniques"][names[t]] = {
            "per_1000_words": round(1000 * float(totals[t]) / max(words, 1), 3),
            "low": round(float(low[t]), 3),
            "high": round(float(high[t]), 3),
        }
    return out


def outlet_profile(cube: Cube, chosen: np.ndarray, source: str) -> dict[str, Any] | None:
    """The profile of `source` among the `chosen` articles against the other chosen
    articles, or None when none of the outlet's articles is chosen."""
    mine = chosen & (cube.source == cube.sources.find(source))
    if not mine.any():
        return None
    return {
        "source": cube.sources.values[cube.sources.find(source)],
        "outlet": side(cube, mine),
        "rest": side(cube, chosen & ~mine),
        "top_speakers": top_names(cube, mine, "speaker", UNRESOLVED, keep=False),
        "top_entities": top_names(cube, mine, "entity"),
        "interval": {"method": "percentile bootstrap over articles", "level": 0.95}
        | {"resamples": RESAMPLES, "seed": SEED, "blocks_above": BLOCKS},
    }
