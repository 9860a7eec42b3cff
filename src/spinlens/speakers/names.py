"""What one article tells about names: its people and organisations (each article
entity once, keyed by its most complete name), how often each is quoted and
mentioned, and the name variants the article itself ties together (middle names,
acronyms it defines: "Federal Bureau of Investigation (FBI)")."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from spinlens.attribution.entities import clean_form, name_key
from spinlens.attribution.lexicon import words
from spinlens.model import UNRESOLVED, Quote

PERSON = "person"
ORGANIZATION = "organization"
KINDS = {"PERSON": PERSON, "ORG": ORGANIZATION, "GPE": ORGANIZATION, "NORP": ORGANIZATION}
"""Entity labels kept, and the kind of speaker each is."""
SUFFIXES = words("jr sr ii iii iv")
"""Generation suffixes: part of the name ("Donald Trump Jr." is not his father), not
the family name."""
ACRONYM = re.compile(
    r"((?:[A-Z][\w'’.&-]*[ ,]+(?:(?:of|for|and|the|on|in|&)[ ]+)*)+)\(([A-Z]{2,8})\)"
)
ACRONYM_FILLERS = words("of for and the on in")
MIDDLE_LINK = "middle"
ACRONYM_LINK = "acronym"


def name_words(name: str, kind: str) -> tuple[str, ...]:
    """The folded words that identify a name (honorifics dropped from people)."""
    return name_key(name, "PERSON" if kind == PERSON else "ORG")


def key_of(name_words_: tuple[str, ...]) -> str:
    return "-".join(name_words_)


def surname(key: str) -> str | None:
    """A person's family name: the last word that is not a generation suffix (None
    for a one-word name)."""
    parts = [w for w in key.split("-") if w not in SUFFIXES]
    return parts[-1] if len(parts) > 1 else None


def base(key: str) -> str:
    """The name without middle initials ("donald-j-trump" → "donald-trump")."""
    parts = key.split("-")
    if len(parts) < 3:
        return key
    middle = [w for w in parts[1:-1] if len(w) > 1]
    return "-".join([parts[0], *middle, parts[-1]])


@dataclass
class NameRow:
    """One article entity (or unlinked speaker name) in one article."""

    key: str
    name: str
    kind: str
    entity_id: str | None = None
    quotes: int = 0
    mentions: int = 0

    def as_row(self, article_id: str) -> dict[str, Any]:
        return {
            "article_id": article_id,
            "key": self.key,
            "name": self.name,
            "kind": self.kind,
            "entity_id": self.entity_id,
            "quotes": self.quotes,
            "mentions": self.mentions,
        }


@dataclass
class ArticleNames:
    """The name rows and links of one article."""

    rows: dict[str, NameRow] = field(default_factory=dict)
    links: set[tuple[str, str, str]] = field(default_factory=set)


def acronyms(text: str) -> dict[str, str]:
    """Acronyms an article defines ("Federal Bureau of Investigation (FBI)"): acronym
    → its expansion, when the capitals of the expansion's last words spell it."""
    found: dict[str, str] = {}
    for match in ACRONYM.finditer(text):
        acronym = match.group(2)
        expansion = [w.strip(",") for w in match.group(1).split()]
        capitals = [w for w in expansion if w.lower() not in ACRONYM_FILLERS]
        n = len(acronym)
        if len(capitals) >= n and "".join(w[0] for w in capitals[-n:]) == acronym:
            first = expansion.index(capitals[-n], max(0, len(expansion) - 2 * n - 2))
            found.setdefault(acronym, " ".join(expansion[first:]))
    return found


def article_names(data: dict[str, Any]) -> ArticleNames:
    """The names of one article's JSON object (docs/output-format.md)."""
    out = ArticleNames()
    forms: dict[str, Counter[str]] = {}
    labels: dict[str, str] = {}
    canonical: dict[str, str] = {}
    for span in data.get("entities") or []:
        entity_id, label = span.get("entity_id"), span.get("label")
        if entity_id is None or label not in KINDS or span.get("mention") not in (None, "name"):
            continue
        forms.setdefault(entity_id, Counter())[clean_form(str(span.get("text", "")), label)] += 1
        labels[entity_id] = label
        canonical.setdefault(entity_id, clean_form(str(span.get("canonical") or ""), label))
    by_entity: dict[str, NameRow] = {}
    for entity_id, counts in forms.items():
        kind = KINDS[labels[entity_id]]
        best = canonical[entity_id] or min(counts, key=lambda f: (-len(name_words(f, kind)), f))
        if row := add(out, best, kind, entity_id, sum(counts.values())):
            by_entity[entity_id] = row
            link_middle_names(out, row, counts)
    for item in data.get("quotes") or []:
        try:
            speaker = Quote.from_dict(item).said_by
        except (AttributeError, KeyError, TypeError, ValueError):
            continue
        if speaker is None or not speaker.resolved or speaker.type == UNRESOLVED:
            continue
        row = by_entity.get(speaker.entity_id or "")
        if row is None:
            kind = ORGANIZATION if speaker.type in ("organization", "group") else PERSON
            row = add(out, clean_form(speaker.name, "PERSON"), kind, None, 0)
        if row is not None:
            row.quotes += 1
    for acronym, expansion in acronyms(data.get("text") or "").items():
        short, long_ = (
            key_of(name_words(acronym, ORGANIZATION)),
            key_of(name_words(expansion, ORGANIZATION)),
        )
        if short and long_ and short != long_:
            out.links.add((short, long_, ACRONYM_LINK))
    return out


def add(
    out: ArticleNames, name: str, kind: str, entity_id: str | None, mentions: int
) -> NameRow | None:
    """The article's row of this name (one per key: two article entities with one
    key are one row)."""
    key = key_of(name_words(name, kind))
    if not key:
        return None
    row = out.rows.get(key)
    if row is None:
        row = out.rows[key] = NameRow(key, name, kind, entity_id)
    row.mentions += mentions
    return row


def link_middle_names(out: ArticleNames, row: NameRow, counts: Counter[str]) -> None:
    """Tie the entity's full names that differ only in middle names ("Hillary Rodham
    Clinton", "Hillary Clinton"): the article says they are one person."""
    if row.kind != PERSON:
        return
    mine = tuple(row.key.split("-"))
    for form in counts:
        other = name_words(form, PERSON)
        if (
            len(other) > 1 < len(mine)
            and other != mine
            and other[:: len(other) - 1] == mine[:: len(mine) - 1]
        ):
            a, b = sorted((row.key, key_of(other)))
            out.links.add((a, b, MIDDLE_LINK))
