"""Keeping the speaker tables (`speakers.tables`) up to date as articles are saved.

A save changes the grouping only when a key appears in or vanishes from the corpus,
changes kind, or a link does: then the keys any rule relates to those (`affected`:
closed over links, shared bases, shared family names and current groups) are
resolved again, which gives what a rebuild from every stored article gives.
Otherwise only the canonical names of the saved keys' groups are checked. Speakers
whose members changed are counted again from their rows; the others' totals take
the saved articles' differences."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, Table, bindparam, delete, func, or_, select

from spinlens.batching import batched
from spinlens.speakers.names import PERSON, article_names, base, surname
from spinlens.speakers.resolve import Form, named, resolve
from spinlens.speakers.tables import (
    speaker_alias,
    speaker_forms,
    speaker_links,
    speaker_names,
    speaker_totals,
)

CHUNK = 500
COUNTS = ("articles", "quotes", "mentions")
Link = tuple[str, str, str]
AddUp = Callable[[Connection, Table, list[dict[str, Any]], tuple[str, ...]], None]
"""`Store.add_up`: add rows' counts to a totals table, dropping rows that fall to 0."""


def update(conn: Connection, results: Sequence[Mapping[str, Any]], add_up: AddUp) -> None:
    """Replace the name rows of freshly saved articles (their JSON results) and
    bring the forms, the alias table and the totals up to date."""
    ids = [result["id"] for result in results]
    rows: list[dict[str, Any]] = []
    links: list[dict[str, Any]] = []
    for result in results:
        found = article_names(dict(result))
        rows += [row.as_row(result["id"]) for row in found.rows.values()]
        links += [
            {"article_id": result["id"], "a": a, "b": b, "kind": k} for a, b, k in found.links
        ]
    old_rows: list[dict[str, Any]] = []
    old_links: set[Link] = set()
    for chunk in batched(sorted(ids), CHUNK):
        query = select(speaker_names).where(speaker_names.c.article_id.in_(chunk))
        old_rows += [dict(r._mapping) for r in conn.execute(query)]
        given = speaker_links.c
        query = select(given.a, given.b, given.kind).where(given.article_id.in_(chunk))
        old_links.update((r.a, r.b, r.kind) for r in conn.execute(query))
    touched = {row["key"] for row in rows + old_rows}
    pairs = old_links | {(r["a"], r["b"], r["kind"]) for r in links}
    linked_before = existing(conn, pairs)
    before = aliases_of(conn, touched)
    for chunk in batched(sorted(ids), CHUNK):
        for table in (speaker_names, speaker_links):
            conn.execute(delete(table).where(table.c.article_id.in_(chunk)))
    if rows:
        conn.execute(speaker_names.insert(), rows)
    if links:
        conn.execute(speaker_links.insert(), links)
    add_up(conn, speaker_forms, form_changes(old_rows, rows), COUNTS)
    forms, _ = forms_of(conn, touched)
    changed = {k for k in touched if before.get(k, (None, None))[1] != kind_of(forms, k)}
    changed.update(k for pair in linked_before ^ existing(conn, pairs) for k in pair[:2])
    regrouped = affected(conn, changed) if changed else set()
    recounted: set[str] = set()
    if regrouped:
        forms, between = forms_of(conn, regrouped)
        recounted |= settle(conn, resolve(forms, between), forms, regrouped)
    if rest := touched - regrouped:
        forms, groups = groups_of(conn, rest)
        recounted |= settle(conn, named(forms, groups), forms, set(forms))
    recount(conn, recounted)
    forms, _ = forms_of(conn, touched)
    shift(conn, forms, old_rows, rows, aliases_of(conn, touched), recounted)


def kind_of(forms: dict[str, Form], key: str) -> str | None:
    return forms[key].kind if key in forms else None


