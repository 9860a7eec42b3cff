"""What the workspace, the API and `spinlens speakers` show of merged speakers: the
list with counts, their names, and what a profile lists around someone in their
articles (quotes, claims, and the techniques used around the quotes;
`web/profiles.py` counts the rest)."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, func, or_, select

from spinlens.claims.index import claim_index
from spinlens.model import Quote, Span
from spinlens.render.marks import anchor
from spinlens.render.templating import path_quote
from spinlens.speakers.names import PERSON, key_of, name_words
from spinlens.speakers.tables import speaker_alias, speaker_names, speaker_totals
from spinlens.store import articles

PROFILE_ARTICLES = 100
"""Latest articles whose quotes, claims and techniques a profile lists."""
COLUMNS = ("speaker", "name", "kind", "articles", "quotes", "mentions")


@dataclass(frozen=True)
class SpeakerPage:
    total: int
    page: int
    per_page: int
    rows: list[dict[str, Any]]

    def as_dict(self) -> dict[str, Any]:
        pages = max(1, -(-self.total // self.per_page))
        shown = {"total": self.total, "page": self.page, "per_page": self.per_page}
        return shown | {"pages": pages, "items": self.rows}


def list_filters(q: str, kind: str, quoted: bool) -> list[Any]:
    """WHERE terms of the speaker list: words in the name, kind, quoted at least once."""
    t = speaker_totals.c
    out: list[Any] = []
    if q:
        out.append(t.name.ilike(f"%{q}%"))
    if kind:
        out.append(t.kind == kind)
    if quoted:
        out.append(t.quotes > 0)
    return out


def list_speakers(
    engine: Engine,
    q: str = "",
    kind: str = "",
    quoted: bool = False,
    page: int = 1,
    per_page: int = 50,
) -> SpeakerPage:
    """Merged speakers and entities, most quoted first (then most mentioned)."""
    t = speaker_totals.c
    where = list_filters(q, kind, quoted)
    query = (
        select(*(t[c] for c in COLUMNS))
        .where(*where)
        .order_by(t.quotes.desc(), t.mentions.desc(), t.speaker)
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    with engine.connect() as conn:
        total = int(
            conn.execute(select(func.count()).where(*where).select_from(speaker_totals)).scalar()
            or 0
        )
        rows = [dict(r._mapping) | {"page": page_of(r.speaker)} for r in conn.execute(query)]
    return SpeakerPage(total, page, per_page, rows)


def all_speakers(engine: Engine) -> Iterator[dict[str, Any]]:
    """Every merged speaker with its counts and its names (for export)."""
    t = speaker_totals.c
    query = select(*(t[c] for c in COLUMNS)).order_by(t.quotes.desc(), t.mentions.desc(), t.speaker)
    with engine.connect() as conn:
        for chunk in conn.execution_options(yield_per=500).execute(query).partitions():
            found = names_of(conn, [r.speaker for r in chunk])
            for row in chunk:
                yield dict(row._mapping) | {"names": found.get(row.speaker, [])}


def names_of(conn: Connection, speakers: list[str]) -> dict[str, list[str]]:
    """The names written for each speaker, most frequent first."""
    n, a = speaker_names.c, speaker_alias.c
    count = func.count().label("n")
    query = (
        select(a.speaker, n.name, count)
        .join(speaker_names, n.key == a.key)
        .where(a.speaker.in_(speakers))
        .group_by(a.speaker, n.name)
        .order_by(a.speaker, count.desc(), n.name)
    )
    out: dict[str, list[str]] = {}
    for speaker, name, _ in conn.execute(query):
        out.setdefault(speaker, []).append(name)
    return out


def merged_speakers(conn: Connection, limit: int = 300) -> list[tuple[str, int]]:
    """The quoted merged speakers' names with their articles, most articles first."""
    t = speaker_totals.c
    query = select(t.name, t.articles).where(t.quotes > 0).order_by(t.articles.desc(), t.name)
    return [(r.name, int(r.articles)) for r in conn.execute(query.limit(limit))]


def top_speakers(engine: Engine, limit: int) -> list[dict[str, Any]]:
    """The most quoted speakers of the corpus, names merged across articles, each
    with its `key` (its page: /speakers/KEY)."""
    t = speaker_totals.c
    query = (
        select(t.speaker, t.name, t.quotes, t.kind)
        .where(t.quotes > 0)
        .order_by(t.quotes.desc(), t.speaker)
        .limit(limit)
    )
    with engine.connect() as conn:
        return [
            {"name": r.name, "count": int(r.quotes), "label": r.kind, "key": r.speaker}
            for r in conn.execute(query)
        ]


def page_of(speaker: str) -> str:
    """The speaker's page in the workspace."""
    return f"/speakers/{path_quote(speaker)}"


def speaker_articles(name: str) -> Any:
    """The ids of articles naming the merged speaker called `name` (its shown name
    or its key): a subquery for the corpus filter."""
    t, a = speaker_totals.c, speaker_alias.c
    speakers = select(t.speaker).where(or_(t.name == name, t.speaker == name))
    keys = select(a.key).where(a.speaker.in_(speakers))
    return select(speaker_names.c.article_id).where(speaker_names.c.key.in_(keys))


