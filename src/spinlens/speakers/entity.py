"""One named entity across the corpus (as the entity facet names it): its articles
by month and by outlet, the quotes it is credited with, the claims it makes or that
mention it, and the techniques in the sentences that mention it."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from sqlalchemy import Engine, and_, func, or_, select

from spinlens.facets import article_facets, facet_totals
from spinlens.facets import article_stats as stats
from spinlens.model import Span
from spinlens.pipeline.layers import entity_value
from spinlens.speakers.names import PERSON, key_of, name_words
from spinlens.speakers.tables import speaker_totals
from spinlens.speakers.views import Around, Who, mentions_of, page_of


def entity_page(name: str) -> str:
    """The entity's page in the workspace."""
    return f"/entities/{quote(name, safe='')}"


def entity_profile(engine: Engine, name: str, where: list[Any]) -> dict[str, Any] | None:
    """The entity called `name` in the articles meeting `where` (terms on
    `article_stats`), or None when no stored article names it."""
    total = facet_totals.c
    with engine.connect() as conn:
        found = conn.execute(
            select(total.value, total.label).where(total.kind == "entity", total.value == name)
        ).first()
        if found is None:
            return None
        named, said = article_facets, article_facets.alias("said")
        mine = (
            select(
                named.c.article_id,
                named.c.n.label("mentions"),
                func.coalesce(said.c.n, 0).label("quotes"),
            )
            .outerjoin(
                said,
                and_(
                    said.c.kind == "speaker",
                    said.c.value == found.value,
                    said.c.article_id == named.c.article_id,
                ),
            )
            .where(named.c.kind == "entity", named.c.value == found.value)
        )
        if where:
            mine = mine.where(named.c.article_id.in_(select(stats.c.article_id).where(*where)))
        spread, latest = mentions_of(conn, mine.subquery())
        around = Around(
            conn, {r.article_id: r for r in latest}, lambda data, _: named_in(data, found.value)
        )
        t = speaker_totals.c
        key = key_of(name_words(found.value, PERSON))
        speaker = conn.execute(
            select(t.speaker).where(or_(t.speaker == key, t.name == found.value)).limit(1)
        ).scalar()
    counted = spread["over_time"]
    return (
        {
            "entity": found.value,
            "name": found.value,
            "kind": found.label or "",
            "articles": sum(m["articles"] for m in counted) + spread["undated"],
            "quotes": sum(o["quotes"] for o in spread["outlets"]),
            "mentions": sum(o["mentions"] for o in spread["outlets"]),
            "page": entity_page(found.value),
            "speaker_page": page_of(speaker) if speaker else None,
        }
        | spread
        | around.shown()
    )


def named_in(data: dict[str, Any], name: str) -> Who:
    """The entity called `name` in one article: the entities whose facet value it is
    (any case), their ids and every mention of them."""
    text, wanted = data.get("text") or "", name.casefold()
    spans = [s for s in data.get("entities") or [] if isinstance(s, dict)]
    ids = frozenset(
        str(s["entity_id"])
        for s in spans
        if s.get("entity_id") and entity_value(s, text).casefold() == wanted
    )
    mentions = tuple(
        Span(int(s["start"]), int(s["end"]))
        for s in spans
        if s.get("entity_id") in ids or entity_value(s, text).casefold() == wanted
    )
    return Who(ids, frozenset({key_of(name_words(name, PERSON))}), mentions)