def form_changes(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The `speaker_forms` increments when name rows `old` are replaced by `new`."""
    out: dict[tuple[str, str, str], dict[str, Any]] = {}
    for sign, rows in ((-1, old), (1, new)):
        for row in rows:
            person = row["kind"] == PERSON
            form = out.setdefault(
                (row["key"], row["name"], row["kind"]),
                {"key": row["key"], "name": row["name"], "kind": row["kind"]}
                | {"surname": surname(row["key"]) if person else None}
                | {"base": base(row["key"]) if person else None}
                | dict.fromkeys(COUNTS, 0),
            )
            form["articles"] += sign
            form["quotes"] += sign * row["quotes"]
            form["mentions"] += sign * row["mentions"]
    return [form for form in out.values() if any(form[c] for c in COUNTS)]


def existing(conn: Connection, pairs: set[Link]) -> set[Link]:
    """The links among `pairs` that some stored article gives."""
    found: set[Link] = set()
    given = speaker_links.c
    for chunk in batched(sorted({a for a, _, _ in pairs}), CHUNK):
        query = select(given.a, given.b, given.kind).distinct().where(given.a.in_(chunk))
        found.update((r.a, r.b, r.kind) for r in conn.execute(query) if tuple(r) in pairs)
    return found


def aliases_of(conn: Connection, keys: set[str]) -> dict[str, tuple[str, str]]:
    """The speaker and kind each key is resolved to now (keys not resolved: left out)."""
    a = speaker_alias.c
    out: dict[str, tuple[str, str]] = {}
    for chunk in batched(sorted(keys), CHUNK):
        query = select(a.key, a.speaker, a.kind).where(a.key.in_(chunk))
        out.update((r.key, (r.speaker, r.kind)) for r in conn.execute(query))
    return out


def lookup(conn: Connection, query: Any) -> set[str]:
    """The values of a one-column query."""
    return {value for value in conn.execute(query).scalars() if value is not None}


def affected(conn: Connection, keys: set[str]) -> set[str]:
    """Every key whose speaker may change when these keys' rows change."""
    forms, links, alias = speaker_forms.c, speaker_links.c, speaker_alias.c
    seen: set[str] = set()
    todo = set(keys)
    while todo:
        batch = sorted(todo)[:CHUNK]
        todo.difference_update(batch)
        seen.update(batch)
        families = {family for key in batch if (family := surname(key))} | set(batch)
        bases = set(batch) | {base(k) for k in batch}
        found = lookup(conn, select(links.b).where(links.a.in_(batch)))
        found |= lookup(conn, select(links.a).where(links.b.in_(batch)))
        found |= lookup(conn, select(forms.key).where(forms.base.in_(bases)))
        found |= lookup(
            conn, select(forms.key).where(or_(forms.surname.in_(families), forms.key.in_(families)))
        )
        speakers = select(alias.speaker).where(alias.key.in_(batch))
        found |= lookup(conn, select(alias.key).where(alias.speaker.in_(speakers)))
        todo |= found - seen
    return seen


def forms_of(conn: Connection, keys: set[str]) -> tuple[dict[str, Form], set[Link]]:
    """The corpus's forms of these keys and the links from them."""
    forms: dict[str, Form] = {}
    links: set[Link] = set()
    f, given = speaker_forms.c, speaker_links.c
    for chunk in batched(sorted(keys), CHUNK):
        query = select(f.key, f.name, f.kind, f.articles).where(f.key.in_(chunk))
        for key, name, kind, count in conn.execute(query):
            form = forms.setdefault(key, Form(key))
            form.names[name] += count
            form.kinds[kind] += count
            form.articles += count
        query = select(given.a, given.b, given.kind).distinct().where(given.a.in_(chunk))
        links.update((r.a, r.b, r.kind) for r in conn.execute(query))
    return forms, links


def groups_of(conn: Connection, keys: set[str]) -> tuple[dict[str, Form], list[list[str]]]:
    """The members' forms and the current groups of these keys (every member)."""
    a = speaker_alias.c
    groups: dict[str, list[str]] = defaultdict(list)
    for chunk in batched(sorted(keys), CHUNK):
        speakers = select(a.speaker).where(a.key.in_(chunk))
        for key, speaker in conn.execute(select(a.key, a.speaker).where(a.speaker.in_(speakers))):
            groups[speaker].append(key)
    forms, _ = forms_of(conn, {k for members in groups.values() for k in members})
    kept = [[k for k in members if k in forms] for members in groups.values()]
    return forms, [members for members in kept if members]


def settle(
    conn: Connection, speaker: dict[str, str], forms: dict[str, Form], keys: set[str]
) -> set[str]:
    """Give `keys` their speakers (none: the key is gone); the speakers whose
    members changed, to be counted again."""
    a = speaker_alias.c
    old = aliases_of(conn, keys)
    new = {k: (speaker[k], forms[k].kind) for k in keys if k in speaker}
    moved = [k for k in sorted(keys) if old.get(k) != new.get(k)]
    for chunk in batched(sorted(moved), CHUNK):
        conn.execute(delete(speaker_alias).where(a.key.in_(chunk)))
    if rows := [{"key": k, "speaker": new[k][0], "kind": new[k][1]} for k in moved if k in new]:
        conn.execute(speaker_alias.insert(), rows)
    return {pair[0] for k in moved for pair in (old.get(k), new.get(k)) if pair}


def recount(conn: Connection, speakers: set[str]) -> None:
    """Count these speakers again from their members' forms (articles: distinct
    articles naming any member, from the name rows)."""
    a, f, n, t = speaker_alias.c, speaker_forms.c, speaker_names.c, speaker_totals.c
    for chunk in batched(sorted(speakers), CHUNK):
        conn.execute(delete(speaker_totals).where(t.speaker.in_(chunk)))
        members = select(a.speaker, a.key).where(a.speaker.in_(chunk)).subquery()
        articles: dict[str, int] = dict(
            conn.execute(
                select(members.c.speaker, func.count(n.article_id.distinct()))
                .join(speaker_names, n.key == members.c.key)
                .group_by(members.c.speaker)
            ).all()
        )
        sums = (
            select(members.c.speaker, func.sum(f.quotes), func.sum(f.mentions))
            .join(speaker_forms, f.key == members.c.key)
            .group_by(members.c.speaker)
        )
        found = [
            {"speaker": s, "articles": articles.get(s, 0), "quotes": int(q), "mentions": int(m)}
            for s, q, m in conn.execute(sums)
        ]
        forms, _ = forms_of(conn, {row["speaker"] for row in found})
        for row in found:
            row |= {"name": forms[row["speaker"]].name, "kind": forms[row["speaker"]].kind}
        if found:
            conn.execute(speaker_totals.insert(), found)


def shift(
    conn: Connection,
    forms: dict[str, Form],
    old: list[dict[str, Any]],
    new: list[dict[str, Any]],
    alias: dict[str, tuple[str, str]],
    recounted: set[str],
) -> None:
    """Add the saved articles' differences to the totals of the speakers not counted
    again (their members did not change), and give them their current names."""
    change: dict[str, Counter[str]] = defaultdict(Counter)
    for sign, rows in ((-1, old), (1, new)):
        named_in: set[tuple[str, str]] = set()
        for row in rows:
            speaker = alias.get(row["key"], ("", ""))[0]
            if not speaker or speaker in recounted:
                continue  # gone or counted again: its members changed
            if (row["article_id"], speaker) not in named_in:
                named_in.add((row["article_id"], speaker))
                change[speaker]["articles"] += sign
            change[speaker]["quotes"] += sign * row["quotes"]
            change[speaker]["mentions"] += sign * row["mentions"]
    t = speaker_totals.c
    rows = [
        {"s": s, "name": forms[s].name if s in forms else None} | {c: delta[c] for c in COUNTS}
        for s, delta in change.items()
    ]
    if rows:
        shifted = {c: t[c] + bindparam(c) for c in COUNTS}
        named_again: Any = func.coalesce(bindparam("name"), t.name)
        statement = speaker_totals.update().where(t.speaker == bindparam("s"))
        conn.execute(statement.values(**shifted, name=named_again), rows)
