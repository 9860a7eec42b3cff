"""The corpus cube of a running workspace, and the article list ordered from it
(`web/cube.py`): a filter is a mask, a sort a numpy argsort, and only the page's
rows are read from the store."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from spinlens.store import Store
from spinlens.web.cube import Cube, load, mark_of
from spinlens.web.filters import Filters
from spinlens.web.queries import (
    MAX_PER_PAGE,
    PER_PAGE,
    Listing,
    list_articles,
    listing_order,
    page_rows,
)
from spinlens.web.state import Workspace

CUBE_TTL = 600.0
"""Longest a loaded corpus cube is used (seconds)."""
CUBE_SORTS = ("relevance", "date", "words")
"""The sorts the cube orders by itself; the others are the store's `ORDER BY`."""


def corpus_cube(ws: Workspace) -> Cube:
    """The store's corpus cube: loaded once, again when the store changed (this
    process's writes empty the cache; another's new articles show as a new highest
    rowid), and at least every `CUBE_TTL` seconds."""
    cube = ws.cache.get("cube", lambda: load(ws.store), CUBE_TTL)
    if cube.mark != mark_of(ws.store):
        ws.cache.drop("cube")
        cube = ws.cache.get("cube", lambda: load(ws.store), CUBE_TTL)
    return cube


def chosen_articles(ws: Workspace, filters: Filters) -> tuple[Cube, np.ndarray]:
    """The cube and which of its articles the filters choose (raises QueryError)."""
    cube = corpus_cube(ws)
    return cube, cube.mask(ws.store, filters.checked())


@dataclass(frozen=True)
class Paging:
    """Which page of a listing, in which order ("" for the defaults)."""

    sort: str = ""
    order: str = ""
    page: int = 1
    per_page: int = PER_PAGE


def list_corpus(ws: Workspace, filters: Filters, paging: Paging) -> Listing:
    """One page of the article list, the same as `list_articles` gives: ordered by
    the cube for its sorts (a search alone is ranked and paged by FTS5 itself), by
    the store otherwise (raises QueryError)."""
    sort, order = listing_order(ws.store, filters.checked(), paging.sort, paging.order)
    page, per_page = max(1, paging.page), max(1, min(paging.per_page, MAX_PER_PAGE))
    if not cube_orders(ws.store, filters, sort):
        return list_articles(ws.store, filters, sort, order, page, per_page)
    cube = corpus_cube(ws)
    listed = cube.listed(ws.store, filters, sort, order)
    ids = [cube.ids[i] for i in listed[(page - 1) * per_page : page * per_page]]
    return Listing(len(listed), page, per_page, sort, order, page_rows(ws.store, ids))


def cube_orders(store: Store, filters: Filters, sort: str) -> bool:
    """Whether the cube orders this listing: a sort of `CUBE_SORTS`, and no search
    but on SQLite under other filters or another sort than relevance (a search alone
    is ranked and paged by FTS5 itself; on PostgreSQL the store joins the matches
    and keeps the page's top rows, faster than sending every match's id here)."""
    if sort not in CUBE_SORTS or not filters.q:
        return sort in CUBE_SORTS
    return store.is_sqlite and (sort != "relevance" or list(filters.active()) != ["q"])
