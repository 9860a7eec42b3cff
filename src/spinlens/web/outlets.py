"""Outlet profiles: for one source and the filter bar's period (and other filters),
technique density per 1,000 words with a 95 % bootstrap interval against the rest
of the corpus, the share of reported speech, top speakers and entities, and claims
per article."""

from __future__ import annotations

from typing import Any

import numpy as np
from sqlalchemy import Connection, func, or_, select

from spinlens.claims.index import claim_index
from spinlens.facets import article_facets as facets
from spinlens.facets import article_stats as stats
from spinlens.model import UNRESOLVED
from spinlens.store import Store
from spinlens.web.aggregates import top_names
from spinlens.web.filters import Filters, conditions_of

RESAMPLES = 1000
SEED = 21
"""The bootstrap's resamples and seed: the same store gives the same intervals."""
BLOCKS = 1000
"""Most resampling units: a larger set's articles are grouped into this many
blocks at random (by rowid), and the blocks are resampled."""


def interval(units: np.ndarray, words: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """95 % percentile bootstrap intervals of spans per 1,000 words, one per column
    of `units` (spans per unit and technique), resampling the units."""
    rng = np.random.default_rng(SEED)
    n = len(words)
    weights = rng.multinomial(n, np.full(n, 1 / n), size=RESAMPLES)
    rates = 1000 * (weights @ units) / np.maximum(weights @ words, 1)[:, None]
    low, high = np.percentile(rates, [2.5, 97.5], axis=0)
    return low, high


def densities(conn: Connection, where: list[Any]) -> dict[str, Any]:
    """Articles, words and each technique's spans per 1,000 words (with its interval)
    for the articles matching `where`."""
    articles, words = conn.execute(
        select(func.count(), func.coalesce(func.sum(stats.c.words), 0)).where(*where)
    ).one()
    unit = (stats.c.article_id if articles <= BLOCKS else stats.c.doc % BLOCKS).label("unit")
    per_unit = conn.execute(
        select(unit, func.sum(stats.c.words)).where(*where).group_by(unit)
    ).all()
    by_unit = {r[0]: i for i, r in enumerate(per_unit)}
    unit_words = np.array([r[1] or 0 for r in per_unit], dtype=float)
    spans = conn.execute(
        select(unit, facets.c.value, func.sum(facets.c.n))
        .join(facets, facets.c.article_id == stats.c.article_id)
        .where(facets.c.kind == "technique", *where)
        .group_by(unit, facets.c.value)
    ).all()
    techniques = sorted({r[1] for r in spans})
    matrix = np.zeros((len(by_unit), len(techniques)))
    for r in spans:
        matrix[by_unit[r[0]], techniques.index(r[1])] = r[2]
    out: dict[str, Any] = {"articles": int(articles), "words": int(words), "techniques": {}}
    if not techniques or not articles:
        return out
    low, high = interval(matrix, unit_words)
    totals = matrix.sum(axis=0)
    for i, name in enumerate(techniques):
        out["techniques"][name] = {
            "per_1000_words": round(1000 * totals[i] / max(words, 1), 3),
            "low": round(float(low[i]), 3),
            "high": round(float(high[i]), 3),
        }
    return out


def speech_and_claims(conn: Connection, where: list[Any]) -> dict[str, float]:
    """Share of the text inside quotes and claims per article."""
    articles, quoted, chars = conn.execute(
        select(func.count(), func.sum(stats.c.quote_chars), func.sum(stats.c.chars)).where(*where)
    ).one()
    chosen = select(stats.c.article_id).where(*where)
    claims = conn.execute(select(func.count()).where(claim_index.c.article_id.in_(chosen))).scalar()
    return {
        "reported_speech": round((quoted or 0) / chars, 4) if chars else 0.0,
        "claims_per_article": round((claims or 0) / articles, 3) if articles else 0.0,
    }


def outlet_profile(store: Store, source: str, filters: Filters) -> dict[str, Any] | None:
    """The outlet's profile for the other filters (its own `source` replaced), or
    None when no article of the outlet matches them."""
    filters = filters.checked().but(source=source)
    mine = conditions_of(store, filters)
    others = conditions_of(store, filters.but(source=""))
    others.append(or_(stats.c.source != source, stats.c.source.is_(None)))
    with store.engine.connect() as conn:
        outlet = densities(conn, mine)
        if not outlet["articles"]:
            return None
        rest = densities(conn, others)
        return {
            "source": source,
            "filters": filters.but(source="").active(),
            "outlet": outlet | speech_and_claims(conn, mine),
            "rest": rest | speech_and_claims(conn, others),
            "top_speakers": top_names(conn, mine, "speaker", UNRESOLVED, keep=False),
            "top_entities": top_names(conn, mine, "entity"),
            "interval": {"method": "percentile bootstrap over articles", "level": 0.95}
            | {"resamples": RESAMPLES, "seed": SEED, "blocks_above": BLOCKS},
        }
