"""A merged speaker's or a named entity's profile for the filter bar's articles,
from the corpus cube (a filter is a mask, as on the dashboard): their articles,
quotes and mentions by month and by outlet, and from their latest articles what
`speakers.views.Around` finds."""

from __future__ import annotations

from typing import Any

import numpy as np
from sqlalchemy import select

from spinlens.facets import article_stats as stats
from spinlens.speakers.entity import entity_page, named_in, speaker_page_of
from spinlens.speakers.tables import speaker_alias, speaker_names, speaker_totals
from spinlens.speakers.views import PROFILE_ARTICLES, Around, Who, WhoIn, names_of, page_of
from spinlens.web.corpus import chosen_articles
from spinlens.web.cube import Cube, month_name
from spinlens.web.filters import Filters
from spinlens.web.state import Workspace


def speaker_profile(ws: Workspace, speaker: str, filters: Filters) -> dict[str, Any] | None:
    """The merged speaker keyed `speaker` in the articles the filters choose (its
    names from the whole corpus); None when there is no such speaker (raises
    QueryError for a malformed filter)."""
    cube, chosen = chosen_articles(ws, filters)
    t, n, a = speaker_totals.c, speaker_names.c, speaker_alias.c
    with ws.store.engine.connect() as conn:
        found = conn.execute(select(t.name, t.kind).where(t.speaker == speaker)).first()
        if found is None:
            return None
        keys = list(conn.execute(select(a.key).where(a.speaker == speaker)).scalars())
        names = names_of(conn, [speaker]).get(speaker, [])
        rows = cube.names
        at = np.isin(rows.key, [rows.keys.find(k) for k in keys])
        at[at] = chosen[rows.article[at]]
        articles, where = np.unique(rows.article[at], return_inverse=True)
        quotes, mentions = (
            np.bincount(where, counts[at], len(articles)).astype(np.int64)
            for counts in (rows.quotes, rows.mentions)
        )
        ids = latest(cube, articles)
        query = select(n.article_id, n.key, n.entity_id).where(
            n.article_id.in_(ids), n.key.in_(keys)
        )
        entity_ids: dict[str, set[str]] = {i: set() for i in ids}
        written: dict[str, set[str]] = {i: set() for i in ids}
        for row in conn.execute(query):
            written[row.article_id].add(row.key)
            if row.entity_id:
                entity_ids[row.article_id].add(row.entity_id)

    def them(data: dict[str, Any], row: Any) -> Who:
        """Its keys and entity ids in one of its latest articles."""
        return Who(frozenset(entity_ids[row.article_id]), frozenset(written[row.article_id]))

    head = {"speaker": speaker, "name": found.name, "kind": found.kind, "page": page_of(speaker)}
    return head | {"names": names} | presence(ws, cube, articles, quotes, mentions, them, ids)


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
    with ws.store.engine.connect() as conn:
        speaker_page = speaker_page_of(conn, spelled)
    head = {"entity": spelled, "name": spelled, "kind": rows.labels[code] or ""}
    return (
        head
        | {"page": entity_page(spelled), "speaker_page": speaker_page}
        | presence(
            ws,
            cube,
            articles,
            quotes,
            mentions,
            lambda data, _: named_in(data, spelled),
            latest(cube, articles),
        )
    )


def presence(
    ws: Workspace,
    cube: Cube,
    articles: np.ndarray,
    quotes: np.ndarray,
    mentions: np.ndarray,
    who: WhoIn,
    ids: list[str],
) -> dict[str, Any]:
    """Someone's counts over `articles` (cube positions, each once, with their
    quotes and mentions there), by month and by outlet, and what `Around` finds in
    `ids`, the latest of them."""
    months = grouped(cube.month[articles], quotes, mentions)
    outlets = grouped(cube.source[articles], quotes, mentions)
    with ws.store.engine.connect() as conn:
        query = select(stats.c.article_id, stats.c.title, stats.c.source, stats.c.published)
        found = {r.article_id: r for r in conn.execute(query.where(stats.c.article_id.in_(ids)))}
        around = Around(conn, {i: found[i] for i in ids if i in found}, who)
    return {
        "articles": len(articles),
        "quotes": int(quotes.sum()),
        "mentions": int(mentions.sum()),
        "over_time": [{"month": month_name(m)} | c for m, c in months if m >= 0],
        "undated": sum(c["articles"] for m, c in months if m < 0),
        "outlets": [
            {"source": cube.sources.values[s]} | c
            for s, c in sorted(outlets, key=lambda sc: (-sc[1]["quotes"], -sc[1]["articles"]))
        ],
    } | around.shown()


def latest(cube: Cube, articles: np.ndarray) -> list[str]:
    """The ids of the latest `PROFILE_ARTICLES` of `articles` (undated last, then by
    position)."""
    recent = articles[np.lexsort((articles, -cube.day[articles]))][:PROFILE_ARTICLES]
    return [cube.ids[p] for p in recent.tolist()]


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
