"""Speaker resolution: the source mention of an attribution ("Okafor", "He",
"the Secretary General of X", "This leader of …") resolved to an article entity."""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict

from spacy.tokens import Doc, Token

from spinlens.attribution.entities import Cluster, clean_form, fold
from spinlens.attribution.lexicon import (
    ANY_ORG_NOUNS,
    CUE_VERBS,
    DEFINITE,
    FEMALE_WORDS,
    MALE_WORDS,
    ORG_NOUNS,
    PERSON_NOUNS,
    PERSON_PRONOUNS,
    PLURAL_PRONOUNS,
    RELATIVE_PRONOUNS,
    REPORT_NOUNS,
    THING_PRONOUNS,
)
from spinlens.attribution.people import STOP, family_names, gender_words, titles_of
from spinlens.attribution.ranking import candidates, load_ranker
from spinlens.attribution.rules import Candidate, quote_spans
from spinlens.attribution.sources import can_speak, is_generic, person_gender, pronoun_gender
from spinlens.attribution.syntax import subject_of
from spinlens.model import Entity, Speaker
from spinlens.textspans import Intervals

SPEAKER_LABELS = ("PERSON", "ORG", "GPE", "NORP")
GROUP_LABELS = ("ORG", "NORP", "GPE")
SPEAKER_TYPE = {"PERSON": "person", "ORG": "organization", "GPE": "organization", "NORP": "group"}
"""A named speaker's type by entity label: a country speaks through its government."""
RESOLVER_VERSION = "resolve-3"
"""Bump when speaker resolution changes what it gives."""
NEAR = 2500
CLOSE = 300
"""How far back a description with no name of its own ("the newspaper") may look."""
"""How far back (characters) a pronoun or description looks for what it refers to."""


