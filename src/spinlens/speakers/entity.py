"""One named entity across the corpus (as the entity facet names it): its page, its
merged speaker, and whom it is in one article (for the quotes it is credited with,
the claims it makes or that mention it, and the techniques near its mentions)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, or_, select

from spinlens.layers import facet_value
from spinlens.model import Span
from spinlens.pipeline.layers import entity_value
from spinlens.render.templating import path_quote
from spinlens.speakers.names import PERSON, key_of, name_words
from spinlens.speakers.tables import speaker_totals
from spinlens.speakers.views import Who, page_of


def entity_page(name: str) -> str:
    """The entity's page in the workspace."""
    return f"/entities/{path_quote(name)}"


def speaker_page_of(conn: Connection, name: str) -> str | None:
    """The page of the merged speaker with this name or key, if there is one."""
    t = speaker_totals.c
    key = key_of(name_words(name, PERSON))
    query = select(t.speaker).where(or_(t.speaker == key, t.name == name)).limit(1)
    speaker = conn.execute(query).scalar()
    return page_of(speaker) if speaker else None


def named_in(data: dict[str, Any], name: str) -> Who:
    """The entity called `name` in one article: the entities whose facet value it is
    (any case, white space as the facet index keeps it), their ids and every mention
    of them."""
    text, wanted = data.get("text") or "", facet_value(name).casefold()
    spans = [s for s in data.get("entities") or [] if isinstance(s, dict)]
    named = [facet_value(entity_value(s, text)).casefold() == wanted for s in spans]
    ids = frozenset(
        str(s["entity_id"])
        for s, hit in zip(spans, named, strict=True)
        if hit and s.get("entity_id")
    )
    mentions = tuple(
        Span(int(s["start"]), int(s["end"]))
        for s, hit in zip(spans, named, strict=True)
        if hit or s.get("entity_id") in ids
    )
    return Who(ids, frozenset({key_of(name_words(name, PERSON))}), mentions)
