"""What a source mention is before it is resolved: a name, a pronoun, a description,
a generic source ("a senior official", "critics") or something that cannot speak (a
place, a date, a work, "Recent events"); the gender a person's mentions give them;
and the sources that are no attribution at all (citations, page furniture)."""

from __future__ import annotations

import re

from spacy.tokens import Span, Token

from spinlens.attribution.entities import Cluster, fold
from spinlens.attribution.lexicon import (
    DEFINITE,
    FEMALE_WORDS,
    GENERIC_NOUNS,
    GENERIC_WORDS,
    MALE_WORDS,
    ORG_NOUNS,
    PERSON_NOUNS,
    REPORT_NOUNS,
    SPEECH_VERBS,
    first_names,
    words,
)

NON_SPEAKER_ENTITIES = words(
    "DATE TIME CARDINAL ORDINAL QUANTITY MONEY PERCENT WORK_OF_ART LAW EVENT LOC FAC "
    "PRODUCT LANGUAGE"
)
"""spaCy entity labels of things that cannot speak."""
CITATION = re.compile(r"\b[A-Z][a-z]+\.? \d+:\d+\b")
"""A book, chapter and verse ("John 8:34") read as "Name: statement"."""
FURNITURE = re.compile(
    r"\b(take our poll|story continues|continue reading|click here|read more|related coverage)\b",
    re.IGNORECASE,
)
"""Page furniture that the parser may take for a source or a statement."""
SHORT = 12
"""Words of a statement that page furniture may make up (a longer one only mentions it)."""
HEADLINE_CUES = SPEECH_VERBS | words(
    "accuse blast call demand pledge promise rip slam speak threaten urge vow"
)
"""Speech verbs that make a headline an attribution ("Bill Clinton calls Obamacare …");
not thought or wish ("Pentagon hopes …")."""
FEMALE_PRONOUNS = frozenset({"she", "her", "hers", "herself"})
MALE_PRONOUNS = frozenset({"he", "him", "his", "himself"})


def not_an_attribution(source: str, content: str) -> bool:
    """A citation or page furniture read as a source or a (short) statement."""
    furniture = FURNITURE.search(content) and len(content.split()) <= SHORT
    return bool(CITATION.search(source) or FURNITURE.search(source) or furniture)


def headline_cue(cue: Span) -> bool:
    """Whether a cue in a headline reports speech: a colon, or a speech verb
    in any inflection ("Says", "Calls for", "Is Demanding"; headline capitals mislead
    the lemmatiser, so word forms are read too)."""
    if cue.text.strip() == ":":
        return True
    for token in cue:
        word = token.lower_
        stems = {token.lemma_.lower(), word, word[:-1], word[:-2], word[:-3], word[:-1] + "e"}
        stems |= {word[:-3] + "e", word[:-4]} if word.endswith("ing") else set()
        if stems & HEADLINE_CUES:
            return True
    return False


def pronoun_gender(word: str) -> str | None:
    """ "f", "m", or None for a pronoun of no gender."""
    word = word.lower()
    return "f" if word in FEMALE_PRONOUNS else "m" if word in MALE_PRONOUNS else None


def person_gender(cluster: Cluster, titles: set[str]) -> str | None:
    """A person's gender as the article gives it: a gendered title or role noun among
    `titles` (words before or in apposition to the name, honorifics included), else
    the first name of a full-name mention; None when unknown or contradictory."""
    found = {"f" for w in titles if w in FEMALE_WORDS} | {"m" for w in titles if w in MALE_WORDS}
    if not found:
        names = first_names()
        for mention in cluster.mentions:
            words = fold(mention.text).split()
            words = [w for w in words if w not in FEMALE_WORDS | MALE_WORDS]
            if len(words) >= 2 and words[0] in names:
                found.add(names[words[0]])
    return found.pop() if len(found) == 1 else None


def is_generic(head: Token) -> bool:
    """A source that names no one in particular: "a senior official", "critics",
    "some", "many analysts", "officials"."""
    word, lemma = head.lower_, head.lemma_.lower()
    if word in GENERIC_WORDS:
        return True
    if lemma not in GENERIC_NOUNS | PERSON_NOUNS:
        return False
    determiners = {t.lower_ for t in head.lefts if t.dep_ in ("det", "nummod", "amod")}
    definite = bool(determiners & DEFINITE) or any(t.dep_ == "poss" for t in head.lefts)
    plural = head.tag_ in ("NNS", "NNPS")
    indefinite = bool(determiners & GENERIC_WORDS) or any(t.dep_ == "nummod" for t in head.lefts)
    return not definite and (indefinite or plural or lemma in GENERIC_NOUNS)


def can_speak(head: Token) -> bool:
    """Whether the source's head may stand for someone who speaks: a pronoun, a name
    that is no place, date or work, or a noun for people, bodies or what they issue."""
    if head.ent_type_ in NON_SPEAKER_ENTITIES:
        return False
    if head.pos_ in ("PRON", "PROPN") or head.ent_type_:
        return True
    lemma = head.lemma_.lower()
    return lemma in PERSON_NOUNS | ORG_NOUNS | REPORT_NOUNS | GENERIC_NOUNS | GENERIC_WORDS