class SpeakerResolver:
    """Resolves sources to entity clusters of one article, left to right.

    Every lookup is indexed (issue #16: scans over all mentions, clusters and earlier
    speakers per attribution made long articles quadratic): mentions by position,
    titles by word, earlier subjects and speakers by label."""

    def __init__(self, doc: Doc, clusters: list[Cluster]):
        self.doc = doc
        self.text = doc.text
        self.clusters = clusters
        for cluster in clusters:  # "Asa'ib Ahl al-Haq Movement", taken for a person
            if cluster.label == "PERSON" and set(fold(cluster.canonical).split()) & ORG_NOUNS:
                cluster.label = "ORG"
        self.surnames = family_names(clusters)
        self.mentions = sorted(
            ((m.start, m.end, self.person_of(c)) for c in clusters for m in c.mentions),
            key=lambda x: x[0],
        )
        self.mention_index = Intervals(self.mentions)
        self.descriptors = {c.entity_id: titles_of(doc, c) for c in clusters}
        self.people = [c for c in clusters if c.label == "PERSON"]
        self.titled: dict[str, list[int]] = defaultdict(list)
        for n, person in enumerate(self.people):
            for word in self.descriptors[person.entity_id]:
                self.titled[word].append(n)
        self.mention_starts = [start for start, _, _ in self.mentions]
        self.mention_ends: dict[str, list[int]] = defaultdict(list)
        """Per entity, the ends of its mentions in order (for salience)."""
        for _, end, cluster in self.mentions:
            self.mention_ends[cluster.entity_id].append(end)
        for ends in self.mention_ends.values():
            ends.sort()
        self.by_id = {c.entity_id: c for c in clusters}
        self.genders = {
            p.entity_id: person_gender(p, gender_words(self.text, p, self.descriptors[p.entity_id]))
            for p in self.people
        }
        self.quotations = Intervals((s, e, None) for s, e in quote_spans(self.text))
        self.joined: list[Entity] = []
        """Pronoun and description sources resolved to an entity, as its mentions."""
        self.said: dict[str, list[tuple[int, int, Cluster]]] = defaultdict(list)
        self.described: dict[frozenset[str], Cluster | None] = {}
        self.names: dict[str, str] = {}
        self.main = self.main_person()

    def person_of(self, cluster: Cluster) -> Cluster:
        """The person a one-word body or place is when the word is a person's family
        name in the article ("Dewar" taken for an organisation after "Paul Dewar")."""
        if cluster.label == "PERSON" or any(len(key) != 1 for key in cluster.keys):
            return cluster
        return next((self.surnames[k[0]] for k in cluster.keys if k[0] in self.surnames), cluster)

    def cluster_at(self, offset: int, labels: tuple[str, ...] = SPEAKER_LABELS) -> Cluster | None:
        for start, end, cluster in self.mention_index.containing(offset):
            if start <= offset < end and cluster.label in labels:
                return cluster
        return None

    def main_person(self) -> Cluster | None:
        """The most mentioned person of the article."""
        people = [c for c in self.clusters if c.label == "PERSON"]
        return max(people, key=lambda c: len(c.mentions)) if people else None

    def resolve(self, cand: Candidate) -> Speaker | None:
        """The speaker of an attribution (None when its source cannot speak or lies
        within quotation marks that its cue is outside of); a resolved one is
        remembered for later pronouns, and a pronoun or description resolved to an
        entity joins it (`joined`)."""
        if cand.source is None or cand.source_head is None:
            return None
        head, source = cand.source_head, cand.source
        nested = cand.cue is not None and self.quoted(cand.cue[0])
        if self.quoted(head.idx) and not nested:  # a name in the quoted words
            return None
        if head.lower_ in RELATIVE_PRONOUNS and head.head.dep_ == "relcl":
            head = head.head.head  # "the army, which claims …": the army, as written
            source = (head.left_edge.idx, head.idx + len(head))
            return self.speaker_for(head, source)
        if not can_speak(head):
            return None
        speaker = self.group(head) or self.speaker_for(head, source)
        if speaker.type != "unresolved" and speaker.entity_id is not None:
            cluster = self.by_id[speaker.entity_id]
            said = self.said[cluster.label]
            said.append((source[1], sum(map(len, self.said.values())), cluster))
        return speaker

    def credited(
        self, cluster: Cluster, source: tuple[int, int], score: float, joins: bool = True
    ) -> Speaker:
        """The speaker an entity is; a source that `joins` (a pronoun or a description,
        not a name) joins the entity's mentions."""
        if cluster.entity_id not in self.names:
            self.names[cluster.entity_id] = cluster.canonical
        if joins:
            self.join(cluster, source)
        kind = SPEAKER_TYPE.get(cluster.label, "organization")
        return Speaker(self.names[cluster.entity_id], cluster.entity_id, kind, score)

    def join(self, cluster: Cluster, source: tuple[int, int]) -> None:
        span = self.doc.char_span(*source, alignment_mode="expand")
        if span is None:
            return
        kind = "pronoun" if len(span) == 1 and span[0].pos_ == "PRON" else "description"
        self.joined.append(
            Entity(
                span.start_char,
                span.end_char,
                cluster.label,
                span.text,
                cluster.entity_id,
                self.names[cluster.entity_id],
                kind,
            )
        )

    def credited_or_written(
        self, cluster: Cluster | None, source: tuple[int, int], score: float
    ) -> Speaker:
        return self.credited(cluster, source, score) if cluster else self.as_written(source)

    def as_written(self, source: tuple[int, int]) -> Speaker:
        """An unresolved speaker, named by the source's words."""
        return Speaker(" ".join(self.text[source[0] : source[1]].split()), None, "unresolved", 0.0)

    def quoted(self, offset: int) -> bool:
        return any(s < offset < e for s, e, _ in self.quotations.containing(offset))

    def group(self, head: Token) -> Speaker | None:
        """ "Mr. A and Mr. B said": a group whose members the article names."""
        conjuncts = [head, *(t for t in head.conjuncts if t.i > head.i)]
        if len(conjuncts) < 2:
            return None
        clusters = [self.cluster_at(t.idx, ("PERSON", "ORG")) for t in conjuncts]
        if any(c is None for c in clusters):
            return None
        members = tuple(self.credited(c, (0, 0), 0.9, joins=False) for c in clusters if c)
        name = " and ".join(m.name for m in members)
        return Speaker(name, None, "group", 0.9, members)

    def speaker_for(self, head: Token, source: tuple[int, int]) -> Speaker:
        """A source resolved through its name, a pronoun or a description; else as
        written, unresolved."""
        word = head.lower_
        if word in PERSON_PRONOUNS and pronoun_gender(word):
            return self.pronoun(head, source, pronoun_gender(word))
        if self.is_title(source):
            return self.person_described(source)
        named = self.cluster_at(head.idx)
        if named is None and head.pos_ == "PROPN":
            named = self.surnames.get(fold(head.text))
        if named is not None:
            return self.credited(named, source, 0.95, joins=False)
        if is_generic(head) or word in PERSON_PRONOUNS:
            return self.as_written(source)
        if word in PLURAL_PRONOUNS:
            return self.credited_or_written(self.said_group(source[0]), source, 0.6)
        if word in THING_PRONOUNS:
            return self.credited_or_written(self.organisation_before(source[0], None), source, 0.6)
        return self.description(head, source)

    def description(self, head: Token, source: tuple[int, int]) -> Speaker:
        """ "the minister", "the newspaper", "her campaign", "his speech", "the report
        of X": through titles, the organisation meant, or the possessor."""
        lemma = head.lemma_.lower()
        owner = next((t for t in head.lefts if t.dep_ == "poss"), None)
        if owner is not None and lemma in ORG_NOUNS | REPORT_NOUNS:
            span = (owner.left_edge.idx, owner.idx + len(owner))
            owner_is = self.speaker_for(owner, span) if can_speak(owner) else None
            if owner_is is None or owner_is.type == "unresolved":
                return self.as_written(source)
            if lemma in REPORT_NOUNS:
                return owner_is
            surname = owner_is.name.split()[-1] if owner_is.type == "person" else owner_is.name
            return Speaker(f"{surname} {head.lower_}", None, "organization", owner_is.score)
        named = self.named_inside(source, ("PERSON",))
        if lemma in PERSON_NOUNS and named:  # "Governor of Washington Chris Gregoire"
            return self.credited(named[0], source, 0.85, joins=False)
        definite = any(t.lower_ in DEFINITE for t in head.lefts) or head.is_title
        if lemma in PERSON_NOUNS and definite:
            return self.person_described(source)
        if lemma in ORG_NOUNS and definite:
            inside = self.named_inside(source, ("ORG",))
            if inside:
                return self.credited(inside[0], source, 0.85)
            if self.named_inside(source, GROUP_LABELS):  # "the Israeli army"
                return Speaker(
                    clean_form(self.text[source[0] : source[1]], "ORG"), None, "organization", 0.7
                )
            found = self.organisation_before(source[0], lemma)
            return self.credited_or_written(found, source, 0.6)
        inside = self.named_inside(source, SPEAKER_LABELS)
        people = [c for c in inside if c.label == "PERSON"]
        if lemma in REPORT_NOUNS and (people or inside):
            return self.credited((people or inside)[0], source, 0.8)
        return self.as_written(source)

    def person_described(self, source: tuple[int, int]) -> Speaker:
        """ "The minister", "this leader of …": the person with those titles, else the
        nearest fitting person before (of the gender the words give, if any)."""
        titled = self.by_description(source)
        if titled is not None:
            return self.credited(titled, source, 0.75)
        words = set(fold(self.text[source[0] : source[1]]).split())
        gender = "f" if words & FEMALE_WORDS else "m" if words & MALE_WORDS else None
        found = self.antecedent(source[0], ("PERSON",), gender)
        if found is None:
            return self.as_written(source)
        return self.credited(found[0], source, round(found[1] - 0.1, 2))

    def pronoun(self, head: Token, source: tuple[int, int], gender: str | None) -> Speaker:
        """He, she: the person named later in the sentence whose speech frames it ("He
        vowed …, Trump said"), else the one the ranker prefers when it is sure
        enough; never one of the other gender; else unresolved."""
        later = self.cataphor(head, gender)
        if later is not None:
            return self.credited(later, source, 0.8)
        chosen = load_ranker().choose(candidates(self, head, gender).features)
        if chosen is None:
            return self.as_written(source)
        return self.credited(self.by_id[chosen[0]], source, round(chosen[1], 2))

    def cataphor(self, head: Token, gender: str | None) -> Cluster | None:
        verbs = [t for t in head.head.ancestors if t.i > head.i and t.lemma_.lower() in CUE_VERBS]
        for verb in verbs:
            subject = subject_of(verb)
            found = self.cluster_at(subject.idx, ("PERSON",)) if subject is not None else None
            if found is not None and self.genders.get(found.entity_id) in (None, gender):
                return found
        return None

    def organisation_before(self, offset: int, noun: str | None) -> Cluster | None:
        """ "It", "the agency": the nearest organisation before whose name holds the
        noun ("the agency": "Environmental Protection Agency"), else, for "it" and
        nouns any organisation may be called ("the company"), the nearest one within
        a sentence or two (CLOSE characters)."""
        at = bisect_left(self.mention_starts, offset)
        for start, _, cluster in reversed(self.mentions[:at]):
            if offset - start > NEAR:
                break
            if cluster.label == "ORG" and noun and noun in fold(cluster.canonical).split():
                return cluster
        if noun is not None and noun not in ANY_ORG_NOUNS:
            return None  # "the harbour authority" is not the union named before it
        found = self.antecedent(offset, ("ORG",), None)
        close = found is not None and offset - found[0].mentions[-1].start <= CLOSE
        return found[0] if found is not None and close else None

    def said_group(self, offset: int) -> Cluster | None:
        """ "They": the latest group or organisation quoted within the last paragraphs."""
        said = self.last_said(offset, GROUP_LABELS)
        return said[1] if said and offset - said[0] <= NEAR else None

    def antecedent(
        self, offset: int, labels: tuple[str, ...], gender: str | None
    ) -> tuple[Cluster, float] | None:
        """The later of the previous fitting speaker and the nearest fitting subject
        mention, else the nearest fitting mention, within NEAR characters before
        `offset` and outside quotations; with a score: higher when the gender is known
        to agree and no other fitting entity comes between."""

        def fits(cluster: Cluster) -> bool:
            known = self.genders.get(cluster.entity_id)
            return cluster.label in labels and (gender is None or known in (None, gender))

        at = bisect_left(self.mention_starts, offset)
        near = [
            (s, e, c)
            for s, e, c in reversed(
                self.mentions[bisect_left(self.mention_starts, offset - NEAR) : at]
            )
            if e <= offset and fits(c) and not self.quoted(s)
        ]
        said = self.last_said(offset, labels)
        said_ok = said is not None and offset - said[0] <= NEAR and fits(said[1])
        subject = next(((s, c) for s, e, c in near if self.is_subject(s, e)), None)
        options = [x for x in ((said if said_ok else None), subject) if x is not None]
        chosen = max(options, key=lambda x: x[0])[1] if options else None
        if chosen is None and near:
            chosen = near[0][2]
        if chosen is None:
            return None
        rivals = {c.entity_id for _, _, c in near[:3]} - {chosen.entity_id}
        agreed = gender is not None and self.genders.get(chosen.entity_id) == gender
        return chosen, round((0.85 if agreed else 0.7) - (0.15 if rivals else 0.0), 2)

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

    def is_subject(self, start: int, end: int) -> bool:
        span = self.doc.char_span(start, end, alignment_mode="expand")
        return span is not None and span.root.dep_ in ("nsubj", "nsubjpass")
