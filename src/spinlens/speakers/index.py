"""The store's speaker tables: each article's names (`speaker_names`), the name
variants articles tie together (`speaker_links`), the alias table (`speaker_alias`:
key → merged speaker) and the merged speakers' totals (`speaker_totals`).

Filled by `Store.save` (and `Store.annotate`), rebuilt by `Store.migrate`. A save
changes the grouping only when a key appears in or vanishes from the corpus, changes
kind, or a link does: then the keys any rule relates to those (`affected`: closed over
links, shared bases, shared family names and current groups) are resolved again,
which gives what a rebuild from every stored article gives. Otherwise only the
canonical name and the totals of the saved keys' groups are brought up to date."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Column, Connection, Index, Integer, String, Table, delete, func, or_, select

from spinlens.facets import Caseless, index_metadata
from spinlens.speakers.names import article_names, base, surname
from spinlens.speakers.resolve import Form, named, resolve

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
    Column("kind", String(16), nullable=False),
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
    bring the alias table and totals up to date."""
    ids = [result["id"] for result in results]
    rows: list[dict[str, Any]] = []
    links: list[dict[str, Any]] = []
    for result in results:
        found = article_names(dict(result))
        rows += [row.as_row(result["id"]) for row in found.rows.values()]
        links += [
            {"article_id": result["id"], "a": a, "b": b, "kind": k} for a, b, k in found.links
        ]
    touched = {row["key"] for row in rows}
    old_links: set[Link] = set()
    for i in range(0, len(ids), CHUNK):
        chunk = ids[i : i + CHUNK]
        stored = select(speaker_names.c.key).where(speaker_names.c.article_id.in_(chunk))
        touched.update(conn.execute(stored).scalars())
        given = speaker_links.c
        stored = select(given.a, given.b, given.kind).where(given.article_id.in_(chunk))
        old_links.update((r.a, r.b, r.kind) for r in conn.execute(stored))
    pairs = old_links | {(r["a"], r["b"], r["kind"]) for r in links}
    linked_before = existing(conn, pairs)
    known = kinds_of(conn, touched)
    for i in range(0, len(ids), CHUNK):
        for table in (speaker_names, speaker_links):
            conn.execute(delete(table).where(table.c.article_id.in_(ids[i : i + CHUNK])))
    if rows:
        conn.execute(speaker_names.insert(), rows)
    if links:
        conn.execute(speaker_links.insert(), links)
    forms, _ = forms_of(conn, sorted(touched))
    changed = {k for k in touched if known.get(k) != (forms[k].kind if k in forms else None)}
    changed.update(k for pair in linked_before ^ existing(conn, pairs) for k in pair[:2])
    regrouped = affected(conn, changed) if changed else set()
    if regrouped:
        forms, between = forms_of(conn, sorted(regrouped))
        settle(conn, resolve(forms, between), forms, regrouped, touched)
    if rest := touched - regrouped:
        forms, groups = groups_of(conn, rest)
        speakers = named(forms, groups.values())
        settle(conn, speakers, forms, set(speakers), touched)


Link = tuple[str, str, str]


def existing(conn: Connection, pairs: set[Link]) -> set[Link]:
    """The links among `pairs` that some stored article gives."""
    found: set[Link] = set()
    given = speaker_links.c
    ends = sorted({a for a, _, _ in pairs})
    for i in range(0, len(ends), CHUNK):
        query = select(given.a, given.b, given.kind).distinct()
        query = query.where(given.a.in_(ends[i : i + CHUNK]))
        found.update((r.a, r.b, r.kind) for r in conn.execute(query) if (r.a, r.b, r.kind) in pairs)
    return found


def kinds_of(conn: Connection, keys: set[str]) -> dict[str, str]:
    """The kind each key was resolved with (keys the alias table lacks: none)."""
    ordered = sorted(keys)
    a = speaker_alias.c
    out: dict[str, str] = {}
    for i in range(0, len(ordered), CHUNK):
        query = select(a.key, a.kind).where(a.key.in_(ordered[i : i + CHUNK]))
        out.update((r.key, r.kind) for r in conn.execute(query))
    return out


def groups_of(conn: Connection, keys: set[str]) -> tuple[dict[str, Form], dict[str, list[str]]]:
    """The current groups of these keys (every member) and the members' forms."""
    a = speaker_alias.c
    speakers = lookup(conn, select(a.speaker).where(a.key.in_(sorted(keys))))
    groups: dict[str, list[str]] = {}
    query = select(a.key, a.speaker).where(a.speaker.in_(sorted(speakers)))
    for key, speaker in conn.execute(query):
        groups.setdefault(speaker, []).append(key)
    forms, _ = forms_of(conn, sorted(k for keys_ in groups.values() for k in keys_))
    kept = {s: [k for k in ks if k in forms] for s, ks in groups.items()}
    return forms, {s: ks for s, ks in kept.items() if ks}


def lookup(conn: Connection, query: Any) -> set[str]:
    """The values of a one-column query."""
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


def settle(
    conn: Connection,
    speaker: dict[str, str],
    forms: dict[str, Form],
    keys: set[str],
    touched: set[str],
) -> None:
    """Give `keys` their speakers (no speaker: the key is gone) and recount the
    speakers whose members changed or were saved."""
    a = speaker_alias.c
    ordered = sorted(keys)
    old: dict[str, tuple[str, str]] = {}
    for i in range(0, len(ordered), CHUNK):
        query = select(a.key, a.speaker, a.kind).where(a.key.in_(ordered[i : i + CHUNK]))
        old.update((r.key, (r.speaker, r.kind)) for r in conn.execute(query))
    new = {k: (speaker[k], forms[k].kind) for k in ordered if k in speaker}
    moved = sorted(k for k in ordered if old.get(k) != new.get(k))
    for i in range(0, len(moved), CHUNK):
        conn.execute(delete(speaker_alias).where(a.key.in_(moved[i : i + CHUNK])))
    if rows := [{"key": k, "speaker": new[k][0], "kind": new[k][1]} for k in moved if k in new]:
        conn.execute(speaker_alias.insert(), rows)
    dirty = sorted(
        {pair[0] for k in (*moved, *touched) for pair in (old.get(k), new.get(k)) if pair}
    )
    t, n = speaker_totals.c, speaker_names.c
    for i in range(0, len(dirty), CHUNK):
        chunk = dirty[i : i + CHUNK]
        conn.execute(delete(speaker_totals).where(t.speaker.in_(chunk)))
        totals = (
            select(
                a.speaker,
                func.count(n.article_id.distinct()),
                func.sum(n.quotes),
                func.sum(n.mentions),
            )
            .join(speaker_names, n.key == a.key)
            .where(a.speaker.in_(chunk))
            .group_by(a.speaker)
        )
        found = [
            {"speaker": s, "name": forms[s].name, "kind": forms[s].kind}
            | {"articles": int(c), "quotes": int(q or 0), "mentions": int(m or 0)}
            for s, c, q, m in conn.execute(totals)
        ]
        if found:
            conn.execute(speaker_totals.insert(), found)
