"""Speaker resolution: the source mention of an attribution ("Okafor", "He",
"the Secretary General of X", "This leader of …") resolved to an article entity."""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict

from spacy.tokens import Doc, Token

from spinlens.attribution.entities import Cluster, fold
from spinlens.attribution.lexicon import (
    DEFINITE,
    ORG_NOUNS,
    PERSON_NOUNS,
    PERSON_PRONOUNS,
    PLURAL_PRONOUNS,
    RELATIVE_PRONOUNS,
    REPORT_NOUNS,
    THING_PRONOUNS,
)
from spinlens.attribution.rules import Candidate
from spinlens.model import Speaker
from spinlens.textspans import Intervals

Earlier = tuple[list[int], list[tuple[int, Cluster]]]
"""Mentions of some labels by start: their starts, and (start, cluster) pairs."""
SPEAKER_LABELS = ("PERSON", "ORG", "GPE", "NORP")
GROUP_LABELS = ("ORG", "NORP", "GPE")
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


class SpeakerResolver:
    """Resolves sources to entity clusters of one article, left to right.

    Every lookup is indexed (issue #16: scans over all mentions, clusters and earlier
    speakers per attribution made long articles quadratic): mentions by position,
    titles by word, earlier subjects and speakers by label."""

    def __init__(self, doc: Doc, clusters: list[Cluster]):
        self.doc = doc
        self.text = doc.text
        self.clusters = clusters
        self.mentions = sorted(
            ((m.start, m.end, c) for c in clusters for m in c.mentions), key=lambda x: x[0]
        )
        self.mention_index = Intervals(self.mentions)
        self.descriptors = {c.entity_id: self.descriptor_words(c) for c in clusters}
        self.people = [c for c in clusters if c.label == "PERSON"]
        self.titled: dict[str, list[int]] = defaultdict(list)
        for n, person in enumerate(self.people):
            for word in self.descriptors[person.entity_id]:
                self.titled[word].append(n)
        self.said: dict[str, list[tuple[int, int, Cluster]]] = defaultdict(list)
        self.earlier: dict[tuple[tuple[str, ...], bool], Earlier] = {}
        self.described: dict[frozenset[str], Cluster | None] = {}
        self.names: dict[str, str] = {}
        self.main = self.main_person()

    def cluster_at(self, offset: int, labels: tuple[str, ...] = SPEAKER_LABELS) -> Cluster | None:
        for start, end, cluster in self.mention_index.containing(offset):
            if start <= offset < end and cluster.label in labels:
                return cluster
        return None

    def descriptor_words(self, cluster: Cluster) -> set[str]:
        """Words of the titles given to a person: appositives ("…, Secretary General
        of X") and nouns before the name ("Transport minister Daniel Okafor")."""
        words: set[str] = set()
        if cluster.label != "PERSON":
            return words
        for mention in cluster.mentions:
            span = self.doc.char_span(mention.start, mention.end, alignment_mode="expand")
            if span is None:
                continue
            root = span.root
            for child in root.children:
                if child.dep_ == "appos":
                    words |= set(fold(" ".join(t.text for t in child.subtree)).split())
            if root.dep_ == "appos":
                words |= set(fold(root.head.text).split())
            for token in self.doc[max(span.start - 3, 0) : span.start]:
                if token.head.i in range(span.start, span.end) and token.pos_ == "NOUN":
                    words.add(fold(token.text))
        return words - STOP

    def main_person(self) -> Cluster | None:
        """The most mentioned person of the article."""
        people = [c for c in self.clusters if c.label == "PERSON"]
        return max(people, key=lambda c: len(c.mentions)) if people else None

    def resolve(self, cand: Candidate) -> Speaker | None:
        """The speaker of an attribution; remembered for later pronouns."""
        if cand.source is None or cand.source_head is None:
            return None
        head, source = cand.source_head, cand.source
        relative = head.lower_ in RELATIVE_PRONOUNS and head.head.dep_ == "relcl"
        if relative:
            head = head.head.head  # "the army, which claims …": the army, as written
            source = (head.left_edge.idx, head.idx + len(head))
        cluster = self.cluster_at(head.idx) if relative else self.cluster_for(head, source)
        if cluster is not None:
            said = self.said[cluster.label]
            said.append((source[1], sum(map(len, self.said.values())), cluster))
            if cluster.entity_id not in self.names:
                self.names[cluster.entity_id] = cluster.canonical
            return Speaker(self.names[cluster.entity_id], cluster.entity_id)
        text = " ".join(self.text[source[0] : source[1]].split())
        return Speaker(text, None)

    def cluster_for(self, head: Token, source: tuple[int, int]) -> Cluster | None:
        if self.is_title(source):
            return self.by_description(source) or self.recent(source[0], ("PERSON",))
        named = self.cluster_at(head.idx)
        if named is not None:
            return named
        word = head.lower_
        if word in PERSON_PRONOUNS:
            return self.recent(source[0], ("PERSON",))
        if word in THING_PRONOUNS:
            return self.recent(source[0], GROUP_LABELS)
        if word in PLURAL_PRONOUNS:
            return self.recent(source[0], GROUP_LABELS, speakers_only=True)
        definite = any(t.lower_ in DEFINITE for t in head.lefts) or head.is_title
        lemma = head.lemma_.lower()
        if lemma in PERSON_NOUNS and definite:
            return self.by_description(source) or self.recent(source[0], ("PERSON",))
        if lemma in ORG_NOUNS and definite:  # "the Israeli army": Israeli, not the last group
            groups = self.named_inside(source, GROUP_LABELS)
            return groups[0] if groups else self.recent(source[0], GROUP_LABELS)
        if lemma in REPORT_NOUNS or definite:
            inside = self.named_inside(source, SPEAKER_LABELS)
            people = [c for c in inside if c.label == "PERSON"]
            return (people or inside or [None])[0]  # type: ignore[list-item]
        return None

    def named_inside(self, source: tuple[int, int], labels: tuple[str, ...]) -> list[Cluster]:
        """The entities with a label in `labels` mentioned within the source, in order."""
        return [
            c
            for s, e, c in self.mention_index.starting(source[0], source[1])
            if e <= source[1] and c.label in labels
        ]

    def is_title(self, source: tuple[int, int]) -> bool:
        """`The Secretary General of X`, `this leader of …`: a definite title noun
        followed by "of" (the parser may take X as the head)."""
        span = self.doc.char_span(source[0], source[1], alignment_mode="expand")
        if span is None or len(span) < 3 or span[0].lower_ not in DEFINITE:
            return False
        words = [t for t in span[1:] if t.lower_ != "of"]
        has_of = any(t.lower_ == "of" for t in span)
        return has_of and bool(words) and words[0].lemma_.lower() in PERSON_NOUNS

    def by_description(self, source: tuple[int, int]) -> Cluster | None:
        """The person whose titles share most words with the nominal mention."""
        words = frozenset(fold(self.text[source[0] : source[1]]).split()) - STOP
        if not words:
            return None
        if words not in self.described:
            self.described[words] = self.best_described(words)
        return self.described[words]

    def best_described(self, words: frozenset[str]) -> Cluster | None:
        """The first person with most of `words` among their titles, at least half."""
        shared: dict[int, int] = defaultdict(int)
        for word in words:
            for n in self.titled.get(word, ()):
                shared[n] += 1
        best = min(shared, key=lambda n: (-shared[n], n), default=None)
        if best is None or shared[best] / len(words) < 0.5:
            return None
        return self.people[best]

    def recent(
        self, offset: int, labels: tuple[str, ...], speakers_only: bool = False
    ) -> Cluster | None:
        """The later of the previous compatible speaker and the nearest earlier
        subject mention; else the nearest earlier mention; else the main person."""
        said = self.last_said(offset, labels)
        if speakers_only:
            return said[1] if said else None
        subject = self.last_before(offset, labels, subjects=True)
        latest = max(
            [*([said] if said else []), *([subject] if subject else [])],
            key=lambda x: x[0],
            default=None,
        )
        if latest is not None:
            return latest[1]
        earlier = self.last_before(offset, labels, subjects=False)
        if earlier is not None:
            return earlier[1]
        return self.main if self.main is not None and "PERSON" in labels else None

    def last_said(self, offset: int, labels: tuple[str, ...]) -> tuple[int, Cluster] | None:
        """The latest resolved speaker with a label in `labels` whose source ends at
        or before `offset`."""
        latest: tuple[int, int, Cluster] | None = None
        for label in labels:
            for end, n, cluster in reversed(self.said.get(label, [])):
                if end <= offset:
                    if latest is None or n > latest[1]:
                        latest = (end, n, cluster)
                    break
        return (latest[0], latest[2]) if latest else None

    def last_before(
        self, offset: int, labels: tuple[str, ...], subjects: bool
    ) -> tuple[int, Cluster] | None:
        """The last mention starting before `offset` with a label in `labels` (and
        the subject of its clause, with `subjects`)."""
        if (labels, subjects) not in self.earlier:
            found = [
                (s, c)
                for s, e, c in self.mentions
                if c.label in labels and (not subjects or self.is_subject(s, e))
            ]
            self.earlier[labels, subjects] = ([s for s, _ in found], found)
        starts, found = self.earlier[labels, subjects]
        at = bisect_left(starts, offset)
        return found[at - 1] if at else None

    def is_subject(self, start: int, end: int) -> bool:
        span = self.doc.char_span(start, end, alignment_mode="expand")
        return span is not None and span.root.dep_ in ("nsubj", "nsubjpass")
