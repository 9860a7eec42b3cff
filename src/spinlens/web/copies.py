"""Copies and stories in the workspace: the duplicate pairs, who copies whom and
the stories in the REST API, and what the article page shows of copies ("also
published as", "shares passages with")."""

from __future__ import annotations

from collections import Counter
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from sqlalchemy import select

from spinlens.duplicates.outlets import Flows, copy_flows, outlet_copies
from spinlens.duplicates.report import KINDS, copies_of, pair_records, pairs_with
from spinlens.facets import article_facets
from spinlens.model import Article
from spinlens.store import Store
from spinlens.stories.cluster import Story, stories, story_of
from spinlens.textspans import excerpt
from spinlens.web.schemas import ErrorOut
from spinlens.web.state import Workspace, workspace

router = APIRouter(prefix="/api", tags=["api"])
MAX_PAIRS = 1000
EXCERPT = 400
"""Characters of each shared passage the article page shows."""
COMPARED = ("technique", "speaker")
"""What the article page compares between the versions of a story."""
TOP = 5
"""Techniques and speakers shown per version."""


@router.get("/duplicates", summary="Pairs of stored articles that copy each other")
def duplicates(
    request: Request,
    min_similarity: Annotated[float, Query(ge=0, le=1)] = 0.0,
    kind: Annotated[str | None, Query(pattern="^(near-duplicate|shared-passage)$")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAIRS)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[dict[str, Any]]:
    """The records `spinlens duplicates` writes (`a` the earlier article when both
    dates are known; passages as character offsets into each text), by (a, b)."""
    found = []
    for record in pair_records(workspace(request).store.engine, min_similarity):
        if kind is None or record["kind"] == kind:
            found.append(record)
            if len(found) == offset + limit:
                break
    return found[offset:]


@router.get(
    "/duplicates/{article_id:path}",
    summary="The copies of one stored article",
    responses={404: {"model": ErrorOut}},
)
def article_duplicates(article_id: str, request: Request) -> list[dict[str, Any]]:
    """The pairs this article is part of, most similar first."""
    store = workspace(request).store
    if store.get(article_id) is None:
        raise HTTPException(404, "no stored article with this id")
    return pairs_with(store.engine, article_id)


@router.get(
    "/outlets/{source}/copies",
    summary="Whom an outlet copies and who copies it",
    responses={404: {"model": ErrorOut}},
)
def outlet_copy_flows(source: str, request: Request) -> dict[str, Any]:
    """The outlets this one copies (it published the pair's later article), those
    copying it (it published first) and the pairs whose order is unknown (a date
    missing, or one day for both), each with its pair counts, most pairs first."""
    found = outlet_copies(workspace(request).store.engine, source)
    if found is None:
        raise HTTPException(404, "no stored article from this source")
    return found.to_dict()


def cached_flows(ws: Workspace) -> Flows:
    """Every outlet-to-outlet flow (over the whole store: kept while the cache lasts)."""
    return ws.cache.get("copy-flows", lambda: copy_flows(ws.store.engine))


ORDER = "^(largest|growing)$"


def cached_stories(ws: Workspace, min_articles: int, order: str = "largest") -> list[Story]:
    """The stories as the store holds them (kept while the cache lasts)."""
    return ws.cache.get(
        f"stories-{min_articles}-{order}", lambda: stories(ws.store.engine, min_articles, order)
    )


@router.get("/stories", summary="Stories: articles on the same event across outlets and days")
def story_list(
    request: Request,
    min_articles: Annotated[int, Query(ge=1)] = 2,
    order: Annotated[str, Query(pattern=ORDER)] = "largest",
    limit: Annotated[int, Query(ge=1, le=MAX_PAIRS)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[dict[str, Any]]:
    """The records `spinlens stories` writes, largest story first, or with
    `order=growing` the fastest-growing first (`growth`: its articles published in
    the last GROWTH_DAYS days up to the store's newest day)."""
    found = cached_stories(workspace(request), min_articles, order)
    return [story.to_dict() | {"growth": story.growth} for story in found[offset : offset + limit]]


def copies_panel(store: Store, article: Article) -> dict[str, list[dict[str, Any]]]:
    """Per kind, the other articles and the passages shared with each, as excerpts
    of both texts (plain text: the template escapes it)."""
    found = copies_of(store.engine, article.id)
    others = store.get_many(o["id"] for kind in KINDS for o in found[kind])
    for kind in KINDS:
        for other in found[kind]:
            text = others[other["id"]].text if other["id"] in others else ""
            for passage in other["passages"]:
                mine, theirs = passage["this"], passage["other"]
                passage["this_text"] = excerpt(article.text[mine["start"] : mine["end"]], EXCERPT)
                passage["other_text"] = excerpt(text[theirs["start"] : theirs["end"]], EXCERPT)
    return found


def story_panel(ws: Workspace, article_id: str) -> dict[str, Any] | None:
    """The story an article belongs to, each version with its most frequent
    techniques and speakers (from the corpus index) and those no other version has
    (`only`), and what every version has (`common`); None when it has no story."""
    story = story_of(ws.store.engine, article_id)
    if story is None or len(story.articles) < 2:
        return None
    ids = [a.id for a in story.articles]
    compared: dict[str, dict[str, list[tuple[str, int]]]] = {
        i: {kind: [] for kind in COMPARED} for i in ids
    }
    found: dict[str, dict[str, set[str]]] = {kind: {i: set() for i in ids} for kind in COMPARED}
    facets = article_facets.c
    query = (
        select(facets.article_id, facets.kind, facets.value, facets.n)
        .where(facets.article_id.in_(ids), facets.kind.in_(COMPARED))
        .order_by(facets.article_id, facets.n.desc(), facets.value)
    )
    with ws.store.engine.connect() as conn:
        for row in conn.execute(query):
            found[row.kind][row.article_id].add(row.value)
            shown = compared[row.article_id][row.kind]
            if len(shown) < TOP:
                shown.append((row.value, row.n))
    versions: dict[str, Counter[str]] = {
        kind: Counter(v for values in found[kind].values() for v in values) for kind in COMPARED
    }
    return {
        "story": story,
        "common": {
            kind: sorted(v for v, n in versions[kind].items() if n == len(ids)) for kind in COMPARED
        },
        "versions": [
            {
                "article": a,
                "only": {
                    kind: {v for v in found[kind][a.id] if versions[kind][v] == 1}
                    for kind in COMPARED
                },
                **compared[a.id],
            }
            for a in story.articles
        ],
    }
