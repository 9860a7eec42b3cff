"""The store's speaker tables: each article's names (`speaker_names`), the name
variants articles tie together (`speaker_links`), the alias table (`speaker_alias`:
key → merged speaker) and the merged speakers' totals (`speaker_totals`).

Filled by `Store.save` (and `Store.annotate`), rebuilt by `Store.migrate`. A save
re-resolves only the names it can affect (`affected`): the keys of the saved
articles, closed over links, shared bases, shared family names and current groups;
`resolve` over those keys gives what a rebuild from every stored article gives."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Column, Connection, Index, Integer, String, Table, delete, func, or_, select

from spinlens.facets import Caseless, index_metadata
from spinlens.speakers.names import article_names, base, surname
from spinlens.speakers.resolve import Form, resolve

CHUNK = 500

speaker_names = Table(
    "speaker_names",
    index_metadata,
    Column("article_id", String, primary_key=True),
    Column("key", String, primary_key=True),
    Column("name", String, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("entity_id", String),
    Column("surname", String),
    Column("base", String),
    Column("quotes", Integer, nullable=False),
    Column("mentions", Integer, nullable=False),
    Index("ix_speaker_names_key", "key"),
    Index("ix_speaker_names_surname", "surname"),
    Index("ix_speaker_names_base", "base"),
)
speaker_links = Table(
    "speaker_links",
    index_metadata,
    Column("article_id", String, primary_key=True),
    Column("a", String, primary_key=True),
    Column("b", String, primary_key=True),
    Column("kind", String(16), nullable=False),
    Index("ix_speaker_links_a", "a"),
    Index("ix_speaker_links_b", "b"),
)
speaker_alias = Table(
    "speaker_alias",
    index_metadata,
    Column("key", String, primary_key=True),
    Column("speaker", String, nullable=False),
    Index("ix_speaker_alias_speaker", "speaker"),
)
speaker_totals = Table(
    "speaker_totals",
    index_metadata,
    Column("speaker", String, primary_key=True),
    Column("name", Caseless, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("articles", Integer, nullable=False),
    Column("quotes", Integer, nullable=False),
    Column("mentions", Integer, nullable=False),
    Index("ix_speaker_totals_quotes", "quotes", "mentions"),
    Index("ix_speaker_totals_mentions", "mentions", "quotes"),
    Index("ix_speaker_totals_name", "name"),
)
"""Per merged speaker: its name (the most written name of its canonical key), kind,
articles, quotes credited to it and name mentions."""


def update(conn: Connection, results: Sequence[Mapping[str, Any]]) -> None:
    """Replace the name rows of freshly saved articles (their JSON results) and
    re-resolve the names they touch."""
    ids = [result["id"] for result in results]
    touched: set[str] = set()
    for i in range(0, len(ids), CHUNK):
        chunk = ids[i : i + CHUNK]
        stored = select(speaker_names.c.key).where(speaker_names.c.article_id.in_(chunk))
        touched.update(conn.execute(stored).scalars())
        for table in (speaker_names, speaker_links):
            conn.execute(delete(table).where(table.c.article_id.in_(chunk)))
    rows: list[dict[str, Any]] = []
    links: list[dict[str, Any]] = []
    for result in results:
        found = article_names(dict(result))
        rows += [row.as_row(result["id"]) for row in found.rows.values()]
        links += [
            {"article_id": result["id"], "a": a, "b": b, "kind": k} for a, b, k in found.links
        ]
    if rows:
        conn.execute(speaker_names.insert(), rows)
    if links:
        conn.execute(speaker_links.insert(), links)
    touched.update(row["key"] for row in rows)
    touched.update(key for link in links for key in (link["a"], link["b"]))
    if touched:
        reresolve(conn, affected(conn, touched))


def lookup(conn: Connection, query: Any) -> set[str]:
    return {value for value in conn.execute(query).scalars() if value is not None}


def affected(conn: Connection, keys: set[str]) -> set[str]:
    """Every key whose speaker may change when these keys' rows change."""
    names, links, alias = speaker_names.c, speaker_links.c, speaker_alias.c
    seen: set[str] = set()
    todo = set(keys)
    while todo:
        batch = sorted(todo)[:CHUNK]
        todo.difference_update(batch)
        seen.update(batch)
        families = {family for key in batch if (family := surname(key))} | set(batch)
        found = lookup(conn, select(links.b).where(links.a.in_(batch)))
        found |= lookup(conn, select(links.a).where(links.b.in_(batch)))
        found |= lookup(
            conn, select(names.key).where(names.base.in_(batch + [base(k) for k in batch]))
        )
        found |= lookup(
            conn, select(names.key).where(or_(names.surname.in_(families), names.key.in_(families)))
        )
        speakers = select(alias.speaker).where(alias.key.in_(batch))
        found |= lookup(conn, select(alias.key).where(alias.speaker.in_(speakers)))
        todo |= found - seen
    return seen


def forms_of(
    conn: Connection, keys: list[str]
) -> tuple[dict[str, Form], set[tuple[str, str, str]]]:
    """The corpus's forms of these keys and the links between them."""
    forms: dict[str, Form] = {}
    links: set[tuple[str, str, str]] = set()
    n = speaker_names.c
    for i in range(0, len(keys), CHUNK):
        chunk = keys[i : i + CHUNK]
        query = (
            select(n.key, n.name, n.kind, func.count())
            .where(n.key.in_(chunk))
            .group_by(n.key, n.name, n.kind)
        )
        for key, name, kind, count in conn.execute(query):
            form = forms.setdefault(key, Form(key))
            form.names[name] += count
            form.kinds[kind] += count
            form.articles += count
        query = select(speaker_links.c.a, speaker_links.c.b, speaker_links.c.kind).where(
            speaker_links.c.a.in_(chunk)
        )
        links.update((r.a, r.b, r.kind) for r in conn.execute(query))
    return forms, links


def reresolve(conn: Connection, keys: set[str]) -> None:
    """Resolve these keys again; rewrite their alias rows and their speakers' totals."""
    ordered = sorted(keys)
    forms, links = forms_of(conn, ordered)
    speaker = resolve(forms, links)
    alias = speaker_alias.c
    before: set[str] = set()
    for i in range(0, len(ordered), CHUNK):
        chunk = ordered[i : i + CHUNK]
        before |= lookup(conn, select(alias.speaker).where(alias.key.in_(chunk)))
        conn.execute(delete(speaker_alias).where(alias.key.in_(chunk)))
    if speaker:
        conn.execute(speaker_alias.insert(), [{"key": k, "speaker": s} for k, s in speaker.items()])
    stale = sorted(before | set(speaker.values()))
    for i in range(0, len(stale), CHUNK):
        conn.execute(
            delete(speaker_totals).where(speaker_totals.c.speaker.in_(stale[i : i + CHUNK]))
        )
    n = speaker_names.c
    totals = (
        select(
            alias.speaker,
            func.count(n.article_id.distinct()),
            func.sum(n.quotes),
            func.sum(n.mentions),
        )
        .join(speaker_names, n.key == alias.key)
        .where(alias.speaker.in_(set(speaker.values())))
        .group_by(alias.speaker)
    )
    rows = [
        {
            "speaker": s,
            "name": forms[s].name,
            "kind": forms[s].kind,
            "articles": int(a),
            "quotes": int(q or 0),
            "mentions": int(m or 0),
        }
        for s, a, q, m in conn.execute(totals)
    ]
    if rows:
        conn.execute(speaker_totals.insert(), rows)
