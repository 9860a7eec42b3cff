"""What an article says about its people: the titles it gives each (appositives and
nouns before the name), the words that tell their gender, and their family names."""

from __future__ import annotations

from collections import defaultdict

from spacy.tokens import Doc

from spinlens.attribution.entities import Cluster, fold

STOP = frozenset(
    [
        "the",
        "this",
        "that",
        "these",
        "those",
        "a",
        "an",
        "of",
        "his",
        "her",
        "their",
        "its",
        "and",
        "in",
        "for",
    ]
)


def titles_of(doc: Doc, cluster: Cluster) -> set[str]:
    """Words of the titles given to a person: appositives ("…, Secretary General
    of X") and nouns before the name ("Transport minister Daniel Okafor")."""
    words: set[str] = set()
    if cluster.label != "PERSON":
        return words
    for mention in cluster.mentions:
        span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
        if span is None:
            continue
        root = span.root
        for child in root.children:
            if child.dep_ == "appos":
                words |= set(fold(" ".join(t.text for t in child.subtree)).split())
        if root.dep_ == "appos":
            words |= set(fold(root.head.text).split())
        for token in doc[max(span.start - 3, 0) : span.start]:
            if token.head.i in range(span.start, span.end) and token.pos_ == "NOUN":
                words.add(fold(token.text))
    return words - STOP


def gender_words(text: str, person: Cluster, titles: set[str]) -> set[str]:
    """A person's titles, the words of their mentions and the word right before each
    mention ("Mrs", "Sir"), for their gender."""
    before = set()
    for mention in person.mentions:
        words = fold(text[max(mention.start - 6, 0) : mention.start]).split()
        before |= set(words[-1:])
    inside = {w for m in person.mentions for w in fold(m.text).split()}
    return titles | before | inside


def family_names(clusters: list[Cluster]) -> dict[str, Cluster]:
    """Family name → the one person of the article with that full name."""
    found: dict[str, list[Cluster]] = defaultdict(list)
    for cluster in clusters:
        if cluster.label == "PERSON":
            for last in {key[-1] for key in cluster.keys if len(key) > 1}:
                found[last].append(cluster)
    return {name: people[0] for name, people in found.items() if len(people) == 1}
