"""What the workspace, the API and `spinlens speakers` show of merged speakers: the
list with counts, and one speaker's profile (names, mentions over time and per
outlet, quotes, claims, and the techniques used around the quotes)."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from sqlalchemy import Connection, Engine, func, or_, select

from spinlens.claims.index import claim_index
from spinlens.facets import article_stats as stats
from spinlens.model import Quote, Span
from spinlens.render.marks import anchor
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
    return f"/speakers/{quote(speaker, safe='')}"


def speaker_articles(name: str) -> Any:
    """The ids of articles naming the merged speaker called `name` (its shown name
    or its key): a subquery for the corpus filter."""
    t, a = speaker_totals.c, speaker_alias.c
    speakers = select(t.speaker).where(or_(t.name == name, t.speaker == name))
    keys = select(a.key).where(a.speaker.in_(speakers))
    return select(speaker_names.c.article_id).where(speaker_names.c.key.in_(keys))


def profile(engine: Engine, speaker: str) -> dict[str, Any] | None:
    """One merged speaker: counts, names, mentions by month and by outlet, and in its
    latest articles its quotes, claims and the techniques around its quotes."""
    t, n, a = speaker_totals.c, speaker_names.c, speaker_alias.c
    with engine.connect() as conn:
        found = conn.execute(select(*(t[c] for c in COLUMNS)).where(t.speaker == speaker)).first()
        if found is None:
            return None
        mine = (
            select(n.article_id, n.key, n.entity_id, n.quotes, n.mentions)
            .where(n.key.in_(select(a.key).where(a.speaker == speaker)))
            .subquery()
        )
        by = {"month": stats.c.month, "source": stats.c.source}
        grouped = {
            name: [
                {
                    name: r[0],
                    "articles": int(r[1]),
                    "quotes": int(r[2] or 0),
                    "mentions": int(r[3] or 0),
                }
                for r in conn.execute(
                    select(
                        column,
                        func.count(mine.c.article_id.distinct()),
                        func.sum(mine.c.quotes),
                        func.sum(mine.c.mentions),
                    )
                    .join(stats, stats.c.article_id == mine.c.article_id)
                    .group_by(column)
                    .order_by(column if name == "month" else func.sum(mine.c.quotes).desc(), column)
                )
            ]
            for name, column in by.items()
        }
        latest = conn.execute(
            select(
                mine.c.article_id,
                mine.c.key,
                mine.c.entity_id,
                stats.c.title,
                stats.c.source,
                stats.c.published,
            )
            .join(stats, stats.c.article_id == mine.c.article_id)
            .order_by(stats.c.day.desc(), mine.c.article_id)
            .limit(PROFILE_ARTICLES)
        ).all()
        around = Around(conn, {r.article_id: r for r in latest})
        out = dict(found._mapping) | {
            "page": page_of(speaker),
            "names": names_of(conn, [speaker]).get(speaker, []),
        }
    return out | {
        "over_time": [m for m in grouped["month"] if m["month"]],
        "undated": sum(m["articles"] for m in grouped["month"] if not m["month"]),
        "outlets": grouped["source"],
        "quotes_shown": around.quotes,
        "claims": around.claims,
        "techniques": [{"technique": k, "count": v} for k, v in around.techniques.most_common()],
        "technique_marks": around.marks,
    }


class Around:
    """The quotes of a speaker in some articles, the claims credited to it and the
    technique marks overlapping its quotes or in their sentences (each linked to the
    quote's mark: technique marks are not link targets)."""

    def __init__(self, conn: Connection, rows: dict[str, Any]):
        self.quotes: list[dict[str, Any]] = []
        self.claims: list[dict[str, Any]] = []
        self.marks: list[dict[str, Any]] = []
        self.techniques: Counter[str] = Counter()
        if not rows:
            return
        query = select(articles.c.id, articles.c.result).where(articles.c.id.in_(list(rows)))
        results = {r.id: json.loads(r.result) for r in conn.execute(query)}
        names: dict[str, set[str]] = {}
        for article_id, row in rows.items():
            if article_id in results:
                names[article_id] = self.article(results[article_id], row)
        claims = (
            select(claim_index)
            .where(claim_index.c.article_id.in_(list(rows)))
            .order_by(claim_index.c.score.desc())
        )
        for claim in conn.execute(claims):
            row = rows[claim.article_id]
            ours = (row.entity_id and claim.speaker_entity_id == row.entity_id) or (
                claim.speaker
                and key_of(name_words(claim.speaker, PERSON)) in names.get(claim.article_id, ())
            )
            if ours:
                span = Span(claim.start, claim.end)
                self.claims.append(
                    meta(row)
                    | {
                        "claim": claim.claim,
                        "score": claim.score,
                        "start": claim.start,
                        "end": claim.end,
                    }
                    | {"page": link(row.article_id, "claims", span)}
                )

    def article(self, data: dict[str, Any], row: Any) -> set[str]:
        """Collect one article's quotes and marks; the keys the speaker has in it."""
        text = data.get("text") or ""
        keys = {row.key}
        sentences = [Span(int(s["start"]), int(s["end"])) for s in data.get("sentences") or []]
        techniques = [t for t in data.get("techniques") or [] if isinstance(t, dict)]
        seen: set[tuple[int, int, str]] = set()
        for item in data.get("quotes") or []:
            try:
                found = Quote.from_dict(item)
            except (AttributeError, KeyError, TypeError, ValueError):
                continue
            speaker = found.said_by
            if speaker is None:
                continue
            same = row.entity_id is not None and speaker.entity_id == row.entity_id
            if not same and key_of(name_words(speaker.name, PERSON)) not in keys:
                continue
            said = found.said
            page = link(row.article_id, "quotes", found.content)
            self.quotes.append(
                meta(row)
                | {"start": said.start, "end": said.end, "text": text[said.start : said.end]}
                | {"kind": found.kind, "page": page}
            )
            near = [s for s in sentences if s.start < said.end and said.start < s.end] or [said]
            lo, hi = min(s.start for s in near), max(s.end for s in near)
            for mark in techniques:
                start, end, name = int(mark["start"]), int(mark["end"]), str(mark["technique"])
                if start < hi and lo < end and (start, end, name) not in seen:
                    seen.add((start, end, name))
                    self.techniques[name] += 1
                    self.marks.append(
                        meta(row)
                        | {"technique": name, "start": start, "end": end, "text": text[start:end]}
                        | {"page": page}
                    )
        return keys


def meta(row: Any) -> dict[str, Any]:
    return {
        "article_id": row.article_id,
        "title": row.title,
        "source": row.source,
        "published": row.published,
    }


def link(article_id: str, layer: str, span: Span) -> str:
    """The span's mark in its article's page."""
    return f"/articles/{quote(article_id, safe='')}#{anchor(layer, span)}"
