"""Entity canonicalisation within one article: mentions that name the same person,
organisation or place ("Sheikh Qais Al-Khazali", "al-Khazali"; "Jaraf al-Nasr",
"Jurf al-Nasr") get one ``entity_id`` and one ``canonical`` name."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field, replace

from spinlens.attribution.lexicon import HONORIFICS, NAME_PARTICLES, first_names
from spinlens.attribution.name_index import NAME_LABELS, ClusterIndex, allowed_edits
from spinlens.model import Entity

PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
QUOTE_MARKS = re.compile(r"[’‘'`´ʼʻ\"“”«»]")
NON_WORD = re.compile(r"[^\w\s]")
POSSESSIVE = re.compile(r"[’'`]s$")


def fold(text: str) -> str:
    """Casefolded, without diacritics, apostrophes or quotation marks; hyphens are spaces."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = QUOTE_MARKS.sub("", re.sub(r"[’'`]s\b", "", text.casefold()))
    return " ".join(NON_WORD.sub(" ", text).split())


def name_key(text: str, label: str) -> tuple[str, ...]:
    """The words that identify a name: folded, without honorifics, particles
    ("al-", "bin"), a leading "the" or a possessive "s"."""
    words = fold(text).split()
    if label not in NAME_LABELS:
        return tuple(words)
    kept = [w for w in words if w not in NAME_PARTICLES and w != "the"]
    if label == "PERSON" or len(kept) > 1:
        while len(kept) > 1 and kept[0] in HONORIFICS:
            kept = kept[1:]
    return tuple(kept) or tuple(words)


def edit_distance(a: str, b: str, limit: int = 3) -> int:
    """Levenshtein distance, cut off above `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def similar(a: str, b: str) -> bool:
    """Spelling variants of one transliterated word or name."""
    if a == b:
        return True
    allowed = allowed_edits(min(len(a), len(b)))
    return allowed > 0 and edit_distance(a, b, allowed) <= allowed


def label_group(label: str) -> str:
    return "PLACE" if label in PLACE_LABELS else label


@dataclass
class Cluster:
    """One article-level entity and its mentions."""

    entity_id: str
    label: str
    keys: list[tuple[str, ...]] = field(default_factory=list)
    mentions: list[Entity] = field(default_factory=list)

    @property
    def canonical(self) -> str:
        """The most complete form: most identifying words, then most frequent, then first."""
        counts = Counter(clean_form(m.text, m.label) for m in self.mentions)
        order = {clean_form(m.text, m.label): -i for i, m in enumerate(self.mentions)}
        return max(
            counts,
            key=lambda form: (len(name_key(form, self.label)), counts[form], order[form]),
        )

    def matches(self, key: tuple[str, ...], label: str) -> bool:
        if label not in NAME_LABELS or self.label not in NAME_LABELS:
            return label == self.label and key in self.keys
        same_group = label_group(label) == label_group(self.label)
        joined = " ".join(key)
        for known in self.keys:
            if known == key:
                return True
            close = similar(joined, " ".join(known)) and len(joined) >= 5
            if close and (same_group or (len(key) > 1 and len(joined) >= 8)):
                return True
            if not same_group:
                continue
            if label == "PERSON" and self.label == "PERSON" and surname_match(key, known):
                return True
            if label == "ORG" and len(key) >= 2 and key == known[: len(key)]:
                return True
        return False


def surname_match(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """One is a single word that is the other's family name ("Khazali" of "Qais Khazali")."""
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    return len(short) == 1 and len(long_) > 1 and similar(short[0], long_[-1])


def clean_form(text: str, label: str) -> str:
    """A display form: no surrounding quotes or punctuation, no leading honorifics,
    no possessive ending on a person ("Ava DuVernay’s" is Ava DuVernay)."""
    words = text.strip(" ,.;:’‘'\"“”«»").replace("“", "").replace("”", "").split()
    if label == "PERSON" and words:
        words[-1] = POSSESSIVE.sub("", words[-1]) or words[-1]
        while len(words) > 1 and fold(words[0]) in HONORIFICS:
            words = words[1:]
    if label in NAME_LABELS and len(words) > 1 and words[0].lower() == "the":
        words = words[1:]
    return " ".join(words)


def titled(entities: list[Entity], i: int) -> bool:
    """Whether mention i is a title the parser split from the name after it
    (`Sheikh “Qais Al-Khazali”`)."""
    after = entities[i + 1] if i + 1 < len(entities) else None
    return (
        after is not None
        and after.label == "PERSON"
        and 0 <= after.start - entities[i].end <= 3
        and bool(name_key(after.text, after.label))
    )


def person_like(mention: Entity) -> bool:
    """A PERSON mention that reads as a person's name: a known first name ("Samantha",
    "Yvette Espinosa"), an honorific before a name ("Mr. Hicks"), or two or more
    capitalised words ("Roddy McDowall"; particles such as "al-" aside)."""
    named = [w for w in mention.text.split() if fold(w) not in NAME_PARTICLES]
    return mention.label == "PERSON" and (
        full_name(mention)
        or fold(mention.text) in first_names()
        or (len(named) > 1 and all(w[:1].isupper() for w in named))
    )


def full_name(mention: Entity) -> bool:
    """A PERSON mention of a first name or an honorific and at least one more word
    ("Danielle Bunten", "Mr. Hicks")."""
    words = fold(mention.text).split()
    known = len(words) > 1 and (words[0] in first_names() or words[0] in HONORIFICS)
    return mention.label == "PERSON" and known


def cluster_label(mentions: list[Entity]) -> str:
    """A cluster's type: the label most of its mentions have, except that a person
    the parser also took for a body or a group stays a person when one of their
    mentions reads as a person's name (`person_like`) or PERSON ties the vote ("Hicks"
    ORG, "Hicks" PERSON). Against a place, only a full name with a first name or an
    honorific counts, and a tie goes to the place ("Jurf al-Nasr" PERSON, "Jaraf
    al-Nasr" GPE stays a place); a name with a body's noun ("… Movement") is retyped
    by the resolver."""
    votes = Counter(m.label for m in mentions)
    label = votes.most_common(1)[0][0]
    if not votes["PERSON"]:
        return label
    place = max(sorted(PLACE_LABELS), key=votes.__getitem__)
    if votes[place]:
        if any(full_name(m) for m in mentions):
            return "PERSON"
        return place if votes[place] >= votes["PERSON"] else label
    if label == "PERSON" or votes["PERSON"] == votes[label]:
        return "PERSON"
    return "PERSON" if any(person_like(m) for m in mentions) else label


def cluster_entities(entities: list[Entity]) -> tuple[list[Entity], list[Cluster]]:
    """Every mention with its `entity_id` and `canonical` set, and the clusters.
    Full names are clustered before single words, so a surname joins the full name;
    a bare title joins the name right after it. Only the clusters the index finds
    for a key are compared with it: the first that matches is the first of all."""
    clusters: list[Cluster] = []
    index = ClusterIndex()
    keys = [name_key(e.text, e.label) for e in entities]
    titles = [i for i, key in enumerate(keys) if len(key) == 1 and key[0] in HONORIFICS]
    titles = [i for i in titles if titled(entities, i)]
    order = sorted(set(range(len(entities))) - set(titles), key=lambda i: (-len(keys[i]), i))
    assigned: dict[int, Cluster] = {}
    for i in order:
        mention = entities[i]
        key = keys[i]
        near = index.candidates(key, mention.label)
        number = next((n for n in near if clusters[n].matches(key, mention.label)), None)
        if number is None:
            number = len(clusters)
            clusters.append(Cluster(f"E{len(clusters) + 1}", mention.label))
        home = clusters[number]
        if key not in home.keys:
            home.keys.append(key)
            index.add(key, number, home.label)
        assigned[i] = home
    for i in reversed(titles):  # "Sheikh" joins the name after it (itself maybe a title)
        assigned[i] = assigned[i + 1]
    for i, mention in enumerate(entities):
        assigned[i].mentions.append(mention)
    clusters.sort(key=lambda c: (c.mentions[0].start, c.mentions[0].end))
    for n, cluster in enumerate(clusters, 1):
        cluster.entity_id = f"E{n}"
        cluster.label = cluster_label(cluster.mentions)
    by_id = {id(c): (c.entity_id, c.canonical) for c in clusters}
    linked = [
        replace(e, entity_id=by_id[id(assigned[i])][0], canonical=by_id[id(assigned[i])][1])
        for i, e in enumerate(entities)
    ]
    for cluster in clusters:
        cluster.mentions = []
    for i, mention in enumerate(linked):
        assigned[i].mentions.append(mention)
    return linked, clusters
