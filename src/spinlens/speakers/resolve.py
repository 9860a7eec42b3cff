"""Which names are one speaker across the corpus: the merging rules, as a pure
function of what the stored articles say (so the result does not depend on the
order in which they were saved).

Rules, each refusing rather than guessing (a wrong merge is worse than a missed one):
- one key per written name: case, diacritics, punctuation, possessives and leading
  honorifics ("Mr.", "Sen.", "President") do not count;
- names an article ties together are one (its entity's variants with another middle
  name; an acronym it defines);
- a name with middle initials is the name without them ("Donald J. Trump", "Donald
  Trump"), unless the corpus knows two initialled variants ("George W. Bush",
  "George H. W. Bush": then none of the three merge);
- a family name alone ("Trump", "Mr. Trump") is the one person of the corpus with
  that family name, and stays apart when there are two ("Bill Clinton", "Hillary
  Clinton");
- an acronym is its expansion when every article defining it gives the same one.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from spinlens.speakers.names import ACRONYM_LINK, PERSON, base, surname


@dataclass
class Form:
    """A key across the corpus: its kind, articles, and the names written for it."""

    key: str
    kinds: Counter[str] = field(default_factory=Counter)
    names: Counter[str] = field(default_factory=Counter)
    articles: int = 0

    @property
    def kind(self) -> str:
        return min(self.kinds, key=lambda k: (-self.kinds[k], k)) if self.kinds else PERSON

    @property
    def name(self) -> str:
        """The name most often written for it (ties: the first in sort order)."""
        return min(self.names, key=lambda n: (-self.names[n], n))


class Groups:
    """Union-find over keys; a group's root is chosen afterwards."""

    def __init__(self, keys: Iterable[str]):
        self.parent = {k: k for k in keys}

    def find(self, key: str) -> str:
        while self.parent[key] != key:
            self.parent[key] = self.parent[self.parent[key]]
            key = self.parent[key]
        return key

    def union(self, a: str, b: str) -> None:
        self.parent[self.find(a)] = self.find(b)


def resolve(forms: dict[str, Form], links: Iterable[tuple[str, str, str]]) -> dict[str, str]:
    """Each key's speaker, by the rules above, over every key that any rule could
    relate to these (see `speakers.index.affected`)."""
    groups = Groups(forms)
    expansions: dict[str, set[str]] = defaultdict(set)
    for a, b, kind in sorted(set(links)):
        if a in forms and b in forms:
            if kind == ACRONYM_LINK:
                expansions[a].add(b)
            else:
                groups.union(a, b)
    for acronym, found in expansions.items():
        if len(found) == 1:
            groups.union(acronym, next(iter(found)))
    people = sorted(k for k, f in forms.items() if f.kind == PERSON)
    by_base: dict[str, list[str]] = defaultdict(list)
    for key in people:
        by_base[base(key)].append(key)
    for key_base, keys in by_base.items():
        if len([k for k in keys if k != key_base]) <= 1:
            for key in keys[1:]:
                groups.union(keys[0], key)
    by_surname: dict[str, set[str]] = defaultdict(set)
    for key in people:
        if family := surname(key):
            by_surname[family].add(groups.find(key))
    for key in people:
        if "-" not in key and len(found := by_surname.get(key, set())) == 1:
            groups.union(key, next(iter(found)))
    members: dict[str, list[str]] = defaultdict(list)
    for key in forms:
        members[groups.find(key)].append(key)
    return named(forms, members.values())


def named(forms: dict[str, Form], groups: Iterable[Iterable[str]]) -> dict[str, str]:
    """Each key's speaker: the canonical key of its group (most words, then most
    articles, then first in sort order)."""
    speaker: dict[str, str] = {}
    for keys in groups:
        keys = list(keys)
        best = min(keys, key=lambda k: (-len(k.split("-")), -forms[k].articles, k))
        speaker.update((k, best) for k in keys)
    return speaker
