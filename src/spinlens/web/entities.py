"""An entity's profile for the filter bar's articles, from the corpus cube (a filter
is a mask, as on the dashboard): its articles, quotes and mentions by month and by
outlet, and from its latest articles what `speakers.views.Around` finds."""

from __future__ import annotations

from typing import Any

import numpy as np
from sqlalchemy import select

from spinlens.facets import article_stats as stats
from spinlens.speakers.entity import entity_page, named_in, speaker_page_of
from spinlens.speakers.views import PROFILE_ARTICLES, Around
from spinlens.web.corpus import chosen_articles
from spinlens.web.cube import Cube, month_name
from spinlens.web.filters import Filters
from spinlens.web.state import Workspace


def entity_profile(ws: Workspace, name: str, filters: Filters) -> dict[str, Any] | None:
    """The entity called `name` in the articles the filters choose; None when no
    stored article names it (raises QueryError for a malformed filter)."""
    cube, chosen = chosen_articles(ws, filters)
    rows = cube.facets.get("entity")
    code = rows.values.find(name) if rows is not None else -1
    if rows is None or code < 0:
        return None
    spelled = rows.values.values[code]
    at = rows.value == code
    kept = chosen[rows.article[at]]
    articles, mentions = rows.article[at][kept], rows.n[at][kept]
    quotes = quotes_of(cube, spelled)[articles]
    months = grouped(cube.month[articles], quotes, mentions)
    outlets = grouped(cube.source[articles], quotes, mentions)
    latest = articles[np.lexsort((articles, -cube.day[articles]))][:PROFILE_ARTICLES]
    ids = [cube.ids[p] for p in latest.tolist()]
    with ws.store.engine.connect() as conn:
        query = select(stats.c.article_id, stats.c.title, stats.c.source, stats.c.published)
        found = {r.article_id: r for r in conn.execute(query.where(stats.c.article_id.in_(ids)))}
        around = Around(
            conn, {i: found[i] for i in ids if i in found}, lambda data, _: named_in(data, spelled)
        )
        speaker_page = speaker_page_of(conn, spelled)
    return {
        "entity": spelled,
        "name": spelled,
        "kind": rows.labels[code] or "",
        "articles": len(articles),
        "quotes": int(quotes.sum()),
        "mentions": int(mentions.sum()),
        "page": entity_page(spelled),
        "speaker_page": speaker_page,
        "over_time": [{"month": month_name(m)} | c for m, c in months if m >= 0],
        "undated": sum(c["articles"] for m, c in months if m < 0),
        "outlets": [
            {"source": cube.sources.values[s]} | c
            for s, c in sorted(outlets, key=lambda sc: (-sc[1]["quotes"], -sc[1]["articles"]))
        ],
    } | around.shown()


def quotes_of(cube: Cube, name: str) -> np.ndarray:
    """Per article, the quotes credited to a speaker written `name`."""
    out = np.zeros(len(cube), dtype=np.int64)
    said = cube.facets.get("speaker")
    if said is not None and (code := said.values.find(name)) >= 0:
        at = said.value == code
        out[said.article[at]] = said.n[at]
    return out


def grouped(
    keys: np.ndarray, quotes: np.ndarray, mentions: np.ndarray
) -> list[tuple[int, dict[str, int]]]:
    """Articles, quotes and mentions per key (ascending)."""
    values, where = np.unique(keys, return_inverse=True)
    size = len(values)
    counts = np.bincount(where, minlength=size)
    said = np.bincount(where, weights=quotes, minlength=size)
    named = np.bincount(where, weights=mentions, minlength=size)
    return [
        (int(v), {"articles": int(a), "quotes": int(q), "mentions": int(n)})
        for v, a, q, n in zip(values, counts, said, named, strict=True)
    ]