@dataclass(frozen=True)
class Who:
    """Whom a profile is about in one article: its entity ids and name keys, and the
    mentions whose sentences are searched for techniques (none: its quotes')."""

    ids: frozenset[str]
    keys: frozenset[str]
    mentions: tuple[Span, ...] = ()

    def said(self, name: str | None, entity_id: str | None) -> bool:
        """Whether a speaker with this name and entity is them."""
        if entity_id is not None and entity_id in self.ids:
            return True
        return bool(name) and key_of(name_words(name or "", PERSON)) in self.keys


WhoIn = Callable[[dict[str, Any], Any], Who]
"""Whom a profile is about in an article, from its JSON and its row."""


class Around:
    """The quotes of someone in some articles, the claims credited to them (or, for an
    entity, mentioning them: `why` says which) and the technique marks in the
    sentences of their quotes (or of their mentions), each linked to that quote's or
    mention's mark: technique marks are not link targets."""

    def __init__(self, conn: Connection, rows: dict[str, Any], who: WhoIn):
        self.quotes: list[dict[str, Any]] = []
        self.claims: list[dict[str, Any]] = []
        self.marks: list[dict[str, Any]] = []
        self.techniques: Counter[str] = Counter()
        if not rows:
            return
        query = select(articles.c.id, articles.c.result).where(articles.c.id.in_(list(rows)))
        results = {r.id: json.loads(r.result) for r in conn.execute(query)}
        found: dict[str, Who] = {}
        for article_id, row in rows.items():
            if article_id in results:
                found[article_id] = who(results[article_id], row)
                self.article(results[article_id], row, found[article_id])
        claims = (
            select(claim_index)
            .where(claim_index.c.article_id.in_(list(found)))
            .order_by(claim_index.c.score.desc())
        )
        for claim in conn.execute(claims):
            them, span = found[claim.article_id], Span(claim.start, claim.end)
            if them.said(claim.speaker, claim.speaker_entity_id):
                why = "said"
            elif any(overlaps(m, span) for m in them.mentions):
                why = "mentions"
            else:
                continue
            self.claims.append(
                meta(rows[claim.article_id])
                | {"claim": claim.claim, "score": claim.score, "start": claim.start}
                | {"end": claim.end, "why": why}
                | {"page": link(claim.article_id, "claims", span)}
            )

    def article(self, data: dict[str, Any], row: Any, who: Who) -> None:
        """Collect one article's quotes by them and the marks near them."""
        text = data.get("text") or ""
        spots = [(m, link(row.article_id, "entities", m)) for m in who.mentions]
        for item in data.get("quotes") or []:
            try:
                found = Quote.from_dict(item)
            except (AttributeError, KeyError, TypeError, ValueError):
                continue
            speaker = found.said_by
            if speaker is None or not who.said(speaker.name, speaker.entity_id):
                continue
            said = found.said
            page = link(row.article_id, "quotes", found.content)
            self.quotes.append(
                meta(row)
                | {"start": said.start, "end": said.end, "text": text[said.start : said.end]}
                | {"kind": found.kind, "page": page}
            )
            if not who.mentions:
                spots.append((said, page))
        self.near(data, row, spots)

    def near(self, data: dict[str, Any], row: Any, spots: list[tuple[Span, str]]) -> None:
        """The technique marks in the sentences of `spots` (each once, linked to the
        first spot it is near)."""
        text = data.get("text") or ""
        sentences = [Span(int(s["start"]), int(s["end"])) for s in data.get("sentences") or []]
        techniques = [t for t in data.get("techniques") or [] if isinstance(t, dict)]
        seen: set[tuple[int, int, str]] = set()
        for spot, page in spots:
            near = [s for s in sentences if overlaps(s, spot)] or [spot]
            around = Span(min(s.start for s in near), max(s.end for s in near))
            for mark in techniques:
                start, end, name = int(mark["start"]), int(mark["end"]), str(mark["technique"])
                if overlaps(Span(start, end), around) and (start, end, name) not in seen:
                    seen.add((start, end, name))
                    self.techniques[name] += 1
                    self.marks.append(
                        meta(row)
                        | {"technique": name, "start": start, "end": end, "text": text[start:end]}
                        | {"page": page}
                    )

    def shown(self) -> dict[str, Any]:
        """What a profile shows of them."""
        return {
            "quotes_shown": self.quotes,
            "claims": self.claims,
            "techniques": [{"technique": k, "count": v} for k, v in self.techniques.most_common()],
            "technique_marks": self.marks,
        }


def overlaps(a: Span, b: Span) -> bool:
    return a.start < b.end and b.start < a.end


def meta(row: Any) -> dict[str, Any]:
    return {
        "article_id": row.article_id,
        "title": row.title,
        "source": row.source,
        "published": row.published,
    }


def link(article_id: str, layer: str, span: Span) -> str:
    """The span's mark in its article's page."""
    return f"/articles/{path_quote(article_id)}#{anchor(layer, span)}"
